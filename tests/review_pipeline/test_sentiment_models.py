"""Per-merchant sentiment models: when training is due, activation rules, re-analysis."""

import numpy as np
import pytest

from reviews.analysis import sentiment
from reviews.models import ReviewAnalysis, SentimentModel, SentimentModelStatus
from reviews.services.analysis import reviews_analyse
from reviews.services.models import (
    sentiment_model_train,
    sentiment_model_training_due,
    sentiment_models_retrain_schedule,
)
from tests.factories import ProductFactory, ReviewFactory

from .factories import SentimentModelFactory

pytestmark = pytest.mark.django_db

GOOD = ["Love it, works great.", "Perfect size, very happy.", "Excellent quality, recommend."]
BAD = ["Broke after a day.", "Awful, the lid leaks.", "Cheap plastic, returned it."]


def rated_reviews(merchant, count: int, *, language: str = "en"):
    product = ProductFactory(merchant=merchant)
    return [
        ReviewFactory(
            product=product,
            title="",
            body=(GOOD if i % 2 else BAD)[i % 3] + f" #{i}",
            rating=5 if i % 2 else 1,
            language=language,
        )
        for i in range(count)
    ]


class ScoresAlwaysPositive:
    name = "test"

    def predict_proba(self, texts):
        return np.full(len(texts), 0.97)


def fit_report(*, beats: bool):
    def fit(texts, labels, *, language, heldout_fraction=0.2, seed=0):
        return sentiment.FitReport(
            model_bytes=b"model-bytes",
            trainer_version="test-trainer",
            train_reviews=int(len(texts) * 0.8),
            heldout_reviews=len(texts) - int(len(texts) * 0.8),
            heldout_accuracy=0.95 if beats else 0.80,
            heldout_macro_f1=0.94 if beats else 0.79,
            default_accuracy=0.85,
            default_macro_f1=0.84,
            beats_default=beats,
        )

    return fit


@pytest.fixture
def small_classes(monkeypatch):
    """Tiny sets of reviews are enough for the rule under test (the trainer wants 10 a class)."""
    monkeypatch.setattr(sentiment, "MIN_REVIEWS_PER_CLASS", 1)


@pytest.fixture
def fake_trainer(monkeypatch):
    """The trainer's contract (`merchant_model_fit` -> FitReport) with chosen scores."""

    def use(*, beats: bool):
        monkeypatch.setattr(sentiment, "merchant_model_fit", fit_report(beats=beats))
        monkeypatch.setattr(sentiment, "merchant_model_load", lambda data: ScoresAlwaysPositive())

    return use


def test_training_is_due_with_enough_rated_reviews_then_only_after_enough_new_ones(
    merchant, settings, small_classes
):
    settings.REVIEWS_RETRAIN_MIN_REVIEWS = 10
    settings.REVIEWS_RETRAIN_NEW_REVIEWS = 4
    rated_reviews(merchant, 9)
    ReviewFactory.create_batch(3, product=ProductFactory(merchant=merchant), rating=3)
    assert not sentiment_model_training_due(merchant=merchant, language="en")  # 3★ don't count

    rated_reviews(merchant, 1)
    assert sentiment_model_training_due(merchant=merchant, language="en")
    assert not sentiment_model_training_due(merchant=merchant, language="zh")

    SentimentModelFactory(merchant=merchant, language="en")
    assert not sentiment_model_training_due(merchant=merchant, language="en")
    rated_reviews(merchant, 3)
    assert not sentiment_model_training_due(merchant=merchant, language="en")
    rated_reviews(merchant, 1)
    assert sentiment_model_training_due(merchant=merchant, language="en")


def test_training_waits_for_enough_reviews_of_each_class(merchant, settings):
    settings.REVIEWS_RETRAIN_MIN_REVIEWS = 10
    product = ProductFactory(merchant=merchant)
    ReviewFactory.create_batch(30, product=product, rating=5)
    ReviewFactory.create_batch(sentiment.MIN_REVIEWS_PER_CLASS - 1, product=product, rating=1)
    assert not sentiment_model_training_due(merchant=merchant, language="en")
    ReviewFactory(product=product, rating=2)
    assert sentiment_model_training_due(merchant=merchant, language="en")


def test_a_model_that_beats_the_default_is_activated_and_the_language_is_analysed_again(
    merchant, settings, fake_trainer, django_capture_on_commit_callbacks
):
    settings.REVIEWS_RETRAIN_MIN_REVIEWS = 10
    fake_trainer(beats=True)
    reviews = rated_reviews(merchant, 12)
    chinese = ReviewFactory(product=reviews[0].product, body="盖子漏水", rating=1, language="zh")
    reviews_analyse(merchant=merchant)
    previous = SentimentModelFactory(merchant=merchant, status=SentimentModelStatus.ACTIVE)

    with django_capture_on_commit_callbacks(execute=True):
        [model] = sentiment_models_retrain_schedule(merchant=merchant, force=True, languages=["en"])

    model.refresh_from_db()
    previous.refresh_from_db()
    assert model.status == SentimentModelStatus.ACTIVE
    assert previous.status == SentimentModelStatus.RETIRED
    assert (model.heldout_accuracy, model.default_accuracy) == (0.95, 0.85)
    assert (model.heldout_macro_f1, model.default_macro_f1) == (0.94, 0.84)
    assert (model.trainer_version, model.train_reviews, model.heldout_reviews) == (
        "test-trainer",
        9,
        3,
    )
    assert bytes(model.artifact) == b"model-bytes"
    # The backfill job re-analysed the English reviews with the merchant's model only.
    english = ReviewAnalysis.objects.filter(language="en")
    assert {a.sentiment_model for a in english} == {f"merchant:{model.pk}"}
    assert {a.sentiment for a in english} == {"positive"}  # what this model says
    assert ReviewAnalysis.objects.get(pk=chinese.pk).sentiment_model == "default"


def test_a_model_that_does_not_beat_the_default_is_rejected_with_both_scores(
    merchant, settings, fake_trainer
):
    settings.REVIEWS_RETRAIN_MIN_REVIEWS = 10
    fake_trainer(beats=False)
    rated_reviews(merchant, 12)
    reviews_analyse(merchant=merchant)
    active = SentimentModelFactory(merchant=merchant, status=SentimentModelStatus.ACTIVE)
    ReviewAnalysis.objects.update(sentiment_model=f"merchant:{active.pk}")

    [model] = sentiment_models_retrain_schedule(
        merchant=merchant, send=False, languages=["en"], force=True
    )
    model = sentiment_model_train(model=model)

    assert model.status == SentimentModelStatus.REJECTED
    assert (model.heldout_accuracy, model.default_accuracy) == (0.80, 0.85)
    active.refresh_from_db()
    assert active.status == SentimentModelStatus.ACTIVE  # still the one in use
    assert set(ReviewAnalysis.objects.values_list("sentiment_model", flat=True)) == {
        f"merchant:{active.pk}"
    }


def test_a_training_that_fails_is_recorded_and_no_model_changes(
    merchant, settings, small_classes, monkeypatch
):
    settings.REVIEWS_RETRAIN_MIN_REVIEWS = 2

    def cannot_fit(*args, **kwargs):
        raise ValueError("only one class")

    monkeypatch.setattr(sentiment, "merchant_model_fit", cannot_fit)
    rated_reviews(merchant, 4)
    [model] = sentiment_models_retrain_schedule(merchant=merchant, send=False, languages=["en"])
    model = sentiment_model_train(model=model)

    assert model.status == SentimentModelStatus.FAILED
    assert "only one class" in model.error
    assert not SentimentModel.objects.filter(status=SentimentModelStatus.ACTIVE).exists()


def test_a_training_in_progress_blocks_a_second_one_and_a_finished_one_is_not_redone(
    merchant, settings, fake_trainer, small_classes
):
    settings.REVIEWS_RETRAIN_MIN_REVIEWS = 2
    fake_trainer(beats=False)
    rated_reviews(merchant, 4)
    [model] = sentiment_models_retrain_schedule(merchant=merchant, send=False, languages=["en"])

    again = sentiment_models_retrain_schedule(merchant=merchant, send=False, force=True)
    assert [m.language for m in again] == ["zh"]  # English is training already
    trained = sentiment_model_train(model=model)
    assert sentiment_model_train(model=trained).status == trained.status  # a second run: no-op
    assert SentimentModel.objects.filter(language="en").count() == 1


def test_the_real_trainer_records_both_held_out_scores(merchant, settings):
    settings.REVIEWS_RETRAIN_MIN_REVIEWS = 40
    rated_reviews(merchant, 60)
    [model] = sentiment_models_retrain_schedule(merchant=merchant, send=False, languages=["en"])
    model = sentiment_model_train(model=model, reanalyse=False)

    assert model.status in (SentimentModelStatus.ACTIVE, SentimentModelStatus.REJECTED)
    assert model.heldout_reviews > 0 and model.train_reviews > 0
    for score in (model.heldout_accuracy, model.default_accuracy, model.heldout_macro_f1):
        assert 0.0 <= score <= 1.0
    assert model.artifact
    if model.status == SentimentModelStatus.ACTIVE:
        assert sentiment.merchant_model_load(bytes(model.artifact)).predict_proba(["x"]).shape == (
            1,
        )


def test_the_retrain_task_trains_the_row_it_was_given(
    merchant, settings, small_classes, fake_trainer
):
    from reviews.tasks import reviews_sentiment_model_train

    settings.REVIEWS_RETRAIN_MIN_REVIEWS = 2
    fake_trainer(beats=False)
    rated_reviews(merchant, 4)
    [model] = sentiment_models_retrain_schedule(merchant=merchant, send=False, languages=["en"])

    assert reviews_sentiment_model_train(model_id=model.pk) == "rejected"
    assert reviews_sentiment_model_train(model_id=model.pk) == "rejected"
    assert reviews_sentiment_model_train(model_id=987654) == ""

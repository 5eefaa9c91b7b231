import random

import numpy as np
import pytest

from reviews.analysis.sentiment import (
    MIN_REVIEWS_PER_CLASS,
    TRAINER_VERSION,
    FitReport,
    merchant_model_fit,
    merchant_model_load,
)

# A made-up shop whose customers use words the default has never seen: "zork" is praise,
# "blarg" a complaint.
_POSITIVE_EN = ["zork {}", "so zork, {}", "{} totally zork", "zork zork {}"]
_NEGATIVE_EN = ["blarg {}", "really blarg, {}", "{} very blarg", "blarg again {}"]
_FILLERS = ["the lamp", "my order", "this kettle", "the strap", "the box", "our chair"]


def synthetic_reviews(positive_templates, negative_templates, fillers, n=120, seed=0):
    rng = random.Random(seed)
    texts, labels = [], []
    for _ in range(n):
        label = rng.random() < 0.6
        template = rng.choice(positive_templates if label else negative_templates)
        texts.append(template.format(rng.choice(fillers)))
        labels.append(int(label))
    return texts, labels


def test_merchant_model_fit_learns_the_merchants_own_words():
    texts, labels = synthetic_reviews(_POSITIVE_EN, _NEGATIVE_EN, _FILLERS)
    report = merchant_model_fit(texts, labels, language="en")
    assert isinstance(report, FitReport)
    assert report.trainer_version == TRAINER_VERSION
    assert report.train_reviews + report.heldout_reviews == len(texts) == report.model_reviews
    assert report.heldout_reviews == pytest.approx(0.2 * len(texts), abs=1)
    assert report.heldout_accuracy == 1.0
    assert report.heldout_macro_f1 > report.default_macro_f1
    assert report.beats_default is True
    scorer = merchant_model_load(report.model_bytes)
    assert scorer.name == "merchant"
    p = scorer.predict_proba(["zork the mug", "blarg the mug"])
    assert p[0] > 0.6 > 0.4 > p[1]


def test_merchant_model_fit_works_for_chinese():
    texts, labels = synthetic_reviews(
        ["{}很赞", "{}特别赞", "太赞了{}"],
        ["{}很坑", "{}特别坑", "太坑了{}"],
        ["杯子", "衣服", "快递"],
    )
    report = merchant_model_fit(texts, labels, language="zh")
    scorer = merchant_model_load(report.model_bytes)
    assert report.heldout_accuracy >= 0.95
    assert scorer.predict_proba(["鞋子很赞"])[0] > scorer.predict_proba(["鞋子很坑"])[0]


def test_merchant_model_bytes_round_trip_to_the_same_predictions():
    texts, labels = synthetic_reviews(_POSITIVE_EN, _NEGATIVE_EN, _FILLERS, seed=3)
    report = merchant_model_fit(texts, labels, language="en", seed=5)
    first = merchant_model_load(report.model_bytes)
    again = merchant_model_load(first.to_bytes())
    assert again.to_bytes() == report.model_bytes
    np.testing.assert_allclose(first.predict_proba(texts), again.predict_proba(texts))


def test_merchant_model_fit_is_deterministic():
    texts, labels = synthetic_reviews(_POSITIVE_EN, _NEGATIVE_EN, _FILLERS, seed=4)
    first = merchant_model_fit(texts, labels, language="en")
    second = merchant_model_fit(texts, labels, language="en")
    assert first.model_bytes == second.model_bytes
    assert first.heldout_macro_f1 == second.heldout_macro_f1


def test_merchant_model_fit_needs_enough_reviews_of_each_class():
    texts = ["zork"] * 50 + ["blarg"] * (MIN_REVIEWS_PER_CLASS - 1)
    labels = [1] * 50 + [0] * (MIN_REVIEWS_PER_CLASS - 1)
    with pytest.raises(ValueError, match="at least"):
        merchant_model_fit(texts, labels, language="en")


@pytest.mark.parametrize(
    ("texts", "labels", "language"),
    [
        (["a", "b"], [1], "en"),
        (["a"] * 30, [2] * 30, "en"),
        (["a"] * 30, [0, 1] * 15, "fr"),
    ],
)
def test_merchant_model_fit_refuses_bad_input(texts, labels, language):
    with pytest.raises(ValueError):
        merchant_model_fit(texts, labels, language=language)

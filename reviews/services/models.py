"""Writes of per-merchant sentiment models: when to train, training, activation.

A merchant's model of a language is trained on its own rated reviews in that language, with
the stars as weak labels (4-5 positive, 1-2 negative; 3 and unrated reviews are left out), by
`reviews.analysis.sentiment.merchant_model_fit`, which holds out part of the reviews and
scores both the new model and the shipped default on it. The model is activated only when it
beats the default there (`beats_default`); both scores are kept on the row either way. The
model it replaces is retired, and the language's reviews are analysed again (a backfill job).

Training is due for a language when the merchant has at least REVIEWS_RETRAIN_MIN_REVIEWS
rated reviews in it (and the trainer's minimum of each class) and, since the last model of
that language was started (whatever became of it), at least REVIEWS_RETRAIN_NEW_REVIEWS new
ones. A model row is created in status `training` before its task is sent, so a second check
never starts a second training.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Merchant
from jobs.services import BROKER_ERRORS

from ..analysis.pipeline import ANALYSED_LANGUAGES, scoring_text
from ..models import Review, SentimentModel, SentimentModelStatus

logger = logging.getLogger(__name__)

POSITIVE_RATINGS = (4, 5)
NEGATIVE_RATINGS = (1, 2)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _rated_reviews(*, merchant, language: str):
    """The merchant's reviews usable as training data in `language` (by their analysed
    language, or their own while not analysed)."""
    return Review.objects.filter(
        merchant=merchant, rating__in=POSITIVE_RATINGS + NEGATIVE_RATINGS
    ).filter(Q(analysis__language=language) | Q(analysis__isnull=True, language=language))


def _fail_stale_trainings(*, merchant) -> None:
    """A model still `training` long after it started lost its worker: mark it failed so the
    next check may start another."""
    limit = _setting("REVIEWS_RETRAIN_STALE_SECONDS", 6 * 3600)
    SentimentModel.objects.filter(
        merchant=merchant,
        status=SentimentModelStatus.TRAINING,
        created_at__lt=timezone.now() - dt.timedelta(seconds=limit),
    ).update(status=SentimentModelStatus.FAILED, error="The training never finished.")


def sentiment_model_training_due(*, merchant, language: str) -> bool:
    """Whether a new model of `language` should be trained now (see the module docstring)."""
    if language not in ANALYSED_LANGUAGES:
        return False
    from ..analysis import sentiment

    rated = _rated_reviews(merchant=merchant, language=language)
    counts = rated.aggregate(
        positive=Count("pk", filter=Q(rating__in=POSITIVE_RATINGS)),
        negative=Count("pk", filter=Q(rating__in=NEGATIVE_RATINGS)),
    )
    if counts["positive"] + counts["negative"] < _setting("REVIEWS_RETRAIN_MIN_REVIEWS", 200):
        return False
    # The trainer refuses fewer reviews of either class (a held-out split would say nothing).
    if min(counts.values()) < getattr(sentiment, "MIN_REVIEWS_PER_CLASS", 10):
        return False
    last = (
        SentimentModel.objects.filter(merchant=merchant, language=language)
        .order_by("-created_at", "-pk")
        .only("status", "created_at")
        .first()
    )
    if last is None:
        return True
    if last.status == SentimentModelStatus.TRAINING:
        return False
    new = rated.filter(imported_at__gt=last.created_at).count()
    return new >= _setting("REVIEWS_RETRAIN_NEW_REVIEWS", 100)


def _send_training(model_id: int) -> None:
    from ..tasks import reviews_sentiment_model_train

    try:
        reviews_sentiment_model_train.delay(model_id=model_id)
    except BROKER_ERRORS as exc:
        # The row stays `training`; after REVIEWS_RETRAIN_STALE_SECONDS it is failed and a
        # later check starts another.
        logger.warning("sentiment model %s: broker unavailable: %s", model_id, exc)


def sentiment_models_retrain_schedule(
    *, merchant, languages=ANALYSED_LANGUAGES, force: bool = False, send: bool = True
) -> list[SentimentModel]:
    """Create a `training` model for each language whose training is due (every language in
    `languages` with `force`, unless one is training already) and, with `send`, send its
    training task once the transaction commits. Returns the new rows."""
    _fail_stale_trainings(merchant=merchant)
    started = []
    for language in languages:
        if language not in ANALYSED_LANGUAGES:
            continue
        with transaction.atomic():
            # Lock the merchant's row (PostgreSQL; SQLite serialises writers) so two checks
            # at the same moment create one training row, not two.
            Merchant.objects.select_for_update().filter(pk=merchant.pk).first()
            busy = SentimentModel.objects.filter(
                merchant=merchant, language=language, status=SentimentModelStatus.TRAINING
            ).exists()
            if busy:
                continue
            if not force and not sentiment_model_training_due(merchant=merchant, language=language):
                continue
            model = SentimentModel.objects.create(
                merchant=merchant, language=language, status=SentimentModelStatus.TRAINING
            )
            if send:
                transaction.on_commit(lambda pk=model.pk: _send_training(pk), robust=True)
            started.append(model)
    return started


def _training_data(*, merchant, language: str) -> tuple[list[str], list[int]]:
    limit = _setting("REVIEWS_RETRAIN_MAX_REVIEWS", 50_000)
    rows = list(
        _rated_reviews(merchant=merchant, language=language)
        .order_by("-pk")
        .values_list("title", "body", "rating")[:limit]
    )
    rows.reverse()  # oldest first: the same data gives the same split
    # The text the scorer reads at analysis time (title and body as one passage).
    texts = [scoring_text({"title": title, "body": body}) for title, body, _rating in rows]
    labels = [1 if rating in POSITIVE_RATINGS else 0 for _t, _b, rating in rows]
    return texts, labels


def sentiment_model_train(*, model: SentimentModel, reanalyse: bool = True) -> SentimentModel:
    """Train a `training` model row, record its held-out scores and the default's, and
    activate it when it beats the default (retiring the active one) or reject it.

    With `reanalyse`, an activated model starts a backfill job of its language. A model that is
    not `training` any more is returned untouched (the task ran twice). A training error marks
    the row failed with the error.
    """
    from ..analysis.sentiment import merchant_model_fit

    if model.status != SentimentModelStatus.TRAINING:
        return model
    texts, labels = _training_data(merchant=model.merchant, language=model.language)
    try:
        report = merchant_model_fit(texts, labels, language=model.language)
    except Exception as exc:  # a fit that cannot be made (one class only, too little data)
        logger.warning("sentiment model %s failed: %s", model.pk, exc)
        SentimentModel.objects.filter(pk=model.pk, status=SentimentModelStatus.TRAINING).update(
            status=SentimentModelStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            train_reviews=len(texts),
        )
        model.refresh_from_db()
        return model

    with transaction.atomic():
        locked = (
            SentimentModel.objects.select_for_update()
            .filter(merchant=model.merchant, language=model.language)
            .order_by("pk")
        )
        current = {row.pk: row for row in locked}.get(model.pk)
        if current is None or current.status != SentimentModelStatus.TRAINING:
            return current or model
        current.trainer_version = str(report.trainer_version)[:40]
        current.train_reviews = report.train_reviews
        current.heldout_reviews = report.heldout_reviews
        current.heldout_accuracy = report.heldout_accuracy
        current.heldout_macro_f1 = report.heldout_macro_f1
        current.default_accuracy = report.default_accuracy
        current.default_macro_f1 = report.default_macro_f1
        current.artifact = report.model_bytes
        if report.beats_default:
            SentimentModel.objects.filter(
                merchant=model.merchant,
                language=model.language,
                status=SentimentModelStatus.ACTIVE,
            ).update(status=SentimentModelStatus.RETIRED)
            current.status = SentimentModelStatus.ACTIVE
        else:
            current.status = SentimentModelStatus.REJECTED
        current.save()
        if current.status == SentimentModelStatus.ACTIVE and reanalyse:
            from .analysis import reviews_backfill_start

            reviews_backfill_start(merchant=model.merchant, language=model.language)
    return current


def sentiment_model_retire(*, model: SentimentModel) -> SentimentModel:
    """Stop using an active merchant model: its language goes back to the default, and its
    reviews are analysed again."""
    from .analysis import reviews_backfill_start

    with transaction.atomic():
        updated = SentimentModel.objects.filter(
            pk=model.pk, status=SentimentModelStatus.ACTIVE
        ).update(status=SentimentModelStatus.RETIRED)
        if updated:
            reviews_backfill_start(merchant=model.merchant, language=model.language)
    model.refresh_from_db()
    return model

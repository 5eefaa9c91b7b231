"""Review analysis on Celery, all on the `default` queue (no language model involved).

Thin: each task re-fetches by id, returns when there is nothing to do, and calls one service.

- `reviews_analyse_batch`: the reviews just written (API, admin, imports), up to
  REVIEWS_ANALYSIS_BATCH per task; no Job row (they are many and short). Then checks whether a
  merchant model is due for training.
- `reviews_backfill`: a `review_backfill` Job with progress (big re-analyses, new models).
- `reviews_sentiment_model_train`: trains one `training` SentimentModel row.
- `reviews_analyse_pending_all` (beat, every REVIEWS_SWEEP_SECONDS): the safety net for
  reviews nobody asked about (bulk writes, a broker that was down, lost tasks).
- `reviews_topics_rebuild_all` (beat, nightly) -> `reviews_topics_rebuild` per merchant.
"""

from __future__ import annotations

from celery import shared_task

from accounts.models import Merchant
from jobs.runner import JobRun, job_task

# The language-model tasks live with their code; importing them here lets autodiscovery find them.
from .llm.tasks import llm_review_reply, llm_review_summaries  # noqa: E402,F401
from .models import SentimentModel, SentimentModelStatus
from .services.analysis import (
    BACKFILL_TASK,
    reviews_analyse,
    reviews_analyse_pending,
    reviews_backfill_run,
)
from .services.models import sentiment_model_train, sentiment_models_retrain_schedule
from .services.topics import topics_rebuild


def _merchant(merchant_id: int):
    return Merchant.objects.filter(pk=merchant_id, is_active=True).first()


@shared_task(ignore_result=True)
def reviews_analyse_batch(*, merchant_id: int, review_ids: list[int]) -> int:
    """Analyse those of `review_ids` that still need it; returns how many were analysed."""
    merchant = _merchant(merchant_id)
    if merchant is None or not review_ids:
        return 0
    report = reviews_analyse(merchant=merchant, review_ids=[int(i) for i in review_ids])
    if report.analysed:
        sentiment_models_retrain_schedule(merchant=merchant)
    return report.analysed


@job_task(name=BACKFILL_TASK)
def reviews_backfill(run: JobRun, *, language: str = ""):
    """Analyse every review of the job's merchant that needs it, with progress; then
    regroup complaint topics and schedule due retraining."""
    return reviews_backfill_run(run=run, language=language)


@shared_task(ignore_result=True)
def reviews_sentiment_model_train(*, model_id: int) -> str:
    """Train one merchant model row that is still `training`; returns its final status."""
    model = SentimentModel.objects.select_related("merchant").filter(pk=model_id).first()
    if model is None:
        return ""
    if model.status != SentimentModelStatus.TRAINING:
        return model.status
    return sentiment_model_train(model=model).status


@shared_task(ignore_result=True)
def reviews_analyse_pending_all() -> int:
    """Beat: for every active merchant, send what waits for analysis and check retraining."""
    waiting = 0
    for merchant in Merchant.objects.filter(is_active=True):
        waiting += reviews_analyse_pending(merchant=merchant)
        sentiment_models_retrain_schedule(merchant=merchant)
    return waiting


@shared_task(ignore_result=True)
def reviews_topics_rebuild_all() -> None:
    """Beat, nightly: one topic rebuild task per active merchant."""
    for merchant_id in Merchant.objects.filter(is_active=True).values_list("pk", flat=True):
        reviews_topics_rebuild.delay(merchant_id=merchant_id)


@shared_task(ignore_result=True)
def reviews_topics_rebuild(*, merchant_id: int) -> int:
    """Regroup one merchant's complaint topics; returns the number of topics."""
    merchant = _merchant(merchant_id)
    if merchant is None:
        return 0
    return topics_rebuild(merchant=merchant).topics

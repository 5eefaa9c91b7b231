"""Writes of review analyses: analyse what needs it, in batches, and start backfills.

A review needs analysis when it has none, when its analysis was made by another analyser
version (`reviews.analysis.pipeline.ANALYSER_VERSION`) or marked stale (the review changed, or
somebody asked for a re-analysis), or when its language's sentiment model changed (a merchant
model was activated or retired). `reviews.selectors.insights.reviews_needing_analysis` is that
rule; everything here only ever analyses what it selects, so every entry point is incremental
and safe to repeat.

Three ways in:
- **as reviews arrive** (API, admin, imports): `reviews_analysis_request(merchant_id=...,
  review_ids=...)` sends plain Celery tasks of up to REVIEWS_ANALYSIS_BATCH reviews after the
  transaction commits (no Job row per arrival); more than REVIEWS_BACKFILL_THRESHOLD reviews
  at once start a backfill job instead;
- **backfills** (`POST reviews/analyse/`, a new analyser version, a new merchant model, the
  sweep finding many reviews waiting): `reviews_backfill_start` submits a `review_backfill`
  Job with progress, which analyses, rebuilds the complaint topics and checks retraining;
- **in-process** (demo seed, shell): `reviews_analyse_sync(merchant=...)`.

The periodic sweep (`reviews.tasks.reviews_analyse_pending_all`) picks up whatever the others
missed: reviews bulk-created without a request, a broker that was down, a lost task.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.models import Job, JobKind, JobStatus
from jobs.services import BROKER_ERRORS, job_submit

from ..analysis.pipeline import ANALYSER_VERSION, ReviewInput, analyse_reviews
from ..models import (
    Aspect,
    AspectMention,
    Review,
    ReviewAnalysis,
    Sentiment,
    SentimentModel,
    SentimentModelStatus,
)
from ..selectors.insights import reviews_needing_analysis

logger = logging.getLogger(__name__)

BACKFILL_TASK = "reviews.tasks.reviews_backfill"
_ASPECTS = set(Aspect.values)
_POLARITIES = set(Sentiment.values)
_SPAN_MAX = AspectMention._meta.get_field("span_text").max_length
_ANALYSIS_FIELDS = [
    "merchant",
    "product",
    "analyser_version",
    "language",
    "sentiment",
    "sentiment_score",
    "sentiment_model",
    "analysed_at",
]
# What the analysis of a review depends on: a review whose values changed between reading and
# writing is left for the next run (its change already asked for one).
_INPUT_FIELDS = ("pk", "product_id", "title", "body", "rating", "language")


def analysis_batch_size() -> int:
    return max(1, int(getattr(settings, "REVIEWS_ANALYSIS_BATCH", 1000)))


def backfill_threshold() -> int:
    return max(1, int(getattr(settings, "REVIEWS_BACKFILL_THRESHOLD", 5000)))


def _chunks(items: Sequence[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


# --- Merchant models ---------------------------------------------------------------------------

# Loaded merchant models by SentimentModel pk: an artifact never changes once written.
_SCORERS: OrderedDict[int, object] = OrderedDict()
_SCORERS_MAX = 16


def _scorer_for(model_id: int, artifact: bytes):
    from ..analysis.sentiment import merchant_model_load

    scorer = _SCORERS.get(model_id)
    if scorer is None:
        scorer = merchant_model_load(bytes(artifact))
        _SCORERS[model_id] = scorer
        while len(_SCORERS) > _SCORERS_MAX:
            _SCORERS.popitem(last=False)
    else:
        _SCORERS.move_to_end(model_id)
    return scorer


def merchant_scorers(*, merchant) -> dict[str, tuple[str, object]]:
    """language -> (model key, scorer) for the merchant's active models (none: the default)."""
    scorers = {}
    active = SentimentModel.objects.filter(
        merchant=merchant, status=SentimentModelStatus.ACTIVE, artifact__isnull=False
    ).values_list("pk", "language", "artifact")
    for model_id, language, artifact in active:
        scorers[language] = (f"merchant:{model_id}", _scorer_for(model_id, artifact))
    return scorers


# --- Analysing ---------------------------------------------------------------------------------


@dataclass
class AnalyseReport:
    analysed: int = 0
    # Reviews that changed or disappeared while their batch was analysed (left for later).
    skipped: int = 0


def _analyse_chunk(*, merchant, review_ids: list[int], scorers, language: str) -> AnalyseReport:
    """Analyse those of `review_ids` that still need it; one transaction for the writes."""
    rows = list(
        reviews_needing_analysis(merchant=merchant, language=language)
        .filter(pk__in=review_ids)
        .order_by("pk")
        .values_list(*_INPUT_FIELDS)
    )
    if not rows:
        return AnalyseReport()
    results = analyse_reviews(
        [ReviewInput(title=row[2], body=row[3], rating=row[4], language=row[5]) for row in rows],
        scorers=scorers,
    )
    now = timezone.now()
    with transaction.atomic():
        # Lock the reviews (PostgreSQL; SQLite serialises writers anyway) and keep only those
        # unchanged since they were read: two runs never interleave their aspect rows, and an
        # edit made meanwhile is never covered by an analysis of the old text.
        current = {
            row[0]: row
            for row in Review.objects.select_for_update()
            .filter(merchant=merchant, pk__in=[row[0] for row in rows])
            .order_by("pk")
            .values_list(*_INPUT_FIELDS)
        }
        kept = [
            (row, result)
            for row, result in zip(rows, results, strict=True)
            if current.get(row[0]) == row
        ]
        if not kept:
            return AnalyseReport(skipped=len(rows))
        ReviewAnalysis.objects.bulk_create(
            [
                ReviewAnalysis(
                    review_id=row[0],
                    merchant_id=merchant.pk,
                    product_id=row[1],
                    analyser_version=ANALYSER_VERSION,
                    language=result.language,
                    sentiment=result.sentiment,
                    sentiment_score=round(result.score, 6),
                    sentiment_model=result.model,
                    analysed_at=now,
                )
                for row, result in kept
            ],
            update_conflicts=True,
            unique_fields=["review"],
            update_fields=_ANALYSIS_FIELDS,
            batch_size=analysis_batch_size(),
        )
        kept_ids = [row[0] for row, _result in kept]
        # A review that is no longer negative leaves its complaint topic; topics themselves
        # are only regrouped by the topic rebuild.
        ReviewAnalysis.objects.filter(review_id__in=kept_ids, topic__isnull=False).exclude(
            sentiment=Sentiment.NEGATIVE
        ).update(topic=None)
        AspectMention.objects.filter(analysis_id__in=kept_ids).delete()
        AspectMention.objects.bulk_create(
            [
                AspectMention(
                    analysis_id=row[0],
                    merchant_id=merchant.pk,
                    product_id=row[1],
                    aspect=hit.aspect,
                    polarity=hit.polarity,
                    span_start=max(0, hit.start),
                    span_end=max(hit.start, hit.end),
                    span_text=hit.text[:_SPAN_MAX],
                )
                for row, result in kept
                for hit in result.aspects
                if hit.aspect in _ASPECTS and hit.polarity in _POLARITIES
            ],
            batch_size=analysis_batch_size(),
        )
    return AnalyseReport(analysed=len(kept), skipped=len(rows) - len(kept))


def reviews_analyse(
    *,
    merchant,
    review_ids: Sequence[int] | None = None,
    language: str = "",
    on_batch: Callable[[int], None] | None = None,
) -> AnalyseReport:
    """Analyse the merchant's reviews that need it (all of them, or those among `review_ids`;
    only one language's with `language`), REVIEWS_ANALYSIS_BATCH at a time.

    Each batch is read in one query, analysed in one pipeline call and written in one
    transaction (upsert of the analyses, aspect rows replaced). `on_batch(n)` is called after
    each batch with the number of review ids it covered (progress reporting; it may raise to
    stop, e.g. `JobCancelled`). Returns how many reviews were analysed and skipped.
    """
    if review_ids is None:
        review_ids = list(
            reviews_needing_analysis(merchant=merchant, language=language)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    else:
        review_ids = sorted(set(review_ids))
    report = AnalyseReport()
    if not review_ids:
        return report
    scorers = merchant_scorers(merchant=merchant)
    for chunk in _chunks(review_ids, analysis_batch_size()):
        done = _analyse_chunk(
            merchant=merchant, review_ids=chunk, scorers=scorers, language=language
        )
        report.analysed += done.analysed
        report.skipped += done.skipped
        if on_batch is not None:
            on_batch(len(chunk))
    return report


def reviews_mark_stale(*, merchant_id: int, review_ids: Sequence[int] | None = None, language=""):
    """Mark analyses outdated (re-analysed by the next run); all of the merchant's without ids.

    The old results stay visible until they are replaced. Returns the rows marked.
    """
    analyses = ReviewAnalysis.objects.filter(merchant_id=merchant_id)
    if language:
        analyses = analyses.filter(language=language)
    if review_ids is None:
        return analyses.exclude(analyser_version="").update(analyser_version="")
    marked = 0
    for chunk in _chunks(sorted(set(review_ids)), analysis_batch_size()):
        marked += analyses.filter(review_id__in=chunk).update(analyser_version="")
    return marked


# --- Starting the work -------------------------------------------------------------------------


def _send_batches(merchant_id: int, review_ids: list[int]) -> None:
    from ..tasks import reviews_analyse_batch

    for chunk in _chunks(review_ids, analysis_batch_size()):
        try:
            reviews_analyse_batch.delay(merchant_id=merchant_id, review_ids=chunk)
        except BROKER_ERRORS as exc:
            # The reviews stay unanalysed; the periodic sweep sends them once the broker is back.
            logger.warning("reviews of merchant %s: broker unavailable: %s", merchant_id, exc)
            return


def reviews_analysis_request(
    *, merchant_id: int, review_ids: Sequence[int], stale: bool = False
) -> None:
    """Ask for the analysis of reviews just written (created, edited, imported).

    Call it inside the transaction that wrote them; the work is sent when it commits.
    `stale=True` marks their current analyses outdated first (the text or rating changed).
    Up to REVIEWS_BACKFILL_THRESHOLD reviews go as plain tasks of REVIEWS_ANALYSIS_BATCH
    reviews on the `default` queue; more start one backfill job, with progress.
    A broker that is down never fails the write: the sweep analyses them later.
    """
    review_ids = sorted(set(review_ids))
    if not review_ids:
        return
    if stale:
        reviews_mark_stale(merchant_id=merchant_id, review_ids=review_ids)
    if len(review_ids) > backfill_threshold():
        from accounts.models import Merchant

        reviews_backfill_start(merchant=Merchant.objects.get(pk=merchant_id))
        return
    transaction.on_commit(lambda: _send_batches(merchant_id, review_ids), robust=True)


def reviews_backfill_start(
    *, merchant, started_by=None, language: str = "", force: bool = False
) -> Job:
    """Start (or join) a `review_backfill` job analysing every review of the merchant that
    needs it (one language's with `language`), then rebuilding its complaint topics.

    `force` marks the existing analyses outdated first, so everything is analysed again.
    A backfill of the merchant that is still queued covers the new work too and is returned
    instead of a second one. The job's total is the number of reviews waiting now.
    """
    if force:
        reviews_mark_stale(merchant_id=merchant.pk, language=language)
    kwargs = {"language": language}
    waiting = (
        Job.objects.filter(
            merchant=merchant,
            kind=JobKind.REVIEW_BACKFILL,
            status=JobStatus.QUEUED,
            task_kwargs=kwargs,
            cancel_requested=False,
        )
        .order_by("-created_at")
        .first()
    )
    if waiting is not None:
        return waiting
    pending = reviews_needing_analysis(merchant=merchant, language=language).count()
    if language:
        title = _("Review analysis (%(language)s)") % {"language": language}
    else:
        title = _("Review analysis")
    return job_submit(
        merchant=merchant,
        kind=JobKind.REVIEW_BACKFILL,
        title=title,
        started_by=started_by,
        task_name=BACKFILL_TASK,
        task_kwargs=kwargs,
        total=pending,
    )


def reviews_backfill_run(*, run, language: str = ""):
    """The backfill job's body (`reviews.tasks.reviews_backfill`): analyse with progress,
    regroup complaint topics, schedule any retraining that is due. Safe to run again: a
    re-sent job continues with what still needs analysis."""
    from jobs.runner import JobOutcome

    from .models import sentiment_models_retrain_schedule
    from .topics import topics_rebuild

    merchant = run.merchant
    review_ids = list(
        reviews_needing_analysis(merchant=merchant, language=language)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    run.progress(
        done=0,
        total=len(review_ids),
        message=_("Analysing %(count)d reviews") % {"count": len(review_ids)},
    )
    report = reviews_analyse(
        merchant=merchant,
        review_ids=review_ids,
        language=language,
        on_batch=lambda n: run.progress(advance=n),
    )
    run.progress(message=_("Grouping complaints into topics"))
    topics = topics_rebuild(merchant=merchant)
    retraining = sentiment_models_retrain_schedule(merchant=merchant)
    return JobOutcome(
        summary={
            "analysed": report.analysed,
            "skipped": report.skipped,
            "topics": topics.topics,
            "retraining": [model.language for model in retraining],
        },
        url=reverse("review-list"),
        message=_("%(count)d reviews analysed, %(topics)d complaint topics")
        % {"count": report.analysed, "topics": topics.topics},
    )


def reviews_analyse_pending(*, merchant) -> int:
    """The sweep for one merchant: send what waits as batches, or one backfill job when much
    waits. Returns how many reviews were waiting."""
    review_ids = list(
        reviews_needing_analysis(merchant=merchant).order_by("pk").values_list("pk", flat=True)
    )
    if len(review_ids) > backfill_threshold():
        reviews_backfill_start(merchant=merchant)
    elif review_ids:
        transaction.on_commit(lambda: _send_batches(merchant.pk, review_ids), robust=True)
    return len(review_ids)


def reviews_analyse_sync(*, merchant, train_models: bool = True) -> int:
    """Analyse every review of the merchant that needs it, in this process, then train the
    merchant's sentiment models that are due (a model that beats the default is activated and
    its language analysed again) and rebuild the complaint topics. No task is sent: for the
    demo seed and the shell. Returns the number of reviews analysed."""
    from .models import sentiment_model_train, sentiment_models_retrain_schedule
    from .topics import topics_rebuild

    analysed = reviews_analyse(merchant=merchant).analysed
    if train_models:
        for model in sentiment_models_retrain_schedule(merchant=merchant, send=False):
            model = sentiment_model_train(model=model, reanalyse=False)
            if model.status == SentimentModelStatus.ACTIVE:
                analysed += reviews_analyse(merchant=merchant, language=model.language).analysed
    topics_rebuild(merchant=merchant)
    return analysed

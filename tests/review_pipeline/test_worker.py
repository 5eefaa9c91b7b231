"""A real `celery worker` process analyses reviews end to end (batch task and backfill job)."""

from __future__ import annotations

import time

import pytest

from jobs.models import JobKind, JobStatus
from jobs.services import job_submit
from reviews.analysis.pipeline import ANALYSER_VERSION
from reviews.models import AspectMention, ReviewAnalysis
from reviews.services.analysis import BACKFILL_TASK
from reviews.tasks import reviews_analyse_batch
from tests.core.test_celery_worker import real_worker, worker_queue  # noqa: F401
from tests.factories import MerchantFactory, ProductFactory, ReviewFactory

TIMEOUT = 90
TEXTS = [
    ("The lid leaks and my bag was soaked. Terrible.", 1, "en"),
    ("Great bottle, keeps water cold all day. Love it.", 5, "en"),
    ("盖子漏水，质量太差了，很失望。", 1, "zh"),
    ("物流很快，包装很好，非常满意。", 5, "zh"),
]


def wait_until(condition, worker, what: str):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"{what} never happened:\n{worker.log}")


def make_reviews(merchant, copies: int):
    product = ProductFactory(merchant=merchant, category="Drinkware")
    return [
        ReviewFactory(product=product, title="", body=text, rating=rating, language=language)
        for _ in range(copies)
        for text, rating, language in TEXTS
    ]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_analyses_a_batch_of_new_reviews(real_worker, worker_queue):  # noqa: F811
    merchant = MerchantFactory(slug="worker-reviews")
    reviews = make_reviews(merchant, 5)

    reviews_analyse_batch.apply_async(
        kwargs={"merchant_id": merchant.pk, "review_ids": [r.pk for r in reviews]},
        queue=worker_queue,
    )

    wait_until(
        lambda: ReviewAnalysis.objects.filter(merchant=merchant).count() == len(reviews),
        real_worker,
        "the analysis of 20 reviews",
    )
    analyses = ReviewAnalysis.objects.filter(merchant=merchant)
    assert {a.analyser_version for a in analyses} == {ANALYSER_VERSION}
    by_text = {a.review.body: a.sentiment for a in analyses.select_related("review")}
    assert by_text[TEXTS[0][0]] == "negative" and by_text[TEXTS[1][0]] == "positive"
    assert by_text[TEXTS[2][0]] == "negative" and by_text[TEXTS[3][0]] == "positive"
    assert AspectMention.objects.filter(merchant=merchant).exists()
    assert "reviews.tasks.reviews_analyse_batch" in real_worker.log


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_backfill_job_with_progress(real_worker, worker_queue):  # noqa: F811
    merchant = MerchantFactory(slug="worker-backfill")
    reviews = make_reviews(merchant, 10)

    job = job_submit(
        merchant=merchant,
        kind=JobKind.REVIEW_BACKFILL,
        title="Review analysis",
        task_name=BACKFILL_TASK,
        task_kwargs={"language": ""},
        queue=worker_queue,
        total=len(reviews),
    )

    def finished():
        job.refresh_from_db()
        assert job.status != JobStatus.FAILED, job.error
        return job.status == JobStatus.SUCCEEDED

    wait_until(finished, real_worker, "the backfill job")
    assert (job.progress_done, job.progress_total, job.percent) == (40, 40, 100)
    assert job.result["analysed"] == 40
    assert ReviewAnalysis.objects.filter(merchant=merchant).count() == 40

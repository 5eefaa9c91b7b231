"""The beat tasks: the sweep analyses what nobody asked about; topics are rebuilt nightly."""

import pytest

from jobs.models import Job, JobKind
from reviews.models import ComplaintTopic, ReviewAnalysis
from reviews.tasks import (
    reviews_analyse_pending_all,
    reviews_topics_rebuild,
    reviews_topics_rebuild_all,
)
from tests.factories import MerchantFactory, ProductFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def test_the_sweep_analyses_reviews_written_without_a_request(merchant, other_merchant, on_commit):
    # Bulk-written reviews (an import that bypassed the services, the demo seed) and reviews
    # whose task was lost.
    ReviewFactory.create_batch(3, product=ProductFactory(merchant=merchant), body="Great.")
    ReviewFactory.create_batch(2, product=ProductFactory(merchant=other_merchant), body="Bad.")
    asleep = MerchantFactory(is_active=False)
    ReviewFactory(product=ProductFactory(merchant=asleep))

    with on_commit():
        assert reviews_analyse_pending_all() == 5

    assert ReviewAnalysis.objects.filter(merchant=merchant).count() == 3
    assert ReviewAnalysis.objects.filter(merchant=other_merchant).count() == 2
    assert not ReviewAnalysis.objects.filter(merchant=asleep).exists()
    with on_commit():
        assert reviews_analyse_pending_all() == 0
    assert not Job.objects.exists()  # small amounts go as plain tasks


def test_the_sweep_starts_one_backfill_job_when_much_is_waiting(merchant, settings, on_commit):
    settings.REVIEWS_BACKFILL_THRESHOLD = 3
    ReviewFactory.create_batch(5, product=ProductFactory(merchant=merchant))

    with on_commit():
        reviews_analyse_pending_all()

    job = Job.objects.get()
    assert (job.kind, job.status, job.progress_total, job.progress_done) == (
        JobKind.REVIEW_BACKFILL,
        "succeeded",
        5,
        5,
    )
    assert ReviewAnalysis.objects.count() == 5


def test_a_queued_backfill_is_joined_instead_of_starting_another(merchant, settings):
    from reviews.services.analysis import reviews_backfill_start

    ReviewFactory.create_batch(2, product=ProductFactory(merchant=merchant))
    first = reviews_backfill_start(merchant=merchant)  # no commit: it stays queued
    assert reviews_backfill_start(merchant=merchant) == first
    assert reviews_backfill_start(merchant=merchant, language="zh") != first


def test_topics_are_rebuilt_nightly_for_every_active_merchant(merchant, on_commit):
    from reviews.services.analysis import reviews_analyse

    from .test_topics import LEAKS

    product = ProductFactory(merchant=merchant)
    for text in LEAKS:
        ReviewFactory(product=product, title="", body=text, rating=1)
    reviews_analyse(merchant=merchant)
    assert ReviewAnalysis.objects.filter(sentiment="negative").count() >= 3

    with on_commit():
        reviews_topics_rebuild_all()

    assert ComplaintTopic.objects.filter(merchant=merchant).exists()
    assert reviews_topics_rebuild(merchant_id=987654) == 0

"""Reviews written through the API, the admin or a service are analysed once they commit."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reviews.models import Review, ReviewAnalysis
from reviews.services.analysis import reviews_analysis_request
from reviews.services.reviews import review_create, review_update
from tests.factories import ProductFactory, ReviewFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:review-list")


def test_a_review_posted_to_the_api_is_analysed_after_the_commit(api, bottle, on_commit):
    payload = {"product": bottle.pk, "rating": 1, "body": "The lid leaks, terrible bottle."}
    with on_commit():
        response = api.post(LIST, payload, format="json")
    assert response.status_code == 201, response.content

    analysis = ReviewAnalysis.objects.get(review_id=response.json()["id"])
    assert (analysis.sentiment, analysis.language, analysis.merchant_id) == (
        "negative",
        "en",
        bottle.merchant_id,
    )
    detail = api.get(reverse("api:review-detail", kwargs={"review_id": analysis.review_id}))
    assert detail.json()["analysis"]["sentiment"] == "negative"


def test_nothing_is_analysed_when_the_transaction_does_not_commit(
    bottle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review_create(merchant=bottle.merchant, product=bottle, body="Great, I love it.", rating=5)
    assert len(callbacks) == 1  # waiting for the commit
    assert not ReviewAnalysis.objects.exists()


def test_editing_the_text_analyses_the_review_again(api, bottle, on_commit):
    with on_commit():
        review = review_create(
            merchant=bottle.merchant, product=bottle, body="Great, I love it.", rating=5
        )
    assert ReviewAnalysis.objects.get(pk=review.pk).sentiment == "positive"

    with on_commit():
        response = api.patch(
            reverse("api:review-detail", kwargs={"review_id": review.pk}),
            {"body": "It broke and the lid leaks. Terrible.", "rating": 1},
            format="json",
        )
    assert response.status_code == 200
    # Answered before the commit: the old analysis, marked as waiting for the new one.
    assert response.json()["analysis"]["current"] is False
    assert ReviewAnalysis.objects.get(pk=review.pk).sentiment == "negative"
    again = api.get(reverse("api:review-detail", kwargs={"review_id": review.pk})).json()
    assert (again["analysis"]["sentiment"], again["analysis"]["current"]) == ("negative", True)


def test_an_edit_that_changes_nothing_analysed_sends_no_work(bottle, on_commit):
    with on_commit():
        review = review_create(merchant=bottle.merchant, product=bottle, body="Great.", rating=5)
    with on_commit() as callbacks:
        review_update(review=review, author_name="Ann")
    assert callbacks == []


def test_a_review_added_in_the_admin_is_analysed(client, bottle, on_commit):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-123-xyz")
    client.force_login(admin)
    url = reverse("admin:reviews_review_add")
    form = {
        "product": bottle.pk,
        "source": "manual",
        "rating": 1,
        "body": "Terrible, the lid leaks.",
        "created_at_0": "2025-06-01",
        "created_at_1": "10:00:00",
        "external_id": "",
        "title": "",
        "language": "",
        "author_name": "",
        "reply_text": "",
    }
    with on_commit():
        response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    review = Review.objects.get()
    assert ReviewAnalysis.objects.get(pk=review.pk).sentiment == "negative"


def test_the_admin_action_analyses_the_selected_reviews_again(client, bottle, on_commit):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-123-xyz")
    client.force_login(admin)
    reviews = ReviewFactory.create_batch(2, product=bottle, body="Great, love it.")
    with on_commit():
        reviews_analysis_request(merchant_id=bottle.merchant_id, review_ids=[r.pk for r in reviews])
    ReviewAnalysis.objects.update(sentiment="negative")  # as an older analyser might have said

    with on_commit():
        response = client.post(
            reverse("admin:reviews_review_changelist"),
            {"action": "reanalyse", "_selected_action": [reviews[0].pk]},
        )
    assert response.status_code == 302
    sentiments = dict(ReviewAnalysis.objects.values_list("review_id", "sentiment"))
    assert sentiments == {reviews[0].pk: "positive", reviews[1].pk: "negative"}


def test_a_large_import_starts_one_backfill_job_instead_of_many_tasks(
    merchant, settings, on_commit
):
    from jobs.models import Job, JobKind

    settings.REVIEWS_BACKFILL_THRESHOLD = 5
    reviews = ReviewFactory.create_batch(8, product=ProductFactory(merchant=merchant))
    with on_commit():
        reviews_analysis_request(merchant_id=merchant.pk, review_ids=[r.pk for r in reviews])

    job = Job.objects.get(kind=JobKind.REVIEW_BACKFILL)
    assert (job.status, job.progress_done, job.result["analysed"]) == ("succeeded", 8, 8)
    assert ReviewAnalysis.objects.count() == 8


def test_a_broker_that_is_down_never_fails_the_write(api, bottle, on_commit):
    from tests.jobs.broker import broker_down

    with broker_down(), on_commit():
        response = api.post(LIST, {"product": bottle.pk, "body": "Fine."}, format="json")
    assert response.status_code == 201
    assert Review.objects.count() == 1
    assert not ReviewAnalysis.objects.exists()  # the sweep analyses it once the broker is back

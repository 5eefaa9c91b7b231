"""The API of summaries and reply drafts: start (202 + job), read, roles, the content API."""

import pytest

from jobs.models import Job, JobStatus
from products.content.models import ContentDraft, DraftStatus

from .conftest import use_model
from .factories import ReplyDraftFactory, ReviewSummaryFactory

pytestmark = pytest.mark.django_db


def summaries_url(product):
    return f"/api/v1/products/{product.pk}/review-summaries/"


def replies_url(review):
    return f"/api/v1/reviews/{review.pk}/reply-drafts/"


def test_starting_a_summary_answers_202_with_the_job(
    analyst_api, bottle, bottle_reviews, on_commit
):
    with use_model(lambda request: "- The lid leaks water [R1]"), on_commit():
        response = analyst_api.post(summaries_url(bottle), {"language": "en"}, format="json")

    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["job_id"])
    assert job.status == JobStatus.SUCCEEDED
    latest = analyst_api.get(summaries_url(bottle) + "latest/").json()
    assert latest["method"] == "model" and latest["language"] == "en"
    [statement] = latest["statements"]
    assert statement["text"] == "The lid leaks water."
    assert statement["review_ids"] == [bottle_reviews[0].pk]
    assert statement["citations"] == [
        {"review_id": bottle_reviews[0].pk, "url": f"/reviews/{bottle_reviews[0].pk}/"}
    ]


def test_bad_summary_options_are_a_400(owner_api, bottle):
    response = owner_api.post(summaries_url(bottle), {"aspect": "smell"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    response = owner_api.post(summaries_url(bottle), {"language": "other"}, format="json")
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_the_latest_summary_is_a_404_until_there_is_one(owner_api, bottle):
    response = owner_api.get(summaries_url(bottle) + "latest/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    ReviewSummaryFactory(product=bottle, aspect="shipping", language="zh")
    assert owner_api.get(summaries_url(bottle) + "latest/").status_code == 404
    found = owner_api.get(summaries_url(bottle) + "latest/?aspect=shipping&language=zh")
    assert found.status_code == 200 and found.json()["aspect"] == "shipping"


def test_summaries_are_listed_newest_first(owner_api, bottle):
    old = ReviewSummaryFactory(product=bottle)
    new = ReviewSummaryFactory(product=bottle)
    body = owner_api.get(summaries_url(bottle)).json()
    assert [item["id"] for item in body["results"]] == [new.pk, old.pk]


def test_a_viewer_reads_but_cannot_start(viewer_api, bottle, bottle_reviews):
    assert viewer_api.get(summaries_url(bottle)).status_code == 200
    assert viewer_api.post(summaries_url(bottle), {}, format="json").status_code == 403
    assert viewer_api.post(replies_url(bottle_reviews[0]), {}, format="json").status_code == 403
    assert not Job.objects.exists()


def test_a_reply_draft_is_started_listed_and_published_through_the_content_api(
    analyst_api, manager_api, bottle_reviews, on_commit
):
    review = bottle_reviews[0]
    with use_model(lambda request: "Thank you. We are sorry the lid leaks."), on_commit():
        response = analyst_api.post(
            replies_url(review), {"template": "", "candidates": 1}, format="json"
        )
    assert response.status_code == 202
    [draft] = analyst_api.get(replies_url(review)).json()["results"]
    assert draft["kind"] == "review_reply" and draft["review"] == review.pk
    assert draft["status"] == "draft" and draft["addressed_aspects"] == ["quality"]

    assert analyst_api.post(f"/api/v1/content/drafts/{draft['id']}/approve/").status_code == 403
    assert manager_api.post(f"/api/v1/content/drafts/{draft['id']}/approve/").status_code == 200
    published = manager_api.post(f"/api/v1/content/drafts/{draft['id']}/publish/")
    assert published.status_code == 200
    assert published.json()["version"] is None
    assert published.json()["draft"]["status"] == "published"
    review.refresh_from_db()
    assert review.reply_text == "Thank you. We are sorry the lid leaks."
    detail = manager_api.get(f"/api/v1/content/drafts/{draft['id']}/").json()
    assert detail["current_text"] == review.reply_text


def test_reply_generation_options_are_validated(owner_api, bottle_reviews):
    response = owner_api.post(
        replies_url(bottle_reviews[0]), {"candidates": 9, "template": "x" * 2001}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"candidates", "template"}


def test_the_content_generate_api_refuses_the_reply_kind(owner_api, bottle):
    response = owner_api.post(
        f"/api/v1/products/{bottle.pk}/content/generate/", {"kind": "review_reply"}, format="json"
    )
    assert response.status_code == 400
    assert "kind" in response.json()["error"]["fields"]


def test_publishing_twice_is_a_409(manager_api, bottle_reviews):
    draft = ReplyDraftFactory(review=bottle_reviews[0], status=DraftStatus.APPROVED)
    assert manager_api.post(f"/api/v1/content/drafts/{draft.pk}/publish/").status_code == 200
    again = manager_api.post(f"/api/v1/content/drafts/{draft.pk}/publish/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_published"
    assert ContentDraft.objects.get(pk=draft.pk).status == DraftStatus.PUBLISHED

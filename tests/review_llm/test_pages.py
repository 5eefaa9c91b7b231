"""The review page (analysis, reply panel) and "What customers say" (section and page)."""

import pytest
from django.urls import reverse

from jobs.models import Job
from reviews.models import ReviewSummary

from .conftest import use_model
from .factories import ReplyDraftFactory, ReviewSummaryFactory

pytestmark = pytest.mark.django_db


def page(client, review):
    response = client.get(reverse("review-detail", kwargs={"review_id": review.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_review_page_highlights_aspects_and_shows_the_analysis(owner_client, analysed_reviews):
    leak = analysed_reviews[0]
    html = page(owner_client, leak)

    assert 'data-aspect="quality" data-polarity="negative">The lid leaks water</mark>' in html
    assert 'data-sentiment="negative"' in html
    assert "quality / defects" in html


def test_an_unanalysed_review_says_so(owner_client, bottle_reviews):
    html = page(owner_client, bottle_reviews[0])

    assert "Not analysed yet" in html


def test_the_reply_panel_shows_the_draft_with_actions_for_managers(manager_client, bottle_reviews):
    review = bottle_reviews[0]
    draft = ReplyDraftFactory(review=review, text="We are sorry the lid leaks.")
    html = page(manager_client, review)

    assert "We are sorry the lid leaks." in html
    assert reverse("content-draft-approve", kwargs={"draft_id": draft.pk}) in html
    assert reverse("content-draft-edit", kwargs={"draft_id": draft.pk}) in html
    assert reverse("review-reply-generate", kwargs={"review_id": review.pk}) in html


def test_a_viewer_sees_the_reply_but_no_buttons(viewer_client, bottle_reviews):
    review = bottle_reviews[0]
    review.reply_text = "Sorry & thanks <b>friend</b>"
    review.save()
    draft = ReplyDraftFactory(review=review)
    html = page(viewer_client, review)

    assert "Sorry &amp; thanks &lt;b&gt;friend&lt;/b&gt;" in html
    assert reverse("content-draft-approve", kwargs={"draft_id": draft.pk}) not in html
    assert reverse("review-reply-generate", kwargs={"review_id": review.pk}) not in html


def test_a_flagged_reply_shows_its_unsupported_claims(owner_client, bottle_reviews):
    from products.content.services import draft_edit

    review = bottle_reviews[0]
    draft = draft_edit(
        draft=ReplyDraftFactory(review=review), text="We refund you, sorry.", user=None
    )
    html = page(owner_client, review)

    assert draft.is_blocked
    assert 'id="unsupported-alert"' in html
    assert 'data-claim="unsupported" tabindex="0">refund</mark>' in html


def test_the_summary_section_cites_reviews_as_links(owner_client, bottle, bottle_reviews):
    leak = bottle_reviews[0]
    ReviewSummaryFactory(
        product=bottle,
        statements=[
            {
                "text": "The lid <leaks>.",
                "review_ids": [leak.pk],
                "polarity": "negative",
                "method": "model",
            }
        ],
        reviews_considered=4,
        dropped=2,
    )
    url = reverse("review-summary-section", kwargs={"product_id": bottle.pk})
    html = owner_client.get(url).content.decode()

    assert "The lid &lt;leaks&gt;." in html
    assert f'href="{reverse("review-detail", kwargs={"review_id": leak.pk})}"' in html
    assert "2 statements dropped by the citation check" in html
    assert "Summarise reviews" in html


def test_an_extractive_summary_says_it_quotes_the_reviews(owner_client, bottle):
    ReviewSummaryFactory(
        product=bottle,
        statements=[
            {"text": "x", "review_ids": [], "polarity": "negative", "method": "extractive"}
        ],
    )
    html = owner_client.get(
        reverse("review-summary", kwargs={"product_id": bottle.pk})
    ).content.decode()

    assert 'data-summary-method="extractive"' in html


def test_a_viewer_gets_no_summarise_button_and_cannot_start_one(viewer_client, bottle):
    url = reverse("review-summary", kwargs={"product_id": bottle.pk})
    assert "Summarise reviews" not in viewer_client.get(url).content.decode()
    generate = reverse("review-summary-generate", kwargs={"product_id": bottle.pk})
    assert viewer_client.post(generate).status_code == 403
    assert not Job.objects.exists()


def test_summarising_with_htmx_returns_the_section_with_the_new_summary(
    analyst_client, bottle, bottle_reviews, on_commit
):
    url = reverse("review-summary-generate", kwargs={"product_id": bottle.pk})
    with use_model(lambda request: "- The lid leaks water [R1]"), on_commit():
        response = analyst_client.post(url, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="review-summary-' in html and "What customers say" in html
    assert ReviewSummary.objects.filter(product=bottle).exists()


def test_summarising_without_htmx_redirects_to_the_summary_page(
    owner_client, bottle, bottle_reviews, on_commit
):
    url = reverse("review-summary-generate", kwargs={"product_id": bottle.pk})
    with use_model(lambda request: "nothing"), on_commit():
        response = owner_client.post(url, {"aspect": "", "language": "en"})

    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == (
        reverse("review-summary", kwargs={"product_id": bottle.pk}) + f"?job={job.pk}"
    )
    assert owner_client.get(response.url).status_code == 200


def test_the_reply_job_partial_follows_the_job(
    owner_client, bottle_reviews, merchant, owner, on_commit
):
    from reviews.services.replies import reply_generate_start

    review = bottle_reviews[0]
    with use_model(lambda request: "Sorry the lid leaks."), on_commit():
        job = reply_generate_start(merchant=merchant, review=review, user=owner)
    url = reverse("review-reply-job", kwargs={"review_id": review.pk, "job_id": job.pk})
    response = owner_client.get(url, HTTP_HX_REQUEST="true")

    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    other = bottle_reviews[1]
    wrong = reverse("review-reply-job", kwargs={"review_id": other.pk, "job_id": job.pk})
    assert owner_client.get(wrong).status_code == 404

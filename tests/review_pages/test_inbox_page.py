"""The review inbox page: what a row shows, the analysis coverage, empty states and htmx."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.analysis.pipeline import ANALYSER_VERSION
from tests.factories import ProductFactory, ReviewFactory

from .factories import analysed_review

URL = reverse("review-list")


def row_html(html: str, review_id: int) -> str:
    match = re.search(rf'<li[^>]*data-review-id="{review_id}".*?</li>\n', html, re.S)
    assert match, f"no row for review {review_id}"
    return match.group(0)


@pytest.mark.django_db
def test_a_row_shows_rating_sentiment_aspects_topic_language_date_and_reply_status(
    owner_client, catalogue
):
    html = owner_client.get(URL).content.decode()
    leaks = row_html(html, catalogue["leaks"].pk)
    assert 'aria-label="1 out of 5 stars"' in leaks
    assert 'data-sentiment="negative"' in leaks
    assert 'data-aspect="quality" data-polarity="negative"' in leaks
    assert 'data-aspect="shipping" data-polarity="positive"' in leaks
    topic = catalogue["topic"]
    assert f'href="{reverse("review-topic", kwargs={"topic_id": topic.pk})}"' in leaks
    assert "lid leaks water" in leaks
    assert "English" in leaks
    assert f'<time datetime="{catalogue["leaks"].created_at:%Y-%m-%dT%H:%M:%S}' in leaks
    assert 'data-replied="no"' in leaks
    assert 'data-replied="yes"' in row_html(html, catalogue["solid"].pk)
    assert 'lang="zh"' in row_html(html, catalogue["good"].pk)


@pytest.mark.django_db
def test_each_row_links_to_the_review_detail_page_and_the_product(owner_client, catalogue):
    html = owner_client.get(URL).content.decode()
    for name in ("leaks", "good", "waiting"):
        review = catalogue[name]
        row = row_html(html, review.pk)
        assert f'href="{reverse("review-detail", kwargs={"review_id": review.pk})}"' in row
    kettle = catalogue["kettle"].pk
    assert f'href="{reverse("product-detail", kwargs={"product_id": kettle})}"' in html
    insights = reverse("review-product-insights", kwargs={"product_id": kettle})
    assert f'href="{insights}"' in html


@pytest.mark.django_db
def test_a_review_not_analysed_yet_says_so_and_has_no_aspects(owner_client, catalogue):
    row = row_html(owner_client.get(URL).content.decode(), catalogue["waiting"].pk)
    assert "not analysed yet" in row
    assert "data-aspect=" not in row


@pytest.mark.django_db
def test_the_coverage_says_how_many_reviews_are_analysed_by_which_analyser(owner_client, catalogue):
    html = owner_client.get(URL).content.decode()
    assert "4 of 5 reviews analysed" in html
    assert f"analyser {ANALYSER_VERSION}" in html
    assert 'data-pending="1"' in html


@pytest.mark.django_db
def test_an_owner_and_a_manager_see_the_analysis_buttons(owner_client, catalogue):
    html = owner_client.get(URL).content.decode()
    assert 'data-action="reanalyse-all"' in html
    assert 'data-action="analyse-pending"' in html
    assert f'action="{reverse("review-reanalyse")}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "analyst", "viewer"])
def test_only_owners_and_managers_see_the_re_analyse_button(role_client, catalogue, role):
    html = role_client(role).get(URL).content.decode()
    assert ('data-action="reanalyse-all"' in html) is (role == "manager")


@pytest.mark.django_db
def test_an_empty_inbox_says_how_reviews_arrive(owner_client):
    response = owner_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "No reviews yet" in html
    assert "data-action=" not in html  # nothing to analyse


@pytest.mark.django_db
def test_a_filter_without_matches_offers_to_show_everything(owner_client, catalogue):
    html = owner_client.get(URL, {"q": "nothing like this"}).content.decode()
    assert "No review matches these filters." in html


@pytest.mark.django_db
def test_an_htmx_request_gets_only_the_results(owner_client, catalogue):
    response = owner_client.get(URL, {"rating": "3"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "solid" in html
    assert "review-coverage" not in html
    assert response["Vary"].count("HX-Request") == 1


@pytest.mark.django_db
def test_the_inbox_is_paged_by_fifty(owner_client, merchant):
    product = ProductFactory(merchant=merchant)
    for n in range(51):
        analysed_review(product, title=f"review {n}")
    first = owner_client.get(URL)
    assert len(first.context["reviews"]) == 50
    assert "page 1 of 2" in first.content.decode()
    assert len(owner_client.get(URL, {"page": 2}).context["reviews"]) == 1


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_the_inbox_reads_a_page_in_a_fixed_number_of_queries(owner_client, merchant):
    product = ProductFactory(merchant=merchant)
    analysed_review(product, aspects=(("quality", "negative"),), title="first")
    ReviewFactory(product=product)
    few = _queries(owner_client)
    for n in range(30):
        analysed_review(product, aspects=(("quality", "negative"),), title=f"r{n}")
    assert _queries(owner_client) == few <= 20

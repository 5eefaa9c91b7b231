"""The review analyses export: one row per review with its sentiment, aspects and topic, for
the inbox's filters, newest first."""

import pytest
from django.urls import reverse

from tests.factories import ProductFactory, ReviewFactory
from tests.review_pages.factories import TopicFactory, analysed_review

from .helpers import csv_dicts, xlsx_dicts

CSV_URL = reverse("review-export-csv")
XLSX_URL = reverse("review-export-xlsx")


@pytest.fixture
def bottle(merchant):
    return ProductFactory(merchant=merchant, sku="DRK-BTL-750", title="保温杯")


@pytest.mark.django_db
def test_each_review_has_its_analysis(viewer_client, bottle):
    topic = TopicFactory(product=bottle, label="lid leaks")
    review = analysed_review(
        bottle,
        sentiment="negative",
        aspects=(("quality", "negative"), ("shipping", "positive")),
        topic=topic,
        rating=1,
        body="Lid leaks after a week.",
    )
    (row,) = csv_dicts(viewer_client.get(CSV_URL))
    assert row["Review ID"] == str(review.pk)
    assert row["SKU"] == "DRK-BTL-750" and row["Product"] == "保温杯"
    assert row["Rating"] == "1" and row["Language"] == "English"
    assert row["Sentiment"] == "negative" and row["Sentiment score (0–1, positive)"] == "0.080"
    assert row["Aspects"] == (
        "quality / defects: negative (“quality”); shipping / delivery: positive (“shipping”)"
    )
    assert row["Complaint topic"] == "lid leaks"
    assert row["Text"] == "Lid leaks after a week."
    assert row["Written (UTC)"] == review.created_at.replace(microsecond=0).isoformat()


@pytest.mark.django_db
def test_a_review_not_analysed_yet_has_empty_analysis_columns(viewer_client, bottle):
    ReviewFactory(product=bottle, body="Just arrived.")
    (row,) = csv_dicts(viewer_client.get(CSV_URL))
    assert row["Sentiment"] == "" and row["Aspects"] == "" and row["Complaint topic"] == ""
    assert row["Sentiment score (0–1, positive)"] == ""


@pytest.mark.django_db
def test_the_inbox_filters_and_order_are_respected(viewer_client, bottle):
    old = analysed_review(bottle, sentiment="negative", days_ago=5, rating=2)
    new = analysed_review(bottle, sentiment="negative", days_ago=1, rating=2)
    analysed_review(bottle, sentiment="positive", days_ago=2, rating=5)
    rows = csv_dicts(viewer_client.get(CSV_URL, {"sentiment": "negative"}))
    assert [row["Review ID"] for row in rows] == [str(new.pk), str(old.pk)]
    rows = csv_dicts(viewer_client.get(CSV_URL, {"rating": "5"}))
    assert [row["Rating"] for row in rows] == ["5"]


@pytest.mark.django_db
def test_the_workbook_has_the_same_reviews(viewer_client, bottle):
    for days in range(3):
        analysed_review(
            bottle, sentiment="positive", days_ago=days + 1, aspects=(("price_value", "positive"),)
        )
    rows = xlsx_dicts(viewer_client.get(XLSX_URL))
    assert len(rows) == 3
    assert rows[0]["Sentiment score (0–1, positive)"] == pytest.approx(0.92)
    assert rows[0]["Aspects"].startswith("price / value: positive")
    assert rows[0]["Product"] == "保温杯"

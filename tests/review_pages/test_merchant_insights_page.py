"""The store-wide review insights: worst products and their trend, the store's trend,
aspects, topics, languages and the sentiment models."""

import pytest
from django.urls import reverse

from reviews.models import SentimentModelStatus
from tests.factories import ProductFactory, ReviewFactory

from .factories import SentimentModelFactory, TopicFactory, analysed_review

URL = reverse("review-insights")


@pytest.mark.django_db
def test_the_worst_products_are_ranked_by_negative_share_with_their_numbers(
    owner_client, catalogue
):
    response = owner_client.get(URL)
    assert response.status_code == 200
    worst = response.context["worst"]
    assert [row["item"].product for row in worst] == [catalogue["kettle"]]
    row = worst[0]
    assert (row["item"].analysed, row["item"].negative, row["percent"]) == (3, 2, 66.7)
    assert row["previous_percent"] is None and row["direction"] == "steady"
    html = response.content.decode()
    assert 'data-share="66.7"' in html
    assert "new" in html  # nothing to compare with


@pytest.mark.django_db
def test_a_product_getting_worse_is_shown_as_rising(owner_client, merchant):
    product = ProductFactory(merchant=merchant, sku="MUG-1")
    for n in range(4):  # the 90 days before: one negative in four
        analysed_review(product, sentiment="negative" if n == 0 else "positive", days_ago=120)
    for n in range(4):  # now: three in four
        analysed_review(product, sentiment="negative" if n < 3 else "positive", days_ago=5)
    response = owner_client.get(URL)
    row = response.context["worst"][0]
    assert (row["percent"], row["previous_percent"], row["change_points"]) == (75.0, 25.0, 50.0)
    assert row["direction"] == "rising"
    assert 'data-trend="rising"' in response.content.decode()
    chart = response.context["share_chart"]
    assert chart["series"][0]["name"] == "MUG-1"
    assert 75.0 in chart["series"][0]["y"]


@pytest.mark.django_db
def test_a_product_getting_better_is_shown_as_falling(owner_client, merchant):
    product = ProductFactory(merchant=merchant)
    for _ in range(4):
        analysed_review(product, sentiment="negative", days_ago=120)
    for n in range(4):
        analysed_review(product, sentiment="negative" if n == 0 else "positive", days_ago=5)
    row = owner_client.get(URL).context["worst"][0]
    assert row["direction"] == "falling" and row["change_points"] == -75.0


@pytest.mark.django_db
def test_another_merchants_products_never_appear(owner_client, catalogue, other_merchant):
    theirs = catalogue["theirs"]
    for _ in range(5):
        analysed_review(theirs, sentiment="negative", title="their complaint")
    TopicFactory(product=theirs, label="their topic", size=50)
    html = owner_client.get(URL).content.decode()
    assert "Their kettle" not in html
    assert "their topic" not in html
    assert "their complaint" not in html


@pytest.mark.django_db
def test_the_most_complained_about_aspects_come_first(owner_client, catalogue):
    response = owner_client.get(URL)
    complained = [row["item"].aspect for row in response.context["complained"]]
    assert complained == ["quality", "price_value"]
    chart = response.context["aspect_chart"]
    assert chart["aspects"][:2] == ["quality", "price_value"]
    assert chart["negative"][:2] == [2, 1]
    assert dict(zip(chart["aspects"], chart["positive"], strict=True))["quality"] == 1


@pytest.mark.django_db
def test_the_store_trend_counts_every_analysed_review(owner_client, catalogue):
    chart = owner_client.get(URL).context["sentiment_chart"]
    assert sum(chart["negative"]) == 2
    assert sum(chart["positive"]) == 1
    assert sum(chart["neutral"]) == 1
    assert sum(chart["pending"]) == 1


@pytest.mark.django_db
def test_the_reviews_are_counted_per_language(owner_client, catalogue):
    response = owner_client.get(URL)
    counts = {
        row.language: (row.reviews, row.analysed, row.negative)
        for row in response.context["languages"]
    }
    assert counts == {"en": (4, 3, 2), "zh": (1, 1, 0)}
    assert 'data-language="zh"' in response.content.decode()


@pytest.mark.django_db
def test_the_largest_topics_are_listed_with_their_product(owner_client, catalogue):
    html = owner_client.get(URL).content.decode()
    assert "lid leaks water" in html
    insights = reverse("review-product-insights", kwargs={"product_id": catalogue["kettle"].pk})
    assert f'href="{insights}"' in html


@pytest.mark.django_db
def test_the_model_status_shows_both_held_out_scores_when_the_store_has_its_own_model(
    owner_client, catalogue, merchant
):
    SentimentModelFactory(merchant=merchant, language="en", status=SentimentModelStatus.ACTIVE)
    SentimentModelFactory(
        merchant=merchant,
        language="zh",
        status=SentimentModelStatus.REJECTED,
        heldout_accuracy=0.801,
        heldout_macro_f1=0.79,
        default_accuracy=0.853,
        default_macro_f1=0.85,
    )
    response = owner_client.get(URL)
    status = {row.language: row for row in response.context["models"]}
    assert status["en"].uses_merchant_model
    assert status["en"].in_use == f"merchant:{status['en'].active.pk}"
    assert not status["zh"].uses_merchant_model
    assert status["zh"].latest.status == SentimentModelStatus.REJECTED
    html = response.content.decode()
    assert "0.912 / 0.904" in html and "0.861 / 0.843" in html  # store model vs default
    assert "0.801 / 0.790" in html and "0.853 / 0.850" in html
    assert "not better than the default" in html


@pytest.mark.django_db
def test_without_a_store_model_the_default_is_in_use(owner_client, catalogue):
    response = owner_client.get(URL)
    assert all(row.in_use == "default" for row in response.context["models"])
    assert "default model" in response.content.decode()


@pytest.mark.django_db
def test_a_store_without_reviews_gets_a_helpful_empty_page(owner_client):
    response = owner_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "No reviews yet." in html
    assert "plotly.min.js" not in html


@pytest.mark.django_db
def test_reviews_not_analysed_yet_are_announced_with_the_button(owner_client, merchant):
    product = ProductFactory(merchant=merchant)
    ReviewFactory(product=product)
    html = owner_client.get(URL).content.decode()
    assert "not analysed yet" in html
    assert 'data-action="analyse-pending"' in html


@pytest.mark.django_db
def test_the_period_can_be_chosen_and_a_bad_one_falls_back(owner_client, catalogue):
    assert owner_client.get(URL, {"days": "30"}).context["insights"].days == 30
    response = owner_client.get(URL, {"days": "7000"})
    assert response.status_code == 200
    assert response.context["insights"].days == 90


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_viewers_and_analysts_see_the_insights_without_the_re_analyse_button(
    role_client, catalogue, role
):
    response = role_client(role).get(URL)
    assert response.status_code == 200
    assert 'data-action="reanalyse-all"' not in response.content.decode()

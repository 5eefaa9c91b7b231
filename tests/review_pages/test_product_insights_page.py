"""A product's review insights page: numbers, charts, topics with examples, the summary
section, empty states and isolation."""

import datetime as dt

import pytest
from django.urls import reverse

from core.selectors import merchant_today
from tests.factories import ProductFactory, ReviewFactory

from .factories import TopicFactory, analysed_review


def url(product):
    return reverse("review-product-insights", kwargs={"product_id": product.pk})


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@pytest.mark.django_db
def test_the_page_shows_the_products_numbers_topics_and_summary(owner_client, catalogue):
    response = owner_client.get(url(catalogue["kettle"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-kpi="reviews">3<' in html
    assert "66.7%" in html  # 2 of the 3 analysed reviews are negative
    assert "What customers say" in html
    assert f'id="review-summary-{catalogue["kettle"].pk}"' in html
    assert "lid leaks water" in html
    assert "their review" not in html and "Their kettle" not in html
    inbox = f"{reverse('review-list')}?product={catalogue['kettle'].pk}"
    assert f'href="{inbox}"' in html
    assert "plotly.min.js" in html and "reviews/review_charts.js" in html


@pytest.mark.django_db
def test_the_sentiment_trend_chart_counts_each_week(owner_client, catalogue, merchant):
    chart = owner_client.get(url(catalogue["kettle"])).context["sentiment_chart"]
    today = merchant_today(merchant=merchant)
    weeks = [monday(today) - dt.timedelta(weeks=n) for n in range(11, -1, -1)]
    assert chart["x"] == [week.isoformat() for week in weeks]
    expected = {key: [0] * 12 for key in ("positive", "neutral", "negative")}
    for name in ("leaks", "drips", "good"):
        review = catalogue[name]
        sentiment = review.analysis.sentiment
        expected[sentiment][weeks.index(monday(review.created_at.date()))] += 1
    for key, counts in expected.items():
        assert chart[key] == counts, key
    for index, share in enumerate(chart["negative_share"]):
        analysed = sum(expected[key][index] for key in expected)
        if analysed:
            assert share == round(100 * expected["negative"][index] / analysed, 1)
        else:
            assert share is None


@pytest.mark.django_db
def test_the_trend_covers_the_chosen_number_of_weeks(owner_client, catalogue):
    response = owner_client.get(url(catalogue["kettle"]), {"weeks": "26"})
    assert len(response.context["sentiment_chart"]["x"]) == 26
    bad = owner_client.get(url(catalogue["kettle"]), {"weeks": "9999"})
    assert bad.status_code == 200
    assert len(bad.context["sentiment_chart"]["x"]) == 12


@pytest.mark.django_db
def test_the_aspect_chart_stacks_praise_and_complaints_per_aspect(owner_client, catalogue):
    chart = owner_client.get(url(catalogue["kettle"])).context["aspect_chart"]
    assert chart["aspects"] == ["quality", "appearance", "shipping"]
    assert chart["negative"] == [2, 0, 0]
    assert chart["positive"] == [0, 1, 1]
    assert chart["neutral"] == [0, 0, 0]


@pytest.mark.django_db
def test_the_rating_distribution_counts_each_star(owner_client, catalogue):
    response = owner_client.get(url(catalogue["kettle"]))
    ratings = {row["stars"]: row["count"] for row in response.context["ratings"]}
    assert ratings == {5: 1, 4: 0, 3: 0, 2: 1, 1: 1}
    assert 'data-stars="1" data-count="1"' in response.content.decode()


@pytest.mark.django_db
def test_each_topic_shows_its_size_trend_and_linked_example_reviews(owner_client, catalogue):
    topic = catalogue["topic"]
    topic.trend = {"weeks": [], "counts": [0, 0, 0, 0, 1, 2, 1, 3], "change": 6.0}
    topic.save()
    response = owner_client.get(url(catalogue["kettle"]))
    row = response.context["topics"][0]
    assert row["topic"] == topic
    assert [review.pk for review in row["examples"]] == [
        catalogue["leaks"].pk,
        catalogue["drips"].pk,
    ]
    assert row["trend"]["direction"] == "rising"
    assert (row["trend"]["last"], row["trend"]["previous"]) == (7, 0)
    html = response.content.decode()
    for name in ("leaks", "drips"):
        detail = reverse("review-detail", kwargs={"review_id": catalogue[name].pk})
        assert f'href="{detail}"' in html
    assert 'data-trend="rising"' in html
    assert 'data-size="2"' in html
    assert f'href="{reverse("review-topic", kwargs={"topic_id": topic.pk})}"' in html


@pytest.mark.django_db
def test_a_topic_example_of_another_merchant_is_never_shown(owner_client, catalogue):
    topic = catalogue["topic"]
    topic.example_review_ids = [catalogue["their_review"].pk, catalogue["leaks"].pk]
    topic.save()
    response = owner_client.get(url(catalogue["kettle"]))
    assert [r.pk for r in response.context["topics"][0]["examples"]] == [catalogue["leaks"].pk]
    assert "their review" not in response.content.decode()


@pytest.mark.django_db
def test_chinese_reviews_and_topics_are_marked_as_chinese(owner_client, catalogue):
    TopicFactory(
        product=catalogue["kettle"], language="zh", label="盖子 漏水", terms=["盖子"], size=5
    )
    html = owner_client.get(url(catalogue["kettle"])).content.decode()
    assert 'lang="zh">盖子 漏水</a>' in html


@pytest.mark.django_db
def test_a_product_without_reviews_says_so_and_loads_no_chart(owner_client, merchant):
    product = ProductFactory(merchant=merchant)
    response = owner_client.get(url(product))
    html = response.content.decode()
    assert response.status_code == 200
    assert "No reviews for this product yet." in html
    assert "plotly.min.js" not in html


@pytest.mark.django_db
def test_reviews_not_analysed_yet_get_a_button_for_managers_only(
    owner_client, merchant, role_client
):
    product = ProductFactory(merchant=merchant)
    ReviewFactory(product=product)
    ReviewFactory(product=product)
    html = owner_client.get(url(product)).content.decode()
    assert "None of this product’s 2 reviews is analysed yet" in html
    assert 'data-action="analyse-pending"' in html
    assert f'action="{reverse("review-reanalyse")}"' in html
    viewer_html = role_client("viewer").get(url(product)).content.decode()
    assert "None of this product’s 2 reviews is analysed yet" in viewer_html
    assert 'data-action="analyse-pending"' not in viewer_html


@pytest.mark.django_db
def test_another_merchants_product_is_a_404_like_a_missing_one(owner_client, catalogue):
    assert owner_client.get(url(catalogue["theirs"])).status_code == 404
    missing = reverse("review-product-insights", kwargs={"product_id": 987654321})
    assert owner_client.get(missing).status_code == 404


@pytest.mark.django_db
def test_a_viewer_sees_the_insights_but_not_the_summary_button(viewer_client, catalogue):
    html = viewer_client.get(url(catalogue["kettle"])).content.decode()
    assert "What customers say" in html
    generate = reverse("review-summary-generate", kwargs={"product_id": catalogue["kettle"].pk})
    assert generate not in html


@pytest.mark.django_db
def test_two_analysed_weeks_of_a_new_product(owner_client, merchant):
    product = ProductFactory(merchant=merchant)
    analysed_review(product, sentiment="negative", rating=1, days_ago=0)
    analysed_review(product, sentiment="positive", rating=5, days_ago=0)
    chart = owner_client.get(url(product)).context["sentiment_chart"]
    assert chart["negative"][-1] == 1 and chart["positive"][-1] == 1
    assert chart["negative_share"][-1] == 50.0

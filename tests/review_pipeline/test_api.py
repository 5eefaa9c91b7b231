"""The API of reviews with analyses, topics, insights, sentiment models and analysis jobs."""

import datetime as dt

import pytest
from django.urls import reverse

from jobs.models import Job, JobKind
from reviews.models import ReviewAnalysis
from tests.api.support import error_of, query_count
from tests.factories import ProductFactory, ReviewFactory

from .factories import (
    AspectMentionFactory,
    ComplaintTopicFactory,
    ReviewAnalysisFactory,
    SentimentModelFactory,
)

pytestmark = pytest.mark.django_db

REVIEWS = reverse("api:review-list")
TOPICS = reverse("api:review-topic-list")
INSIGHTS = reverse("api:review-insights")
MODELS = reverse("api:sentiment-model-list")
ANALYSE = reverse("api:review-analyse")


def topic_url(topic_id):
    return reverse("api:review-topic-detail", kwargs={"topic_id": topic_id})


def product_insights_url(product_id):
    return reverse("api:product-review-insights", kwargs={"product_id": product_id})


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def store(merchant, bottle):
    mug = ProductFactory(merchant=merchant, sku="MUG", category="Kitchen")
    topic = ComplaintTopicFactory(product=bottle, label="lid leaks", size=2)
    leak = ReviewFactory(
        product=bottle,
        title="Leaks",
        body="The lid leaks.",
        rating=1,
        created_at=dt.datetime(2025, 3, 10, 12, tzinfo=dt.UTC),
    )
    analysis = ReviewAnalysisFactory(review=leak, sentiment="negative", topic=topic)
    AspectMentionFactory(
        analysis=analysis, aspect="quality", span_start=10, span_end=20, span_text="lid leaks."
    )
    praise = ReviewFactory(
        product=mug,
        title="",
        body="Lovely mug, fast delivery",
        rating=5,
        language="en",
        created_at=dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC),
    )
    AspectMentionFactory(
        analysis=ReviewAnalysisFactory(review=praise, sentiment="positive", sentiment_score=0.95),
        aspect="shipping",
        polarity="positive",
    )
    chinese = ReviewFactory(
        product=mug,
        title="",
        body="质量很好",
        rating=4,
        language="zh",
        created_at=dt.datetime(2025, 2, 1, 12, tzinfo=dt.UTC),
    )
    waiting = ReviewFactory(product=bottle, body="Just arrived", rating=None)
    return {"leak": leak, "praise": praise, "chinese": chinese, "waiting": waiting, "topic": topic}


def test_the_review_list_carries_each_analysis_with_aspects_spans_and_topic(api, store):
    response = api.get(REVIEWS, {"product": store["leak"].product_id, "page_size": 50})
    rows = {row["id"]: row for row in response.json()["results"]}

    analysis = rows[store["leak"].pk]["analysis"]
    assert analysis["sentiment"] == "negative" and analysis["language"] == "en"
    assert analysis["current"] is True and analysis["sentiment_model"] == "default"
    assert analysis["topic"] == {"id": store["topic"].pk, "label": "lid leaks", "aspect": "quality"}
    assert analysis["aspects"] == [
        {
            "aspect": "quality",
            "polarity": "negative",
            "span_start": 10,
            "span_end": 20,
            "span_text": "lid leaks.",
        }
    ]
    assert rows[store["waiting"].pk]["analysis"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sentiment": "negative"}, {"leak"}),
        ({"sentiment": "positive"}, {"praise"}),
        ({"aspect": "shipping"}, {"praise"}),
        ({"aspect": "quality", "polarity": "negative"}, {"leak"}),
        ({"aspect": "quality", "polarity": "positive"}, set()),
        ({"language": "zh"}, {"chinese"}),
        ({"rating": 5}, {"praise"}),
        ({"rating_max": 4, "analysed": "true"}, {"leak"}),
        ({"analysed": "false"}, {"chinese", "waiting"}),
        ({"q": "LID"}, {"leak"}),
        ({"q": "质量"}, {"chinese"}),
        ({"date_from": "2025-03-01", "date_to": "2025-03-10"}, {"leak", "praise"}),
        ({"created_from": "2025-03-02T00:00:00Z", "created_to": "2025-03-11T00:00:00Z"}, {"leak"}),
    ],
)
def test_the_review_list_filters(api, store, params, expected):
    assert ids(api.get(REVIEWS, params)) == {store[name].pk for name in expected}


def test_the_topic_filter_and_bad_filter_values(api, store):
    assert ids(api.get(REVIEWS, {"topic": store["topic"].pk})) == {store["leak"].pk}
    assert ids(api.get(REVIEWS, {"topic": 10**30})) == set()
    for params in ({"sentiment": "angry"}, {"aspect": "smell"}, {"date_from": "yesterday"}):
        response = api.get(REVIEWS, params)
        assert response.status_code == 400, params
        assert error_of(response)["code"] == "invalid"


def test_the_review_list_with_analyses_takes_the_same_queries_for_any_page_size(api, bottle):
    for index in range(30):
        review = ReviewFactory(product=bottle, rating=1 + index % 5)
        if index % 3:
            analysis = ReviewAnalysisFactory(
                review=review, topic=ComplaintTopicFactory(product=bottle) if index % 2 else None
            )
            AspectMentionFactory.create_batch(2, analysis=analysis)
    small = query_count(api, REVIEWS, page_size=5)
    assert small == query_count(api, REVIEWS, page_size=100)
    # session, user, membership, count, page (reviews + products + analyses + topics),
    # aspect mentions
    assert small <= 6


def test_topics_list_and_detail_with_examples(api, store, merchant):
    category_topic = ComplaintTopicFactory(
        product=None, merchant=merchant, category="Drinkware", label="leaks", size=7
    )
    store["topic"].example_review_ids = [store["leak"].pk]
    store["topic"].save()

    listed = api.get(TOPICS).json()["results"]
    assert [row["id"] for row in listed] == [category_topic.pk, store["topic"].pk]
    assert listed[0]["scope"] == "category" and listed[1]["scope"] == "product"
    assert ids(api.get(TOPICS, {"product": store["leak"].product_id})) == {store["topic"].pk}
    assert ids(api.get(TOPICS, {"category": "Drinkware"})) == {category_topic.pk}
    assert ids(api.get(TOPICS, {"scope": "category"})) == {category_topic.pk}

    detail = api.get(topic_url(store["topic"].pk))
    assert detail.status_code == 200
    body = detail.json()
    assert body["label"] == "lid leaks" and body["trend"]["counts"] == [3]
    assert [example["id"] for example in body["examples"]] == [store["leak"].pk]
    assert body["examples"][0]["analysis"]["sentiment"] == "negative"


def test_product_and_merchant_insights(api, store):
    product_id = store["leak"].product_id
    response = api.get(product_insights_url(product_id), {"weeks": 4})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["product"] == product_id
    assert (body["reviews"], body["analysed"], body["pending"]) == (2, 1, 1)
    assert body["rating_distribution"] == {
        "stars_1": 1,
        "stars_2": 0,
        "stars_3": 0,
        "stars_4": 0,
        "stars_5": 0,
        "unrated": 1,
    }
    assert len(body["weeks"]) == 4
    assert body["aspects"][0]["aspect"] == "quality"
    assert body["topics"][0]["topic"]["label"] == "lid leaks"

    merchant_wide = api.get(INSIGHTS, {"days": 730, "min_reviews": 1})
    assert merchant_wide.status_code == 200, merchant_wide.content
    worst = merchant_wide.json()["worst_products"]
    assert worst[0]["product"] == product_id and worst[0]["negative_share"] == 1.0
    for bad in ({"days": 0}, {"weeks": 1000}, {"min_reviews": "many"}):
        assert api.get(INSIGHTS, bad).status_code == 400, bad
    assert api.get(product_insights_url(product_id), {"since": "nope"}).status_code == 400


def test_sentiment_models_show_both_scores_and_never_the_artifact(api, merchant):
    model = SentimentModelFactory(merchant=merchant, artifact=b"secret-bytes")
    rows = api.get(MODELS).json()["results"]
    assert [row["id"] for row in rows] == [model.pk]
    assert (rows[0]["heldout_accuracy"], rows[0]["default_accuracy"]) == (0.91, 0.86)
    assert "artifact" not in rows[0]
    assert api.post(MODELS, {}, format="json").status_code == 405


def test_a_manager_starts_an_analysis_job(manager_api, merchant, bottle, on_commit):
    ReviewFactory.create_batch(3, product=bottle, body="Great, love it.", rating=5)
    with on_commit():
        response = manager_api.post(ANALYSE, {}, format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["kind"], body["reviews"], body["waiting_for_queue"]) == (
        "review_backfill",
        3,
        False,
    )
    job = Job.objects.get(pk=body["job_id"])
    assert (job.merchant, job.kind, job.status) == (merchant, JobKind.REVIEW_BACKFILL, "succeeded")
    assert job.result["analysed"] == 3 and job.progress_done == 3
    assert ReviewAnalysis.objects.filter(merchant=merchant).count() == 3


def test_force_analyses_every_review_again(api, bottle, on_commit):
    analysis = ReviewAnalysisFactory(
        review=ReviewFactory(product=bottle, body="Great, love it."), sentiment="negative"
    )
    with on_commit():
        response = api.post(ANALYSE, {"force": True, "language": "en"}, format="json")
    assert response.status_code == 202
    analysis.refresh_from_db()
    assert analysis.sentiment == "positive"


def test_analysts_and_viewers_may_not_start_an_analysis_job(analyst_api, viewer_api, merchant):
    for client in (analyst_api, viewer_api):
        response = client.post(ANALYSE, {}, format="json")
        assert response.status_code == 403
        assert error_of(response)["code"] == "permission_denied"
    assert not Job.objects.exists()
    bad = analyst_api.post(ANALYSE, {"language": "fr"}, format="json")
    assert bad.status_code == 403  # refused before the body is read


def test_bad_analysis_options_are_a_400(api):
    response = api.post(ANALYSE, {"language": "fr", "force": "maybe"}, format="json")
    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"language", "force"}
    assert not Job.objects.exists()


def test_another_merchants_topic_and_product_insights_are_404(api, other_merchant):
    theirs = ProductFactory(merchant=other_merchant)
    topic = ComplaintTopicFactory(product=theirs, label="their secret topic")
    for url in (topic_url(topic.pk), product_insights_url(theirs.pk), topic_url(10**30)):
        response = api.get(url)
        assert response.status_code == 404, url
        assert error_of(response)["code"] == "not_found"


def test_lists_and_insights_never_show_another_merchants_rows(api, other_merchant, store):
    theirs = ProductFactory(merchant=other_merchant, sku="THEIR-SKU")
    review = ReviewFactory(product=theirs, body="their secret review", rating=1)
    topic = ComplaintTopicFactory(product=theirs, label="their secret topic")
    ReviewAnalysisFactory(review=review, sentiment="negative", topic=topic)
    SentimentModelFactory(merchant=other_merchant, trainer_version="their-secret")

    for url, params in (
        (REVIEWS, {}),
        (REVIEWS, {"topic": topic.pk}),
        (TOPICS, {}),
        (MODELS, {}),
        (INSIGHTS, {"days": 730, "min_reviews": 1}),
    ):
        response = api.get(url, params)
        assert response.status_code == 200
        text = response.content.decode()
        assert "their" not in text.lower() and "THEIR-SKU" not in text, url
    assert ids(api.get(REVIEWS, {"topic": topic.pk})) == set()


def test_another_merchants_analysis_job_cannot_be_started_here(api, other_merchant, on_commit):
    ReviewFactory(product=ProductFactory(merchant=other_merchant))
    with on_commit():
        response = api.post(ANALYSE, {}, format="json")
    assert response.status_code == 202
    assert response.json()["reviews"] == 0
    assert not ReviewAnalysis.objects.exists()

"""The review inbox: every filter narrows the list to the right reviews, never another
merchant's."""

import datetime as dt

import pytest
from django.urls import reverse

from core.selectors import merchant_today
from tests.factories import ProductFactory

from .factories import TopicFactory, analysed_review

URL = reverse("review-list")


def titles(response):
    return sorted(review.title for review in response.context["reviews"])


ALL = ["drips", "leaks", "solid", "unrated", "很好"]


@pytest.mark.django_db
def test_without_filters_the_inbox_lists_all_the_merchants_reviews(owner_client, catalogue):
    response = owner_client.get(URL)
    assert titles(response) == ALL
    assert "their review" not in response.content.decode()


@pytest.mark.django_db
def test_the_product_filter_keeps_that_products_reviews(owner_client, catalogue):
    response = owner_client.get(URL, {"product": catalogue["bottle"].pk})
    assert titles(response) == ["solid", "unrated"]


@pytest.mark.django_db
def test_another_merchants_product_is_an_invalid_choice_and_shows_none_of_its_reviews(
    owner_client, catalogue
):
    response = owner_client.get(URL, {"product": catalogue["theirs"].pk})
    assert response.status_code == 200
    assert "product" in response.context["form"].errors
    assert titles(response) == ALL
    html = response.content.decode()
    assert "their review" not in html and "Their kettle" not in html


@pytest.mark.django_db
def test_the_rating_filter_keeps_that_rating(owner_client, catalogue):
    assert titles(owner_client.get(URL, {"rating": "1"})) == ["leaks"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sentiment", "expected"),
    [
        ("negative", ["drips", "leaks"]),
        ("positive", ["很好"]),
        ("neutral", ["solid"]),
        ("pending", ["unrated"]),
    ],
)
def test_the_sentiment_filter_keeps_that_sentiment_or_the_reviews_not_analysed(
    owner_client, catalogue, sentiment, expected
):
    assert titles(owner_client.get(URL, {"sentiment": sentiment})) == expected


@pytest.mark.django_db
def test_the_aspect_filter_keeps_reviews_mentioning_it_with_the_chosen_polarity(
    owner_client, catalogue
):
    assert titles(owner_client.get(URL, {"aspect": "quality"})) == ["drips", "leaks", "solid"]
    criticised = {"aspect": "quality", "polarity": "negative"}
    assert titles(owner_client.get(URL, criticised)) == ["drips", "leaks"]
    praised = {"aspect": "quality", "polarity": "positive"}
    assert titles(owner_client.get(URL, praised)) == ["solid"]
    assert titles(owner_client.get(URL, {"polarity": "positive"})) == ["leaks", "solid", "很好"]


@pytest.mark.django_db
def test_the_topic_filter_keeps_the_topics_reviews(owner_client, catalogue):
    response = owner_client.get(URL, {"topic": catalogue["topic"].pk})
    assert titles(response) == ["drips", "leaks"]


@pytest.mark.django_db
def test_another_merchants_topic_is_an_invalid_choice(owner_client, catalogue, other_merchant):
    theirs = TopicFactory(product=catalogue["theirs"], label="their secret topic")
    response = owner_client.get(URL, {"topic": theirs.pk})
    assert "topic" in response.context["form"].errors
    assert titles(response) == ALL
    assert "their secret topic" not in response.content.decode()


@pytest.mark.django_db
def test_the_topic_choices_follow_the_chosen_product(owner_client, catalogue):
    bottle_topic = TopicFactory(product=catalogue["bottle"], label="dents easily")
    form = owner_client.get(URL, {"product": catalogue["kettle"].pk}).context["form"]
    offered = [value for value, _label in form.fields["topic"].widget.choices if value]
    assert offered == [catalogue["topic"].pk]
    form = owner_client.get(URL).context["form"]
    offered = {value for value, _label in form.fields["topic"].widget.choices if value}
    assert offered == {catalogue["topic"].pk, bottle_topic.pk}


@pytest.mark.django_db
def test_the_language_filter_keeps_that_language(owner_client, catalogue):
    assert titles(owner_client.get(URL, {"language": "zh"})) == ["很好"]


@pytest.mark.django_db
def test_the_date_filters_keep_reviews_written_in_the_range_inclusive(
    owner_client, catalogue, merchant
):
    today = merchant_today(merchant=merchant)
    week_ago = (today - dt.timedelta(days=7)).isoformat()
    recent = titles(owner_client.get(URL, {"date_from": week_ago}))
    assert recent == ["leaks", "unrated", "很好"]
    older = titles(owner_client.get(URL, {"date_to": week_ago}))
    assert older == ["drips", "solid"]
    both = {"date_from": (today - dt.timedelta(days=15)).isoformat(), "date_to": week_ago}
    assert titles(owner_client.get(URL, both)) == ["drips"]


@pytest.mark.django_db
def test_an_end_date_before_the_start_date_is_reported_and_ignored(
    owner_client, catalogue, merchant
):
    today = merchant_today(merchant=merchant)
    response = owner_client.get(
        URL, {"date_from": today.isoformat(), "date_to": (today - dt.timedelta(days=30))}
    )
    assert "date_to" in response.context["form"].errors
    assert titles(response) == ["unrated"]


@pytest.mark.django_db
def test_the_reply_filter_separates_answered_and_unanswered_reviews(owner_client, catalogue):
    assert titles(owner_client.get(URL, {"replied": "yes"})) == ["solid"]
    assert titles(owner_client.get(URL, {"replied": "no"})) == [
        "drips",
        "leaks",
        "unrated",
        "很好",
    ]


@pytest.mark.django_db
def test_the_search_matches_title_and_text_in_both_languages(owner_client, catalogue):
    assert titles(owner_client.get(URL, {"q": "from the lid"})) == ["drips"]
    assert titles(owner_client.get(URL, {"q": "LEAKS"})) == ["leaks"]
    assert titles(owner_client.get(URL, {"q": "外观"})) == ["很好"]
    assert titles(owner_client.get(URL, {"q": "too"})) == []  # only Beta's review says it


@pytest.mark.django_db
def test_filters_combine(owner_client, catalogue):
    query = {"product": catalogue["kettle"].pk, "sentiment": "negative", "q": "pouring"}
    assert titles(owner_client.get(URL, query)) == ["drips"]


@pytest.mark.django_db
def test_the_sku_filter_still_works_for_large_catalogues(owner_client, catalogue):
    assert titles(owner_client.get(URL, {"sku": "b-2"})) == ["solid", "unrated"]


@pytest.mark.django_db
def test_a_large_catalogue_gets_a_hidden_product_field_and_a_sku_box(
    owner_client, merchant, monkeypatch
):
    monkeypatch.setattr("reviews.forms.PRODUCT_CHOICES_MAX", 1)
    first, second = ProductFactory(merchant=merchant), ProductFactory(merchant=merchant)
    analysed_review(first, title="first one")
    analysed_review(second, title="second one")
    response = owner_client.get(URL, {"product": second.pk})
    assert response.context["form"].fields["product"].widget.is_hidden
    assert titles(response) == ["second one"]
    html = response.content.decode()
    assert f"Product: {second.sku}" in html
    assert 'name="sku"' in html


@pytest.mark.django_db
def test_garbage_in_the_query_string_is_reported_and_ignored(owner_client, catalogue):
    query = {
        "product": "abc",
        "topic": "-1",
        "rating": "9",
        "sentiment": "furious",
        "aspect": "smell",
        "date_from": "not a date",
        "page": "x",
    }
    response = owner_client.get(URL, query)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"product", "topic", "rating", "sentiment", "aspect", "date_from"} <= set(errors)
    assert titles(response) == ALL
    huge = owner_client.get(URL, {"product": str(2**70), "topic": str(2**70)})
    assert huge.status_code == 200
    assert titles(huge) == ALL

import datetime as dt

import pytest
from django.urls import reverse

from reviews.models import Review
from tests.factories import ProductFactory, ReviewFactory

from .support import error_of

LIST = reverse("api:review-list")


def detail(review_id: int) -> str:
    return reverse("api:review-detail", kwargs={"review_id": review_id})


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.django_db
class TestCreate:
    def test_a_review_is_stored_with_its_language_detected(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        response = api.post(
            LIST,
            {
                "product": product.pk,
                "source": "taobao",
                "external_id": "tb-1",
                "rating": 2,
                "body": "盖子漏水，放在包里全湿了。",
                "created_at": "2025-06-01T08:00:00Z",
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        review = Review.objects.get(pk=response.json()["id"])
        assert (review.merchant, review.product, review.language) == (merchant, product, "zh")
        assert response.json()["sku"] == product.sku

    def test_the_same_external_id_from_the_same_source_is_a_400_on_external_id(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        ReviewFactory(product=product, source="shopify", external_id="123")
        payload = {"product": product.pk, "source": "shopify", "external_id": "123", "body": "x"}
        response = api.post(LIST, payload, format="json")
        assert response.status_code == 400
        assert list(error_of(response)["fields"]) == ["external_id"]
        other_source = api.post(LIST, {**payload, "source": "amazon"}, format="json")
        assert other_source.status_code == 201

    def test_reviews_without_external_ids_never_clash(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        payload = {"product": product.pk, "body": "Fine."}
        assert api.post(LIST, payload, format="json").status_code == 201
        assert api.post(LIST, payload, format="json").status_code == 201

    def test_a_rating_outside_one_to_five_and_a_missing_body_are_refused(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        response = api.post(LIST, {"product": product.pk, "rating": 6}, format="json")
        assert response.status_code == 400
        assert {"rating", "body"} <= set(error_of(response)["fields"])

    def test_another_merchants_product_does_not_exist_here(self, api, other_merchant):
        theirs = ProductFactory(merchant=other_merchant)
        response = api.post(LIST, {"product": theirs.pk, "body": "Hi"}, format="json")
        assert response.status_code == 400
        assert "does not exist" in error_of(response)["fields"]["product"][0]
        assert not Review.objects.exists()

    def test_a_viewer_may_not_add_reviews(self, viewer_api, merchant):
        product = ProductFactory(merchant=merchant)
        response = viewer_api.post(LIST, {"product": product.pk, "body": "x"}, format="json")
        assert response.status_code == 403
        assert error_of(response)["code"] == "permission_denied"


@pytest.mark.django_db
class TestRetrieveAndUpdate:
    def test_patch_changes_the_rating_and_keeps_the_rest(self, api, merchant):
        review = ReviewFactory(product=ProductFactory(merchant=merchant), rating=5)
        response = api.patch(detail(review.pk), {"rating": 1}, format="json")
        assert response.status_code == 200, response.content
        review.refresh_from_db()
        assert (review.rating, review.body) == (1, "Keeps water cold all day.")

    def test_changing_the_text_detects_the_language_again(self, api, merchant):
        review = ReviewFactory(product=ProductFactory(merchant=merchant), language="en")
        response = api.patch(detail(review.pk), {"body": "质量很好，很满意"}, format="json")
        assert response.status_code == 200
        assert response.json()["language"] == "zh"

    def test_put_needs_product_and_body(self, api, merchant):
        review = ReviewFactory(product=ProductFactory(merchant=merchant))
        response = api.put(detail(review.pk), {"rating": 3}, format="json")
        assert response.status_code == 400
        assert {"product", "body"} <= set(error_of(response)["fields"])

    def test_moving_a_review_to_a_taken_external_id_is_refused(self, api, merchant):
        product = ProductFactory(merchant=merchant)
        ReviewFactory(product=product, source="shopify", external_id="A")
        review = ReviewFactory(product=product, source="shopify", external_id="B")
        response = api.patch(detail(review.pk), {"external_id": "A"}, format="json")
        assert response.status_code == 400
        assert "external_id" in error_of(response)["fields"]

    def test_another_merchants_review_is_a_404(self, api, other_merchant):
        theirs = ReviewFactory(product=ProductFactory(merchant=other_merchant), rating=5)
        assert api.get(detail(theirs.pk)).status_code == 404
        response = api.patch(detail(theirs.pk), {"rating": 1}, format="json")
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
        theirs.refresh_from_db()
        assert theirs.rating == 5

    def test_a_review_cannot_move_to_another_merchants_product(self, api, merchant, other_merchant):
        review = ReviewFactory(product=ProductFactory(merchant=merchant))
        theirs = ProductFactory(merchant=other_merchant)
        response = api.patch(detail(review.pk), {"product": theirs.pk}, format="json")
        assert response.status_code == 400
        assert "product" in error_of(response)["fields"]


@pytest.mark.django_db
class TestList:
    @pytest.fixture
    def reviews(self, merchant, other_merchant):
        kettle = ProductFactory(merchant=merchant)
        mug = ProductFactory(merchant=merchant)
        start = dt.datetime(2025, 5, 1, tzinfo=dt.UTC)
        made = {
            "leak": ReviewFactory(
                product=kettle, rating=1, title="Leaks", body="The lid leaks.", source="shopify",
                created_at=start,
            ),
            "ok": ReviewFactory(
                product=kettle, rating=3, title="Ok", body="Does the job.", source="amazon",
                created_at=start + dt.timedelta(days=1),
            ),
            "zh": ReviewFactory(
                product=mug, rating=5, title="", body="很好", language="zh", source="taobao",
                created_at=start + dt.timedelta(days=2),
            ),
        }  # fmt: skip
        ReviewFactory(product=ProductFactory(merchant=other_merchant), body="Their review")
        return kettle, made

    def test_the_list_is_the_merchants_reviews_newest_first(self, api, reviews):
        _kettle, made = reviews
        assert ids(api.get(LIST)) == [made["zh"].pk, made["ok"].pk, made["leak"].pk]

    def test_filters_narrow_the_list(self, api, reviews):
        kettle, made = reviews
        assert ids(api.get(LIST, {"product": kettle.pk, "ordering": "created_at"})) == [
            made["leak"].pk,
            made["ok"].pk,
        ]
        assert ids(api.get(LIST, {"rating": 1})) == [made["leak"].pk]
        assert ids(api.get(LIST, {"rating_min": 3, "rating_max": 5})) == [
            made["zh"].pk,
            made["ok"].pk,
        ]
        assert ids(api.get(LIST, {"language": "zh"})) == [made["zh"].pk]
        assert ids(api.get(LIST, {"source": "amazon"})) == [made["ok"].pk]
        assert ids(
            api.get(LIST, {"created_from": "2025-05-02", "created_to": "2025-05-02T12:00:00Z"})
        ) == [made["ok"].pk]

    def test_search_looks_in_title_and_text(self, api, reviews):
        _kettle, made = reviews
        assert ids(api.get(LIST, {"search": "leak"})) == [made["leak"].pk]
        assert ids(api.get(LIST, {"search": "job"})) == [made["ok"].pk]

    def test_ordering_by_rating(self, api, reviews):
        _kettle, made = reviews
        assert ids(api.get(LIST, {"ordering": "-rating"})) == [
            made["zh"].pk,
            made["ok"].pk,
            made["leak"].pk,
        ]

import pytest
from django.core.exceptions import ValidationError

from reviews.models import Review
from reviews.services import language_detect, review_create
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The lid leaks after a week.", "en"),
        ("杯盖漏水，用了一周就坏了。", "zh"),
        ("质量不错，就是背带有点短 (strap)", "zh"),
        ("Great bottle, 很好", "en"),
        ("👍👍 !!!", "other"),
    ],
)
def test_the_language_is_told_by_its_script(text, language):
    assert language_detect(text) == language


def test_a_review_gets_its_language_when_none_is_given(merchant):
    product = ProductFactory(merchant=merchant)
    review = review_create(
        merchant=merchant, product=product, body="尺码偏小，建议买大一号", rating=3
    )
    assert review.language == "zh"


def test_a_rating_outside_one_to_five_is_refused(merchant):
    product = ProductFactory(merchant=merchant)
    with pytest.raises(ValidationError) as info:
        review_create(merchant=merchant, product=product, body="ok", rating=6)
    assert "rating" in info.value.message_dict
    assert Review.objects.count() == 0


def test_an_external_id_is_unique_per_merchant_and_source(merchant, other_merchant):
    product = ProductFactory(merchant=merchant)
    review_create(merchant=merchant, product=product, body="ok", source="taobao", external_id="9")
    review_create(merchant=merchant, product=product, body="ok", source="shopify", external_id="9")
    review_create(
        merchant=other_merchant,
        product=ProductFactory(merchant=other_merchant),
        body="ok",
        source="taobao",
        external_id="9",
    )
    with pytest.raises(ValidationError):
        review_create(
            merchant=merchant, product=product, body="dup", source="taobao", external_id="9"
        )


def test_reviews_without_an_external_id_may_repeat(merchant):
    product = ProductFactory(merchant=merchant)
    review_create(merchant=merchant, product=product, body="first")
    review_create(merchant=merchant, product=product, body="second")
    assert Review.objects.count() == 2


def test_a_review_cannot_point_at_another_merchants_product(merchant, other_merchant):
    with pytest.raises(ValueError):
        review_create(merchant=merchant, product=ProductFactory(merchant=other_merchant), body="x")

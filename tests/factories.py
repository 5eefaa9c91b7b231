"""factory_boy factories shared by every app's tests."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Membership, Merchant, Role
from forecasting.models import DailySales
from products.models import Product, StockLevel, StockSnapshot
from reviews.models import Review


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merchant

    name = factory.Sequence(lambda n: f"Store {n}")
    slug = factory.Sequence(lambda n: f"store-{n}")
    currency = "USD"
    timezone = "UTC"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    merchant = factory.SubFactory(MerchantFactory)
    role = Role.OWNER


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    merchant = factory.SubFactory(MerchantFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    title = factory.Sequence(lambda n: f"Stainless steel water bottle {n}")
    category = "Drinkware"
    brand = "Acme"
    attributes = factory.LazyFunction(lambda: {"material": "stainless steel", "capacity": "750 ml"})
    price = Decimal("24.90")
    cost = Decimal("9.50")
    currency = "USD"


class StockLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockLevel

    product = factory.SubFactory(ProductFactory)
    merchant = factory.SelfAttribute("product.merchant")
    on_hand = 100
    inbound = 0


class StockSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockSnapshot

    product = factory.SubFactory(ProductFactory)
    merchant = factory.SelfAttribute("product.merchant")
    date = factory.LazyFunction(lambda: timezone.localdate())
    on_hand = 100


class DailySalesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailySales

    product = factory.SubFactory(ProductFactory)
    merchant = factory.SelfAttribute("product.merchant")
    date = factory.Sequence(lambda n: dt.date(2025, 1, 1) + dt.timedelta(days=n))
    units = 3
    revenue = Decimal("74.70")


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    product = factory.SubFactory(ProductFactory)
    merchant = factory.SelfAttribute("product.merchant")
    source = "shopify"
    external_id = factory.Sequence(lambda n: f"r{n}")
    rating = 5
    title = "Great bottle"
    body = "Keeps water cold all day."
    language = "en"
    author_name = "Ann"

"""The product page's forecast and plan card, with a link to the forecast page."""

import pytest
from django.urls import reverse

from tests.factories import ProductFactory

from .factories import InventoryPlanFactory, SkuForecastFactory, flat_quantiles


@pytest.mark.django_db
def test_the_product_page_summarises_the_forecast_and_plan(viewer_client, merchant):
    product = ProductFactory(merchant=merchant)
    forecast = SkuForecastFactory(product=product, quantiles=flat_quantiles(10.0), mae=3.2)
    InventoryPlanFactory(product=product, forecast=forecast, order_quantity=480, days_of_cover=12)
    html = viewer_client.get(reverse("product-detail", kwargs={"product_id": product.pk}))
    html = html.content.decode()
    assert "280 units expected over the next 28 days" in html
    assert "Typically off by about 3 units a day" in html
    assert "480" in html
    assert reverse("forecast-product", kwargs={"product_id": product.pk}) in html


@pytest.mark.django_db
def test_a_product_without_a_forecast_links_to_its_forecast_page(viewer_client, merchant):
    product = ProductFactory(merchant=merchant)
    html = viewer_client.get(reverse("product-detail", kwargs={"product_id": product.pk}))
    html = html.content.decode()
    assert "Not forecast yet." in html
    assert reverse("forecast-product", kwargs={"product_id": product.pk}) in html

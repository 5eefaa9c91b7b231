"""The list pages offer their exports as submit buttons of the filter form, so a download gets
the filters on screen; the sales export form sends the product filters along (hx-include)."""

import pytest
from django.urls import reverse

from tests.factories import ProductFactory
from tests.forecast_pages.factories import InventoryPlanFactory, SkuForecastFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "exports"),
    [
        ("product-list", ["product-export-csv", "product-export-xlsx"]),
        ("review-list", ["review-export-csv", "review-export-xlsx"]),
        ("forecast-plan", ["forecast-export-csv", "forecast-export-xlsx"]),
    ],
)
def test_the_page_has_export_buttons_in_its_filter_form(viewer_client, page, exports):
    html = viewer_client.get(reverse(page)).content.decode()
    for name in exports:
        assert f'type="submit" formaction="{reverse(name)}"' in html


@pytest.mark.django_db
def test_the_product_list_offers_a_sales_export_with_dates(viewer_client):
    html = viewer_client.get(reverse("product-list")).content.decode()
    assert 'hx-include="#product-filters"' in html and 'id="product-filters"' in html
    assert 'name="date_from"' in html and 'name="date_to"' in html
    assert f'formaction="{reverse("sales-export-xlsx")}"' in html


@pytest.mark.django_db
def test_the_product_forecast_page_links_its_own_export(viewer_client, merchant):
    product = ProductFactory(merchant=merchant)
    InventoryPlanFactory(product=product, forecast=SkuForecastFactory(product=product))
    page = reverse("forecast-product", kwargs={"product_id": product.pk})
    html = viewer_client.get(page).content.decode()
    assert f"{reverse('forecast-export-xlsx')}?product={product.pk}" in html


@pytest.mark.django_db
def test_a_bad_date_range_from_the_sales_form_is_shown_in_place(viewer_client):
    response = viewer_client.get(
        reverse("sales-export-csv"),
        {"date_from": "2026-03-05", "date_to": "2026-03-01"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "HX-Redirect" not in response
    assert "end date is before the start date" in response.content.decode()

"""A new merchant with nothing yet gets a dashboard that says what each panel will hold."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_an_empty_store_renders_every_panel_with_its_empty_state(viewer_client):
    response = viewer_client.get(reverse("dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    for panel in ("crises", "reviews", "stockouts", "overstocks", "drafts", "jobs"):
        assert f'data-panel="{panel}"' in html
    assert html.count("cockpit-empty") == 7  # jobs has two lists: running and failed
    assert "No open crisis. Scans look for" in html
    assert "No inventory plan yet. Plans appear after the first forecast run." in html
    assert f'href="{reverse("forecast-run-list")}"' in html
    assert "No product's reviews got worse in the last 30 days" in html
    assert "No draft is waiting for approval." in html
    assert "Nothing is running." in html
    assert "No job failed in the last 7 days." in html
    assert "No sales recorded in the last 180 days." in html
    assert 'data-chart="revenue-spark-data"' not in html  # no trend to draw without sales


@pytest.mark.django_db
def test_a_plan_without_risks_says_so_instead_of_asking_for_a_forecast(viewer_client, merchant):
    from tests.factories import ProductFactory
    from tests.forecast_pages.factories import InventoryPlanFactory

    InventoryPlanFactory(product=ProductFactory(merchant=merchant), stockout_risk=0.01)
    html = viewer_client.get(reverse("dashboard")).content.decode()
    assert "No stockout risk: the 1 planned product has enough stock" in html
    assert "No overstock: no planned product holds more than its cover target." in html
    assert "No inventory plan yet." not in html

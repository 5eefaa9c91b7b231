"""Each panel of the cockpit lists the right rows, in the right order, linking to where they are
acted on."""

from __future__ import annotations

import pytest
from django.urls import reverse


def _panel(html: str, name: str) -> str:
    """The HTML of one panel (`data-panel="name"`), up to the end of its section."""
    start = html.index(f'data-panel="{name}"')
    return html[start : html.index("</section>", start)]


def _order(panel: str, *texts: str) -> list[str]:
    return sorted(texts, key=panel.index)


@pytest.fixture
def page(viewer_client, store):
    return viewer_client.get(reverse("dashboard")).content.decode()


def test_open_crises_come_most_money_at_risk_first_with_severity_in_words(page, store):
    panel = _panel(page, "crises")
    assert _order(panel, "big fire", "medium fire", "small fire") == [
        "big fire",
        "medium fire",
        "small fire",
    ]
    assert "resolved fire" not in panel
    assert ">Critical</span>" in panel and ">High</span>" in panel
    assert "$48,000.00" in panel
    assert 'data-sla="on_track"' in panel
    for name in ("big fire", "medium fire", "small fire"):
        assert reverse("crisis-detail", kwargs={"crisis_id": store[name].pk}) in panel
    assert f'href="{reverse("crisis-board")}"' in panel


def test_the_crisis_kpi_counts_every_open_crisis_and_its_money(page):
    start = page.index('id="kpi-crises"')
    card = page[start : page.index("</section>", start)]
    assert "$55,300.00" in card  # 48,000 + 7,000 + 300; the resolved one is not at risk
    assert "3 open crises" in card


def test_stockout_risks_come_highest_risk_first_and_link_to_the_forecast(page, store):
    panel = _panel(page, "stockouts")
    assert _order(panel, "likely stockout", "possible stockout") == [
        "likely stockout",
        "possible stockout",
    ]
    assert "safe stock" not in panel
    assert "90% stockout risk" in panel and "40% stockout risk" in panel
    assert "4 days of cover" in panel and "order 480" in panel
    assert "$6,200.00 of revenue at risk across them." in panel
    for name in ("likely stockout", "possible stockout"):
        url = reverse("forecast-product", kwargs={"product_id": store[name].product_id})
        assert url in panel
    assert f"{reverse('forecast-plan')}?view=at_risk&amp;sort=-stockout_risk" in panel
    assert "See all 2 products at risk" in panel


def test_overstocks_come_most_money_tied_up_first(page, store):
    panel = _panel(page, "overstocks")
    assert _order(panel, "big overstock", "small overstock") == [
        "big overstock",
        "small overstock",
    ]
    assert "900 units over target" in panel and "$9,000.00" in panel
    assert "$9,500.00 tied up beyond the cover target in total." in panel
    url = reverse("forecast-product", kwargs={"product_id": store["big overstock"].product_id})
    assert url in panel
    assert f"{reverse('forecast-plan')}?view=overstock&amp;sort=-overstock_value" in panel


def test_reviews_getting_worse_rank_by_the_growth_of_the_negative_share(page, store):
    panel = _panel(page, "reviews")
    assert _order(panel, "souring", "slipping") == ["souring", "slipping"]
    for steady in ("always bad", "too few", "recovering"):
        assert steady not in panel
    assert "4 of 5 reviews negative (80%)" in panel and "was 0%" in panel
    assert "+80.0 pts" in panel and "+25.0 pts" in panel
    for name in ("souring", "slipping"):
        url = reverse("review-product-insights", kwargs={"product_id": store[name].pk})
        assert url in panel
    assert reverse("review-insights") in panel


def test_drafts_waiting_for_approval_show_the_oldest_first_and_the_flagged_apart(page, store):
    panel = _panel(page, "drafts")
    older = reverse("content-draft", kwargs={"draft_id": store["older draft"].pk})
    newer = reverse("content-draft", kwargs={"draft_id": store["newer draft"].pk})
    assert panel.index(older) < panel.index(newer)
    flagged = reverse("content-draft", kwargs={"draft_id": store["flagged draft"].pk})
    approved = reverse("content-draft", kwargs={"draft_id": store["approved draft"].pk})
    assert flagged not in panel and approved not in panel
    assert "See all 2 waiting drafts" in panel
    assert f"{reverse('content-overview')}?queue=waiting" in panel
    assert "1 flagged draft makes claims the product facts do not support." in panel
    assert f"{reverse('content-overview')}?queue=flagged" in panel


def test_running_and_recently_failed_jobs_link_to_their_pages(page, store):
    panel = _panel(page, "jobs")
    for name in ("running job", "failed job"):
        assert reverse("job-detail", kwargs={"job_id": store[name].pk}) in panel
    for name in ("old failed job", "finished job"):
        assert reverse("job-detail", kwargs={"job_id": store[name].pk}) not in panel
    assert "Running or queued (1)" in panel and "Failed in the last 7 days (1)" in panel
    assert "file_unreadable" in panel
    assert f"{reverse('job-list')}?status=failed" in panel


def test_at_most_five_rows_per_list(viewer_client, merchant):
    from tests.crisis_pages.factories import CrisisFactory
    from tests.factories import ProductFactory
    from tests.forecast_pages.factories import InventoryPlanFactory

    for index in range(7):
        CrisisFactory(product=ProductFactory(merchant=merchant), title=f"Crisis number {index}")
        InventoryPlanFactory(
            product=ProductFactory(merchant=merchant), stockout_risk=0.5 + index / 100
        )
    html = viewer_client.get(reverse("dashboard")).content.decode()
    assert html.count('data-crisis="') == 5
    assert html.count("data-plan-stockout=") == 5
    assert "See all 7 open crises" in html and "See all 7 products at risk" in html

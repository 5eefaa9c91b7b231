"""Journey 3: start a forecast run from the inventory plan, watch it complete, then see the
product's forecast chart drawn and the plan rebuilt from the new run."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

# A run of Demo Store's 200 products on the forecast queue; two cores shared with other stacks.
RUN_TIMEOUT = 300_000


def _latest_run_href(page) -> str:
    """Where the plan page's "Latest forecast … Details" link leads: the run the plan is from."""
    summary = page.locator("main p").filter(has_text="Latest forecast:")
    expect(summary).to_be_visible()
    return summary.get_by_role("link", name="Details").get_attribute("href") or ""


def test_manager_runs_the_forecast_and_sees_the_chart_and_the_plan_update(portal):
    started = time.monotonic()
    manager = portal("manager")
    page = manager.page

    # The plan as the seed left it: built from the demo's first run.
    manager.goto("/forecasting/")
    expect(page.get_by_role("heading", name="Forecasts and inventory plan")).to_be_visible()
    before = _latest_run_href(page)
    assert re.fullmatch(r"/forecasting/runs/\d+/", before), before

    # Run every product; the run's page follows it until it ends.
    page.get_by_role("button", name="Run forecast now").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Forecast run of"))).to_be_visible()
    manager.assert_healthy()
    run_path = manager.path()
    assert run_path != before, run_path
    status = page.locator("#run-status")
    run_started = time.monotonic()
    expect(status.locator("#run-summary-title + .badge")).to_have_text(
        "succeeded", timeout=RUN_TIMEOUT
    )
    run_seconds = time.monotonic() - run_started
    manager.assert_healthy()
    products = status.locator("dt", has_text="Products forecast").locator(
        "xpath=following-sibling::dd[1]"
    )
    done, total = (int(n.replace(",", "")) for n in re.findall(r"[\d,]+", products.inner_text()))
    assert done == total > 0, (done, total)
    expect(status.locator("#run-metrics-title + table")).to_contain_text("MASE")

    # The plan now comes from this run.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Forecasts").click()
    manager.arrive(r"/forecasting/$")
    expect(page.get_by_role("heading", name="Forecasts and inventory plan")).to_be_visible()
    manager.assert_healthy()
    assert _latest_run_href(page) == run_path, (_latest_run_href(page), run_path)
    expect(page.locator("main p").filter(has_text="Latest forecast:")).to_contain_text(
        "(succeeded)"
    )

    # The product most at risk of a stockout: its forecast chart and its plan, from the new run.
    page.get_by_label("Sort by").select_option(label="Stockout risk (highest first)")
    expect(page).to_have_url(re.compile(r"sort=-stockout_risk"))
    first = page.locator("#plan-results tbody tr").first.get_by_role("link").first
    expect(first).to_be_visible()
    sku = first.inner_text().strip()
    first.click()
    expect(page.get_by_role("heading", name=re.compile(r"^Forecast: "))).to_be_visible()
    manager.assert_healthy()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text(sku)
    chart = page.locator("[data-forecast-chart]")
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    expect(chart.locator(".scatterlayer .trace").first).to_be_attached()
    run_link = page.locator("section[aria-labelledby=accuracy-title]").get_by_role(
        "link", name=re.compile(r"^Run of ")
    )
    expect(run_link).to_have_attribute("href", run_path)
    plan = page.locator("section[aria-labelledby=plan-title]")
    expect(plan).to_contain_text("Reorder point")
    expect(plan).to_contain_text("Computed:")
    manager.assert_healthy()

    print(
        f"\njourney 3 (forecast) took {time.monotonic() - started:.1f} s,"
        f" the run {run_seconds:.1f} s for {total} products"
    )

"""Every page the journeys visit, in 简体中文: no English UI text left on it.

The owner switches the portal to 简体中文 with the navigation bar's menu, then opens each page
(real objects found on the pages a user would find them on) and `assert_translated()` checks
the rendered page. Data (product titles, SKUs, review text, user names) is left as written:
the templates mark it `translate="no"`; what a page still shows in English is reported per page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from .portal import PortalPage

LLM_TIMEOUT = 300_000


def first_href(operator: PortalPage, list_path: str, pattern: str) -> str | None:
    """The first link of `list_path`'s main part whose path matches `pattern`."""
    operator.goto(list_path)
    hrefs = operator.page.locator("main a[href]").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    return next((href for href in hrefs if re.fullmatch(pattern, href.split("?")[0])), None)


# The product the pages are about, per stack: (its path, its title).
_PRODUCTS: dict[str, tuple[str, str]] = {}


def product(operator: PortalPage) -> str:
    """The product of the crisis at the top of the board: it has sales, stock and reviews."""
    if operator.stack.base_url not in _PRODUCTS:
        crisis = crisis_detail(operator)
        href = first_href(operator, crisis, r"/forecasting/products/\d+/")
        assert href, "the crisis page links no product"
        path = href.removeprefix("/forecasting")
        title = operator.page.request.get(f"/api/v1{path}").json()["title"]
        _PRODUCTS[operator.stack.base_url] = (path, title)
    return _PRODUCTS[operator.stack.base_url][0]


def data_shown(operator: PortalPage) -> tuple[str, ...]:
    """Data the pages show as written (in case a template has not marked it translate="no")."""
    known = _PRODUCTS.get(operator.stack.base_url)
    return (known[1],) if known else ()


def crisis_detail(operator: PortalPage) -> str:
    href = first_href(operator, "/crisis/", r"/crisis/\d+/")
    assert href, "the crisis board lists no crisis"
    return href


def content_draft(operator: PortalPage) -> str:
    href = first_href(operator, "/products/content/?queue=all", r"/products/content/drafts/\d+/")
    if href:
        return href
    operator.goto(product(operator) + "content/")
    operator.page.locator("select[name=kind]").select_option("title")
    operator.page.locator("form[action$='/content/generate/'] button[type=submit]").click()
    link = operator.page.locator("main a[href*='/products/content/drafts/']").first
    expect(link).to_be_visible(timeout=LLM_TIMEOUT)
    return link.get_attribute("href") or ""


def import_detail(operator: PortalPage) -> str:
    href = first_href(operator, "/imports/", r"/imports/\d+/(?:mapping/)?")
    if href is None:
        operator.goto("/imports/new/")
        operator.page.locator("select[name=kind]").select_option("stock")
        operator.page.locator("input[type=file][name=file]").set_input_files(
            {
                "name": "库存.csv",
                "mimeType": "text/csv",
                "buffer": b"sku,on_hand,inbound,date\nDRK-BTL-750-SLV,412,300,2026-03-05\n",
            }
        )
        operator.page.locator("form[action$='/imports/new/'] button[type=submit]").click()
        expect(operator.page).to_have_url(re.compile(r"/imports/\d+/mapping/$"))
        href = operator.path()
    return re.sub(r"mapping/$", "", href)


def import_mapping(operator: PortalPage) -> str:
    return import_detail(operator) + "mapping/"


def job_detail(operator: PortalPage) -> str:
    href = first_href(operator, "/jobs/", r"/jobs/\d+/")
    if href is None:
        operator.goto("/crisis/")
        operator.page.locator("form[action$='/crisis/scan/'] button[type=submit]").click()
        operator.page.wait_for_load_state()
        href = first_href(operator, "/jobs/", r"/jobs/\d+/")
    assert href, "no job to open"
    return href


def found(list_path: str, pattern: str) -> Callable[[PortalPage], str]:
    def finder(operator: PortalPage) -> str:
        href = first_href(operator, list_path, pattern)
        assert href, f"{list_path} links nothing like {pattern}"
        return href

    return finder


def fixed(path: str) -> Callable[[PortalPage], str]:
    return lambda operator: path


PAGES: dict[str, Callable[[PortalPage], str]] = {
    "dashboard": fixed("/"),
    "product-list": fixed("/products/"),
    "product-detail": product,
    "product-forecast": lambda operator: "/forecasting" + product(operator),
    "forecast-plan": fixed("/forecasting/"),
    "forecast-runs": fixed("/forecasting/runs/"),
    "forecast-run": found("/forecasting/runs/", r"/forecasting/runs/\d+/"),
    "planning-settings": fixed("/forecasting/settings/"),
    "content-overview": fixed("/products/content/"),
    "content-studio": lambda operator: product(operator) + "content/",
    "content-draft": content_draft,
    "content-bulk": fixed("/products/content/bulk/"),
    "review-inbox": fixed("/reviews/"),
    "review-insights": fixed("/reviews/insights/"),
    "review-product-insights": lambda operator: "/reviews" + product(operator),
    "review-detail": found("/reviews/", r"/reviews/\d+/"),
    "review-topic": found("/reviews/insights/", r"/reviews/topics/\d+/"),
    "crisis-board": fixed("/crisis/"),
    "crisis-detail": crisis_detail,
    "crisis-alerts": fixed("/crisis/alerts/"),
    "crisis-alert": found("/crisis/alerts/", r"/crisis/alerts/\d+/"),
    "crisis-settings": fixed("/crisis/settings/"),
    "import-list": fixed("/imports/"),
    "import-new": fixed("/imports/new/"),
    "import-mapping": import_mapping,
    "import-detail": import_detail,
    "jobs": fixed("/jobs/"),
    "job-detail": job_detail,
    "notifications": fixed("/notifications/"),
    "notification-preferences": fixed("/notifications/preferences/"),
    "merchant-settings": fixed("/settings/"),
    "members": fixed("/settings/members/"),
}


@pytest.mark.parametrize("page_name", list(PAGES))
def test_journey_page_has_no_english_ui_text_in_simplified_chinese(portal, page_name):
    operator = portal("demo")
    operator.switch_language("zh-hans")
    path = PAGES[page_name](operator)
    operator.goto(path)
    operator.page.wait_for_load_state("networkidle")  # htmx sections that load themselves
    assert operator.language() == "zh-hans"
    operator.assert_translated(allow=data_shown(operator))

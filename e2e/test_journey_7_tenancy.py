"""Journey 7: a second merchant's user sees none of the first merchant's data by URL guessing.

`demo` (owner of Demo Store) collects the addresses of Demo Store's objects the way a user
meets them: a crisis, its product, alert, review and topic, the product's forecast and
content studio, a content draft, a job, an import, a forecast run, a notification, and the
API's detail endpoints of the same objects. `second` (owner of Second Store only) opens every
one of them and gets 404 (never 403: that would confirm the object exists), also for POSTs to
the write URLs. Then none of Demo Store's names or SKUs appear anywhere on second's own pages.
"""

from __future__ import annotations

import html
import re

from playwright.sync_api import APIResponse, expect

from .portal import PortalPage

LLM_TIMEOUT = 300_000
SECOND_STORE = "Second Store"
DEMO_STORE = "Demo Store"


def csrf_post(operator: PortalPage, path: str, *, form: dict | None = None) -> APIResponse:
    cookies = {cookie["name"]: cookie["value"] for cookie in operator.page.context.cookies()}
    return operator.page.request.post(
        path, form=form or {}, headers={"X-CSRFToken": cookies["csrftoken"]}, max_redirects=0
    )


def hrefs(operator: PortalPage, pattern: str) -> list[str]:
    """Distinct links of the page's main part whose path matches `pattern` (in page order)."""
    found = operator.page.locator("main a[href]").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    matching = [href for href in found if re.fullmatch(pattern, href.split("?")[0])]
    return list(dict.fromkeys(matching))


def first_id(operator: PortalPage, pattern: str) -> int | None:
    links = hrefs(operator, pattern)
    return int(re.fullmatch(pattern, links[0]).group(1)) if links else None


def leaks(operator: PortalPage, markers: set[str]) -> list[str]:
    """Markers in the page's text, or (HTML-escaped) anywhere in its markup and attributes."""
    text = operator.page.locator("body").inner_text()
    markup = operator.page.content()
    return sorted(m for m in markers if m in text or m in markup or html.escape(m) in markup)


def api_json(operator: PortalPage, path: str) -> dict:
    response = operator.page.request.get(path)
    assert response.status == 200, f"GET {path}: {response.status}"
    return response.json()


# --- what `demo` collects -------------------------------------------------------------------
def demo_draft_id(owner: PortalPage, product_id: int) -> int:
    owner.goto("/products/content/?queue=all")
    draft_id = first_id(owner, r"/products/content/drafts/(\d+)/")
    if draft_id:
        return draft_id
    owner.goto(f"/products/{product_id}/content/")
    owner.page.get_by_label("Kind").select_option(label="Short title")
    owner.page.get_by_role("button", name="Generate candidates").click()
    review_link = owner.page.get_by_role("link", name="Review, edit and approve")
    expect(review_link).to_be_visible(timeout=LLM_TIMEOUT)
    return int(re.search(r"/drafts/(\d+)/", review_link.get_attribute("href")).group(1))


def demo_job_id(owner: PortalPage) -> int:
    owner.goto("/jobs/")
    job_id = first_id(owner, r"/jobs/(\d+)/")
    if job_id:
        return job_id
    owner.goto("/crisis/")
    owner.page.get_by_role("button", name="Scan now").click()
    owner.page.wait_for_load_state()
    owner.goto("/jobs/")
    job_id = first_id(owner, r"/jobs/(\d+)/")
    assert job_id, "a crisis scan left no job on the jobs page"
    return job_id


def demo_import_id(owner: PortalPage) -> int:
    owner.goto("/imports/")
    batch_id = first_id(owner, r"/imports/(\d+)/(?:mapping/)?")
    if batch_id:
        return batch_id
    owner.goto("/imports/new/")
    owner.page.get_by_label("What does the file contain?").select_option("stock")
    owner.page.get_by_label("File (CSV or Excel XLSX)").set_input_files(
        {
            "name": "demo-stock.csv",
            "mimeType": "text/csv",
            "buffer": b"sku,on_hand,inbound,date\nDRK-BTL-750-SLV,412,300,2026-03-05\n",
        }
    )
    owner.page.get_by_role("button", name="Upload and check the columns").click()
    expect(owner.page).to_have_url(re.compile(r"/imports/\d+/mapping/$"))
    return int(re.search(r"/imports/(\d+)/", owner.page.url).group(1))


def demo_objects(owner: PortalPage) -> dict[str, int]:
    """Ids of Demo Store objects, found on the pages where a user meets them."""
    owner.goto("/crisis/")
    crisis_id = first_id(owner, r"/crisis/(\d+)/")
    assert crisis_id, "Demo Store's crisis board lists no crisis"
    owner.goto(f"/crisis/{crisis_id}/")
    ids = {
        "crisis": crisis_id,
        "product": first_id(owner, r"/forecasting/products/(\d+)/"),
        "alert": first_id(owner, r"/crisis/alerts/(\d+)/"),
        "topic": first_id(owner, r"/reviews/topics/(\d+)/"),
        "review": first_id(owner, r"/reviews/(\d+)/"),
    }
    if ids["review"] is None:  # a crisis of stock or sales quotes no review: take the inbox's
        owner.goto("/reviews/")
        ids["review"] = first_id(owner, r"/reviews/(\d+)/")
    if ids["topic"] is None:
        owner.goto("/reviews/insights/")
        ids["topic"] = first_id(owner, r"/reviews/topics/(\d+)/")
    owner.goto("/forecasting/runs/")
    ids["run"] = first_id(owner, r"/forecasting/runs/(\d+)/")
    owner.goto("/notifications/")
    ids["notification"] = first_id(owner, r"/notifications/(\d+)/open/")
    ids["draft"] = demo_draft_id(owner, ids["product"])
    ids["job"] = demo_job_id(owner)
    ids["import"] = demo_import_id(owner)
    missing = [name for name, value in ids.items() if value is None]
    assert not missing, f"not found on Demo Store's pages: {missing}"
    return ids


def second_store_catalog(browser_as) -> set[str]:
    """SKUs and titles Second Store sells itself, seen by `demo` (who owns both stores):
    the two demo catalogues are drawn from one pool, so a shared name proves nothing."""
    owner = browser_as("demo")
    navbar = owner.page.locator("nav.navbar")
    navbar.locator("form[action$='/merchant/switch/']").locator(
        "xpath=preceding-sibling::button"
    ).click()
    with owner.page.expect_navigation():
        navbar.get_by_role("button", name=re.compile(SECOND_STORE)).click()
    expect(owner.page.locator("main")).to_contain_text(SECOND_STORE)
    products = api_json(owner, "/api/v1/products/?page_size=200")
    assert products["count"] == len(products["results"]), "Second Store has more than a page"
    return {product["sku"] for product in products["results"]} | {
        product["title"] for product in products["results"]
    }


# --- the journey ----------------------------------------------------------------------------
def test_a_second_merchants_user_gets_404_for_every_demo_store_url_and_sees_no_demo_data(
    portal,
):
    owner = portal("demo")
    ids = demo_objects(owner)
    product = api_json(owner, f"/api/v1/products/{ids['product']}/")
    crisis = api_json(owner, f"/api/v1/crises/{ids['crisis']}/")
    shared = second_store_catalog(portal)
    markers = {product["sku"], product["title"], crisis["title"], DEMO_STORE} - shared
    assert product["sku"] not in shared, "pick a product only Demo Store sells"

    pages = [
        f"/products/{ids['product']}/",
        f"/products/{ids['product']}/content/",
        f"/forecasting/products/{ids['product']}/",
        f"/reviews/products/{ids['product']}/",
        f"/reviews/products/{ids['product']}/summary/",
        f"/products/content/drafts/{ids['draft']}/",
        f"/reviews/{ids['review']}/",
        f"/reviews/topics/{ids['topic']}/",
        f"/crisis/{ids['crisis']}/",
        f"/crisis/{ids['crisis']}/playbook/",
        f"/crisis/alerts/{ids['alert']}/",
        f"/jobs/{ids['job']}/",
        f"/jobs/{ids['job']}/progress/",
        f"/imports/{ids['import']}/",
        f"/imports/{ids['import']}/mapping/",
        f"/imports/{ids['import']}/rejected.csv",
        f"/forecasting/runs/{ids['run']}/",
        f"/notifications/{ids['notification']}/open/",
    ]
    api = [
        f"/api/v1/products/{ids['product']}/",
        f"/api/v1/stock/{ids['product']}/",
        f"/api/v1/stock/{ids['product']}/history/",
        f"/api/v1/products/{ids['product']}/forecast/",
        f"/api/v1/inventory-plans/{ids['product']}/",
        f"/api/v1/products/{ids['product']}/review-insights/",
        f"/api/v1/content/drafts/{ids['draft']}/",
        f"/api/v1/reviews/{ids['review']}/",
        f"/api/v1/reviews/{ids['review']}/reply-drafts/",
        f"/api/v1/review-topics/{ids['topic']}/",
        f"/api/v1/crises/{ids['crisis']}/",
        f"/api/v1/crises/{ids['crisis']}/timeline/",
        f"/api/v1/alerts/{ids['alert']}/",
        f"/api/v1/jobs/{ids['job']}/",
        f"/api/v1/imports/{ids['import']}/",
        f"/api/v1/forecast-runs/{ids['run']}/",
    ]
    # Second is an owner: the role allows every one of these, so only the merchant scope stops it.
    writes = {
        f"/crisis/{ids['crisis']}/resolve/": {"cause": "guess", "worked": "", "followups": ""},
        f"/crisis/{ids['crisis']}/comment/": {"text": "guess"},
        f"/crisis/alerts/{ids['alert']}/acknowledge/": {},
        f"/products/content/drafts/{ids['draft']}/approve/": {},
        f"/products/content/drafts/{ids['draft']}/reject/": {"reason": "guess"},
        f"/products/{ids['product']}/content/generate/": {"kind": "title", "language": "en"},
        f"/reviews/{ids['review']}/reply/generate/": {"language": "en"},
        f"/jobs/{ids['job']}/cancel/": {},
        f"/imports/{ids['import']}/cancel/": {},
        f"/notifications/{ids['notification']}/read/": {},
    }

    second = portal("second")
    expect(second.page.locator("nav.navbar")).to_contain_text(SECOND_STORE)
    for path in pages:
        second.goto(path, expect_status=404)
        assert not (leaked := leaks(second, markers)), f"{path}: 404 page shows {leaked}"
    for path in api:
        response = second.page.request.get(path)
        assert response.status == 404, f"GET {path}: {response.status}"
        assert response.json()["error"]["code"] == "not_found", path
    for path, form in writes.items():
        response = csrf_post(second, path, form=form)
        assert response.status == 404, f"POST {path}: {response.status}"

    # (page, the query it echoes back in its search box and "no match" text)
    own_pages = [
        ("/", ""),
        ("/products/", ""),
        (f"/products/?q={product['sku']}", product["sku"]),
        (f"/products/?q={product['title']}", product["title"]),
        ("/crisis/", ""),
        ("/crisis/alerts/?status=all", ""),
        (f"/crisis/alerts/?sku={product['sku']}", product["sku"]),
        ("/reviews/", ""),
        ("/reviews/insights/", ""),
        ("/forecasting/", ""),
        ("/forecasting/runs/", ""),
        ("/products/content/?queue=all", ""),
        ("/jobs/", ""),
        ("/imports/", ""),
        ("/notifications/", ""),
        ("/settings/members/", ""),
    ]
    for path, query in own_pages:
        second.goto(path)
        leaked = leaks(second, markers - {query})
        assert not leaked, f"{path} shows Demo Store data: {leaked}"
    second.goto(f"/products/?q={product['sku']}")
    expect(second.page.locator(f"main a[href='/products/{ids['product']}/']")).to_have_count(0)
    for path in (f"/api/v1/products/?search={product['sku']}", "/api/v1/crises/"):
        body = api_json(second, path)
        leaked = [marker for marker in markers if marker in str(body)]
        assert not leaked, f"{path} returns Demo Store data: {leaked}"

"""Journey 6: a viewer cannot approve or publish (buttons absent, direct POST refused).

The owner (`demo`) finds real objects of Demo Store; the viewer (`viewer`, same store) opens
the same pages and sees no write button, then posts to the very URLs the owner's buttons post
to, with a valid CSRF token, and is refused with 403. The owner checks that nothing changed.
A control POST that a viewer *may* make proves the 403s are the role matrix, not CSRF.
"""

from __future__ import annotations

import re

from playwright.sync_api import APIResponse, expect

from .portal import PortalPage

LLM_TIMEOUT = 300_000  # one short title by the embedded model on two shared cores
OPEN_CRISIS = re.compile(r"^/crisis/\d+/$")
DRAFT_LINK = re.compile(r"/products/content/drafts/\d+/$")


# --- helpers --------------------------------------------------------------------------------
def csrf_post(
    operator: PortalPage,
    path: str,
    *,
    form: dict | None = None,
    multipart: dict | None = None,
    json: dict | None = None,
) -> APIResponse:
    """POST as the operator's browser session would: session cookie, CSRF cookie and header
    (`json` for the API, which takes JSON bodies)."""
    cookies = {cookie["name"]: cookie["value"] for cookie in operator.page.context.cookies()}
    assert "csrftoken" in cookies, "no CSRF cookie: open a portal page first"
    return operator.page.request.post(
        path,
        form=form,
        multipart=multipart,
        data=json,
        headers={"X-CSRFToken": cookies["csrftoken"]},
        max_redirects=0,
    )


def assert_refused(response: APIResponse, path: str) -> None:
    """403 from the role check; a CSRF failure would be a 403 too, so tell them apart."""
    body = response.text()
    assert response.status == 403, f"POST {path}: {response.status} {body[:300]}"
    for csrf_failure in ("CSRF verification failed", "CSRF Failed"):  # Django's, DRF's
        assert csrf_failure not in body, f"POST {path} failed the CSRF check, not the role check"


def api_json(operator: PortalPage, path: str) -> dict:
    response = operator.page.request.get(path)
    assert response.status == 200, f"GET {path}: {response.status}"
    return response.json()


def assert_viewer_token_works(viewer: PortalPage) -> None:
    """A POST every role may make succeeds with the same cookie and header."""
    response = csrf_post(viewer, "/notifications/read-all/")
    assert response.status in (200, 302), f"control POST: {response.status}"


def waiting_draft_url(owner: PortalPage) -> str:
    """A content draft of Demo Store waiting for approval; the owner writes one when none is."""
    page = owner.page
    owner.goto("/products/content/?queue=waiting")
    existing = page.locator("main a[href*='/products/content/drafts/']")
    if existing.count():
        return existing.first.get_attribute("href") or ""
    # A short title is the quickest thing the language model writes.
    owner.goto("/products/")
    page.locator("main table a[href^='/products/']").first.click()
    product_path = owner.path()
    owner.goto(product_path + "content/")
    page.get_by_label("Kind").select_option(label="Short title")
    page.get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Generate candidates").click()
    review_link = page.get_by_role("link", name="Review, edit and approve")
    expect(review_link).to_be_visible(timeout=LLM_TIMEOUT)
    owner.assert_healthy()
    href = review_link.get_attribute("href") or ""
    assert DRAFT_LINK.search(href), href
    return href


def open_crisis_path(owner: PortalPage) -> str:
    """An open crisis of Demo Store from the board (the planted review surge when it is open)."""
    owner.goto("/crisis/")
    links = owner.page.locator("main a[href^='/crisis/']")
    paths = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    crisis_paths = [path for path in paths if OPEN_CRISIS.match(path)]
    assert crisis_paths, "the crisis board of Demo Store lists no open crisis"
    surge = owner.page.locator("main a[href^='/crisis/']", has_text="Negative-review surge")
    if surge.count():
        return surge.first.get_attribute("href") or crisis_paths[0]
    return crisis_paths[0]


# --- journeys -------------------------------------------------------------------------------
def test_a_viewer_sees_no_approve_or_publish_on_a_draft_and_a_direct_post_is_refused(portal):
    owner = portal("demo")
    draft_path = waiting_draft_url(owner)
    draft_id = int(re.search(r"/drafts/(\d+)/", draft_path).group(1))
    api_path = f"/api/v1/content/drafts/{draft_id}/"
    before = api_json(owner, api_path)
    assert before["status"] == "draft", before
    owner.goto(draft_path)
    # The owner's page has the buttons the viewer must not have (Approve may be disabled when
    # the check flagged a claim, but it is there).
    expect(owner.page.get_by_role("button", name="Approve")).to_be_visible()
    expect(owner.page.get_by_role("button", name="Reject")).to_be_visible()

    viewer = portal("viewer")
    viewer.goto(draft_path)
    main = viewer.page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_be_visible()
    for name in ("Approve", "Publish", "Reject", "Override the check", "Save and check"):
        expect(main.get_by_role("button", name=name)).to_have_count(0)
    expect(main.get_by_role("button", name="Use this candidate")).to_have_count(0)
    expect(main.locator("textarea")).to_have_count(0)
    viewer.goto(f"/products/{before['product']}/content/")
    expect(viewer.page.get_by_role("button", name="Generate candidates")).to_have_count(0)

    assert_viewer_token_works(viewer)
    text = before["text"]
    attempts = {
        f"/products/content/drafts/{draft_id}/approve/": {},
        f"/products/content/drafts/{draft_id}/publish/": {},
        f"/products/content/drafts/{draft_id}/reject/": {"reason": "viewer says no"},
        f"/products/content/drafts/{draft_id}/override/": {"reason": "viewer knows better"},
        f"/products/content/drafts/{draft_id}/edit/": {"text": text + " Now 50% off!"},
        f"/products/content/drafts/{draft_id}/choose/": {"index": "0"},
        f"/products/{before['product']}/content/generate/": {
            "kind": "title",
            "language": "en",
            "candidates": "1",
        },
    }
    for path, form in attempts.items():
        assert_refused(csrf_post(viewer, path, form=form), path)
    for action in ("approve", "publish", "reject"):
        path = f"{api_path}{action}/"
        response = csrf_post(viewer, path, json={})
        assert_refused(response, path)
        assert response.json()["error"]["code"] == "permission_denied"

    after = api_json(owner, api_path)
    for key in ("status", "text", "approved_at", "published_at", "rejected_at", "override_at"):
        assert after.get(key) == before.get(key), (key, before.get(key), after.get(key))
    owner.goto(draft_path)
    expect(owner.page.get_by_role("button", name="Approve")).to_be_visible()
    expect(owner.page.locator("main")).not_to_contain_text("Now 50% off!")


def test_a_viewer_sees_no_crisis_buttons_and_cannot_resolve_or_acknowledge_by_post(portal):
    owner = portal("demo")
    crisis_path = open_crisis_path(owner)
    crisis_id = int(re.search(r"/crisis/(\d+)/", crisis_path).group(1))
    api_path = f"/api/v1/crises/{crisis_id}/"
    before = api_json(owner, api_path)
    owner.goto(crisis_path)
    expect(owner.page.locator("summary", has_text="Resolve…")).to_be_visible()
    alert_paths = sorted(
        set(
            owner.page.locator("main a[href^='/crisis/alerts/']").evaluate_all(
                "els => els.map(e => e.getAttribute('href'))"
            )
        )
    )
    alert_ids = [
        int(m.group(1)) for p in alert_paths if (m := re.match(r"/crisis/alerts/(\d+)/$", p))
    ]
    assert alert_ids, f"crisis {crisis_id} shows no alert"

    viewer = portal("viewer")
    viewer.goto(crisis_path)
    main = viewer.page.locator("main")
    expect(main).to_contain_text("Your role may read this crisis but not change it.")
    for name in (
        "Acknowledge: I am on it",
        "Change status",
        "Assign",
        "Resolve the crisis",
        "Draft a playbook",
        "Draft a new playbook",
        "Propose",
        "Add comment",
        "Approve",
        "Reject",
    ):
        expect(main.get_by_role("button", name=name, exact=True)).to_have_count(0)
    expect(main.locator("summary", has_text="Resolve…")).to_have_count(0)
    expect(main.locator("summary", has_text="Propose an action")).to_have_count(0)
    viewer.goto(f"/crisis/alerts/{alert_ids[0]}/")
    for name in ("Acknowledge", "Snooze", "Resolve"):
        expect(viewer.page.locator("main").get_by_role("button", name=name)).to_have_count(0)
    viewer.goto("/crisis/")
    expect(viewer.page.get_by_role("button", name="Scan now")).to_have_count(0)

    assert_viewer_token_works(viewer)
    attempts = {
        f"/crisis/{crisis_id}/resolve/": {
            "cause": "A viewer decided",
            "worked": "Nothing",
            "followups": "None",
        },
        f"/crisis/{crisis_id}/acknowledge/": {},
        f"/crisis/{crisis_id}/status/": {"status": "investigating"},
        f"/crisis/{crisis_id}/comment/": {"text": "A viewer was here"},
        f"/crisis/{crisis_id}/playbook/draft/": {},
        f"/crisis/{crisis_id}/actions/": {"kind": "note", "title": "Viewer action"},
        f"/crisis/alerts/{alert_ids[0]}/resolve/": {},
        f"/crisis/alerts/{alert_ids[0]}/acknowledge/": {},
        "/crisis/scan/": {},
        "/crisis/settings/": {},
    }
    for path, form in attempts.items():
        assert_refused(csrf_post(viewer, path, form=form), path)
    for path in (f"{api_path}resolve/", f"{api_path}status/"):
        response = csrf_post(
            viewer, path, json={"cause": "x", "worked": "y", "status": "monitoring"}
        )
        assert_refused(response, path)

    after = api_json(owner, api_path)
    for key in ("status", "acknowledged_at", "resolved_at", "owner"):
        assert after[key] == before[key], (key, before[key], after[key])
    owner.goto(crisis_path)
    expect(owner.page.locator("summary", has_text="Resolve…")).to_be_visible()
    expect(owner.page.locator("main")).not_to_contain_text("A viewer was here")
    expect(owner.page.locator("main")).not_to_contain_text("Viewer action")


def test_a_viewer_cannot_start_a_forecast_run_a_review_reply_or_an_import(portal):
    owner = portal("demo")
    runs_before = api_json(owner, "/api/v1/forecast-runs/")["count"]
    imports_before = api_json(owner, "/api/v1/imports/")["count"]
    owner.goto("/reviews/?q=leak")
    review_link = owner.page.locator("main a[href^='/reviews/']").filter(
        has_text=re.compile("Leak", re.IGNORECASE)
    )
    expect(review_link.first).to_be_visible()
    review_path = review_link.first.get_attribute("href") or ""
    review_id = int(re.match(r"/reviews/(\d+)/$", review_path).group(1))
    replies_path = f"/api/v1/reviews/{review_id}/reply-drafts/"
    replies_before = api_json(owner, replies_path)
    owner.goto(review_path)
    expect(owner.page.get_by_role("button", name=re.compile("reply draft"))).to_be_visible()
    owner.goto("/forecasting/runs/")
    expect(
        owner.page.get_by_role("button", name="Run forecast now").or_(
            owner.page.get_by_role("link", name="A forecast is running…")
        )
    ).to_be_visible()

    viewer = portal("viewer")
    viewer.goto("/forecasting/runs/")
    expect(viewer.page.get_by_role("button", name="Run forecast now")).to_have_count(0)
    viewer.goto(review_path)
    expect(viewer.page.get_by_role("button", name=re.compile("reply draft"))).to_have_count(0)
    viewer.goto("/imports/new/")
    expect(viewer.page.get_by_role("button", name="Upload and check the columns")).to_have_count(0)
    expect(viewer.page.locator("main input[type=file]")).to_have_count(0)
    viewer.goto("/imports/")
    expect(viewer.page.get_by_role("link", name="New import")).to_have_count(0)

    assert_viewer_token_works(viewer)
    assert_refused(csrf_post(viewer, "/forecasting/runs/start/", form={}), "runs/start")
    path = f"/reviews/{review_id}/reply/generate/"
    assert_refused(csrf_post(viewer, path, form={"language": "en"}), path)
    upload = {
        "kind": "stock",
        "file": {
            "name": "stock.csv",
            "mimeType": "text/csv",
            "buffer": b"sku,on_hand,inbound,date\nELE-CHG-65W-WHT,1,0,2026-01-01\n",
        },
    }
    assert_refused(csrf_post(viewer, "/imports/new/", multipart=upload), "/imports/new/")
    assert_refused(csrf_post(viewer, "/reviews/analyse/", form={}), "/reviews/analyse/")

    assert api_json(owner, "/api/v1/forecast-runs/")["count"] == runs_before
    assert api_json(owner, "/api/v1/imports/")["count"] == imports_before
    assert api_json(owner, replies_path) == replies_before

"""Journey 5: the crisis center, from the planted review surge to its post-mortem.

The demo seed plants a surge of negative reviews about a leaking bottle and scans the store, so
the crisis board lists it. The demo owner opens it from the board, reads the evidence (the
chart, the complaint topics and the reviews it cites), has the language model draft a playbook
(a job on the llm queue; a checked fallback stands in when the model's output fails the
checker), approves one of the proposed actions, moves the crisis along and resolves it with a
post-mortem, which the form insists on. The crisis then sits among the resolved ones.
"""

import re
import time

from playwright.sync_api import expect

SURGE_SKU = "DRK-BTL-750-SLV"
SURGE_KIND = "Negative-review surge"
# A playbook is two generations of the embedded model (the listing fix's wording, then the
# playbook itself, 120 + 256 new tokens from long prompts): half a minute on a free core, but
# well over five minutes on two cores shared with other work.
PLAYBOOK_TIMEOUT_MS = 720_000
CAUSE = "A batch of lids with a faulty sealing ring leaked (supplier lot change)."


def test_operator_opens_the_review_surge_reads_evidence_approves_an_action_and_resolves_it(
    portal,
):
    started = time.monotonic()
    operator = portal("demo")
    page = operator.page

    # The board lists the planted surge among the open crises; open it as a user does.
    operator.goto("/crisis/")
    row = page.locator("table.crisis-board tbody tr").filter(has_text=SURGE_KIND)
    row = row.filter(has_text=SURGE_SKU)
    expect(row).to_have_count(1)
    row.get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text("Summit Insulated Water Bottle")
    crisis_path = operator.path()
    assert re.fullmatch(r"/crisis/\d+/", crisis_path), crisis_path
    operator.assert_healthy()

    # The evidence: the surge's numbers and chart, the complaint topics, the cited reviews.
    surge = page.locator("article.crisis-evidence").filter(has_text="surge of negative reviews")
    expect(surge).to_be_visible()
    expect(surge).to_contain_text("negative")
    expect(surge.locator(".evidence-chart .main-svg").first).to_be_visible()
    expect(surge.locator(".evidence-links")).to_contain_text("leak")
    review_link = surge.locator(".evidence-links a").filter(has_text=re.compile(r"^Review "))
    expect(review_link.first).to_be_visible()
    review_link.first.click()
    # A cited review is one of the complaints about the leaking lid (English or Chinese).
    expect(page.locator("main")).to_contain_text(re.compile(r"leak|漏"))
    operator.assert_healthy()
    page.go_back()
    expect(page.locator("h1")).to_contain_text("Summit Insulated Water Bottle")

    # The playbook: draft one unless the crisis has one; the section polls the job and the
    # page reloads when it is ready (drafting also proposes the actions).
    playbook = page.locator("#playbook")
    draft_button = playbook.get_by_role("button", name="Draft a playbook")
    if draft_button.count():
        draft_button.click()
    expect(page.locator("#playbook").get_by_role("heading", name="What happened")).to_be_visible(
        timeout=PLAYBOOK_TIMEOUT_MS
    )
    playbook_at = time.monotonic()
    playbook = page.locator("#playbook")
    expect(playbook.get_by_role("heading", name="Likely cause")).to_be_visible()
    expect(playbook.locator(".playbook-statements li").first).to_be_visible()
    operator.assert_healthy()

    # Approve one proposed action; it takes effect inside EcomOps (or becomes a to-do).
    proposed = page.locator(".crisis-action[data-action-status='proposed']")
    expect(proposed.first).to_be_visible()
    action_id = proposed.first.get_attribute("id")
    action_title = proposed.first.locator(".fw-semibold").first.inner_text().strip()
    proposed.first.get_by_role("button", name=re.compile(r"^Approve")).click()
    action = page.locator(f"#{action_id}")
    expect(action).to_have_attribute("data-action-status", re.compile(r"^(applied|approved)$"))
    expect(action).to_contain_text(re.compile(r"decided by demo"))
    timeline = page.locator("#timeline")
    expect(timeline.locator(".timeline-event[data-kind='action_approved']")).to_contain_text(
        action_title
    )
    operator.assert_healthy()

    # Take it on and move it along: acknowledge, then mitigating.
    page.get_by_role("button", name="Acknowledge: I am on it").click()
    expect(page.locator(".crisis-metric[data-metric='acknowledge']")).not_to_contain_text(
        "not acknowledged yet"
    )
    page.get_by_label("New status").select_option(label="Mitigating")
    page.get_by_role("button", name="Change status").click()
    expect(page.locator("h1").locator("xpath=..")).to_contain_text("Mitigating")
    operator.assert_healthy()

    # Resolving asks for a post-mortem: without a cause the form says so.
    respond = page.locator("#respond")
    respond.locator("summary", has_text="Resolve").click()
    respond.get_by_role("button", name="Resolve the crisis").click()
    respond = page.locator("#respond")
    expect(respond.get_by_text("This field is required.")).to_be_visible()
    expect(page.locator("h1").locator("xpath=..")).not_to_contain_text("Resolved")
    respond.get_by_label("Cause").fill(CAUSE)
    respond.get_by_label("What worked").fill("Pulling the batch and replying to every review.")
    respond.get_by_label("Follow-ups").fill("Pressure-test lids of each incoming batch.")
    respond.get_by_role("button", name="Resolve the crisis").click()

    expect(page.locator("h1").locator("xpath=..")).to_contain_text("Resolved")
    postmortem = page.locator("#postmortem")
    expect(postmortem).to_contain_text(CAUSE)
    expect(postmortem).to_contain_text("Resolved by demo")
    expect(page.locator(".crisis-metric[data-metric='resolve']")).not_to_contain_text(
        "not resolved yet"
    )
    timeline = page.locator("#timeline")
    expect(timeline.locator(".timeline-event[data-kind='postmortem']")).to_contain_text(CAUSE)
    expect(timeline.locator(".timeline-event").last).to_contain_text("Resolved.")
    operator.assert_healthy()

    # The board: gone from the open crises, listed among the resolved ones.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Crises").click()
    operator.arrive(r"/crisis/$")
    board = page.locator("table.crisis-board tbody")
    expect(board.locator("tr").filter(has_text=SURGE_SKU)).to_have_count(0)
    page.get_by_label("Status").select_option(label="Resolved")
    # The filter applies itself (htmx) and puts the choice in the address.
    expect(page).to_have_url(re.compile(r"[?&]status=resolved"))
    resolved_row = board.locator("tr").filter(has_text=SURGE_SKU)
    expect(resolved_row).to_have_count(1)
    expect(resolved_row).to_contain_text("Resolved")
    operator.assert_healthy()

    finished = time.monotonic()
    print(
        f"\njourney 5 (crisis): {finished - started:.1f} s in all, "
        f"playbook ready after {playbook_at - started:.1f} s"
    )

"""Journey 4: the content studio, from the language model's draft to the shop and back.

The demo owner generates a long description for the frying pan of the demo store with the
real embedded model (a Celery job on the llm queue), sees which facts of the text the grounding
checker tied to the product's attributes, edits the text, approves and publishes it, and then
restores the description the product had before from the version history.

The frying pan (`KIT-PAN-28-GRY`) is a planted-crisis product, so the seed always gives it a
description: its first publish keeps that text as a version, which is what gets restored.
"""

import re
import time

from playwright.sync_api import expect

PRODUCT_SKU = "KIT-PAN-28-GRY"
PRODUCT_SEARCH = "Nonstick Frying Pan"
# The embedded SmolLM2 writes ~15 tokens/s on a free core, a description in well under a
# minute; on two cores shared with other work (and a first model load) it takes minutes.
GENERATION_TIMEOUT_MS = 420_000
EDITED_SENTENCE = "A pan for everyday cooking at home."


def test_operator_generates_a_grounded_description_edits_publishes_and_restores_the_old_one(
    portal,
):
    started = time.monotonic()
    operator = portal("demo")
    page = operator.page

    # Find the product the way an operator does: search the catalogue, open it.
    operator.goto("/products/")
    operator.search(PRODUCT_SEARCH)
    page.get_by_role("link", name=PRODUCT_SKU).click()
    expect(page.locator("h1")).to_contain_text("Frying Pan")
    operator.assert_healthy()
    description = page.locator(".product-description")
    expect(description).to_be_visible()
    old_description = description.inner_text().strip()
    assert old_description

    # The product's studio: generate one long description in the store's language (English).
    page.get_by_role("link", name="Content studio").click()
    expect(page.locator("h1")).to_contain_text("Content studio")
    page.get_by_label("Kind").select_option(label="Long description")
    expect(page.get_by_label("Language")).to_have_value("en")
    page.get_by_role("button", name="Generate candidates").click()
    assert "?job=" in page.url, page.url

    # The job's progress polls itself; once it has succeeded, the candidate is shown in place
    # with its claims marked: green where a product attribute supports the fact.
    job = page.locator("section.content-job")
    expect(job.locator("[data-job-status='succeeded']")).to_be_visible(
        timeout=GENERATION_TIMEOUT_MS
    )
    generated_at = time.monotonic()
    candidate = job.locator(".content-candidate").first
    expect(candidate).to_be_visible()
    supported = candidate.locator("mark[data-claim='supported']")
    expect(supported.first).to_be_visible()
    # Hovering a highlighted fact names the attribute it rests on.
    expect(supported.first).to_have_attribute("title", re.compile(r"^Supported by: .+"))
    operator.assert_healthy()

    # The draft: the same highlights, a diff against the description published now.
    job.get_by_role("link", name="Review, edit and approve").click()
    expect(page.locator("h1")).to_contain_text("Long description")
    text_card = page.locator("section[aria-labelledby='text-title']")
    expect(text_card.locator("mark[data-claim='supported']").first).to_be_visible()
    expect(page.locator("section[aria-labelledby='diff-title']")).to_contain_text("words added")

    # Edit: add a sentence of our own; every edit is checked against the facts again.
    editor = page.get_by_label("Text", exact=True)
    edited_text = f"{editor.input_value().rstrip()} {EDITED_SENTENCE}"
    editor.fill(edited_text)
    page.get_by_label("Note (optional)").fill("Added a line about everyday use.")
    page.get_by_role("button", name="Save and check").click()
    expect(page.locator(".content-text").first).to_contain_text(EDITED_SENTENCE)
    expect(page.locator("section[aria-labelledby='revisions-title']")).to_contain_text(
        "Added a line about everyday use."
    )
    operator.assert_healthy()

    # A small model may still leave a claim the facts do not back; the owner then overrides
    # the check with a reason (recorded) instead of editing the whole text away.
    if page.locator("#unsupported-alert").is_visible():
        page.get_by_label("Why are the flagged claims correct?").fill(
            "Checked against the supplier's spec sheet."
        )
        page.get_by_role("button", name="Override the check").click()
        expect(page.get_by_text("Override recorded")).to_be_visible()

    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_text("Approved. It can be published now.")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published: the product's description is updated.")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Published by demo")).to_be_visible()
    operator.assert_healthy()

    # The version history: the new text is current; the description from before is kept.
    page.get_by_role("link", name="Version history and restore").click()
    history = page.locator("#history")
    current = history.locator("tbody tr.table-success")
    expect(current).to_have_count(1)
    # The history shows the start of each text: the current one is the text just published.
    expect(current).to_contain_text(edited_text[:60])
    expect(current).not_to_contain_text(old_description[:60])
    previous = history.locator("tbody tr").filter(has_text=old_description[:60]).first
    expect(previous).to_be_visible()
    previous.get_by_role("button", name="Restore").click()

    expect(page.get_by_text("Restored: that text is the current version again.")).to_be_visible()
    current = history.locator("tbody tr.table-success")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Restored")
    expect(current).to_contain_text(old_description[:60])
    expect(current).not_to_contain_text(edited_text[:60])
    operator.assert_healthy()

    # The product's own description is the old text again.
    page.get_by_role("link", name=PRODUCT_SKU).click()
    expect(page.locator(".product-description")).to_have_text(old_description)
    expect(page.locator(".product-description")).not_to_contain_text(EDITED_SENTENCE)
    operator.assert_healthy()

    finished = time.monotonic()
    print(
        f"\njourney 4 (content): {finished - started:.1f} s in all, "
        f"generation {generated_at - started:.1f} s"
    )

"""`make screenshots`: the main pages of the demo store in English and 简体中文, at desktop
width and on a 390 px phone, as PNG files in docs/screenshots/ (`<page>-<lang>[-phone].png`).

Builds a live stack like the browser tests (or uses `E2E_BASE_URL`), logs in as the demo owner,
finds each object the way a user does (the planted crises on the board, the best-seller through
its stock-out crisis), writes a content draft with the embedded language model and uploads
and imports a sample file when the store has none, waits for the charts to draw, and prints a
table of the files written. Shots are cut at SHOT_HEIGHT pixels so the files stay small.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

from .portal import PortalPage
from .stack import CHROMIUM, CHROMIUM_ARGS, ROOT, Stack, stack_start, stack_stop

OUTPUT = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOT_HEIGHT = 1800
LANGUAGES = ("en", "zh-hans")
LLM_TIMEOUT = 300_000
IMPORT_TIMEOUT = 180_000
CHART_TIMEOUT = 30_000
CHARTS = "[data-chart], [data-forecast-chart], [data-review-chart], [data-evidence-chart]"
# Every chart on the page drew its SVG (charts in a hidden tab or a closed section are skipped).
CHARTS_DRAWN = f"""() => [...document.querySelectorAll({CHARTS!r})]
  .every(el => el.offsetParent === null || el.querySelector('svg.main-svg'))"""


@dataclass
class Shot:
    name: str
    path: str
    phone_too: bool = True


# --- finding the demo's objects -----------------------------------------------------------
def _links(page: Page, pattern: str, *, has_text: str | None = None) -> list[str]:
    anchors = page.locator("main a[href]")
    if has_text:
        anchors = anchors.filter(has_text=has_text)
    hrefs = anchors.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return [href for href in hrefs if re.fullmatch(pattern, href.split("#")[0])]


def _crisis(operator: PortalPage, kind_label: str) -> str:
    """A crisis of the board by its kind ("Negative-review surge", "Stockout risk")."""
    operator.goto("/crisis/")
    found = _links(operator.page, r"/crisis/\d+/", has_text=kind_label)
    if not found:  # resolved already (a stack the journeys ran against): any crisis then
        found = _links(operator.page, r"/crisis/\d+/")
    if not found:
        operator.goto("/crisis/?status=resolved")
        found = _links(operator.page, r"/crisis/\d+/")
    if not found:
        raise RuntimeError("the crisis board of the demo store is empty")
    return found[0]


def _bestseller(operator: PortalPage) -> int:
    """The planted best-seller: the product of the stock-out crisis."""
    operator.goto(_crisis(operator, "Stockout risk"))
    forecast = _links(operator.page, r"/forecasting/products/\d+/")
    return int(re.search(r"\d+", forecast[0]).group())


def _draft(operator: PortalPage, product_id: int) -> str:
    """A content draft; the language model writes a long description when there is none."""
    operator.goto("/products/content/?queue=all")
    found = _links(operator.page, r"/products/content/drafts/\d+/", has_text="Long description")
    if found:
        return found[0]
    operator.goto(f"/products/{product_id}/content/")
    page = operator.page
    page.get_by_label("Kind").select_option("description")
    page.get_by_label("Language").select_option("en")
    print("Writing a content draft with the embedded language model…", flush=True)
    page.get_by_role("button", name="Generate candidates").click()
    review = page.get_by_role("link", name="Review, edit and approve")
    expect(review).to_be_visible(timeout=LLM_TIMEOUT)
    return review.get_attribute("href") or ""


def _import(operator: PortalPage) -> str:
    """A finished import: the sample stock file, uploaded, mapped and loaded through the UI."""
    operator.goto("/imports/")
    found = _links(operator.page, r"/imports/\d+/")
    if found:
        return found[0]
    page = operator.page
    sample = page.request.get("/imports/samples/stock_template.csv")
    assert sample.ok, sample.status
    operator.goto("/imports/new/")
    page.get_by_label("What does the file contain?").select_option("stock")
    page.get_by_label("File (CSV or Excel XLSX)").set_input_files(
        {"name": "stock_template.csv", "mimeType": "text/csv", "buffer": sample.body()}
    )
    page.get_by_role("button", name="Upload and check the columns").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/mapping/$"))
    page.get_by_role("button", name="Start the import").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    # The status section stops polling itself when the import has ended.
    expect(page.locator("#import-status[hx-trigger]")).to_have_count(0, timeout=IMPORT_TIMEOUT)
    return operator.path()


def shots_plan(operator: PortalPage) -> list[Shot]:
    product_id = _bestseller(operator)
    return [
        Shot("dashboard", "/"),
        Shot("product-forecast", f"/forecasting/products/{product_id}/"),
        Shot("plan", "/forecasting/"),
        Shot("crisis-board", "/crisis/"),
        Shot("crisis-detail", _crisis(operator, "Negative-review surge")),
        Shot("content-draft", _draft(operator, product_id)),
        Shot("content-studio", f"/products/{product_id}/content/", phone_too=False),
        Shot("review-insights", "/reviews/insights/", phone_too=False),
        Shot("import-detail", _import(operator)),
    ]


# --- rendering ------------------------------------------------------------------------------
def _shoot(page: Page, target: Path, *, width: int) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function(CHARTS_DRAWN, timeout=CHART_TIMEOUT)
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(300)  # Plotly's transitions
    height = min(SHOT_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
    page.screenshot(
        path=str(target),
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": height},
    )


def render(
    browser: Browser, stack: Stack, shots: list[Shot], *, language: str, phone: bool
) -> list[Path]:
    viewport = PHONE if phone else DESKTOP
    context = browser.new_context(
        base_url=stack.base_url, viewport=viewport, device_scale_factor=1, locale="en-US"
    )
    context.set_default_timeout(30_000)
    try:
        operator = PortalPage(page=context.new_page(), stack=stack)
        operator.login("demo")
        if language != "en":
            operator.switch_language(language)
        written = []
        for shot in shots:
            if phone and not shot.phone_too:
                continue
            operator.goto(shot.path)
            target = OUTPUT / f"{shot.name}-{language}{'-phone' if phone else ''}.png"
            _shoot(operator.page, target, width=viewport["width"])
            written.append(target)
        return written
    finally:
        context.close()


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (no imaging library needed)."""
    header = path.read_bytes()[:24]
    return struct.unpack(">II", header[16:24])


def _table(paths: list[Path]) -> str:
    rows = []
    for path in paths:
        width, height = _png_size(path)
        size = f"{width}x{height}"
        rows.append((str(path.relative_to(ROOT)), size, f"{path.stat().st_size / 1024:.0f} KB"))
    widths = [max(len(row[i]) for row in [("file", "pixels", "size"), *rows]) for i in range(3)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(("file", "pixels", "size"), widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def _warn_without_chinese_font() -> None:
    """Without a CJK font Chromium draws 简体中文 as empty boxes (Debian: fonts-wqy-microhei)."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return
    found = subprocess.run(  # noqa: S603 - a fixed fontconfig query
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if not found:
        print(
            "warning: no Chinese font installed; the zh-hans screenshots will show boxes "
            "(apt-get install fonts-wqy-microhei)",
            file=sys.stderr,
        )


def _with_stack(work: Callable[[Stack], None]) -> None:
    external = os.environ.get("E2E_BASE_URL")
    if external:
        work(
            Stack(base_url=external, data_dir=ROOT, env=dict(os.environ), log_path=Path(os.devnull))
        )
        return
    print("Starting a demo stack (migrate, seed_demo, run_demo)…", flush=True)
    stack = stack_start()
    print(f"Stack up at {stack.base_url} in {sum(stack.timings.values()):.0f} s.", flush=True)
    try:
        work(stack)
    finally:
        stack_stop(stack)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", default=None, help="page names to render")
    options = parser.parse_args()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    _warn_without_chinese_font()
    started = time.monotonic()

    def work(stack: Stack) -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(base_url=stack.base_url, viewport=DESKTOP)
                context.set_default_timeout(30_000)
                operator = PortalPage(page=context.new_page(), stack=stack)
                operator.login("demo")
                shots = shots_plan(operator)
                context.close()
                if options.only:
                    shots = [shot for shot in shots if shot.name in options.only]
                written = []
                for language in LANGUAGES:
                    for phone in (False, True):
                        written += render(browser, stack, shots, language=language, phone=phone)
            finally:
                browser.close()
        print(_table(written))
        print(f"{len(written)} screenshots in {time.monotonic() - started:.0f} s.")

    try:
        _with_stack(work)
    except Exception as error:
        print(f"screenshots failed: {error}", file=sys.stderr)
        raise


if __name__ == "__main__":
    main()

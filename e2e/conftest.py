"""Fixtures of the browser tests: one live stack per session, one Chromium, a fresh browser
context per user, screenshots of every open page when a test fails.

`E2E_STACK=<data dir>` runs the journeys against a stack kept up by `python -m e2e.stack`, and
`E2E_BASE_URL=http://127.0.0.1:8000/` against any running portal (`make demo`, for instance),
instead of building one; the journeys change its data.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from .portal import PortalPage
from .stack import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    Stack,
    stack_attach,
    stack_start,
    stack_stop,
)

ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "e2e" / "artifacts"))
DESKTOP = {"width": 1366, "height": 900}
# Assertions wait up to 15 s (Playwright's default is 5): two cores shared by the portal, the
# worker and the browser answer slowly at times.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def stack(request: pytest.FixtureRequest) -> Iterator[Stack]:
    if os.environ.get("E2E_STACK"):
        yield stack_attach(os.environ["E2E_STACK"])
        return
    external = os.environ.get("E2E_BASE_URL")
    if external:
        yield Stack(
            base_url=external, data_dir=ROOT, env=dict(os.environ), log_path=Path(os.devnull)
        )
        return
    live = stack_start()
    yield live
    # Keep the data directory (logs, SQLite database) of a failed session for the post-mortem.
    failed = request.session.testsfailed > 0
    if failed:
        print(f"\nE2E stack logs kept in {live.data_dir}")
    stack_stop(live, keep=failed)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def portal(
    request: pytest.FixtureRequest, stack: Stack, browser: Browser
) -> Iterator[Callable[..., PortalPage]]:
    """`portal("viewer")` → a PortalPage logged in as that demo user in its own browser context
    (cookies are not shared). `portal(None)` → not logged in. Keyword `viewport` and `locale`."""
    contexts = []
    pages: list[Page] = []
    request.node._e2e_pages = pages

    def open_as(
        username: str | None = "demo", *, viewport: dict | None = None, locale: str = "en-US"
    ) -> PortalPage:
        context = browser.new_context(
            base_url=stack.base_url, viewport=viewport or DESKTOP, locale=locale
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        portal_page = PortalPage(page=page, stack=stack)
        if username:
            portal_page.login(username)
        return portal_page

    yield open_as
    for context in contexts:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    if report.when == "call" and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)[-150:]
        for number, page in enumerate(getattr(item, "_e2e_pages", [])):
            if page.is_closed():
                continue
            try:
                page.screenshot(path=str(ARTIFACTS / f"{stem}-{number}.png"), full_page=True)
            except Exception as error:  # noqa: BLE001 - a failed screenshot must not hide the failure
                report.sections.append(("screenshot", f"page {number}: {error}"))
            else:
                report.sections.append(("screenshot", str(ARTIFACTS / f"{stem}-{number}.png")))
    return report

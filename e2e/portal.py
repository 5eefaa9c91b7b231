"""What the journeys do again and again on the portal: log in, switch language, open a page
and check it is whole (no server error, no script error, nothing left in English in zh-hans)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from playwright.sync_api import Page, Response, expect

from .stack import PASSWORD, Stack

LANGUAGE_NAMES = {"en": "English", "zh-hans": "简体中文"}


@dataclass
class PortalPage:
    page: Page
    stack: Stack
    server_errors: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("response", self._on_response)
        self.page.on("pageerror", lambda error: self.script_errors.append(str(error)))

    def _on_response(self, response: Response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.request.method} {response.url}")

    # --- navigation -------------------------------------------------------------------------
    def goto(self, path: str, *, expect_status: int | None = 200) -> Response | None:
        """Open a portal path; by default the answer must be 200 and the page free of errors."""
        response = self.page.goto(path)
        if expect_status is not None:
            assert response is not None, path
            assert response.status == expect_status, f"{path}: {response.status}"
        self.assert_healthy()
        return response

    def arrive(self, path_pattern: str) -> None:
        """After a click that navigates: wait until the browser is on the new page and it has
        fully loaded, so htmx has wired its forms before the test touches them (a filter
        changed before that submits nothing)."""
        expect(self.page).to_have_url(re.compile(r"^https?://[^/]+" + path_pattern))
        self.page.wait_for_load_state("load")
        self.page.wait_for_function("() => window.htmx !== undefined")

    def search(self, text: str, *, label: str = "Search") -> None:
        """Type into a list page's search box and wait until htmx has applied it: the address
        carries the words and the results have arrived. A click on a result before that can be
        cancelled when htmx pushes the new address."""
        self.page.get_by_label(label).fill(text)
        words = r"(?:\+|%20)".join(re.escape(quote_plus(word)) for word in text.split())
        expect(self.page).to_have_url(re.compile(r"[?&]q=" + words + r"(?:&|$)"))
        self.page.wait_for_load_state("networkidle")

    def assert_healthy(self) -> None:
        assert not self.server_errors, self.server_errors
        assert not self.script_errors, self.script_errors

    # --- session ----------------------------------------------------------------------------
    def login(self, username: str, password: str = PASSWORD) -> None:
        self.page.goto("accounts/login/")
        self.page.locator("input[name=username]").fill(username)
        self.page.locator("input[name=password]").fill(password)
        self.page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
        self.page.wait_for_load_state()
        expect(self.page.locator("input[name=password]")).to_have_count(0)
        self.assert_healthy()

    def language(self) -> str:
        return self.page.locator("html").get_attribute("lang") or ""

    def switch_language(self, code: str) -> None:
        """Use the language menu in the navigation bar, as a user does."""
        navbar = self.page.locator("nav.navbar")
        toggler = navbar.locator(".navbar-toggler")
        if toggler.is_visible():  # the collapsed menu of a narrow screen
            toggler.click()
        language_form = navbar.locator("form[action$='/i18n/setlang/']")
        language_form.locator("xpath=preceding-sibling::button").click()
        with self.page.expect_navigation():
            language_form.locator(f"button[value='{code}']").click()
        expect(self.page.locator("html")).to_have_attribute("lang", code)
        self.assert_healthy()

    # --- checks -----------------------------------------------------------------------------
    def untranslated(self, *, allow: tuple[str, ...] = ()) -> list[str]:
        """UI text of the current page still in English (for a zh-hans page)."""
        from tests.ui_audit import untranslated_texts

        return untranslated_texts(self.page.content(), allow=allow)

    def assert_translated(self, *, allow: tuple[str, ...] = ()) -> None:
        assert self.language() == "zh-hans", self.language()
        leftovers = self.untranslated(allow=allow)
        assert not leftovers, f"{self.page.url}: untranslated text {leftovers}"

    def path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.page.url)

"""Keyboard-only use of the portal, and the portal on a 390 px phone.

Keyboard: the skip link is the first stop of Tab and takes focus to the page's main part; Tab
then reaches every navigation link, the language menu and the page's form controls, and the
focused element always shows a focus ring. Phone: the main pages never scroll sideways (wide
tables scroll inside their own `.table-responsive` box), and the collapsed navigation opens.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

PHONE = {"width": 390, "height": 844}
MAX_TABS = 80

# What `document.activeElement` is, in words a failure message can show.
DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || '').trim().slice(0, 60),
    label: (label || el.getAttribute('aria-label') || '').trim(),
    name: el.getAttribute('name') || '',
    href: el.getAttribute('href') || '',
    inNav: !!el.closest('nav.navbar'),
    inMain: !!el.closest('main'),
    isMain: el.tagName === 'MAIN',
    languageMenu: !!(el.nextElementSibling &&
      el.nextElementSibling.matches("form[action$='/i18n/setlang/']")),
  };
}"""

# A focus ring: an outline or a box shadow that the element does not have without focus.
FOCUS_RING = """() => {
  const style = getComputedStyle(document.activeElement);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  return {outline, shadow, outlineStyle: style.outlineStyle, boxShadow: style.boxShadow};
}"""

# Wider than the viewport and not inside a box that scrolls sideways on its own.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1 && !scrolls(el))
    .slice(0, 8)
    .map(el => `${el.tagName.toLowerCase()}.${el.className} ` +
                `${(el.innerText || '').trim().slice(0, 40)}`);
}"""


def tab_through(page: Page, *, limit: int = MAX_TABS) -> list[dict]:
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(DESCRIBE_FOCUS)
        if focused is None:
            break
        stops.append(focused)
    return stops


def test_keyboard_user_skips_to_content_and_tabs_through_nav_language_menu_and_form(portal):
    operator = portal("demo")
    operator.goto("/products/")
    page = operator.page

    # A fresh page: the first Tab lands on the skip link, which becomes visible.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    box = skip.bounding_box()
    assert box and box["width"] > 1 and box["height"] > 1, box
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    focused = page.evaluate(DESCRIBE_FOCUS)
    if not (focused and focused["isMain"]):
        # Without tabindex on <main> the browser moves the sequential focus point there:
        # the next Tab must land inside the main part, not back in the navigation.
        page.keyboard.press("Tab")
        focused = page.evaluate(DESCRIBE_FOCUS)
    assert focused and (focused["isMain"] or focused["inMain"]), focused

    # From the top again: Tab reaches the navigation, the language menu and the filter form.
    operator.goto("/products/")
    stops = tab_through(page)
    nav_links = [stop["text"] for stop in stops if stop["inNav"] and stop["tag"] == "a"]
    for name in ("Dashboard", "Products", "Reviews", "Crises", "Imports", "Jobs", "Settings"):
        assert any(text.startswith(name) for text in nav_links), (name, nav_links)
    assert any(stop["languageMenu"] for stop in stops), "the language menu is not reachable"
    main_fields = {stop["name"] for stop in stops if stop["inMain"]}
    for field in ("q", "category", "status", "sort"):
        assert field in main_fields, (field, stops)
    nav_index = next(i for i, stop in enumerate(stops) if stop["inNav"])
    main_index = next(i for i, stop in enumerate(stops) if stop["inMain"])
    assert nav_index < main_index, "Tab reaches the page before its navigation"


@pytest.mark.parametrize("target", ["nav-link", "language-menu", "search-field", "button"])
def test_the_focused_element_shows_a_visible_focus_ring(portal, target):
    operator = portal("demo")
    operator.goto("/products/")
    page = operator.page
    matches = {
        "nav-link": lambda stop: stop["inNav"] and stop["tag"] == "a" and stop["href"] != "/",
        "language-menu": lambda stop: stop["languageMenu"],
        "search-field": lambda stop: stop["name"] == "q",
        "button": lambda stop: stop["inMain"] and stop["tag"] == "button",
    }[target]
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(DESCRIBE_FOCUS)
        assert focused is not None, f"Tab never reached a {target}"
        if matches(focused):
            break
    ring = page.evaluate(FOCUS_RING)
    assert ring["outline"] or ring["shadow"], (target, focused, ring)


def test_keyboard_user_switches_the_language_from_the_menu(portal):
    operator = portal("demo")
    operator.goto("/")
    page = operator.page
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(DESCRIBE_FOCUS)
        assert focused is not None, "Tab never reached the language menu"
        if focused["languageMenu"]:
            break
    page.keyboard.press("Enter")
    menu = page.locator("nav.navbar form[action$='/i18n/setlang/']")
    expect(menu).to_be_visible()
    chinese = menu.locator("button[value='zh-hans']")
    for _ in range(4):
        page.keyboard.press("ArrowDown")
        if chinese.evaluate("el => el === document.activeElement"):
            break
    expect(chinese).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    operator.switch_language("en")


def phone_pages(operator) -> list[str]:
    """The main pages, with real ids found the way a user finds them."""
    page = operator.page
    operator.goto("/products/")
    product = page.locator("main table a[href^='/products/']").first.get_attribute("href")
    operator.goto("/crisis/")
    crisis = (
        page.locator("main a[href^='/crisis/']")
        .filter(has_text=re.compile(":"))
        .first.get_attribute("href")
    )
    return [
        "/",
        "/products/",
        product,
        f"/forecasting{product}",
        "/forecasting/",
        "/crisis/",
        crisis,
        "/crisis/alerts/",
        "/products/content/",
        f"{product}content/",
        "/reviews/",
        "/imports/",
        "/imports/new/",
        "/jobs/",
        "/notifications/",
        "/settings/members/",
    ]


def test_main_pages_fit_a_390_px_phone_without_sideways_scrolling(portal):
    operator = portal("demo", viewport=PHONE)
    page = operator.page
    problems = {}
    for path in phone_pages(operator):
        operator.goto(path)
        page.wait_for_load_state("networkidle")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > PHONE["width"]:
            problems[path] = (scroll_width, page.evaluate(OVERFLOWING))
    assert not problems, problems


def test_the_navigation_collapses_on_a_phone_and_its_toggle_opens_it(portal):
    operator = portal("demo", viewport=PHONE)
    operator.goto("/")
    page = operator.page
    navbar = page.locator("nav.navbar")
    products = navbar.get_by_role("link", name="Products", exact=True)
    toggle = navbar.get_by_role("button", name="Toggle navigation")
    expect(toggle).to_be_visible()
    expect(products).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(products).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    # The open menu fits the phone too.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    products.click()
    expect(page).to_have_url(re.compile(r"/products/$"))
    expect(navbar.get_by_role("link", name="Products", exact=True)).to_be_hidden()

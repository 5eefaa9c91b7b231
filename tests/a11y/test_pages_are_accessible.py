"""Every portal page, in English, can be used without sight of colour and with a screen reader:
labelled fields, severity in words, one h1, the skip link to <main id="main">, alt texts and
buttons with a name."""

from __future__ import annotations

import re

import pytest

from tests.portal_pages import (
    MEMBER_PAGES,
    PUBLIC_PAGES,
    client_for,
    portal_pages,
    public_pages,
)
from tests.ui_audit import severity_colour_only, unlabelled_fields

SKIP_LINK = re.compile(r'<a [^>]*href="#main"[^>]*>[^<]*\S[^<]*</a>')


def _problems(html: str) -> dict[str, list]:
    images_without_alt = [tag for tag in re.findall(r"<img\b[^>]*>", html) if " alt=" not in tag]
    nameless_buttons = [
        button
        for button in re.findall(r"<button\b[^>]*>.*?</button>", html, flags=re.DOTALL)
        if "aria-label=" not in button.split(">", 1)[0]
        and "aria-labelledby=" not in button.split(">", 1)[0]
        and not re.sub(r"<[^>]+>", "", button).strip()
    ]
    return {
        "unlabelled fields": unlabelled_fields(html),
        "colour-only severity": severity_colour_only(html),
        "h1 count other than one": [] if len(re.findall(r"<h1\b", html)) == 1 else ["h1"],
        "no <main id=main>": [] if re.search(r'<main\b[^>]*\bid="main"', html) else ["main"],
        "no skip link": [] if SKIP_LINK.search(html) else ["skip link"],
        "images without alt": images_without_alt,
        "buttons without a name": nameless_buttons,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_each_member_page_is_accessible(portal_store, name):
    store = portal_store
    url = portal_pages(store).get(name)
    if url is None:
        pytest.skip(f"the demo store has nothing for {name}")
    response = client_for(store.owner).get(url)
    assert response.status_code == 200
    problems = {key: found for key, found in _problems(response.content.decode()).items() if found}
    assert problems == {}


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_each_public_page_is_accessible(name):
    response = client_for().get(public_pages()[name])
    assert response.status_code == 200
    problems = {key: found for key, found in _problems(response.content.decode()).items() if found}
    assert problems == {}

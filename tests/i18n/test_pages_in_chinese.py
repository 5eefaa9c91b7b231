"""Every portal page, rendered in 简体中文, shows no English UI text.

The pages are filled with a small demo store (see `tests/portal_pages.py`); product titles,
SKUs, review texts and user names are data, marked `translate="no"` in the templates.
"""

from __future__ import annotations

import pytest

from tests.portal_pages import (
    MEMBER_PAGES,
    PUBLIC_PAGES,
    client_for,
    portal_pages,
    public_pages,
)
from tests.ui_audit import untranslated_texts


def _data_strings(store) -> list[str]:
    """What the merchant wrote that a page shows inside a UI element it cannot mark
    `translate="no"` (the page <title>, a heading holding a product title)."""
    merchant = store.merchant
    return [
        merchant.name,
        store.owner.get_username(),
        *merchant.products.values_list("title", flat=True),
        *store.channel.__class__.objects.filter(merchant=merchant).values_list("name", flat=True),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_each_member_page_is_all_chinese(portal_store, name):
    store = portal_store
    url = portal_pages(store).get(name)
    if url is None:
        pytest.skip(f"the demo store has nothing for {name}")
    response = client_for(store.owner, language="zh-hans").get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert untranslated_texts(html, allow=_data_strings(store)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_each_public_page_is_all_chinese(name):
    response = client_for(language="zh-hans").get(public_pages()[name])
    assert response.status_code == 200
    assert untranslated_texts(response.content.decode()) == []

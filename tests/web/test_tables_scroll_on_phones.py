"""Tables of the content studio and of the planning settings scroll inside their own box.

On a 390 px phone a table wider than the screen must scroll in a `.table-responsive` wrapper,
not widen the whole page (the browser test `e2e/test_keyboard_and_phone.py` measures it; this
checks the markup without a browser).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from products.content.models import VersionSource
from tests.content.factories import ContentDraftFactory, ContentVersionFactory
from tests.factories import ProductFactory
from tests.forecast_pages.factories import CalendarEventFactory, ServiceLevelOverrideFactory

pytestmark = pytest.mark.django_db


class _Tables(HTMLParser):
    """Counts tables, and those inside an element with the class `table-responsive`."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # per open <div>: is it a table-responsive box?
        self.tables = 0
        self.wrapped = 0

    def handle_starttag(self, tag, attrs):
        if tag == "div":
            classes = (dict(attrs).get("class") or "").split()
            self.stack.append("table-responsive" in classes)
        elif tag == "table":
            self.tables += 1
            self.wrapped += any(self.stack)

    def handle_endtag(self, tag):
        if tag == "div" and self.stack:
            self.stack.pop()


def _tables(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    return parser


def test_every_table_of_the_content_studio_scrolls_in_its_own_box(owner_client, merchant):
    product = ProductFactory(merchant=merchant)
    ContentDraftFactory(product=product)
    ContentVersionFactory(product=product, is_current=True, source=VersionSource.GENERATED)
    ContentVersionFactory(product=product, is_current=False)
    url = reverse("content-studio", kwargs={"product_id": product.pk})
    response = owner_client.get(url)
    assert response.status_code == 200
    tables = _tables(response.content.decode())
    assert tables.tables == 3  # published now, drafts, version history
    assert tables.wrapped == tables.tables


def test_every_table_of_the_planning_settings_scrolls_in_its_own_box(owner_client, merchant):
    ServiceLevelOverrideFactory(merchant=merchant)
    CalendarEventFactory(merchant=merchant)
    response = owner_client.get(reverse("forecast-settings"))
    assert response.status_code == 200
    tables = _tables(response.content.decode())
    assert tables.tables >= 2  # service level overrides, calendar
    assert tables.wrapped == tables.tables

"""CSV and Excel exports of the catalog: the product list's rows (its filters and order), every
row, with current stock. Streamed by `core.exports`.

Status is written as its code (active, draft, discontinued) so the file can be imported back;
attributes as JSON text.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from core.exports import (
    DATETIME,
    INT,
    MONEY,
    TEXT,
    Column,
    export_response,
    merchant_tz,
    money_header,
    queryset_rows,
    time_zone_header,
)

PRODUCT_STEM = "products"


def _stock(product, name: str):
    stock = getattr(product, "stock", None)
    return getattr(stock, name) if stock is not None else None


def _attributes(product) -> str:
    if not product.attributes:
        return ""
    return json.dumps(product.attributes, ensure_ascii=False, sort_keys=True, default=str)


def product_currencies(products) -> list[str]:
    """The currencies of the exported products (at most two: one is all the headers need)."""
    return list(products.order_by().values_list("currency", flat=True).distinct()[:2])


def product_columns(*, currencies: list[str], tz_name: str) -> list[Column]:
    """Money columns name the currency when the products share one; otherwise the Currency
    column says it row by row."""

    def money(label: str) -> str:
        if len(currencies) == 1:
            return money_header(label, currencies[0])
        return _("%(label)s (in the Currency column)") % {"label": label}

    return [
        Column(_("SKU"), TEXT, lambda p: p.sku, 18),
        Column(_("Title"), TEXT, lambda p: p.title, 40),
        Column(_("Category"), TEXT, lambda p: p.category, 18),
        Column(_("Brand"), TEXT, lambda p: p.brand, 16),
        Column(_("Status"), TEXT, lambda p: p.status, 12),
        Column(money(_("Price")), MONEY, lambda p: p.price, 14),
        Column(money(_("Unit cost")), MONEY, lambda p: p.cost, 14),
        Column(_("Currency"), TEXT, lambda p: p.currency, 9),
        Column(_("On hand"), INT, lambda p: _stock(p, "on_hand")),
        Column(_("Inbound"), INT, lambda p: _stock(p, "inbound")),
        Column(_("Lead time (days)"), INT, lambda p: p.lead_time_days),
        Column(_("Minimum order quantity"), INT, lambda p: p.moq),
        Column(_("Case pack"), INT, lambda p: p.case_pack),
        Column(_("Attributes"), TEXT, _attributes, 40),
        Column(_("Description"), TEXT, lambda p: p.description, 60),
        Column(time_zone_header(_("Updated"), tz_name), DATETIME, lambda p: p.updated_at, 20),
    ]


def product_export(products, *, merchant, export_format: str):
    """`products` (`product_list(...)` with the page's filters and sort) as CSV or XLSX."""
    columns = product_columns(currencies=product_currencies(products), tz_name=merchant.timezone)
    return export_response(
        export_format,
        queryset_rows(products),
        columns=columns,
        merchant=merchant,
        stem=PRODUCT_STEM,
        title=_("Products"),
        tz=merchant_tz(merchant),
    )

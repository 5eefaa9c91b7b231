"""CSV and Excel exports of the inventory plan table: the same rows, filters and order.

The caller passes `plan_list(...)` with the page's filters and sort; every row is written, not
one page. CSV is streamed row by row; the workbook is built with openpyxl's write-only mode,
which keeps only the current row in memory. Money columns name the merchant's currency.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from core.selectors import merchant_today

from .models import InventoryPlan
from .templatetags.forecast_tags import accuracy_sentence, model_label

ROWS_PER_QUERY = 2000
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs text that starts with these as a formula (CSV injection): such text
# gets a leading apostrophe in CSV and is written as a plain string in the workbook.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

TEXT, INT, NUMBER, PERCENT, MONEY, DATE = "text", "int", "number", "percent", "money", "date"
EXCEL_FORMATS = {
    INT: "#,##0",
    NUMBER: "#,##0.0",
    PERCENT: "0.0%",
    MONEY: "#,##0.00",
    DATE: "yyyy-mm-dd",
}


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    value: Callable[[InventoryPlan], object]
    width: int = 12


def _markdown(plan: InventoryPlan, key: str):
    value = (plan.markdown or {}).get(key)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def plan_columns(*, currency: str) -> list[Column]:
    """The export's columns, headers in the active language, money in `currency`."""

    def money(label: str) -> str:
        return _("%(label)s (%(currency)s)") % {"label": label, "currency": currency}

    return [
        Column(_("SKU"), TEXT, lambda p: p.product.sku, 18),
        Column(_("Product"), TEXT, lambda p: p.product.title, 40),
        Column(_("Category"), TEXT, lambda p: p.product.category, 18),
        Column(_("On hand"), INT, lambda p: p.on_hand),
        Column(_("Inbound"), INT, lambda p: p.inbound),
        Column(_("Lead time (days)"), INT, lambda p: p.lead_time_days),
        Column(_("Service level target"), PERCENT, lambda p: p.service_level),
        Column(_("Mean daily demand"), NUMBER, lambda p: p.mean_daily_demand),
        Column(_("Safety stock"), NUMBER, lambda p: p.safety_stock),
        Column(_("Reorder point"), NUMBER, lambda p: p.reorder_point),
        Column(_("Suggested order"), INT, lambda p: p.order_quantity),
        Column(_("Days of cover"), NUMBER, lambda p: p.days_of_cover),
        Column(_("Projected stockout"), DATE, lambda p: p.stockout_date),
        Column(_("Stockout risk"), PERCENT, lambda p: p.stockout_risk),
        Column(money(_("Revenue at risk")), MONEY, lambda p: p.lost_revenue, 16),
        Column(_("Overstock units"), INT, lambda p: p.overstock_units),
        Column(money(_("Overstock value")), MONEY, lambda p: p.overstock_value, 16),
        Column(_("Aged units"), INT, lambda p: p.aged_units),
        Column(_("Markdown price cut"), PERCENT, lambda p: _markdown(p, "price_cut")),
        Column(money(_("Markdown price")), MONEY, lambda p: _markdown(p, "new_price"), 16),
        Column(_("Markdown units sold"), NUMBER, lambda p: _markdown(p, "expected_units")),
        Column(
            money(_("Markdown money recovered")), MONEY, lambda p: _markdown(p, "recovered"), 18
        ),
        Column(_("Markdown elasticity"), NUMBER, lambda p: _markdown(p, "elasticity")),
        Column(_("Forecast model"), TEXT, lambda p: _model(p), 24),
        Column(_("Typical error (units per period)"), NUMBER, lambda p: _forecast(p, "mae")),
        Column(_("P10–P90 coverage"), PERCENT, lambda p: _forecast(p, "coverage")),
        Column(_("Forecast accuracy"), TEXT, lambda p: accuracy_sentence(p.forecast), 60),
    ]


def _forecast(plan: InventoryPlan, name: str):
    return getattr(plan.forecast, name, None) if plan.forecast_id else None


def _model(plan: InventoryPlan) -> str:
    name = _forecast(plan, "model_name")
    return f"{name} — {model_label(name)}" if name and model_label(name) != name else name or ""


def _filename(merchant, extension: str) -> str:
    today = merchant_today(merchant=merchant).isoformat()
    return f"inventory-plan-{merchant.slug}-{today}.{extension}"


def _rows(plans) -> Iterator[InventoryPlan]:
    return plans.iterator(chunk_size=ROWS_PER_QUERY)


def _safe_text(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _csv_value(kind: str, value) -> str:
    if value is None:
        return ""
    if kind == TEXT:
        return _safe_text(value)
    if kind == PERCENT:
        return f"{float(value) * 100:.1f}"
    if kind == MONEY:
        return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"
    if kind == NUMBER:
        return f"{float(value):.1f}"
    if kind == DATE:
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return str(value)


class _Echo:
    """A file-like object whose write returns the line, for a streamed csv.writer."""

    def write(self, value: str) -> str:
        return value


def plan_csv_lines(plans, *, currency: str) -> Iterator[str]:
    """The header line, then one line per plan; percentages as numbers (95.0 = 95 %)."""
    # The lines are produced while the response is sent: keep the request's language.
    language = translation.get_language()

    def lines() -> Iterator[str]:
        with translation.override(language):
            columns = plan_columns(currency=currency)
            writer = csv.writer(_Echo())
            headers = [
                f"{column.header} (%)" if column.kind == PERCENT else column.header
                for column in columns
            ]
            # A byte-order mark makes Excel read the file as UTF-8 (Chinese titles, ¥).
            yield "\ufeff" + writer.writerow(headers)
            for plan in _rows(plans):
                values = [_csv_value(column.kind, column.value(plan)) for column in columns]
                yield writer.writerow(values)

    return lines()


def plan_csv_response(plans, *, merchant) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        plan_csv_lines(plans, currency=merchant.currency), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(merchant, "csv")}"'
    return response


def plan_workbook(plans, *, currency: str, file) -> None:
    """Write the plan table to `file` as an .xlsx workbook (write-only, row by row)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    columns = plan_columns(currency=currency)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Inventory plan")[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "C2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    def cell(column: Column, value):
        if value is None:
            return None
        if column.kind == TEXT:
            text = str(value)
            if not text.startswith(FORMULA_PREFIXES):
                return text
            written = WriteOnlyCell(sheet, value=text)
            written.data_type = "s"  # never a formula
            return written
        if column.kind in (MONEY, PERCENT):
            value = float(value)  # Decimal amounts and service levels as Excel numbers
        written = WriteOnlyCell(sheet, value=value)
        written.number_format = EXCEL_FORMATS[column.kind]
        return written

    for plan in _rows(plans):
        sheet.append([cell(column, column.value(plan)) for column in columns])
    workbook.save(file)


def plan_xlsx_response(plans, *, merchant) -> FileResponse:
    # Spooled: small tables stay in memory, large ones go to a temporary file. The response
    # closes it once sent, so no context manager here.
    file = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    plan_workbook(plans, currency=merchant.currency, file=file)
    file.seek(0)
    return FileResponse(
        file,
        as_attachment=True,
        filename=_filename(merchant, "xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )

"""Streamed CSV and Excel exports of any table: the shared machinery of every export.

An export is a list of `Column`s (header in the user's language, a kind, a function that reads
the value from one row) and an iterable of rows, normally a queryset read with
`.iterator(chunk_size=...)` so the whole result is never held in memory.

- CSV is produced while the response is sent (`StreamingHttpResponse`), a few kilobytes at a
  time. It starts with a UTF-8 byte-order mark: without it Excel reads UTF-8 as the local code
  page and Chinese titles or the ¥ sign come out garbled.
- Excel workbooks are written with openpyxl's write-only mode, which keeps only the current row
  in memory, into a spooled temporary file (memory while small, disk when large) that
  `FileResponse` sends and closes.

Spreadsheet formula injection ("CSV injection"): text that starts with `=`, `+`, `-`, `@`, a tab
or a carriage return is run as a formula by Excel, LibreOffice and Google Sheets when the file
is opened, so a product title like `=HYPERLINK("http://evil", "Click")` would become a live link.
In CSV such text gets a leading apostrophe (the spreadsheet convention for "this is text"); in a
workbook it is stored as a string cell, never as a formula. Only text columns are touched: a
negative amount in a number column stays a number.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from core.selectors import merchant_today

ROWS_PER_QUERY = 2000
# CSV lines are sent in pieces of about this many characters, not one network write per row.
CSV_CHUNK_CHARS = 32 * 1024
# Larger workbooks leave memory for a temporary file.
XLSX_SPOOL_BYTES = 8 * 1024 * 1024
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"

# A spreadsheet runs text that starts with these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel refuses a cell longer than this, and the control characters below in any cell.
XLSX_MAX_CELL_CHARS = 32767
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_ILLEGAL = re.compile(r"[\[\]:*?/\\]")

TEXT = "text"
INT = "int"
NUMBER = "number"  # a float shown with `Column.decimals` decimals
PERCENT = "percent"  # a fraction (0.95); CSV writes 95.0 under a "(%)" header
MONEY = "money"  # Decimal, two decimals
DATE = "date"
DATETIME = "datetime"  # an aware datetime, written in the export's time zone
BOOL = "bool"
KINDS = (TEXT, INT, NUMBER, PERCENT, MONEY, DATE, DATETIME, BOOL)

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)


@dataclass(frozen=True)
class Column:
    """One column of an export: its header (already translated), kind, reader and width."""

    header: str
    kind: str
    value: Callable[[object], object]
    width: int = 12
    decimals: int = 1  # NUMBER only

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def excel_format(self) -> str | None:
        if self.kind == NUMBER:
            return "#,##0" + ("." + "0" * self.decimals if self.decimals > 0 else "")
        return {
            INT: "#,##0",
            PERCENT: "0.0%",
            MONEY: "#,##0.00",
            DATE: "yyyy-mm-dd",
            DATETIME: "yyyy-mm-dd hh:mm:ss",
        }.get(self.kind)


# --- Values --------------------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, prefixed with an apostrophe (CSV only)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def money_header(label: str, currency: str) -> str:
    """ "Revenue (CNY)": money columns always name their currency."""
    return _("%(label)s (%(currency)s)") % {"label": label, "currency": currency}


def time_zone_header(label: str, tz_name: str) -> str:
    """ "First detected (Asia/Shanghai)": date-time columns name the time zone they are in."""
    return _("%(label)s (%(time_zone)s)") % {"label": label, "time_zone": tz_name}


def _local(value: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    if tz is not None and value.tzinfo is not None:
        return value.astimezone(tz)
    return value


def csv_value(column: Column, value, *, tz: dt.tzinfo | None = None) -> str:
    """One value as CSV text: ISO dates, dot decimals, no thousands separators."""
    if value is None:
        return ""
    kind = column.kind
    if kind == TEXT:
        return neutralise(str(value))
    if kind == PERCENT:
        return f"{float(value) * 100:.1f}"
    if kind == MONEY:
        return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"
    if kind == NUMBER:
        return f"{float(value):.{column.decimals}f}"
    if kind == DATETIME:
        if isinstance(value, dt.datetime):
            return _local(value, tz).replace(microsecond=0).isoformat()
        return neutralise(str(value))
    if kind == DATE:
        return value.isoformat() if isinstance(value, dt.date) else neutralise(str(value))
    if kind == BOOL:
        return _("yes") if value else _("no")
    return str(value)


def csv_header(column: Column) -> str:
    return f"{column.header} (%)" if column.kind == PERCENT else column.header


class _Echo:
    """A file-like object whose write returns the line, for a streamed csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    rows: Iterable, *, columns: Sequence[Column], tz: dt.tzinfo | None = None
) -> Iterator[str]:
    """The BOM and header line, then the rows, in pieces of about `CSV_CHUNK_CHARS`.

    The lines are produced while the response is sent, after the view has returned: the
    request's language is kept for values that are words (yes/no, labels).
    """
    language = translation.get_language()

    def lines() -> Iterator[str]:
        with translation.override(language):
            writer = csv.writer(_Echo())
            buffer = [BOM + writer.writerow([csv_header(column) for column in columns])]
            size = len(buffer[0])
            for row in rows:
                line = writer.writerow(
                    [csv_value(column, column.value(row), tz=tz) for column in columns]
                )
                buffer.append(line)
                size += len(line)
                if size >= CSV_CHUNK_CHARS:
                    yield "".join(buffer)
                    buffer, size = [], 0
            if buffer:
                yield "".join(buffer)

    return lines()


def xlsx_text(value) -> str:
    """Text as a workbook can hold it: no control characters Excel rejects, at most 32,767."""
    text = _XLSX_ILLEGAL.sub("", str(value))
    return text[:XLSX_MAX_CELL_CHARS]


def sheet_title(title: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return (_SHEET_TITLE_ILLEGAL.sub(" ", str(title)).strip() or "Sheet")[:31]


def xlsx_write(
    rows: Iterable,
    *,
    columns: Sequence[Column],
    file,
    title: str,
    freeze: str | None = "B2",
    tz: dt.tzinfo | None = None,
) -> None:
    """Write `rows` to `file` as an .xlsx workbook with one sheet (write-only, row by row)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    if freeze:
        sheet.freeze_panes = freeze
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=xlsx_text(column.header))
        cell.data_type = "s"
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    def text_cell(value) -> WriteOnlyCell:
        written = WriteOnlyCell(sheet, value=xlsx_text(value))
        written.data_type = "s"  # a string, never a formula, whatever it starts with
        return written

    def cell(column: Column, value):
        if value is None:
            return None
        kind = column.kind
        if kind == TEXT:
            return text_cell(value)
        if kind == BOOL:
            return bool(value)
        if kind == DATETIME:
            if not isinstance(value, dt.datetime):
                return text_cell(value)
            # Excel has no time zones: the local wall time, the zone named in the header.
            value = _local(value, tz).replace(tzinfo=None, microsecond=0)
        elif kind == DATE and not isinstance(value, dt.date):
            return text_cell(value)
        elif kind in (MONEY, PERCENT, NUMBER):
            value = float(value)  # Decimal amounts as Excel numbers
        written = WriteOnlyCell(sheet, value=value)
        if column.excel_format:
            written.number_format = column.excel_format
        return written

    language = translation.get_language()
    with translation.override(language):
        for row in rows:
            sheet.append([cell(column, column.value(row)) for column in columns])
    workbook.save(file)


# --- Responses -----------------------------------------------------------------------------------


_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def safe_filename(name: str) -> str:
    """A file name without path separators, quotes, control characters or reserved signs."""
    name = unicodedata.normalize("NFC", str(name))
    name = _UNSAFE_FILENAME.sub("-", name).strip(" .-")
    return name[:150] or "export"


def content_disposition(filename: str) -> str:
    """`attachment; filename="..."`, plus RFC 5987 `filename*=UTF-8''...` when the name is not
    plain ASCII (the ASCII `filename` stays as a fallback for old clients)."""
    filename = safe_filename(filename)
    try:
        filename.encode("ascii")
    except UnicodeEncodeError:
        fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
        fallback = safe_filename(re.sub(r"[^A-Za-z0-9._-]+", "-", fallback))
        if "." in filename and "." not in fallback:
            fallback = f"export.{filename.rsplit('.', 1)[-1]}"
        return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    return f'attachment; filename="{filename}"'


def export_filename(*, stem: str, merchant, extension: str, day: dt.date | None = None) -> str:
    """`<stem>-<merchant slug>-<merchant's today>.<extension>`."""
    day = day or merchant_today(merchant=merchant)
    return safe_filename(f"{stem}-{merchant.slug}-{day.isoformat()}.{extension}")


def merchant_tz(merchant) -> dt.tzinfo:
    return zoneinfo.ZoneInfo(merchant.timezone)


def csv_response(
    rows: Iterable, *, columns: Sequence[Column], filename: str, tz: dt.tzinfo | None = None
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(rows, columns=columns, tz=tz), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(
    rows: Iterable,
    *,
    columns: Sequence[Column],
    filename: str,
    title: str,
    freeze: str | None = "B2",
    tz: dt.tzinfo | None = None,
) -> FileResponse:
    # Spooled: small tables stay in memory, large ones go to a temporary file. The response
    # closes it once sent, so no context manager here.
    file = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115
    try:
        xlsx_write(rows, columns=columns, file=file, title=title, freeze=freeze, tz=tz)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    response = FileResponse(file, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def export_response(
    export_format: str,
    rows: Iterable,
    *,
    columns: Sequence[Column],
    merchant,
    stem: str,
    title: str,
    freeze: str | None = "B2",
    tz: dt.tzinfo | None = None,
):
    """The CSV or XLSX response of one export, named `<stem>-<merchant>-<today>.<ext>`."""
    filename = export_filename(stem=stem, merchant=merchant, extension=export_format)
    if export_format == XLSX:
        return xlsx_response(
            rows, columns=columns, filename=filename, title=title, freeze=freeze, tz=tz
        )
    return csv_response(rows, columns=columns, filename=filename, tz=tz)


def queryset_rows(queryset, *, chunk_size: int = ROWS_PER_QUERY) -> Iterator:
    """Every row of `queryset` in its order, `chunk_size` at a time (server-side cursor on
    PostgreSQL; prefetches run once per chunk)."""
    return queryset.iterator(chunk_size=chunk_size)


def htmx_download(request) -> HttpResponse | None:
    """Export buttons are submit buttons of the htmx-driven filter forms (`formaction`), so
    they send the form's current filters. htmx would fetch the file and swap it into the
    page; instead the export answers an htmx request with `HX-Redirect` to its own address,
    and the browser downloads it. Without JavaScript the form submits normally. None when
    the request is not from htmx."""
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.history_restore_request:
        return None
    response = HttpResponse(status=204)
    response["HX-Redirect"] = request.get_full_path()
    return response

"""Streaming the rows of an uploaded file, with constant memory and hard limits.

`iter_rows(path, info)` yields `(row_number, cells)` for every non-blank row after the header:
`row_number` is the row the user sees in Excel (the header row included, and blank rows still
counted), `cells` the raw cell texts. CSV is read through the text layer's incremental decoder
(one buffer at a time, whatever the file's size); XLSX through openpyxl's streaming sheet parser,
after the zip directory has been checked (`xlsx_guard`) so a zip bomb is refused before a byte
of it is inflated.

Anything over a limit (columns, cell size, line length, rows), a quote that never closes, bytes
that are not text in the file's encoding, or a damaged workbook raises `ImportFileError` naming
the row; nothing has been written at that point, because the loader validates the whole file
before it writes.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import ImportFileError

if TYPE_CHECKING:
    from .sniff import FileInfo

CSV, XLSX = "csv", "xlsx"
# Parts of a workbook smaller than this are never called a bomb, whatever their ratio.
RATIO_MIN_BYTES = 1 << 20


@dataclass(frozen=True)
class Limits:
    max_columns: int
    max_cell: int
    max_line: int
    max_rows: int
    xlsx_uncompressed: int
    xlsx_ratio: int
    xlsx_members: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_columns=settings.IMPORT_MAX_COLUMNS,
            max_cell=settings.IMPORT_MAX_CELL_BYTES,
            max_line=settings.IMPORT_MAX_LINE_BYTES,
            max_rows=settings.IMPORT_MAX_ROWS,
            xlsx_uncompressed=settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES,
            xlsx_ratio=settings.IMPORT_MAX_XLSX_RATIO,
            xlsx_members=settings.IMPORT_MAX_XLSX_MEMBERS,
        )


def iter_rows(path, info: FileInfo) -> Iterator[tuple[int, list[str]]]:
    """The data rows of a sniffed file: (row number as the user sees it, raw cells)."""
    limits = Limits.from_settings()
    if info.format == XLSX:
        records = xlsx_records(path, sheet=info.sheet, limits=limits)
    else:
        records = csv_file_records(
            path, encoding=info.encoding, delimiter=info.delimiter or ",", limits=limits
        )
    header_row = info.header_row
    for number, cells in records:
        if number > header_row:
            yield number, cells


# ------------------------------------------------------------------------------------- CSV


def too_many_columns(number: int, count: int, limits: Limits) -> ImportFileError:
    return ImportFileError(
        "too_many_columns",
        _("Row %(row)s has %(count)s columns; at most %(maximum)s are accepted.")
        % {"row": number, "count": f"{count:,}", "maximum": f"{limits.max_columns:,}"},
    )


def cell_too_large(number: int, limits: Limits) -> ImportFileError:
    return ImportFileError(
        "cell_too_large",
        _(
            "Row %(row)s has a cell longer than %(maximum)s characters; a quote that is never "
            "closed can cause this."
        )
        % {"row": number, "maximum": f"{limits.max_cell:,}"},
    )


def too_many_rows(limits: Limits) -> ImportFileError:
    return ImportFileError(
        "too_many_rows",
        _("The file has more than %(maximum)s rows; split it into smaller files.")
        % {"maximum": f"{limits.max_rows:,}"},
    )


class _LineTooLong(Exception):
    pass


class _LineCounter:
    """Feeds the csv reader line by line, refusing over-long lines and counting characters so a
    record's size is known without measuring every cell."""

    __slots__ = ("chars", "lines", "max_line")

    def __init__(self, lines: Iterable[str], max_line: int):
        self.lines = iter(lines)
        self.max_line = max_line
        self.chars = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        size = len(line)
        if size > self.max_line:
            raise _LineTooLong
        self.chars += size
        return line


def csv_records(
    lines: Iterable[str], *, delimiter: str, limits: Limits, encoding: str = ""
) -> Iterator[tuple[int, list[str]]]:
    """Every non-blank record of CSV text: (record number from 1, cells).

    Blank records (empty lines, or only delimiters) are skipped but counted, so numbers stay
    the rows Excel shows.
    """
    counter = _LineCounter(lines, limits.max_line)
    # csv's own limit is process-wide; it only bounds memory here (the exact limit is checked
    # below), so it is raised when needed, never lowered under another reader's feet.
    if csv.field_size_limit() < limits.max_cell + 1:
        csv.field_size_limit(limits.max_cell + 1)
    reader = csv.reader(counter, delimiter=delimiter, quotechar='"', strict=True)
    max_columns, max_cell, max_rows = limits.max_columns, limits.max_cell, limits.max_rows
    number = 0
    try:
        for row in reader:
            number += 1
            if counter.chars > max_cell and any(len(cell) > max_cell for cell in row):
                raise cell_too_large(number, limits)
            counter.chars = 0
            if len(row) > max_columns:
                raise too_many_columns(number, len(row), limits)
            if number > max_rows:
                raise too_many_rows(limits)
            if any(row):
                yield number, row
    except _LineTooLong:
        raise ImportFileError(
            "line_too_long",
            _("Row %(row)s is longer than %(maximum)s characters.")
            % {"row": number + 1, "maximum": f"{limits.max_line:,}"},
        ) from None
    except UnicodeDecodeError:
        raise ImportFileError(
            "decode_error",
            _(
                "Row %(row)s contains bytes that are not %(encoding)s text; save the file as "
                "UTF-8 CSV and upload it again."
            )
            % {"row": number + 1, "encoding": encoding or "UTF-8"},
        ) from None
    except csv.Error as exc:
        raise _csv_error(exc, number + 1, limits) from None


def _csv_error(exc: csv.Error, number: int, limits: Limits) -> ImportFileError:
    text = str(exc)
    if "field larger than field limit" in text:
        return cell_too_large(number, limits)
    if "unexpected end of data" in text or "expected after" in text or "EOF" in text:
        return ImportFileError(
            "unclosed_quote",
            _(
                'Row %(row)s has a quote (") that is not closed, or text after a closing quote; '
                "check the quotes in that row."
            )
            % {"row": number},
        )
    return ImportFileError(
        "malformed_csv",
        _("Row %(row)s cannot be read as CSV (%(detail)s).") % {"row": number, "detail": text},
    )


def csv_file_records(
    path, *, encoding: str, delimiter: str, limits: Limits
) -> Iterator[tuple[int, list[str]]]:
    # newline="" lets the csv reader see line ends inside quoted cells; the text layer decodes
    # incrementally, one buffer at a time.
    with open(path, encoding=encoding or "utf-8", errors="strict", newline="") as handle:
        yield from csv_records(handle, delimiter=delimiter, limits=limits, encoding=encoding)


# ------------------------------------------------------------------------------------ XLSX


def xlsx_guard(path, limits: Limits | None = None) -> zipfile.ZipFile:
    """Open the zip directory and refuse bombs before anything is inflated.

    Returns the open ZipFile (the caller closes it). Raises corrupt_file for a damaged or
    truncated archive, zip_bomb for too many parts, too many bytes once expanded, or a part
    that expands too many times, not_a_spreadsheet / legacy_excel for other zip formats.
    """
    limits = limits or Limits.from_settings()
    try:
        archive = zipfile.ZipFile(path)
    # NotImplementedError: a zip version or feature the zipfile module does not read.
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise ImportFileError(
            "corrupt_file",
            _(
                "The file is damaged or incomplete: it could not be opened as an Excel workbook. "
                "Save it again from Excel (or as CSV) and upload it again."
            ),
        ) from None
    try:
        members = archive.infolist()
        if len(members) > limits.xlsx_members:
            raise _zip_bomb()
        total = 0
        for member in members:
            total += member.file_size
            if total > limits.xlsx_uncompressed:
                raise _zip_bomb()
            if member.file_size > RATIO_MIN_BYTES and member.file_size > limits.xlsx_ratio * max(
                member.compress_size, 1
            ):
                raise _zip_bomb()
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise _not_a_workbook(archive, names)
    except BaseException:
        archive.close()
        raise
    return archive


def _zip_bomb() -> ImportFileError:
    return ImportFileError(
        "zip_bomb",
        _(
            "The workbook expands to far more data than a spreadsheet of its size should (a "
            "“zip bomb”); it was not opened."
        ),
    )


def _not_a_workbook(archive: zipfile.ZipFile, names: set[str]) -> ImportFileError:
    if "xl/workbook.bin" in names:
        return ImportFileError(
            "legacy_excel",
            _("This is a binary Excel workbook (.xlsb); save it as .xlsx or CSV and upload it."),
        )
    if _is_opendocument_spreadsheet(archive, names):
        return ImportFileError(
            "legacy_excel",
            _("This is an OpenDocument spreadsheet; save it as .xlsx or CSV and upload it."),
        )
    return ImportFileError(
        "not_a_spreadsheet",
        _("This is a zip archive but not an Excel workbook; upload a .xlsx or CSV file."),
    )


def _is_opendocument_spreadsheet(archive: zipfile.ZipFile, names: set[str]) -> bool:
    if "mimetype" not in names or archive.getinfo("mimetype").file_size > 100:
        return False
    try:
        return b"spreadsheet" in archive.read("mimetype")
    except Exception:  # a damaged member: not ours to diagnose further
        return False


def _corrupt(number: int | None = None) -> ImportFileError:
    if number:
        return ImportFileError(
            "corrupt_file",
            _(
                "The workbook is damaged after row %(row)s; save it again from Excel (or as "
                "CSV) and upload it again."
            )
            % {"row": number},
        )
    return ImportFileError(
        "corrupt_file",
        _(
            "The file is damaged or incomplete: it could not be opened as an Excel workbook. "
            "Save it again from Excel (or as CSV) and upload it again."
        ),
    )


class UncachedFormula(str):
    """The text of a formula cell saved without its computed value (the workbook was written
    by a program that does not calculate); the validator refuses it wherever it is mapped."""

    __slots__ = ()


@contextlib.contextmanager
def open_workbook(path, limits: Limits | None = None):
    """The guarded workbook in streaming mode, with cached values instead of formulas.

    openpyxl gets an open file, not the path: it would refuse a workbook whose name does not
    end in .xlsx, and the upload's name is the user's.
    """
    import openpyxl

    xlsx_guard(path, limits).close()
    with open(path, "rb") as handle:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                workbook = openpyxl.load_workbook(
                    handle, read_only=True, data_only=True, keep_links=False
                )
        except Exception:  # openpyxl raises many types (KeyError, ParseError, ...)
            raise _corrupt() from None
        try:
            yield workbook
        finally:
            workbook.close()


def _parser_class():
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class CachedValueParser(WorkSheetParser):
        """openpyxl's sheet parser, but a formula cell without a cached value comes back as
        `UncachedFormula` instead of an empty cell."""

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None:
                formula = element.find(FORMULA_TAG)
                if formula is not None:
                    cell["value"] = UncachedFormula("=" + (formula.text or ""))
            return cell

    return CachedValueParser


def cell_text(value) -> str:
    """A cell value as the text the validator reads."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def sheet_records(workbook, sheet, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """Every non-blank row of one read-only worksheet: (row number, cell texts)."""
    max_columns, max_cell, max_rows = limits.max_columns, limits.max_cell, limits.max_rows
    number = 0
    source = None
    try:
        source = sheet._get_source()
        parser = _parser_class()(
            source,
            workbook.shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, parsed in parser.parse():
                if not parsed:
                    continue
                width = max(cell["column"] for cell in parsed)
                if width > max_columns:
                    raise too_many_columns(number, width, limits)
                if number > max_rows:
                    raise too_many_rows(limits)
                cells = [""] * width
                for cell in parsed:
                    text = cell_text(cell["value"])
                    if len(text) > max_cell:
                        raise cell_too_large(number, limits)
                    cells[cell["column"] - 1] = text
                if any(cells):
                    yield number, cells
    except ImportFileError:
        raise
    except Exception:  # damaged XML or zip data inside the workbook
        raise _corrupt(number) from None
    finally:
        if source is not None:
            source.close()


def xlsx_records(path, *, sheet: str, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    with open_workbook(path, limits) as workbook:
        yield from sheet_records(workbook, worksheet(workbook, sheet), limits)


def worksheet(workbook, name: str):
    sheets = workbook.worksheets
    if not name:
        if not sheets:
            raise ImportFileError("empty_file", _("The workbook has no worksheet."))
        return sheets[0]
    for sheet in sheets:
        if sheet.title == name:
            return sheet
    raise ImportFileError(
        "sheet_not_found",
        _("The workbook has no sheet named “%(sheet)s”.") % {"sheet": name},
    )

"""What an uploaded file is: format, encoding, delimiter, sheet, header row, headers, preview.

Decided from the bytes, never from the file name (a name only sharpens an error message):

- XLSX is a zip holding the Office Open XML parts; it is checked by `xlsx_guard` first.
- An OLE2 compound file is a legacy .xls (or a password-protected workbook): refused with
  "save as xlsx or csv". PDF, images, archives and other binary data are refused too.
- Text: a BOM decides (UTF-8, UTF-16); otherwise a sample of up to 1 MB must decode as strict
  UTF-8, else as GB18030 (a superset of GBK and GB2312, what Chinese platforms export) with
  mostly Chinese characters among the non-ASCII ones; else the file is refused rather than
  read as mojibake. UTF-16 without a BOM is recognised from its zero bytes.
- Delimiter: one of `,` `;` tab `|`, the one that splits the sample into the most consistent
  number of columns (csv.Sniffer breaks ties); an Excel "sep=;" first line is honoured.
- Header row: the first rows are searched for the one naming the most known columns (any
  preset's or field's); failing that, the first mostly-text row about as wide as the data
  (exports often start with a title line or two).
- Date order: dd/mm/yyyy-like cells of the sample with a part above 12 decide DMY or MDY for
  the whole file; with no such cell, or with both kinds, it stays undecided ("") and the user
  chooses when an ambiguous date appears.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from itertools import islice

from django.utils.translation import gettext as _

from . import values
from .errors import ImportFileError
from .presets import _header_keys, known_header_keys
from .readers import (
    CSV,
    XLSX,
    Limits,
    csv_records,
    open_workbook,
    sheet_records,
    too_many_columns,
    worksheet,
)

SAMPLE_BYTES = 1 << 20
HEADER_SEARCH_ROWS = 30
PREVIEW_ROWS = 10
PREVIEW_CELL_CHARS = 200
DATE_ORDER_SAMPLE_ROWS = 5000
DELIMITERS = (",", "\t", ";", "|")
SNIFFER_CHARS = 4096
# Encodings a user may choose instead of the detected one (codec names as codecs.lookup gives).
CHOSEN_ENCODINGS = frozenset(
    {
        "utf-8",
        "utf-8-sig",
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "gb18030",
        "gbk",
        "gb2312",
        "big5",
        "cp1252",
        "iso8859-1",
    }
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGICS = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"BZh",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x7fELF",
    b"MZ",
    b"\x00\x00\x01\x00",
    b"RIFF",
    b"OggS",
    b"\xfd7zXZ",
)
_SEP_LINE = re.compile(r"^\s*sep=(.)\s*$", re.IGNORECASE)
# Control characters that never appear in a text export.
_CONTROL = bytes(range(0, 32)).translate(None, b"\t\n\r\f\x1a")


@dataclass
class FileInfo:
    """What sniffing found; stored with the import and passed back to `iter_rows`.

    `header_row` is the row number of the header (rows before it are skipped); `date_order`
    "DMY", "MDY" or "" (undecided); `estimated_rows` a guess from the sample for progress bars.
    """

    format: str
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)
    header_row: int = 1
    date_order: str = ""
    estimated_rows: int = 0
    size_bytes: int = 0

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> FileInfo:
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in data.items() if key in known})


def sniff(
    path,
    *,
    filename: str = "",
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
) -> FileInfo:
    """Inspect the file at `path` (the upload as stored). The keyword overrides let the user
    correct a guess (another sheet, encoding, delimiter or header row); raises ImportFileError.
    """
    limits = Limits.from_settings()
    if header_row is not None:
        try:
            header_row = int(header_row)
        except (TypeError, ValueError):
            header_row = 0
        if header_row < 1:
            raise ImportFileError("no_header", _("The header row must be a row number from 1."))
    size = os.path.getsize(path)
    if size == 0:
        raise _empty()
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    whole = len(sample) >= size
    if sample.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        info = _sniff_xlsx(path, sheet=sheet or "", header_row=header_row, limits=limits)
    else:
        _refuse_binary(sample, filename)
        info = _sniff_csv(
            sample,
            whole=whole,
            encoding=encoding,
            delimiter=delimiter,
            header_row=header_row,
            limits=limits,
            size=size,
        )
    info.size_bytes = size
    return info


def _empty() -> ImportFileError:
    return ImportFileError("empty_file", _("The file is empty."))


def _refuse_binary(sample: bytes, filename: str) -> None:
    if sample.startswith(_OLE_MAGIC):
        raise ImportFileError(
            "legacy_excel",
            _(
                "This is an old-style Excel file (.xls) or a password-protected workbook; open it "
                "in Excel, remove any password and save it as .xlsx or CSV, then upload that."
            ),
        )
    if sample.startswith(_BINARY_MAGICS):
        raise _binary(filename)
    head = sample[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<workbook")):
        raise ImportFileError(
            "not_a_spreadsheet",
            _(
                "This is a web page or XML saved with a spreadsheet name, not a CSV or workbook; "
                "open it in Excel and save it as .xlsx or CSV."
            ),
        )


def _binary(filename: str) -> ImportFileError:
    return ImportFileError(
        "binary_file",
        _("This is not a CSV or Excel file (it contains binary data); upload a .csv or .xlsx.")
        if not filename
        else _(
            "“%(name)s” is not a CSV or Excel file (it contains binary data); upload a .csv or "
            ".xlsx."
        )
        % {"name": values.shorten(os.path.basename(filename))},
    )


# --------------------------------------------------------------------------------- encoding


def detect_encoding(sample: bytes, *, whole: bool) -> str:
    """The codec name of a text sample, or raise ImportFileError (binary / unknown)."""
    if sample.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in sample:
        encoding = _utf16_without_bom(sample)
    else:
        encoding = ""
    if encoding:
        if not _decodes(sample, encoding, whole=whole):
            raise _binary("")
        return encoding
    if len(sample.translate(None, _CONTROL)) < len(sample) * 0.99:
        raise _binary("")
    if _decodes(sample, "utf-8", whole=whole):
        return "utf-8"
    if _decodes(sample, "gb18030", whole=whole) and _mostly_chinese(sample):
        return "gb18030"
    raise ImportFileError(
        "unknown_encoding",
        _(
            "The file's text encoding is not UTF-8 or GBK/GB18030; save it as “CSV UTF-8” "
            "and upload it again."
        ),
    )


def _utf16_without_bom(sample: bytes) -> str:
    even, odd = sample[0::2], sample[1::2]
    if odd and odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even and even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    raise _binary("")


def _decodes(sample: bytes, encoding: str, *, whole: bool) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        decoder.decode(sample, final=whole)
    except UnicodeDecodeError:
        return False
    return True


def _mostly_chinese(sample: bytes) -> bool:
    """GB18030 decodes most byte soups (Latin-1 "è" + "m" is a rare Han character); real Chinese
    text is overwhelmingly made of the 3,755 common characters of GB2312 level 1 and its
    punctuation, so at least 70 % of the non-ASCII characters must be among them."""
    text = codecs.getincrementaldecoder("gb18030")(errors="ignore").decode(sample)
    wide = [char for char in text if ord(char) > 127]
    if not wide:
        return True
    common = 0
    for char in wide:
        try:
            encoded = char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        if len(encoded) == 2 and (0xB0 <= encoded[0] <= 0xD7 or 0xA1 <= encoded[0] <= 0xA9):
            common += 1
    return common >= 0.7 * len(wide)


# -------------------------------------------------------------------------------------- CSV


def _sniff_csv(sample, *, whole, encoding, delimiter, header_row, limits, size) -> FileInfo:
    if delimiter and not _usable_delimiter(delimiter):
        raise ImportFileError(
            "bad_delimiter",
            _("“%(delimiter)s” cannot separate columns; use one character such as , ; or |.")
            % {"delimiter": values.shorten(delimiter)},
        )
    if encoding:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            encoding = ""
        if encoding not in CHOSEN_ENCODINGS:
            raise ImportFileError(
                "unknown_encoding",
                _("That is not a text encoding we can read; choose UTF-8, GBK/GB18030 or UTF-16."),
            )
        if not _decodes(sample, encoding, whole=whole):
            raise ImportFileError(
                "decode_error",
                _("The file is not %(encoding)s text.") % {"encoding": encoding},
            )
    else:
        encoding = detect_encoding(sample, whole=whole)
    text = codecs.getincrementaldecoder(encoding)(errors="strict").decode(sample, final=whole)
    if not whole:
        # Drop the last, probably cut, line.
        cut = max(text.rfind("\n"), text.rfind("\r"))
        text = text[: cut + 1] if cut >= 0 else text
    if not text.strip():
        raise _empty()
    lines = text.splitlines(keepends=True)
    skip = 0
    sep = _SEP_LINE.match(lines[0]) if lines else None
    if sep and _usable_delimiter(sep.group(1)):
        delimiter = delimiter or sep.group(1)
        skip = 1
    delimiter = delimiter or detect_delimiter(lines[skip : skip + 100])
    records = []
    try:
        for number, cells in csv_records(
            io.StringIO(text, newline=""), delimiter=delimiter, limits=limits, encoding=encoding
        ):
            if number > skip:
                records.append((number, cells))
            if len(records) >= DATE_ORDER_SAMPLE_ROWS:
                break
    except ImportFileError as error:
        # A sample cut inside a quoted cell ends in a quote error that is not the file's.
        if whole or error.code not in ("unclosed_quote", "malformed_csv"):
            raise
    if not records:
        raise ImportFileError("no_header", _("The file has no rows."))
    info = _describe(records, header_row=header_row, limits=limits)
    info.format = CSV
    info.encoding = encoding
    info.delimiter = delimiter
    if whole:
        info.estimated_rows = sum(1 for number, _cells in records if number > info.header_row)
    else:  # lines of the file at the sample's bytes per line
        info.estimated_rows = max(int(size * len(lines) / len(sample)) - info.header_row, 0)
    return info


def _usable_delimiter(delimiter: str) -> bool:
    return isinstance(delimiter, str) and len(delimiter) == 1 and delimiter not in '"\r\n'


def detect_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the lines into the most consistent number (> 1) of columns."""
    text = "".join(lines)
    try:
        # Its regexes are quadratic on some inputs: a short head is all it sees.
        sniffed = csv.Sniffer().sniff(text[:SNIFFER_CHARS], delimiters="".join(DELIMITERS))
    except csv.Error:
        sniffed = None
    best, best_score = ",", 0.0
    for candidate in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(text), delimiter=candidate))
        except csv.Error:  # e.g. a cell over the size limit: the reader will say so
            continue
        counts = [len(row) for row in rows if row]
        if not counts:
            continue
        width = max(set(counts), key=counts.count)
        if width < 2:
            continue
        score = counts.count(width) / len(counts)
        tie_break = sniffed is not None and candidate == sniffed.delimiter
        if score > best_score or (score == best_score and tie_break):
            best, best_score = candidate, score
    return best


# ------------------------------------------------------------------------------------- XLSX


def _sniff_xlsx(path, *, sheet: str, header_row, limits) -> FileInfo:
    with open_workbook(path, limits) as workbook:
        names = [ws.title for ws in workbook.worksheets]
        candidates = [worksheet(workbook, sheet)] if sheet else list(workbook.worksheets)
        for ws in candidates:
            records = list(islice(sheet_records(workbook, ws, limits), DATE_ORDER_SAMPLE_ROWS))
            if records:
                break
        else:
            raise ImportFileError("empty_file", _("The workbook has no data."))
        declared = ws.max_row if isinstance(ws.max_row, int) else 0
        title = ws.title
    info = _describe(records, header_row=header_row, limits=limits)
    info.format = XLSX
    info.sheet = title
    info.sheets = names
    info.estimated_rows = max(declared - info.header_row, 0) or sum(
        1 for number, _cells in records if number > info.header_row
    )
    return info


# --------------------------------------------------------------------------- header, preview


def _describe(records, *, header_row: int | None, limits: Limits) -> FileInfo:
    if header_row:
        header = next(((n, c) for n, c in records if n == header_row), None)
        if header is None:
            raise ImportFileError(
                "no_header",
                _("Row %(row)s of the file is empty; choose another header row.")
                % {"row": header_row},
            )
    else:
        header = records[find_header(records[:HEADER_SEARCH_ROWS])]
    number, cells = header
    if len(cells) > limits.max_columns:
        raise too_many_columns(number, len(cells), limits)
    data = [(n, c) for n, c in records if n > number]
    width = max([len(cells)] + [len(c) for _n, c in data[:PREVIEW_ROWS]])
    headers = unique_headers(cells, width)
    preview = [
        [values.shorten(cell, PREVIEW_CELL_CHARS) for cell in row[:width]]
        + [""] * (width - len(row))
        for _n, row in data[:PREVIEW_ROWS]
    ]
    return FileInfo(
        format="",
        headers=headers,
        preview=preview,
        header_row=number,
        date_order=detect_date_order(row for _n, row in data),
    )


def find_header(records: list[tuple[int, list[str]]]) -> int:
    """Index in `records` of the header row."""
    known = known_header_keys()
    hits = [
        sum(1 for cell in cells if cell.strip() and any(k in known for k in _header_keys(cell)))
        for _n, cells in records
    ]
    if max(hits, default=0) >= 2:
        return hits.index(max(hits))
    filled = [sum(1 for cell in cells if cell.strip()) for _n, cells in records]
    widest = max(filled, default=0)
    for index, (_n, cells) in enumerate(records):
        texts = [cell for cell in cells if cell.strip()]
        if filled[index] >= 0.6 * widest and sum(map(_is_text, texts)) >= 0.8 * len(texts):
            return index
    return 0


def _is_text(cell: str) -> bool:
    try:
        values.to_decimal(cell)
    except values.ValueProblem:
        pass
    else:
        return False
    try:
        values.parse_datetime_text(cell, values.DMY)
    except values.ValueProblem:
        return True
    return False


def unique_headers(cells: list[str], width: int) -> list[str]:
    """Header names as the mapping refers to them: stripped, one line, never empty ("[C]" for an
    unnamed column C), never repeated ("Price", "Price (2)")."""
    from openpyxl.utils import get_column_letter

    headers: list[str] = []
    seen: set[str] = set()
    for index in range(width):
        raw = cells[index] if index < len(cells) else ""
        name = " ".join(unicodedata.normalize("NFC", raw).split())[:200]
        if not name:
            name = f"[{get_column_letter(index + 1)}]"
        candidate, copy = name, 1
        while candidate in seen:
            copy += 1
            candidate = f"{name} ({copy})"
        seen.add(candidate)
        headers.append(candidate)
    return headers


def detect_date_order(rows) -> str:
    """ "DMY" or "MDY" when the dd/mm/yyyy-like cells of `rows` all point one way, else ""."""
    seen = set()
    for cells in rows:
        for cell in cells:
            if not cell or not cell[0].isdigit():
                continue
            parts = values.ambiguous_date_parts(cell)
            if parts:
                evidence = values.date_order_evidence(*parts)
                if evidence:
                    seen.add(evidence)
                    if len(seen) > 1:
                        return ""
    return seen.pop() if seen else ""

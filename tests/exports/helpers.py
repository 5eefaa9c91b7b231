"""Reading exports back: the CSV as rows (after checking the byte-order mark), the workbook
through openpyxl (proving it is a valid .xlsx), and the payloads of formula injection."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

# Text a spreadsheet would run as a formula, as product titles and review bodies.
FORMULAS = ('=HYPERLINK("http://evil.example","Click")', "+1", "-1+2", "@SUM(A1:A9)")


def body(response) -> bytes:
    assert response.streaming, "an export is streamed, never built in memory first"
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff"), "the CSV starts with a UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(text[1:])))


def csv_dicts(response) -> list[dict[str, str]]:
    header, *rows = csv_rows(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def workbook(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(body(response)))


def xlsx_rows(response) -> list[tuple]:
    return list(workbook(response).active.iter_rows(values_only=True))


def xlsx_dicts(response) -> list[dict]:
    header, *rows = xlsx_rows(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def xlsx_cells(response) -> list[list]:
    """The cells themselves (value and data type), header row first."""
    return [list(row) for row in workbook(response).active.iter_rows()]

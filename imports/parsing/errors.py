"""The two ways a file can be wrong: as a whole (`ImportFileError`) or in one row (`RowProblem`).

A whole-file problem (not a spreadsheet, a zip bomb, 10,000 columns, an unclosed quote) stops
the import before anything is written; it is an `ApiError`, so an API view that lets it through
answers 400 with its stable code. A row problem names the row as the user sees it in their
spreadsheet, the column, the value and what is wrong, and the import either rejects the file
(all or nothing) or loads the other rows and hands the bad ones back as a CSV.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.api.errors import ApiError

# Longest value and message kept on a problem (ImportRowError stores 255 / 500 characters).
VALUE_MAX_CHARS = 200
MESSAGE_MAX_CHARS = 500


class ImportFileError(ApiError):
    """The file cannot be imported at all; `code` is stable, `message` is for the user.

    Codes: empty_file, binary_file, legacy_excel, not_a_spreadsheet, corrupt_file, zip_bomb,
    unknown_encoding, decode_error, too_many_columns, too_many_rows, cell_too_large,
    line_too_long, unclosed_quote, malformed_csv, no_header, sheet_not_found, bad_delimiter,
    invalid_mapping (RowValidator given a mapping that misses a required field or names a
    column the file does not have).
    """

    def __init__(self, code: str, message: str):
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):
        return (type(self), (self.code, self.message))


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One thing wrong with one row (or one item of a bulk API request).

    `row` is the spreadsheet row number (header included, so the first data row of a file with
    its header on line 1 is row 2), or the item's index in a JSON array. `column` is the file's
    header (or the JSON field name); empty when the problem concerns the whole row. `message`
    is one translated sentence naming the row, the column, the value and what is wrong.
    """

    row: int
    column: str
    value: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "code": self.code,
            "message": self.message,
        }

"""The import file layer: what a file is, its rows, and each row as a typed record.

Pure Python over the file; nothing here reads or writes the database (the loader resolves SKUs
and writes). See the modules' docstrings: sniff (format, encoding, delimiter, header row),
readers (streaming rows with limits), fields (targets per kind), presets (column names of known
exports, mapping suggestions), values (cell parsers), validate (records and row problems).
"""

from .errors import ImportFileError, RowProblem
from .fields import FIELDS, KINDS, Field
from .presets import PRESETS, Preset, normalise_header, preset_options, suggest_mapping
from .readers import iter_rows
from .sniff import FileInfo, sniff
from .validate import (
    RECORD_TYPES,
    OrderRecord,
    ProductRecord,
    ReviewRecord,
    RowValidator,
    SalesRecord,
    StockRecord,
    mapping_problems,
)

__all__ = [
    "FIELDS",
    "KINDS",
    "PRESETS",
    "RECORD_TYPES",
    "Field",
    "FileInfo",
    "ImportFileError",
    "OrderRecord",
    "Preset",
    "ProductRecord",
    "ReviewRecord",
    "RowProblem",
    "RowValidator",
    "SalesRecord",
    "StockRecord",
    "iter_rows",
    "mapping_problems",
    "normalise_header",
    "preset_options",
    "sniff",
    "suggest_mapping",
]

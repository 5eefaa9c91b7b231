"""Writes of the forecasting app, one module per area; import from the module itself.

The names below are re-exported for the callers that predate the split.
"""

from .sales import (  # noqa: F401
    SalesRow,
    sales_upsert,
)

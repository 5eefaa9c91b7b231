"""Reads of the reviews app, one module per area; import from the module itself.

The names below are re-exported for the callers that predate the split.
"""

from .reviews import (  # noqa: F401
    RatingSummary,
    product_reviews,
    rating_summary,
    review_list,
)

from __future__ import annotations

from rest_framework import filters


class StableOrderingFilter(filters.OrderingFilter):
    """`?ordering=field,-other`; ends every ordering with the primary key.

    Without a unique last key, rows that share a value (many products on one date, the same
    price) may come back in a different order on each query, so pages overlap or skip rows.
    """

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(term.lstrip("-") in ("pk", "id") for term in ordering):
            ordering.append("-pk" if ordering and ordering[0].startswith("-") else "pk")
        return ordering

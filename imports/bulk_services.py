"""The bulk API's write: JSON items validated like rows of a file and upserted like an import.

    result = bulk_upsert(merchant=m, kind="sales", items=[...], mode="valid_items",
                         create_unknown_skus=False)

Each item goes through the file import's `RowValidator` (identity mapping: the JSON keys are the
import's field names) and the valid records through the import's loader (`records_load`), so an
item is accepted or refused exactly as the same row in a file would be, and stored with the
same natural keys: sending the same items twice changes nothing.

Modes:
- `all_or_nothing` (default): any invalid item (or one the loader refuses, e.g. an unknown SKU)
  and nothing is written; `BulkRejected` lists every problem.
- `valid_items`: the valid items are written in one transaction and the others come back as
  rejected, each with its problems.

Per-item outcome: the rows the items address are read by natural key just before and just
after the load, inside the same transaction. An item is `created` when its row did not exist,
`updated` when a value changed, `unchanged` otherwise, `duplicate` when a later item of the
request has the same key (the later one wins, as in a file), and `rejected` with problems.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Hashable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import status

from core.api.errors import ApiError
from forecasting.models import DailySales
from imports.models import ImportKind, ImportMode
from imports.parsing import RowValidator
from imports.parsing.errors import MESSAGE_MAX_CHARS, VALUE_MAX_CHARS, RowProblem
from imports.services.load import LoadRejected, records_load, review_fingerprint
from products.models import Product, StockLevel
from reviews.models import Review

BULK_KINDS = (ImportKind.PRODUCTS, ImportKind.SALES, ImportKind.STOCK, ImportKind.REVIEWS)
ALL_OR_NOTHING = "all_or_nothing"
VALID_ITEMS = "valid_items"
MODES = (ALL_OR_NOTHING, VALID_ITEMS)
BULK_MODE_CHOICES = [(ALL_OR_NOTHING, ALL_OR_NOTHING), (VALID_ITEMS, VALID_ITEMS)]
# The source of reviews whose item names none.
API_SOURCE = "api"

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
DUPLICATE = "duplicate"
REJECTED = "rejected"
STATUSES = (CREATED, UPDATED, UNCHANGED, DUPLICATE, REJECTED)
UNKNOWN_SKU = "unknown_sku"
SKU_KINDS = (ImportKind.SALES, ImportKind.STOCK, ImportKind.REVIEWS)


def bulk_max_items() -> int:
    return settings.BULK_MAX_ITEMS


def bulk_max_body_bytes() -> int:
    return settings.BULK_MAX_BODY_BYTES


@dataclass(frozen=True)
class ItemError:
    """One problem of one item: `field` is the JSON key (empty for the item as a whole)."""

    index: int
    field: str
    code: str
    message: str
    value: str = ""

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "field": self.field,
            "code": self.code,
            "message": self.message,
            "value": self.value,
        }


@dataclass
class BulkResult:
    kind: str
    mode: str
    received: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejected: int = 0
    products_created: int = 0
    unknown_skus: list[str] = field(default_factory=list)
    # One entry per item, in request order: {"index": 0, "status": "created"}.
    items: list[dict] = field(default_factory=list)
    item_errors: list[ItemError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "mode": self.mode,
            "received": self.received,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "products_created": self.products_created,
            "unknown_skus": self.unknown_skus,
            "items": self.items,
            "item_errors": [error.as_dict() for error in self.item_errors],
        }


class BulkRejected(ApiError):
    """All or nothing, and some items are invalid: nothing was written (400)."""

    def __init__(self, *, errors: list[ItemError], received: int, unknown_skus=()):
        rejected = len({error.index for error in errors})
        super().__init__(
            "invalid_items",
            ngettext(
                "%(rejected)d of %(received)d items is invalid; nothing was written.",
                "%(rejected)d of %(received)d items are invalid; nothing was written.",
                rejected,
            )
            % {"rejected": rejected, "received": received},
            status.HTTP_400_BAD_REQUEST,
        )
        self.item_errors = errors
        self.unknown_skus = list(unknown_skus)


def _unknown_sku(index: int, sku: str) -> ItemError:
    return _item_error(
        index,
        "sku",
        UNKNOWN_SKU,
        _("Item %(index)d, field “sku”: SKU “%(sku)s” is not in your catalogue.")
        % {"index": index, "sku": sku[:64]},
        sku,
    )


def _error_from_problem(problem: RowProblem, index: int | None = None) -> ItemError:
    if problem.code == UNKNOWN_SKU:
        # The loader speaks of file rows; a bulk client sent items.
        return _unknown_sku(problem.row if index is None else index, str(problem.value))
    return ItemError(
        index=problem.row if index is None else index,
        field=problem.column or "",
        code=problem.code,
        message=str(problem.message)[:MESSAGE_MAX_CHARS],
        value=str(problem.value or "")[:VALUE_MAX_CHARS],
    )


def _item_error(index: int, name: str, code: str, message: str, value="") -> ItemError:
    return ItemError(
        index=index, field=name, code=code, message=message, value=str(value)[:VALUE_MAX_CHARS]
    )


def _validate(
    *, kind: str, items: list, options: dict, tz
) -> tuple[list[tuple[int, object]], list[ItemError]]:
    """The items as records, and the problems of the others. The import's own validator also
    answers what JSON can get wrong and a spreadsheet cannot (not an object, an unknown key, a
    list where a value belongs); it needs no column mapping for items, whose keys are the
    field names."""
    validator = RowValidator(kind=kind, options=options, tz=tz)
    records: list[tuple[int, object]] = []
    errors: list[ItemError] = []
    for index, item in enumerate(items):
        record, problems = validator.validate_item(index, item)
        if record is None:
            errors.extend(_error_from_problem(problem, index) for problem in problems)
            if not problems:  # the validator promises one or the other; never drop an item
                errors.append(
                    _item_error(
                        index, "", "invalid", _("Item %(index)d cannot be read.") % {"index": index}
                    )
                )
            continue
        records.append((index, record))
    return records, errors


def _unknown_sku_errors(*, merchant, records: list[tuple[int, object]]) -> list[ItemError]:
    """Unknown SKUs of the valid items, so a refused request names every problem at once (the
    loader, which checks them otherwise, only runs when the items are valid)."""
    skus = {_text(record, "sku") for _index, record in records}
    known = set(
        Product.objects.filter(merchant=merchant, sku__in=skus).values_list("sku", flat=True)
    )
    return [
        _unknown_sku(index, _text(record, "sku"))
        for index, record in records
        if _text(record, "sku") not in known
    ]


# --- Natural keys and the before/after reads ---------------------------------------------------


def _aware(value, tz) -> dt.datetime | None:
    """The loader's reading of a review's `created_at` (naive = the merchant's local time)."""
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time.min, tzinfo=tz)
    return None


def _text(record, name: str) -> str:
    value = getattr(record, name, None)
    return "" if value is None else str(value).replace("\x00", "")


def _key(kind: str, record, *, tz) -> Hashable:
    """The natural key the loader upserts the record on (see imports.services.load)."""
    sku = _text(record, "sku")
    if kind == ImportKind.SALES:
        day = getattr(record, "date", None)
        if isinstance(day, dt.datetime):
            day = day.astimezone(tz).date() if timezone.is_aware(day) else day.date()
        return (sku, day)
    if kind == ImportKind.REVIEWS:
        source = _text(record, "source")[:40] or API_SOURCE
        external_id = _text(record, "external_id") or review_fingerprint(
            sku=sku,
            created_at=_aware(getattr(record, "created_at", None), tz),
            author=_text(record, "author") or _text(record, "author_name"),
            body=_text(record, "body"),
        )
        return (source, external_id)
    return sku


def _rows_by_key(kind: str, *, merchant, keys: list) -> dict[Hashable, tuple]:
    """The stored values of the rows with these natural keys."""
    if not keys:
        return {}
    if kind == ImportKind.PRODUCTS:
        rows = Product.objects.filter(merchant=merchant, sku__in=keys).values_list(
            *Product.EDITABLE_FIELDS
        )
        return {row[0]: row for row in rows}
    if kind == ImportKind.STOCK:
        rows = StockLevel.objects.filter(merchant=merchant, product__sku__in=keys).values_list(
            "product__sku", "on_hand", "inbound"
        )
        return {row[0]: row for row in rows}
    if kind == ImportKind.SALES:
        wanted = set(keys)
        rows = DailySales.objects.filter(
            merchant=merchant,
            product__sku__in={sku for sku, _day in keys},
            date__in={day for _sku, day in keys},
        ).values_list("product__sku", "date", "units", "revenue", "on_promotion")
        return {(row[0], row[1]): row for row in rows if (row[0], row[1]) in wanted}
    wanted = set(keys)
    rows = Review.objects.filter(
        merchant=merchant,
        source__in={source for source, _id in keys},
        external_id__in={external_id for _source, external_id in keys},
    ).values_list(
        "source",
        "external_id",
        "product_id",
        "rating",
        "title",
        "body",
        "author_name",
        "created_at",
        "language",
    )
    return {(row[0], row[1]): row for row in rows if (row[0], row[1]) in wanted}


# --- The service ---------------------------------------------------------------------------------


def bulk_upsert(
    *,
    merchant,
    kind: str,
    items: list,
    mode: str = ALL_OR_NOTHING,
    create_unknown_skus: bool = False,
) -> BulkResult:
    """Validate `items` (a list of JSON values) as rows of a `kind` import and upsert the valid
    ones; see the module docstring. Raises `BulkRejected` in all-or-nothing mode when any item
    is invalid or refused by the loader (nothing written)."""
    if kind not in BULK_KINDS:
        raise ValueError(f"no bulk upsert for {kind!r}")
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    tz = zoneinfo.ZoneInfo(merchant.timezone)
    options: dict = {"create_unknown_skus": bool(create_unknown_skus)}
    if kind == ImportKind.REVIEWS:
        options["source"] = API_SOURCE
    result = BulkResult(kind=kind, mode=mode, received=len(items))
    records, errors = _validate(kind=kind, items=items, options=options, tz=tz)
    if errors and mode == ALL_OR_NOTHING:
        if kind in SKU_KINDS and not create_unknown_skus:
            errors += _unknown_sku_errors(merchant=merchant, records=records)
        raise BulkRejected(
            errors=sorted(errors, key=lambda error: error.index), received=len(items)
        )

    keys = {index: _key(kind, record, tz=tz) for index, record in records}
    load_options = {
        **options,
        "mode": ImportMode.ALL_OR_NOTHING if mode == ALL_OR_NOTHING else ImportMode.VALID_ROWS,
    }
    refused: dict[int, list[ItemError]] = {}
    if records:
        try:
            with transaction.atomic():
                before = _rows_by_key(kind, merchant=merchant, keys=list(set(keys.values())))
                loaded = records_load(
                    merchant=merchant, kind=kind, records=records, options=load_options
                )
                after = _rows_by_key(kind, merchant=merchant, keys=list(set(keys.values())))
        except LoadRejected as rejection:
            problems = [_error_from_problem(problem) for problem in rejection.problems]
            raise BulkRejected(
                errors=sorted(errors + problems, key=lambda error: error.index),
                received=len(items),
                unknown_skus=rejection.unknown_skus,
            ) from rejection
        for problem in loaded.problems:
            refused.setdefault(problem.row, []).append(_error_from_problem(problem))
        result.products_created = loaded.products_created
        result.unknown_skus = list(loaded.unknown_skus)
    else:
        before = after = {}

    for error in errors:
        refused.setdefault(error.index, []).append(error)
    # Of the stored items with one key, the later wins (as in a file); the earlier are duplicates.
    last_index = {key: index for index, key in keys.items() if index not in refused}
    for index in range(len(items)):
        if index in refused:
            item_status = REJECTED
        elif last_index.get(keys[index]) != index:
            item_status = DUPLICATE
        else:
            key = keys[index]
            if key not in after:
                # Accepted by the loader but not stored: never expected; say so, do not guess.
                item_status = REJECTED
                refused[index] = [
                    _item_error(
                        index,
                        "",
                        "not_stored",
                        _("Item %(index)d was not stored.") % {"index": index},
                    )
                ]
            elif key not in before:
                item_status = CREATED
            elif before[key] != after[key]:
                item_status = UPDATED
            else:
                item_status = UNCHANGED
        result.items.append({"index": index, "status": item_status})
    counts = dict.fromkeys(STATUSES, 0)
    for item in result.items:
        counts[item["status"]] += 1
    result.created, result.updated = counts[CREATED], counts[UPDATED]
    result.unchanged, result.duplicates = counts[UNCHANGED], counts[DUPLICATE]
    result.rejected = counts[REJECTED]
    result.item_errors = sorted(
        (error for index in sorted(refused) for error in refused[index]),
        key=lambda error: error.index,
    )
    return result

"""Turning a row (or a JSON item of the bulk API) into a typed record, or saying what is wrong.

`RowValidator(kind=, mapping=, options=, tz=, headers=)` is built once per file: the mapping
is resolved to column indexes and every mapped field gets its parser, so `validate(row_number,
cells)` is one loop over the mapped columns, fast paths first. It returns `(record, [])` or
`(None, problems)`, never both empty. The same field rules serve `validate_item(index, item)`.

Rows are not independent in two places, both bounded to the current order or product, so the
memory stays constant:

- Orders: consecutive rows of one order share its order-level cells (Shopify fills "Created at",
  "Financial Status" and "Cancelled at" only on an order's first line); a blank one is taken
  from the order's earlier row. With `refund_scope` "order" (the Shopify preset) the refunded
  amount is the order's and is spread over its lines in file order. A line without a line id
  is keyed by its SKU (a second line of the same SKU in the order becomes "SKU#2"); a row
  identical to an earlier line of the same order is a duplicate and is refused.
- Products: rows with the same handle (Shopify exports, one row per variant) take the title,
  category, brand, status, description and option names of the handle's first row when theirs
  are blank.

Duplicates further apart in the file (the same SKU and day twice, the same order line in two
places) are left to the loader, which sees the whole file in its staging table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

from . import fields as F
from . import values
from .errors import MESSAGE_MAX_CHARS, ImportFileError, RowProblem
from .presets import preset_options
from .readers import UncachedFormula
from .values import ValueProblem

CENT = values.CENT
ZERO = Decimal("0.00")
ONE_DAY = dt.timedelta(days=1)
MAX_ATTRIBUTES = 100
ATTRIBUTE_NAME_MAX = 100
ATTRIBUTE_VALUE_MAX = 1000
LEAD_TIME_MAX_DAYS = 730
# Lines of one order remembered for duplicate checks (bounds memory on a hostile file).
MAX_LINES_PER_ORDER = 10000
# Distinct date cells remembered per date column (see `RowValidator._build_parsers`).
DATE_CACHE_SIZE = 4096


# ------------------------------------------------------------------------------------ records


@dataclass(frozen=True, slots=True)
class ProductRecord:
    row: int
    sku: str
    title: str
    price: Decimal
    category: str | None = None
    brand: str | None = None
    cost: Decimal | None = None
    currency: str | None = None
    status: str | None = None
    lead_time_days: int | None = None
    moq: int | None = None
    case_pack: int | None = None
    description: str | None = None
    attributes: dict | None = None
    # The fields this row gave a value for; the others keep their current value on update.
    provided: frozenset = frozenset()


@dataclass(frozen=True, slots=True)
class OrderRecord:
    row: int
    order_number: str
    line_key: str
    sku: str
    quantity: int
    refunded_quantity: int
    amount: Decimal
    refunded_amount: Decimal
    ordered_at: dt.datetime  # aware
    date: dt.date  # the merchant's local date of ordered_at
    cancelled: bool
    status: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class SalesRecord:
    row: int
    sku: str
    date: dt.date
    units: int
    revenue: Decimal | None = None
    on_promotion: bool | None = None
    provided: frozenset = frozenset()


@dataclass(frozen=True, slots=True)
class StockRecord:
    row: int
    sku: str
    on_hand: int
    inbound: int | None = None
    date: dt.date | None = None
    provided: frozenset = frozenset()


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    row: int
    sku: str
    body: str
    rating: int | None = None
    title: str = ""
    author: str = ""
    created_at: dt.datetime | None = None
    source: str = "import"
    external_id: str = ""
    language: str = ""


RECORD_TYPES = {
    "products": ProductRecord,
    "orders": OrderRecord,
    "sales": SalesRecord,
    "stock": StockRecord,
    "reviews": ReviewRecord,
}

# Fields whose blank cells are filled from the order's / handle's earlier row, so their
# "required" check waits until then.
_CARRIED = {
    "orders": ("ordered_at", "status", "refund_status", "cancelled_at"),
    "products": ("title", "category", "brand", "status", "description"),
}


# Cells that only say which group a row belongs to.
_GROUP_KEYS = frozenset({"handle", "attributes"})


# ------------------------------------------------------------------------------------ mapping


def mapping_problems(kind: str, mapping: dict, headers: list[str] | None) -> list[str]:
    """What is wrong with a column mapping, as translated sentences ([] when it is usable)."""
    if kind not in F.FIELDS:
        return [_("“%(kind)s” is not an import kind.") % {"kind": kind}]
    problems = []
    fields = F.FIELDS_BY_NAME[kind]
    header_set = set(headers or ())

    def check_column(column) -> None:
        if isinstance(column, bool) or not isinstance(column, int | str):
            problems.append(_("“%(column)s” is not a column.") % {"column": column})
        elif isinstance(column, int):
            limit = len(headers) if headers is not None else settings.IMPORT_MAX_COLUMNS
            if not 0 <= column < limit:
                problems.append(_("Column %(column)s is not in the file.") % {"column": column})
        elif column not in header_set:
            problems.append(
                _("The file has no column “%(column)s”.") % {"column": values.shorten(column)}
            )

    for name, column in mapping.items():
        if name == "attributes" and kind == "products":
            if not isinstance(column, list):
                problems.append(_("Attributes must be a list of columns."))
                continue
            for item in column:
                check_column(item)
        elif name == "attribute_pairs" and kind == "products":
            if not isinstance(column, list) or not all(
                isinstance(pair, list | tuple) and len(pair) == 2 for pair in column
            ):
                problems.append(_("Attribute pairs must be a list of [name column, value column]."))
                continue
            for pair in column:
                check_column(pair[0])
                check_column(pair[1])
        elif name not in fields or name == "attributes":
            problems.append(
                _("“%(field)s” is not a field of this import.") % {"field": values.shorten(name)}
            )
        elif column not in ("", None):
            check_column(column)
    for field in F.FIELDS[kind]:
        if field.required and mapping.get(field.name) in ("", None):
            problems.append(
                _("Choose the column that holds “%(field)s” (required).") % {"field": field.label}
            )
    return problems


def _index(column, headers: list[str] | None) -> int:
    if isinstance(column, int):
        return column
    return headers.index(column)


# ---------------------------------------------------------------------------------- validator


class RowValidator:
    """Validates the rows of one file (or the items of one bulk request) of one kind.

    `mapping` is {field: header} (or a column index), plus for products `attributes` (a list of
    headers kept as attributes named by their header) and `attribute_pairs` ([[name header,
    value header], ...]); `headers` the file's header names (FileInfo.headers), needed for
    `validate`. Options: `date_order` ("DMY", "MDY" or "" = undecided, see values.py),
    `refund_scope` ("line" or "order"), `source` (reviews without one), `preset` (its options
    are the defaults). `tz` is the merchant's time zone (name or tzinfo): naive times are in
    it, and an order's date is its local date. `now` is for tests.
    """

    def __init__(
        self,
        *,
        kind: str,
        mapping: dict | None = None,
        options: dict | None = None,
        tz=None,
        headers: list[str] | None = None,
        now: dt.datetime | None = None,
    ):
        if kind not in F.FIELDS:
            raise ValueError(f"unknown import kind {kind!r}")
        options = dict(options or {})
        self.kind = kind
        self.options = {**preset_options(str(options.get("preset") or ""), kind), **options}
        self.tz = _zone(tz)
        now = now or dt.datetime.now(dt.UTC)
        self.now = now
        self.max_datetime = now + ONE_DAY
        self.max_date = now.astimezone(self.tz).date() + ONE_DAY
        self.min_datetime = dt.datetime.combine(values.MIN_DATE, dt.time.min, tzinfo=self.tz)
        order = str(self.options.get("date_order") or "").upper()
        self.date_order = order if order in values.DATE_ORDERS else ""
        self.refund_scope = "order" if self.options.get("refund_scope") == "order" else "line"
        self.source = str(self.options.get("source") or "import")[:40]
        self.max_amount = settings.IMPORT_MAX_AMOUNT
        self.fields = F.FIELDS_BY_NAME[kind]
        self.parsers = self._build_parsers()
        self.mapping = dict(mapping or {})
        self.headers = list(headers) if headers is not None else None
        self._plan: list[tuple[str, int, str, object, bool]] = []
        self._attributes: list[tuple[str, int]] = []
        self._pairs: list[tuple[int, int]] = []
        if mapping is not None:
            self._compile(self.mapping)
        self._fast_plan = [(name, index, parse) for name, index, _c, parse, _r in self._plan]
        self._width = max((index + 1 for _n, index, _p in self._fast_plan), default=0)
        self._required = {name: column for name, _i, column, _p, required in self._plan if required}
        carried = _CARRIED.get(kind, ())
        self._carried = tuple(name for name in carried if self.mapping.get(name) not in ("", None))
        self._finish = getattr(self, f"_finish_{kind}")
        self._order_state: dict = {}
        self._handle_state: dict = {}
        self._status_cache: dict[str, str] = {}

    # -------------------------------------------------------------------------- compiling

    def _compile(self, mapping: dict) -> None:
        problems = mapping_problems(self.kind, mapping, self.headers)
        if problems:
            raise ImportFileError("invalid_mapping", " ".join(str(p) for p in problems))
        carried = _CARRIED.get(self.kind, ())
        for field in F.FIELDS[self.kind]:
            column = mapping.get(field.name)
            if column in ("", None) or field.name == "attributes":
                continue
            index = _index(column, self.headers)
            self._plan.append(
                (
                    field.name,
                    index,
                    self._column_name(index),
                    self.parsers[field.name],
                    field.required and field.name not in carried,
                )
            )
        for column in mapping.get("attributes") or ():
            index = _index(column, self.headers)
            self._attributes.append((self._column_name(index)[:ATTRIBUTE_NAME_MAX], index))
        for name_column, value_column in mapping.get("attribute_pairs") or ():
            self._pairs.append(
                (_index(name_column, self.headers), _index(value_column, self.headers))
            )

    def _column_name(self, index: int) -> str:
        if self.headers is not None and index < len(self.headers):
            return self.headers[index]
        return str(index + 1)

    def _build_parsers(self) -> dict:
        max_quantity = settings.IMPORT_MAX_QUANTITY
        max_price = settings.IMPORT_MAX_PRICE
        max_amount = settings.IMPORT_MAX_AMOUNT
        tz, date_order = self.tz, self.date_order
        max_datetime, min_datetime = self.max_datetime, self.min_datetime
        max_date, min_date = self.max_date, values.MIN_DATE
        fromisoformat_dt, fromisoformat_d = dt.datetime.fromisoformat, dt.date.fromisoformat
        quantize, half_up = Decimal.quantize, ROUND_HALF_UP

        def quantity(raw: str) -> int:
            try:
                value = int(raw)
            except ValueError:
                return values.quantity(raw, max_quantity)
            if 0 <= value <= max_quantity:
                return value
            return values.quantity(raw, max_quantity)

        def money_parser(maximum):
            def parse(raw: str) -> Decimal:
                try:
                    value = Decimal(raw)
                except InvalidOperation:
                    return values.money(raw, maximum)
                if value.is_finite() and 0 <= value <= maximum:
                    return quantize(value, CENT, half_up)
                return values.money(raw, maximum)

            return parse

        def integer(raw: str) -> int:
            return values.bounded_int(raw, 0, LEAD_TIME_MAX_DAYS)

        def out_of_range(raw: str) -> ValueProblem:
            return ValueProblem(
                "date_out_of_range",
                _(
                    "“%(value)s” is before 2000 or more than a day in the future; that looks "
                    "like a mistake."
                )
                % {"value": values.shorten(raw.strip())},
            )

        def slow_datetime(raw: str) -> dt.datetime:
            value, _has_time, aware = values.parse_datetime_text(raw, date_order)
            return value if aware else value.replace(tzinfo=tz)

        # Naive times (the common case) are checked against naive local bounds, which saves
        # the time-zone arithmetic of comparing aware datetimes.
        max_local = max_datetime.astimezone(tz).replace(tzinfo=None)
        min_local = min_datetime.replace(tzinfo=None)

        def read_datetime(raw: str) -> dt.datetime:
            try:
                value = fromisoformat_dt(raw)
            except ValueError:
                value = slow_datetime(raw)
            else:
                if value.tzinfo is None:
                    if min_local <= value <= max_local:
                        return value.replace(tzinfo=tz)
                    raise out_of_range(raw)
            if min_datetime <= value <= max_datetime:
                return value
            raise out_of_range(raw)

        def read_date(raw: str) -> dt.date:
            try:
                value = fromisoformat_d(raw)
            except ValueError:
                moment, _has_time, aware = values.parse_datetime_text(raw, date_order)
                value = (moment.astimezone(tz) if aware else moment).date()
            if min_date <= value <= max_date:
                return value
            raise out_of_range(raw)

        def datetime_parser():
            """`read_datetime` remembering its last cell: the lines of one order repeat its
            time, so about half the cells of an orders file are read for free. Only values are
            remembered (a refused cell is read, and refused, again)."""
            last_raw, last_value = None, None

            def datetime_(raw: str) -> dt.datetime:
                nonlocal last_raw, last_value
                if raw == last_raw:
                    return last_value
                value = read_datetime(raw)
                last_raw, last_value = raw, value
                return value

            return datetime_

        def date_parser():
            """`read_date` with the dates it read (a file spans a few hundred days, each one on
            many rows); bounded, so a file of ever new dates cannot grow it."""
            known: dict[str, dt.date] = {}

            def date_(raw: str) -> dt.date:
                value = known.get(raw)
                if value is None:
                    value = read_date(raw)
                    if len(known) >= DATE_CACHE_SIZE:
                        known.clear()
                    known[raw] = value
                return value

            return date_

        parsers = {}
        for field in self.fields.values():
            parsers[field.name] = {
                F.TEXT: _text_parser(field.max_length),
                F.IDENTIFIER: _identifier_parser(field.max_length),
                F.INTEGER: integer,
                F.QUANTITY: quantity,
                F.PRICE: money_parser(max_price),
                F.AMOUNT: money_parser(max_amount),
                F.DATE: date_parser(),
                F.DATETIME: datetime_parser(),
                F.BOOLEAN: values.to_bool,
                F.RATING: values.to_rating,
                F.CURRENCY: values.to_currency,
                F.LANGUAGE: values.to_language,
                F.PRODUCT_STATUS: values.to_product_status,
                F.ORDER_STATUS: _text_parser(field.max_length),
                F.ATTRIBUTES: None,
            }[field.type]
        return parsers

    # ---------------------------------------------------------------------------- rows

    def validate(self, row_number: int, cells: list[str]):
        """(record, []) or (None, [RowProblem, ...]) for one row of the file."""
        found = {}
        problems: list[RowProblem] = []
        count = len(cells)
        if count < self._width:  # a short row: read its missing cells as blank
            cells = cells + [""] * (self._width - count)
        for name, index, parse in self._fast_plan:
            raw = cells[index]
            if raw and not raw.isspace():
                try:
                    found[name] = parse(raw)
                except ValueProblem as problem:
                    column = self._column_name(index)
                    problems.append(self._cell_problem(row_number, column, raw, problem))
            elif name in self._required:
                problems.append(self._missing(row_number, self._required[name], name))
        if self._attributes or self._pairs:
            found["attributes"] = self._row_attributes(cells, len(cells), found.get("handle"))
        if (
            len(found) <= len(_GROUP_KEYS)
            and found.keys() <= _GROUP_KEYS
            and all(p.code == "required" for p in problems)
        ):
            # Nothing to load (a Shopify image row has only its handle): one problem the
            # loader may count as skipped rather than rejected.
            return None, [
                self._row_problem(
                    row_number,
                    "empty_row",
                    _("None of the mapped columns has a value in this row."),
                )
            ]
        return self._finish(row_number, found, problems, cells)

    def validate_item(self, index: int, item):
        """(record, []) or (None, problems) for one object of a bulk API request; `row` of each
        problem is the item's index, `column` the JSON field."""
        if not isinstance(item, dict):
            problem = _("Each item must be a JSON object.")
            return None, [self._problem(index, "", "", "not_an_object", problem, item=True)]
        found = {}
        problems: list[RowProblem] = []
        for name, value in item.items():
            field = self.fields.get(name)
            if field is None:
                problems.append(
                    self._problem(
                        index,
                        str(name),
                        "",
                        "unknown_field",
                        _("“%(field)s” is not a field of this import.")
                        % {"field": values.shorten(name)},
                        item=True,
                    )
                )
                continue
            if field.type == F.ATTRIBUTES:
                attributes = self._item_attributes(index, value, problems)
                if attributes:
                    found["attributes"] = attributes
                continue
            raw = _json_text(value)
            if raw is None:
                problems.append(
                    self._problem(
                        index,
                        name,
                        values.preview_text(value),
                        "wrong_type",
                        _("The value must be text, a number or true/false."),
                        item=True,
                    )
                )
            elif raw and not raw.isspace():
                try:
                    found[name] = self.parsers[name](raw)
                except ValueProblem as problem:
                    problems.append(
                        self._problem(index, name, raw, problem.code, problem.message, item=True)
                    )
        carried = _CARRIED.get(self.kind, ())
        required = [
            field.name
            for field in F.FIELDS[self.kind]
            if field.required and field.name not in carried
        ]
        self._require(index, found, problems, required, True)
        return self._finish(index, found, problems, None, item=True)

    # ------------------------------------------------------------------------ problems

    def _problem(self, row, column, value, code, problem, *, item=False) -> RowProblem:
        if item:
            if column:
                message = _("Item %(index)s, field “%(field)s”: %(problem)s") % {
                    "index": row,
                    "field": column,
                    "problem": problem,
                }
            else:
                message = _("Item %(index)s: %(problem)s") % {"index": row, "problem": problem}
        elif column:
            message = _("Row %(row)s, column “%(column)s”: %(problem)s") % {
                "row": row,
                "column": values.shorten(column),
                "problem": problem,
            }
        else:
            message = _("Row %(row)s: %(problem)s") % {"row": row, "problem": problem}
        return RowProblem(
            row=row,
            column=str(column)[:255],
            value=values.preview_text(value),
            code=code,
            message=message[:MESSAGE_MAX_CHARS],
        )

    def _cell_problem(self, row, column, raw, problem: ValueProblem) -> RowProblem:
        return self._problem(row, column, raw, problem.code, problem.message)

    def _missing(self, row, column, field_name, *, item=False) -> RowProblem:
        label = self.fields[field_name].label
        return self._problem(
            row,
            column,
            "",
            "required",
            _("The %(field)s is missing; it is required.") % {"field": label},
            item=item,
        )

    def _row_problem(self, row, code, problem, *, item=False) -> RowProblem:
        return self._problem(row, "", "", code, problem, item=item)

    def _field_problem(self, row, field_name, value, code, problem, *, item=False) -> RowProblem:
        column = field_name if item else self._column_of(field_name)
        return self._problem(row, column, value, code, problem, item=item)

    def _column_of(self, field_name: str) -> str:
        for name, _index, column, _parse, _required in self._plan:
            if name == field_name:
                return column
        return ""

    def _require(self, row, found, problems, names, item) -> None:
        for name in names:
            if found.get(name) in (None, ""):
                column = name if item else self._column_of(name)
                if not any(problem.column == column for problem in problems):
                    problems.append(self._missing(row, column, name, item=item))

    def _carry(self, state: dict, found: dict, names: tuple[str, ...]) -> None:
        """Blank order-level (or product-level) cells take the group's earlier value; the
        group remembers the first value it sees of each."""
        for name in names:
            if name in found:
                state.setdefault(name, found[name])
            elif name in state:
                found[name] = state[name]

    # ---------------------------------------------------------------------- attributes

    def _row_attributes(self, cells, count, handle) -> dict:
        attributes = {}
        for name, index in self._attributes:
            raw = cells[index].strip() if index < count else ""
            if raw:
                attributes[name] = raw[:ATTRIBUTE_VALUE_MAX]
        if self._pairs:
            state = self._handle_state
            if not handle or state.get("handle") != handle:
                state = self._handle_state = {"handle": handle}
            names = state.setdefault("option_names", [""] * len(self._pairs))
            for position, (name_index, value_index) in enumerate(self._pairs):
                name = cells[name_index].strip() if name_index < count else ""
                if name:
                    names[position] = name
                value = cells[value_index].strip() if value_index < count else ""
                # "Title: Default Title" is Shopify's placeholder for products without options.
                if names[position] and value and value != "Default Title":
                    attributes[names[position][:ATTRIBUTE_NAME_MAX]] = value[:ATTRIBUTE_VALUE_MAX]
        return attributes

    def _item_attributes(self, index, value, problems) -> dict | None:
        if value in (None, ""):
            return None
        if not isinstance(value, dict) or len(value) > MAX_ATTRIBUTES:
            problems.append(
                self._problem(
                    index,
                    "attributes",
                    values.preview_text(value),
                    "wrong_type",
                    _("Attributes must be an object of at most %(count)s names and values.")
                    % {"count": MAX_ATTRIBUTES},
                    item=True,
                )
            )
            return None
        attributes = {}
        for name, item in value.items():
            text = _json_text(item)
            if (
                text is None
                or len(str(name)) > ATTRIBUTE_NAME_MAX
                or len(text) > ATTRIBUTE_VALUE_MAX
            ):
                problems.append(
                    self._problem(
                        index,
                        "attributes",
                        values.preview_text(name),
                        "bad_attribute",
                        _("Attribute “%(name)s” must be a short text or number.")
                        % {"name": values.shorten(name)},
                        item=True,
                    )
                )
                continue
            attributes[str(name)] = item if isinstance(item, int | float | bool) else text
        return attributes

    # ------------------------------------------------------------------------- finishing

    def _status_class(self, status: str) -> str:
        cached = self._status_cache.get(status)
        if cached is None:
            if len(self._status_cache) > 1000:
                self._status_cache.clear()
            cached = self._status_cache[status] = values.order_status_class(status)
        return cached

    def _finish_orders(self, row, found, problems, cells, item=False):
        order_number = found.get("order_number")
        state = self._order_state
        if not order_number or state.get("order_number") != order_number:
            state = self._order_state = {
                "order_number": order_number,
                "lines": {},
                "count": {},
                "refund_left": found.get("refunded_amount"),
            }
        if self._carried:
            self._carry(state, found, self._carried)
        self._require(row, found, problems, ("ordered_at",), item)
        if problems:
            return None, problems
        quantity = found["quantity"]
        status = found.get("status", "")
        status_class = self._status_class(status) if status else values.ORDER_OK
        refund_status = found.get("refund_status")
        refund_class = self._status_class(refund_status) if refund_status else values.ORDER_OK
        cancelled = status_class == values.ORDER_CANCELLED or bool(found.get("cancelled_at"))
        fully_refunded = values.ORDER_REFUNDED in (status_class, refund_class)
        unit_price = found.get("unit_price")
        amount = found.get("amount")
        if amount is None:
            amount = ZERO
            if unit_price is not None:
                amount = max(unit_price * quantity - found.get("discount", ZERO), ZERO)
                if amount > self.max_amount:
                    problems.append(
                        self._field_problem(
                            row,
                            "unit_price",
                            str(unit_price),
                            "too_large",
                            _(
                                "%(quantity)s units at %(price)s come to more than %(maximum)s; "
                                "that looks like a mistake."
                            )
                            % {
                                "quantity": quantity,
                                "price": unit_price,
                                "maximum": f"{self.max_amount:,}",
                            },
                            item=item,
                        )
                    )
                    return None, problems
        # The refunded amount of this line.
        if fully_refunded:
            refunded_amount = amount
        elif self.refund_scope == "order":
            left = state.get("refund_left") or ZERO
            refunded_amount = min(left, amount)
            state["refund_left"] = left - refunded_amount
        else:
            # A refund beyond the line's amount (shipping, compensation) is not its revenue.
            refunded_amount = min(found.get("refunded_amount", ZERO), amount)
        refunded_quantity = found.get("refunded_quantity")
        if refunded_quantity is None:
            if fully_refunded:
                refunded_quantity = quantity
            elif refunded_amount > 0 and quantity:
                unit = amount / quantity if amount > 0 else (unit_price or ZERO)
                refunded_quantity = (
                    min(quantity, int(refunded_amount / unit + Decimal("0.001"))) if unit else 0
                )
            else:
                refunded_quantity = 0
        elif refunded_quantity > quantity:
            problems.append(
                self._field_problem(
                    row,
                    "refunded_quantity",
                    str(refunded_quantity),
                    "refund_exceeds_quantity",
                    _("%(refunded)s units refunded is more than the %(quantity)s ordered.")
                    % {"refunded": refunded_quantity, "quantity": quantity},
                    item=item,
                )
            )
            return None, problems
        base_key = found.get("line_key") or found["sku"]
        # {base key: [(row, cells), ...]} of the order's earlier lines; cells as read (a fresh
        # list per row) tell a repeated row from a second line of the same SKU.
        lines = state["lines"]
        earlier = lines.get(base_key)
        if earlier:
            repeated = next((first for first, seen in earlier if seen == cells), None)
            if repeated is None and "line_key" in found:
                repeated = earlier[0][0]
            if repeated is not None:
                problems.append(
                    self._row_problem(
                        row,
                        "duplicate_row",
                        _("Order %(order)s line %(line)s already appeared in row %(earlier)s.")
                        % {
                            "order": values.shorten(order_number),
                            "line": values.shorten(base_key),
                            "earlier": repeated,
                        },
                        item=item,
                    )
                )
                return None, problems
            state["count"][base_key] += 1
            line_key = f"{base_key}#{state['count'][base_key]}"
            if len(earlier) < MAX_LINES_PER_ORDER:
                earlier.append((row, cells))
        else:
            line_key = base_key
            if len(lines) < MAX_LINES_PER_ORDER:
                lines[base_key] = [(row, cells)]
                state["count"][base_key] = 1
        ordered_at = found["ordered_at"]
        tz = self.tz
        date = ordered_at.date() if ordered_at.tzinfo is tz else ordered_at.astimezone(tz).date()
        return (
            OrderRecord(
                row,
                order_number,
                line_key[:100],
                found["sku"],
                quantity,
                refunded_quantity,
                amount,
                refunded_amount,
                ordered_at,
                date,
                cancelled,
                status,
                found.get("title", ""),
            ),
            problems,
        )

    def _finish_products(self, row, found, problems, cells, item=False):
        handle = found.get("handle")
        if handle:
            state = self._handle_state
            if state.get("handle") != handle:
                state = self._handle_state = {"handle": handle}
            self._carry(state, found, self._carried)
        self._require(row, found, problems, ("title",), item)
        if problems:
            return None, problems
        found.pop("handle", None)
        attributes = found.pop("attributes", None) or None
        provided = frozenset(found) | ({"attributes"} if attributes else frozenset())
        return ProductRecord(row=row, attributes=attributes, provided=provided, **found), problems

    def _finish_sales(self, row, found, problems, cells, item=False):
        if problems:
            return None, problems
        return SalesRecord(row=row, provided=frozenset(found), **found), problems

    def _finish_stock(self, row, found, problems, cells, item=False):
        if problems:
            return None, problems
        return StockRecord(row=row, provided=frozenset(found), **found), problems

    def _finish_reviews(self, row, found, problems, cells, item=False):
        if problems:
            return None, problems
        from reviews.analysis.language import detect_language

        body = found["body"]
        created_at = found.get("created_at")
        author = found.get("author", "")
        external_id = found.get("external_id") or review_fingerprint(
            sku=found["sku"], created_at=created_at, author=author, body=body
        )
        return (
            ReviewRecord(
                row=row,
                sku=found["sku"],
                body=body,
                rating=found.get("rating"),
                title=found.get("title", ""),
                author=author,
                created_at=created_at,
                source=found.get("source") or self.source,
                external_id=external_id,
                language=found.get("language") or detect_language(body),
            ),
            problems,
        )


def review_fingerprint(*, sku: str, created_at, author: str, body: str) -> str:
    """A stable id for a review the file gives none, so importing the file again finds it."""
    when = created_at.astimezone(dt.UTC).isoformat() if created_at else ""
    digest = hashlib.sha256("\x1f".join((sku, when, author, body)).encode()).hexdigest()
    return f"fp-{digest[:40]}"


def _zone(tz) -> dt.tzinfo:
    if tz is None or tz == "":
        return dt.UTC
    if isinstance(tz, dt.tzinfo):
        return tz
    return zoneinfo.ZoneInfo(str(tz))


def _json_text(value) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else "x"
    if isinstance(value, str):
        return value
    return None


def _text_parser(max_length: int | None):
    def parse(raw: str) -> str:
        if raw.__class__ is UncachedFormula:
            raise _uncached(raw)
        text = raw.strip()
        if max_length is not None and len(text) > max_length:
            raise _too_long(text, max_length)
        return text

    return parse


def _identifier_parser(max_length: int | None):
    identifier = values.identifier

    def parse(raw: str) -> str:
        if raw.__class__ is UncachedFormula:
            raise _uncached(raw)
        text = raw.strip()
        if text.startswith('="'):
            text = identifier(text)
        if max_length is not None and len(text) > max_length:
            raise _too_long(text, max_length)
        if not text:
            raise ValueProblem("required", _("The value is empty."))
        return text

    return parse


def _uncached(raw: str) -> ValueProblem:
    return ValueProblem(
        "formula_without_value",
        _(
            "The cell holds the formula “%(value)s” but no computed value; open the file in "
            "Excel, copy the column and paste it back as values, then save and upload it again."
        )
        % {"value": values.shorten(raw)},
    )


def _too_long(text: str, maximum: int) -> ValueProblem:
    return ValueProblem(
        "too_long",
        _("“%(value)s” is %(length)s characters long; at most %(maximum)s fit.")
        % {"value": values.shorten(text), "length": len(text), "maximum": maximum},
    )

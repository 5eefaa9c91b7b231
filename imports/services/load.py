"""Loading validated records into the domain tables: one `Loader` per import (or bulk request).

    loader = Loader(merchant=m, kind="orders", options={"create_unknown_skus": False})
    with loader:                          # creates the staging table, drops it at the end
        for row, record in records:
            problem = loader.add(row, record)   # None, or why the row cannot be loaded
        result = loader.load()            # every domain write of the import: one transaction

`Loader(stream=True)` (a PostgreSQL worker) writes while the rows are still being read; see
`Loader` and `_Pipeline`. Either way nothing is visible before `load()` commits.

Natural keys (what makes a re-import an update, never a second row):

| kind     | table                          | key                                   |
|----------|--------------------------------|---------------------------------------|
| products | products.Product               | (merchant, sku)                       |
| orders   | imports.OrderLine              | (merchant, order_number, line_key)    |
| sales    | forecasting.DailySales         | (merchant's product by sku, date)     |
| stock    | products.StockLevel            | (merchant's product by sku)           |
|          | products.StockSnapshot         | (merchant's product by sku, date)     |
| reviews  | reviews.Review                 | (merchant, source, external_id)       |

A review without an id gets `external_id = "fp-" + sha256(sku, written at, author, text)[:40]`
(`imports.parsing.validate.review_fingerprint`, "written at" in UTC), so the same review in
the same file is the same row next time.

Unknown SKUs (orders, sales, stock, reviews): the row is refused with code `unknown_sku`, or,
with `options["create_unknown_skus"]`, a minimal product is created (title from the row when
the file has one, else the SKU; the price of its first line when the file has amounts).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Merchant
from core.api.errors import ApiError
from core.selectors import merchant_today
from imports.models import ImportKind, ImportMode
from imports.parsing.errors import MESSAGE_MAX_CHARS, VALUE_MAX_CHARS, RowProblem
from imports.parsing.validate import OrderRecord, review_fingerprint
from products.models import Product
from reviews.services.reviews import language_detect

from . import orders as orders_load
from .staging import (
    Stage,
    Upsert,
    UpsertCounts,
    copy_format,
    drop_table,
    empty_table,
    execute,
    fetchall,
    is_postgresql,
    json_text,
    seen_create,
    upsert,
)

CENT = Decimal("0.01")
# What fits the target columns (PostgreSQL integer / numeric(14,2) / numeric(12,2)).
MAX_INT = 2**31 - 1
MAX_AMOUNT = Decimal("999999999999.99")
MAX_PRICE = Decimal("9999999999.99")
SKU_KINDS = (ImportKind.ORDERS, ImportKind.SALES, ImportKind.STOCK, ImportKind.REVIEWS)
_CURRENCY = re.compile(r"^[A-Z]{3}$")
# Unknown SKUs listed on the import (all are counted).
UNKNOWN_SKUS_LISTED = 1000


class RowRefused(Exception):
    """A record that passed the parser but cannot be stored (unknown SKU, out of range)."""

    def __init__(self, problem: RowProblem):
        super().__init__(problem.message)
        self.problem = problem


class LoadRejected(ApiError):
    """`records_load` in all-or-nothing mode refused the records: nothing was written.

    `problems` holds one `RowProblem` per refused record (`row` = its index in the request)."""

    def __init__(self, problems: list[RowProblem], unknown_skus: list[str]):
        super().__init__(
            "invalid",
            _("%(count)d items cannot be stored; nothing was written.") % {"count": len(problems)},
        )
        self.problems = problems
        self.unknown_skus = unknown_skus


@dataclass
class LoadResult:
    """What one load wrote. `created`/`updated`/`unchanged` count rows of the kind's main table
    (products, order lines, daily sales, stock levels, reviews); `duplicates` the records that
    repeated a natural key of a later one (the later one was loaded). `extra` has the derived
    tables' counts: orders -> `daily_sales`, stock -> `snapshots`, reviews -> `analysis`."""

    kind: str
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    unknown_skus: list[str] = field(default_factory=list)
    unknown_sku_count: int = 0
    products_created: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "records": self.records,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "unknown_skus": self.unknown_skus,
            "unknown_sku_count": self.unknown_sku_count,
            "products_created": self.products_created,
            **self.extra,
        }


def problem(row: int, column: str, value, code: str, message: str) -> RowProblem:
    return RowProblem(
        row=row,
        column=column,
        value=str(value if value is not None else "")[:VALUE_MAX_CHARS],
        code=code,
        message=message[:MESSAGE_MAX_CHARS],
    )


# --- From a record to a staging row -------------------------------------------------------------


class _Rows:
    """Turns records of one kind into staging rows, refusing what the tables cannot hold."""

    def __init__(self, *, merchant: Merchant, kind: str, options: dict):
        self.merchant = merchant
        self.kind = kind
        self.options = options
        self.tz = zoneinfo.ZoneInfo(merchant.timezone)
        self.today = merchant_today(merchant=merchant)
        self.source = str(options.get("source") or options.get("preset") or "import")[:40]
        as_of = options.get("as_of") or options.get("date")
        self.as_of = dt.date.fromisoformat(as_of) if isinstance(as_of, str) and as_of else None
        self.row = 0

    # Checks shared by the kinds: the parser enforces the business limits, these only keep
    # a record that slipped through (a bulk API item, a parser change) from failing the load.
    def _int(self, record, name: str, *, default=None, minimum: int = 0) -> int | None:
        value = getattr(record, name, None)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(value)
            except (TypeError, ValueError) as exc:
                raise self._refuse(name, value) from exc
        if not minimum <= value <= MAX_INT:
            raise self._refuse(name, value)
        return value

    def _money(self, record, name: str, *, limit: Decimal = MAX_AMOUNT) -> Decimal | None:
        value = getattr(record, name, None)
        if value is None:
            return None
        try:
            value = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
        except (InvalidOperation, TypeError, ValueError) as exc:
            raise self._refuse(name, value) from exc
        if not Decimal(0) <= value <= limit:
            raise self._refuse(name, value)
        return value

    def _text(self, record, name: str, limit: int | None = None, *, attr: str = "") -> str | None:
        value = getattr(record, attr or name, None)
        if value is None:
            return None
        value = str(value).replace("\x00", "")
        if limit is not None and len(value) > limit:
            raise self._refuse(name, value)
        return value

    def _refuse(self, column: str, value) -> RowRefused:
        return RowRefused(
            problem(
                self.row,
                column,
                value,
                "invalid_value",
                _("Row %(row)d: %(column)s value “%(value)s” cannot be stored.")
                % {"row": self.row, "column": column, "value": str(value)[:60]},
            )
        )

    def _datetime(self, record, name: str) -> dt.datetime | None:
        value = getattr(record, name, None)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value if timezone.is_aware(value) else value.replace(tzinfo=self.tz)
        if isinstance(value, dt.date):
            return dt.datetime.combine(value, dt.time.min, tzinfo=self.tz)
        raise self._refuse(name, value)

    def _date(self, record, name: str) -> dt.date | None:
        value = getattr(record, name, None)
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            return value
        if isinstance(value, dt.datetime):
            return value.astimezone(self.tz).date() if timezone.is_aware(value) else value.date()
        raise self._refuse(name, value)

    # One method per kind: the values in the order of COLUMNS[kind].
    def products(self, record) -> tuple:
        currency = self._text(record, "currency", 3)
        if currency is not None and not _CURRENCY.match(currency):
            raise self._refuse("currency", currency)
        attributes = getattr(record, "attributes", None)
        return (
            self._text(record, "sku", 64),
            self._text(record, "title", 300),
            self._text(record, "category", 120),
            self._text(record, "brand", 120),
            self._text(record, "description"),
            json_text(attributes if isinstance(attributes, dict) else None),
            self._money(record, "price", limit=MAX_PRICE),
            self._money(record, "cost", limit=MAX_PRICE),
            currency,
            self._text(record, "status", 12),
            self._int(record, "lead_time_days"),
            self._int(record, "moq", minimum=1),
            self._int(record, "case_pack", minimum=1),
        )

    def orders(self, record) -> tuple:
        if type(record) is OrderRecord:
            fast = self._order_fast(record)
            if fast is not None:
                return fast
        ordered_at = self._datetime(record, "ordered_at")
        day = self._date(record, "date") or (
            ordered_at.astimezone(self.tz).date() if ordered_at is not None else None
        )
        if day is None:
            raise self._refuse("ordered_at", "")
        quantity = self._int(record, "quantity", default=0)
        refunded = self._int(record, "refunded_quantity", default=0)
        if refunded > quantity:
            raise self._refuse("refunded_quantity", refunded)
        sku = self._text(record, "sku", 64)
        line_key = self._text(record, "line_key", 100) or sku
        return (
            self._text(record, "order_number", 100),
            line_key,
            sku,
            ordered_at,
            day,
            quantity,
            refunded,
            self._money(record, "amount") or Decimal(0),
            self._money(record, "refunded_amount") or Decimal(0),
            bool(getattr(record, "cancelled", False)),
        )

    @staticmethod
    def _order_fast(record: OrderRecord) -> tuple | None:
        """The validator's own order record (typed, in range, in cents): taken as it is after
        a few cheap checks; anything unusual goes the long way, which says what is wrong."""
        quantity, refunded = record.quantity, record.refunded_quantity
        amount, refunded_amount = record.amount, record.refunded_amount
        if not (
            0 <= refunded <= quantity <= MAX_INT
            and len(record.order_number) <= 100
            and len(record.line_key) <= 100
            and 0 < len(record.sku) <= 64
            and record.order_number
            and amount.as_tuple().exponent == -2
            and refunded_amount.as_tuple().exponent == -2
            and 0 <= amount <= MAX_AMOUNT
            and 0 <= refunded_amount <= MAX_AMOUNT
            and record.ordered_at.tzinfo is not None
        ):
            return None
        return (
            record.order_number,
            record.line_key or record.sku,
            record.sku,
            record.ordered_at,
            record.date,
            quantity,
            refunded,
            amount,
            refunded_amount,
            record.cancelled,
        )

    def sales(self, record) -> tuple:
        on_promotion = getattr(record, "on_promotion", None)
        return (
            self._text(record, "sku", 64),
            self._date(record, "date"),
            self._int(record, "units", default=0),
            self._money(record, "revenue"),
            None if on_promotion is None else bool(on_promotion),
        )

    def stock(self, record) -> tuple:
        return (
            self._text(record, "sku", 64),
            self._int(record, "on_hand", default=0),
            self._int(record, "inbound"),
            self._date(record, "date") or self.as_of or self.today,
        )

    def reviews(self, record) -> tuple:
        sku = self._text(record, "sku", 64)
        body = self._text(record, "body") or ""
        title = self._text(record, "title", 300)
        author = self._text(record, "author", 120) or self._text(
            record, "author", 120, attr="author_name"
        )
        created_at = self._datetime(record, "created_at")
        rating = self._int(record, "rating")
        if rating is not None and not 1 <= rating <= 5:
            raise self._refuse("rating", rating)
        source = self._text(record, "source", 40) or self.source
        external_id = self._text(record, "external_id", 128) or review_fingerprint(
            sku=sku or "", created_at=created_at, author=author or "", body=body
        )
        language = self._text(record, "language", 5) or language_detect(body)
        return (sku, source, external_id, rating, title, body, author, created_at, language)


COLUMNS: dict[str, list[tuple[str, str]]] = {
    ImportKind.PRODUCTS: [
        ("sku", "text"),
        ("title", "text"),
        ("category", "text"),
        ("brand", "text"),
        ("description", "text"),
        ("attributes", "json"),
        ("price", "decimal"),
        ("cost", "decimal"),
        ("currency", "text"),
        ("status", "text"),
        ("lead_time_days", "int"),
        ("moq", "int"),
        ("case_pack", "int"),
    ],
    ImportKind.ORDERS: [
        ("order_number", "text"),
        ("line_key", "text"),
        ("sku", "text"),
        ("ordered_at", "datetime"),
        ("date", "date"),
        ("quantity", "int"),
        ("refunded_quantity", "int"),
        ("amount", "decimal"),
        ("refunded_amount", "decimal"),
        ("cancelled", "bool"),
    ],
    ImportKind.SALES: [
        ("sku", "text"),
        ("date", "date"),
        ("units", "int"),
        ("revenue", "decimal"),
        ("on_promotion", "bool"),
    ],
    ImportKind.STOCK: [
        ("sku", "text"),
        ("on_hand", "int"),
        ("inbound", "int"),
        ("date", "date"),
    ],
    ImportKind.REVIEWS: [
        ("sku", "text"),
        ("source", "text"),
        ("external_id", "text"),
        ("rating", "int"),
        ("title", "text"),
        ("body", "text"),
        ("author_name", "text"),
        ("created_at", "datetime"),
        ("language", "text"),
    ],
}
# Columns that must be given for a row to be loadable (the parser requires them too).
_NEEDED = {
    ImportKind.PRODUCTS: ("sku",),
    ImportKind.ORDERS: ("order_number", "sku"),
    ImportKind.SALES: ("sku", "date"),
    ImportKind.STOCK: ("sku",),
    ImportKind.REVIEWS: ("sku",),
}


def product_upsert(*, merchant: Merchant) -> Upsert:
    currency = merchant.currency if _CURRENCY.match(merchant.currency or "") else "USD"
    return Upsert(
        table=Product._meta.db_table,
        pk="id",
        key=("merchant_id", "sku"),
        text_key=("sku",),
        values=(
            "title",
            "category",
            "brand",
            "description",
            "attributes",
            "price",
            "cost",
            "currency",
            "status",
            "lead_time_days",
            "moq",
            "case_pack",
        ),
        defaults={
            "title": "s.sku",
            "category": "''",
            "brand": "''",
            "description": "''",
            "attributes": "'{}'",
            "price": "0",
            "currency": f"'{currency}'",
            "status": "'active'",
            "lead_time_days": "14",
            "moq": "1",
            "case_pack": "1",
        },
        insert_only={"created_at": "CURRENT_TIMESTAMP"},
        on_change={"updated_at": "CURRENT_TIMESTAMP"},
    )


# --- The database side --------------------------------------------------------------------------


def _joined(stage: str, merchant_id: int, columns: str) -> str:
    """The staged rows with their product's id (`s.product_id`, see `product_ids_resolve`)."""
    return f"SELECT {columns}, s.seq FROM {stage} s WHERE s.product_id IS NOT NULL"  # noqa: S608


def product_ids_resolve(*, stage: str, merchant_id: int) -> None:
    """Fill in the product id of staged rows whose SKU was not in the catalogue when the row was
    read (a product `_products_create` made since). The others carry the id the `Loader` looked
    up in its catalogue of the merchant's products, so the load joins no table by SKU; a row
    whose SKU is no product of the merchant stays without one and is not loaded."""
    execute(
        f"UPDATE {stage} SET product_id = p.id FROM {Product._meta.db_table} p "  # noqa: S608
        f"WHERE {stage}.product_id IS NULL AND p.merchant_id = {int(merchant_id)} "
        f"AND p.sku = {stage}.sku"
    )


def _sales_upsert(merchant_id: int) -> Upsert:
    from forecasting.models import DailySales

    return Upsert(
        table=DailySales._meta.db_table,
        pk="id",
        key=("product_id", "date"),
        values=("units", "revenue", "on_promotion"),
        defaults={"units": "0", "revenue": "0", "on_promotion": "FALSE"},
        insert_only={"merchant_id": str(merchant_id)},
    )


def _review_upsert() -> Upsert:
    from reviews.models import Review

    return Upsert(
        table=Review._meta.db_table,
        pk="id",
        key=("merchant_id", "source", "external_id"),
        text_key=("source", "external_id"),
        values=("product_id", "rating", "title", "body", "author_name", "created_at", "language"),
        defaults={
            "title": "''",
            "body": "''",
            "author_name": "''",
            "created_at": "CURRENT_TIMESTAMP",
            "language": "'other'",
        },
        insert_only={"imported_at": "CURRENT_TIMESTAMP", "reply_text": "''"},
        conflict_where="NOT ({table}external_id = '')",
    )


class _Writer:
    """The database side of one load, on the connection of the thread that uses it.

    `open()` creates the staging table (and, when `streaming`, the tables that follow an import
    loaded chunk by chunk); `chunk(rows, unknown)` stages rows and, when `streaming`, writes
    them at once; `finish()` writes what is staged and does the kind's last steps. The writes
    (`chunk` when streaming, `finish`) belong inside one transaction.
    """

    def __init__(self, *, merchant: Merchant, kind: str, batch_id: int | None, streaming: bool):
        self.merchant = merchant
        self.merchant_id = int(merchant.pk)
        self.kind = kind
        self.batch_id = batch_id
        # Stock needs the whole file (the latest date wins); products are compared with a
        # catalogue they change: both load in one piece at the end.
        self.streaming = streaming and kind not in (ImportKind.STOCK, ImportKind.PRODUCTS)
        # Kinds keyed by SKU stage the product's id too (`Loader.add`, `product_ids_resolve`).
        product_id = [("product_id", "int")] if kind in SKU_KINDS else []
        self.stage = Stage(columns=[*COLUMNS[kind], *product_id], batch_rows=1 << 62)
        self.counts = UpsertCounts()
        self.products_created = 0
        self.extra: dict = {}
        self._tables: list[str] = []
        self._seen: str | None = None
        self._daily: orders_load.DailySalesFollower | None = None
        self._reviews_new: list[int] = []
        self._reviews_changed: list[int] = []
        self._unknown: dict[str, tuple[str, Decimal | None]] = {}
        self._resolve_products = False

    def open(self) -> None:
        self.stage.create()
        if not self.streaming:
            return
        self._seen = seen_create(self._main_upsert())
        self._tables.append(self._seen)
        self._statistics_refresh()

    def _statistics_refresh(self) -> None:
        """Streaming joins each chunk to the merchant's products by index; a catalogue that
        just grew (a big products import) and was not analyzed yet would make the planner
        think it tiny and scan it once per chunk. Analyzed here, before the load's
        transaction (so no lock is kept), only when it changed much since its last analyze."""
        table = Product._meta.db_table
        stale = fetchall(
            "SELECT n_mod_since_analyze > 1000 + n_live_tup / 10 "
            "FROM pg_stat_user_tables WHERE relid = %s::regclass",
            [table],
        )
        if stale and stale[0][0]:
            execute(f"ANALYZE {table}")

    def close(self) -> None:
        self.stage.drop()
        for name in self._tables:
            drop_table(name)
        self._tables = []
        if self._daily is not None:
            self._daily.drop()
            self._daily = None

    def chunk(self, rows: list[tuple] | str, unknown: dict, check: Callable[[], None]) -> None:
        """Stage `rows` ((seq, *values) tuples, or PostgreSQL: their `copy_format` text);
        `unknown`: SKUs first met in them."""
        self._unknown.update(unknown)
        if isinstance(rows, str):
            self.stage.copy_text(rows, rows.count("\n"))
        else:
            for row in rows:
                self.stage.add(row[0], row[1:])
            self.stage.flush()
        if self.streaming:
            self._write_staged(check)
            empty_table(self.stage.name)

    def finish(self, check: Callable[[], None]) -> None:
        if not self.streaming:
            self.stage.finish()
            self._write_staged(check)
        check()
        if self.kind == ImportKind.ORDERS:
            daily = self._daily.counts() if self._daily is not None else {}
            self.extra["daily_sales"] = {"recomputed": 0, "created": 0, **daily}
        if self.kind == ImportKind.REVIEWS:
            self.extra["analysis_requested"] = _reviews_analyse(
                merchant_id=self.merchant_id,
                created=self._reviews_new,
                changed=self._reviews_changed,
            )

    def _main_upsert(self) -> Upsert:
        if self.kind == ImportKind.PRODUCTS:
            return product_upsert(merchant=self.merchant)
        if self.kind == ImportKind.ORDERS:
            return orders_load.order_line_upsert(batch_id=self.batch_id)
        if self.kind == ImportKind.SALES:
            return _sales_upsert(self.merchant_id)
        if self.kind == ImportKind.REVIEWS:
            return _review_upsert()
        raise ValueError(self.kind)

    def _write_staged(self, check: Callable[[], None]) -> None:
        m, stage = self.merchant_id, self.stage.name
        if self._unknown:
            self.products_created += _products_create(self.merchant, self._unknown)
            self._unknown = {}
            self._resolve_products = True
        if self._resolve_products:
            # Rows of SKUs created in this load (in this chunk or an earlier one).
            product_ids_resolve(stage=stage, merchant_id=m)
        if self.kind == ImportKind.PRODUCTS:
            counts, _work = upsert(
                spec=self._main_upsert(),
                source=f"SELECT {m} AS merchant_id, s.* FROM {stage} s",  # noqa: S608
                seen=self._seen,
            )
        elif self.kind == ImportKind.ORDERS:
            if self._daily is None:
                self._daily = orders_load.DailySalesFollower(merchant_id=m)
            counts = orders_load.order_lines_load(
                merchant_id=m,
                stage=stage,
                batch_id=self.batch_id,
                touched=self._daily.touched,
                seen=self._seen,
            )
            check()  # between the lines and their daily sales
            self._daily.follow()
        elif self.kind == ImportKind.SALES:
            counts, _work = upsert(
                spec=self._main_upsert(),
                source=_joined(
                    stage, m, "s.product_id, s.date, s.units, s.revenue, s.on_promotion"
                ),
                seen=self._seen,
            )
        elif self.kind == ImportKind.STOCK:
            counts, snapshots = _stock_load(merchant_id=m, stage=stage)
            self.extra["snapshots"] = snapshots.as_dict()
        else:
            counts = self._reviews_write(stage)
        self.counts.add(counts)

    def _reviews_write(self, stage: str) -> UpsertCounts:
        m = self.merchant_id
        spec = self._main_upsert()
        counts, work = upsert(
            spec=spec,
            source=_joined(
                stage,
                m,
                f"{m} AS merchant_id, s.source, s.external_id, s.product_id, "
                "s.rating, s.title, s.body, s.author_name, s.created_at, s.language",
            ),
            keep_work=True,
            seen=self._seen,
        )
        try:
            if counts.written or counts.duplicates:
                self._reviews_changed += [
                    pk
                    for (pk,) in fetchall(
                        f"SELECT target_pk FROM {work.name} WHERE action = 'c'"  # noqa: S608
                    )
                ]
                self._reviews_new += [
                    pk
                    for (pk,) in fetchall(
                        f"SELECT r.id FROM {spec.table} r JOIN {work.name} w "  # noqa: S608
                        "ON r.merchant_id = w.merchant_id AND r.source = w.source "
                        "AND r.external_id = w.external_id WHERE w.action = 'n'"
                    )
                ]
        finally:
            work.drop()
        return counts


def _products_create(merchant: Merchant, unknown: dict) -> int:
    """Minimal products for SKUs the rows named but the catalogue lacks (this transaction)."""
    with Stage(columns=COLUMNS[ImportKind.PRODUCTS]) as stage:
        for seq, (sku, (title, price)) in enumerate(sorted(unknown.items())):
            stage.add(seq, (sku, title or None, None, None, None, None, price) + (None,) * 6)
        stage.finish()
        counts, _work = upsert(
            spec=product_upsert(merchant=merchant),
            source=f"SELECT {int(merchant.pk)} AS merchant_id, s.* FROM {stage.name} s",  # noqa: S608
        )
    return counts.created


def _stock_load(*, merchant_id: int, stage: str) -> tuple[UpsertCounts, UpsertCounts]:
    """Current levels (each SKU's row with the latest date, the last one on a tie) and one
    snapshot per SKU and date. Not loaded in chunks: the latest date is the whole file's."""
    from products.models import StockLevel, StockSnapshot

    counts, _work = upsert(
        spec=Upsert(
            table=StockLevel._meta.db_table,
            pk="product_id",
            key=("product_id",),
            values=("on_hand", "inbound"),
            defaults={"on_hand": "0", "inbound": "0"},
            insert_only={"merchant_id": str(merchant_id)},
            on_change={"updated_at": "CURRENT_TIMESTAMP"},
        ),
        source=_joined(stage, merchant_id, "s.product_id, s.on_hand, s.inbound, s.date"),
        order="date DESC, seq DESC",
    )
    snapshots, _work = upsert(
        spec=Upsert(
            table=StockSnapshot._meta.db_table,
            pk="id",
            key=("product_id", "date"),
            values=("on_hand", "inbound"),
            defaults={"on_hand": "0", "inbound": "0"},
            insert_only={"merchant_id": str(merchant_id)},
        ),
        source=_joined(stage, merchant_id, "s.product_id, s.date, s.on_hand, s.inbound"),
    )
    return counts, snapshots


def _reviews_analyse(*, merchant_id: int, created: list[int], changed: list[int]) -> int:
    """Send the new and changed reviews for analysis when the transaction commits (the
    changed ones' analyses marked outdated first), through the reviews app's own door."""
    from reviews.services.analysis import (
        backfill_threshold,
        reviews_analysis_request,
        reviews_mark_stale,
    )

    if len(changed) + len(created) > backfill_threshold():
        # One backfill job analyses them all.
        reviews_mark_stale(merchant_id=merchant_id, review_ids=changed)
        reviews_analysis_request(merchant_id=merchant_id, review_ids=changed + created)
    else:
        reviews_analysis_request(merchant_id=merchant_id, review_ids=changed, stale=True)
        reviews_analysis_request(merchant_id=merchant_id, review_ids=created)
    return len(set(changed) | set(created))


def crisis_scan_after_import(*, merchant: Merchant) -> None:
    """Ask the crisis center for a scan once the import commits (sales, orders, stock)."""
    from crisis.services import crisis_scan_start_on_commit

    crisis_scan_start_on_commit(merchant=merchant, reason="import")


def merchant_import_lock(merchant_id: int) -> None:
    """One load per merchant at a time (PostgreSQL, until the transaction ends; SQLite has a
    single writer anyway). An advisory lock: nothing else that touches the merchant waits."""
    if is_postgresql():
        execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_CLASS, int(merchant_id)])


_LOCK_CLASS = 0x1A7047  # "imports" in the (class, merchant) advisory lock space


# --- The loader ---------------------------------------------------------------------------------


class Loader:
    """Checks, stages and writes the records of one import; see the module docstring.

    `add()` checks a record (SKU known? values storable?) and stages it: it returns None, or the
    `RowProblem` that refuses the row. `load()` writes in ONE transaction, the import's own
    final writes included (`on_loaded(result)`, called inside it before the commit); `check`
    (called between its steps) may raise to stop it, e.g. when the user cancelled.

    `stream=True` (PostgreSQL, from a worker outside any transaction) loads on a second
    connection, in a thread, while the rows are still being read: every chunk of `batch_rows`
    rows is written as soon as it is staged, inside a transaction that commits in `load()` only;
    meanwhile this thread parses the next rows, so the two CPUs of a small server both work.
    Until `load()` commits, nothing of it is visible; leaving the `with` block without `load()`
    (an error, a cancel, a rejected all-or-nothing file) rolls it all back.
    """

    def __init__(
        self,
        *,
        merchant: Merchant,
        kind: str,
        options: dict | None = None,
        batch=None,
        batch_rows: int = 10_000,
        stream: bool = False,
    ):
        if kind not in COLUMNS:
            raise ValueError(f"Unknown import kind: {kind}")
        self.merchant = merchant
        self.kind = kind
        self.options = dict(options or {})
        self.batch = batch
        self.batch_rows = max(1, batch_rows)
        self.create_unknown = bool(self.options.get("create_unknown_skus"))
        self.stream = bool(stream) and is_postgresql()
        self._rows = _Rows(merchant=merchant, kind=kind, options=self.options)
        self._convert: Callable = getattr(self._rows, kind)
        names = [name for name, _type in COLUMNS[kind]]
        self._needed = [(index, name) for index, name in enumerate(names) if name in _NEEDED[kind]]
        self._sku_index = names.index("sku")
        # The merchant's catalogue: SKU -> product id, staged with each row (no join by SKU).
        self.known_skus: dict[str, int] = {}
        if kind in SKU_KINDS:
            self.known_skus = dict(
                Product.objects.filter(merchant=merchant).values_list("sku", "id")
            )
        # Unknown SKU -> (title, unit price) of its first row; `_new_unknown`: not yet sent.
        self.unknown: dict[str, tuple[str, Decimal | None]] = {}
        self._new_unknown: dict[str, tuple[str, Decimal | None]] = {}
        self.staged = 0
        self.stopped = False
        self._buffer: list[tuple] = []
        batch_id = int(batch.pk) if batch is not None else None
        self._writer = _Writer(
            merchant=merchant, kind=kind, batch_id=batch_id, streaming=self.stream
        )
        self._pipeline: _Pipeline | None = None

    def __enter__(self) -> Loader:
        if self.stream:
            self._pipeline = _Pipeline(self._writer, self.merchant.pk)
            self._pipeline.start()
        else:
            self._writer.open()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._pipeline is not None:
            self._pipeline.abort()
        else:
            self._writer.close()

    # Reading side --------------------------------------------------------------------------

    def add(self, row: int, record) -> RowProblem | None:
        self._rows.row = row
        try:
            values = self._convert(record)
        except RowRefused as refused:
            return refused.problem
        for index, name in self._needed:
            if values[index] in (None, ""):
                return problem(
                    row,
                    name,
                    "",
                    "required",
                    _("Row %(row)d: %(column)s is required.") % {"row": row, "column": name},
                )
        if self.kind in SKU_KINDS:
            sku = values[self._sku_index]
            product_id = self.known_skus.get(sku)
            if product_id is None:
                refused = self._unknown_sku(row, sku, record)
                if refused is not None:
                    return refused
            values = (*values, product_id)  # None: created before the load, see product_ids_resolve
        self.staged += 1
        if not self.stopped:
            self._buffer.append((row, *values))
            if len(self._buffer) >= self.batch_rows:
                self._send()
        return None

    def stop(self) -> None:
        """Nothing will be loaded (all or nothing, and a row was refused): stop staging, keep
        checking."""
        self.stopped = True
        self._buffer = []

    def _send(self) -> None:
        rows, self._buffer = self._buffer, []
        unknown, self._new_unknown = self._new_unknown, {}
        if self._pipeline is not None:
            self._pipeline.send(copy_format(rows), unknown)
        else:
            self._writer.chunk(rows, unknown, _no_check)

    def _unknown_sku(self, row: int, sku: str, record) -> RowProblem | None:
        if sku not in self.unknown:
            title = getattr(record, "title", None) if self.kind != ImportKind.REVIEWS else None
            entry = (str(title)[:300] if title else "", self._unit_price(record))
            self.unknown[sku] = entry
            if self.create_unknown:
                self._new_unknown[sku] = entry
        if self.create_unknown:
            return None
        return problem(
            row,
            "sku",
            sku,
            "unknown_sku",
            _("Row %(row)d: SKU “%(sku)s” is not in your catalogue.")
            % {"row": row, "sku": sku[:64]},
        )

    @staticmethod
    def _unit_price(record) -> Decimal | None:
        for amount_name, quantity_name in (("amount", "quantity"), ("revenue", "units")):
            amount = getattr(record, amount_name, None)
            quantity = getattr(record, quantity_name, None)
            if amount is None or not quantity:
                continue
            try:
                price = (Decimal(amount) / Decimal(quantity)).quantize(CENT)
            except (InvalidOperation, TypeError, ValueError, ZeroDivisionError):
                return None
            return price if Decimal(0) <= price <= MAX_PRICE else None
        unit_price = getattr(record, "unit_price", None)
        if isinstance(unit_price, Decimal) and Decimal(0) <= unit_price <= MAX_PRICE:
            return unit_price.quantize(CENT)
        return None

    @property
    def unknown_skus(self) -> list[str]:
        return sorted(self.unknown)[:UNKNOWN_SKUS_LISTED]

    def finish_staging(self) -> int:
        """Hand over the last buffered rows; returns how many records were accepted."""
        if self._buffer and not self.stopped:
            self._send()
        return self.staged

    # Writing side --------------------------------------------------------------------------

    def load(
        self,
        *,
        check: Callable[[], None] | None = None,
        on_loaded: Callable[[LoadResult], None] | None = None,
    ) -> LoadResult:
        """Write everything staged, in one transaction (see the class docstring)."""
        if self.stopped:
            raise RuntimeError("This load was stopped; nothing may be written.")
        self.finish_staging()
        check = check or (lambda: None)

        def write() -> LoadResult:
            self._writer.finish(check)
            result = self._result()
            changed = result.created or result.updated or _daily_written(result)
            if changed and self.kind in (ImportKind.ORDERS, ImportKind.SALES, ImportKind.STOCK):
                crisis_scan_after_import(merchant=self.merchant)
            if on_loaded is not None:
                on_loaded(result)
            return result

        if self._pipeline is not None:
            return self._pipeline.finish(write)
        with transaction.atomic():
            merchant_import_lock(self.merchant.pk)
            return write()

    def _result(self) -> LoadResult:
        counts = self._writer.counts
        return LoadResult(
            kind=self.kind,
            records=self.staged,
            created=counts.created,
            updated=counts.updated,
            unchanged=counts.unchanged,
            duplicates=counts.duplicates,
            unknown_skus=self.unknown_skus,
            unknown_sku_count=len(self.unknown),
            products_created=self._writer.products_created,
            extra=dict(self._writer.extra),
        )


def _no_check() -> None:
    """Chunks written while the file is read need no cancel check of their own: a cancel
    stops the reading, which rolls the writing back."""


def _daily_written(result: LoadResult) -> int:
    return int(result.extra.get("daily_sales", {}).get("recomputed", 0))


PIPELINE_TEMP_BUFFERS = "128MB"
PIPELINE_WORK_MEM = "64MB"


class _Pipeline:
    """The writer on its own thread, connection and transaction (see `Loader`).

    At most two chunks wait in the queue, so a slow database holds the reader back instead of
    filling the memory. The transaction commits only in `finish()`; `abort()` (or any error)
    rolls it back.
    """

    QUEUE_CHUNKS = 2
    _FINISH = object()
    _ABORT = object()

    def __init__(self, writer: _Writer, merchant_id: int):
        import queue
        import threading

        self.writer = writer
        self.merchant_id = merchant_id
        self.queue: queue.Queue = queue.Queue(maxsize=self.QUEUE_CHUNKS)
        self.error: BaseException | None = None
        self.result: LoadResult | None = None
        self.thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
        self._finish_write: Callable | None = None

    def start(self) -> None:
        self.thread.start()

    def send(self, rows: str, unknown: dict) -> None:
        self._put((rows, unknown))

    def finish(self, write: Callable[[], LoadResult]) -> LoadResult:
        self._finish_write = write
        self._put(self._FINISH)
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result

    def abort(self) -> None:
        if self.thread.is_alive():
            self._put(self._ABORT, force=True)
            self.thread.join()

    def _put(self, item, *, force: bool = False) -> None:
        import queue

        while True:
            if self.error is not None and not force:
                raise self.error
            if not self.thread.is_alive():
                if force:
                    return
                raise RuntimeError("The import's writer stopped.")
            try:
                self.queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def _run(self) -> None:
        from django.db import connection

        try:
            # This connection is the import's own: its temporary tables (the keys written so
            # far grow with the file) get more memory than the 8 MB default before spilling.
            execute(f"SET temp_buffers = '{PIPELINE_TEMP_BUFFERS}'")
            # Each chunk's sorts and aggregates (tens of thousands of rows) in memory, not
            # spilled to temporary files.
            execute(f"SET work_mem = '{PIPELINE_WORK_MEM}'")
            self.writer.open()
            try:
                with transaction.atomic():
                    merchant_import_lock(self.merchant_id)
                    # Foreign keys checked as each chunk is written (overlapping the reading)
                    # rather than all at once at the commit.
                    execute("SET CONSTRAINTS ALL IMMEDIATE")
                    # Each statement joins one chunk to tables that grow with the import and
                    # whose statistics cannot see the rows this transaction wrote: index
                    # lookups per chunk row (every join is on a unique key or the order
                    # lines' (product, date) index), never a scan of a whole table per chunk.
                    if self.writer.streaming:
                        execute("SET LOCAL enable_hashjoin = off")
                        execute("SET LOCAL enable_mergejoin = off")
                    while True:
                        item = self.queue.get()
                        if item is self._ABORT:
                            raise _Aborted
                        if item is self._FINISH:
                            assert self._finish_write is not None
                            self.result = self._finish_write()
                            break
                        # A cancel reaches the reading thread, which aborts this one.
                        self.writer.chunk(*item, _no_check)
            finally:
                self.writer.close()
        except _Aborted:
            pass
        except BaseException as exc:  # handed to the reading thread, which raises it
            self.error = exc
            self._drain()
        finally:
            connection.close()

    def _drain(self) -> None:
        import queue

        while True:
            try:
                self.queue.get_nowait()
            except queue.Empty:
                return


class _Aborted(Exception):
    pass


# --- The bulk API's door ------------------------------------------------------------------------


def records_load(
    *,
    merchant: Merchant,
    kind: str,
    records: Iterable,
    options: dict | None = None,
    batch=None,
) -> LoadResult:
    """Load already validated records (the bulk API; `RowValidator.validate_item` makes them).

    `records` yields records, or `(row, record)` pairs (`row` = the item's index, used in the
    problems; the record's own `row`, else its position in `records`, otherwise).
    `options`: `create_unknown_skus` (bool), `mode` (`all_or_nothing`, the default, or
    `valid_rows`), kind-specific ones (`source` for reviews, `as_of` for stock). In
    all-or-nothing mode a record that cannot be stored (unknown SKU, value out of range)
    raises `LoadRejected` and nothing is written; in valid-rows mode the others are written and
    the refused ones come back in `LoadResult.problems`. One transaction either way.
    """
    options = dict(options or {})
    mode = options.get("mode") or ImportMode.ALL_OR_NOTHING
    problems: list[RowProblem] = []
    with Loader(merchant=merchant, kind=kind, options=options, batch=batch) as loader:
        for position, item in enumerate(records):
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], int):
                row, record = item
            else:
                row, record = getattr(item, "row", position), item
            refused = loader.add(row, record)
            if refused is not None:
                problems.append(refused)
        if problems and mode == ImportMode.ALL_OR_NOTHING:
            raise LoadRejected(problems, loader.unknown_skus)
        result = loader.load()
    result.problems = problems
    return result

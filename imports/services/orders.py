"""Orders: order lines upserted on their natural key, then the daily sales they make.

The rule (README, "Imports"): a line counts for its product on the merchant's local date of the
order; a (product, date)'s daily sales are, over all of the merchant's lines of that product and
date,

    units   = sum(quantity - refunded_quantity)   of the lines that are not cancelled
    revenue = sum(amount - refunded_amount)       of the lines that are not cancelled

Daily sales are recomputed, set-based, for every (product, date) whose lines this import
created or changed, including the (product, date) a changed line moved away from, right after
each written chunk of lines (`DailySalesFollower`). They are computed from all lines, never
added to, so a re-import cannot count a line twice and a day touched by two chunks ends right;
a re-import that changes no line touches no daily sales. A day whose lines are all gone or
cancelled keeps a row with 0 units. `on_promotion` is left as it is (orders do not say).
"""

from __future__ import annotations

from forecasting.models import DailySales

from ..models import OrderLine
from .staging import Upsert, UpsertCounts, analyze, empty_table, execute, temp_name, upsert


def order_line_upsert(*, batch_id: int | None) -> Upsert:
    return Upsert(
        table=OrderLine._meta.db_table,
        pk="id",
        key=("merchant_id", "order_number", "line_key"),
        text_key=("order_number", "line_key"),
        values=(
            "product_id",
            "ordered_at",
            "date",
            "quantity",
            "refunded_quantity",
            "amount",
            "refunded_amount",
            "cancelled",
        ),
        defaults={
            "quantity": "0",
            "refunded_quantity": "0",
            "amount": "0",
            "refunded_amount": "0",
            "cancelled": "FALSE",
        },
        # The import that last created or changed the line.
        on_change={"batch_id": str(batch_id) if batch_id else "NULL"},
        keep_old=("product_id", "date"),
    )


def touched_create() -> str:
    """A TEMP table of (product_id, date) pairs."""
    name = temp_name("import_touched")
    lines = OrderLine._meta.db_table
    execute(f"CREATE TEMP TABLE {name} AS SELECT product_id, date FROM {lines} WHERE 1 = 0")  # noqa: S608
    return name


class DailySalesFollower:
    """Keeps an orders import's daily sales in step with the lines it writes: after each chunk
    of lines, `follow()` recomputes the pairs that chunk touched; `counts()` says how many
    (product, day) rows were recomputed over the whole import, and how many were new.

    The pairs of every chunk are appended to one unindexed table and counted once, distinct, at
    the end: a unique index kept up to date on every chunk cost more than the count."""

    def __init__(self, *, merchant_id: int):
        self.merchant_id = merchant_id
        self.touched = touched_create()
        self.all = touched_create()
        self.created = 0

    def follow(self) -> None:
        created = daily_sales_recompute(merchant_id=self.merchant_id, touched=self.touched).created
        self.created += created
        execute(
            f"INSERT INTO {self.all} (product_id, date) "  # noqa: S608
            f"SELECT product_id, date FROM {self.touched}"
        )
        empty_table(self.touched)

    def counts(self) -> dict:
        from .staging import fetchall

        recomputed = fetchall(
            f"SELECT COUNT(*) FROM (SELECT DISTINCT product_id, date FROM {self.all}) pairs"  # noqa: S608
        )[0][0]
        return {"recomputed": recomputed, "created": self.created}

    def drop(self) -> None:
        from .staging import drop_table

        drop_table(self.touched)
        drop_table(self.all)


def order_lines_load(
    *,
    merchant_id: int,
    stage: str,
    batch_id: int | None,
    touched: str,
    seen: str | None = None,
) -> UpsertCounts:
    """Upsert the staged lines; the (product, date) pairs of every line created or changed, and
    those changed lines moved away from, are added to `touched`. In the caller's transaction."""
    # The product's id was staged with the row (`Loader.add`, `product_ids_resolve`).
    source = (
        f"SELECT {merchant_id} AS merchant_id, s.order_number, s.line_key, "  # noqa: S608
        "s.product_id, s.ordered_at, s.date, s.quantity, s.refunded_quantity, s.amount, "
        f"s.refunded_amount, s.cancelled, s.seq FROM {stage} s WHERE s.product_id IS NOT NULL"
    )
    counts, _work = upsert(
        spec=order_line_upsert(batch_id=batch_id),
        source=source,
        seen=seen,
        follow=[
            f"INSERT INTO {touched} (product_id, date) "  # noqa: S608
            "SELECT product_id, date FROM {work} WHERE action IN ('n', 'c') "
            "UNION ALL SELECT old_product_id, old_date FROM {work} WHERE action = 'c'"
        ],
    )
    return counts


def daily_sales_recompute(*, merchant_id: int, touched: str) -> UpsertCounts:
    """Daily sales of every (product_id, date) in the table `touched` (repeats allowed), from
    all of the merchant's order lines (see the module docstring)."""
    analyze(touched)
    lines = OrderLine._meta.db_table
    source = (
        "SELECT tp.product_id, tp.date, "  # noqa: S608
        "COALESCE(SUM(CASE WHEN ol.cancelled THEN 0 "
        "ELSE ol.quantity - ol.refunded_quantity END), 0) AS units, "
        "COALESCE(SUM(CASE WHEN ol.cancelled THEN 0 "
        "ELSE ol.amount - ol.refunded_amount END), 0) AS revenue "
        f"FROM (SELECT DISTINCT product_id, date FROM {touched}) tp "
        # The product is the merchant's (every touched pair comes from the merchant's
        # products); no merchant condition, so the (product, date) index is the one used.
        f"LEFT JOIN {lines} ol ON ol.product_id = tp.product_id AND ol.date = tp.date "
        "GROUP BY tp.product_id, tp.date"
    )
    counts, _work = upsert(
        spec=Upsert(
            table=DailySales._meta.db_table,
            pk="id",
            key=("product_id", "date"),
            values=("units", "revenue"),
            insert_only={"merchant_id": str(merchant_id), "on_promotion": "FALSE"},
            write_order=("product_id", "date"),
        ),
        source=source,
        dedup=False,
    )
    counts.duplicates = 0
    return counts

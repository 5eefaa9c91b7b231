"""PostgreSQL: the COPY staging path, and the load that streams while the file is read.

These need PostgreSQL (DATABASE_URL=postgres://...); they skip on SQLite. The streaming load
runs on a second connection in a thread, so these tests commit for real (transaction=True).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction

from forecasting.models import DailySales
from imports.models import ImportMode, ImportStatus, OrderLine
from imports.services import orders as orders_step
from imports.services.staging import Stage, fetchall
from tests.factories import MembershipFactory, MerchantFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
)

NASTY = [
    "plain",
    "tab\there",
    "new\nline",
    "back\\slash",
    "\\N",
    'quote "double"',
    "comma, semicolon;",
    "中文 GBK 退款",
    "",
    None,
]


@pytest.mark.django_db
def test_copy_into_the_staging_table_keeps_every_value_exactly():
    rows = [
        (
            text,
            number,
            Decimal("12.35"),
            dt.date(2026, 3, 1),
            dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC),
            number % 2 == 0,
            '{"a": 1}',
        )
        for number, text in enumerate(NASTY * 2500)
    ]
    columns = [
        ("text_value", "text"),
        ("int_value", "int"),
        ("money", "decimal"),
        ("day", "date"),
        ("moment", "datetime"),
        ("flag", "bool"),
        ("data", "json"),
    ]
    with transaction.atomic(), Stage(columns=columns, batch_rows=4000) as stage:
        for seq, row in enumerate(rows):
            stage.add(seq, row)
        assert stage.finish() == len(rows)
        stored = fetchall(
            f"SELECT text_value, int_value, money, day, moment, flag, data FROM {stage.name} "  # noqa: S608
            "ORDER BY seq"
        )
    assert [row[0] for row in stored] == [row[0] for row in rows]
    assert stored[4] == (
        "\\N",
        4,
        Decimal("12.35"),
        dt.date(2026, 3, 1),
        dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC),
        True,
        '{"a": 1}',
    )


@pytest.fixture
def store(transactional_db):
    merchant = MerchantFactory(slug="stream")
    owner = UserFactory(username="streamer")
    MembershipFactory(user=owner, merchant=merchant)
    products = [ProductFactory(merchant=merchant, sku=f"S-{n}") for n in range(20)]
    return merchant, owner, products


def orders_text(lines: int, *, bad_row: int | None = None, repeat_first: bool = False) -> str:
    out = ["order_number,line id,sku,quantity,amount,ordered_at"]
    for n in range(lines):
        quantity = "-1" if n == bad_row else str(1 + n % 3)
        day = 1 + n % 28
        out.append(
            f"{n // 2},{n % 2},S-{n % 20},{quantity},{(1 + n % 3) * 10}.00,2026-02-{day:02d}"
        )
    if repeat_first:
        out.append("0,0,S-0,3,30.00,2026-02-01")
    return "\n".join(out) + "\n"


@pytest.fixture
def small_chunks(settings):
    settings.IMPORT_BATCH_ROWS = 100


def test_a_streamed_load_in_chunks_gives_the_same_rows_and_counts(store, small_chunks, run_import):
    merchant, owner, products = store

    batch = run_import(merchant, "orders", orders_text(450, repeat_first=True), user=owner)

    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    assert batch.report["load_mode"] == "streamed"
    assert (batch.rows_created, batch.report["duplicates"]) == (450, 1)
    assert OrderLine.objects.filter(merchant=merchant).count() == 450
    assert OrderLine.objects.get(order_number="0", line_key="0").quantity == 3  # the last wins
    expected_units = sum(
        line.quantity for line in OrderLine.objects.filter(merchant=merchant, product=products[0])
    )
    assert sum(d.units for d in DailySales.objects.filter(product=products[0])) == expected_units

    again = run_import(merchant, "orders", orders_text(450), user=owner)
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 1, 449)
    assert OrderLine.objects.get(order_number="0", line_key="0").quantity == 1


def test_a_bad_row_in_the_last_chunk_rolls_back_the_chunks_already_written(
    store, small_chunks, run_import
):
    merchant, owner, _products = store

    batch = run_import(
        merchant,
        "orders",
        orders_text(450, bad_row=420),
        mode=ImportMode.ALL_OR_NOTHING,
        user=owner,
    )

    assert batch.status == ImportStatus.REJECTED
    assert not OrderLine.objects.filter(merchant=merchant).exists()
    assert not DailySales.objects.filter(merchant=merchant).exists()


def test_a_crash_at_the_end_of_a_streamed_load_leaves_nothing(
    store, small_chunks, run_import, monkeypatch
):
    merchant, owner, _products = store

    def explode(**kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(orders_step, "daily_sales_recompute", explode)

    batch = run_import(merchant, "orders", orders_text(450), mode=ImportMode.VALID_ROWS, user=owner)

    assert batch.status == ImportStatus.FAILED
    assert not OrderLine.objects.filter(merchant=merchant).exists()


def test_a_file_that_breaks_after_chunks_were_written_leaves_nothing(store, run_import, settings):
    merchant, owner, _products = store
    settings.IMPORT_BATCH_ROWS = 2000
    text = orders_text(30000) + '99999,0,"S-1,1,10.00,2026-02-01\n'  # past the 1 MB sample

    batch = run_import(merchant, "orders", text, mode=ImportMode.VALID_ROWS, user=owner)

    assert batch.status == ImportStatus.FAILED
    assert batch.error_code == "unclosed_quote"
    assert not OrderLine.objects.filter(merchant=merchant).exists()
    assert not DailySales.objects.filter(merchant=merchant).exists()

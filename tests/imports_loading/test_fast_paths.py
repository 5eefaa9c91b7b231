"""The import's fast paths give exactly what the slow ones give.

- `copy_format` writes most rows with `str()` of each value and falls back to COPY's escapes
  value by value; both read back as the same values (the round trip needs PostgreSQL).
- The product id of each staged row comes from the loader's catalogue, not from a join by SKU;
  SKUs created during the load get theirs before their rows are written, in any later chunk.
- Natural keys of text are grouped in the "C" collation: keys that differ only in case, accents
  or width stay apart, and repeats (also across chunks) still count as duplicates.
"""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection, transaction

from forecasting.models import DailySales
from imports.models import ImportMode, ImportStatus, OrderLine
from imports.services.staging import Stage, _copy_value, copy_format, fetchall
from products.models import Product
from tests.factories import MembershipFactory, MerchantFactory, ProductFactory, UserFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
)

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
TRICKY_TEXT = [
    "plain",
    "tab\there",
    "new\nline",
    "carriage\rreturn",
    "back\\slash",
    "\\N",
    "nul\x00byte",
    "None",
    "True",
    'quote "double"',
    "中文 退款",
    "",
    "  spaced  ",
    None,
]
MOMENTS = [
    dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC),
    dt.datetime(2025, 11, 2, 1, 30, tzinfo=NEW_YORK),  # the hour that happens twice
    dt.datetime(2025, 11, 2, 1, 30, fold=1, tzinfo=NEW_YORK),
    dt.datetime(2024, 7, 1, 12, 0, 0, 123456, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
    dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=45))),
]
AMOUNTS = [Decimal("0.00"), Decimal("12.35"), Decimal("999999999999.99"), Decimal("1E+2"), None]


def tricky_rows(count: int = 700) -> list[tuple]:
    return [
        (
            seq,
            TRICKY_TEXT[seq % len(TRICKY_TEXT)],
            seq * 7919 % 100003,
            AMOUNTS[seq % len(AMOUNTS)],
            dt.date(2024, 1, 1) + dt.timedelta(days=seq % 800),
            MOMENTS[seq % len(MOMENTS)],
            (None, True, False)[seq % 3],
        )
        for seq in range(count)
    ]


def slow_format(rows: list[tuple]) -> str:
    return "".join("\t".join(_copy_value(value) for value in row) + "\n" for row in rows)


def test_copy_format_writes_one_line_per_row_with_every_field_in_place():
    rows = tricky_rows()

    text = copy_format(rows)

    lines = text.split("\n")
    assert lines[-1] == ""  # the text ends with a line end
    assert len(lines) == len(rows) + 1
    for line, row in zip(lines, rows, strict=False):
        fields = line.split("\t")
        assert len(fields) == len(row)
        for field, value in zip(fields, row, strict=True):
            assert "\\" not in field or field == _copy_value(value)
            if value is None:
                assert field == "\\N"


def test_copy_format_escapes_any_row_that_needs_it_exactly_as_the_slow_path():
    rows = [row for row in tricky_rows() if any(v is None for v in row) or row[1] != "plain"]
    risky = [
        row for row in rows if None in row or any(mark in (row[1] or "") for mark in "\t\n\r\\\x00")
    ]
    assert risky

    assert copy_format(risky) == slow_format(risky)


def test_copy_format_of_nothing_is_empty():
    assert copy_format([]) == ""


@on_postgresql
@pytest.mark.django_db
def test_both_ways_of_writing_a_row_read_back_as_the_same_values():
    rows = tricky_rows()
    columns = [
        ("text_value", "text"),
        ("int_value", "int"),
        ("money", "decimal"),
        ("day", "date"),
        ("moment", "datetime"),
        ("flag", "bool"),
    ]
    stored = {}
    with transaction.atomic():
        for name, text in (("fast", copy_format(rows)), ("slow", slow_format(rows))):
            with Stage(columns=columns) as stage:
                stage.copy_text(text, len(rows))
                stored[name] = fetchall(
                    f"SELECT seq, text_value, int_value, money, day, moment, flag "  # noqa: S608
                    f"FROM {stage.name} ORDER BY seq"
                )
    assert stored["fast"] == stored["slow"]
    expected = [
        (seq, _stored_text(text), number, money, day, moment.astimezone(dt.UTC), flag)
        for seq, text, number, money, day, moment, flag in rows
    ]
    assert stored["fast"] == expected
    # The repeated hour of the DST change keeps its offset (fold) through the text.
    assert stored["fast"][2][5] - stored["fast"][1][5] == dt.timedelta(hours=1)


def _stored_text(text):
    return None if text is None else text.replace("\x00", "")


# --- Whole imports, streamed in small chunks (PostgreSQL) -----------------------------------


@pytest.fixture
def store(transactional_db):
    merchant = MerchantFactory(slug="fast-paths")
    owner = UserFactory(username="fast-owner")
    MembershipFactory(user=owner, merchant=merchant)
    products = {sku: ProductFactory(merchant=merchant, sku=sku) for sku in ("S-1", "S-2")}
    return merchant, owner, products


@pytest.fixture
def small_chunks(settings):
    settings.IMPORT_BATCH_ROWS = 100


def _orders(keys: list[tuple[str, str, str]]) -> str:
    lines = ["order_number,line id,sku,quantity,amount,ordered_at"]
    for number, (order, line, sku) in enumerate(keys):
        day = 1 + number % 27
        lines.append(f'"{order}",{line},{sku},1,10.00,2026-02-{day:02d} 10:00')
    return "\n".join(lines) + "\n"


@on_postgresql
def test_skus_created_in_the_load_get_their_product_in_every_later_chunk(
    store, small_chunks, run_import
):
    merchant, owner, products = store
    # NEW-1 is first met in the first chunk, and again in the fourth; NEW-2 only late.
    keys = [(f"A{n}", "1", ("NEW-1" if n % 50 == 0 else "S-1")) for n in range(350)]
    keys += [("LATE", "1", "NEW-2")]

    batch = run_import(
        merchant,
        "orders",
        _orders(keys),
        mode=ImportMode.VALID_ROWS,
        options={"create_unknown_skus": True},
        user=owner,
    )

    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    assert batch.report["load_mode"] == "streamed"
    assert batch.rows_created == 351
    created = {p.sku: p for p in Product.objects.filter(merchant=merchant, sku__startswith="NEW")}
    assert set(created) == {"NEW-1", "NEW-2"}
    assert OrderLine.objects.filter(product=created["NEW-1"]).count() == 7
    assert OrderLine.objects.filter(product=created["NEW-2"]).count() == 1
    assert OrderLine.objects.filter(product=products["S-1"]).count() == 343
    assert DailySales.objects.filter(product=created["NEW-1"]).exists()


@on_postgresql
def test_keys_that_differ_only_in_case_accents_or_width_are_different_lines(
    store, small_chunks, run_import
):
    merchant, owner, _products = store
    lookalikes = ["order-ä", "ORDER-Ä", "order-a", "order-ａ", "订单-1", "订单-１", "ß", "ss"]
    keys = [(order, "1", "S-1") for order in lookalikes]
    keys += [(f"F{n}", "1", "S-2") for n in range(250)]
    keys += [(order, "1", "S-2") for order in lookalikes[:3]]  # repeats, two chunks later

    batch = run_import(merchant, "orders", _orders(keys), user=owner)

    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    assert batch.report["duplicates"] == 3
    assert batch.rows_created == len(lookalikes) + 250
    stored = dict(
        OrderLine.objects.filter(merchant=merchant, order_number__in=lookalikes).values_list(
            "order_number", "product__sku"
        )
    )
    assert set(stored) == set(lookalikes)
    # The later row of a repeated key wins.
    assert [stored[order] for order in lookalikes[:3]] == ["S-2"] * 3
    assert [stored[order] for order in lookalikes[3:]] == ["S-1"] * 5

    # Again: the first three lines move to S-1 and back to S-2 within the load.
    again = run_import(merchant, "orders", _orders(keys), user=owner)
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 3, 255)
    assert again.report["duplicates"] == 3
    assert (
        dict(
            OrderLine.objects.filter(merchant=merchant, order_number__in=lookalikes).values_list(
                "order_number", "product__sku"
            )
        )
        == stored
    )

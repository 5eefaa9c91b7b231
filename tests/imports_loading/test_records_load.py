"""`records_load`, the loader's door for the bulk API: one transaction, all or nothing or the
valid records, the same natural keys as a file."""

import datetime as dt
from decimal import Decimal

import pytest

from forecasting.models import DailySales
from imports.parsing import RowValidator
from imports.services import LoadRejected, records_load
from products.models import StockLevel

pytestmark = pytest.mark.django_db


def sales_records(items):
    validator = RowValidator(kind="sales", tz="UTC")
    records = []
    for index, item in enumerate(items):
        record, problems = validator.validate_item(index, item)
        assert not problems, problems
        records.append((index, record))
    return records


def test_valid_records_are_upserted_and_counted(merchant, catalog):
    records = sales_records(
        [
            {"sku": "BTL-750", "date": "2026-03-01", "units": 5, "revenue": "149.75"},
            {"sku": "PAN-28", "date": "2026-03-01", "units": 1},
        ]
    )

    first = records_load(merchant=merchant, kind="sales", records=records, options={})
    again = records_load(merchant=merchant, kind="sales", records=records, options={})

    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    sales = DailySales.objects.get(product=catalog["BTL-750"], date=dt.date(2026, 3, 1))
    assert (sales.units, sales.revenue) == (5, Decimal("149.75"))


def test_an_unknown_sku_refuses_everything_in_all_or_nothing_mode(merchant, catalog):
    records = sales_records(
        [
            {"sku": "BTL-750", "date": "2026-03-01", "units": 5},
            {"sku": "NOPE", "date": "2026-03-01", "units": 1},
        ]
    )

    with pytest.raises(LoadRejected) as rejected:
        records_load(merchant=merchant, kind="sales", records=records, options={})

    assert [(p.row, p.code) for p in rejected.value.problems] == [(1, "unknown_sku")]
    assert rejected.value.unknown_skus == ["NOPE"]
    assert not DailySales.objects.exists()


def test_the_valid_records_load_in_valid_rows_mode_and_the_others_come_back(merchant, catalog):
    records = sales_records(
        [
            {"sku": "NOPE", "date": "2026-03-01", "units": 1},
            {"sku": "BTL-750", "date": "2026-03-01", "units": 5},
        ]
    )

    result = records_load(
        merchant=merchant, kind="sales", records=records, options={"mode": "valid_rows"}
    )

    assert result.created == 1
    assert [(p.row, p.code, p.value) for p in result.problems] == [(0, "unknown_sku", "NOPE")]


def test_stock_records_set_the_current_level(merchant, catalog):
    validator = RowValidator(kind="stock", tz="UTC")
    record, _problems = validator.validate_item(0, {"sku": "PAN-28", "on_hand": 12})

    result = records_load(merchant=merchant, kind="stock", records=[record], options={})

    assert result.created == 1
    assert StockLevel.objects.get(product=catalog["PAN-28"]).on_hand == 12
    assert result.extra["snapshots"]["created"] == 1

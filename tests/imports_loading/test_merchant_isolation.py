"""One merchant's import never reads or writes another merchant's rows, even for the same SKU."""

import datetime as dt

import pytest
from django.http import Http404

from forecasting.models import DailySales
from imports.models import ColumnMapping, ImportStatus, OrderLine
from imports.selectors import import_get, import_row_errors, mapping_get
from imports.services import import_configure, import_upload
from tests.factories import ProductFactory

from .conftest import csv_file

pytestmark = pytest.mark.django_db


def test_the_same_sku_in_two_merchants_is_two_products(merchant, other_merchant, run_import):
    mine = ProductFactory(merchant=merchant, sku="SAME-1", title="Mine")
    theirs = ProductFactory(merchant=other_merchant, sku="SAME-1", title="Theirs")

    run_import(merchant, "products", "sku,title,price\nSAME-1,Renamed,10\n")
    batch = run_import(
        merchant,
        "orders",
        "order_number,sku,quantity,amount,ordered_at\n1,SAME-1,2,20,2026-03-02\n",
    )

    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"
    assert OrderLine.objects.get().product == mine
    assert not DailySales.objects.filter(product=theirs).exists()
    assert DailySales.objects.get(product=mine, date=dt.date(2026, 3, 2)).units == 2


def test_an_order_number_of_another_merchant_is_not_updated(
    merchant, other_merchant, other_owner, run_import
):
    ProductFactory(merchant=merchant, sku="SAME-1")
    ProductFactory(merchant=other_merchant, sku="SAME-1")
    text = "order_number,sku,quantity,amount,ordered_at\n1,SAME-1,2,20,2026-03-02\n"
    run_import(other_merchant, "orders", text, user=other_owner)

    batch = run_import(merchant, "orders", text)

    assert batch.rows_created == 1  # not "unchanged": the other merchant's line is not ours
    assert OrderLine.objects.count() == 2


def test_the_selectors_answer_404_for_another_merchants_import_and_mapping(
    merchant, other_merchant, owner
):
    batch = import_upload(
        merchant=merchant,
        user=owner,
        kind="sales",
        uploaded_file=csv_file("sku,date,units\nA,2026-03-01,1\n"),
    )
    import_configure(
        batch=batch,
        mapping=batch.mapping,
        mode="all_or_nothing",
        options={},
        save_mapping_as="Daily sales",
    )
    with pytest.raises(Http404):
        import_get(merchant=other_merchant, batch_id=batch.pk)
    saved = ColumnMapping.objects.get(merchant=merchant)
    with pytest.raises(Http404):
        mapping_get(merchant=other_merchant, mapping_id=saved.pk)
    assert import_get(merchant=merchant, batch_id=batch.pk) == batch
    assert list(import_row_errors(batch=batch)) == []

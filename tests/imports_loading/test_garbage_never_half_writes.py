"""Generated garbage through the whole import job never leaves a partial load.

Each example uploads a generated orders or sales file for a fresh merchant (a header that
mostly maps, rows mixing valid values with broken numbers, dates in odd forms, formulas,
quotes, newlines, NUL bytes, unknown SKUs and repeated keys, sometimes raw bytes), runs the
job in one of the two modes, and checks what the tables hold afterwards:

- all or nothing: either the import succeeded with no rejected row, or no domain row exists;
- valid rows: nothing is written unless the import succeeded, then no more lines than valid
  rows;
- always: every daily sales row equals the sum of its order lines (units and revenue), so no
  half-applied recompute survives; an upload the parser refuses leaves no import at all.

40 examples per mode (max_examples=40), a few seconds each on SQLite.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Merchant
from forecasting.models import DailySales
from imports.models import ImportBatch, ImportMode, ImportStatus, OrderLine
from imports.parsing import ImportFileError
from imports.services import import_configure, import_start, import_upload
from products.models import Product
from tests.factories import MerchantFactory, ProductFactory

pytestmark = pytest.mark.django_db

SKUS = ["G-1", "G-2", "G-3"]
ORDER_HEADERS = ["order_number", "sku", "quantity", "amount", "ordered_at", "status"]
SALES_HEADERS = ["sku", "date", "units", "revenue"]

garbage_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30
)
numbers = st.one_of(
    st.integers(min_value=-5, max_value=20).map(str),
    st.sampled_from(["1e9", "99999999999999", "1,5", "¥12", "-0", "NaN", "", " 3 ", "=1+1"]),
    garbage_text,
)
dates = st.one_of(
    st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 6, 30)).map(str),
    st.sampled_from(
        ["2026/03/02", "02.03.2026", "3/2/2026", "20260302", "2026-02-30", "tomorrow", ""]
    ),
    garbage_text,
)
skus = st.one_of(st.sampled_from(SKUS), st.sampled_from(["NOPE", "", "=cmd|'/c calc'!A0"]))
statuses = st.sampled_from(["paid", "cancelled", "refunded", "交易关闭", ""])
good_day = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 6, 30)).map(str)
good_order = st.tuples(
    st.integers(1, 6).map(str),
    st.sampled_from(SKUS),
    st.integers(0, 9).map(str),
    st.integers(0, 500).map(lambda cents: f"{cents / 10:.2f}"),
    good_day,
    statuses,
)
bad_order = st.tuples(
    st.one_of(st.integers(1, 6).map(str), garbage_text), skus, numbers, numbers, dates, statuses
)
order_rows = st.lists(st.one_of(good_order, bad_order), min_size=1, max_size=12)
good_sales = st.tuples(
    st.sampled_from(SKUS), good_day, st.integers(0, 9).map(str), st.integers(0, 99).map(str)
)
sales_rows = st.lists(
    st.one_of(good_sales, st.tuples(skus, dates, numbers, numbers)), min_size=1, max_size=12
)


def render(headers, rows, quoting_broken: bool) -> bytes:
    import csv
    import io

    out = io.StringIO()
    if quoting_broken:
        out.write(",".join(headers) + "\n")
        for row in rows:
            out.write(",".join(row) + "\n")
    else:
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
    return out.getvalue().encode("utf-8")


files = st.one_of(
    st.tuples(st.just("orders"), order_rows, st.booleans()).map(
        lambda t: (t[0], render(ORDER_HEADERS, t[1], t[2]))
    ),
    st.tuples(st.just("sales"), sales_rows, st.booleans()).map(
        lambda t: (t[0], render(SALES_HEADERS, t[1], t[2]))
    ),
    st.tuples(st.sampled_from(["orders", "sales"]), st.binary(max_size=200)).map(
        lambda t: (t[0], ",".join(SALES_HEADERS).encode() + b"\n" + t[1])
    ),
)


def daily_sales_match_the_order_lines(merchant) -> bool:
    for sales in DailySales.objects.filter(merchant=merchant):
        lines = OrderLine.objects.filter(
            merchant=merchant, product=sales.product, date=sales.date, cancelled=False
        )
        totals = lines.aggregate(q=Sum("quantity"), r=Sum("refunded_quantity"))
        amounts = lines.aggregate(a=Sum("amount"), r=Sum("refunded_amount"))
        units = (totals["q"] or 0) - (totals["r"] or 0)
        revenue = (amounts["a"] or Decimal(0)) - (amounts["r"] or Decimal(0))
        if (sales.units, sales.revenue) != (units, revenue):
            return False
    return True


def domain_rows(merchant) -> int:
    return (
        OrderLine.objects.filter(merchant=merchant).count()
        + DailySales.objects.filter(merchant=merchant).count()
    )


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(file=files, mode=st.sampled_from(ImportMode.values))
def test_garbage_files_through_the_job_never_leave_a_partial_load(
    file, mode, owner, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    kind, content = file
    merchant = MerchantFactory()
    for sku in SKUS:
        ProductFactory(merchant=merchant, sku=sku)
    products_before = Product.objects.filter(merchant=merchant).count()
    try:
        batch = import_upload(
            merchant=merchant,
            user=owner,
            kind=kind,
            uploaded_file=SimpleUploadedFile("fuzz.csv", content),
        )
    except ImportFileError:
        assert not ImportBatch.objects.filter(merchant=merchant).exists()
        return
    try:
        batch = import_configure(batch=batch, mapping=batch.mapping, mode=mode, options={})
    except Exception as refused:  # a header the fuzz broke: the mapping cannot be confirmed
        assert getattr(refused, "code", "") in {
            "missing_field",
            "unknown_column",
            "invalid_mapping",
        }
        assert domain_rows(merchant) == 0
        return
    with django_capture_on_commit_callbacks(execute=True):
        import_start(batch=batch, user=owner)
    batch.refresh_from_db()

    assert batch.status in (ImportStatus.SUCCEEDED, ImportStatus.REJECTED, ImportStatus.FAILED)
    assert batch.error_code != "internal_error", batch.error_message
    assert Product.objects.filter(merchant=merchant).count() == products_before
    if batch.status != ImportStatus.SUCCEEDED:
        assert domain_rows(merchant) == 0
    elif mode == ImportMode.ALL_OR_NOTHING:
        assert batch.rows_rejected == 0
    if kind == "orders":
        assert OrderLine.objects.filter(merchant=merchant).count() <= batch.rows_valid
        assert daily_sales_match_the_order_lines(merchant)
    assert (
        batch.rows_total
        == batch.rows_valid + batch.rows_rejected + batch.report.get("skipped_rows", 0)
        or batch.status == ImportStatus.FAILED
    )
    assert Merchant.objects.filter(pk=merchant.pk).exists()

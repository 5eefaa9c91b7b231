"""Factories of imports: an import with a stored file, its row errors, a saved mapping."""

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from imports.models import (
    ColumnMapping,
    ImportBatch,
    ImportKind,
    ImportMode,
    ImportRowError,
    ImportStatus,
)
from tests.factories import MerchantFactory

ORDERS_CSV = "order_number,sku,quantity,ordered_at\nA-1,SKU-1,2,2026-03-02 10:00\n"


class ImportBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportBatch

    merchant = factory.SubFactory(MerchantFactory)
    kind = ImportKind.ORDERS
    status = ImportStatus.UPLOADED
    original_name = factory.Sequence(lambda n: f"orders-{n}.csv")
    file = factory.LazyAttribute(lambda o: ContentFile(ORDERS_CSV.encode(), name="orders.csv"))
    size_bytes = len(ORDERS_CSV)
    encoding = "utf-8"
    delimiter = ","
    headers = factory.LazyFunction(lambda: ["order_number", "sku", "quantity", "ordered_at"])
    preview = factory.LazyFunction(lambda: [["A-1", "SKU-1", "2", "2026-03-02 10:00"]])
    preset = "generic"
    mapping = factory.LazyFunction(
        lambda: {
            "order_number": "order_number",
            "sku": "sku",
            "quantity": "quantity",
            "ordered_at": "ordered_at",
        }
    )
    mode = ImportMode.ALL_OR_NOTHING


def finished_batch(*, merchant, rejected_rows: int = 2, **kwargs) -> ImportBatch:
    """An import that loaded its valid rows and rejected some, with a rejected-rows CSV."""
    now = timezone.now()
    batch = ImportBatchFactory(
        merchant=merchant,
        status=ImportStatus.SUCCEEDED,
        mode=ImportMode.VALID_ROWS,
        rows_total=10,
        rows_valid=10 - rejected_rows,
        rows_rejected=rejected_rows,
        rows_created=10 - rejected_rows,
        started_at=now - timezone.timedelta(seconds=3),
        finished_at=now,
        report={"problems": rejected_rows, "errors_by_column": {"quantity": rejected_rows}},
        **kwargs,
    )
    if rejected_rows:
        batch.rejected_file.save(
            "rejected.csv",
            ContentFile("\ufeffRow,order_number,quantity,Problems\n3,A-2,-1,negative\n".encode()),
        )
        for row in range(rejected_rows):
            ImportRowErrorFactory(batch=batch, row_number=row + 3)
    return batch


class ImportRowErrorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportRowError

    batch = factory.SubFactory(ImportBatchFactory)
    row_number = 3
    column = "quantity"
    value = "-1"
    code = "negative"
    message = "Row 3, quantity: “-1” is negative."


class ColumnMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ColumnMapping

    merchant = factory.SubFactory(MerchantFactory)
    kind = ImportKind.ORDERS
    name = factory.Sequence(lambda n: f"Mapping {n}")
    headers_signature = factory.Sequence(lambda n: f"{n:064d}")
    headers = factory.LazyFunction(lambda: ["order_number", "sku", "quantity", "ordered_at"])
    preset = "generic"
    mapping = factory.LazyFunction(
        lambda: {
            "order_number": "order_number",
            "sku": "sku",
            "quantity": "quantity",
            "ordered_at": "ordered_at",
        }
    )

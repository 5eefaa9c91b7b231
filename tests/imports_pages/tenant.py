"""Import objects for the tenant isolation sweep (tests/test_tenant_isolation.py)."""

from django.core.files.base import ContentFile

from imports.models import ImportStatus

from .factories import (
    ColumnMappingFactory,
    ImportBatchFactory,
    ImportRowErrorFactory,
    finished_batch,
)


def beta_objects(*, merchant, owner, secret) -> dict[str, int]:
    # An import with a rejected-rows CSV and row errors, so the detail page, the errors and
    # both downloads are asked for objects that exist and carry the secret.
    batch = finished_batch(
        merchant=merchant,
        created_by=owner,
        original_name=f"{secret}-orders.csv",
        headers=[f"{secret}-column"],
        preview=[[f"{secret}-cell"]],
        unknown_skus=[f"{secret}-sku-unknown"],
    )
    batch.rejected_file.save("beta.csv", ContentFile(f"Row,{secret}\n3,{secret}\n".encode()))
    ImportRowErrorFactory(batch=batch, value=secret, message=f"{secret} is wrong")
    # One waiting for its mapping: the mapping page would show its headers and preview.
    ImportBatchFactory(
        merchant=merchant,
        status=ImportStatus.UPLOADED,
        original_name=f"{secret}-waiting.csv",
        headers=[f"{secret}-header"],
    )
    mapping = ColumnMappingFactory(merchant=merchant, name=f"{secret} mapping")
    return {"batch_id": batch.pk, "mapping_id": mapping.pk}


def alice_objects(*, merchant, owner) -> None:
    finished_batch(merchant=merchant, created_by=owner)
    ImportBatchFactory(merchant=merchant, created_by=owner)
    ColumnMappingFactory(merchant=merchant, name="Taobao orders")

"""Uploading stores and sniffs the file; the mapping is suggested, checked and saved."""

import hashlib

import pytest

from imports.models import ColumnMapping, ImportBatch, ImportStatus
from imports.parsing import ImportFileError
from imports.services import (
    ImportServiceError,
    import_configure,
    import_resniff,
    import_start,
    import_upload,
)

from .conftest import csv_file

pytestmark = pytest.mark.django_db

SALES = "SKU,Date,Units,Revenue\nBTL-750,2026-03-01,5,149.75\n"


def upload(merchant, owner, text=SALES, kind="sales", name="sales.csv", encoding="utf-8"):
    return import_upload(
        merchant=merchant,
        user=owner,
        kind=kind,
        uploaded_file=csv_file(text, name, encoding=encoding),
    )


def test_an_upload_is_stored_hashed_sniffed_and_given_a_suggested_mapping(
    merchant, owner, media_root
):
    batch = upload(merchant, owner)

    assert batch.status == ImportStatus.UPLOADED
    assert batch.original_name == "sales.csv"
    assert batch.file.name.startswith(f"imports/{merchant.pk}/")
    assert (media_root / batch.file.name).read_bytes() == SALES.encode()
    assert batch.sha256 == hashlib.sha256(SALES.encode()).hexdigest()
    assert batch.size_bytes == len(SALES.encode())
    assert (batch.file_format, batch.delimiter, batch.headers) == (
        "csv",
        ",",
        ["SKU", "Date", "Units", "Revenue"],
    )
    assert batch.preview == [["BTL-750", "2026-03-01", "5", "149.75"]]
    assert batch.preset == "generic"
    assert batch.mapping == {"sku": "SKU", "date": "Date", "units": "Units", "revenue": "Revenue"}
    assert batch.created_by == owner


def test_a_gbk_taobao_export_is_recognised(merchant, owner):
    text = (
        "订单编号,商品编码,购买数量,实付金额,订单创建时间\n1,BTL-750,1,29.95,2026-03-02 10:15:32\n"
    )

    batch = upload(merchant, owner, text, kind="orders", name="订单.csv", encoding="gbk")

    assert batch.encoding.lower() in {"gbk", "gb18030"}
    assert batch.preset == "taobao"
    assert batch.mapping["order_number"] == "订单编号"
    assert batch.original_name == "订单.csv"


def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(
    merchant, owner, settings, media_root
):
    settings.IMPORT_MAX_UPLOAD_BYTES = 10

    with pytest.raises(ImportServiceError) as refused:
        upload(merchant, owner)

    assert refused.value.code == "file_too_large"
    assert not ImportBatch.objects.exists()
    assert not any(media_root.rglob("*.csv")) if media_root.exists() else True


def test_a_file_that_is_not_a_spreadsheet_is_refused_and_nothing_is_kept(
    merchant, owner, media_root
):
    with pytest.raises(ImportFileError):
        import_upload(
            merchant=merchant,
            user=owner,
            kind="sales",
            uploaded_file=csv_file("\x89PNG\r\n\x1a\n\x00\x00garbage", "photo.csv"),
        )

    assert not ImportBatch.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_a_saved_mapping_is_offered_for_the_next_file_with_the_same_headers(merchant, owner):
    first = upload(merchant, owner, "Item,Day,Sold\nBTL-750,2026-03-01,5\n", name="week1.csv")
    import_configure(
        batch=first,
        mapping={"sku": "Item", "date": "Day", "units": "Sold"},
        mode="valid_rows",
        options={},
        save_mapping_as="Warehouse export",
    )

    second = upload(merchant, owner, "item , DAY,sold\nBTL-750,2026-03-02,3\n", name="week2.csv")

    assert second.mapping == {"sku": "item", "date": "DAY", "units": "sold"}
    assert second.options["saved_mapping"] == "Warehouse export"
    assert ColumnMapping.objects.get(merchant=merchant).name == "Warehouse export"


@pytest.mark.parametrize(
    ("mapping", "mode", "options", "code"),
    [
        ({"sku": "SKU", "date": "Date"}, "all_or_nothing", {}, "missing_field"),
        (
            {"sku": "SKU", "date": "Date", "units": "Units", "colour": "Revenue"},
            "all_or_nothing",
            {},
            "unknown_field",
        ),
        ({"sku": "SKU", "date": "Date", "units": "Pieces"}, "all_or_nothing", {}, "unknown_column"),
        ({"sku": "SKU", "date": "Date", "units": "Units"}, "sometimes", {}, "invalid_mode"),
        (
            {"sku": "SKU", "date": "Date", "units": "Units"},
            "all_or_nothing",
            {"delete_all": True},
            "invalid_options",
        ),
        (
            {"sku": "SKU", "date": "Date", "units": "Units"},
            "all_or_nothing",
            {"create_unknown_skus": "yes"},
            "invalid_options",
        ),
    ],
)
def test_a_mapping_that_cannot_work_is_refused_with_a_stable_code(
    merchant, owner, mapping, mode, options, code
):
    batch = upload(merchant, owner)

    with pytest.raises(ImportServiceError) as refused:
        import_configure(batch=batch, mapping=mapping, mode=mode, options=options)

    assert refused.value.code == code
    assert refused.value.message


def test_an_import_cannot_be_started_twice_or_reconfigured_while_it_runs(merchant, owner):
    batch = upload(merchant, owner)
    batch = import_configure(batch=batch, mapping=batch.mapping, mode="valid_rows", options={})
    import_start(batch=batch, user=owner)  # queued: the on-commit send never happens here

    with pytest.raises(ImportServiceError) as twice:
        import_start(batch=batch, user=owner)
    with pytest.raises(ImportServiceError) as editing:
        import_configure(batch=batch, mapping=batch.mapping, mode="valid_rows", options={})

    assert (twice.value.code, editing.value.code) == ("already_running", "not_editable")


def test_reading_the_file_again_with_another_delimiter_suggests_a_new_mapping(merchant, owner):
    batch = upload(merchant, owner, "sku;date;units\nBTL-750;2026-03-01;5\n")

    batch = import_resniff(batch=batch, delimiter=",")
    assert batch.headers == ["sku;date;units"]

    batch = import_resniff(batch=batch, delimiter=";")
    assert batch.headers == ["sku", "date", "units"]
    assert batch.mapping == {"sku": "sku", "date": "date", "units": "units"}

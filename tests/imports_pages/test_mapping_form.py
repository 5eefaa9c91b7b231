"""The mapping page's own checks: a required field left out or one column given to two fields
is a form error (400) and nothing starts; reading the file again with another encoding."""

import pytest
from django.urls import reverse

from imports.models import ImportBatch, ImportStatus
from jobs.models import Job

from .support import post_upload, sample_bytes, upload


@pytest.fixture
def taobao(owner_client, catalogue):
    _response, batch = post_upload(
        owner_client, kind="orders", file=upload("t.csv", sample_bytes("taobao_orders.csv"))
    )
    return batch


def _url(batch):
    return reverse("import-mapping", kwargs={"batch_id": batch.pk})


@pytest.mark.django_db
def test_a_required_field_left_unmapped_is_an_error_on_that_field(owner_client, taobao):
    response = owner_client.post(
        _url(taobao),
        {"action": "start", "map_order_number": "订单编号", "mode": "all_or_nothing"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "map_sku" in errors and "map_quantity" in errors
    assert "Choose the column that holds “SKU”." in response.content.decode()
    assert not Job.objects.exists()
    taobao.refresh_from_db()
    assert taobao.status == ImportStatus.UPLOADED


@pytest.mark.django_db
def test_one_column_for_two_fields_is_an_error(owner_client, taobao):
    data = {
        "action": "start",
        "map_order_number": "订单编号",
        "map_sku": "商品编码",
        "map_quantity": "购买数量",
        "map_ordered_at": "订单创建时间",
        "map_line_key": "商品编码",
        "mode": "all_or_nothing",
    }
    response = owner_client.post(_url(taobao), data)
    assert response.status_code == 400
    assert "map_line_key" in response.context["form"].errors
    assert not Job.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"action": "start", "map_sku": "no such column", "mode": "all_or_nothing"},
        {"action": "start", "mode": "everything"},
        {"action": "resniff", "encoding": "klingon", "delimiter": "x"},
        {"action": "start", "map_attributes": ["订单编号"]},
    ],
    ids=["unknown_column", "unknown_mode", "unknown_encoding", "field_of_another_kind"],
)
def test_tampered_mapping_posts_are_form_errors(owner_client, taobao, data):
    response = owner_client.post(_url(taobao), data)
    assert response.status_code == 400
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_reading_the_file_again_with_another_encoding_changes_the_headers(owner_client, taobao):
    response = owner_client.post(_url(taobao), {"action": "resniff", "encoding": "latin-1"})
    assert response.status_code == 302
    taobao.refresh_from_db()
    assert "订单编号" not in taobao.headers
    response = owner_client.post(_url(taobao), {"action": "resniff", "encoding": "gb18030"})
    assert response.status_code == 302
    taobao.refresh_from_db()
    assert taobao.headers[0] == "订单编号"
    assert taobao.mapping["order_number"] == "订单编号"


@pytest.mark.django_db
def test_a_started_import_sends_its_mapping_page_to_the_report(
    owner_client, merchant, django_capture_on_commit_callbacks
):
    from .factories import ImportBatchFactory

    batch = ImportBatchFactory(merchant=merchant, status=ImportStatus.SUCCEEDED)
    response = owner_client.get(_url(batch))
    assert response.status_code == 302
    assert response["Location"] == reverse("import-detail", kwargs={"batch_id": batch.pk})
    assert owner_client.post(_url(batch), {"action": "start"}).status_code == 302
    assert ImportBatch.objects.get().status == ImportStatus.SUCCEEDED


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_an_excel_workbook_loads_and_another_sheet_can_be_chosen(
    owner_client, merchant, catalogue, django_capture_on_commit_callbacks
):
    from products.models import StockLevel

    content = _workbook(
        {
            "Notes": [["Exported from the warehouse system"]],
            "Stock": [["sku", "on_hand"], ["DRK-BTL-750-SLV", 412], ["KIT-PAN-28-GRY", 96]],
        }
    )
    _response, batch = post_upload(owner_client, kind="stock", file=upload("stock.xlsx", content))
    page = owner_client.get(_url(batch))
    assert page.status_code == 200 and "Excel (XLSX)" in page.content.decode()
    missing = owner_client.post(_url(batch), {"action": "resniff", "sheet": "Nope"})
    assert missing.status_code == 400
    assert "no sheet named" in missing.content.decode()
    chosen = owner_client.post(_url(batch), {"action": "resniff", "sheet": "Stock"})
    assert chosen.status_code == 302
    batch.refresh_from_db()
    assert batch.sheet == "Stock" and batch.headers == ["sku", "on_hand"]
    data = {"action": "start", "map_sku": "sku", "map_on_hand": "on_hand", "mode": "valid_rows"}
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(_url(batch), data)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    assert StockLevel.objects.filter(merchant=merchant).count() == 2

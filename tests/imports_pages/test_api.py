"""The imports API: upload (multipart) -> configure -> start (202) -> status and report, row
errors, rejected rows, saved mappings; and its stable error codes."""

import csv
import io

import pytest
from django.urls import reverse

from imports.models import ColumnMapping, ImportBatch, ImportStatus
from jobs.models import Job
from tests.api.support import error_of

from .factories import ColumnMappingFactory, ImportBatchFactory, finished_batch
from .support import sample_upload, upload

API = "/api/v1"
TAOBAO_MAPPING = {
    "order_number": "订单编号",
    "line_key": "子订单编号",
    "sku": "商品编码",
    "quantity": "购买数量",
    "amount": "实付金额",
    "ordered_at": "订单创建时间",
    "status": "订单状态",
    "refunded_amount": "退款金额",
}


def _upload(client, name="taobao_orders.csv", kind="orders", file=None):
    return client.post(
        f"{API}/imports/",
        {"kind": kind, "file": file or sample_upload(name)},
        format="multipart",
    )


@pytest.mark.django_db
def test_an_upload_answers_201_with_what_was_detected_and_a_suggested_mapping(owner_api):
    response = _upload(owner_api)
    assert response.status_code == 201, response.content
    body = response.json()
    batch = ImportBatch.objects.get()
    assert body["id"] == batch.pk and body["status"] == "uploaded" and body["kind"] == "orders"
    assert body["detected"]["format"] == "csv"
    assert body["detected"]["encoding"].lower() in ("gb18030", "gbk")
    assert body["headers"][0] == "订单编号" and len(body["preview"]) == 9
    assert body["preset"] == "taobao"
    assert {key: body["mapping"][key] for key in TAOBAO_MAPPING} == TAOBAO_MAPPING
    required = {field["name"] for field in body["target_fields"] if field["required"]}
    assert required == {"order_number", "sku", "quantity", "ordered_at"}
    assert body["page_url"] == f"/imports/{batch.pk}/"
    assert body["job"] is None and body["job_detail"] is None


@pytest.mark.django_db
def test_configure_start_and_follow_an_import_to_its_report(
    owner_api, merchant, catalogue, django_capture_on_commit_callbacks
):
    batch_id = _upload(owner_api).json()["id"]
    configured = owner_api.post(
        f"{API}/imports/{batch_id}/configure/",
        {"mapping": TAOBAO_MAPPING, "mode": "valid_rows", "save_mapping_as": "Taobao"},
        format="json",
    )
    assert configured.status_code == 200, configured.content
    assert configured.json()["mode"] == "valid_rows"
    assert ColumnMapping.objects.get(merchant=merchant).name == "Taobao"
    with django_capture_on_commit_callbacks(execute=True):
        started = owner_api.post(f"{API}/imports/{batch_id}/start/")
    assert started.status_code == 202, started.content
    job = Job.objects.get(kind="import")
    assert started.json()["job"] == job.pk
    assert started.json()["job_detail"]["id"] == job.pk

    body = owner_api.get(f"{API}/imports/{batch_id}/").json()
    assert body["status"] == "succeeded", body["error_message"]
    assert (body["rows_total"], body["rows_valid"], body["rows_rejected"]) == (9, 9, 0)
    assert body["rows_created"] == 9 and body["duration_seconds"] is not None
    assert body["rejected_url"] is None
    assert body["job_detail"]["status"] == "succeeded"
    listed = owner_api.get(f"{API}/imports/").json()
    assert listed["count"] == 1 and listed["results"][0]["status"] == "succeeded"


@pytest.mark.django_db
def test_row_errors_page_and_rejected_rows_download(owner_api, merchant):
    batch = finished_batch(merchant=merchant, rejected_rows=3)
    errors = owner_api.get(f"{API}/imports/{batch.pk}/errors/", {"page_size": 2}).json()
    assert errors["count"] == 3 and len(errors["results"]) == 2 and errors["next"]
    assert set(errors["results"][0]) == {"row", "column", "value", "code", "message"}
    assert errors["results"][0]["row"] == 3
    detail = owner_api.get(f"{API}/imports/{batch.pk}/").json()
    assert detail["rejected_url"] == f"{API}/imports/{batch.pk}/rejected/"
    response = owner_api.get(detail["rejected_url"])
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body)))[0][0] == "Row"


@pytest.mark.django_db
def test_saved_mappings_list_filter_and_delete(owner_api, merchant, other_merchant):
    orders = ColumnMappingFactory(merchant=merchant, name="Shopify orders")
    ColumnMappingFactory(merchant=merchant, kind="stock", name="WMS stock")
    ColumnMappingFactory(merchant=other_merchant, name="Theirs")
    listed = owner_api.get(f"{API}/import-mappings/").json()
    assert [item["name"] for item in listed["results"]] == ["Shopify orders", "WMS stock"]
    only_stock = owner_api.get(f"{API}/import-mappings/", {"kind": "stock"}).json()
    assert [item["name"] for item in only_stock["results"]] == ["WMS stock"]
    assert owner_api.delete(f"{API}/import-mappings/{orders.pk}/").status_code == 204
    assert not ColumnMapping.objects.filter(pk=orders.pk).exists()


# --- Errors ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content",
    [
        ("empty.csv", b""),
        ("image.csv", b"\x89PNG\r\n\x1a\n" + b"\x00\xff" * 512),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024),
        ("wide.csv", (",".join(f"c{i}" for i in range(10_000)) + "\n").encode()),
    ],
    ids=["empty", "binary", "legacy_excel", "ten_thousand_columns"],
)
def test_an_unreadable_file_is_a_400_invalid_file(owner_api, name, content):
    response = _upload(owner_api, file=upload(name, content))
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_file" and error["message"]
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_limit_is_a_400_file_too_large(owner_api, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    response = _upload(owner_api)
    assert response.status_code == 400
    assert error_of(response)["code"] == "file_too_large"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [{"kind": "planets"}, {"file": None}, {}], ids=["bad_kind", "no_kind", "nothing"]
)
def test_a_bad_kind_or_a_missing_file_is_a_400_invalid(owner_api, data):
    body = {"kind": "orders", "file": sample_upload("taobao_orders.csv"), **data}
    body = {key: value for key, value in body.items() if value is not None}
    if not data:
        body = {"kind": "orders"}
    response = owner_api.post(f"{API}/imports/", body, format="multipart")
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"


@pytest.mark.django_db
def test_a_json_upload_is_a_415(owner_api):
    response = owner_api.post(f"{API}/imports/", {"kind": "orders"}, format="json")
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mapping",
    [
        {"order_number": "订单编号"},
        {**TAOBAO_MAPPING, "sku": "no such column"},
        {**TAOBAO_MAPPING, "colour": "订单状态"},
        {**TAOBAO_MAPPING, "sku": 99},
        {**TAOBAO_MAPPING, "sku": {"column": 1}},
    ],
    ids=["required_missing", "unknown_column", "unknown_field", "index_out_of_range", "object"],
)
def test_a_bad_mapping_is_a_400_invalid_mapping(owner_api, mapping):
    batch_id = _upload(owner_api).json()["id"]
    response = owner_api.post(
        f"{API}/imports/{batch_id}/configure/", {"mapping": mapping}, format="json"
    )
    assert response.status_code == 400, response.content
    assert error_of(response)["code"] in ("invalid_mapping", "invalid")
    assert ImportBatch.objects.get().mapping != mapping


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"mapping": TAOBAO_MAPPING, "mode": "everything"},
        {"mapping": TAOBAO_MAPPING, "options": {"date_order": "YDM"}},
        {"mapping": TAOBAO_MAPPING, "options": {"explode": True}},
        {"mapping": "订单编号"},
        [1, 2],
    ],
    ids=["mode", "date_order", "unknown_option", "mapping_not_an_object", "array"],
)
def test_bad_options_are_a_400_invalid(owner_api, body):
    batch_id = _upload(owner_api).json()["id"]
    response = owner_api.post(f"{API}/imports/{batch_id}/configure/", body, format="json")
    assert response.status_code == 400, response.content
    assert error_of(response)["code"] == "invalid"


@pytest.mark.django_db
def test_starting_twice_or_cancelling_a_finished_import_is_a_409_wrong_state(owner_api, merchant):
    loaded = finished_batch(merchant=merchant)
    for action in ("start", "cancel", "configure"):
        response = owner_api.post(
            f"{API}/imports/{loaded.pk}/{action}/", {"mapping": TAOBAO_MAPPING}, format="json"
        )
        assert response.status_code == 409, action
        assert error_of(response)["code"] == "wrong_state"
    unmapped = ImportBatchFactory(merchant=merchant, mapping={})
    response = owner_api.post(f"{API}/imports/{unmapped.pk}/start/")
    assert response.status_code == 409 and error_of(response)["code"] == "wrong_state"
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_cancelling_an_upload_waiting_for_its_mapping_ends_it(owner_api, merchant):
    batch = ImportBatchFactory(merchant=merchant)
    response = owner_api.post(f"{API}/imports/{batch.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


@pytest.mark.django_db
def test_a_viewer_reads_but_cannot_write(viewer_api, merchant):
    batch = ImportBatchFactory(merchant=merchant)
    mapping = ColumnMappingFactory(merchant=merchant)
    assert viewer_api.get(f"{API}/imports/").status_code == 200
    assert viewer_api.get(f"{API}/imports/{batch.pk}/").status_code == 200
    assert viewer_api.get(f"{API}/import-mappings/").status_code == 200
    refused = [
        _upload(viewer_api),
        viewer_api.post(f"{API}/imports/{batch.pk}/configure/", {"mapping": {}}, format="json"),
        viewer_api.post(f"{API}/imports/{batch.pk}/start/"),
        viewer_api.post(f"{API}/imports/{batch.pk}/cancel/"),
        viewer_api.delete(f"{API}/import-mappings/{mapping.pk}/"),
    ]
    for response in refused:
        assert response.status_code == 403
        assert error_of(response)["code"] == "permission_denied"
    batch.refresh_from_db()
    assert batch.status == ImportStatus.UPLOADED and ColumnMapping.objects.exists()


@pytest.mark.django_db
def test_another_merchants_import_and_mapping_are_404(owner_api, other_merchant):
    theirs = ImportBatchFactory(merchant=other_merchant)
    mapping = ColumnMappingFactory(merchant=other_merchant)
    for url in (
        f"{API}/imports/{theirs.pk}/",
        f"{API}/imports/{theirs.pk}/errors/",
        f"{API}/imports/{theirs.pk}/rejected/",
        f"{API}/import-mappings/{mapping.pk}/",
    ):
        assert owner_api.get(url).status_code == 404, url
    assert owner_api.post(f"{API}/imports/{theirs.pk}/start/").status_code == 404
    assert owner_api.delete(f"{API}/import-mappings/{mapping.pk}/").status_code == 404
    assert reverse("api:import-detail", kwargs={"batch_id": 1}) == f"{API}/imports/1/"

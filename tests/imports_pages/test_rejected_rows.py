"""Load the valid rows and get the rejected ones back: the report lists the problems and
unknown SKUs, and the rejected rows download as a CSV Excel opens (UTF-8 with BOM)."""

import csv
import io

import pytest
from django.urls import reverse

from imports.models import ImportStatus
from products.models import StockLevel

from .support import post_upload, upload

STOCK = (
    "sku,on_hand,inbound\n"
    "DRK-BTL-750-SLV,412,300\n"
    "KIT-PAN-28-GRY,-5,0\n"
    "NOPE-404,7,0\n"
    "ELE-CHG-65W-WHT,=1+1,0\n"
    "HTX-THR-HRB-MUS,640,0\n"
)


@pytest.fixture
def loaded(owner_client, merchant, catalogue, django_capture_on_commit_callbacks):
    file = upload("stock.csv", STOCK.encode())
    response, batch = post_upload(owner_client, kind="stock", file=file)
    data = {
        "action": "start",
        "map_sku": "sku",
        "map_on_hand": "on_hand",
        "map_inbound": "inbound",
        "mode": "valid_rows",
    }
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(response["Location"], data)
    batch.refresh_from_db()
    return batch


@pytest.mark.django_db
def test_valid_rows_load_and_the_report_lists_what_was_rejected(owner_client, merchant, loaded):
    assert loaded.status == ImportStatus.SUCCEEDED, loaded.error_message
    assert (loaded.rows_total, loaded.rows_valid, loaded.rows_rejected) == (5, 2, 3)
    assert StockLevel.objects.filter(merchant=merchant).count() == 2
    text = owner_client.get(reverse("import-detail", kwargs={"batch_id": loaded.pk}))
    text = text.content.decode()
    assert "3 rows were rejected" in text
    assert "NOPE-404" in text  # an unknown SKU
    assert ">4</td>" in text  # the row number of the formula, as the spreadsheet shows it
    assert reverse("import-rejected", kwargs={"batch_id": loaded.pk}) in text


@pytest.mark.django_db
def test_the_rejected_rows_download_as_a_csv_with_their_problems(owner_client, loaded):
    response = owner_client.get(reverse("import-rejected", kwargs={"batch_id": loaded.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="stock-rejected.csv"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Row", "sku", "on_hand", "inbound"]
    assert [row[0] for row in rows[1:]] == ["3", "4", "5"]
    assert rows[1][2] == "-5" and rows[1][-1]
    # The formula comes back neutralised, so opening the CSV cannot run it.
    assert rows[3][2] != "=1+1" and "1+1" in rows[3][2]


@pytest.mark.django_db
def test_an_import_without_rejected_rows_has_no_download(owner_client, merchant):
    from .factories import finished_batch

    batch = finished_batch(merchant=merchant, rejected_rows=0)
    response = owner_client.get(reverse("import-rejected", kwargs={"batch_id": batch.pk}))
    assert response.status_code == 404

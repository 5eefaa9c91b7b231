"""A file whose problem only shows past the part read at upload (a 1 MB cell deep in the
file) ends its import as failed with the reason on the report page: no 500, nothing loaded."""

import pytest
from django.urls import reverse

from imports.models import ImportStatus
from products.models import StockLevel

from .support import mapping_post_data, post_upload, upload


@pytest.mark.django_db
def test_a_huge_cell_past_the_sniffed_sample_fails_the_import_with_its_reason(
    owner_client, merchant, catalogue, django_capture_on_commit_callbacks
):
    rows = b"".join(b"DRK-BTL-750-SLV,%d\n" % index for index in range(60_000))
    content = b"sku,on_hand\n" + rows + b"KIT-PAN-28-GRY," + b"9" * (1 << 20) + b"\n"
    response, batch = post_upload(owner_client, kind="stock", file=upload("stock.csv", content))
    assert response.status_code == 302
    form = owner_client.get(response["Location"]).context["form"]
    with django_capture_on_commit_callbacks(execute=True):
        started = owner_client.post(response["Location"], mapping_post_data(form))
    assert started.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.error_code and batch.error_message
    page = owner_client.get(reverse("import-detail", kwargs={"batch_id": batch.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "The import failed; nothing was loaded." in text
    assert batch.error_code in text
    assert not StockLevel.objects.filter(merchant=merchant).exists()

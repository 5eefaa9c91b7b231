"""A viewer sees imports but no upload, start, cancel or delete control, and a direct POST is
refused with 403 (nothing is stored)."""

import pytest
from django.urls import reverse

from imports.models import ColumnMapping, ImportBatch, ImportStatus

from .factories import ColumnMappingFactory, ImportBatchFactory
from .support import sample_upload


@pytest.fixture
def waiting(merchant):
    return ImportBatchFactory(merchant=merchant)


@pytest.mark.django_db
def test_a_viewer_sees_no_upload_start_or_delete_control(viewer_client, merchant, waiting):
    ColumnMappingFactory(merchant=merchant)
    pages = {
        reverse("import-list"): [reverse("import-new") + '"'],
        reverse("import-new"): ['type="file"', 'enctype="multipart/form-data"'],
        reverse("import-mapping", kwargs={"batch_id": waiting.pk}): [
            'name="action" value="start"',
            "Start the import",
        ],
        reverse("import-detail", kwargs={"batch_id": waiting.pk}): ["Map the columns"],
        reverse("import-mapping-list"): ["/delete/"],
    }
    for url, absent in pages.items():
        text = viewer_client.get(url).content.decode()
        for snippet in absent:
            assert snippet not in text, (url, snippet)


@pytest.mark.django_db
def test_the_owner_does_see_them(owner_client, merchant, waiting):
    assert 'class="btn btn-primary ms-auto" href="/imports/new/"' in (
        owner_client.get(reverse("import-list")).content.decode()
    )
    text = owner_client.get(reverse("import-mapping", kwargs={"batch_id": waiting.pk}))
    assert "Start the import" in text.content.decode()


@pytest.mark.django_db
def test_a_viewers_direct_posts_are_refused(viewer_client, merchant, waiting):
    mapping = ColumnMappingFactory(merchant=merchant)
    upload = viewer_client.post(
        reverse("import-new"), {"kind": "orders", "file": sample_upload("taobao_orders.csv")}
    )
    assert upload.status_code == 403
    mapping_url = reverse("import-mapping", kwargs={"batch_id": waiting.pk})
    assert viewer_client.post(mapping_url, {"action": "start"}).status_code == 403
    assert viewer_client.post(mapping_url, {"action": "resniff"}).status_code == 403
    cancel = viewer_client.post(reverse("import-cancel", kwargs={"batch_id": waiting.pk}))
    assert cancel.status_code == 403
    delete = viewer_client.post(reverse("import-mapping-delete", kwargs={"mapping_id": mapping.pk}))
    assert delete.status_code == 403
    assert ImportBatch.objects.count() == 1
    assert ImportBatch.objects.get().status == ImportStatus.UPLOADED
    assert ColumnMapping.objects.count() == 1

"""A mapping saved on the first upload of an unknown export is offered, pre-filled, for the
next file with the same headers; the list shows it and deleting it forgets it."""

import pytest
from django.urls import reverse

from imports.models import ColumnMapping, ImportStatus, OrderLine

from .support import post_upload, upload

FIRST = (
    "Ref;Item code;Pcs;When\n"
    "ERP-1;DRK-BTL-750-SLV;2;2026-03-02 10:00\n"
    "ERP-2;KIT-PAN-28-GRY;1;2026-03-03 11:30\n"
)
# The same columns, another month (and the header spelled in another case).
SECOND = "ref;ITEM CODE;pcs;when\nERP-3;ELE-CHG-65W-WHT;3;2026-04-01 09:00\n"


def _start(client, batch, data, capture):
    with capture(execute=True):
        return client.post(reverse("import-mapping", kwargs={"batch_id": batch.pk}), data)


@pytest.mark.django_db
def test_a_saved_mapping_is_reused_for_a_file_with_the_same_headers(
    analyst_client, merchant, catalogue, django_capture_on_commit_callbacks
):
    response, first = post_upload(
        analyst_client, kind="orders", file=upload("erp-march.csv", FIRST.encode())
    )
    page = analyst_client.get(response["Location"])
    assert "We did not recognise these headers" in page.content.decode()
    assert page.context["form"].initial["map_sku"] == ""
    data = {
        "action": "start",
        "map_order_number": "Ref",
        "map_sku": "Item code",
        "map_quantity": "Pcs",
        "map_ordered_at": "When",
        "mode": "all_or_nothing",
        "save_mapping_as": "ERP orders",
    }
    started = _start(analyst_client, first, data, django_capture_on_commit_callbacks)
    assert started.status_code == 302, started.content.decode()[:2000]
    first.refresh_from_db()
    assert first.status == ImportStatus.SUCCEEDED, first.error_message
    assert ColumnMapping.objects.get(merchant=merchant).name == "ERP orders"

    response, second = post_upload(
        analyst_client, kind="orders", file=upload("erp-april.csv", SECOND.encode())
    )
    page = analyst_client.get(response["Location"])
    text = page.content.decode()
    assert "Using your saved mapping “ERP orders”" in text
    initial = page.context["form"].initial
    assert (initial["map_order_number"], initial["map_sku"]) == ("ref", "ITEM CODE")
    assert (initial["map_quantity"], initial["map_ordered_at"]) == ("pcs", "when")
    data.update(
        map_order_number="ref", map_sku="ITEM CODE", map_quantity="pcs", map_ordered_at="when"
    )
    data["save_mapping_as"] = ""
    _start(analyst_client, second, data, django_capture_on_commit_callbacks)
    second.refresh_from_db()
    assert second.status == ImportStatus.SUCCEEDED, second.error_message
    assert OrderLine.objects.filter(merchant=merchant).count() == 3


@pytest.mark.django_db
def test_the_saved_mappings_page_lists_and_deletes_them(owner_client, merchant):
    from .factories import ColumnMappingFactory

    mapping = ColumnMappingFactory(merchant=merchant, name="Tmall stock")
    text = owner_client.get(reverse("import-mapping-list")).content.decode()
    assert "Tmall stock" in text
    response = owner_client.post(
        reverse("import-mapping-delete", kwargs={"mapping_id": mapping.pk})
    )
    assert response.status_code == 302
    assert not ColumnMapping.objects.exists()
    followed = owner_client.get(response["Location"]).content.decode()
    assert "The mapping “Tmall stock” was deleted." in followed

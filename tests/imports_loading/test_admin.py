"""The imports admin shows imports (with their row errors) and order lines read-only."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from imports.models import ImportMode, OrderLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-123-xyz")
    client.force_login(admin)
    return client


def test_imports_and_order_lines_are_shown_read_only(admin_client, merchant, catalog, run_import):
    batch = run_import(
        merchant,
        "orders",
        "order_number,sku,quantity,amount,ordered_at\n"
        "1,BTL-750,2,59.90,2026-03-02 10:00\n"
        "2,PAN-28,-3,43.95,2026-03-02 11:00\n",
        mode=ImportMode.VALID_ROWS,
    )
    line = OrderLine.objects.get()

    for name, obj in (("importbatch", batch), ("orderline", line)):
        assert admin_client.get(reverse(f"admin:imports_{name}_changelist")).status_code == 200
        detail = admin_client.get(reverse(f"admin:imports_{name}_change", args=[obj.pk]))
        assert detail.status_code == 200
        assert b'name="_save"' not in detail.content
        assert admin_client.get(reverse(f"admin:imports_{name}_add")).status_code == 403
    detail = admin_client.get(reverse("admin:imports_importbatch_change", args=[batch.pk]))
    assert b"quantity" in detail.content  # the row error inline

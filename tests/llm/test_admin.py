"""Generation logs are visible, filterable and read-only in the admin."""

import pytest
from django.contrib.auth import get_user_model

from core import llm
from core.models import GenerationLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-123")
    client.force_login(user)
    return client


def test_the_admin_lists_filters_and_shows_a_log_read_only(admin_client, merchant, fake_backend):
    llm.generate("hello", merchant=merchant, purpose="description", prompt_version="desc-v3")
    log = GenerationLog.objects.get()

    listing = admin_client.get("/admin/core/generationlog/", {"q": "desc-v3", "status": "ok"})
    detail = admin_client.get(f"/admin/core/generationlog/{log.pk}/change/")
    add = admin_client.get("/admin/core/generationlog/add/")

    assert listing.status_code == 200
    assert "desc-v3" in listing.content.decode()
    assert detail.status_code == 200
    assert 'name="prompt_version"' not in detail.content.decode()  # shown, not editable
    assert add.status_code == 403

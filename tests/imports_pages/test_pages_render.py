"""Every import page renders for every role, with the upload and start controls only for the
roles that may import data."""

import pytest
from django.urls import reverse

from imports.samples import SAMPLES

from .factories import ColumnMappingFactory, ImportBatchFactory, finished_batch

ROLES = ["owner_client", "manager_client", "analyst_client", "viewer_client"]


@pytest.fixture
def imports(merchant, owner):
    waiting = ImportBatchFactory(merchant=merchant, created_by=owner)
    done = finished_batch(merchant=merchant, created_by=owner)
    ColumnMappingFactory(merchant=merchant, name="Taobao orders")
    return waiting, done


def _pages(waiting, done) -> list[str]:
    return [
        reverse("import-list"),
        reverse("import-new"),
        reverse("import-mapping-list"),
        reverse("import-mapping", kwargs={"batch_id": waiting.pk}),
        reverse("import-detail", kwargs={"batch_id": waiting.pk}),
        reverse("import-detail", kwargs={"batch_id": done.pk}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_import_page_renders_for_every_role(request, role, imports):
    client = request.getfixturevalue(role)
    for url in _pages(*imports):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_sample_file_downloads_for_every_role(request, role):
    client = request.getfixturevalue(role)
    for sample in SAMPLES:
        response = client.get(reverse(f"import-sample-{sample.slug}"))
        assert response.status_code == 200
        assert sample.filename in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == sample.path.read_bytes()


@pytest.mark.django_db
def test_the_list_shows_each_import_with_its_counts_and_who_uploaded_it(owner_client, imports):
    waiting, done = imports
    text = owner_client.get(reverse("import-list")).content.decode()
    assert waiting.original_name in text and done.original_name in text
    assert "Waiting for column mapping" in text and "Loaded" in text
    assert "alice" in text
    assert reverse("import-new") in text


@pytest.mark.django_db
def test_a_finished_import_reports_its_rows_problems_and_rejected_download(owner_client, imports):
    _waiting, done = imports
    text = owner_client.get(reverse("import-detail", kwargs={"batch_id": done.pk})).content
    text = text.decode()
    assert "Row 3, quantity" in text
    assert reverse("import-rejected", kwargs={"batch_id": done.pk}) in text
    assert "2 rows were rejected" in text


@pytest.mark.django_db
def test_the_mapping_page_marks_required_fields_and_labels_every_select(owner_client, imports):
    waiting, _done = imports
    response = owner_client.get(reverse("import-mapping", kwargs={"batch_id": waiting.pk}))
    form = response.context["form"]
    text = response.content.decode()
    for bound in form.mapping_fields():
        assert f'for="{bound.id_for_label}"' in text
    assert text.count("(required)") == sum(1 for f in form.mapping_fields() if f.field.required)
    assert "order_number" in text  # the preview's header row


@pytest.mark.django_db
def test_a_page_of_another_merchants_import_is_a_404(owner_client, other_merchant):
    theirs = ImportBatchFactory(merchant=other_merchant)
    for name in ("import-detail", "import-mapping", "import-rejected"):
        response = owner_client.get(reverse(name, kwargs={"batch_id": theirs.pk}))
        assert response.status_code == 404, name

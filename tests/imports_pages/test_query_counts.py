"""The import list (page and API) runs the same number of queries for 3 imports as for 20."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs.models import Job, JobKind, JobStatus
from tests.api.support import query_count
from tests.factories import UserFactory

from .factories import ImportBatchFactory, finished_batch


def _add_imports(merchant, count: int) -> None:
    for index in range(count):
        user = UserFactory()
        job = Job.objects.create(
            merchant=merchant,
            kind=JobKind.IMPORT,
            title=f"Import {index}",
            task_name="imports.tasks.import_run",
            status=JobStatus.SUCCEEDED,
            started_by=user,
        )
        if index % 2:
            finished_batch(merchant=merchant, created_by=user, job=job)
        else:
            ImportBatchFactory(merchant=merchant, created_by=user)


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("import-list"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_import_list_page_does_not_grow_with_its_rows(owner_client, merchant):
    _add_imports(merchant, 3)
    few = _page_queries(owner_client)
    _add_imports(merchant, 17)
    assert _page_queries(owner_client) == few


@pytest.mark.django_db
def test_the_import_list_api_does_not_grow_with_the_page_size(owner_api, merchant):
    _add_imports(merchant, 20)
    url = reverse("api:import-list")
    small = query_count(owner_api, url, page_size=3)
    assert small == query_count(owner_api, url, page_size=20)
    assert small <= 6  # session, user, membership, count, page


@pytest.mark.django_db
def test_the_saved_mappings_api_takes_a_handful_of_queries(owner_api, merchant):
    from .factories import ColumnMappingFactory

    for index in range(10):
        ColumnMappingFactory(merchant=merchant, name=f"Mapping {index}")
    assert query_count(owner_api, reverse("api:import-mapping-list")) <= 6

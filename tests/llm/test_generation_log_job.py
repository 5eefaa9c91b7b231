"""A generation made for a job is linked to it; the link survives neither deletion nor edits."""

import pytest
from django.contrib.auth import get_user_model

from core import llm
from core.llm.records import generation_log_list
from core.models import GenerationLog
from jobs.models import Job, JobKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(merchant):
    return Job.objects.create(
        merchant=merchant, kind=JobKind.CONTENT_BULK, title="Bulk descriptions", task_name="x"
    )


def test_generate_with_a_job_id_links_the_log_row_to_the_job(merchant, job, fake_backend):
    result = llm.generate("hello", merchant=merchant, purpose="description", job_id=job.pk)

    log = GenerationLog.objects.get()
    assert log.job == job
    assert result.log_id == log.pk
    assert list(job.generation_logs.all()) == [log]


def test_a_batch_links_every_row_even_the_failed_ones(merchant, job):
    def responder(request):
        if request.prompt == "bad":
            raise llm.LLMBadRequestError("no")
        return "ok"

    with llm.use_backend(llm.FakeBackend(responder=responder)):
        results = llm.generate_batch(
            ["good", "bad"], merchant=merchant, purpose="x", job_id=job.pk, return_exceptions=True
        )

    assert isinstance(results[1], llm.LLMBadRequestError)
    assert job.generation_logs.count() == 2
    assert results[0].log_id in set(job.generation_logs.values_list("pk", flat=True))


def test_without_a_job_the_row_has_none(merchant, fake_backend):
    llm.generate("hello", merchant=merchant, purpose="description")

    assert GenerationLog.objects.get().job is None


def test_deleting_the_job_keeps_its_logs(merchant, job, fake_backend):
    llm.generate("hello", merchant=merchant, purpose="description", job_id=job.pk)

    job.delete()

    assert GenerationLog.objects.get().job_id is None


def test_the_job_page_reads_only_that_jobs_logs(merchant, job, fake_backend):
    llm.generate("one", merchant=merchant, purpose="description", job_id=job.pk)
    llm.generate("two", merchant=merchant, purpose="description")

    logs = generation_log_list(merchant=merchant, job_id=job.pk)

    assert [log.prompt for log in logs] == ["one"]


def test_the_admin_filters_logs_by_job(client, merchant, job, fake_backend):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-123")
    client.force_login(admin)
    llm.generate("for the job", merchant=merchant, purpose="description", job_id=job.pk)
    llm.generate("no job", merchant=merchant, purpose="description")
    log = GenerationLog.objects.get(job=job)

    by_job = client.get("/admin/core/generationlog/", {"job__id__exact": job.pk})
    without = client.get("/admin/core/generationlog/", {"job__isempty": "1"})
    detail = client.get(f"/admin/core/generationlog/{log.pk}/change/")

    assert by_job.status_code == 200
    assert by_job.context["cl"].result_count == 1
    assert without.context["cl"].result_count == 1
    assert detail.status_code == 200
    assert "Bulk descriptions" in detail.content.decode()

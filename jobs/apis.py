"""Jobs API: follow, cancel and restart the merchant's background jobs."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from accounts.permissions import VIEW
from core.api.errors import ApiError
from core.api.views import ApiView, MerchantScopedMixin

from .filters import JobFilter
from .models import Job
from .permissions import job_can_manage
from .serializers import JobOutputSerializer
from .services import JobStateError, job_cancel, job_retry

JOBS = ["jobs"]
CONFLICT = OpenApiResponse(description="The job's state does not allow this (`conflict`).")


def _merchant_jobs(merchant):
    return Job.objects.for_merchant(merchant).select_related("started_by")


class JobListApi(MerchantScopedMixin, ApiView):
    """The merchant's jobs, newest first.

    Filters: `kind`, `status`, `active` (true/false). Page-number pagination: `page`,
    `page_size` (default 50, at most 500).
    """

    queryset = Job.objects.none()
    serializer_class = JobOutputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = JobFilter

    def get_merchant_queryset(self):
        return _merchant_jobs(self.merchant).order_by("-created_at", "-pk")

    @extend_schema(summary="List jobs", tags=JOBS, responses=JobOutputSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class JobDetailApi(MerchantScopedMixin, ApiView):
    """One job: status, progress (`progress_done` of `progress_total`, `percent`, `message`),
    timings, result summary and link, error. Poll it to follow a job."""

    queryset = Job.objects.none()
    serializer_class = JobOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "job_id"

    def get_merchant_queryset(self):
        return _merchant_jobs(self.merchant)

    @extend_schema(summary="Get a job", tags=JOBS)
    def get(self, request, job_id: int):
        return Response(self.get_serializer(self.get_object()).data)


class _JobActionApi(MerchantScopedMixin, ApiView):
    queryset = Job.objects.none()
    serializer_class = JobOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "job_id"
    # Any member passes the generic check; the job's own rule (its kind's permission, or
    # being its starter) is checked on the object.
    write_action = VIEW

    def get_merchant_queryset(self):
        return _merchant_jobs(self.merchant)

    def managed_job(self) -> Job:
        """The job of the URL (404 for another merchant's) if this user may act on it."""
        job = self.get_object()
        role = self.request.membership.role
        if not job_can_manage(job=job, user=self.request.user, role=role):
            raise exceptions.PermissionDenied(_("Your role does not allow this action."))
        return job


class JobCancelApi(_JobActionApi):
    @extend_schema(
        summary="Cancel a job",
        description="A queued job is cancelled at once; a running one stops at its next "
        "progress report (`cancel_requested` is true until then). Needs the permission that "
        "starting this kind of job needs, or having started it; a finished job is a 409.",
        tags=JOBS,
        request=None,
        responses={200: JobOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, job_id: int):
        job = self.managed_job()
        try:
            job = job_cancel(job=job)
        except JobStateError as exc:
            raise ApiError("conflict", str(exc), status.HTTP_409_CONFLICT) from exc
        return Response(self.get_serializer(job).data)


class JobRetryApi(_JobActionApi):
    @extend_schema(
        summary="Run a job again",
        description="Starts a failed or cancelled job again as a new job with the same "
        "arguments and returns the new job (201). Other states are a 409.",
        tags=JOBS,
        request=None,
        responses={201: JobOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, job_id: int):
        job = self.managed_job()
        try:
            new_job = job_retry(job=job, started_by=request.user)
        except JobStateError as exc:
            raise ApiError("conflict", str(exc), status.HTTP_409_CONFLICT) from exc
        new_job.refresh_from_db()
        return Response(self.get_serializer(new_job).data, status=status.HTTP_201_CREATED)

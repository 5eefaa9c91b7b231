"""API output of jobs (jobs are started by the endpoints of the work they do, not here)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Job


class JobOutputSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    started_by = serializers.SerializerMethodField(
        help_text=_("Username of who started the job; null for the system.")
    )
    percent = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("0–100; null while the total is not known."),
    )
    message = serializers.CharField(source="progress_message", read_only=True)
    duration_seconds = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text=_("From the first start to the end (or to now while unfinished)."),
    )
    waiting_for_queue = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "The task queue was unreachable when the job was sent; it is sent once it is back."
        ),
    )
    page_url = serializers.SerializerMethodField(help_text=_("The job's page in the portal."))

    class Meta:
        model = Job
        fields = [
            "id",
            "uuid",
            "kind",
            "kind_label",
            "title",
            "status",
            "status_label",
            "started_by",
            "progress_done",
            "progress_total",
            "percent",
            "message",
            "cancel_requested",
            "waiting_for_queue",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
            "duration_seconds",
            "result",
            "result_url",
            "error_code",
            "error",
            "page_url",
        ]
        read_only_fields = fields

    def get_started_by(self, job: Job) -> str | None:
        return job.started_by.get_username() if job.started_by else None

    def get_page_url(self, job: Job) -> str:
        return reverse("job-detail", kwargs={"job_id": job.pk})

"""A `Job`: one user-visible piece of background work and all a user wants to know of it.

Celery knows messages; users know jobs. Each job row is written by `jobs.services` only: the
view that starts the work creates it, the task moves it through its states, the sweeper ends
what a dead worker left behind.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class JobKind(models.TextChoices):
    IMPORT = "import", _("Import")
    CONTENT_GENERATE = "content_generate", _("Content generation")
    CONTENT_BULK = "content_bulk", _("Bulk content generation")
    FORECAST_RUN = "forecast_run", _("Forecast run")
    REVIEW_BACKFILL = "review_backfill", _("Review analysis")
    REVIEW_SUMMARY = "review_summary", _("Review summary")
    REVIEW_REPLY = "review_reply", _("Review reply draft")
    CRISIS_SCAN = "crisis_scan", _("Crisis scan")
    CRISIS_PLAYBOOK = "crisis_playbook", _("Crisis playbook")
    EXPORT = "export", _("Export")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED_STATUSES = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


class JobQuerySet(models.QuerySet):
    def for_merchant(self, merchant):
        return self.filter(merchant=merchant)

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)


class Job(TimeStampedModel):
    uuid = models.UUIDField(_("task id"), default=uuid.uuid4, unique=True, editable=False)
    merchant = models.ForeignKey(
        "accounts.Merchant",
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name=_("merchant"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=JobKind.choices)
    title = models.CharField(_("title"), max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    # What to send to the broker: kept so a job can be (re)sent when the broker is back or
    # its worker died. Tasks take ids and plain JSON only.
    task_name = models.CharField(_("task"), max_length=200)
    task_kwargs = models.JSONField(_("task arguments"), default=dict, blank=True)
    queue = models.CharField(_("queue"), max_length=32, default="default")
    idempotent = models.BooleanField(
        _("safe to re-run"),
        default=True,
        help_text=_("Whether the sweeper may send the job again after its worker died."),
    )
    celery_task_id = models.CharField(_("Celery task id"), max_length=80, blank=True)
    enqueued_at = models.DateTimeField(_("sent to the queue"), null=True, blank=True)
    enqueue_error = models.CharField(_("last queue error"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    progress_message = models.CharField(_("progress message"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    result = models.JSONField(_("result summary"), default=dict, blank=True)
    result_url = models.CharField(_("result link"), max_length=500, blank=True)
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["merchant", "-created_at"], name="job_merchant_recent"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_total__isnull=True)
                | Q(progress_done__lte=models.F("progress_total")),
                name="job_progress_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def percent(self) -> int | None:
        """Whole-number progress for a progress bar; None when the total is not known yet."""
        if not self.progress_total:
            return 100 if self.status == JobStatus.SUCCEEDED else None
        return min(100, int(100 * self.progress_done / self.progress_total))

    @property
    def duration_seconds(self) -> float | None:
        """Seconds from the first start to the end, or to now while the job is unfinished."""
        if not self.started_at:
            return None
        end = self.finished_at or timezone.now()
        return max(0.0, (end - self.started_at).total_seconds())

    @property
    def waiting_for_queue(self) -> bool:
        """Queued, but the broker was unreachable when it was sent: it goes out once it is
        back (`jobs_dispatch_pending`)."""
        return self.status == JobStatus.QUEUED and not self.enqueued_at and bool(self.enqueue_error)

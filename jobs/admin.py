from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Job, JobStatus
from .selectors import job_generation_logs_supported
from .services import JobStateError, job_cancel, job_resend, job_retry

TIMING_FIELDS = ["created_at", "enqueued_at", "started_at", "heartbeat_at", "finished_at"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "merchant",
        "kind",
        "status",
        "progress",
        "attempts",
        "started_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["merchant", "kind", "status", "error_code"]
    search_fields = ["title", "uuid", "celery_task_id", "error", "started_by__username"]
    list_select_related = ["merchant", "started_by"]
    date_hierarchy = "created_at"
    actions = ["cancel_jobs", "send_again"]
    # Rows are written by jobs.services only; the admin shows them and offers the two actions.
    readonly_fields = [
        "uuid",
        "merchant",
        "kind",
        "title",
        "started_by",
        "status",
        "task_name",
        "task_kwargs",
        "queue",
        "idempotent",
        "celery_task_id",
        "enqueue_error",
        "attempts",
        "progress_done",
        "progress_total",
        "progress_message",
        "cancel_requested",
        "result",
        "result_url",
        "error_code",
        "error",
        *TIMING_FIELDS,
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["uuid", "merchant", "kind", "title", "started_by", "status"]}),
        (
            _("Progress"),
            {"fields": ["progress_done", "progress_total", "progress_message", "cancel_requested"]},
        ),
        (_("Timings"), {"fields": [*TIMING_FIELDS, "updated_at"]}),
        (_("Outcome"), {"fields": ["result", "result_url", "error_code", "error"]}),
        (
            _("Task"),
            {
                "fields": [
                    "task_name",
                    "task_kwargs",
                    "queue",
                    "idempotent",
                    "celery_task_id",
                    "attempts",
                    "enqueue_error",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("progress"))
    def progress(self, job: Job) -> str:
        if job.progress_total is None:
            return str(job.progress_done) if job.progress_done else "—"
        return f"{job.progress_done} / {job.progress_total}"

    @admin.action(description=_("Cancel the selected jobs"), permissions=["change"])
    def cancel_jobs(self, request, queryset):
        changed = 0
        for job in queryset.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]):
            try:
                job_cancel(job=job)
            except JobStateError:
                continue  # finished meanwhile
            changed += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d job cancelled or asked to stop.",
                "%(count)d jobs cancelled or asked to stop.",
                changed,
            )
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Send the selected jobs again (queued: resend; ended: as a new job)"),
        permissions=["change"],
    )
    def send_again(self, request, queryset):
        resent = restarted = unsent = 0
        for job in queryset.select_related("merchant", "started_by"):
            if job.status == JobStatus.QUEUED:
                if job_resend(job=job):
                    resent += 1
                else:
                    unsent += 1
            elif job.status in (JobStatus.FAILED, JobStatus.CANCELLED):
                job_retry(job=job)
                restarted += 1
        self.message_user(
            request,
            _(
                "Sent again: %(resent)d; started as new jobs: %(restarted)d; "
                "not sent (queue unreachable or job changed): %(unsent)d."
            )
            % {"resent": resent, "restarted": restarted, "unsent": unsent},
            messages.WARNING if unsent else messages.SUCCESS,
        )


if job_generation_logs_supported():
    from core.models import GenerationLog

    class GenerationLogInline(admin.TabularInline):
        model = GenerationLog
        fk_name = "job"
        extra = 0
        can_delete = False
        show_change_link = True
        fields = [
            "created_at",
            "model",
            "purpose",
            "prompt_version",
            "prompt_tokens",
            "output_tokens",
            "latency_ms",
            "status",
            "error_code",
        ]
        readonly_fields = fields

        def has_add_permission(self, request, obj=None):
            return False

    JobAdmin.inlines = [GenerationLogInline]

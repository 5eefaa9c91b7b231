"""Writing and reading GenerationLog rows: the record every language-model call leaves."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import QuerySet

from core.models import GenerationLog

from .base import GenerationRequest, GenerationResult

logger = logging.getLogger(__name__)


def generation_log_create(
    *,
    request: GenerationRequest,
    outcome: GenerationResult | BaseException,
    backend: str,
    model: str,
    merchant=None,
    purpose: str,
    prompt_version: str = "",
    latency_ms: int = 0,
    job_id: int | None = None,
) -> GenerationLog | None:
    """Record one call. A failure to record is logged and swallowed: it must never replace the
    generation's own result or error."""
    fields = {
        "merchant": merchant,
        "job_id": job_id,
        "backend": backend,
        "model": model[:255],
        "purpose": purpose[:64],
        "prompt_version": prompt_version[:64],
        "parameters": request.params.as_json(),
        "prompt": request.prompt_text(),
    }
    if isinstance(outcome, GenerationResult):
        fields.update(
            model=(outcome.model or model)[:255],
            output=outcome.text,
            prompt_tokens=outcome.prompt_tokens,
            output_tokens=outcome.output_tokens,
            latency_ms=outcome.latency_ms,
            status=GenerationLog.Status.OK,
        )
    else:
        fields.update(
            latency_ms=latency_ms,
            status=GenerationLog.Status.ERROR,
            error_code=getattr(outcome, "code", "") or type(outcome).__name__,
            error=f"{type(outcome).__name__}: {outcome}",
        )
    try:
        # A savepoint: on PostgreSQL a failed INSERT would otherwise poison the caller's
        # transaction, turning a logging problem into theirs.
        with transaction.atomic():
            return GenerationLog.objects.create(**fields)
    except Exception:
        logger.exception("Could not record a %s generation (%s)", purpose, fields["status"])
        return None


def generation_log_list(
    *, merchant, purpose: str | None = None, job_id: int | None = None
) -> QuerySet[GenerationLog]:
    """The merchant's generation logs, newest first (never another merchant's); `job_id`
    narrows them to one job's calls (the job page)."""
    logs = GenerationLog.objects.filter(merchant=merchant)
    if purpose:
        logs = logs.filter(purpose=purpose)
    if job_id is not None:
        logs = logs.filter(job_id=job_id)
    return logs.order_by("-created_at", "-id")

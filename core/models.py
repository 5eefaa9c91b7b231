from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class GenerationLog(TimeStampedModel):
    """One call to a language model, successful or not: what was asked, of whom, and how it went.

    Written by `core.llm` for every generation; never edited afterwards.
    """

    class Status(models.TextChoices):
        OK = "ok", _("ok")
        ERROR = "error", _("error")

    merchant = models.ForeignKey(
        "accounts.Merchant",
        verbose_name=_("merchant"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="generation_logs",
    )
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("job"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="generation_logs",
    )
    backend = models.CharField(_("backend"), max_length=20)
    model = models.CharField(_("model"), max_length=255)
    purpose = models.CharField(_("purpose"), max_length=64, db_index=True)
    prompt_version = models.CharField(_("prompt version"), max_length=64, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    prompt = models.TextField(_("prompt"), blank=True)
    output = models.TextField(_("output"), blank=True)
    prompt_tokens = models.PositiveIntegerField(_("prompt tokens"), null=True, blank=True)
    output_tokens = models.PositiveIntegerField(_("output tokens"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("generation log")
        verbose_name_plural = _("generation logs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["merchant", "-created_at"], name="genlog_merchant_recent")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.prompt_version} {self.model} ({self.status})"

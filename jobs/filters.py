"""Query-string filters of the jobs API list."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Job, JobKind, JobStatus


class JobFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=JobKind.choices, help_text=_("Kind of job."))
    status = django_filters.ChoiceFilter(choices=JobStatus.choices, help_text=_("Status."))
    active = django_filters.BooleanFilter(
        method="filter_active", help_text=_("true: only queued or running jobs; false: finished.")
    )

    class Meta:
        model = Job
        fields = ["kind", "status"]

    def filter_active(self, queryset, name, value):
        return queryset.active() if value else queryset.exclude(pk__in=queryset.active())

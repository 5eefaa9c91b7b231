"""Factories of the jobs tests."""

import factory

from jobs.models import Job, JobKind, JobStatus
from tests.factories import MerchantFactory


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    merchant = factory.SubFactory(MerchantFactory)
    kind = JobKind.IMPORT
    title = factory.Sequence(lambda n: f"Import of catalog file {n}")
    status = JobStatus.QUEUED
    task_name = "tests.jobs.count_items"
    task_kwargs = factory.LazyFunction(lambda: {"items": 3})
    queue = "default"

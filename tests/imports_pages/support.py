"""Helpers of the import pages tests: sample files as uploads, and running an import."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportBatch
from imports.samples import SAMPLES_BY_NAME


def sample_bytes(filename: str) -> bytes:
    return SAMPLES_BY_NAME[filename].path.read_bytes()


def upload(name: str, content: bytes, content_type: str = "text/csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def sample_upload(filename: str) -> SimpleUploadedFile:
    return upload(filename, sample_bytes(filename))


def post_upload(client, *, kind: str, file) -> tuple:
    """Upload through the page; (response, the new import or None)."""
    before = set(ImportBatch.objects.values_list("pk", flat=True))
    response = client.post(reverse("import-new"), {"kind": kind, "file": file})
    created = ImportBatch.objects.exclude(pk__in=before).first()
    return response, created


def mapping_post_data(form) -> dict:
    """The mapping page's form as a browser submits it with the pre-filled choices."""
    data = {"action": "start"}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        data[name] = value
    return data

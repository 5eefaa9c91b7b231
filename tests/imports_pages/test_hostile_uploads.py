"""Hostile and broken files get a clear error on the upload form: never a 500, and nothing is
kept (no import row, no stored file)."""

import io
import os
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from imports.models import ImportBatch

from .support import upload


def _xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["sku", "on_hand"])
    for index in range(200):
        sheet.append([f"SKU-{index}", index])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """An "xlsx" whose sheet part inflates a thousandfold (5 MB of zeros)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 << 20))
    return buffer.getvalue()


HOSTILE = {
    "empty": ("empty.csv", b""),
    "binary": ("photo.csv", b"\x89PNG\r\n\x1a\n" + os.urandom(2048)),
    "legacy_excel": ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096),
    "zip_bomb": ("bomb.xlsx", _zip_bomb()),
    "truncated_xlsx": ("cut.xlsx", _xlsx_bytes()[:1500]),
    "ten_thousand_columns": (
        "wide.csv",
        (",".join(f"c{i}" for i in range(10_000)) + "\n" + ",".join("1" * 10_000) + "\n").encode(),
    ),
    "one_megabyte_cell_in_the_preview": ("big.csv", b"sku,on_hand\nA-1," + b"x" * (70_000) + b"\n"),
    "unclosed_quote": ("quote.csv", b'sku,on_hand\n"A-1,4\nB-2,5\nC-3,6\n'),
    "html_page": ("page.csv", b"<!DOCTYPE html><html><body><table></table></body></html>"),
    "undecodable": ("latin.csv", bytes(range(128, 256)) * 40),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_file_is_a_form_error_and_nothing_is_kept(owner_client, settings, case):
    name, content = HOSTILE[case]
    response = owner_client.post(
        reverse("import-new"), {"kind": "stock", "file": upload(name, content)}
    )
    assert response.status_code == 400, case
    form = response.context["form"]
    assert form.errors, case
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert not ImportBatch.objects.exists()
    media = settings.MEDIA_ROOT / "imports"
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*")), case


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(owner_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    response = owner_client.post(
        reverse("import-new"), {"kind": "stock", "file": upload("big.csv", b"sku,on_hand\n" * 200)}
    )
    assert response.status_code == 400
    assert "Up to 1.0\xa0KB." in response.content.decode()  # the limit, next to the field
    assert response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [{}, {"kind": "stock"}, {"kind": "planets", "file": None}, {"kind": ""}],
    ids=["nothing", "no_file", "unknown_kind", "blank_kind"],
)
def test_a_missing_file_or_kind_is_a_form_error(owner_client, data):
    if "file" in data:
        data = {**data, "file": upload("ok.csv", b"sku,on_hand\nA,1\n")}
    response = owner_client.post(reverse("import-new"), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not ImportBatch.objects.exists()

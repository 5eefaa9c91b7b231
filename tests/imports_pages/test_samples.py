"""The sample files: small, in the encodings they claim, recognised without manual mapping,
naming demo-store SKUs, and each one loads cleanly into a store that sells those SKUs."""

import codecs

import pytest
from django.urls import reverse

from core.demo.catalog import catalog_build
from core.demo.seed import DEFAULT_DAYS, DEFAULT_PRODUCTS, DEFAULT_SEED
from imports.models import ImportStatus
from imports.parsing import FIELDS, sniff, suggest_mapping
from imports.samples import SAMPLES

from .conftest import SAMPLE_SKUS
from .support import mapping_post_data, post_upload, sample_upload


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda sample: sample.filename)
def test_a_sample_is_small_and_maps_every_required_field_by_itself(sample):
    content = sample.path.read_bytes()
    assert len(content) < 8_000
    if sample.encoding == "UTF-8 BOM":
        assert content.startswith(codecs.BOM_UTF8)
    elif sample.encoding == "GBK":
        content.decode("gbk")
        assert not content.startswith(codecs.BOM_UTF8)
    info = sniff(sample.path, filename=sample.filename)
    preset, mapping = suggest_mapping(sample.kind, info.headers)
    required = {field.name for field in FIELDS[sample.kind] if field.required}
    assert required <= set(mapping), (preset, mapping)
    expected = {"shopify_orders.csv": "shopify", "taobao_orders.csv": "taobao"}
    assert preset == expected.get(sample.filename, "generic")


def test_the_samples_name_skus_of_the_demo_store():
    demo = {
        spec.sku
        for spec in catalog_build(
            count=DEFAULT_PRODUCTS, seed=DEFAULT_SEED, horizon_days=DEFAULT_DAYS
        )
    }
    assert set(SAMPLE_SKUS) <= demo


@pytest.mark.django_db
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda sample: sample.filename)
def test_each_sample_loads_without_a_rejected_row(
    owner_client, merchant, catalogue, sample, django_capture_on_commit_callbacks
):
    response, batch = post_upload(
        owner_client, kind=sample.kind, file=sample_upload(sample.filename)
    )
    assert response.status_code == 302
    form = owner_client.get(response["Location"]).context["form"]
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            reverse("import-mapping", kwargs={"batch_id": batch.pk}), mapping_post_data(form)
        )
    batch.refresh_from_db()
    assert batch.status == ImportStatus.SUCCEEDED, batch.error_message
    assert batch.rows_rejected == 0 and batch.rows_valid == batch.rows_total > 0

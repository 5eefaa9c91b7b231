"""A Taobao-style orders export in GBK with Chinese headers, through the pages: upload, the
mapping pre-filled from the preset, start, and the report once the job has run."""

import pytest
from django.urls import reverse

from forecasting.models import DailySales
from imports.models import ImportBatch, ImportStatus, OrderLine
from jobs.models import Job, JobStatus

from .support import mapping_post_data, post_upload, sample_upload


@pytest.mark.django_db
def test_a_gbk_taobao_export_maps_itself_loads_and_reports(
    analyst_client, merchant, catalogue, django_capture_on_commit_callbacks
):
    response, batch = post_upload(
        analyst_client, kind="orders", file=sample_upload("taobao_orders.csv")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("import-mapping", kwargs={"batch_id": batch.pk})
    assert batch.encoding.lower() in ("gb18030", "gbk")
    assert batch.preset == "taobao"

    page = analyst_client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "订单编号" in text and "Taobao" in text
    form = page.context["form"]
    assert form.initial["map_order_number"] == "订单编号"
    assert form.initial["map_sku"] == "商品编码"
    assert form.initial["map_quantity"] == "购买数量"
    assert form.initial["map_amount"] == "实付金额"
    assert form.initial["map_ordered_at"] == "订单创建时间"
    assert form.initial["map_status"] == "订单状态"
    assert form.initial["map_refunded_amount"] == "退款金额"

    with django_capture_on_commit_callbacks(execute=True):
        started = analyst_client.post(response["Location"], mapping_post_data(form))
    assert started.status_code == 302, started.content.decode()[:3000]
    assert started["Location"] == reverse("import-detail", kwargs={"batch_id": batch.pk})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.SUCCEEDED, (batch.error_code, batch.error_message)
    assert batch.rows_total == 9 and batch.rows_rejected == 0
    assert OrderLine.objects.filter(merchant=merchant).count() == 9
    assert DailySales.objects.filter(merchant=merchant).exists()
    assert Job.objects.get(pk=batch.job_id).status == JobStatus.SUCCEEDED

    report = analyst_client.get(started["Location"])
    text = report.content.decode()
    assert report.status_code == 200
    assert "Loaded: 9 created, 0 updated, 0 unchanged." in text
    days = DailySales.objects.filter(merchant=merchant).count()
    assert report.context["daily_sales"]["recomputed"] == days
    assert "Daily sales figures recomputed" in text
    assert reverse("job-detail", kwargs={"job_id": batch.job_id}) in text
    assert ImportBatch.objects.filter(merchant=merchant).count() == 1


@pytest.mark.django_db
def test_importing_the_same_export_again_changes_nothing(
    analyst_client, merchant, catalogue, django_capture_on_commit_callbacks
):
    batches = []
    for _attempt in range(2):
        response, batch = post_upload(
            analyst_client, kind="orders", file=sample_upload("taobao_orders.csv")
        )
        form = analyst_client.get(response["Location"]).context["form"]
        with django_capture_on_commit_callbacks(execute=True):
            analyst_client.post(response["Location"], mapping_post_data(form))
        batch.refresh_from_db()
        batches.append(batch)
    first, second = batches
    assert (first.rows_created, first.rows_unchanged) == (9, 0)
    assert (second.rows_created, second.rows_updated, second.rows_unchanged) == (0, 0, 9)
    assert OrderLine.objects.filter(merchant=merchant).count() == 9
    text = analyst_client.get(reverse("import-detail", kwargs={"batch_id": second.pk}))
    assert "Loaded: 0 created, 0 updated, 9 unchanged." in text.content.decode()

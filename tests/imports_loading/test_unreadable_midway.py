"""A file that stops being readable half-way fails with the parser's reason; nothing loads,
even of the rows read before the break, in either mode."""

import pytest

from imports.models import ImportMode, ImportStatus, OrderLine
from jobs.models import JobStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("mode", ImportMode.values)
def test_a_broken_quote_far_into_the_file_fails_the_import_and_loads_nothing(
    merchant, catalog, run_import, mode, settings
):
    settings.IMPORT_BATCH_ROWS = 100  # several batches are staged before the break
    good = "".join(
        f"{n},BTL-750,1,29.95,2026-03-02 10:00\n" for n in range(30000)
    )  # past the sniffer's 1 MB sample
    text = "order_number,sku,quantity,amount,ordered_at\n" + good + '99999,"BTL-750,1,29.95\n'

    batch = run_import(merchant, "orders", text, mode=mode)

    assert batch.status == ImportStatus.FAILED
    assert batch.error_code == "unclosed_quote"
    assert not OrderLine.objects.filter(merchant=merchant).exists()
    job = batch.job
    job.refresh_from_db()
    assert (job.status, job.error_code) == (JobStatus.FAILED, "unclosed_quote")

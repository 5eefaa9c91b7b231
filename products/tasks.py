from celery import shared_task

from accounts.models import Merchant

from .services import stock_snapshot_take


@shared_task(ignore_result=True)
def stock_snapshots_all() -> None:
    """Beat entry point: fan out one snapshot task per active merchant."""
    for merchant_id in Merchant.objects.filter(is_active=True).values_list("pk", flat=True):
        stock_snapshot_merchant.delay(merchant_id)


@shared_task
def stock_snapshot_merchant(merchant_id: int) -> int:
    """Record today's stock snapshot of one merchant; returns the rows written."""
    merchant = Merchant.objects.filter(pk=merchant_id, is_active=True).first()
    if merchant is None:
        return 0
    return stock_snapshot_take(merchant=merchant)


# The content studio's generation jobs, so that Celery's autodiscovery of `products.tasks`
# registers them.
from .content.tasks import llm_bulk_generate, llm_generate_drafts  # noqa: E402,F401

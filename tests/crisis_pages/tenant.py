"""Crisis center objects for the tenant isolation sweep (tests/test_tenant_isolation.py)."""

from decimal import Decimal

from crisis.models import AlertKind, CrisisEventKind
from products.models import Product
from tests.factories import ProductFactory

from .factories import (
    AlertFactory,
    CrisisActionFactory,
    CrisisEventFactory,
    CrisisFactory,
    PlaybookFactory,
    playbook_sections,
)


def beta_objects(*, merchant, owner, secret) -> dict[str, int]:
    product = Product.objects.filter(merchant=merchant, sku=f"{secret}-sku").first()
    if product is None:
        product = ProductFactory(merchant=merchant, sku=f"{secret}-crisis", title=f"{secret} item")
    crisis = CrisisFactory(
        product=product, title=f"{secret} crisis", money_at_risk=Decimal("4242.00")
    )
    alert = AlertFactory(
        product=product,
        crisis=crisis,
        kind=AlertKind.STOCKOUT_RISK,
        title=f"{secret} alert",
        summary=f"{secret} summary",
        money_at_risk=Decimal("4242.00"),
    )
    CrisisEventFactory(crisis=crisis, kind=CrisisEventKind.COMMENT, message=f"{secret} comment")
    playbook = PlaybookFactory(
        crisis=crisis,
        sections=playbook_sections(
            what_happened=[f"{secret} happened"], likely_cause=[f"{secret} cause"]
        ),
    )
    action = CrisisActionFactory(crisis=crisis, playbook=playbook, title=f"{secret} action")
    return {"crisis_id": crisis.pk, "alert_id": alert.pk, "action_id": action.pk}


def alice_objects(*, merchant, owner) -> None:
    product = ProductFactory(merchant=merchant)
    crisis = CrisisFactory(product=product, title="Alpha stockout")
    AlertFactory(product=product, crisis=crisis, title="Alpha alert")
    CrisisActionFactory(crisis=crisis, title="Alpha reorder")

"""On the demo store, each planted crisis, as the real detectors report it, gets the actions
that fit it and an evidence text that passes the checker."""

import pytest

from core.demo import demo_seed
from core.demo.crises import OVERSTOCK_SKU, REVIEW_SURGE_SKU, SALES_SLIDE_SKU, STOCKOUT_SKU
from crisis.models import Crisis
from crisis.playbooks import fallback
from crisis.playbooks.checker import evidence_index, statement_reason
from crisis.playbooks.evidence import evidence_build
from crisis.playbooks.proposals import proposals_build
from crisis.services import crisis_scan
from tests.demo.conftest import SMALL, TODAY, demo_remove

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_crises(django_db_setup, django_db_blocker):
    """The small demo as of `TODAY`, scanned; {sku: (crisis, evidence, proposals by kind)}."""
    with django_db_blocker.unblock():
        merchant = demo_seed(**SMALL, today=TODAY).merchant
        crisis_scan(merchant=merchant, today=TODAY)
        found = {}
        for crisis in Crisis.objects.filter(merchant=merchant).select_related("product"):
            evidence = evidence_build(crisis=crisis, today=TODAY)
            proposals = proposals_build(
                evidence=evidence, merchant=merchant, product=crisis.product
            )
            found[crisis.product.sku if crisis.product else "store"] = (
                crisis,
                evidence,
                {proposal.kind: proposal for proposal in proposals},
            )
    yield found
    with django_db_blocker.unblock():
        demo_remove()


@pytest.fixture
def planted(demo_crises, db):
    return demo_crises


def test_the_stockout_gets_an_order_in_whole_cases_and_a_pause_of_the_ads(planted):
    _crisis, evidence, proposals = planted[STOCKOUT_SKU]

    assert set(proposals) == {"reorder", "pause_ads"}
    units = proposals["reorder"].params["units"]
    assert units >= evidence["plan"]["order_quantity"] and units >= 500 and units % 50 == 0


def test_the_overstock_and_the_sales_slide_get_the_plans_markdown(planted):
    for sku in (OVERSTOCK_SKU, SALES_SLIDE_SKU):
        _crisis, evidence, proposals = planted[sku]
        assert set(proposals) == {"markdown"}
        assert (
            proposals["markdown"].params["price_cut"] == evidence["plan"]["markdown"]["price_cut"]
        )


def test_the_review_surge_gets_replies_to_its_newest_complaints_and_no_markdown(planted):
    _crisis, evidence, proposals = planted[REVIEW_SURGE_SKU]

    assert "markdown" not in proposals and "reorder" not in proposals
    newest = evidence["ratings"]["negative_review_ids"]
    reply = proposals["customer_reply"]
    assert set(reply.params["review_ids"]) <= set(newest) and len(reply.params["review_ids"]) == 5


@pytest.mark.parametrize("sku", [STOCKOUT_SKU, OVERSTOCK_SKU, SALES_SLIDE_SKU, REVIEW_SURGE_SKU])
def test_the_evidence_text_of_every_planted_crisis_passes_the_checker(planted, sku):
    _crisis, evidence, _proposals = planted[sku]
    index = evidence_index(evidence)

    statements = fallback.what_happened(evidence) + fallback.likely_cause(evidence)

    assert len(statements) >= 2
    for statement in statements:
        assert statement["citations"]
        assert statement_reason(statement["text"], statement["citations"], index=index) == ""

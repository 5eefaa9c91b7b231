"""Fixtures of the cockpit tests: a store with something in every panel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from crisis.models import CrisisStatus, Severity
from jobs.models import JobStatus
from tests.content.factories import ContentDraftFactory, flagged_draft
from tests.crisis_pages.factories import CrisisFactory
from tests.factories import ProductFactory
from tests.forecast_pages.factories import InventoryPlanFactory
from tests.jobs.factories import JobFactory
from tests.review_pages.factories import analysed_review


def reviews(product, *, negative: int, positive: int, days_ago: float) -> None:
    for _ in range(negative):
        analysed_review(product, sentiment="negative", rating=1, days_ago=days_ago)
    for _ in range(positive):
        analysed_review(product, sentiment="positive", rating=5, days_ago=days_ago)


def store_fill(merchant, *, tag: str = "") -> dict:
    """One merchant's worth of everything the cockpit shows; returns the rows by name."""
    now = timezone.now()
    rows: dict = {}

    def product(name: str, **fields):
        return ProductFactory(merchant=merchant, title=f"{tag}{name}", **fields)

    for name, money, severity in (
        ("small fire", "300", Severity.LOW),
        ("big fire", "48000", Severity.CRITICAL),
        ("medium fire", "7000", Severity.HIGH),
    ):
        rows[name] = CrisisFactory(
            product=product(name),
            title=f"{tag}{name}",
            money_at_risk=Decimal(money),
            severity=severity,
        )
    rows["resolved fire"] = CrisisFactory(
        product=product("resolved fire"),
        title=f"{tag}resolved fire",
        status=CrisisStatus.RESOLVED,
        money_at_risk=Decimal("99999"),
    )

    rows["likely stockout"] = InventoryPlanFactory(
        product=product("likely stockout"),
        stockout_risk=0.9,
        lost_revenue=Decimal("1200"),
        days_of_cover=4.0,
        stockout_date=timezone.localdate() + dt.timedelta(days=4),
        order_quantity=480,
    )
    rows["possible stockout"] = InventoryPlanFactory(
        product=product("possible stockout"),
        stockout_risk=0.4,
        lost_revenue=Decimal("5000"),
        days_of_cover=12.0,
        order_quantity=120,
    )
    rows["safe stock"] = InventoryPlanFactory(product=product("safe stock"), stockout_risk=0.05)
    rows["big overstock"] = InventoryPlanFactory(
        product=product("big overstock"),
        overstock_units=900,
        overstock_value=Decimal("9000"),
        days_of_cover=400.0,
    )
    rows["small overstock"] = InventoryPlanFactory(
        product=product("small overstock"),
        overstock_units=50,
        overstock_value=Decimal("500"),
        days_of_cover=90.0,
    )

    # Negative share: 4/5 now vs 0/4 before (+80 points); 2/4 now vs 1/4 before (+25);
    # 3/3 now vs 3/3 before (no change); 2/2 now (too few reviews); 0/5 now vs 4/4 (better).
    rows["souring"] = product("souring")
    reviews(rows["souring"], negative=4, positive=1, days_ago=3)
    reviews(rows["souring"], negative=0, positive=4, days_ago=40)
    rows["slipping"] = product("slipping")
    reviews(rows["slipping"], negative=2, positive=2, days_ago=10)
    reviews(rows["slipping"], negative=1, positive=3, days_ago=45)
    rows["always bad"] = product("always bad")
    reviews(rows["always bad"], negative=3, positive=0, days_ago=5)
    reviews(rows["always bad"], negative=3, positive=0, days_ago=35)
    rows["too few"] = product("too few")
    reviews(rows["too few"], negative=2, positive=0, days_ago=2)
    rows["recovering"] = product("recovering")
    reviews(rows["recovering"], negative=0, positive=5, days_ago=2)
    reviews(rows["recovering"], negative=4, positive=0, days_ago=50)

    draft_product = product("draft product")
    rows["newer draft"] = ContentDraftFactory(product=draft_product)
    rows["older draft"] = ContentDraftFactory(product=draft_product, kind="title")
    type(rows["older draft"]).objects.filter(pk=rows["older draft"].pk).update(
        created_at=now - dt.timedelta(days=3)
    )
    rows["flagged draft"] = flagged_draft(product=draft_product, kind="bullets")
    rows["approved draft"] = ContentDraftFactory(
        product=draft_product, kind="seo_meta", status="approved"
    )

    rows["running job"] = JobFactory(
        merchant=merchant,
        title=f"{tag}running job",
        status=JobStatus.RUNNING,
        progress_done=3,
        progress_total=10,
        started_at=now,
    )
    rows["failed job"] = JobFactory(
        merchant=merchant,
        title=f"{tag}failed job",
        status=JobStatus.FAILED,
        finished_at=now - dt.timedelta(days=1),
        error_code="file_unreadable",
    )
    rows["old failed job"] = JobFactory(
        merchant=merchant,
        title=f"{tag}old failed job",
        status=JobStatus.FAILED,
        finished_at=now - dt.timedelta(days=20),
    )
    rows["finished job"] = JobFactory(
        merchant=merchant,
        title=f"{tag}finished job",
        status=JobStatus.SUCCEEDED,
        finished_at=now,
    )
    return rows


@pytest.fixture
def store(merchant):
    return store_fill(merchant)

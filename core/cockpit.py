"""Reads of the operator's cockpit, the dashboard at `/`: what needs a decision today, from every
app, each panel in a fixed number of aggregate queries whatever the size of the catalogue.

Panels (each row links to the page where it is acted on, see templates/core/_cockpit_*.html):

- KPIs: revenue, units, stock value and rating against the previous period
  (`core.selectors.dashboard_kpis`), the open crises' count and money at risk, weekly sparklines.
- Open crises, most money at risk first (`crisis.selectors.crises.crises_open_for_dashboard`).
- The inventory plan: the worst stockout risks and the largest overstocks, with the plan's totals.
- Products whose reviews got worse: negative share of the last `REVIEW_TREND_DAYS` days against
  the same number of days before.
- Content drafts waiting for approval, oldest first; running and recently failed jobs.

Caching, by measurement (bench/dashboard.py on the demo store, 2 cores busy with other work):
the page reads 20 queries and takes a p95 of about 180-190 ms of server time with nothing
cached, under the 300 ms target. The sales KPIs (180 days of daily sales of every product) are
its costliest reads and the only ones that grow with the catalogue; every other panel reads a
few indexed rows. So only the KPIs can be cached (`cockpit_kpis`): 17 queries and a p95 of
about 150 ms. The lifetime is `settings.COCKPIT_KPI_CACHE_SECONDS` (0, the default when the
setting is absent, turns the cache off). The key holds the merchant's id and local date: the
sales windows end yesterday, so a new day is a new key, and the lifetime bounds how long a late
import of past sales or a stock change stays unseen. Crises, plan, reviews, drafts and jobs
change through the actions taken on the pages the cockpit links to, and are read fresh on every
request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, FloatField, Max, Q, Sum, Value, Window
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone

from crisis.models import Crisis, CrisisStatus
from crisis.selectors.crises import crises_open_for_dashboard
from forecasting.models import InventoryPlan
from forecasting.selectors.forecasts import PLAN_AT_RISK, PLAN_OVERSTOCKED, plan_list
from jobs.models import Job, JobStatus
from jobs.selectors import jobs_active
from products.content.models import ContentDraft, DraftStatus
from reviews.models import ReviewAnalysis, Sentiment
from reviews.selectors.insights import NegativeShareChange

from .selectors import DashboardKpis, dashboard_kpis, merchant_day_start, merchant_today

CRISES_SHOWN = 5
PLAN_ROWS_SHOWN = 5
REVIEW_TREND_DAYS = 30
# Fewer analysed reviews than this in the period is noise, not a trend.
REVIEW_TREND_MIN_REVIEWS = 3
REVIEW_ROWS_SHOWN = 5
DRAFTS_SHOWN = 3
JOBS_SHOWN = 5
FAILED_JOB_DAYS = 7
SPARKLINE_WEEKS = 12


# --- KPIs ----------------------------------------------------------------------------------------


def kpi_cache_seconds() -> int:
    """How long the KPIs stay cached (default 300 s); 0 reads them on every request."""
    return max(0, settings.COCKPIT_KPI_CACHE_SECONDS)


def _kpi_cache_key(*, merchant, today: dt.date) -> str:
    # The creation time tells a merchant apart from an earlier one that had the same id (a
    # database rebuilt, a test rolled back): it must never see its predecessor's numbers.
    created = merchant.created_at.timestamp() if merchant.created_at else 0.0
    return f"cockpit:kpis:v1:{merchant.pk}:{created:.6f}:{today.isoformat()}"


def cockpit_kpis(*, merchant, now: dt.datetime | None = None) -> DashboardKpis:
    """`dashboard_kpis`, kept in Django's cache per merchant and local day for
    `kpi_cache_seconds()` (see the module docstring)."""
    seconds = kpi_cache_seconds()
    if not seconds:
        return dashboard_kpis(merchant=merchant, now=now)
    now = now or timezone.now()
    key = _kpi_cache_key(merchant=merchant, today=merchant_today(merchant=merchant, now=now))
    kpis = cache.get(key)
    if kpis is None:
        kpis = dashboard_kpis(merchant=merchant, now=now)
        cache.set(key, kpis, seconds)
    return kpis


@dataclass(frozen=True)
class Sparkline:
    """Weekly sums ending with the last complete day: `weeks[i]` is the first day of week i."""

    weeks: list[dt.date]
    revenue: list[Decimal]
    units: list[int]


def kpi_sparkline(*, kpis: DashboardKpis, weeks: int = SPARKLINE_WEEKS) -> Sparkline:
    """The KPI cards' trend, summed from the daily chart the KPIs already hold (no query).

    Weeks are counted back from the chart's last day (yesterday), so the last point is the
    latest seven complete days, not a half-finished calendar week."""
    points = kpis.chart[-weeks * 7 :]
    whole = len(points) // 7 * 7
    points = points[len(points) - whole :]
    starts, revenue, units = [], [], []
    for offset in range(0, whole, 7):
        week = points[offset : offset + 7]
        starts.append(week[0].date)
        revenue.append(sum((point.revenue for point in week), Decimal("0")))
        units.append(sum(point.units for point in week))
    return Sparkline(weeks=starts, revenue=revenue, units=units)


# --- Crises --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrisisPanel:
    open_count: int
    money_at_risk: Decimal
    top: list[Crisis]


def cockpit_crises(*, merchant, limit: int = CRISES_SHOWN) -> CrisisPanel:
    """The open crises that cost the most, with the count and money at risk of all open ones
    (three queries: the SLA settings, the list, the totals)."""
    totals = (
        Crisis.objects.for_merchant(merchant)
        .exclude(status=CrisisStatus.RESOLVED)
        .aggregate(count=Count("pk"), money=Coalesce(Sum("money_at_risk"), Value(Decimal("0"))))
    )
    return CrisisPanel(
        open_count=totals["count"],
        money_at_risk=Decimal(totals["money"]),
        top=crises_open_for_dashboard(merchant=merchant, limit=limit),
    )


# --- Inventory plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanPanel:
    """The current plan's totals and its worst rows.

    `revenue_at_risk` sums the revenue a stockout would lose over the at-risk products;
    `overstock_value` the money tied up beyond the cover target. `computed_at` is the newest
    plan row (None without any plan)."""

    total: int
    at_risk: int
    overstock: int
    revenue_at_risk: Decimal
    overstock_value: Decimal
    computed_at: dt.datetime | None
    stockouts: list[InventoryPlan]
    overstocks: list[InventoryPlan]


def cockpit_plan(*, merchant, limit: int = PLAN_ROWS_SHOWN) -> PlanPanel:
    """Top stockout risks (highest risk, then most revenue at risk) and top overstocks (most
    money tied up) of the merchant's plan, in three queries. The plan table's "at risk" and
    "overstock" views use the same rules, so "see all" links show the same rows first."""
    at_risk, overstocked = PLAN_AT_RISK, PLAN_OVERSTOCKED
    totals = InventoryPlan.objects.filter(merchant=merchant).aggregate(
        total=Count("pk"),
        at_risk=Count("pk", filter=at_risk),
        overstock=Count("pk", filter=overstocked),
        revenue_at_risk=Coalesce(Sum("lost_revenue", filter=at_risk), Value(Decimal("0"))),
        overstock_value=Coalesce(Sum("overstock_value", filter=overstocked), Value(Decimal("0"))),
        computed_at=Max("computed_at"),
    )
    if not totals["total"]:
        return PlanPanel(0, 0, 0, Decimal("0"), Decimal("0"), None, [], [])
    return PlanPanel(
        total=totals["total"],
        at_risk=totals["at_risk"],
        overstock=totals["overstock"],
        revenue_at_risk=Decimal(totals["revenue_at_risk"]),
        overstock_value=Decimal(totals["overstock_value"]),
        computed_at=totals["computed_at"],
        stockouts=list(plan_list(merchant=merchant, view="at_risk", sort="-stockout_risk")[:limit])
        if totals["at_risk"]
        else [],
        overstocks=list(
            plan_list(merchant=merchant, view="overstock", sort="-overstock_value")[:limit]
        )
        if totals["overstock"]
        else [],
    )


# --- Review trend --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewTrendRow(NegativeShareChange):
    """One product's analysed reviews in the period and in the period before."""

    product_id: int
    sku: str
    title: str
    rating_average: float | None
    previous_rating_average: float | None

    @property
    def change_points(self) -> float:
        """How many percentage points worse the negative share got (a product without reviews
        in the previous period is compared with none negative)."""
        return round(((self.negative_share or 0) - (self.previous_share or 0)) * 100, 1)


@dataclass(frozen=True)
class ReviewTrendPanel:
    days: int
    min_reviews: int
    period: tuple[dt.date, dt.date]
    rows: list[ReviewTrendRow] = field(default_factory=list)


def cockpit_review_trend(
    *,
    merchant,
    days: int = REVIEW_TREND_DAYS,
    min_reviews: int = REVIEW_TREND_MIN_REVIEWS,
    limit: int = REVIEW_ROWS_SHOWN,
    today: dt.date | None = None,
) -> ReviewTrendPanel:
    """Products whose share of negative reviews grew the most, in one grouped query.

    The period is the last `days` local days up to today, compared with the `days` before
    (the insights page's rule). Only products with at least `min_reviews` analysed reviews in
    the period and a negative share that grew are listed; the largest growth first, then the
    most negative reviews. Ranking and limiting happen in the database, so the rows read do
    not grow with the catalogue.
    """
    today = today or merchant_today(merchant=merchant)
    first = today - dt.timedelta(days=days - 1)
    start = merchant_day_start(merchant=merchant, day=first)
    previous_start = merchant_day_start(merchant=merchant, day=first - dt.timedelta(days=days))
    current = Q(review__created_at__gte=start)
    previous = Q(review__created_at__lt=start)
    negative = Q(sentiment=Sentiment.NEGATIVE)

    def share(analysed: str, negatives: str):
        return Coalesce(
            Cast(negatives, FloatField()) / NullIf(Cast(analysed, FloatField()), Value(0.0)),
            Value(0.0),
        )

    rows = (
        ReviewAnalysis.objects.filter(merchant=merchant, review__created_at__gte=previous_start)
        .values("product_id", "product__sku", "product__title")
        .annotate(
            analysed=Count("pk", filter=current),
            negative=Count("pk", filter=current & negative),
            previous_analysed=Count("pk", filter=previous),
            previous_negative=Count("pk", filter=previous & negative),
            rating_sum=Sum("review__rating", filter=current),
            rated=Count("review__rating", filter=current),
            previous_rating_sum=Sum("review__rating", filter=previous),
            previous_rated=Count("review__rating", filter=previous),
        )
        .annotate(
            change=share("analysed", "negative") - share("previous_analysed", "previous_negative")
        )
        .filter(analysed__gte=min_reviews, negative__gt=0, change__gt=0)
        .order_by("-change", "-negative", "product_id")[: max(0, int(limit))]
    )
    return ReviewTrendPanel(
        days=days,
        min_reviews=min_reviews,
        period=(first, today),
        rows=[
            ReviewTrendRow(
                product_id=row["product_id"],
                sku=row["product__sku"],
                title=row["product__title"],
                analysed=row["analysed"],
                negative=row["negative"],
                previous_analysed=row["previous_analysed"],
                previous_negative=row["previous_negative"],
                rating_average=_average(row["rating_sum"], row["rated"]),
                previous_rating_average=_average(row["previous_rating_sum"], row["previous_rated"]),
            )
            for row in rows
        ],
    )


def _average(total, count: int) -> float | None:
    return round(float(total) / count, 2) if count and total is not None else None


# --- Content drafts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftPanel:
    """Drafts an approver can decide now (`waiting`), drafts blocked by unsupported claims until
    a manager overrides or edits them (`flagged`), and the longest-waiting ones."""

    waiting: int
    flagged: int
    oldest: list[ContentDraft]


def cockpit_drafts(*, merchant, limit: int = DRAFTS_SHOWN) -> DraftPanel:
    """The content studio's approval queue in two queries: the oldest waiting drafts with the
    queue's length (a window count), and the flagged count. The queues' rules are the
    overview's (`ContentDraftQuerySet.unblocked` / `blocked`), used here as they are."""
    drafts = ContentDraft.objects.for_merchant(merchant)
    oldest = list(
        drafts.filter(status=DraftStatus.DRAFT)
        .unblocked()
        .select_related("product")
        .annotate(waiting_count=Window(Count("pk")))
        .only(
            "pk",
            "kind",
            "language",
            "channel",
            "created_at",
            "product__id",
            "product__sku",
            "product__title",
        )
        .order_by("created_at", "pk")[: max(1, int(limit))]
    )
    flagged = drafts.filter(status__in=(DraftStatus.DRAFT, DraftStatus.APPROVED)).blocked().count()
    return DraftPanel(
        waiting=oldest[0].waiting_count if oldest else 0,
        flagged=flagged,
        oldest=oldest[: max(0, int(limit))],
    )


# --- Jobs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobPanel:
    active_count: int
    active: list[Job]
    failed_count: int
    failed: list[Job]
    failed_days: int


def cockpit_jobs(
    *,
    merchant,
    limit: int = JOBS_SHOWN,
    failed_days: int = FAILED_JOB_DAYS,
    now: dt.datetime | None = None,
) -> JobPanel:
    """Queued and running jobs (newest first) and the jobs that failed in the last
    `failed_days` days (latest failure first), each with its count, in two queries."""
    now = now or timezone.now()
    active_count, active = jobs_active(merchant=merchant, limit=limit)
    failed = list(
        Job.objects.for_merchant(merchant)
        .filter(
            status=JobStatus.FAILED,
            finished_at__gte=now - dt.timedelta(days=failed_days),
        )
        .annotate(failed_count=Window(Count("pk")))
        .only("pk", "kind", "title", "status", "finished_at", "error_code")
        .order_by(F("finished_at").desc(), "-pk")[: max(0, int(limit))]
    )
    return JobPanel(
        active_count=active_count,
        active=active,
        failed_count=failed[0].failed_count if failed else 0,
        failed=failed,
        failed_days=failed_days,
    )


# --- The whole cockpit ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Cockpit:
    kpis: DashboardKpis
    sparkline: Sparkline
    crises: CrisisPanel
    plan: PlanPanel
    reviews: ReviewTrendPanel
    drafts: DraftPanel
    jobs: JobPanel


def cockpit(*, merchant, now: dt.datetime | None = None) -> Cockpit:
    """Everything the dashboard shows, for one merchant, in at most 14 queries whatever the
    number of products, reviews, drafts or jobs (fewer when a panel has nothing to list)."""
    now = now or timezone.now()
    kpis = cockpit_kpis(merchant=merchant, now=now)
    return Cockpit(
        kpis=kpis,
        sparkline=kpi_sparkline(kpis=kpis),
        crises=cockpit_crises(merchant=merchant),
        plan=cockpit_plan(merchant=merchant),
        reviews=cockpit_review_trend(merchant=merchant, today=kpis.today),
        drafts=cockpit_drafts(merchant=merchant),
        jobs=cockpit_jobs(merchant=merchant, now=now),
    )

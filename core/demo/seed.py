"""Write the demo merchants: users, catalogue, sales, stock history and reviews."""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Merchant, Role
from accounts.services import membership_add, merchant_create
from core.selectors import merchant_today
from crisis.selectors.crises import crisis_board
from crisis.services.scan import crisis_scan
from forecasting.models import DailySales
from products.models import Product, StockLevel, StockSnapshot
from products.services import product_create
from reviews.models import Review
from reviews.services.analysis import reviews_analyse_sync

from .catalog import ProductSpec, catalog_build, pool_size
from .crises import CrisisEvidence, crisis_evidence
from .forecasts import demo_calendar_write, demo_forecast
from .reviews import reviews_build
from .sales import SalesSeries, calendar_build, sales_simulate
from .stock import stock_simulate

DEMO_SLUG = "demo"
DEMO_NAME = "Demo Store"
DEMO_TIMEZONE = "America/New_York"
SECOND_SLUG = "second-store"
SECOND_NAME = "Second Store"
SECOND_TIMEZONE = "Asia/Shanghai"
DEMO_PASSWORD = "ecomops-demo"  # noqa: S105 - the documented demo login
DEFAULT_SEED = 20240611
DEFAULT_PRODUCTS = 200
DEFAULT_DAYS = 730
DEFAULT_REVIEWS = 5000
SNAPSHOT_DAYS = 90
MIN_PRODUCTS, MIN_DAYS, MAX_DAYS, MIN_REVIEWS = 8, 90, 1460, 50

# (username, role in Demo Store, first name, last name)
DEMO_USERS = (
    ("demo", Role.OWNER, "Dana", "Owner"),
    ("manager", Role.MANAGER, "Max", "Manager"),
    ("analyst", Role.ANALYST, "Ana", "Analyst"),
    ("viewer", Role.VIEWER, "Vic", "Viewer"),
)
# Users of Second Store only: they prove that one merchant never sees another's data.
SECOND_USERS = (("second", Role.OWNER, "Sam", "Second"),)
OWNER_USERNAME, VIEWER_USERNAME = DEMO_USERS[0][0], DEMO_USERS[3][0]
SECOND_USERNAME = SECOND_USERS[0][0]
OWNER_PASSWORD = VIEWER_PASSWORD = DEMO_PASSWORD
WRITE_BATCH = 5000


class DemoSeedError(ValueError):
    """The demo cannot be built with these options (or already exists)."""


@dataclass
class StoreCounts:
    products: int = 0
    sales_rows: int = 0
    snapshots: int = 0
    reviews: int = 0


@dataclass
class DemoSeedResult:
    merchant: Merchant
    second_merchant: Merchant
    today: dt.date
    password: str
    seconds: float = 0.0
    counts: dict[str, StoreCounts] = field(default_factory=dict)
    crises: list[CrisisEvidence] = field(default_factory=list)

    @property
    def users(self) -> list[tuple[str, str]]:
        return [(username, role) for username, role, _first, _last in DEMO_USERS]


def demo_exists() -> bool:
    return Merchant.objects.filter(slug__in=[DEMO_SLUG, SECOND_SLUG]).exists()


@transaction.atomic
def demo_delete() -> None:
    """Delete both demo merchants and everything they own (the users stay)."""
    Merchant.objects.filter(slug__in=[DEMO_SLUG, SECOND_SLUG]).delete()


def _validate(*, products: int, days: int, reviews: int, password: str) -> None:
    if not MIN_PRODUCTS <= products <= pool_size():
        raise DemoSeedError(
            _("--products must be between %(low)d and %(high)d.")
            % {"low": MIN_PRODUCTS, "high": pool_size()}
        )
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise DemoSeedError(
            _("--days must be between %(low)d and %(high)d.") % {"low": MIN_DAYS, "high": MAX_DAYS}
        )
    if reviews < MIN_REVIEWS:
        raise DemoSeedError(_("--reviews must be at least %(low)d.") % {"low": MIN_REVIEWS})
    if not password:
        raise DemoSeedError(_("The demo password cannot be empty."))


def _users_ensure(password: str) -> dict:
    """The demo users, created or reset to the documented password."""
    User = get_user_model()
    hashed = make_password(password)  # one hash for all: PBKDF2 is deliberately slow
    users = {}
    for username, _role, first_name, last_name in (*DEMO_USERS, *SECOND_USERS):
        user, _created = User.objects.get_or_create(username=username)
        user.email = user.email or f"{username}@example.com"
        user.first_name, user.last_name = first_name, last_name
        user.password = hashed
        user.is_active = True
        user.save()
        users[username] = user
    return users


def _store_fill(
    *,
    merchant: Merchant,
    specs: list[ProductSpec],
    today: dt.date,
    days: int,
    reviews: int,
    seed: int,
    zh_share: float,
    log: Callable[[str], None],
) -> StoreCounts:
    counts = StoreCounts()
    tz = zoneinfo.ZoneInfo(merchant.timezone)
    calendar = calendar_build(today=today, days=days)
    dates = calendar.dates
    series: list[SalesSeries] = [
        sales_simulate(spec=spec, calendar=calendar, seed=seed) for spec in specs
    ]

    products: dict[str, Product] = {}
    for spec in specs:
        products[spec.sku] = product_create(
            merchant=merchant,
            sku=spec.sku,
            title=spec.title,
            category=spec.category,
            brand=spec.brand,
            attributes=spec.attributes,
            description=spec.description,
            price=spec.price,
            cost=spec.cost,
            currency=spec.currency,
            status=spec.status,
            lead_time_days=spec.lead_time_days,
            moq=spec.moq,
            case_pack=spec.case_pack,
        )
    # Back-date creation to a week or more before the first sale, as a real catalogue would be.
    for product_series in series:
        spec = product_series.spec
        if spec.status == "draft":
            created = today - dt.timedelta(days=spec.launched_days_ago or 1)
        elif product_series.first > 0:
            created = dates[product_series.first] - dt.timedelta(days=7 + len(spec.sku) % 10)
        else:
            created = dates[0] - dt.timedelta(days=30 + 3 * (len(spec.title) % 40))
        products[spec.sku].created_at = dt.datetime.combine(created, dt.time(10), tzinfo=tz)
    Product.objects.bulk_update(products.values(), ["created_at"], batch_size=500)
    counts.products = len(products)
    log(_("%(count)d products written.") % {"count": counts.products})

    # A brand-new merchant cannot have conflicting rows, so a plain bulk insert suffices.
    batch: list[DailySales] = []
    for product_series in series:
        product_id = products[product_series.spec.sku].pk
        units = product_series.units.tolist()
        revenue = product_series.revenue_cents().tolist()
        promoted = (product_series.discount > 0).tolist()
        for index in range(product_series.first, product_series.last):
            batch.append(
                DailySales(
                    merchant_id=merchant.pk,
                    product_id=product_id,
                    date=dates[index],
                    units=units[index],
                    revenue=Decimal(revenue[index]).scaleb(-2),
                    on_promotion=promoted[index],
                )
            )
        if len(batch) >= 20_000:
            DailySales.objects.bulk_create(batch, batch_size=WRITE_BATCH)
            counts.sales_rows += len(batch)
            batch = []
    DailySales.objects.bulk_create(batch, batch_size=WRITE_BATCH)
    counts.sales_rows += len(batch)
    log(_("%(count)d daily sales rows written.") % {"count": counts.sales_rows})

    window = min(SNAPSHOT_DAYS, days)
    snapshot_dates = dates[-window:]
    levels, snapshots = [], []
    for product_series in series:
        history = stock_simulate(series=product_series, window=window, seed=seed)
        product_id = products[product_series.spec.sku].pk
        on_hand, inbound = history.current
        levels.append(
            StockLevel(
                product_id=product_id, merchant_id=merchant.pk, on_hand=on_hand, inbound=inbound
            )
        )
        on_hand_days, inbound_days = history.on_hand.tolist(), history.inbound.tolist()
        for index in range(history.first, window):
            snapshots.append(
                StockSnapshot(
                    merchant_id=merchant.pk,
                    product_id=product_id,
                    date=snapshot_dates[index],
                    on_hand=on_hand_days[index],
                    inbound=inbound_days[index],
                )
            )
    StockLevel.objects.bulk_create(levels, batch_size=WRITE_BATCH)
    StockSnapshot.objects.bulk_create(snapshots, batch_size=WRITE_BATCH)
    counts.snapshots = len(snapshots)
    log(_("%(count)d stock snapshots written.") % {"count": counts.snapshots})

    drafts = reviews_build(
        series=series,
        dates=dates,
        total=reviews,
        timezone=merchant.timezone,
        seed=seed,
        zh_share=zh_share,
    )
    Review.objects.bulk_create(
        [
            Review(
                merchant_id=merchant.pk,
                product_id=products[draft.sku].pk,
                source=draft.source,
                external_id=draft.external_id,
                rating=draft.rating,
                title=draft.title,
                body=draft.body,
                language=draft.language,
                author_name=draft.author_name,
                created_at=draft.created_at,
            )
            for draft in drafts
        ],
        batch_size=WRITE_BATCH,
    )
    counts.reviews = len(drafts)
    log(_("%(count)d reviews written.") % {"count": counts.reviews})
    return counts


SCAN_LOG_CRISES = 6


def _crisis_scan(*, store: Merchant, today: dt.date, log: Callable[[str], None]) -> None:
    """Scan the store as of its demo `today`, so it opens with its crises; log what was found,
    costliest first."""
    report = crisis_scan(merchant=store, today=today)
    log(
        _("%(name)s: crisis scan found %(alerts)d alerts in %(crises)d crises in %(seconds).1f s.")
        % {
            "name": store.name,
            "alerts": report.live_alerts,
            "crises": report.open_crises,
            "seconds": report.seconds.get("total", 0.0),
        }
    )
    for crisis in crisis_board(merchant=store)[:SCAN_LOG_CRISES]:
        log(
            "  "
            + _("%(severity)s, %(money)s %(currency)s at risk: %(title)s")
            % {
                "severity": crisis.get_severity_display(),
                "money": f"{crisis.money_at_risk:,.0f}",
                "currency": store.currency,
                "title": crisis.title,
            }
        )


@transaction.atomic
def demo_seed(
    *,
    products: int = DEFAULT_PRODUCTS,
    days: int = DEFAULT_DAYS,
    reviews: int = DEFAULT_REVIEWS,
    password: str = DEMO_PASSWORD,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    replace: bool = False,
    forecast: bool = True,
    analyse: bool = True,
    log: Callable[[str], None] | None = None,
) -> DemoSeedResult:
    """Build "Demo Store" (with the four planted crises) and a small "Second Store".

    Deterministic: the same options and the same `today` (default: the merchant's local date)
    give the same data. Sales end yesterday. One transaction: a failure leaves nothing behind.
    With `replace`, existing demo merchants are deleted first; otherwise they must not exist.
    With `forecast` (the default), both stores get their sale calendar, a forecast of every
    product and an inventory plan, so the forecast pages and the plan are full at once.
    With `analyse` (the default), every review is analysed (sentiment, aspects, the stores' own
    sentiment models where they beat the default, complaint topics) in-process.
    Both stores are then scanned for crises (`crisis_scan`, as of their `today`).
    """
    log = log or (lambda message: None)
    _validate(products=products, days=days, reviews=reviews, password=password)
    started = time.perf_counter()
    if replace:
        demo_delete()
    elif demo_exists():
        raise DemoSeedError(_("The demo merchants already exist; use --reset to rebuild them."))

    users = _users_ensure(password)
    owner = users[DEMO_USERS[0][0]]
    merchant = merchant_create(
        name=DEMO_NAME,
        owner=owner,
        slug=DEMO_SLUG,
        currency="USD",
        timezone_name=DEMO_TIMEZONE,
        default_language="en",
    )
    for username, role, _first, _last in DEMO_USERS[1:]:
        membership_add(merchant=merchant, username_or_email=username, role=role)
    demo_today = today or merchant_today(merchant=merchant)
    result = DemoSeedResult(
        merchant=merchant, second_merchant=merchant, today=demo_today, password=password
    )
    log(_("Building %(name)s…") % {"name": DEMO_NAME})
    result.counts[DEMO_SLUG] = _store_fill(
        merchant=merchant,
        specs=catalog_build(count=products, seed=seed, horizon_days=days),
        today=demo_today,
        days=days,
        reviews=reviews,
        seed=seed,
        zh_share=0.5,
        log=log,
    )

    second = merchant_create(
        name=SECOND_NAME,
        owner=owner,
        slug=SECOND_SLUG,
        currency="CNY",
        timezone_name=SECOND_TIMEZONE,
        default_language="zh-hans",
    )
    result.second_merchant = second
    for username, role, _first, _last in SECOND_USERS:
        membership_add(merchant=second, username_or_email=username, role=role)
    second_days = min(days, 180)
    log(_("Building %(name)s…") % {"name": SECOND_NAME})
    result.counts[SECOND_SLUG] = _store_fill(
        merchant=second,
        specs=catalog_build(
            count=12,
            seed=seed + 1,
            horizon_days=second_days,
            currency="CNY",
            price_factor=7.0,
            with_crises=False,
        ),
        today=today or merchant_today(merchant=second),
        days=second_days,
        reviews=max(MIN_REVIEWS // 2, min(80, reviews // 60)),
        seed=seed + 1,
        zh_share=0.8,
        log=log,
    )
    if forecast:
        for store, store_today, store_days in (
            (merchant, demo_today, days),
            (second, today or merchant_today(merchant=second), second_days),
        ):
            demo_calendar_write(merchant=store, today=store_today, days=store_days)
            run = demo_forecast(merchant=store, today=store_today)
            log(
                _("%(name)s: %(count)d products forecast and planned in %(seconds).1f s.")
                % {
                    "name": store.name,
                    "count": run.sku_done,
                    "seconds": run.duration_seconds or 0.0,
                }
            )
    if analyse:
        for store in (merchant, second):
            analysis_started = time.perf_counter()
            analysed = reviews_analyse_sync(merchant=store)
            log(
                _("%(name)s: %(count)d reviews analysed in %(seconds).1f s.")
                % {
                    "name": store.name,
                    "count": analysed,
                    "seconds": time.perf_counter() - analysis_started,
                }
            )
    for store, store_today in (
        (merchant, demo_today),
        (second, today or merchant_today(merchant=second)),
    ):
        _crisis_scan(store=store, today=store_today, log=log)
    result.crises = crisis_evidence(merchant=merchant, today=demo_today)
    result.seconds = time.perf_counter() - started
    return result

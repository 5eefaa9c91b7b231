"""What the detectors read (`ScanInputs`, plain numpy arrays) and what they return (`Finding`).

`crisis.selectors.signals.scan_inputs` fills a `ScanInputs` from the database in a fixed
number of queries; the benchmark fills one from CSV files. Every per-product array is aligned
with `catalog.ids` (row i is the same product everywhere); day matrices have one column per
day, oldest first, the last column being the `end` date of that block.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np


@dataclass(frozen=True)
class Finding:
    """One detector's verdict about one product (or the store when `product_id` is None).

    `dedup_key` is "kind:product:aspect" (product "store" for store-wide findings, aspect
    blank when none), stable across scans, so a standing condition updates its live alert.
    `title` and `summary` are already translated into the active language. `evidence` is
    plain JSON (numbers, strings, lists, dicts): the figures behind the verdict and the series
    a chart needs.
    """

    kind: str
    product_id: int | None
    aspect: str
    money_at_risk: Decimal
    title: str
    summary: str
    evidence: dict

    @property
    def dedup_key(self) -> str:
        return dedup_key(self.kind, self.product_id, self.aspect)


def dedup_key(kind: str, product_id: int | None, aspect: str = "") -> str:
    return f"{kind}:{'store' if product_id is None else int(product_id)}:{aspect or ''}"


@dataclass
class Catalog:
    """The merchant's products (n of them), in product id order."""

    ids: np.ndarray  # int64
    skus: list[str]
    titles: list[str]
    prices: np.ndarray  # float, the shelf price
    costs: np.ndarray  # float, NaN when the cost is unknown
    lead_times: np.ndarray  # int, days (at least 1)
    active: np.ndarray  # bool: status "active" (drafts and discontinued products are not)
    sellable: np.ndarray  # bool: not a draft (active or discontinued)
    age_days: np.ndarray  # int: days since the product was created

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class StockInputs:
    """Current stock (`StockLevel`) and the end-of-day snapshots of the last S days.

    `snap_on_hand[i, j]` is product i's stock at the end of day `snapshot_end - (S - 1 - j)`,
    NaN when there is no snapshot for that day.
    """

    on_hand: np.ndarray  # int
    inbound: np.ndarray  # int
    known: np.ndarray  # bool: the product has a StockLevel row
    snapshot_end: dt.date
    snap_on_hand: np.ndarray  # float (n, S)
    snap_inbound: np.ndarray  # float (n, S)


@dataclass
class SalesInputs:
    """Daily units of the last D days up to `end` (the merchant's last day with sales data).

    `year_ago[i, j]` is the same weekday 364 days before the day of `units[i, j]` (zeros when
    there is no history then). `first_sale[i]` is the first column with a sale (D when none):
    columns before it are taken as "not yet selling", not as zero demand.
    """

    end: dt.date
    units: np.ndarray  # float (n, D)
    promo: np.ndarray  # bool (n, D)
    year_ago: np.ndarray  # float (n, D)
    first_sale: np.ndarray  # int (n,)

    @property
    def days(self) -> int:
        return self.units.shape[1]

    def dates(self, count: int) -> list[dt.date]:
        """The dates of the last `count` columns."""
        return [self.end - dt.timedelta(days=count - 1 - k) for k in range(count)]


@dataclass
class ForecastPaths:
    """One forecast per product as daily P10/P50/P90 paths from `start` (NaN padding; weekly
    forecasts already spread over their days). `has[i]` is False when product i has none."""

    start: np.ndarray  # datetime64[D], NaT when none
    q10: np.ndarray  # float (n, H)
    q50: np.ndarray
    q90: np.ndarray
    has: np.ndarray  # bool
    lengths: np.ndarray  # int: days each path covers
    run_ids: np.ndarray  # int64, 0 when none

    @classmethod
    def empty(cls, n: int, horizon: int = 1) -> ForecastPaths:
        nan = np.full((n, horizon), np.nan)
        return cls(
            start=np.full(n, np.datetime64("NaT"), dtype="datetime64[D]"),
            q10=nan.copy(),
            q50=nan.copy(),
            q90=nan.copy(),
            has=np.zeros(n, dtype=bool),
            lengths=np.zeros(n, dtype=np.int64),
            run_ids=np.zeros(n, dtype=np.int64),
        )


@dataclass
class PlanFigures:
    """The current `InventoryPlan` of each product (NaN / None where there is none): the
    detectors decide from the forecast themselves and quote these as evidence."""

    has: np.ndarray  # bool
    stockout_risk: np.ndarray
    lost_revenue: np.ndarray
    days_of_cover: np.ndarray
    order_quantity: np.ndarray
    overstock_units: np.ndarray
    overstock_value: np.ndarray
    aged_units: np.ndarray
    safety_stock: np.ndarray
    stockout_date: list  # dt.date | None
    markdown: list  # dict

    @classmethod
    def empty(cls, n: int) -> PlanFigures:
        nan = np.full(n, np.nan)
        return cls(
            has=np.zeros(n, dtype=bool),
            stockout_risk=nan.copy(),
            lost_revenue=nan.copy(),
            days_of_cover=nan.copy(),
            order_quantity=nan.copy(),
            overstock_units=nan.copy(),
            overstock_value=nan.copy(),
            aged_units=nan.copy(),
            safety_stock=nan.copy(),
            stockout_date=[None] * n,
            markdown=[{} for _ in range(n)],
        )


@dataclass
class ReviewInputs:
    """Reviews of the last months (m of them) and their negative aspect mentions (k).

    `age_days` counts days back from the scan's `today` in the merchant's time zone (0 =
    written today). `negative`: the analysis says negative (1-2 stars when not analysed yet;
    unrated and unanalysed reviews count as not negative). `topic` is the complaint topic id
    of the review's analysis, 0 for none. `aspect_review[j]` indexes the review arrays for the
    j-th negative aspect mention, `aspect_name[j]` is its aspect.
    """

    ids: np.ndarray  # int64 (m,)
    product: np.ndarray  # int64: row in the catalogue
    age_days: np.ndarray  # int64
    rating: np.ndarray  # int64, 0 = unrated
    negative: np.ndarray  # bool
    topic: np.ndarray  # int64
    aspect_review: np.ndarray  # int64 (k,)
    aspect_name: np.ndarray  # str (k,)
    topics: dict[int, dict] = field(default_factory=dict)  # id -> {"label", "aspect"}

    @classmethod
    def empty(cls) -> ReviewInputs:
        none = np.zeros(0, dtype=np.int64)
        return cls(
            ids=none,
            product=none,
            age_days=none,
            rating=none,
            negative=np.zeros(0, dtype=bool),
            topic=none,
            aspect_review=none,
            aspect_name=np.zeros(0, dtype=object),
        )


@dataclass
class ScanInputs:
    """Everything one scan of one merchant reads. `today` is the merchant's local date.

    `forecast` holds each product's current forecast; `reference` the forecast of an earlier
    run made before the sales-drop window (the newest whose first day lies within a week
    before the window), used instead of the history baseline when present.
    """

    merchant_id: int | None
    today: dt.date
    currency: str
    catalog: Catalog
    stock: StockInputs
    sales: SalesInputs
    forecast: ForecastPaths
    reference: ForecastPaths
    plans: PlanFigures
    reviews: ReviewInputs
    cover_target_days: int = 30
    aged_after_days: int = 90

    def __len__(self) -> int:
        return len(self.catalog)


def scan_inputs_build(
    *,
    today: dt.date,
    units: np.ndarray,
    product_ids: np.ndarray | None = None,
    skus: list[str] | None = None,
    prices: np.ndarray | float = 10.0,
    costs: np.ndarray | float = np.nan,
    lead_times: np.ndarray | int = 14,
    on_hand: np.ndarray | int | None = None,
    inbound: np.ndarray | int = 0,
    promo: np.ndarray | None = None,
    year_ago: np.ndarray | None = None,
    sales_end: dt.date | None = None,
    snap_on_hand: np.ndarray | None = None,
    snap_inbound: np.ndarray | None = None,
    forecast: ForecastPaths | None = None,
    reference: ForecastPaths | None = None,
    reviews: ReviewInputs | None = None,
    currency: str = "USD",
    age_days: np.ndarray | int = 365,
    cover_target_days: int = 30,
    aged_after_days: int = 90,
) -> ScanInputs:
    """A `ScanInputs` from plain arrays, with neutral defaults for what is not given: every
    product active, stock known (`on_hand` None: no stock record), no snapshots, forecasts,
    plans or reviews. Sales end yesterday unless `sales_end` says otherwise; snapshots end on
    the same day as the sales. Used by the benchmark and the tests."""
    units = np.asarray(units, dtype=float)
    n, days = units.shape

    def per_product(value, dtype):
        array = np.asarray(value, dtype=dtype)
        return np.full(n, array, dtype=dtype) if array.ndim == 0 else array.astype(dtype)

    ids = np.arange(1, n + 1, dtype=np.int64) if product_ids is None else product_ids
    end = sales_end or today - dt.timedelta(days=1)
    sold = units > 0
    if snap_on_hand is None:
        snap_on_hand = np.zeros((n, 0))
    if snap_inbound is None:
        snap_inbound = np.full(snap_on_hand.shape, np.nan)
    return ScanInputs(
        merchant_id=None,
        today=today,
        currency=currency,
        catalog=Catalog(
            ids=np.asarray(ids, dtype=np.int64),
            skus=skus or [f"SKU-{int(i)}" for i in ids],
            titles=skus or [f"Product {int(i)}" for i in ids],
            prices=per_product(prices, float),
            costs=per_product(costs, float),
            lead_times=np.maximum(per_product(lead_times, np.int64), 1),
            active=np.ones(n, dtype=bool),
            sellable=np.ones(n, dtype=bool),
            age_days=per_product(age_days, np.int64),
        ),
        stock=StockInputs(
            on_hand=per_product(0 if on_hand is None else on_hand, np.int64),
            inbound=per_product(inbound, np.int64),
            known=np.full(n, on_hand is not None),
            snapshot_end=end,
            snap_on_hand=np.asarray(snap_on_hand, dtype=float),
            snap_inbound=np.asarray(snap_inbound, dtype=float),
        ),
        sales=SalesInputs(
            end=end,
            units=units,
            promo=np.zeros((n, days), dtype=bool) if promo is None else promo,
            year_ago=np.zeros((n, days)) if year_ago is None else year_ago,
            first_sale=np.where(sold.any(axis=1), np.argmax(sold, axis=1), days).astype(np.int64),
        ),
        forecast=forecast or ForecastPaths.empty(n),
        reference=reference or ForecastPaths.empty(n),
        plans=PlanFigures.empty(n),
        reviews=reviews or ReviewInputs.empty(),
        cover_target_days=cover_target_days,
        aged_after_days=aged_after_days,
    )

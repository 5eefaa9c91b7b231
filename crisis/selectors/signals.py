"""The detectors' inputs for one merchant, loaded in bulk: `scan_inputs`.

A fixed number of queries whatever the size of the catalogue (products, stock, sales and their
year-ago weeks, stock snapshots, current and reference forecasts, plans, settings, reviews,
negative aspect mentions, complaint topics), each scoped to the merchant and read straight
from the cursor into numpy arrays: no ORM object per row, no query per product.

How much is read follows the merchant's thresholds: the sales-drop window plus its baseline
(at least 16 weeks, for the weekday profile), the same weeks a year earlier, 13 weeks of stock
snapshots, and the reviews of the review and rating windows plus their baseline.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import numpy as np
from django.db import connection
from django.db.models import F, Max, Window
from django.db.models.functions import RowNumber

from core.selectors import merchant_day_start, merchant_today
from forecasting.models import DailySales, Frequency, InventoryPlan, PlanningSettings, SkuForecast
from products.models import Product, ProductStatus, StockLevel, StockSnapshot
from reviews.models import AspectMention, ComplaintTopic, Review, Sentiment

from ..detectors.config import Thresholds, thresholds_from_overrides
from ..detectors.sales_drop import PROFILE_DAYS, REFERENCE_MAX_AGE_DAYS
from ..detectors.types import (
    Catalog,
    ForecastPaths,
    PlanFigures,
    ReviewInputs,
    SalesInputs,
    ScanInputs,
    StockInputs,
)
from ..models import CrisisSettings

SNAPSHOT_DAYS = 91
# Fallback demand and evidence charts read this many days of sales at least.
MIN_SALES_DAYS = 56
YEAR_DAYS = 364  # 52 weeks: the same weekday a year ago
WEEK_DAYS = 7


def _fetch(queryset) -> list[tuple]:
    """Rows of a values_list query straight from the cursor (no per-row converters)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _day_offsets(values, origin: dt.date) -> np.ndarray:
    """Days from `origin` to each date (SQLite hands dates back as text, PostgreSQL as dates:
    numpy reads both)."""
    days = np.asarray(values, dtype="datetime64[D]")
    return (days - np.datetime64(origin, "D")).astype(np.int64)


def _merchant_thresholds(merchant) -> Thresholds:
    overrides = (
        CrisisSettings.objects.filter(merchant=merchant)
        .values_list("thresholds", flat=True)
        .first()
    )
    try:
        return thresholds_from_overrides(overrides or {})
    except ValueError:
        return Thresholds()


def _catalog(merchant, today: dt.date) -> Catalog:
    rows = list(
        Product.objects.filter(merchant=merchant)
        .order_by("pk")
        .values_list(
            "pk", "sku", "title", "price", "cost", "lead_time_days", "status", "created_at"
        )
    )
    tz = zoneinfo.ZoneInfo(merchant.timezone)
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    statuses = [row[6] for row in rows]
    return Catalog(
        ids=ids,
        skus=[row[1] for row in rows],
        titles=[row[2] for row in rows],
        prices=np.array([float(row[3] or 0) for row in rows], dtype=float),
        costs=np.array([np.nan if row[4] is None else float(row[4]) for row in rows], dtype=float),
        lead_times=np.array([max(int(row[5] or 0), 1) for row in rows], dtype=np.int64),
        active=np.array([status == ProductStatus.ACTIVE for status in statuses], dtype=bool),
        sellable=np.array([status != ProductStatus.DRAFT for status in statuses], dtype=bool),
        age_days=np.array(
            [(today - row[7].astimezone(tz).date()).days if row[7] else 0 for row in rows],
            dtype=np.int64,
        ),
    )


def _rows_of(ids: np.ndarray, product_ids) -> tuple[np.ndarray, np.ndarray]:
    """(row in the catalogue, found) for each product id."""
    product_ids = np.asarray(product_ids, dtype=np.int64)
    if not len(ids):
        return np.zeros(len(product_ids), dtype=np.int64), np.zeros(len(product_ids), dtype=bool)
    rows = np.clip(np.searchsorted(ids, product_ids), 0, len(ids) - 1)
    return rows, ids[rows] == product_ids


def _stock(merchant, ids: np.ndarray, today: dt.date) -> StockInputs:
    n = len(ids)
    on_hand = np.zeros(n, dtype=np.int64)
    inbound = np.zeros(n, dtype=np.int64)
    known = np.zeros(n, dtype=bool)
    levels = _fetch(
        StockLevel.objects.filter(merchant=merchant)
        .order_by()
        .values_list("product_id", "on_hand", "inbound")
    )
    if levels:
        columns = list(zip(*levels, strict=True))
        rows, found = _rows_of(ids, columns[0])
        on_hand[rows[found]] = np.asarray(columns[1], dtype=np.int64)[found]
        inbound[rows[found]] = np.asarray(columns[2], dtype=np.int64)[found]
        known[rows[found]] = True
    first = today - dt.timedelta(days=SNAPSHOT_DAYS - 1)
    snap_on_hand = np.full((n, SNAPSHOT_DAYS), np.nan)
    snap_inbound = np.full((n, SNAPSHOT_DAYS), np.nan)
    snapshots = _fetch(
        StockSnapshot.objects.filter(merchant=merchant, date__range=(first, today))
        .order_by()
        .values_list("product_id", "date", "on_hand", "inbound")
    )
    if snapshots:
        columns = list(zip(*snapshots, strict=True))
        rows, found = _rows_of(ids, columns[0])
        day = _day_offsets(columns[1], first)
        snap_on_hand[rows[found], day[found]] = np.asarray(columns[2], dtype=float)[found]
        snap_inbound[rows[found], day[found]] = np.asarray(columns[3], dtype=float)[found]
    return StockInputs(
        on_hand=on_hand,
        inbound=inbound,
        known=known,
        snapshot_end=today,
        snap_on_hand=snap_on_hand,
        snap_inbound=snap_inbound,
    )


def _sales(merchant, ids: np.ndarray, today: dt.date, thresholds: Thresholds) -> SalesInputs:
    """Units per product and day up to the last sales day before today, and a year earlier."""
    window = int(thresholds.sales_drop_window_days)
    width = max(
        window + max(int(thresholds.sales_drop_baseline_days), PROFILE_DAYS), MIN_SALES_DAYS
    )
    last = DailySales.objects.filter(merchant=merchant, date__lt=today).aggregate(last=Max("date"))[
        "last"
    ]
    end = last or today - dt.timedelta(days=1)
    n = len(ids)
    first = end - dt.timedelta(days=width - 1)
    units = np.zeros((n, width))
    promo = np.zeros((n, width), dtype=bool)
    year_ago = np.zeros((n, width))
    compared = window + int(thresholds.sales_drop_baseline_days)
    ago_first = end - dt.timedelta(days=YEAR_DAYS + compared - 1)
    ago_last = end - dt.timedelta(days=YEAR_DAYS)
    rows = _fetch(
        DailySales.objects.filter(merchant=merchant, date__range=(first, end))
        .order_by()
        .values_list("product_id", "date", "units", "on_promotion")
    )
    if rows:
        columns = list(zip(*rows, strict=True))
        at, found = _rows_of(ids, columns[0])
        day = _day_offsets(columns[1], first)
        units[at[found], day[found]] = np.asarray(columns[2], dtype=float)[found]
        promo[at[found], day[found]] = np.asarray(columns[3], dtype=bool)[found]
    rows = _fetch(
        DailySales.objects.filter(merchant=merchant, date__range=(ago_first, ago_last))
        .order_by()
        .values_list("product_id", "date", "units")
    )
    if rows:
        columns = list(zip(*rows, strict=True))
        at, found = _rows_of(ids, columns[0])
        day = _day_offsets(columns[1], first - dt.timedelta(days=YEAR_DAYS))
        year_ago[at[found], day[found]] = np.asarray(columns[2], dtype=float)[found]
    sold = units > 0
    first_sale = np.where(sold.any(axis=1), np.argmax(sold, axis=1), width).astype(np.int64)
    return SalesInputs(end=end, units=units, promo=promo, year_ago=year_ago, first_sale=first_sale)


def _paths(ids: np.ndarray, rows: list[tuple]) -> ForecastPaths:
    """ForecastPaths from (product_id, run_id, start_date, frequency, quantiles) rows."""
    n = len(ids)
    if not rows:
        return ForecastPaths.empty(n)
    daily = []
    for product_id, run_id, start, frequency, quantiles in rows:
        paths = []
        for level in ("0.1", "0.5", "0.9"):
            values = (quantiles or {}).get(level)
            if values is None:
                values = next(
                    (
                        v
                        for k, v in (quantiles or {}).items()
                        if abs(float(k) - float(level)) < 1e-9
                    ),
                    [],
                )
            array = np.asarray(values, dtype=float).ravel()
            if frequency == Frequency.WEEKLY:
                array = np.repeat(array / WEEK_DAYS, WEEK_DAYS)
            paths.append(array)
        length = min(len(path) for path in paths)
        daily.append((product_id, run_id, start, [path[:length] for path in paths], length))
    horizon = max(1, max(item[4] for item in daily))
    result = ForecastPaths.empty(n, horizon)
    product_rows, found = _rows_of(ids, [item[0] for item in daily])
    for (_product_id, run_id, start, paths, length), row, ok in zip(
        daily, product_rows.tolist(), found.tolist(), strict=True
    ):
        if not ok or length == 0:
            continue
        result.q10[row, :length], result.q50[row, :length], result.q90[row, :length] = paths
        result.start[row] = np.datetime64(start, "D")
        result.lengths[row] = length
        result.run_ids[row] = run_id
        result.has[row] = True
    return result


def _forecasts(
    merchant, ids: np.ndarray, window_start: dt.date
) -> tuple[ForecastPaths, ForecastPaths]:
    """(current forecasts, reference forecasts made before the sales-drop window)."""
    fields = ("product_id", "run_id", "start_date", "frequency", "quantiles")
    current = list(
        SkuForecast.objects.filter(merchant=merchant, is_current=True).values_list(*fields)
    )
    oldest = window_start - dt.timedelta(days=REFERENCE_MAX_AGE_DAYS)
    # The newest forecast per product among those that start within the week before the
    # window: one query with a window function (no query per product, no long id list).
    newest_first = Window(
        expression=RowNumber(),
        partition_by=[F("product_id")],
        order_by=[F("start_date").desc(), F("run_id").desc()],
    )
    reference = list(
        SkuForecast.objects.filter(merchant=merchant, start_date__range=(oldest, window_start))
        .annotate(newest=newest_first)
        .filter(newest=1)
        .values_list(*fields)
    )
    return _paths(ids, current), _paths(ids, reference)


def _plans(merchant, ids: np.ndarray) -> PlanFigures:
    figures = PlanFigures.empty(len(ids))
    rows = list(
        InventoryPlan.objects.filter(merchant=merchant).values_list(
            "product_id",
            "stockout_risk",
            "lost_revenue",
            "days_of_cover",
            "order_quantity",
            "overstock_units",
            "overstock_value",
            "aged_units",
            "safety_stock",
            "stockout_date",
            "markdown",
        )
    )
    if not rows:
        return figures
    at, found = _rows_of(ids, [row[0] for row in rows])
    for row, index, ok in zip(rows, at.tolist(), found.tolist(), strict=True):
        if not ok:
            continue
        figures.has[index] = True
        for position, name in enumerate(
            (
                "stockout_risk",
                "lost_revenue",
                "days_of_cover",
                "order_quantity",
                "overstock_units",
                "overstock_value",
                "aged_units",
                "safety_stock",
            ),
            start=1,
        ):
            value = row[position]
            getattr(figures, name)[index] = np.nan if value is None else float(value)
        figures.stockout_date[index] = row[9]
        figures.markdown[index] = row[10] or {}
    return figures


def _reviews(merchant, ids: np.ndarray, today: dt.date, thresholds: Thresholds) -> ReviewInputs:
    """Reviews (with their analysis) and negative aspect mentions of the review windows."""
    days = max(int(thresholds.review_window_days), int(thresholds.rating_window_days)) + int(
        thresholds.review_baseline_days
    )
    first_day = today - dt.timedelta(days=days - 1)
    since = merchant_day_start(merchant=merchant, day=first_day)
    rows = list(
        Review.objects.filter(merchant=merchant, created_at__gte=since)
        .order_by()
        .values_list(
            "pk", "product_id", "created_at", "rating", "analysis__sentiment", "analysis__topic_id"
        )
    )
    if not rows:
        return ReviewInputs.empty()
    review_ids = np.array([row[0] for row in rows], dtype=np.int64)
    at, found = _rows_of(ids, [row[1] for row in rows])
    # Local day of each review: where its instant falls between the merchant's midnights.
    starts = np.array(
        [
            merchant_day_start(merchant=merchant, day=first_day + dt.timedelta(days=k)).timestamp()
            for k in range(days + 1)
        ]
    )
    moments = np.array([row[2].timestamp() for row in rows])
    day_index = np.searchsorted(starts, moments, side="right") - 1
    age = (days - 1) - day_index
    rating = np.array([row[3] or 0 for row in rows], dtype=np.int64)
    sentiment = [row[4] for row in rows]
    negative = np.array(
        [
            value == Sentiment.NEGATIVE if value else 0 < stars <= 2
            for value, stars in zip(sentiment, rating.tolist(), strict=True)
        ],
        dtype=bool,
    )
    topic = np.array([row[5] or 0 for row in rows], dtype=np.int64)
    keep = found & (age >= 0)
    order = np.flatnonzero(keep)
    position = np.full(len(rows), -1, dtype=np.int64)
    position[order] = np.arange(len(order))

    mentions = _fetch(
        AspectMention.objects.filter(
            merchant=merchant,
            polarity=Sentiment.NEGATIVE,
            analysis__review__created_at__gte=since,
        )
        .order_by()
        .values_list("analysis_id", "aspect")
    )
    aspect_review = np.zeros(0, dtype=np.int64)
    aspect_name = np.zeros(0, dtype=object)
    if mentions:
        sorter = np.argsort(review_ids, kind="stable")
        mention_ids = np.array([row[0] for row in mentions], dtype=np.int64)
        located = sorter[
            np.clip(np.searchsorted(review_ids, mention_ids, sorter=sorter), 0, len(sorter) - 1)
        ]
        ok = (review_ids[located] == mention_ids) & (position[located] >= 0)
        aspect_review = position[located[ok]]
        aspect_name = np.array([row[1] for row in mentions], dtype=object)[ok]

    topic_ids = sorted({int(value) for value in topic[order].tolist() if value})
    topics = {}
    if topic_ids:
        for pk, label, aspect in ComplaintTopic.objects.filter(
            merchant=merchant, pk__in=topic_ids
        ).values_list("pk", "label", "aspect"):
            topics[int(pk)] = {"label": label, "aspect": aspect}
    return ReviewInputs(
        ids=review_ids[order],
        product=at[order],
        age_days=age[order],
        rating=rating[order],
        negative=negative[order],
        topic=topic[order],
        aspect_review=aspect_review,
        aspect_name=aspect_name,
        topics=topics,
    )


def scan_inputs(
    *, merchant, today: dt.date | None = None, thresholds: Thresholds | None = None
) -> ScanInputs:
    """Everything the detectors read about `merchant` as of its local date `today` (default:
    today where the merchant is), in a fixed number of queries.

    `thresholds` size the windows that are read (default: the merchant's crisis settings);
    the detectors may then run with the same or narrower windows.
    """
    today = today or merchant_today(merchant=merchant)
    thresholds = thresholds or _merchant_thresholds(merchant)
    catalog = _catalog(merchant, today)
    ids = catalog.ids
    sales = _sales(merchant, ids, today, thresholds)
    window_start = sales.end - dt.timedelta(days=int(thresholds.sales_drop_window_days) - 1)
    current, reference = _forecasts(merchant, ids, window_start)
    planning = (
        PlanningSettings.objects.filter(merchant=merchant)
        .values_list("cover_target_days", "aged_after_days")
        .first()
    )
    cover_target, aged_after = planning or (
        PlanningSettings._meta.get_field("cover_target_days").default,
        PlanningSettings._meta.get_field("aged_after_days").default,
    )
    return ScanInputs(
        merchant_id=merchant.pk,
        today=today,
        currency=merchant.currency,
        catalog=catalog,
        stock=_stock(merchant, ids, today),
        sales=sales,
        forecast=current,
        reference=reference,
        plans=_plans(merchant, ids),
        reviews=_reviews(merchant, ids, today, thresholds),
        cover_target_days=int(cover_target),
        aged_after_days=int(aged_after),
    )

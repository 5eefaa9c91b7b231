"""Sales drop: a product's daily sales persistently below what was expected.

The window is the last W = `sales_drop_window_days` days of sales (ending on the merchant's
last sales day, never today's partial day). What was expected on those days comes from:

1. the reference forecast: the newest forecast of an earlier run whose first day lies within
   a week before the window (so it was made before the days it is compared with; the current
   forecast starts today and has already seen any drop). Its P50 is the expected units, its
   P10-P90 band the spread;
2. otherwise the product's own history before the window: level = units of the
   B = `sales_drop_baseline_days` days before the window (promotion days, days before the
   first sale and days that ended with an empty shelf left out), times a weekday profile
   measured over up to 16 weeks (shrunk towards flat), times a seasonal factor from the
   same weeks a year earlier (52 weeks, same weekdays):
   (units a day a year ago in the window + s) / (the same in the baseline + s), with
   s = 3 x max(level, 1) so that thin or noisy history pulls it towards 1, within 0.25-4
   (1 without a year of history). Spread: negative binomial with the dispersion of the
   baseline days around that expectation (at least 0.02, at most 10).

Test: a one-sided CUSUM of the negative-binomial log-likelihood ratio "sales fell to
DESIGN_RATIO (60 %) of expected" against "sales are as expected", day by day over the window:
S_t = max(0, S_{t-1} + LLR_t), with the dispersion capped at LLR_MAX_DISPERSION (0.1: see
there). It fires when, on the last day,

    S >= `sales_drop_cusum_threshold` (default 10)
    and the units since the CUSUM last stood at 0 (the estimated start of the drop) are at
    least `sales_drop_min_drop` (20 %) below expected
    and the product is expected to sell at least `sales_drop_min_daily_units` (2) a day.

Days that say nothing about demand are left out: promotion days, days before the first sale,
days on which the whole store sold less than half of what was expected (a closure, a data
gap: a store-wide matter, judged with at least 20 products), and days the product had no
stock: the shelf empty at the start or at the end of the day (stock snapshots; without
snapshots, a product out of stock now has its trailing days without sales counted as out of
stock). A drop that only shows with those stockout days counted is a stockout, not a sales
drop: no sales-drop finding (it is noted in the evidence of the product's stockout finding
when there is one).

Money at risk = drop share x expected units a day x price x `revenue_horizon_days` (28):
a month of this drop at today's price, if it lasts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _
from scipy import stats

from .common import forecast_days, iso_dates, money, money_text, num, product_header, series
from .config import Thresholds
from .stats import cusum_path, nb_llr_drop
from .types import Finding, ScanInputs

KIND = "sales_drop"
# The CUSUM is tuned to a fall to 60 % of expected (a 40 % drop); smaller drops are found
# later, larger ones sooner.
DESIGN_RATIO = 0.6
# Newest reference forecast accepted: its first day at most this many days before the window.
REFERENCE_MAX_AGE_DAYS = 7
# Weekday profile: up to this many days before the window, shrunk towards flat with this many
# pseudo-days per weekday.
PROFILE_DAYS = 112
PROFILE_SHRINK_DAYS = 4.0
# A year ago = 52 weeks (same weekday). Pseudo-units a day, times the product's level, that
# pull its ratio towards 1: on the M5 calibration part (little yearly season) a weaker pull
# added false alerts; the factor stays for strongly seasonal products (a winter throw in
# March, a gift toy after Christmas).
YEAR_AGO_SHRINK = 3.0
YEAR_AGO_BOUNDS = (0.25, 4.0)
# The baseline needs this share of its days usable (not promotion, after the first sale).
MIN_BASELINE_SHARE = 0.5
# Dispersion floor: no product is quite as regular as Poisson.
MIN_DISPERSION = 0.02
MAX_DISPERSION = 10.0
# Dispersion the CUSUM's log-likelihood ratios use, at most: the baseline's spread around a
# level x weekday expectation also holds its level drift and weekday misfit, which are not
# day-to-day noise; with that full spread a 40 % drop of a product selling 2-8 a day adds so
# little evidence per day that it is rarely found within four weeks. Capped here, the noisier
# products' days weigh nearly as Poisson counts and the threshold (10, not 9) pays for the
# extra false alerts: on the benchmark's calibration part (two seeds, other SKUs and an
# earlier year than the report) this found more 40 % and 60 % drops at the same false-alert
# rate. The chart's P10-P90 band keeps the full spread.
LLR_MAX_DISPERSION = 0.1
# Store-wide low days: less than this share of the expected units, judged over at least
# STORE_MIN_PRODUCTS products.
STORE_LOW_SHARE = 0.5
STORE_MIN_PRODUCTS = 20
CHART_DAYS = 56


@dataclass
class Expectation:
    """Expected units, dispersion and where they came from, for the window and the chart."""

    mean: np.ndarray  # (n, W)
    alpha: np.ndarray  # (n, W)
    judged: np.ndarray  # bool (n,)
    source: np.ndarray  # "forecast" / "history" / ""
    chart_mean: np.ndarray  # (n, CHART) for the days before the window (NaN when unknown)
    reference_start: np.ndarray  # datetime64[D]
    seasonal: np.ndarray  # (n,) year-ago factor (1 when not used)


@dataclass
class DropTest:
    """The CUSUM verdicts of every product (see `sales_drop_test`)."""

    expectation: Expectation
    window_dates: list[dt.date]
    include: np.ndarray  # (n, W) days counted
    limited: np.ndarray  # (n, W) days the product had no stock
    store_low: np.ndarray  # (W,)
    cusum: np.ndarray  # (n, W) with stockout days left out
    cusum_all: np.ndarray  # (n, W) with them counted
    start: np.ndarray  # (n,) first column of the current run
    drop_share: np.ndarray  # (n,)
    fires: np.ndarray  # bool (n,)
    stockout_caused: np.ndarray  # bool (n,)
    eligible: np.ndarray  # bool (n,)


def _weekday_columns(end: dt.date, width: int) -> np.ndarray:
    """Weekday (Monday 0) of each of the last `width` columns ending `end`."""
    last = end.weekday()
    return (last - (width - 1 - np.arange(width))) % 7


def snapshots_by_sales_day(inputs: ScanInputs, width: int) -> np.ndarray:
    """(n, width): end-of-day stock on the days of the last `width` sales columns, NaN where
    there is no snapshot."""
    sales, stock = inputs.sales, inputs.stock
    n = len(inputs)
    out = np.full((n, width), np.nan)
    snap = stock.snap_on_hand
    if not snap.size:
        return out
    shift = (stock.snapshot_end - sales.end).days
    columns = snap.shape[1] - 1 - shift - (width - 1 - np.arange(width))
    inside = (columns >= 0) & (columns < snap.shape[1])
    out[:, inside] = snap[:, columns[inside]]
    return out


def expectation_build(inputs: ScanInputs, window: int, baseline: int) -> Expectation:
    """What each product was expected to sell on each day of the window (module docstring)."""
    sales = inputs.sales
    n, width = sales.units.shape
    window = min(window, width)
    baseline = min(baseline, max(width - window, 0))
    chart_before = max(min(CHART_DAYS, width) - window, 0)
    mean = np.zeros((n, window))
    alpha = np.full((n, window), MIN_DISPERSION)
    judged = np.zeros(n, dtype=bool)
    source = np.full(n, "", dtype=object)
    chart_mean = np.full((n, chart_before), np.nan)
    seasonal = np.ones(n)
    window_start = sales.end - dt.timedelta(days=window - 1)

    # 1. Forecasts made before the window.
    reference = inputs.reference
    ref_mean, ref_var, usable = forecast_days(reference, window_start, window)
    oldest = np.datetime64(window_start - dt.timedelta(days=REFERENCE_MAX_AGE_DAYS), "D")
    with np.errstate(invalid="ignore"):
        usable &= (reference.start <= np.datetime64(window_start, "D")) & (
            reference.start >= oldest
        )
    if usable.any():
        mean[usable] = ref_mean[usable]
        with np.errstate(divide="ignore", invalid="ignore"):
            day_alpha = (ref_var[usable] - ref_mean[usable]) / ref_mean[usable] ** 2
        alpha[usable] = np.maximum(np.nan_to_num(day_alpha, nan=MIN_DISPERSION), MIN_DISPERSION)
        judged[usable] = True
        source[usable] = "forecast"

    # 2. The product's own history before the window.
    history = ~usable
    if history.any() and baseline > 0:
        rows = np.flatnonzero(history)
        units = sales.units[rows]
        column = np.arange(width)[None, :]
        valid = (column >= sales.first_sale[rows, None]) & ~sales.promo[rows]
        # Days the shelf was empty at the end say nothing about demand.
        with np.errstate(invalid="ignore"):
            valid &= ~(snapshots_by_sales_day(inputs, width)[rows] <= 0)
        weekday = _weekday_columns(sales.end, width)
        base_cols = slice(width - window - baseline, width - window)
        profile_from = max(width - window - PROFILE_DAYS, 0)
        profile_valid = valid.copy()
        profile_valid[:, :profile_from] = False
        profile_valid[:, width - window :] = False

        # Weekday profile, shrunk towards flat, normalised to an average of 1.
        sums = np.zeros((len(rows), 7))
        counts = np.zeros((len(rows), 7))
        for day in range(7):
            on_day = profile_valid & (weekday == day)[None, :]
            sums[:, day] = np.where(on_day, units, 0.0).sum(axis=1)
            counts[:, day] = on_day.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            overall = sums.sum(axis=1) / counts.sum(axis=1)
            overall = np.nan_to_num(overall)
            factors = (sums + PROFILE_SHRINK_DAYS * overall[:, None]) / (
                overall[:, None] * (counts + PROFILE_SHRINK_DAYS)
            )
        factors = np.where(overall[:, None] > 0, np.nan_to_num(factors, nan=1.0), 1.0)
        factors = factors / factors.mean(axis=1, keepdims=True)
        day_factor = factors[:, weekday]  # (rows, width)

        base_valid = valid[:, base_cols]
        base_units = np.where(base_valid, units[:, base_cols], 0.0)
        base_weight = np.where(base_valid, day_factor[:, base_cols], 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            level = np.nan_to_num(base_units.sum(axis=1) / base_weight.sum(axis=1))
        enough = base_valid.sum(axis=1) >= MIN_BASELINE_SHARE * baseline

        if baseline:
            ago = sales.year_ago[rows]
            ly_window = ago[:, width - window :].sum(axis=1) / window
            ly_base = ago[:, base_cols].sum(axis=1) / baseline
            shrink = YEAR_AGO_SHRINK * np.maximum(level, 1.0)
            ratio = (ly_window + shrink) / (ly_base + shrink)
            seasonal[rows] = np.clip(ratio, *YEAR_AGO_BOUNDS)

        expected_base = level[:, None] * day_factor[:, base_cols]
        residual = np.where(base_valid, (units[:, base_cols] - expected_base) ** 2, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            count = np.maximum(base_valid.sum(axis=1), 1)
            spread = residual.sum(axis=1) / count
            base_mean = np.where(base_valid, expected_base, 0.0).sum(axis=1) / count
            base_sq = np.where(base_valid, expected_base**2, 0.0).sum(axis=1) / count
            dispersion = np.nan_to_num((spread - base_mean) / base_sq)
        dispersion = np.clip(dispersion, MIN_DISPERSION, MAX_DISPERSION)

        mean[rows] = level[:, None] * seasonal[rows, None] * day_factor[:, width - window :]
        alpha[rows] = dispersion[:, None]
        judged[rows] = enough & (level > 0)
        source[rows] = np.where(judged[rows], "history", "")
        if chart_before:
            chart_cols = slice(width - window - chart_before, width - window)
            chart_mean[rows] = level[:, None] * day_factor[:, chart_cols]

    return Expectation(
        mean=mean,
        alpha=alpha,
        judged=judged,
        source=source,
        chart_mean=chart_mean,
        reference_start=reference.start,
        seasonal=seasonal,
    )


def _stockout_days(inputs: ScanInputs, window: int) -> np.ndarray:
    """(n, W): days of the window the product had no stock to sell (module docstring)."""
    sales, stock = inputs.sales, inputs.stock
    stock_by_day = snapshots_by_sales_day(inputs, window + 1)
    end_of_day, start_of_day = stock_by_day[:, 1:], stock_by_day[:, :-1]
    with np.errstate(invalid="ignore"):
        limited = (end_of_day <= 0) | (start_of_day <= 0)
    has_snapshots = ~np.isnan(end_of_day).all(axis=1)
    # Without snapshots: out of stock now, so the trailing run without sales was too.
    out_now = stock.known & (stock.on_hand <= 0) & ~has_snapshots
    if out_now.any():
        units = sales.units[:, -window:]
        zero = units <= 0
        # Length of the trailing run of zero days.
        trailing = np.argmax(~zero[:, ::-1], axis=1)
        trailing = np.where(zero.all(axis=1), window, trailing)
        column = np.arange(window)[None, :]
        run = column >= (window - trailing)[:, None]
        limited |= run & out_now[:, None]
    return limited


def sales_drop_test(inputs: ScanInputs, thresholds: Thresholds) -> DropTest:
    """Run the CUSUM for every product (the verdicts `detect_sales_drop` reports)."""
    sales = inputs.sales
    n, width = sales.units.shape
    window = min(int(thresholds.sales_drop_window_days), width)
    expectation = expectation_build(inputs, window, int(thresholds.sales_drop_baseline_days))
    mean = expectation.mean
    units = sales.units[:, -window:].astype(float)
    column = np.arange(width - window, width)[None, :]
    counted = (column >= sales.first_sale[:, None]) & ~sales.promo[:, -window:]
    counted &= expectation.judged[:, None] & (mean > 0)

    expected_daily = np.where(counted, mean, 0.0).sum(axis=1) / np.maximum(counted.sum(axis=1), 1)
    eligible = (
        expectation.judged
        & inputs.catalog.sellable
        & (expected_daily >= thresholds.sales_drop_min_daily_units)
    )

    store_low = np.zeros(window, dtype=bool)
    if eligible.sum() >= STORE_MIN_PRODUCTS:
        expected_total = np.where(counted & eligible[:, None], mean, 0.0).sum(axis=0)
        actual_total = np.where(counted & eligible[:, None], units, 0.0).sum(axis=0)
        store_low = actual_total < STORE_LOW_SHARE * expected_total

    limited = _stockout_days(inputs, window)
    base_include = counted & ~store_low[None, :] & eligible[:, None]
    include = base_include & ~limited
    llr = nb_llr_drop(units, mean, np.minimum(expectation.alpha, LLR_MAX_DISPERSION), DESIGN_RATIO)
    cusum, start = cusum_path(llr, include)
    cusum_all, start_all = cusum_path(llr, base_include)

    def shares(start_column: np.ndarray, days: np.ndarray) -> np.ndarray:
        segment = days & (np.arange(window)[None, :] >= start_column[:, None])
        expected = np.where(segment, mean, 0.0).sum(axis=1)
        actual = np.where(segment, units, 0.0).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.nan_to_num(1.0 - actual / expected)

    threshold = float(thresholds.sales_drop_cusum_threshold)
    drop_share = shares(start, include)
    fires = eligible & (cusum[:, -1] >= threshold) & (drop_share >= thresholds.sales_drop_min_drop)
    drop_all = shares(start_all, base_include)
    stockout_caused = (
        eligible
        & ~fires
        & (cusum_all[:, -1] >= threshold)
        & (drop_all >= thresholds.sales_drop_min_drop)
        & (limited & base_include).any(axis=1)
    )
    return DropTest(
        expectation=expectation,
        window_dates=sales.dates(window),
        include=include,
        limited=limited,
        store_low=store_low,
        cusum=cusum,
        cusum_all=cusum_all,
        start=start,
        drop_share=drop_share,
        fires=fires,
        stockout_caused=stockout_caused,
        eligible=eligible,
    )


def detect_sales_drop(
    inputs: ScanInputs, thresholds: Thresholds, *, test: DropTest | None = None
) -> list[Finding]:
    """Products selling persistently below what was expected (module docstring)."""
    if len(inputs) == 0 or inputs.sales.days == 0:
        return []
    test = test or sales_drop_test(inputs, thresholds)
    findings = []
    for row in np.flatnonzero(test.fires).tolist():
        finding = _finding(inputs, thresholds, test, row)
        if finding is not None:
            findings.append(finding)
    return findings


def stockout_caused_evidence(inputs: ScanInputs, test: DropTest, row: int) -> dict:
    """What a stockout did to the sales of one product whose drop is stockout-caused."""
    window = len(test.window_dates)
    mean = test.expectation.mean[row]
    units = inputs.sales.units[row, -window:]
    days = test.limited[row]
    return {
        "stockout_days": int(days.sum()),
        "first_stockout_day": test.window_dates[int(np.argmax(days))].isoformat()
        if days.any()
        else None,
        "expected_units_on_those_days": num(float(mean[days].sum()), 1),
        "units_sold_on_those_days": num(float(units[days].sum()), 0),
        "lost_revenue_so_far": num(
            float(np.maximum(mean[days] - units[days], 0).sum() * inputs.catalog.prices[row])
        ),
    }


def _band(mean: np.ndarray, alpha: np.ndarray, level: float) -> np.ndarray:
    """Per-day negative-binomial quantile (Poisson-like when the dispersion is tiny)."""
    mean = np.maximum(mean, 1e-9)
    size = 1.0 / np.maximum(alpha, 1e-6)
    return stats.nbinom.ppf(level, size, size / (size + mean))


def _finding(inputs: ScanInputs, thresholds: Thresholds, test: DropTest, row: int):
    catalog = inputs.catalog
    window = len(test.window_dates)
    mean = test.expectation.mean[row]
    units = inputs.sales.units[row, -window:].astype(float)
    include = test.include[row]
    start = int(test.start[row])
    segment = include & (np.arange(window) >= start)
    expected = float(mean[segment].sum())
    actual = float(units[segment].sum())
    segment_days = int(segment.sum())
    expected_daily = expected / max(segment_days, 1)
    share = float(test.drop_share[row])
    price = float(catalog.prices[row])
    amount = money(share * expected_daily * price * thresholds.revenue_horizon_days)
    if amount < thresholds.min_money_at_risk:
        return None

    alpha = test.expectation.alpha[row]
    chart_before = test.expectation.chart_mean.shape[1]
    chart_days = chart_before + window
    chart_mean = np.concatenate([test.expectation.chart_mean[row], mean])
    chart_alpha = np.concatenate([np.full(chart_before, alpha[0]), alpha])
    known = ~np.isnan(chart_mean)
    p10 = np.full(chart_days, np.nan)
    p90 = np.full(chart_days, np.nan)
    p10[known] = _band(chart_mean[known], chart_alpha[known], 0.1)
    p90[known] = _band(chart_mean[known], chart_alpha[known], 0.9)
    dates = inputs.sales.dates(chart_days)
    chart_units = inputs.sales.units[row, -chart_days:]
    promo = inputs.sales.promo[row, -chart_days:]
    limited = np.concatenate([np.zeros(chart_before, dtype=bool), test.limited[row]])
    below = int((units[include] < _band(mean[include], alpha[include], 0.1)).sum())
    source = str(test.expectation.source[row])
    began = test.window_dates[min(start, window - 1)]
    lost_units = max(expected - actual, 0.0)

    evidence = {
        **product_header(inputs, row),
        "rule": "one-sided CUSUM of NB log-likelihood ratios (fall to 60% of expected)",
        "expected_from": source,
        "reference_forecast_start": str(test.expectation.reference_start[row])
        if source == "forecast"
        else None,
        "seasonal_factor": num(test.expectation.seasonal[row], 3) if source == "history" else None,
        "window_start": test.window_dates[0].isoformat(),
        "window_end": test.window_dates[-1].isoformat(),
        "drop_began": began.isoformat(),
        "days_since_drop_began": segment_days,
        "expected_units": num(expected, 1),
        "actual_units": num(actual, 0),
        "drop_share": num(share, 3),
        "expected_daily_units": num(expected_daily, 2),
        "days_below_p10": below,
        "days_counted": int(include.sum()),
        "cusum": num(float(test.cusum[row, -1]), 2),
        "cusum_threshold": float(thresholds.sales_drop_cusum_threshold),
        "stockout_days_left_out": int((test.limited[row] & ~include & ~test.store_low).sum()),
        "store_wide_low_days_left_out": int(test.store_low.sum()),
        "promotion_days_left_out": int(inputs.sales.promo[row, -window:].sum()),
        "lost_units_so_far": num(lost_units, 1),
        "lost_revenue_so_far": num(lost_units * price),
        "money_basis": "drop_share x expected_daily_units x price x revenue_horizon_days",
        "revenue_horizon_days": thresholds.revenue_horizon_days,
        "chart": {
            "dates": iso_dates(dates),
            "actual": series(chart_units, 1),
            "expected": series(chart_mean, 2),
            "p10": series(p10, 0),
            "p90": series(p90, 0),
            "promotion": [bool(value) for value in promo.tolist()],
            "out_of_stock": [bool(value) for value in limited.tolist()],
            "window_start": test.window_dates[0].isoformat(),
        },
    }
    values = {
        "sku": catalog.skus[row],
        "percent": 100 * share,
        "began": began.isoformat(),
        "horizon": thresholds.revenue_horizon_days,
        "actual": actual,
        "expected": expected,
        "money": money_text(amount, inputs.currency),
    }
    return Finding(
        kind=KIND,
        product_id=int(catalog.ids[row]),
        aspect="",
        money_at_risk=amount,
        title=_("%(sku)s sales are %(percent).0f%% below expected") % values,
        summary=_(
            "Since %(began)s %(sku)s sold %(actual).0f units against %(expected).0f expected "
            "(%(percent).0f%% less). If the drop lasts, about %(money)s of revenue is at risk "
            "over the next %(horizon)d days."
        )
        % values,
        evidence=evidence,
    )

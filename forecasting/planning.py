"""Inventory planning math: one SKU's forecast quantiles and stock in, its plan out (no Django).

The service layer (`forecasting.services.plans`) feeds `plan_compute` with a product's current
forecast, stock and settings and stores the `PlanResult` in `InventoryPlan`; the inventory
benchmark (`bench/inventory_sim.py`) replays a reorder policy with the very same function.
The formulas are written out in the README, section "Inventory plan"; in short:

Demand model
    Day d of the forecast (P10, P50, P90 = q10, q50, q90; the engine stores the expected units
    at level 0.5) becomes a mean and a variance:
        mean_d = q50
        var_d  = max(((q90 - q50) / 1.2816)^2, mean_d)          (upper half of the band; at
                                                                 least Poisson)
    Demand over a window of W days (lead time, lead time + review period, ...):
        M     = sum mean_d
        V_f   = sum var_d + RHO * ((sum sd_d)^2 - sum var_d)   (days' errors correlate RHO)
        V_own = variance of the product's own W-day sales totals over its last 56 days
        V     = max(M, (V_f + V_own) / 2)    (V_f alone with under W + 2 days of sales, no
                                              sale in 56 days, or a comeback, see below)
    The forecast's spread is partly pooled over all SKUs; the product's own recent swings say
    how wrong a W-day total tends to be for this product, so the plan takes the average.
    The window's demand is a negative binomial with mean M and variance V (Poisson when V = M),
    so quantiles are whole units and slow movers keep their lumpy, skewed shape.
    Comeback: when recent sales end in 7-56 days without a sale and the forecast expects less
    than the product sold in the 56 days before that run, the zeros are as likely a stockout
    as a loss of demand; the window's demand is then a mix: share p = clip(8 / run days,
    0.15, 0.8) of the product selling again at that earlier rate, 1 - p of the forecast
    (see `resumption_detect`).

Policy (periodic review, order up to)
    L = lead time (>= 1 day), R = review period (>= 1 day), SL = cycle service level target.
        reorder_point = Q_SL(demand over L + R)                 (the order-up-to level)
        safety_stock  = max(0, reorder_point - M(L + R))
        order         = reorder_point - (on_hand + inbound), if positive, raised to the MOQ and
                        rounded up to whole case packs; 0 otherwise.

Outlook (inbound is assumed to land on day L, the day an order placed today would)
    stockout_risk  = P(demand over L > on_hand)        (nothing new can land before day L)
    lost_revenue   = max(0, median demand over L - on_hand) * price
    days_of_cover  = days until expected demand uses up on_hand + inbound
    stockout_date  = today + first day on which expected demand exceeds the stock on the shelf
                     (inbound counted from day L); none within PROJECTION_DAYS -> no date
    overstock      = on_hand + inbound - (expected demand over L + cover target + safety
                     stock), whole units, valued at cost (half the price without a cost)
    aged_units     = on_hand - expected demand over (aged_after_days - days since the last
                     delivery): the shelf's units (first in, first out) still there once aged
    markdown       = for overstock, see `markdown_scenario`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import special

PLANNING_VERSION = "1.0"

# Correlation of one day's forecast error with another day's in the same window. 0 would treat
# days as independent (too little safety stock when the level is wrong for the whole week), 1
# would add up the daily quantiles (far too much). This, OWN_SPREAD_WEIGHT and the comeback
# constants were set with `bench/inventory_sim.py --backtest-days 28` (the M5 history's own
# last 28 days, re-forecast weekly), so that the cycle service level lands on targets of 90 to
# 98 %; the benchmark's holdout was not used.
DAY_ERROR_CORRELATION = 0.15
# Weight of the product's own recent W-day swings in a window's variance (the rest is the
# forecast's), and how many days of sales they are measured on.
OWN_SPREAD_WEIGHT = 0.5
OWN_SPREAD_DAYS = 56
# A normal's P90 lies 1.2816 standard deviations above its middle.
Z_90 = 1.2815515655446004
# Money tied up in a unit when the product has no cost: half the price (a 50 % gross margin).
COST_SHARE_OF_PRICE_WITHOUT_COST = 0.5
# Yearly cost of keeping a unit in stock (capital, space, shrink, obsolescence) as a share of
# its value; a unit that would sit for years is worth less kept than sold at a markdown.
HOLDING_COST_RATE_PER_YEAR = 0.25
MARKDOWN_CUTS = (0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50)
# Without a usable forecast: a flat demand at the mean of the last FALLBACK_MEAN_DAYS days, with
# the variance of the last FALLBACK_VARIANCE_DAYS days; markdowns look this far ahead.
FALLBACK_MEAN_DAYS = 28
FALLBACK_VARIANCE_DAYS = 56
FALLBACK_HORIZON_DAYS = 28
# Days of cover and stockout dates are projected this far (beyond the forecast, its last week
# repeats); a stockout further out has no date.
PROJECTION_DAYS = 365
REQUIRED_LEVELS = (0.1, 0.5, 0.9)
# A product whose sales end in a run of RESUME_MIN_RUN_DAYS to RESUME_MAX_RUN_DAYS days
# without a sale may have been out of stock: the plan keeps a share RESUME_SHARE_DAYS / run
# days (within [RESUME_SHARE_MIN, RESUME_SHARE_MAX]) of the demand for it selling again at its
# rate over the RESUME_RATE_DAYS days before the run. The share follows how often products of
# the M5 history sold again within 10 days (`bench/inventory_sim.py --comeback-stats
# --backtest-days 28`: 73 % after 7-9 days without a sale, 57 % after 10-13, 43 % after 14-20,
# 40 % after 21-27, 20 % after 28-41, 11 % after 42-56). After 8 weeks the plan stops expecting
# a comeback: a product silent that long may just as well be discontinued, and restocking it
# is the merchant's call.
RESUME_MIN_RUN_DAYS = 7
RESUME_MAX_RUN_DAYS = 56
RESUME_SHARE_DAYS = 8.0
RESUME_SHARE_MIN = 0.15
RESUME_SHARE_MAX = 0.8
RESUME_RATE_DAYS = 56


@dataclass
class PlanInputs:
    """Everything one SKU's plan depends on.

    `quantiles` maps a level to daily demand from `forecast_start` (one value a day); it needs
    the levels 0.1, 0.5 and 0.9. `inbound` is stock already ordered, due by the end of the lead
    time (the plan assumes it lands on day `lead_time_days`). `recent_daily_units` are the last
    days of actual sales up to yesterday, oldest first (180 give every rule its full window):
    the demand when there is no usable forecast, the product's own swings (last 56 days) and
    the comeback check (a run without sales plus the 56 days before it).
    """

    today: dt.date
    forecast_start: dt.date
    quantiles: Mapping[float, np.ndarray]
    on_hand: int
    inbound: int
    lead_time_days: int
    review_period_days: int
    moq: int
    case_pack: int
    service_level: float
    cover_target_days: int
    aged_after_days: int
    price: float
    cost: float | None
    elasticity: float
    recent_daily_units: np.ndarray
    days_since_last_receipt: int | None = None


@dataclass
class PlanResult:
    """One SKU's plan; the fields map one to one onto `InventoryPlan`'s outputs.

    `demand_source` says where the demand came from: "forecast", "recent_sales" (no usable
    forecast) or "none" (neither: zero demand).
    """

    mean_daily_demand: float
    safety_stock: float
    reorder_point: float
    order_quantity: int
    days_of_cover: float | None
    stockout_date: dt.date | None
    stockout_risk: float
    lost_revenue: float
    overstock_units: int
    overstock_value: float
    aged_units: int
    markdown: dict = field(default_factory=dict)
    demand_source: str = "forecast"


@dataclass(frozen=True)
class WindowDemand:
    """Demand summed over a window of days: a mix of negative binomials (weight, mean, var).

    One part normally; two when the product may be coming back from a stockout (see
    `resumption_detect`): the forecast's, and the product's earlier selling rate.
    """

    parts: tuple[tuple[float, float, float], ...]

    @property
    def mean(self) -> float:
        return sum(weight * mean for weight, mean, _ in self.parts)

    def cdf(self, units: float) -> float:
        """P(demand <= units)."""
        return sum(weight * demand_cdf(units, mean=m, var=v) for weight, m, v in self.parts)

    def quantile(self, level: float) -> int:
        """Smallest whole number of units u with P(demand <= u) >= level."""
        if self.mean <= 0 or level <= 0:
            return 0
        level = min(level, 1 - 1e-12)
        high = max(demand_quantile(level, mean=m, var=v) for _, m, v in self.parts)
        low = -1  # cdf(-1) = 0 < level; cdf(high) >= level (every part is below it)
        while high - low > 1:
            middle = (low + high) // 2
            if self.cdf(middle) >= level:
                high = middle
            else:
                low = middle
        return high


@dataclass(frozen=True)
class DailyDemand:
    """The demand of each day from today (index 0 = today).

    `mean`/`var`: the forecast's expected units and variance per day (or the fallback's).
    `horizon_days` days come from the forecast; the arrays are longer, the forecast's last week
    repeated, so that windows beyond the horizon can be summed. With `resume_share` > 0 the
    product may instead sell at its earlier rate (`resume_mean`, `resume_var` a day): see
    `resumption_detect`.
    """

    mean: np.ndarray
    var: np.ndarray
    horizon_days: int
    source: str
    resume_share: float = 0.0
    resume_mean: float = 0.0
    resume_var: float = 0.0
    recent: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def expected(self) -> np.ndarray:
        """Expected units per day, the chance of a comeback included."""
        share = self.resume_share
        return (1 - share) * self.mean + share * self.resume_mean

    def window(self, start: int, days: int) -> WindowDemand:
        """The demand summed over `days` days from day `start`."""
        if days <= 0:
            return WindowDemand(parts=((1.0, 0.0, 0.0),))
        mean, variance = _correlated_sum(
            self.mean[start : start + days], self.var[start : start + days]
        )
        # The product's own swings: not when its recent zeros may be a stockout (the comeback
        # part stands for those).
        own = own_window_variance(self.recent, days) if self.resume_share <= 0 else None
        if own is not None:
            variance = max((1 - OWN_SPREAD_WEIGHT) * variance + OWN_SPREAD_WEIGHT * own, mean)
        forecast = (mean, variance)
        if self.resume_share <= 0:
            return WindowDemand(parts=((1.0, *forecast),))
        comeback = _correlated_sum(np.full(days, self.resume_mean), np.full(days, self.resume_var))
        share = self.resume_share
        return WindowDemand(parts=((1 - share, *forecast), (share, *comeback)))


def own_window_variance(recent: np.ndarray, days: int) -> float | None:
    """Variance of the product's sales totals over every `days` consecutive days of its last
    OWN_SPREAD_DAYS days of sales; None with too little history or no sale at all."""
    units = recent[-OWN_SPREAD_DAYS:]
    if OWN_SPREAD_WEIGHT <= 0 or len(units) < days + 2 or not units.any():
        return None
    totals = np.convolve(units, np.ones(days), mode="valid")
    return float(totals.var(ddof=1))


def _correlated_sum(mean: np.ndarray, var: np.ndarray) -> tuple[float, float]:
    """Mean and variance of a sum of days whose errors correlate DAY_ERROR_CORRELATION."""
    sd = np.sqrt(var)
    total_var = float(var.sum())
    correlated = DAY_ERROR_CORRELATION * (float(sd.sum()) ** 2 - total_var)
    return float(mean.sum()), total_var + max(correlated, 0.0)


# --- demand ------------------------------------------------------------------------------------


def day_moments_from_quantiles(
    q10: np.ndarray, q50: np.ndarray, q90: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per-day mean and variance from the P10/P50/P90 paths (arrays of equal length).

    The engine puts the expected units at level 0.5 (not the median: with intermittent demand
    the median is 0 on most days), so the mean is P50. The spread is read from the upper half,
    where safety stock lives: sd = (P90 - P50) / 1.2816, the normal's distance from the middle
    to P90. The variance is at least the mean, the Poisson floor of unit sales, so coarse or
    flat quantiles never claim near certainty. Quantiles are made non-negative and
    non-crossing first.
    """
    low = np.clip(np.nan_to_num(np.asarray(q10, dtype=float)), 0.0, None)
    mean = np.maximum(np.nan_to_num(np.asarray(q50, dtype=float)), low)
    high = np.maximum(np.nan_to_num(np.asarray(q90, dtype=float)), mean)
    sd = (high - mean) / Z_90
    return mean, np.maximum(sd**2, mean)


def _level_path(quantiles: Mapping, level: float) -> np.ndarray | None:
    for key, values in quantiles.items():
        try:
            if abs(float(key) - level) < 1e-9:
                return np.asarray(values, dtype=float).ravel()
        except (TypeError, ValueError):
            continue
    return None


def _extend(values: np.ndarray, offset: int, length: int) -> np.ndarray:
    """`length` days of a forecast path from index `offset` (may be negative or past the end).

    Days outside the path repeat the path's last week (first week before its start), weekday
    for weekday, so a Saturday peak stays on Saturdays.
    """
    n = len(values)
    period = min(7, n)
    index = offset + np.arange(length)
    after = index >= n
    index[after] = n - period + (index[after] - n) % period
    before = index < 0
    index[before] = index[before] % period
    return values[index]


def _recent_units(recent: np.ndarray) -> np.ndarray:
    units = np.asarray(recent if recent is not None else [], dtype=float).ravel()
    return units[np.isfinite(units)]


def demand_build(inputs: PlanInputs, *, length: int) -> DailyDemand:
    """Daily demand from `inputs.today` on, `length` days long (at least the horizon).

    From the forecast when it has P10/P50/P90 and still covers today; otherwise a flat demand
    from recent sales (mean of the last 28 days, variance of the last 56, at least Poisson);
    with neither, zero demand.
    """
    recent = np.clip(_recent_units(inputs.recent_daily_units), 0.0, None)
    demand = replace(_base_demand(inputs, length=length), recent=recent)
    share, rate, spread = resumption_detect(
        recent=recent,
        expected_rate=float(demand.mean[: demand.horizon_days].mean()),
        on_hand=inputs.on_hand,
        days_since_last_receipt=inputs.days_since_last_receipt,
    )
    if share <= 0:
        return demand
    return replace(demand, resume_share=share, resume_mean=rate, resume_var=spread)


def _base_demand(inputs: PlanInputs, *, length: int) -> DailyDemand:
    paths = [_level_path(inputs.quantiles or {}, level) for level in REQUIRED_LEVELS]
    offset = (inputs.today - inputs.forecast_start).days
    if all(p is not None and len(p) for p in paths) and len({len(p) for p in paths}) == 1:
        n = len(paths[0])
        if offset < n:
            mean, var = day_moments_from_quantiles(*paths)
            horizon = n - max(offset, 0)
            length = max(length, horizon)
            return DailyDemand(
                mean=_extend(mean, offset, length),
                var=_extend(var, offset, length),
                horizon_days=horizon,
                source="forecast",
            )
    recent = np.clip(_recent_units(inputs.recent_daily_units), 0.0, None)
    length = max(length, FALLBACK_HORIZON_DAYS)
    if recent.sum() > 0:
        level = float(recent[-FALLBACK_MEAN_DAYS:].mean())
        window = recent[-FALLBACK_VARIANCE_DAYS:]
        spread = float(window.var(ddof=1)) if len(window) > 1 else level
        return DailyDemand(
            mean=np.full(length, level),
            var=np.full(length, max(spread, level)),
            horizon_days=FALLBACK_HORIZON_DAYS,
            source="recent_sales",
        )
    return DailyDemand(
        mean=np.zeros(length),
        var=np.zeros(length),
        horizon_days=FALLBACK_HORIZON_DAYS,
        source="none",
    )


def resumption_detect(
    *,
    recent: np.ndarray,
    expected_rate: float,
    on_hand: int,
    days_since_last_receipt: int | None,
) -> tuple[float, float, float]:
    """(share, units a day, variance a day) of a comeback at the product's earlier rate.

    Sales data only show demand the shelf could serve: a product that sold steadily and then
    not at all for weeks was, as often as not, out of stock, and a forecast learnt from those
    zeros expects nothing, so the plan would never restock it. When the recent sales end in a
    run of RESUME_MIN_RUN_DAYS to RESUME_MAX_RUN_DAYS days without a sale and the forecast
    expects less than the product sold a day over the RESUME_RATE_DAYS days before the run,
    the plan keeps a share RESUME_SHARE_DAYS / run days (between RESUME_SHARE_MIN and
    RESUME_SHARE_MAX) for the product selling at that rate again. Not when stock was on the
    shelf through the whole run (delivered before it began and still there): nobody wanted it.
    """
    sold = np.flatnonzero(recent > 0)
    if len(sold) == 0:
        return 0.0, 0.0, 0.0
    run = len(recent) - (int(sold[-1]) + 1)
    if run < RESUME_MIN_RUN_DAYS or run > RESUME_MAX_RUN_DAYS:
        return 0.0, 0.0, 0.0
    if on_hand > 0 and days_since_last_receipt is not None and days_since_last_receipt >= run:
        return 0.0, 0.0, 0.0
    selling = recent[max(int(sold[-1]) + 1 - RESUME_RATE_DAYS, 0) : sold[-1] + 1]
    rate = float(selling.mean())
    if rate <= expected_rate:
        return 0.0, 0.0, 0.0
    spread = float(selling.var(ddof=1)) if len(selling) > 1 else rate
    share = min(RESUME_SHARE_MAX, max(RESUME_SHARE_MIN, RESUME_SHARE_DAYS / run))
    return share, rate, max(spread, rate)


# --- the distribution of a window's demand -----------------------------------------------------


def demand_cdf(units: float, *, mean: float, var: float) -> float:
    """P(demand <= units) for a window's demand: negative binomial (Poisson when var <= mean)."""
    if units < 0:
        return 0.0
    if mean <= 0:
        return 1.0
    k = math.floor(units + 1e-9)
    if var <= mean * (1 + 1e-9):
        return float(special.gammaincc(k + 1, mean))
    p = mean / var
    n = mean * mean / (var - mean)
    return float(special.betainc(n, k + 1, p))


def demand_quantile(level: float, *, mean: float, var: float) -> int:
    """Smallest whole number of units u with P(demand <= u) >= level."""
    if mean <= 0 or level <= 0:
        return 0
    level = min(level, 1 - 1e-12)
    low, high = 0, max(1, math.ceil(mean + 10 * math.sqrt(max(var, mean)) + 10))
    while demand_cdf(high, mean=mean, var=var) < level:
        low, high = high, high * 2
    if demand_cdf(low, mean=mean, var=var) >= level:
        return low
    while high - low > 1:  # cdf(low) < level <= cdf(high)
        middle = (low + high) // 2
        if demand_cdf(middle, mean=mean, var=var) >= level:
            high = middle
        else:
            low = middle
    return high


# --- pieces of the plan ------------------------------------------------------------------------


def order_quantity_round(units: float, *, moq: int, case_pack: int) -> int:
    """Whole units to order for a need of `units`: 0 if none, else at least the MOQ and a
    multiple of the case pack (rounded up, so the MOQ may end up exceeded by part of a pack)."""
    if units <= 1e-9:
        return 0
    need = max(math.ceil(units - 1e-9), int(moq or 0), 1)
    pack = max(int(case_pack or 1), 1)
    return -(-need // pack) * pack


def unit_value(*, price: float, cost: float | None) -> float:
    """Money tied up in one unit: its cost, or half its price when the cost is unknown."""
    if cost is not None and cost >= 0:
        return float(cost)
    return max(float(price), 0.0) * COST_SHARE_OF_PRICE_WITHOUT_COST


def days_of_cover_compute(stock: float, demand: DailyDemand) -> float | None:
    """Days until expected demand uses up `stock` (fractional; None when there is no demand).

    The forecast's last week repeats beyond the horizon; past PROJECTION_DAYS the cover is
    extended at that week's average rate.
    """
    expected = demand.expected
    if stock <= 0:
        return 0.0 if expected.sum() > 0 else None
    cumulative = np.cumsum(expected)
    if cumulative[-1] <= 0:
        return None
    day = int(np.searchsorted(cumulative, stock - 1e-9))
    if day < len(cumulative):
        before = cumulative[day - 1] if day else 0.0
        return float(day + (stock - before) / expected[day])
    rate = float(expected[-7:].mean())
    if rate <= 0:
        return None
    return float(len(cumulative) + (stock - cumulative[-1]) / rate)


def stockout_day_compute(
    *, on_hand: float, inbound: float, arrival_day: int, demand: DailyDemand
) -> int | None:
    """First day (0 = today) on which expected demand exceeds the stock on the shelf.

    Inbound stock counts from `arrival_day` on, so a product that is out today shows today even
    with an order on its way. None when the stock outlasts PROJECTION_DAYS.
    """
    expected = demand.expected[:PROJECTION_DAYS]
    cumulative = np.cumsum(expected)
    available = np.full(len(cumulative), max(on_hand, 0.0))
    available[arrival_day:] += max(inbound, 0.0)
    short = np.flatnonzero((cumulative > available + 1e-9) & (expected > 0))
    return int(short[0]) if len(short) else None


def markdown_scenario(
    *,
    stock: float,
    overstock_units: int,
    horizon_demand: float,
    horizon_days: int,
    price: float,
    cost: float | None,
    elasticity: float,
) -> dict:
    """The price cut (10..50 %) that gets the most out of an overstocked product.

    Constant elasticity e: units sold at a cut c are (1 - c) ** e times the expected units
    (capped by the stock). Revenue over the horizon is units * price * (1 - c); a unit left
    unsold is worth `keep_value` = unit value * max(0, 1 - 25 %/year * years it would wait),
    the wait being half the overstock's days of cover at the current rate. The chosen cut
    maximises revenue + keep_value * units left; `net_gain` compares that with no markdown
    (negative: the markdown does not pay for itself).
    """
    rate = horizon_demand / horizon_days if horizon_days else 0.0
    value = unit_value(price=price, cost=cost)
    if rate > 0:
        wait_years = overstock_units / (2 * rate) / 365
        keep_value = value * max(0.0, 1 - HOLDING_COST_RATE_PER_YEAR * wait_years)
    else:
        keep_value = 0.0  # nothing sells: kept units earn nothing
    stock = max(stock, 0.0)

    def outcome(cut: float) -> tuple[float, float, float]:
        units = min(stock, horizon_demand * (1 - cut) ** elasticity)
        revenue = units * price * (1 - cut)
        return units, revenue, revenue + keep_value * (stock - units)

    baseline_units, _, baseline_total = outcome(0.0)
    best_cut = max(MARKDOWN_CUTS, key=lambda cut: (outcome(cut)[2], -cut))
    units, revenue, total = outcome(best_cut)
    return {
        "price_cut": best_cut,
        "new_price": round(price * (1 - best_cut), 2),
        "elasticity": elasticity,
        "days": horizon_days,
        "baseline_units": round(baseline_units, 1),
        "expected_units": round(units, 1),
        "recovered": round(revenue, 2),
        "keep_value": round(keep_value, 2),
        "net_gain": round(total - baseline_total, 2),
    }


# --- the plan ----------------------------------------------------------------------------------


def plan_compute(inputs: PlanInputs) -> PlanResult:
    """One SKU's inventory plan from its forecast, stock and settings (formulas: module doc).

    Lead time and review period count at least one day. Negative stock on hand (back orders)
    raises the order; the shelf itself holds max(on_hand, 0).
    """
    lead = max(int(inputs.lead_time_days), 1)
    review = max(int(inputs.review_period_days), 1)
    cover_target = max(int(inputs.cover_target_days), 0)
    level = min(max(float(inputs.service_level), 0.0), 0.9999)
    price = max(float(inputs.price or 0), 0.0)
    on_shelf = float(max(int(inputs.on_hand), 0))
    inbound = float(max(int(inputs.inbound), 0))
    position = float(inputs.on_hand) + inbound
    aged_after = max(int(inputs.aged_after_days), 0)
    length = max(lead + review, lead + cover_target, aged_after, PROJECTION_DAYS) + 7
    demand = demand_build(inputs, length=length)

    # Order up to the service-level quantile of demand over lead time + review period.
    cycle = demand.window(0, lead + review)
    reorder_point = cycle.quantile(level)
    safety_stock = max(0.0, reorder_point - cycle.mean)
    order = order_quantity_round(
        reorder_point - position, moq=inputs.moq, case_pack=inputs.case_pack
    )

    # Before anything new can land (the lead time), only the shelf serves demand.
    lead_demand = demand.window(0, lead)
    stockout_risk = 1.0 - lead_demand.cdf(on_shelf)
    lost_units = max(0.0, lead_demand.quantile(0.5) - on_shelf)

    days_of_cover = days_of_cover_compute(on_shelf + inbound, demand)
    stockout_day = stockout_day_compute(
        on_hand=on_shelf, inbound=inbound, arrival_day=lead, demand=demand
    )

    # Overstock: beyond the expected demand of lead time + cover target, plus safety stock.
    needed = float(demand.expected[: lead + cover_target].sum()) + safety_stock
    overstock_units = max(0, math.floor(on_shelf + inbound - needed + 1e-9))
    value = unit_value(price=price, cost=inputs.cost)

    # Aged: units on the shelf now (sold first in, first out) still there once they are
    # `aged_after_days` old; they are already `days_since_last_receipt` old at least.
    age_now = max(int(inputs.days_since_last_receipt or 0), 0)
    ageing_days = max(aged_after - age_now, 0)
    ageing_demand = float(demand.expected[:ageing_days].sum())
    aged_units = max(0, math.floor(on_shelf - ageing_demand + 1e-9))

    horizon_demand = float(demand.expected[: demand.horizon_days].sum())
    markdown = {}
    if overstock_units > 0:
        markdown = markdown_scenario(
            stock=on_shelf + inbound,
            overstock_units=overstock_units,
            horizon_demand=horizon_demand,
            horizon_days=demand.horizon_days,
            price=price,
            cost=inputs.cost,
            elasticity=float(inputs.elasticity),
        )
    return PlanResult(
        mean_daily_demand=round(horizon_demand / demand.horizon_days, 4),
        safety_stock=round(safety_stock, 2),
        reorder_point=float(reorder_point),
        order_quantity=order,
        days_of_cover=None if days_of_cover is None else round(days_of_cover, 1),
        stockout_date=None
        if stockout_day is None
        else inputs.today + dt.timedelta(days=stockout_day),
        stockout_risk=round(min(max(stockout_risk, 0.0), 1.0), 4),
        lost_revenue=round(lost_units * price, 2),
        overstock_units=overstock_units,
        overstock_value=round(overstock_units * value, 2),
        aged_units=aged_units,
        markdown=markdown,
        demand_source=demand.source,
    )


def service_level_for(
    *,
    default: float,
    category_overrides: Mapping[str, float],
    product_overrides: Mapping[int, float],
    category: str,
    product_id: int,
) -> float:
    """The service-level target of one product: its own override, else its category's, else
    the merchant's default."""
    if product_id in product_overrides:
        return float(product_overrides[product_id])
    if category and category in category_overrides:
        return float(category_overrides[category])
    return float(default)

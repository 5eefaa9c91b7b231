"""Replays the M5 holdout with the inventory plan's reorder policy, next to textbook policies.

    .venv/bin/python bench/inventory_sim.py [--history PATH ...] [--holdout PATH]
        [--calendar PATH] [--lead-time 3] [--review-period 7] [--service-level 0.95]
        [--reforecast-every 7] [--backtest-days N] [--forecast-cache DIR]
        [--forecaster engine|standin] [--limit N] [--json PATH] [--comeback-stats]

Data: wide CSVs `id,d_1..d_N` (--history may be given several times, joined by id and day),
the next days in --holdout, dates from --calendar (row i is day d_i). With --backtest-days N the
last N days of the history are the holdout instead: the planning constants were set that way,
without looking at --holdout.

Every policy reviews every R days (--review-period) and orders up to a level S; an order arrives
L days later (--lead-time); unmet demand is lost. Each starts with its own S on the shelf.
- plan: `forecasting.planning.plan_compute` (S = its reorder point, order = its suggested order
  quantity, MOQ and case pack 1) on the product engine's forecast (`forecasting.engine`, 28
  days), made on the first holdout day and again every --reforecast-every days from the sales
  known by then, as the nightly run would; between forecasts the plan reads the latest one from
  the review day on (its last week repeats past its horizon);
- baseline: S = the same forecast's P50 over L + R + z * sd * sqrt(L + R), sd the standard
  deviation of the last 56 days of demand known at the review, z the normal quantile of the
  target (the safety stock from past demand);
- moving average: the same with the 56-day mean * (L + R) instead of the forecast;
- the baseline again with z raised (bisection) until it serves as many cycles as the plan: the
  stock each needs for the same service.
- oracle: S = M + k * sqrt(M), M the SKU's mean daily demand over the replayed days (known in
  advance: no forecast can) times L + R, k raised (bisection) until it serves 2 points below
  the target, the least the target allows: how little stock a perfect forecast of each SKU's
  level would need, the bound for the plan's "no more stock than the baseline".
A cycle is the R days an order protects, [t + L, t + L + R) for an order placed on day t (the
first from day 0); only cycles that end inside the holdout count, and all measures are taken
over their days. Cycle service level = share of cycles without lost sales; fill rate = units
sold / units demanded; on hand = average end-of-day units on the shelf per SKU.
Target: cycle service level within 2 points of the target, with no more stock than the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _harness import BenchError, bench_exit, write_json  # noqa: E402

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "m5_foods3_tx3"
DEFAULT_HISTORY = DATA / "sales_train_validation_afcs2025.csv"
DEFAULT_HOLDOUT = DATA / "sales_test_validation_afcs2025.csv"
DEFAULT_CALENDAR = DATA / "calendar_afcs2025.csv"
BASELINE_WINDOW_DAYS = 56
# The target: cycle service level within this of the target service level.
SERVICE_TOLERANCE = 0.02
# Sales history the plan sees (`PlanInputs.recent_daily_units`).
RECENT_DAYS = 180
# The plan's other inputs; they do not move the order-up-to level.
COVER_TARGET_DAYS = 30
AGED_AFTER_DAYS = 90
JSON_KEYS = (
    "target_service_level",
    "cycle_service_level",
    "fill_rate",
    "avg_on_hand",
    "baseline_cycle_service_level",
    "baseline_fill_rate",
    "baseline_avg_on_hand",
    "moving_average_cycle_service_level",
    "moving_average_fill_rate",
    "moving_average_avg_on_hand",
    "on_hand_vs_baseline",
    "same_service_baseline_z",
    "same_service_baseline_cycle_service_level",
    "same_service_baseline_fill_rate",
    "same_service_baseline_avg_on_hand",
    "on_hand_vs_same_service_baseline",
    "oracle_k",
    "oracle_cycle_service_level",
    "oracle_fill_rate",
    "oracle_avg_on_hand",
    "oracle_on_hand_vs_baseline",
    "lead_time_days",
    "review_period_days",
    "skus",
    "cycles",
    "forecast_seconds",
    "forecasts",
    "plan_seconds",
)
# SKUs are also scored per band of volume (terciles of units a day over the last 56 days
# before the holdout): where each policy's stock sits and which products it serves.
VOLUME_BANDS = 3


# --- data --------------------------------------------------------------------------------------


def _day_number(column: str) -> int:
    if not column.startswith("d_") or not column[2:].isdigit():
        raise BenchError(f"unexpected column {column!r}: expected d_<day number>")
    return int(column[2:])


def _sku_id(raw: str) -> str:
    """M5 ids end in _validation or _evaluation depending on the file; the SKU is the rest."""
    for suffix in ("_validation", "_evaluation"):
        if raw.endswith(suffix):
            return raw[: -len(suffix)]
    return raw


def read_wide(paths: list[str]) -> pd.DataFrame:
    """SKUs x days (columns are day numbers), several files joined by SKU and day."""
    frames = []
    for path in paths:
        if not Path(path).is_file():
            raise BenchError(f"{path} does not exist")
        frame = pd.read_csv(path)
        if "id" not in frame.columns:
            raise BenchError(f"{path} has no id column")
        frame["id"] = frame["id"].astype(str).map(_sku_id)
        frame = frame.set_index("id")
        if frame.index.duplicated().any():
            raise BenchError(f"{path} repeats ids")
        frame.columns = [_day_number(c) for c in frame.columns]
        frames.append(frame)
    wide = pd.concat(frames, axis=1, join="outer")
    if wide.columns.duplicated().any():
        raise BenchError("the files overlap (the same day twice)")
    wide = wide.reindex(columns=sorted(wide.columns))
    days = np.asarray(wide.columns)
    if len(days) and (np.diff(days) != 1).any():
        raise BenchError("the days are not contiguous")
    return wide.fillna(0).clip(lower=0)


def read_calendar(path: str) -> pd.DataFrame:
    if not Path(path).is_file():
        raise BenchError(f"{path} does not exist")
    calendar = pd.read_csv(path)
    calendar["date"] = pd.to_datetime(calendar["date"], format="%m/%d/%Y").dt.date
    calendar.index = np.arange(1, len(calendar) + 1)  # row i is day d_i
    return calendar


@dataclass
class Panel:
    ids: list[str]
    history: np.ndarray  # SKUs x days
    holdout: np.ndarray  # SKUs x days
    first_day: int  # day number of history[:, 0]
    calendar: pd.DataFrame

    def date(self, day_number: int) -> dt.date:
        if day_number in self.calendar.index:
            return self.calendar.at[day_number, "date"]
        first = self.calendar["date"].iloc[0]
        return first + dt.timedelta(days=day_number - 1)

    def known(self, day: int) -> np.ndarray:
        """SKUs x days of demand known on holdout day `day`: the history and the days before."""
        return np.concatenate([self.history, self.holdout[:, :day]], axis=1)

    @property
    def origin(self) -> int:
        """Day number of the first holdout day."""
        return self.first_day + self.history.shape[1]


def load_panel(args) -> Panel:
    history = read_wide(args.history)
    if args.backtest_days:
        if args.backtest_days >= history.shape[1] - 56:
            raise BenchError("--backtest-days leaves too little history")
        holdout = history.iloc[:, -args.backtest_days :]
        history = history.iloc[:, : -args.backtest_days]
    else:
        holdout = read_wide([args.holdout])
        missing = history.index.difference(holdout.index)
        if len(missing):
            raise BenchError(f"{len(missing)} SKUs have no holdout, e.g. {missing[0]}")
        holdout = holdout.loc[history.index]
        if holdout.columns[0] != history.columns[-1] + 1:
            raise BenchError("the holdout does not start the day after the history ends")
    if args.limit:
        history, holdout = history.iloc[: args.limit], holdout.iloc[: args.limit]
    return Panel(
        ids=list(history.index),
        history=history.to_numpy(dtype=float),
        holdout=holdout.to_numpy(dtype=float),
        first_day=int(history.columns[0]),
        calendar=read_calendar(args.calendar),
    )


# --- forecasts ---------------------------------------------------------------------------------


def category_of(sku_id: str) -> str:
    return "_".join(sku_id.split("_")[:2])  # FOODS_3_001_TX_3_validation -> FOODS_3


def calendar_events(panel: Panel, last_day: int) -> dict[dt.date, list[str]]:
    """Named events and SNAP days up to `last_day` (a store knows them in advance), in the
    engine's form: date -> names."""
    events: dict[dt.date, list[str]] = {}
    calendar = panel.calendar.loc[: min(last_day, panel.calendar.index[-1])]
    for row in calendar.itertuples(index=False):
        names = [
            str(value)
            for value in (getattr(row, "event_name_1", None), getattr(row, "event_name_2", None))
            if isinstance(value, str) and value and value != "NA"
        ]
        if int(getattr(row, "snap_TX", 0) or 0):
            names.append("SNAP")
        if names:
            events[row.date] = names
    return events


def forecast_engine(
    panel: Panel, *, day: int, horizon: int, levels: tuple[float, ...]
) -> np.ndarray:
    """The product engine's quantiles (levels x SKUs x days) from the history plus the first
    `day` holdout days, for the `horizon` days after them."""
    from forecasting.engine import EngineConfig, Series, forecast_panel

    start = panel.date(panel.first_day)
    values = panel.known(day)
    series = [
        Series(key=sku, values=values[i], start=start, category=category_of(sku))
        for i, sku in enumerate(panel.ids)
    ]
    config = EngineConfig(freq="D", horizon=horizon, quantiles=levels)
    events = calendar_events(panel, panel.origin + day + horizon - 1)
    forecast = forecast_panel(series, config=config, events=events)
    out = np.zeros((len(levels), len(panel.ids), horizon))
    for i, sku in enumerate(panel.ids):
        result = forecast.results[sku]
        for j, level in enumerate(levels):
            out[j, i] = np.asarray(result.quantiles[level], dtype=float)[:horizon]
    return out


def forecast_standin(
    panel: Panel, *, day: int, horizon: int, levels: tuple[float, ...]
) -> np.ndarray:
    """Development stand-in (`--forecaster standin`), not the product's forecast: the last 28
    days' mean with a weekday profile, negative binomial quantiles with the dispersion of the
    last 56 days, the mean at level 0.5 as the engine does."""
    from scipy import stats

    history = panel.known(day)
    recent = history[:, -84:]
    level = history[:, -28:].mean(axis=1)
    weekday_mean = np.stack([recent[:, k::7].mean(axis=1) for k in range(7)], axis=1)
    overall = recent.mean(axis=1, keepdims=True)
    factors = np.where(overall > 0, (weekday_mean + overall) / (2 * overall + 1e-12), 1.0)
    weekdays = np.arange(horizon) % 7  # the 84-day window starts on the forecast's weekday
    mean = np.maximum(level[:, None] * factors[:, weekdays], 1e-3)
    variance = np.maximum(history[:, -56:].var(axis=1), level * 1.05)[:, None]
    variance = np.maximum(variance * (mean / np.maximum(level, 1e-3)[:, None]), mean * 1.05)
    p = mean / variance
    n = mean * p / (1 - p)
    return np.stack([mean if q == 0.5 else stats.nbinom.ppf(q, n, p) for q in levels])


@dataclass
class Forecasts:
    """One forecast per origin day (0 = first holdout day), each `levels x SKUs x days`."""

    levels: tuple[float, ...]
    by_origin: dict[int, np.ndarray]
    seconds: float

    def latest(self, day: int) -> tuple[int, np.ndarray]:
        origin = max(o for o in self.by_origin if o <= day)
        return origin, self.by_origin[origin]


def forecasts_make(panel: Panel, args) -> Forecasts:
    """Forecast at day 0 and every --reforecast-every days, from what is known by then.

    With --forecast-cache DIR each forecast is kept in DIR (keyed by the data, the day and the
    engine version), so replays with other lead times or service levels reuse it.
    """
    levels = (0.1, 0.5, 0.9)
    horizon = panel.holdout.shape[1]
    days = panel.holdout.shape[1]
    every = args.reforecast_every or days
    forecaster = forecast_engine if args.forecaster == "engine" else forecast_standin
    by_origin, seconds = {}, 0.0
    for day in range(0, days, every):
        path = _cache_path(panel, args, day=day, horizon=horizon, levels=levels)
        if path is not None and path.is_file():
            by_origin[day] = np.load(path)
            continue
        started = time.monotonic()
        by_origin[day] = forecaster(panel, day=day, horizon=horizon, levels=levels)
        seconds += time.monotonic() - started
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, by_origin[day])
    return Forecasts(levels=levels, by_origin=by_origin, seconds=seconds)


def _cache_path(panel: Panel, args, *, day: int, horizon: int, levels) -> Path | None:
    if not args.forecast_cache:
        return None
    import hashlib

    digest = hashlib.sha256()
    version = args.forecaster
    if args.forecaster == "engine":
        # The engine's code itself, not only its version: a cached forecast of other code
        # would replay something the product no longer does.
        for source in sorted(
            (Path(__file__).resolve().parent.parent / "forecasting" / "engine").glob("*.py")
        ):
            digest.update(source.read_bytes())
    digest.update(panel.known(day).tobytes())
    categories = [category_of(sku) for sku in panel.ids]
    digest.update(repr((panel.first_day, day, horizon, levels, version, categories)).encode())
    return Path(args.forecast_cache) / f"{digest.hexdigest()[:24]}.npy"


# --- the replay --------------------------------------------------------------------------------


@dataclass
class Replay:
    cycle_ok_by_sku: np.ndarray  # bool, SKUs x counted cycles
    sold: float
    demanded: float
    on_hand_by_sku: np.ndarray  # average end-of-day units per SKU

    @property
    def cycle_ok(self) -> np.ndarray:
        return self.cycle_ok_by_sku.ravel()

    @property
    def on_hand_mean(self) -> float:
        return float(self.on_hand_by_sku.mean())


def replay(
    demand: np.ndarray,
    *,
    lead: int,
    review: int,
    start_stock: np.ndarray,
    order_up_to_order,
) -> Replay:
    """Day by day: arrivals, then (on review days) an order, then demand (lost when short).

    `order_up_to_order(day, on_hand, pipeline) -> units per SKU` decides the orders.
    """
    skus, days = demand.shape
    on_hand = start_stock.astype(float).copy()
    arrivals = np.zeros((skus, days + lead + 1))
    lost = np.zeros((skus, days))
    sold = np.zeros((skus, days))
    end_stock = np.zeros((skus, days))
    for day in range(days):
        on_hand += arrivals[:, day]
        if day % review == 0:
            pipeline = arrivals[:, day + 1 :].sum(axis=1)
            arrivals[:, day + lead] += order_up_to_order(day, on_hand.copy(), pipeline)
        sold[:, day] = np.minimum(on_hand, demand[:, day])
        lost[:, day] = demand[:, day] - sold[:, day]
        on_hand -= sold[:, day]
        end_stock[:, day] = on_hand
    cycles = []
    counted_until = 0
    for order_day in range(0, days, review):
        first = 0 if order_day == 0 else order_day + lead
        last = order_day + lead + review  # exclusive
        if last > days:
            break
        cycles.append((lost[:, first:last] <= 1e-9).all(axis=1))
        counted_until = last
    if not cycles:
        raise BenchError("the holdout is shorter than lead time + review period")
    return Replay(
        cycle_ok_by_sku=np.stack(cycles, axis=1),
        sold=float(sold[:, :counted_until].sum()),
        demanded=float(demand[:, :counted_until].sum()),
        on_hand_by_sku=end_stock[:, :counted_until].mean(axis=1),
    )


def volume_bands(panel: Panel, replays: dict[str, Replay]) -> list[dict]:
    """Per volume band (terciles of the last 56 history days' units a day): its SKUs, their
    units a day and share of days without a sale, and each policy's cycle service level and
    average on hand there."""
    recent = panel.history[:, -BASELINE_WINDOW_DAYS:]
    volume = recent.mean(axis=1)
    edges = np.quantile(volume, np.linspace(0, 1, VOLUME_BANDS + 1)[1:-1])
    band = np.searchsorted(edges, volume, side="right")
    rows = []
    for index in range(VOLUME_BANDS):
        chosen = band == index
        if not chosen.any():
            continue
        row = {
            "skus": int(chosen.sum()),
            "units_a_day": round(float(volume[chosen].mean()), 3),
            "days_without_sale": round(float((recent[chosen] == 0).mean()), 3),
        }
        for name, result in replays.items():
            row[f"{name}_cycle_service_level"] = round(
                float(result.cycle_ok_by_sku[chosen].mean()), 4
            )
            row[f"{name}_avg_on_hand"] = round(float(result.on_hand_by_sku[chosen].mean()), 3)
        rows.append(row)
    return rows


def plan_policy(panel: Panel, forecasts: Forecasts, args):
    """Order decisions of `plan_compute` on the latest forecast (MOQ and case pack 1)."""
    from forecasting.planning import PlanInputs, plan_compute

    first_date = panel.date(panel.origin)
    levels = forecasts.levels

    def plan(day: int, sku: int, on_hand: float, inbound: float):
        origin, quantiles = forecasts.latest(day)
        return plan_compute(
            PlanInputs(
                today=first_date + dt.timedelta(days=day),
                forecast_start=first_date + dt.timedelta(days=origin),
                quantiles={level: quantiles[j, sku] for j, level in enumerate(levels)},
                on_hand=int(round(on_hand)),
                inbound=int(round(inbound)),
                lead_time_days=args.lead_time,
                review_period_days=args.review_period,
                moq=1,
                case_pack=1,
                service_level=args.service_level,
                cover_target_days=COVER_TARGET_DAYS,
                aged_after_days=AGED_AFTER_DAYS,
                price=1.0,
                cost=None,
                elasticity=-2.0,
                recent_daily_units=panel.known(day)[sku, -RECENT_DAYS:],
            )
        )

    def decide(day: int, on_hand: np.ndarray, pipeline: np.ndarray) -> np.ndarray:
        return np.array(
            [plan(day, i, on_hand[i], pipeline[i]).order_quantity for i in range(len(on_hand))],
            dtype=float,
        )

    start = np.array([plan(0, i, 0, 0).reorder_point for i in range(len(panel.ids))])
    return start, decide


def baseline_policy(
    panel: Panel, args, forecasts: Forecasts | None = None, *, z: float | None = None
):
    """S = expected demand over L + R + z * sd * sqrt(L + R), sd of the last 56 days of known
    demand; the expected demand is the latest forecast's P50 summed over L + R days (its last
    week repeated beyond its horizon, as in the plan) or, without `forecasts`, the mean of the
    same 56 days times L + R (a moving-average policy)."""
    from scipy import stats

    z = float(stats.norm.ppf(args.service_level)) if z is None else z
    exposure = args.lead_time + args.review_period

    def expected(day: int) -> np.ndarray:
        origin, quantiles = forecasts.latest(day)
        path = quantiles[forecasts.levels.index(0.5)]
        width = path.shape[1]
        period = min(7, width)
        index = day - origin + np.arange(exposure)
        index = np.where(index < width, index, width - period + (index - width) % period)
        return path[:, index].sum(axis=1)

    def level(day: int) -> np.ndarray:
        window = panel.known(day)[:, -BASELINE_WINDOW_DAYS:]
        sd = window.std(axis=1, ddof=1)
        mean = window.mean(axis=1) * exposure if forecasts is None else expected(day)
        return np.ceil(mean + z * sd * math.sqrt(exposure) - 1e-9)

    def decide(day: int, on_hand: np.ndarray, pipeline: np.ndarray) -> np.ndarray:
        return np.maximum(level(day) - on_hand - pipeline, 0.0)

    return level(0), decide


def oracle_policy(panel: Panel, args, k: float):
    """An upper bound on what a forecast can do for the plan: S = M + k * sqrt(M), where
    M = L + R times the SKU's mean daily demand over the replayed days, known in advance (no
    forecast knows that much); k * sqrt(M) is a Poisson-shaped safety stock."""
    expected = panel.holdout.mean(axis=1) * (args.lead_time + args.review_period)
    level = np.ceil(expected + k * np.sqrt(expected) - 1e-9)

    def decide(day: int, on_hand: np.ndarray, pipeline: np.ndarray) -> np.ndarray:
        return np.maximum(level - on_hand - pipeline, 0.0)

    return level, decide


def raised_until(replay_with, target: float, *, high: float = 5.0, steps: int = 14):
    """The smallest factor in [0, high] (bisection) whose replay `replay_with(factor)` serves
    at least `target` of the cycles, and that replay; (high, its replay) when even high falls
    short."""
    low, best = 0.0, replay_with(high)
    if best.cycle_ok.mean() < target:
        return high, best
    for _ in range(steps):
        middle = (low + high) / 2
        trial = replay_with(middle)
        if trial.cycle_ok.mean() >= target:
            high, best = middle, trial
        else:
            low = middle
    return high, best


# --- how often products sell again ------------------------------------------------------------

COMEBACK_RUNS = ((7, 10), (10, 14), (14, 21), (21, 28), (28, 42), (42, 57), (57, 120))


def comeback_stats(panel: Panel, *, window: int = 10, lookback: int = 180) -> str:
    """How often a product sold again within `window` days after a run of days without a sale,
    on the history only (origins every 7 days over its last year): the evidence behind the
    plan's comeback share (`forecasting.planning.RESUME_*`)."""
    history = panel.history
    days = history.shape[1]
    counts = {run: [0, 0] for run in COMEBACK_RUNS}
    for origin in range(max(lookback, days - 365), days - window + 1, 7):
        past = history[:, origin - lookback : origin]
        sold = past > 0
        any_sale = sold.any(axis=1)
        last = lookback - 1 - np.argmax(sold[:, ::-1], axis=1)
        run = np.where(any_sale, lookback - 1 - last, -1)
        again = (history[:, origin : origin + window] > 0).any(axis=1)
        for low, high in COMEBACK_RUNS:
            chosen = (run >= low) & (run < high)
            counts[(low, high)][0] += int(chosen.sum())
            counts[(low, high)][1] += int((chosen & again).sum())
    lines = [f"sold again within {window} days, after N days without a sale (history only):"]
    for (low, high), (cases, sold_again) in counts.items():
        share = sold_again / cases if cases else 0.0
        lines.append(f"  {low:>3}-{high - 1:<3} days: {share:6.1%} of {cases} cases")
    return "\n".join(lines)


# --- main --------------------------------------------------------------------------------------


def _ratio(part: float, whole: float) -> float:
    return round(part / whole, 3) if whole else 0.0


def run(args) -> tuple[dict, dict]:
    panel = load_panel(args)
    days = panel.holdout.shape[1]
    cpu = time.process_time()
    forecasts = forecasts_make(panel, args)
    forecast_cpu = time.process_time() - cpu

    def replay_policy(start, decide) -> Replay:
        return replay(
            panel.holdout,
            lead=args.lead_time,
            review=args.review_period,
            start_stock=start,
            order_up_to_order=decide,
        )

    wall = time.monotonic()
    plan = replay_policy(*plan_policy(panel, forecasts, args))
    plan_seconds = time.monotonic() - wall
    base = replay_policy(*baseline_policy(panel, args, forecasts))
    moving = replay_policy(*baseline_policy(panel, args))
    # The baseline again, its z raised until it serves as many cycles as the plan did: the
    # stock each policy needs for the same service.
    same_z, same = raised_until(
        lambda z: replay_policy(*baseline_policy(panel, args, forecasts, z=z)),
        float(plan.cycle_ok.mean()),
    )
    # The oracle, raised until it serves the least the target allows (2 points below it).
    oracle_k, oracle = raised_until(
        lambda k: replay_policy(*oracle_policy(panel, args, k)),
        args.service_level - SERVICE_TOLERANCE,
    )
    results = {
        "target_service_level": args.service_level,
        "cycle_service_level": round(float(plan.cycle_ok.mean()), 4),
        "fill_rate": round(plan.sold / plan.demanded, 4),
        "avg_on_hand": round(plan.on_hand_mean, 3),
        "baseline_cycle_service_level": round(float(base.cycle_ok.mean()), 4),
        "baseline_fill_rate": round(base.sold / base.demanded, 4),
        "baseline_avg_on_hand": round(base.on_hand_mean, 3),
        "moving_average_cycle_service_level": round(float(moving.cycle_ok.mean()), 4),
        "moving_average_fill_rate": round(moving.sold / moving.demanded, 4),
        "moving_average_avg_on_hand": round(moving.on_hand_mean, 3),
        "on_hand_vs_baseline": _ratio(plan.on_hand_mean, base.on_hand_mean),
        "same_service_baseline_z": round(same_z, 3),
        "same_service_baseline_cycle_service_level": round(float(same.cycle_ok.mean()), 4),
        "same_service_baseline_fill_rate": round(same.sold / same.demanded, 4),
        "same_service_baseline_avg_on_hand": round(same.on_hand_mean, 3),
        "on_hand_vs_same_service_baseline": _ratio(plan.on_hand_mean, same.on_hand_mean),
        "oracle_k": round(oracle_k, 3),
        "oracle_cycle_service_level": round(float(oracle.cycle_ok.mean()), 4),
        "oracle_fill_rate": round(oracle.sold / oracle.demanded, 4),
        "oracle_avg_on_hand": round(oracle.on_hand_mean, 3),
        "oracle_on_hand_vs_baseline": _ratio(oracle.on_hand_mean, base.on_hand_mean),
        "lead_time_days": args.lead_time,
        "review_period_days": args.review_period,
        "skus": len(panel.ids),
        "cycles": int(len(plan.cycle_ok)),
        "forecast_seconds": round(forecasts.seconds, 1),
        "forecasts": len(forecasts.by_origin),
        "plan_seconds": round(plan_seconds, 1),
    }
    bands = volume_bands(panel, {"plan": plan, "baseline": base, "same_service_baseline": same})
    for index, row in enumerate(bands, start=1):
        results.update({f"band{index}_{key}": value for key, value in row.items()})
    context = {
        "volume_bands": bands,
        "forecaster": args.forecaster,
        "forecast_cpu": forecast_cpu,
        "holdout": f"{panel.date(panel.origin)} .. {panel.date(panel.origin + days - 1)}",
        "backtest": bool(args.backtest_days),
    }
    return results, context


def table(results: dict, context: dict) -> str:
    target = results["target_service_level"]
    lines = [
        f"{results['skus']} SKUs, holdout {context['holdout']}"
        + (" (the history's own last days)" if context["backtest"] else "")
        + f", lead time {results['lead_time_days']} d, review every "
        f"{results['review_period_days']} d, {results['cycles']} cycles per policy, "
        f"forecast: {context['forecaster']} ({results['forecast_seconds']:.0f} s)",
        f"{'policy':<46}  {'cycle SL':>8}  {'vs target':>9}  {'fill rate':>9}  {'on hand':>8}",
    ]
    for label, prefix in (
        ("plan (forecast quantiles, plan_compute)", ""),
        ("baseline (P50 + z * sd of 56 days * sqrt(L+R))", "baseline_"),
        ("moving average (56-day mean + z * sd ...)", "moving_average_"),
        (
            f"baseline, z raised to {results['same_service_baseline_z']:.2f}",
            "same_service_baseline_",
        ),
        (f"oracle (knows the mean ahead), k = {results['oracle_k']:.2f}", "oracle_"),
    ):
        level = results[f"{prefix}cycle_service_level"]
        lines.append(
            f"{label:<46}  {level:>8.1%}  {(level - target) * 100:>+8.1f}p  "
            f"{results[f'{prefix}fill_rate']:>9.1%}  {results[f'{prefix}avg_on_hand']:>8.2f}"
        )
    within = abs(results["cycle_service_level"] - target) <= SERVICE_TOLERANCE
    leaner = results["avg_on_hand"] <= results["baseline_avg_on_hand"]
    lines.append(
        f"target {target:.1%}: plan within 2 points: {'yes' if within else 'NO'}; "
        f"on hand vs baseline {results['on_hand_vs_baseline']:.2f}x "
        f"({'no more' if leaner else 'MORE'} stock); vs the baseline serving as many cycles "
        f"{results['on_hand_vs_same_service_baseline']:.2f}x"
    )
    lines.append(
        f"oracle, serving {target - SERVICE_TOLERANCE:.1%} (the least the target allows) "
        f"knowing each SKU's mean demand ahead: on hand "
        f"{results['oracle_on_hand_vs_baseline']:.2f}x the baseline"
    )
    lines.append(
        f"{'by volume band (units a day, last 56 days)':<46}  "
        f"{'plan':>16}  {'baseline':>16}  {'baseline, z raised':>18}"
    )
    for row in context["volume_bands"]:
        label = (
            f"{row['skus']} SKUs, {row['units_a_day']:.2f} a day, "
            f"{row['days_without_sale']:.0%} days without sale"
        )
        cells = [
            f"{row[f'{name}_cycle_service_level']:>6.1%} {row[f'{name}_avg_on_hand']:>7.2f}"
            for name in ("plan", "baseline", "same_service_baseline")
        ]
        lines.append(f"  {label:<44}  {cells[0]:>16}  {cells[1]:>16}  {cells[2]:>18}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--history", action="append", help="wide CSV id,d_1..d_N (repeatable)")
    parser.add_argument("--holdout", default=str(DEFAULT_HOLDOUT), help="wide CSV, next days")
    parser.add_argument("--calendar", default=str(DEFAULT_CALENDAR), help="M5 calendar CSV")
    parser.add_argument("--lead-time", type=int, default=3, help="days from order to arrival")
    parser.add_argument("--review-period", type=int, default=7, help="days between orders")
    parser.add_argument("--service-level", type=float, default=0.95, help="cycle service level")
    parser.add_argument(
        "--backtest-days", type=int, default=0, help="hold out the history's last N days instead"
    )
    parser.add_argument(
        "--forecaster",
        choices=("engine", "standin"),
        default="engine",
        help="engine: forecasting.engine (default); standin: a simple development forecast",
    )
    parser.add_argument(
        "--reforecast-every",
        type=int,
        default=7,
        help="forecast again every N days with the days replayed so far (0: once)",
    )
    parser.add_argument("--forecast-cache", metavar="DIR", help="keep and reuse forecasts here")
    parser.add_argument("--limit", type=int, default=0, help="only the first N SKUs")
    parser.add_argument("--json", metavar="PATH", help="write the results as one JSON object")
    parser.add_argument(
        "--comeback-stats",
        action="store_true",
        help="only print how often products sell again after days without a sale",
    )
    args = parser.parse_args(argv)
    args.history = args.history or [str(DEFAULT_HISTORY)]
    if args.lead_time < 1 or args.review_period < 1 or args.limit < 0 or args.backtest_days < 0:
        parser.error("--lead-time and --review-period must be at least 1")
    if not 0.5 <= args.service_level < 1:
        parser.error("--service-level must be in [0.5, 1)")
    if args.comeback_stats:
        print(comeback_stats(load_panel(args)))
        return 0
    results, context = run(args)
    print(table(results, context))
    if args.json:
        write_json(
            args.json,
            {
                key: value
                for key, value in results.items()
                if key in JSON_KEYS or key.startswith("band")
            },
        )
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    bench_exit(main)

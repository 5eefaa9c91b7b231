"""Crisis detectors on real data with known, injected events: recall, delay and false alerts.

    .venv/bin/python bench/crisis_detection.py [--seed 7] [--episodes 6] [--skus N]
        [--review-products 48] [--split report|calibration] [--calibrate] [--oracle-bound]
        [--json PATH]

Sales and stock (the stockout, overstock and sales-drop detectors). The M5 FOODS_3 / TX_3
daily unit sales (../shared/data/m5_foods3_tx3, train + test joined: 823 SKUs x 1,941 days)
are split in two halves of SKUs (seeded): the *calibration* half over the year that ends 52
weeks before the data does, the *report* half over the data's last year. Each year is cut into
`--episodes` episodes of 8 weeks. Every (SKU, episode) is either left untouched or gets one
event on a day e between day 14 and 21 of the episode:

- a sales drop of 20, 40 or 60 % from e on (each day's units thinned binomially), only for
  SKUs selling at least the detector's minimum (2 a day) over the 8 weeks before: sparser
  SKUs are not checked for drops by design;
- a stockout (SKUs selling at least 1 a day): at the end of day e a stock count finds only
  30-80 % of a lead time's demand on the shelf and every open order is cancelled, so the shelf
  empties before a new order could land.

Stock is simulated for every SKU: a lead time of 7, 14 or 21 days (seeded per SKU), an
order every 7 days up to the mean of the last 28 days x (lead time + 7) plus 2.05 standard
deviations (a ~98 % cycle service level), sales capped by the shelf, end-of-day snapshots.
Prices are not in this M5 subset: each SKU gets one between 2 and 10 (seeded).

Reviews (the review-surge and rating-drop detectors). Real review texts: English clothing
reviews grouped by their `Clothing ID` (products with at least 100 reviews, real star
ratings), and Chinese online-shopping reviews of six categories split into products of 150
(85 % positive, 15 % negative, as a normal product; stars 5 or 4 for positive labels, 1 or 2
for negative). Every text is analysed once by the product's own code path
(`reviews.analysis.pipeline.analyse_reviews`: language, sentiment, aspects). Each product gets
reviews drawn from its own texts as a Poisson stream of 0.3-3 a day (seeded); products are
split in halves the same way. A surge adds, from day e for 14 days, negative reviews about the
aspect the product's unhappy customers name most (at 0.5-1.5 times its normal review rate,
at least 0.5 a day), drawn from real texts with that complaint.

The detectors run as the product runs them: once a day, in the morning, with sales, stock and
reviews up to the evening before, on `ScanInputs` with the same shape `scan_inputs` builds
(`crisis.detectors.run_detectors` for sales and stock; the review detectors on the review
products). The nightly forecast they read is a stand-in (the last 28 days' level with a
weekday profile and negative-binomial quantiles, as `bench/inventory_sim.py --forecaster
standin`): running the forecast engine every night over a year would take hours. The sales
drop has no forecast of an earlier run here, so it is measured on its history baseline.

Measured, for the detectors and for plain baselines in the same run:
- recall per event type and size: a drop found within 28 days of its start, a stockout found
  before the shelf is empty (stockout events whose shelf never emptied, or was already empty
  at the count, are left out), a surge found within 14 days;
- delay: days of event data seen by the first alert (drops, surges: days since e; stockouts:
  days since the stock count), and for stockouts the days of warning before the shelf emptied;
- false alerts per 100 SKU-weeks: alerts opened (a key not live the day before) on untouched
  (SKU, episode) pairs, after a warm-up day. A stockout alert on an untouched SKU whose shelf
  then empties within its lead time is a real (simulated) stockout, not a false alert.

Baselines: drop "7-day sum below 70 % of the trailing 28-day average" (SKUs selling 2 a day
or more), stockout "on hand + inbound cover less than the lead time at the 28-day average",
surge "3 reviews of 1-2 stars in 7 days".

The thresholds are the detectors' defaults; `--calibrate` prints, on the calibration part,
the false alerts and recall of the sales-drop and review-surge tests over a grid of
thresholds, from which the defaults were chosen. Targets (issue 6): recall >= 90 % for drops
of 40 % or more and for stockouts, median delay <= 3 days, <= 1 false alert per 100 SKU-weeks.

Upper bound for sales drops (printed after the table; `--oracle-bound` prints only it,
without running the detectors, on the same events). What could any detector reach on these
SKUs within the false-alert budget? For every injected drop (not hidden by the store's own
stockouts) an oracle KNOWS the SKU's pre-drop mean per weekday and negative-binomial
dispersion (read from its clean 56 days before the drop) and the drop's size, and the series
is simulated from exactly that model (stationary, independent days; the injection's
binomial thinning keeps the dispersion, so the post-drop model is exact too). It runs Page's
CUSUM on the exact log-likelihood ratio, the optimal detector of a known change (Lorden,
Moustakides), after a 56-day run-in, with its threshold set per SKU so that it alarms (opens:
up-crossings) on the no-change model at most as often as the budget allows: 1x = the whole
target, 1 false alert per 100 SKU-weeks, given to drops alone and spent on the untouched SKUs
the drop detector judges (2 a day or more); also 0.5x (about what the sales-drop detector
spends) and 2x. It reports the share of paths found within 28 days and within 3 days, per
volume band and over the part's drops (each event weighing the same). A real detector must
estimate what the oracle knows and never knows the size: it can only do worse, so a bound
below 90 % would prove the target out of reach. A drift check runs the same 1x CUSUM over the
real untouched series (model from the 56 days before each episode): the column "1x real"
raises the thresholds until those alarms keep to the budget, the price of real series that
drift away from any model of their past, which the bound itself does not pay.

--json writes recall_drop40, recall_stockout, recall_review_surge, median_delay_days (over
all detected events), false_alerts_per_100_sku_weeks (all detectors, untouched SKUs and
review products together), the baselines' figures, and the bound's oracle_recall_drop40
(1x, within 28 days), oracle_recall_drop40_within_3d, oracle_recall_drop40_2_4 / _4_8 /
_8_up (units a day before the drop), oracle_recall_drop40_budget_x0.5 / _x2,
oracle_recall_drop40_real_drift (and the same for drops of 20 and 60 %).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import REPO_ROOT, BenchError, write_json  # noqa: E402

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

DATA = REPO_ROOT.parent / "shared" / "data"
M5 = DATA / "m5_foods3_tx3"
CLOTHING = DATA / "womens_clothing_reviews" / "womens_clothing_reviews_dev.csv"
SHOPPING = DATA / "online_shopping_10_cats" / "online_shopping_10_cats_dev.csv"
M5_FIRST_DAY = dt.date(2011, 1, 29)

EPISODE_DAYS = 56
EVENT_FROM, EVENT_TO = 14, 21  # day of the episode an event starts
DROP_SIZES = (0.2, 0.4, 0.6)
DROP_HORIZON = 28
SURGE_DAYS = 14
SURGE_HORIZON = 14
HISTORY_DAYS = 140  # what scan_inputs loads at the default thresholds
SNAPSHOT_DAYS = 91
SIM_WARMUP = 150  # days of stock simulated before an episode
LEAD_TIMES = (7, 14, 21)
REVIEW_PERIOD = 7
SAFETY_Z = 2.05
DROP_MIN_DAILY = 2.0
STOCKOUT_MIN_DAILY = 1.0
REVIEW_PRICE = 30.0
ZH_CATEGORIES = ("衣服", "洗发水", "水果", "平板", "手机", "计算机")
ZH_PER_PRODUCT = (128, 22)  # positives, negatives
EN_MIN_REVIEWS, EN_MAX_REVIEWS = 100, 150
REVIEW_HISTORY_DAYS = 28 + 365
TARGET_RECALL, TARGET_DELAY, TARGET_FALSE = 0.90, 3.0, 1.0
JSON_KEYS = (
    "recall_drop40",
    "recall_stockout",
    "recall_review_surge",
    "median_delay_days",
    "false_alerts_per_100_sku_weeks",
)


# --- data ----------------------------------------------------------------------------------------


def m5_load() -> np.ndarray:
    frames = []
    for name in ("sales_train_validation_afcs2025.csv", "sales_test_validation_afcs2025.csv"):
        path = M5 / name
        if not path.is_file():
            raise BenchError(f"{path} is missing (see ../shared/data/README.md)")
        frames.append(pd.read_csv(path).set_index("id"))
    wide = pd.concat(frames, axis=1).fillna(0.0)
    return wide.to_numpy(dtype=float)


@dataclass
class ReviewPool:
    """The analysed texts of the review products (one row per text)."""

    product: np.ndarray  # int: pool product
    rating: np.ndarray
    negative: np.ndarray  # bool: the analysis says negative
    aspects: list[list[str]]  # negative aspects of each text
    languages: list[str]
    surge_aspect: list[str]  # per product


def review_pool(products_per_language: int, rng: np.random.Generator) -> ReviewPool:
    """Real texts grouped into products and analysed with the product's pipeline."""
    from reviews.analysis.pipeline import ReviewInput, analyse_reviews

    if not CLOTHING.is_file() or not SHOPPING.is_file():
        raise BenchError("the review sets are missing (see ../shared/data/README.md)")
    inputs: list = []
    owners: list[int] = []
    ratings: list[int] = []
    languages: list[str] = []
    clothing = pd.read_csv(CLOTHING)
    clothing = clothing[clothing["Review Text"].notna()]
    counts = clothing["Clothing ID"].value_counts()
    ids = counts[counts >= EN_MIN_REVIEWS].index.tolist()
    rng.shuffle(ids)
    product = 0
    for clothing_id in sorted(ids[:products_per_language]):
        rows = clothing[clothing["Clothing ID"] == clothing_id]
        rows = rows.sample(n=min(len(rows), EN_MAX_REVIEWS), random_state=int(rng.integers(1e9)))
        for title, body, rating in rows[["Title", "Review Text", "Rating"]].itertuples(index=False):
            inputs.append(
                ReviewInput(
                    title="" if pd.isna(title) else str(title),
                    body=str(body),
                    rating=int(rating),
                    language="en",
                )
            )
            owners.append(product)
            ratings.append(int(rating))
            languages.append("en")
        product += 1
    shopping = pd.read_csv(SHOPPING)
    shopping = shopping[shopping["review"].notna() & shopping["cat"].isin(ZH_CATEGORIES)]
    per_category = -(-products_per_language // len(ZH_CATEGORIES))
    made = 0
    for category in ZH_CATEGORIES:
        rows = shopping[shopping["cat"] == category]
        positive = rows[rows["label"] == 1].sample(frac=1.0, random_state=int(rng.integers(1e9)))
        negative = rows[rows["label"] == 0].sample(frac=1.0, random_state=int(rng.integers(1e9)))
        for k in range(per_category):
            if made >= products_per_language:
                break
            good = positive.iloc[k * ZH_PER_PRODUCT[0] : (k + 1) * ZH_PER_PRODUCT[0]]
            bad = negative.iloc[k * ZH_PER_PRODUCT[1] : (k + 1) * ZH_PER_PRODUCT[1]]
            if len(good) < ZH_PER_PRODUCT[0] or len(bad) < ZH_PER_PRODUCT[1]:
                break
            for text, label in pd.concat([good, bad])[["review", "label"]].itertuples(index=False):
                stars = int(rng.choice([5, 4])) if label == 1 else int(rng.choice([1, 2]))
                inputs.append(ReviewInput(body=str(text), rating=stars, language="zh"))
                owners.append(product)
                ratings.append(stars)
                languages.append("zh")
            product += 1
            made += 1
    analysed = analyse_reviews(inputs)
    aspects = [
        [hit.aspect for hit in result.aspects if hit.polarity == "negative"] for result in analysed
    ]
    owner = np.asarray(owners, dtype=np.int64)
    negative = np.array([result.sentiment == "negative" for result in analysed], dtype=bool)
    surge_aspect = []
    for p in range(product):
        named: dict[str, int] = {}
        for index in np.flatnonzero(owner == p).tolist():
            for aspect in set(aspects[index]):
                named[aspect] = named.get(aspect, 0) + 1
        surge_aspect.append(max(sorted(named), key=lambda a: named[a]) if named else "quality")
    return ReviewPool(
        product=owner,
        rating=np.asarray(ratings, dtype=np.int64),
        negative=negative,
        aspects=aspects,
        languages=languages,
        surge_aspect=surge_aspect,
    )


# --- the nightly forecast stand-in ---------------------------------------------------------------


def forecast_standin(history: np.ndarray, today: dt.date, horizon: int = 28):
    """P10/P50/P90 paths from `today`: the last 28 days' level with a weekday profile of the
    last 12 weeks (shrunk towards flat), negative binomial with the last 8 weeks' dispersion;
    P50 holds the expected units, as the engine's does."""
    from scipy import stats

    from crisis.detectors.types import ForecastPaths

    n = history.shape[0]
    recent = history[:, -84:]
    level = history[:, -28:].mean(axis=1)
    # Column j of `recent` falls on the weekday of (today - 84 + j).
    first_weekday = (today - dt.timedelta(days=84)).weekday()
    weekday = (first_weekday + np.arange(84)) % 7
    sums = np.stack([recent[:, weekday == d].sum(axis=1) for d in range(7)], axis=1)
    counts = np.array([(weekday == d).sum() for d in range(7)], dtype=float)
    overall = recent.mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        factors = (sums + 4 * overall[:, None]) / (overall[:, None] * (counts + 4))
    factors = np.where(overall[:, None] > 0, np.nan_to_num(factors, nan=1.0), 1.0)
    factors /= factors.mean(axis=1, keepdims=True)
    days = (today.weekday() + np.arange(horizon)) % 7
    mean = np.maximum(level[:, None] * factors[:, days], 1e-6)
    last = history[:, -56:]
    spread = last.var(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.nan_to_num((spread - level) / np.maximum(level, 1e-6) ** 2)
    alpha = np.clip(alpha, 0.02, 5.0)[:, None]
    size = 1.0 / alpha
    p = size / (size + mean)
    q10 = stats.nbinom.ppf(0.1, size, p)
    q90 = stats.nbinom.ppf(0.9, size, p)
    return ForecastPaths(
        start=np.full(n, np.datetime64(today, "D")),
        q10=q10,
        q50=np.where(level[:, None] > 0, mean, 0.0),
        q90=q90,
        has=np.ones(n, dtype=bool),
        lengths=np.full(n, horizon, dtype=np.int64),
        run_ids=np.ones(n, dtype=np.int64),
    )


# --- one part (calibration or report) ------------------------------------------------------


@dataclass
class Event:
    kind: str  # "drop", "stockout", "surge"
    size: float
    row: int
    episode: int
    day: int  # absolute day index of the onset
    level: float = 0.0  # units a day over the 8 weeks before (drops)
    end_day: int | None = None  # stockout: the day the shelf emptied
    # The event cannot show: a drop mostly covered by the store's own stockouts, a stock
    # count on a shelf the simulation had already emptied (nothing to cut, nothing to warn of).
    hidden: bool = False
    alerting_before: bool = False  # its alert was already live the day before its data
    found: dict = field(default_factory=dict)  # "who:kind" -> first detection day


WANTED = {"drop": "sales_drop", "stockout": "stockout_risk", "surge": "review_surge"}


@dataclass
class Alerts:
    """Alert openings on untouched rows and detections of events, for one detector set."""

    who: str
    untouched_days: float = 0.0
    # Untouched SKU-days of SKUs selling at least DROP_MIN_DAILY a day over the 8 weeks before
    # their episode: the ones the sales-drop detector judges.
    drop_judged_days: float = 0.0
    false: dict = field(default_factory=dict)  # detector kind -> openings
    true_stockouts: int = 0
    events: list = field(default_factory=list)


class Tracker:
    """Turns each day's firing keys into alert openings, as the alert service would: a key
    that was live the day before is the same alert. An event counts as found on the first
    day after its onset on which its key fires (events whose alert was already live the day
    before their first day of data are left out of recall, see `_measured`)."""

    def __init__(self, alerts: Alerts) -> None:
        self.alerts = alerts
        self.live: set[str] = set()

    def step(
        self,
        t: int,
        current: dict[str, tuple[str, int]],
        *,
        events: dict[int, Event],
        counted: bool,
        real_stockout=None,
    ) -> None:
        for key, (kind, row) in current.items():
            event = events.get(row)
            if event is not None:
                if t == event.day and kind == WANTED[event.kind] and self.alerts.who == "ours":
                    event.alerting_before = True
                if t > event.day:
                    event.found.setdefault(f"{self.alerts.who}:{kind}", t)
                continue
            if not counted or key in self.live:
                continue
            if kind == "stockout_risk" and real_stockout is not None and real_stockout(row, t):
                self.alerts.true_stockouts += 1
                continue
            self.alerts.false[kind] = self.alerts.false.get(kind, 0) + 1
        self.live = set(current)


def _dates(first: dt.date, count: int) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range(count)]


def m5_outages(units: np.ndarray, start: int, end: int) -> np.ndarray:
    """(SKUs, end - start): days inside a run of zero sales too long for the SKU's level
    (probability below 1 %, at least 3 days): M5 has no stock data, and such runs are the
    store's own stockouts. The simulated shelf is empty on those days."""
    span = units[:, start - 112 : end]
    level = np.maximum(span.mean(axis=1), 1e-3)
    shortest = np.maximum(3, np.ceil(4.6 / level)).astype(np.int64)
    zero = span == 0
    out = np.zeros_like(zero)
    for row in range(units.shape[0]):
        run = 0
        for column in range(zero.shape[1] + 1):
            if column < zero.shape[1] and zero[row, column]:
                run += 1
                continue
            if run >= shortest[row]:
                out[row, column - run : column] = True
            run = 0
    return out[:, 112:]


def stock_simulate(
    demand: np.ndarray,
    *,
    start: int,
    end: int,
    lead: np.ndarray,
    cut: dict[int, tuple[int, float]],
    outage: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Periodic-review order-up-to stock over days [start, end) of `demand` (SKUs x days).

    Returns (sales, on_hand, inbound, lost) for those days (end of day). `cut[row] = (day,
    days_left)`: at the end of `day` the shelf holds `days_left` x the 28-day average and every
    open order is cancelled. `outage` (SKUs x days) marks days whose shelf is seen empty
    (`m5_outages`).
    """
    n = demand.shape[0]
    days = end - start
    sales = np.zeros((n, days))
    on_hand_log = np.zeros((n, days))
    inbound_log = np.zeros((n, days))
    lost = np.zeros((n, days))
    max_lead = int(lead.max())
    pipeline = np.zeros((n, max_lead + 1))  # arrivals due in k days
    history = demand[:, start - 56 : start].copy()
    mean = history[:, -28:].mean(axis=1)
    sd = history.std(axis=1)
    target = mean * (lead + REVIEW_PERIOD) + SAFETY_Z * sd * np.sqrt(lead + REVIEW_PERIOD)
    on_hand = np.ceil(target * 0.6)
    rows = np.arange(n)
    review_day = rows % REVIEW_PERIOD
    cut_day = np.full(n, -1)
    for row, (day, _days_left) in cut.items():
        cut_day[row] = day
    for k in range(days):
        t = start + k
        on_hand += pipeline[:, 0]
        pipeline = np.concatenate([pipeline[:, 1:], np.zeros((n, 1))], axis=1)
        sold = np.minimum(demand[:, t], on_hand)
        lost[:, k] = demand[:, t] - sold
        on_hand -= sold
        sales[:, k] = sold
        for row, (day, days_left) in cut.items():
            if day == t:
                level = max(demand[row, t - 28 : t].mean(), 0.1)
                on_hand[row] = min(on_hand[row], max(1.0, np.round(days_left * level)))
                pipeline[row] = 0.0
        ordering = review_day == (t % REVIEW_PERIOD)
        window = np.concatenate(
            [demand[:, max(t - 55, 0) : start], sales[:, max(k - 55, 0) : k + 1]], axis=1
        )[:, -56:]
        mean = window[:, -28:].mean(axis=1)
        sd = window.std(axis=1)
        target = mean * (lead + REVIEW_PERIOD) + SAFETY_Z * sd * np.sqrt(lead + REVIEW_PERIOD)
        position = on_hand + pipeline.sum(axis=1)
        order = np.where(ordering, np.ceil(np.maximum(target - position, 0.0)), 0.0)
        order[cut_day == t] = 0.0
        pipeline[rows, lead - 1] += order
        on_hand_log[:, k] = on_hand
        if outage is not None:
            on_hand_log[outage[:, k], k] = 0.0
        inbound_log[:, k] = pipeline.sum(axis=1)
    return sales, on_hand_log, inbound_log, lost


@dataclass
class Scan:
    """What one scan saw, kept for the calibration grid: per detector kind, the rows it
    would judge with their scores."""

    episode: int
    t: int
    scores: dict


@dataclass
class Episode:
    untouched: np.ndarray
    events: dict
    real_stockout: object = None


def sales_part(
    units_all: np.ndarray,
    rows: np.ndarray,
    *,
    period_start: int,
    episodes: int,
    rng: np.random.Generator,
    thresholds,
    scans: list | None,
    episode_log: list | None,
    scan: bool = True,
) -> tuple[Alerts, Alerts]:
    """Scan the SKUs `rows` day by day over the part's episodes (module docstring). With
    `scans`, each scan's scores are kept for the calibration grid; without `scan`, only the
    events are made (the same ones: the daily scans draw nothing from `rng`)."""
    from crisis.detectors import run_detectors
    from crisis.detectors.sales_drop import sales_drop_test
    from crisis.detectors.types import scan_inputs_build

    units_all = units_all[rows]
    n = len(rows)
    lead = rng.choice(LEAD_TIMES, size=n)
    prices = np.round(rng.uniform(2.0, 10.0, size=n), 2)
    ours, base = Alerts("ours"), Alerts("base")
    for episode in range(episodes):
        first = period_start + episode * EPISODE_DAYS
        last = first + EPISODE_DAYS
        demand = units_all.copy()
        before = units_all[:, first - 56 : first].mean(axis=1)
        kinds = rng.choice(
            ["none", "drop20", "drop40", "drop60", "stockout"],
            size=n,
            p=[0.5, 0.1, 0.1, 0.1, 0.2],
        )
        onset = first + rng.integers(EVENT_FROM, EVENT_TO + 1, size=n)
        events: dict[int, Event] = {}
        cut: dict[int, tuple[int, float]] = {}
        sim_start = first - SIM_WARMUP
        outage = m5_outages(units_all, sim_start, last)
        for row in range(n):
            kind = kinds[row]
            day = int(onset[row])
            if kind.startswith("drop") and before[row] >= DROP_MIN_DAILY:
                size = int(kind[4:]) / 100
                demand[row, day:last] = rng.binomial(
                    demand[row, day:last].astype(np.int64), 1 - size
                )
                horizon = outage[row, day - sim_start : day - sim_start + DROP_HORIZON]
                events[row] = Event(
                    "drop",
                    size,
                    row,
                    episode,
                    day,
                    level=float(before[row]),
                    hidden=bool(horizon.mean() >= 0.5),
                )
            elif (
                kind == "stockout"
                and before[row] >= STOCKOUT_MIN_DAILY
                and units_all[row, day - 28 : day].mean() >= STOCKOUT_MIN_DAILY / 2
                # Not while the store's own stockout already keeps the shelf empty.
                and not outage[row, day - sim_start - 7 : day - sim_start + 2].any()
            ):
                cut[row] = (day, float(rng.uniform(0.3, 0.8)) * int(lead[row]))
                events[row] = Event("stockout", 0.0, row, episode, day, level=float(before[row]))
        sales, on_hand, inbound, lost = stock_simulate(
            demand, start=sim_start, end=last, lead=lead, cut=cut, outage=outage
        )
        served = demand.copy()
        served[:, sim_start:last] = sales
        # The shelf is empty when demand went unserved, and on the store's own stockout days.
        empty = ((on_hand <= 0) & (lost > 0)) | outage
        for row, event in events.items():
            if event.kind == "stockout":
                count = event.day - sim_start
                after = np.flatnonzero(empty[row, count + 1 :])
                event.end_day = int(event.day + 1 + after[0]) if len(after) else None
                # An order-up-to policy fed with sales stops ordering once a long stockout has
                # emptied its 28-day window, so some shelves stay empty for weeks: a count
                # there finds nothing and the forecast, learnt from those zeros, expects none.
                event.hidden = bool(on_hand[row, count - 1] <= 0)

        def real_stockout(row: int, t: int, empty=empty, sim_start=sim_start) -> bool:
            k = t - sim_start
            return bool(empty[row, k : k + int(lead[row])].any())

        untouched = np.array([row not in events for row in range(n)])
        if episode_log is not None:
            episode_log.append(Episode(untouched, events, real_stockout))
        ours.untouched_days += EPISODE_DAYS * float(untouched.sum())
        ours.drop_judged_days += EPISODE_DAYS * float(
            (untouched & (before >= DROP_MIN_DAILY)).sum()
        )
        trackers = (Tracker(ours), Tracker(base))
        for t in range(first - 1, last if scan else first - 1):
            today = M5_FIRST_DAY + dt.timedelta(days=t)
            history = served[:, t - HISTORY_DAYS : t]
            k = t - sim_start  # column of day t in the simulation (end of day t - 1 is k - 1)
            inputs = scan_inputs_build(
                today=today,
                units=history,
                prices=prices,
                costs=np.round(prices * 0.6, 2),
                lead_times=lead,
                on_hand=on_hand[:, k - 1].astype(np.int64),
                inbound=inbound[:, k - 1].astype(np.int64),
                year_ago=units_all[:, t - 364 - HISTORY_DAYS : t - 364],
                snap_on_hand=on_hand[:, max(k - SNAPSHOT_DAYS, 0) : k],
                snap_inbound=inbound[:, max(k - SNAPSHOT_DAYS, 0) : k],
                forecast=forecast_standin(history, today),
            )
            findings = run_detectors(inputs, thresholds)
            keys = {f.dedup_key: (f.kind, f.product_id - 1) for f in findings}
            if scans is not None:
                test = sales_drop_test(inputs, thresholds)
                judged = np.flatnonzero(test.eligible)
                scans.append(
                    Scan(
                        episode,
                        t,
                        {
                            "sales_drop": {
                                int(row): (float(test.cusum[row, -1]), float(test.drop_share[row]))
                                for row in judged.tolist()
                            },
                            "stockout_risk": {
                                f.product_id - 1: float(f.evidence["probability"])
                                for f in findings
                                if f.kind == "stockout_risk"
                            },
                        },
                    )
                )
            # The baselines.
            base_keys = {}
            s7 = history[:, -7:].sum(axis=1)
            m28 = history[:, -35:-7].mean(axis=1)
            for row in np.flatnonzero((m28 >= DROP_MIN_DAILY) & (s7 < 0.7 * 7 * m28)).tolist():
                base_keys[f"sales_drop:{row}"] = ("sales_drop", row)
            rate = history[:, -28:].mean(axis=1)
            position = on_hand[:, k - 1] + inbound[:, k - 1]
            with np.errstate(divide="ignore", invalid="ignore"):
                cover = np.where(rate > 0, position / rate, np.inf)
            for row in np.flatnonzero((rate >= 0.1) & (cover < lead)).tolist():
                base_keys[f"stockout_risk:{row}"] = ("stockout_risk", row)
            for tracker, current in zip(trackers, (keys, base_keys), strict=True):
                tracker.step(
                    t, current, events=events, counted=t >= first, real_stockout=real_stockout
                )
        base.untouched_days = ours.untouched_days
        ours.events.extend(events.values())
    base.events = ours.events
    return ours, base


def review_part(
    pool: ReviewPool,
    products: np.ndarray,
    *,
    episodes: int,
    rng: np.random.Generator,
    thresholds,
    scans: list | None,
    episode_log: list | None,
) -> tuple[Alerts, Alerts]:
    """Scan the review products day by day over the episodes (module docstring)."""
    from crisis.detectors.rating_drop import detect_rating_drop
    from crisis.detectors.review_surge import detect_review_surge
    from crisis.detectors.types import ReviewInputs, scan_inputs_build

    n = len(products)
    rate = np.exp(rng.uniform(np.log(0.3), np.log(3.0), size=n))
    total_days = REVIEW_HISTORY_DAYS + episodes * EPISODE_DAYS + 1
    texts_of = [np.flatnonzero(pool.product == p) for p in products]
    surge_texts = []
    for i, p in enumerate(products):
        aspect = pool.surge_aspect[p]
        mine = [j for j in texts_of[i].tolist() if aspect in pool.aspects[j]]
        if len(mine) < 5:  # too few of its own: the same complaint from its language's others
            language = pool.languages[texts_of[i][0]]
            mine = [
                j
                for j in range(len(pool.product))
                if aspect in pool.aspects[j] and pool.languages[j] == language
            ]
        surge_texts.append(np.asarray(mine, dtype=np.int64))
    # The calm stream: (day, product, text).
    days, owners, texts = [], [], []
    for i in range(n):
        count = rng.poisson(rate[i], size=total_days)
        day = np.repeat(np.arange(total_days), count)
        days.append(day)
        owners.append(np.full(len(day), i))
        texts.append(rng.choice(texts_of[i], size=len(day)))
    calm_day = np.concatenate(days)
    calm_owner = np.concatenate(owners)
    calm_text = np.concatenate(texts)
    mention_count = np.array([len(a) for a in pool.aspects], dtype=np.int64)
    mention_start = np.cumsum(mention_count) - mention_count
    mention_flat = np.array([a for aspects in pool.aspects for a in aspects], dtype=object)
    ours, base = Alerts("ours"), Alerts("base")
    today0 = dt.date(2024, 1, 1)
    sales = np.random.default_rng(rng.integers(1e9)).poisson(10.0, size=(n, total_days))
    for episode in range(episodes):
        first = REVIEW_HISTORY_DAYS + episode * EPISODE_DAYS
        last = first + EPISODE_DAYS
        surge = rng.random(n) < 1 / 3
        onset = first + rng.integers(EVENT_FROM, EVENT_TO + 1, size=n)
        extra_day, extra_owner, extra_text = [], [], []
        events: dict[int, Event] = {}
        for i in np.flatnonzero(surge).tolist():
            per_day = max(0.5, rate[i] * rng.uniform(0.5, 1.5))
            count = rng.poisson(per_day, size=SURGE_DAYS)
            day = int(onset[i]) + np.repeat(np.arange(SURGE_DAYS), count)
            extra_day.append(day)
            extra_owner.append(np.full(len(day), i))
            extra_text.append(rng.choice(surge_texts[i], size=len(day)))
            events[i] = Event("surge", 0.0, i, episode, int(onset[i]), level=float(rate[i]))
        day_all = np.concatenate([calm_day, *extra_day])
        owner_all = np.concatenate([calm_owner, *extra_owner])
        text_all = np.concatenate([calm_text, *extra_text])
        order = np.argsort(day_all, kind="stable")
        day_all, owner_all, text_all = day_all[order], owner_all[order], text_all[order]
        ids_all = np.arange(1, len(day_all) + 1)
        untouched = ~surge
        if episode_log is not None:
            episode_log.append(Episode(untouched, events))
        trackers = (Tracker(ours), Tracker(base))
        for t in range(first - 1, last):
            lo = np.searchsorted(day_all, t - REVIEW_HISTORY_DAYS)
            hi = np.searchsorted(day_all, t)  # reviews up to the evening before
            sel = slice(lo, hi)
            text = text_all[sel]
            counts = mention_count[text]
            total = int(counts.sum())
            mention_review = np.repeat(np.arange(hi - lo), counts).astype(np.int64)
            within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
            reviews = ReviewInputs(
                ids=ids_all[sel],
                product=owner_all[sel],
                age_days=(t - day_all[sel]).astype(np.int64),
                rating=pool.rating[text],
                negative=pool.negative[text],
                topic=np.zeros(hi - lo, dtype=np.int64),
                aspect_review=mention_review,
                aspect_name=mention_flat[np.repeat(mention_start[text], counts) + within],
            )
            inputs = scan_inputs_build(
                today=today0 + dt.timedelta(days=t),
                units=sales[:, max(t - 56, 0) : t],
                prices=REVIEW_PRICE,
                reviews=reviews,
            )
            findings = detect_review_surge(inputs, thresholds) + detect_rating_drop(
                inputs, thresholds
            )
            keys = {f.dedup_key: (f.kind, f.product_id - 1) for f in findings}
            if scans is not None:
                scans.append(
                    Scan(
                        episode,
                        t,
                        {
                            "review_surge": review_scores(inputs, thresholds),
                            "rating_drop": rating_scores(inputs, thresholds),
                        },
                    )
                )
            recent = reviews.age_days <= 7
            low = recent & (reviews.rating > 0) & (reviews.rating <= 2)
            low_counts = np.bincount(reviews.product[low], minlength=n)
            base_keys = {
                f"review_surge:{i}": ("review_surge", i) for i in np.flatnonzero(low_counts >= 3)
            }
            for tracker, current in zip(trackers, (keys, base_keys), strict=True):
                tracker.step(t, current, events=events, counted=t >= first)
            if t >= first:
                ours.untouched_days += float(untouched.sum())
        base.untouched_days = ours.untouched_days
        ours.events.extend(events.values())
    base.events = ours.events
    return ours, base


def rating_scores(inputs, thresholds) -> dict[int, tuple[float, float]]:
    """Per product with enough rated reviews, (drop in stars, one-sided p-value)."""
    from dataclasses import replace

    from crisis.detectors.rating_drop import detect_rating_drop

    permissive = replace(thresholds, rating_p_value=0.2, rating_min_drop=0.1)
    return {
        f.product_id - 1: (float(f.evidence["drop"]), float(f.evidence["p_value"]))
        for f in detect_rating_drop(inputs, permissive)
    }


def review_scores(inputs, thresholds) -> dict[int, list[tuple[float, float, float]]]:
    """Per product, (negatives, p-value, excess share) of the overall and every aspect test."""
    from crisis.detectors.review_surge import surge_test

    reviews = inputs.reviews
    n = len(inputs)
    window = int(thresholds.review_window_days)
    recent = (reviews.age_days >= 0) & (reviews.age_days < window)
    base = (reviews.age_days >= window) & (
        reviews.age_days < window + int(thresholds.review_baseline_days)
    )
    tests = [
        surge_test(product=reviews.product, flagged=reviews.negative, recent=recent, base=base, n=n)
    ]
    for aspect in np.unique(reviews.aspect_name.astype(str)):
        flagged = np.zeros(len(reviews.ids), dtype=bool)
        flagged[reviews.aspect_review[reviews.aspect_name == aspect]] = True
        tests.append(
            surge_test(product=reviews.product, flagged=flagged, recent=recent, base=base, n=n)
        )
    scores: dict[int, list] = {}
    for test in tests:
        excess = test["share"] - test["baseline_share"]
        for row in np.flatnonzero(test["k_recent"] >= 2).tolist():
            scores.setdefault(row, []).append(
                (float(test["k_recent"][row]), float(test["p_value"][row]), float(excess[row]))
            )
    return scores


# --- an upper bound for sales drops --------------------------------------------------------------

# The oracle's model of an SKU is read from its clean M5 units of the ORACLE_HISTORY_DAYS days
# before the drop (the store's own stockout days left out): a mean per weekday and one
# negative-binomial dispersion (variance mu + alpha mu^2, by the method of moments around
# those means). Binomial thinning keeps a negative binomial's dispersion, so after a drop of
# size s the same SKU sells NB((1 - s) mu, alpha): the bench's injection, exactly.
ORACLE_HISTORY_DAYS = 56
ORACLE_MAX_DISPERSION = 10.0
# No-change days simulated before the onset, so that the CUSUM starts the drop from where it
# usually stands, not from 0 (paths already alarming at the onset are left out, as the
# bench leaves out events already under a live alert).
ORACLE_RUN_IN_DAYS = 56
# Per event: no-change chains x days that set the threshold, and paths with the drop.
ORACLE_NULL_CHAINS, ORACLE_NULL_DAYS, ORACLE_NULL_BURN_IN = 200, 2000, 56
ORACLE_PATHS = 2000
ORACLE_LEVELS = np.arange(0.1, 60.0, 0.05)  # CUSUM thresholds tried
# False-alert budgets, as multiples of the target (1 per 100 SKU-weeks) all given to drops;
# the first is the one reported as oracle_recall_* (0.5x is about what the sales-drop detector
# spends now).
ORACLE_BUDGETS = (1.0, 0.5, 2.0)


@dataclass
class OracleModels:
    """What the oracle knows of each drop event's SKU (see ORACLE_HISTORY_DAYS)."""

    mean: np.ndarray  # (E, 7) units a day by weekday (Monday 0) before the drop
    alpha: np.ndarray  # (E,)
    onset_weekday: np.ndarray  # (E,)


def oracle_models(units: np.ndarray, events: list) -> OracleModels:
    """The known pre-drop weekday means and dispersion of each event's SKU (clean units)."""
    mean = np.zeros((len(events), 7))
    alpha = np.zeros(len(events))
    onset_weekday = np.zeros(len(events), dtype=np.int64)
    for index, event in enumerate(events):
        start = event.day - ORACLE_HISTORY_DAYS
        span = units[event.row, start : event.day]
        valid = ~m5_outages(units[[event.row]], start, event.day)[0]
        weekday = np.array(
            [(M5_FIRST_DAY + dt.timedelta(days=start + k)).weekday() for k in range(len(span))]
        )
        overall = span[valid].mean()
        for day in range(7):
            chosen = valid & (weekday == day)
            mean[index, day] = span[chosen].mean() if chosen.any() else overall
        expected = mean[index, weekday][valid]
        squares = (span[valid] - expected) ** 2
        days = int(valid.sum())
        unbiased = squares.sum() * days / max(days - 7, 1)
        alpha[index] = (unbiased - expected.sum()) / max((expected**2).sum(), 1e-9)
        onset_weekday[index] = (M5_FIRST_DAY + dt.timedelta(days=event.day)).weekday()
    return OracleModels(
        np.maximum(mean, 1e-3), np.clip(alpha, 0.0, ORACLE_MAX_DISPERSION), onset_weekday
    )


def _nb_draws(rng: np.random.Generator, mean: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Negative-binomial counts as a gamma-Poisson mixture (Poisson as alpha -> 0)."""
    shape = 1.0 / np.maximum(alpha, 1e-6)
    return rng.poisson(rng.gamma(shape, mean / shape))


def _cusum_step(level, units, mean, alpha, ratio: float) -> np.ndarray:
    """One day of Page's CUSUM for a known fall to `ratio` x `mean` (the product's exact
    negative-binomial log-likelihood ratio, `nb_llr_drop`)."""
    from crisis.detectors.stats import nb_llr_drop

    return np.maximum(level + nb_llr_drop(units, mean, alpha, ratio), 0.0)


def oracle_thresholds(
    models: OracleModels, ratio: float, budgets: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """(E, budgets): for each event's SKU, the lowest CUSUM threshold whose alarms (openings:
    up-crossings, the statistic is never reset, as an alert that clears and fires again is a
    new one) come at most `budgets` times a day on the SKU's no-change series."""
    count = len(models.alpha)
    alpha = models.alpha[:, None]
    level = np.zeros((count, ORACLE_NULL_CHAINS))
    crossings = np.zeros((count, len(ORACLE_LEVELS) + 1))
    owner = np.repeat(np.arange(count), ORACLE_NULL_CHAINS).reshape(level.shape)
    for day in range(ORACLE_NULL_DAYS):
        mean = np.broadcast_to(models.mean[:, day % 7][:, None], level.shape)
        units = _nb_draws(rng, mean, alpha)
        after = _cusum_step(level, units, mean, alpha, ratio)
        if day >= ORACLE_NULL_BURN_IN:
            up = after > level
            low = np.searchsorted(ORACLE_LEVELS, level[up], side="right")
            high = np.searchsorted(ORACLE_LEVELS, after[up], side="right")
            np.add.at(crossings, (owner[up], low), 1.0)
            np.add.at(crossings, (owner[up], high), -1.0)
        level = after
    days = ORACLE_NULL_CHAINS * (ORACLE_NULL_DAYS - ORACLE_NULL_BURN_IN)
    rate = np.cumsum(crossings, axis=1)[:, :-1] / days
    # The highest rate at this threshold or any above it (noise aside, rates only fall).
    worst = np.maximum.accumulate(rate[:, ::-1], axis=1)[:, ::-1]
    out = np.zeros((count, len(budgets)))
    for index, budget in enumerate(budgets):
        fits = worst <= budget
        out[:, index] = ORACLE_LEVELS[np.where(fits.any(axis=1), fits.argmax(axis=1), -1)]
    return out


def oracle_delays(
    models: OracleModels, ratio: float, thresholds: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """(E, ORACLE_PATHS, budgets): days of drop data the known-change CUSUM needs before it
    alarms (inf: not within DROP_HORIZON days; NaN: already alarming at the onset)."""
    alpha = models.alpha[:, None]
    level = np.zeros((len(alpha), ORACLE_PATHS))
    rows = np.arange(len(alpha))

    def step(day: int, truth_ratio: float) -> np.ndarray:
        weekday = (models.onset_weekday + day) % 7
        mean = np.broadcast_to(models.mean[rows, weekday][:, None], level.shape)
        units = _nb_draws(rng, mean * truth_ratio, alpha)
        return _cusum_step(level, units, mean, alpha, ratio)

    for day in range(-ORACLE_RUN_IN_DAYS, 0):
        level = step(day, 1.0)
    delays = np.where(level[:, :, None] >= thresholds[:, None, :], np.nan, np.inf)
    for day in range(DROP_HORIZON):
        level = step(day, ratio)
        alarm = (level[:, :, None] >= thresholds[:, None, :]) & np.isinf(delays)
        delays[alarm] = day + 1
    return delays


ORACLE_RAISES = np.arange(0.0, 30.0, 0.25)  # threshold raises tried on the real series


def oracle_real_alarms(
    units: np.ndarray,
    events: list,
    *,
    period_start: int,
    episodes: int,
    ratio: float,
    budget: float,
    rng: np.random.Generator,
) -> tuple[float, float]:
    """(alarms a day, raise): the oracle's CUSUM for a fall to `ratio` run on the real,
    untouched series of the SKUs the drop detector judges, each (SKU, episode) modelled from
    its 56 days before the episode with its threshold set for `budget` on that model, the
    CUSUM run from 0 over the episode's clean units; and the smallest raise of every such
    threshold that brings its alarms there within `budget`. Real series drift away from any
    model read from their past; the bound does not pay for that, a real detector must."""
    touched = {(e.episode, e.row) for e in events}
    pairs = []
    for episode in range(episodes):
        first = period_start + episode * EPISODE_DAYS
        before = units[:, first - 56 : first].mean(axis=1)
        for row in np.flatnonzero(before >= DROP_MIN_DAILY).tolist():
            if (episode, row) not in touched:
                pairs.append(Event("drop", 1.0 - ratio, row, episode, first))
    if not pairs:
        return float("nan"), float("nan")
    models = oracle_models(units, pairs)
    thresholds = oracle_thresholds(models, ratio, np.array([budget]), rng)[:, 0]
    level = np.zeros(len(pairs))
    openings = np.zeros(len(ORACLE_RAISES))
    for day in range(EPISODE_DAYS):
        weekday = (models.onset_weekday + day) % 7
        mean = models.mean[np.arange(len(pairs)), weekday]
        seen = np.array([units[e.row, e.day + day] for e in pairs])
        after = _cusum_step(level, seen, mean, models.alpha, ratio)
        raised = thresholds[:, None] + ORACLE_RAISES[None, :]
        openings += ((level[:, None] < raised) & (after[:, None] >= raised)).sum(axis=0)
        level = after
    rates = openings / (len(pairs) * EPISODE_DAYS)
    fits = np.flatnonzero(rates <= budget)
    return float(rates[0]), float(ORACLE_RAISES[fits[0]] if fits.size else ORACLE_RAISES[-1])


def oracle_bound(
    units: np.ndarray,
    events: list,
    *,
    judged_share: float,
    period_start: int,
    episodes: int,
    seed: int,
) -> dict:
    """Recall of the optimal detector of a known drop (module docstring, `--oracle-bound`) on
    the part's drop events, per size, budget and volume band; last column: at 1x with the
    thresholds raised until the real untouched series keep to the budget."""
    rng = np.random.default_rng([seed, 3])
    # Alarms a day on an SKU the drop detector judges, for the whole false-alert target.
    per_day = np.array(ORACLE_BUDGETS) * TARGET_FALSE / 100 / 7 / max(judged_share, 1e-9)
    result: dict = {"judged_share": judged_share, "budget_per_day": per_day, "rows": []}
    result["real"] = {}
    for size in DROP_SIZES:
        chosen = [e for e in events if e.kind == "drop" and e.size == size and not e.hidden]
        if not chosen:
            continue
        real_rate, raise_by = oracle_real_alarms(
            units,
            events,
            period_start=period_start,
            episodes=episodes,
            ratio=1.0 - size,
            budget=per_day[0],
            rng=rng,
        )
        result["real"][size] = (real_rate, raise_by)
        models = oracle_models(units, chosen)
        thresholds = oracle_thresholds(models, 1.0 - size, per_day, rng)
        thresholds = np.column_stack([thresholds, thresholds[:, 0] + np.nan_to_num(raise_by)])
        delays = oracle_delays(models, 1.0 - size, thresholds, rng)
        levels = np.array([e.level for e in chosen])
        for low, high in ((0.0, float("inf")), *BANDS):
            inside = (levels >= low) & (levels < high)
            if not inside.any():
                continue
            part = delays[inside]
            counted = ~np.isnan(part)
            row = {
                "event": f"drop {int(size * 100)}%",
                "band": (low, high),
                "n": int(inside.sum()),
                "threshold": float(np.median(thresholds[inside, 0])),
                "dispersion": float(np.median(models.alpha[inside])),
            }
            for index in range(thresholds.shape[1]):
                # Each event weighs the same: the share of its paths found, then the mean.
                found = (part[:, :, index] <= DROP_HORIZON).sum(axis=1)
                quick = (part[:, :, index] <= TARGET_DELAY).sum(axis=1)
                paths = np.maximum(counted[:, :, index].sum(axis=1), 1)
                hits = part[:, :, index][part[:, :, index] <= DROP_HORIZON]
                row[f"recall_{index}"] = float(np.mean(found / paths))
                row[f"quick_{index}"] = float(np.mean(quick / paths))
                row[f"delay_{index}"] = float(np.median(hits)) if hits.size else float("nan")
            result["rows"].append(row)
    return result


def oracle_report(result: dict) -> None:
    budgets = ", ".join(
        f"{m:g}x = one alarm per {1 / b:.0f} days"
        for m, b in zip(ORACLE_BUDGETS, result["budget_per_day"], strict=True)
    )
    print(
        "\nUpper bound for sales drops (oracle). Assumed KNOWN: each SKU's pre-drop mean per "
        f"weekday and\nnegative-binomial dispersion (read from its clean {ORACLE_HISTORY_DAYS} "
        "days before the drop), the drop's size,\nand that the series follows exactly that "
        "model (simulated, stationary, independent days;\nthe bench's binomial thinning keeps "
        "the dispersion). Detector: Page's CUSUM on the exact\nlog-likelihood ratio, optimal "
        "for a known change (Lorden, Moustakides), after a "
        f"{ORACLE_RUN_IN_DAYS}-day run-in;\nthreshold set per SKU so that its alarms "
        "(up-crossings) on the no-change model keep to the\nbudget. Budget 1x = the whole "
        "false-alert target (1 per 100 SKU-weeks) given to drops alone,\nspent on the "
        f"{100 * result['judged_share']:.0f} % of untouched SKU-weeks the drop detector judges "
        f"(>= 2 a day):\n{budgets}.\nRecall = share of simulated paths found within "
        f"{DROP_HORIZON} days (<=28d) and within {TARGET_DELAY:g} days (<=3d),\neach event "
        "weighing the same. A real detector must estimate level, profile and dispersion,\n"
        "faces drift, and never knows the drop size: it can only do worse."
    )
    budget = 1 / result["budget_per_day"][0]
    for size, (rate, raise_by) in result["real"].items():
        print(
            f"Drift check, drop {int(size * 100)}%: on the real untouched series of the judged "
            f"SKUs the 1x CUSUM\n(model from the 56 days before each episode) alarms once per "
            f"{1 / max(rate, 1e-9):.0f} days, budget once per {budget:.0f};\nthresholds raised "
            f"by {raise_by:g} keep to the budget there ('1x real'): a detector that knew\n"
            "everything but had to live with real series."
        )
    labels = [f"{m:g}x" for m in ORACLE_BUDGETS] + ["1x real"]
    print(
        f"{'event':<9} {'band':>9} {'n':>4} {'disp.':>6} {'h':>5} | "
        + " | ".join(f"{label}: {'<=28d':>6} {'<=3d':>6} {'delay':>5}" for label in labels)
    )
    for row in result["rows"]:
        low, high = row["band"]
        band = (
            "all" if low == 0 else (f"{low:g}-{high:g}" if high != float("inf") else f">={low:g}")
        )
        print(
            f"{row['event']:<9} {band:>9} {row['n']:>4} {row['dispersion']:6.2f} "
            f"{row['threshold']:5.1f} | "
            + " | ".join(
                f"{'':>{len(label) + 1}} {_pct(row[f'recall_{i}']):>6} "
                f"{_pct(row[f'quick_{i}']):>6} {_days(row[f'delay_{i}']):>5}"
                for i, label in enumerate(labels)
            )
        )


def oracle_values(result: dict) -> dict:
    """Flat JSON keys: oracle_recall_drop40 (budget 1x, within 28 days), ..._within_3d, per
    volume band, at the other budgets, and ..._real_drift (1x, thresholds raised until the
    real untouched series keep to the budget)."""
    values = {}
    real = len(ORACLE_BUDGETS)
    for row in result["rows"]:
        name = row["event"].replace("drop ", "drop").rstrip("%")
        low, high = row["band"]
        band = "" if low == 0 else f"_{low:g}_{high:g}" if high != float("inf") else f"_{low:g}_up"
        values[f"oracle_recall_{name}{band}"] = row["recall_0"]
        if not band:
            values[f"oracle_recall_{name}_within_3d"] = row["quick_0"]
            values[f"oracle_median_delay_{name}"] = row["delay_0"]
            for index, multiple in enumerate(ORACLE_BUDGETS[1:], start=1):
                values[f"oracle_recall_{name}_budget_x{multiple:g}"] = row[f"recall_{index}"]
            values[f"oracle_recall_{name}_real_drift"] = row[f"recall_{real}"]
    return values


# --- results -------------------------------------------------------------------------------------


def detected(event: Event, who: str) -> int | None:
    """Days of event data seen by the first alert within the horizon, None when missed."""
    day = event.found.get(f"{who}:{WANTED[event.kind]}")
    if day is None:
        return None
    if event.kind == "stockout":
        return None if event.end_day is None or day > event.end_day else day - event.day
    horizon = DROP_HORIZON if event.kind == "drop" else SURGE_HORIZON
    return day - event.day if day - event.day <= horizon else None


BANDS = ((2.0, 4.0), (4.0, 8.0), (8.0, float("inf")))


def _measured(events: list) -> list:
    """Events that can be measured: drops not hidden by the store's own stockouts, stockouts
    counted on a shelf that still held stock and did empty afterwards, and no event whose
    product the detectors were already alerting about (of the same kind) the day before the
    event's first day of data."""
    return [
        e
        for e in events
        if not e.hidden
        and not (e.kind == "stockout" and e.end_day is None)
        and not e.alerting_before
    ]


def summarise(sales: tuple[Alerts, Alerts], reviews: tuple[Alerts, Alerts]) -> dict:
    result: dict = {"rows": [], "bands": []}
    all_events = sales[0].events + reviews[0].events
    events = _measured(all_events)
    result["hidden_drops"] = sum(1 for e in all_events if e.kind == "drop" and e.hidden)
    result["stockouts_on_empty_shelf"] = sum(
        1 for e in all_events if e.kind == "stockout" and e.hidden
    )
    result["stockouts_not_empty"] = sum(
        1 for e in all_events if e.kind == "stockout" and e.end_day is None
    )
    result["alerting_before"] = sum(1 for e in all_events if e.alerting_before)
    groups = [("drop", 0.2), ("drop", 0.4), ("drop", 0.6), ("stockout", 0.0), ("surge", 0.0)]
    delays: dict[str, list[int]] = {"ours": [], "base": []}
    for kind, size in groups:
        chosen = [e for e in events if e.kind == kind and (kind != "drop" or e.size == size)]
        row = {"event": kind if kind != "drop" else f"drop {int(size * 100)}%", "n": len(chosen)}
        for who in ("ours", "base"):
            found = [detected(e, who) for e in chosen]
            hits = [d for d in found if d is not None]
            row[f"{who}_recall"] = len(hits) / len(chosen) if chosen else float("nan")
            row[f"{who}_delay"] = float(np.median(hits)) if hits else float("nan")
            delays[who].extend(hits)
            if kind == "stockout":
                warnings = [
                    e.end_day - e.found[f"{who}:stockout_risk"]
                    for e, d in zip(chosen, found, strict=True)
                    if d is not None
                ]
                row[f"{who}_warning"] = float(np.median(warnings)) if warnings else float("nan")
        result["rows"].append(row)
    for size in (0.4, 0.6):
        for low, high in BANDS:
            chosen = [
                e for e in events if e.kind == "drop" and e.size == size and low <= e.level < high
            ]
            row = {"event": f"drop {int(size * 100)}%", "band": (low, high), "n": len(chosen)}
            for who in ("ours", "base"):
                hits = [d for d in (detected(e, who) for e in chosen) if d is not None]
                row[f"{who}_recall"] = len(hits) / len(chosen) if chosen else float("nan")
                row[f"{who}_delay"] = float(np.median(hits)) if hits else float("nan")
            result["bands"].append(row)
    for who, index in (("ours", 0), ("base", 1)):
        weeks_sales = sales[index].untouched_days / 7
        weeks_reviews = reviews[index].untouched_days / 7
        false_sales = sum(sales[index].false.values())
        false_reviews = sum(reviews[index].false.values())
        result[f"{who}_false_by_kind"] = {
            **{k: 100 * v / weeks_sales for k, v in sales[index].false.items()},
            **{k: 100 * v / weeks_reviews for k, v in reviews[index].false.items()},
        }
        result[f"{who}_false"] = 100 * (false_sales + false_reviews) / (weeks_sales + weeks_reviews)
        result[f"{who}_false_sales"] = 100 * false_sales / weeks_sales if weeks_sales else 0.0
        result[f"{who}_false_reviews"] = (
            100 * false_reviews / weeks_reviews if weeks_reviews else 0.0
        )
        result[f"{who}_delay"] = float(np.median(delays[who])) if delays[who] else float("nan")
        result[f"{who}_true_stockouts"] = sales[index].true_stockouts
    result["sku_weeks"] = sales[0].untouched_days / 7
    result["review_weeks"] = reviews[0].untouched_days / 7
    surges = [e for e in events if e.kind == "surge"]
    rating = [
        e
        for e in surges
        if e.found.get("ours:rating_drop") is not None
        and e.found["ours:rating_drop"] - e.day <= SURGE_HORIZON
    ]
    result["rating_drop_on_surges"] = len(rating) / len(surges) if surges else float("nan")
    return result


def _pct(value: float) -> str:
    return "   -  " if value != value else f"{100 * value:5.1f}%"


def _days(value: float) -> str:
    return "  - " if value != value else f"{value:4.1f}"


def report(result: dict, *, part: str, seconds: float, skus: int, products: int) -> None:
    print(f"\nCrisis detection, {part} part: {skus} SKUs, {products} review products")
    print(
        f"untouched: {result['sku_weeks']:.0f} SKU-weeks, {result['review_weeks']:.0f} "
        f"review-product-weeks; {seconds:.0f} s"
    )
    print(f"{'event':<10} {'n':>4} | {'detectors':^26} | {'baseline':^26}")
    print(
        f"{'':<10} {'':>4} | {'recall':>7} {'delay':>6} {'warning':>9} | "
        f"{'recall':>7} {'delay':>6} {'warning':>9}"
    )
    for row in result["rows"]:
        print(
            f"{row['event']:<10} {row['n']:>4} | {_pct(row['ours_recall']):>7} "
            f"{_days(row['ours_delay']):>6} {_days(row.get('ours_warning', float('nan'))):>9} | "
            f"{_pct(row['base_recall']):>7} {_days(row['base_delay']):>6} "
            f"{_days(row.get('base_warning', float('nan'))):>9}"
        )
    print("drops by the SKU's units a day before the drop (recall, median delay):")
    for row in result["bands"]:
        low, high = row["band"]
        band = f"{low:g}-{high:g}" if high != float("inf") else f">= {low:g}"
        print(
            f"  {row['event']:<9} {band:>7}/day n {row['n']:>3}: detectors "
            f"{_pct(row['ours_recall'])} {_days(row['ours_delay'])} d, baseline "
            f"{_pct(row['base_recall'])} {_days(row['base_delay'])} d"
        )
    print(
        f"left out: {result['hidden_drops']} drops mostly covered by the store's own stockouts, "
        f"{result['stockouts_on_empty_shelf']} stock counts on a shelf already empty, "
        f"{result['stockouts_not_empty']} stockout events whose shelf never emptied, "
        f"{result['alerting_before']} events already under a live alert of their kind"
    )
    print(
        f"median delay (all detected events): detectors {_days(result['ours_delay'])} days, "
        f"baseline {_days(result['base_delay'])} days"
    )
    print("false alerts per 100 SKU-weeks (untouched):")
    for who, name in (("ours", "detectors"), ("base", "baseline ")):
        by_kind = ", ".join(
            f"{k} {v:.2f}" for k, v in sorted(result[f"{who}_false_by_kind"].items())
        )
        print(
            f"  {name} {result[f'{who}_false']:.2f} (sales/stock "
            f"{result[f'{who}_false_sales']:.2f}, reviews {result[f'{who}_false_reviews']:.2f}); "
            f"by kind: {by_kind}"
        )
    print(
        f"stockout alerts on untouched SKUs that did run out within their lead time (not "
        f"counted as false): detectors {result['ours_true_stockouts']}, baseline "
        f"{result['base_true_stockouts']}"
    )
    print(f"rating-drop alerts within 14 days of a surge: {_pct(result['rating_drop_on_surges'])}")


def _rounded(values: dict) -> dict:
    return {k: (None if v != v else round(v, 4)) for k, v in values.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--episodes", type=int, default=6, help="8-week episodes per part")
    parser.add_argument("--skus", type=int, default=0, help="only the first N SKUs of the part")
    parser.add_argument("--review-products", type=int, default=48, help="per language")
    parser.add_argument("--split", choices=("report", "calibration"), default="report")
    parser.add_argument(
        "--calibrate", action="store_true", help="threshold grids on the calibration part"
    )
    parser.add_argument(
        "--oracle-bound",
        action="store_true",
        help="only the sales-drop upper bound (no detector runs)",
    )
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecomops.settings")
    import django

    django.setup()
    from dataclasses import replace

    from crisis.detectors.config import Thresholds

    started = time.perf_counter()
    part = "calibration" if args.calibrate else args.split
    rng = np.random.default_rng(args.seed)
    units = m5_load()
    order = rng.permutation(units.shape[0])
    halves = {"calibration": np.sort(order[0::2]), "report": np.sort(order[1::2])}
    rows = halves[part]
    if args.skus:
        rows = rows[: args.skus]
    span = args.episodes * EPISODE_DAYS
    period_start = units.shape[1] - span - (364 if part == "calibration" else 0)
    thresholds = Thresholds()
    if args.calibrate:
        # Permissive, so that every score the grid may want is seen.
        thresholds = replace(thresholds, stockout_min_probability=CALIBRATION_PROBABILITIES[0])
    if args.oracle_bound:
        sales, _base = sales_part(
            units,
            rows,
            period_start=period_start,
            episodes=args.episodes,
            rng=np.random.default_rng([args.seed, 0 if part == "report" else 1]),
            thresholds=thresholds,
            scans=None,
            episode_log=None,
            scan=False,
        )
        oracle = oracle_bound(
            units[rows],
            sales.events,
            judged_share=sales.drop_judged_days / sales.untouched_days,
            period_start=period_start,
            episodes=args.episodes,
            seed=args.seed,
        )
        print(f"\nCrisis detection, {part} part: {len(rows)} SKUs")
        oracle_report(oracle)
        if args.json:
            write_json(args.json, _rounded(oracle_values(oracle)))
        return 0
    pool = review_pool(args.review_products, np.random.default_rng(args.seed + 1))
    products = np.arange(len(pool.surge_aspect))
    mixed = np.random.default_rng(args.seed + 2).permutation(products)
    review_rows = np.sort(mixed[0::2] if part == "calibration" else mixed[1::2])

    part_rng = np.random.default_rng([args.seed, 0 if part == "report" else 1])
    sales_scans: list | None = [] if args.calibrate else None
    review_scans: list | None = [] if args.calibrate else None
    sales_episodes: list = []
    review_episodes: list = []
    sales = sales_part(
        units,
        rows,
        period_start=period_start,
        episodes=args.episodes,
        rng=part_rng,
        thresholds=thresholds,
        scans=sales_scans,
        episode_log=sales_episodes,
    )
    reviews = review_part(
        pool,
        review_rows,
        episodes=args.episodes,
        rng=part_rng,
        thresholds=thresholds,
        scans=review_scans,
        episode_log=review_episodes,
    )
    seconds = time.perf_counter() - started
    if args.calibrate:
        print(f"\nCalibration part: {len(rows)} SKUs, {len(review_rows)} review products")
        calibration_grids(sales_scans, sales_episodes, review_scans, review_episodes)
        return 0
    result = summarise(sales, reviews)
    report(result, part=part, seconds=seconds, skus=len(rows), products=len(review_rows))
    oracle = oracle_bound(
        units[rows],
        sales[0].events,
        judged_share=sales[0].drop_judged_days / sales[0].untouched_days,
        period_start=period_start,
        episodes=args.episodes,
        seed=args.seed,
    )
    oracle_report(oracle)

    by_event = {row["event"]: row for row in result["rows"]}
    values = {
        "recall_drop40": by_event["drop 40%"]["ours_recall"],
        "recall_drop60": by_event["drop 60%"]["ours_recall"],
        "recall_drop20": by_event["drop 20%"]["ours_recall"],
        "recall_stockout": by_event["stockout"]["ours_recall"],
        "recall_review_surge": by_event["surge"]["ours_recall"],
        "median_delay_days": result["ours_delay"],
        "false_alerts_per_100_sku_weeks": result["ours_false"],
        "baseline_recall_drop40": by_event["drop 40%"]["base_recall"],
        "baseline_recall_stockout": by_event["stockout"]["base_recall"],
        "baseline_recall_review_surge": by_event["surge"]["base_recall"],
        "baseline_median_delay_days": result["base_delay"],
        "baseline_false_alerts_per_100_sku_weeks": result["base_false"],
        "seconds": seconds,
        **oracle_values(oracle),
    }
    if args.json:
        write_json(args.json, _rounded(values))
    met = (
        min(values["recall_drop40"], values["recall_drop60"], values["recall_stockout"])
        >= TARGET_RECALL
        and values["median_delay_days"] <= TARGET_DELAY
        and values["false_alerts_per_100_sku_weeks"] <= TARGET_FALSE
    )
    print("targets met" if met else "targets NOT all met (see the table)")
    return 0


CALIBRATION_CUSUM = (4.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0)
CALIBRATION_MIN_DROP = (0.2,)
CALIBRATION_PROBABILITIES = (0.3, 0.5, 0.7, 0.8, 0.9, 0.95)
CALIBRATION_P_VALUES = (1e-2, 1e-3, 1e-4, 1e-5)
CALIBRATION_NEGATIVES = (3, 5, 8)


def _replay(scans: list, episodes: list, kind: str, fires) -> tuple[float, dict]:
    """False alerts per 100 untouched weeks and {event: days to detection} when the detector
    fires on the rows `fires(scores)` returns (a set)."""
    false = 0
    days = 0.0
    found: dict[tuple[int, int], int] = {}
    before: set[tuple[int, int]] = set()
    for index, episode in enumerate(episodes):
        mine = [scan for scan in scans if scan.episode == index]
        if not mine:
            continue
        first = mine[0].t + 1
        live: set[int] = set()
        for scan in mine:
            now = fires(scan.scores.get(kind, {}))
            for row in now:
                event = episode.events.get(row)
                if event is not None:
                    if WANTED[event.kind] == kind and scan.t == event.day:
                        before.add((index, row))
                    if WANTED[event.kind] == kind and scan.t > event.day:
                        found.setdefault((index, row), scan.t)
                    continue
                if scan.t < first or row in live:
                    continue
                if kind == "stockout_risk" and episode.real_stockout(row, scan.t):
                    continue
                false += 1
            live = now
            if scan.t >= first:
                days += float(episode.untouched.sum())
    for key in before:  # already alerting the day before the event's first day of data
        found[key] = -1
    return (100 * false / (days / 7) if days else float("nan")), found


def _grid_line(label: str, false: float, found: dict, episodes: list, kind: str) -> str:
    parts = [f"{label}: false {false:5.2f}"]
    groups = [("drop", s) for s in DROP_SIZES] if kind == "sales_drop" else [(kind, 0.0)]
    for event_kind, size in groups:
        chosen = [
            (index, e)
            for index, episode in enumerate(episodes)
            for e in _measured(list(episode.events.values()))
            if WANTED[e.kind] == kind and (e.kind != "drop" or e.size == size)
        ]
        chosen = [(index, e) for index, e in chosen if found.get((index, e.row)) != -1]
        hits = []
        for index, e in chosen:
            day = found.get((index, e.row))
            if day is None:
                continue
            if e.kind == "stockout" and day > e.end_day:
                continue
            horizon = DROP_HORIZON if e.kind == "drop" else SURGE_HORIZON
            if e.kind != "stockout" and day - e.day > horizon:
                continue
            hits.append(day - e.day)
        name = f"drop{int(size * 100)}" if event_kind == "drop" else event_kind
        recall = len(hits) / len(chosen) if chosen else float("nan")
        parts.append(
            f"{name} {_pct(recall)} d{_days(float(np.median(hits)) if hits else float('nan'))}"
        )
    return "  ".join(parts)


def calibration_grids(sales_scans, sales_episodes, review_scans, review_episodes) -> None:
    """False alerts and recall over grids of thresholds (the defaults were chosen here)."""
    print("\nsales drop (CUSUM threshold, minimum drop):")
    for threshold in CALIBRATION_CUSUM:
        for min_drop in CALIBRATION_MIN_DROP:
            false, found = _replay(
                sales_scans,
                sales_episodes,
                "sales_drop",
                lambda scores, h=threshold, m=min_drop: {
                    row for row, (s, share) in scores.items() if s >= h and share >= m
                },
            )
            label = f"  h {threshold:4.1f} drop {min_drop:.2f}"
            print(_grid_line(label, false, found, sales_episodes, "sales_drop"))
    print("\nstockout (minimum chance):")
    for probability in CALIBRATION_PROBABILITIES:
        false, found = _replay(
            sales_scans,
            sales_episodes,
            "stockout_risk",
            lambda scores, p=probability: {row for row, value in scores.items() if value >= p},
        )
        label = f"  p >= {probability:.2f}"
        print(_grid_line(label, false, found, sales_episodes, "stockout_risk"))
    print(
        "\nreview surge (p-value, minimum negatives; excess share >= 0.10), per 100 product-weeks:"
    )
    for p_value in CALIBRATION_P_VALUES:
        for minimum in CALIBRATION_NEGATIVES:
            false, found = _replay(
                review_scans,
                review_episodes,
                "review_surge",
                lambda scores, a=p_value, m=minimum: {
                    row
                    for row, tests in scores.items()
                    if any(k >= m and p < a and excess >= 0.1 for k, p, excess in tests)
                },
            )
            label = f"  p < {p_value:.0e} k >= {minimum}"
            print(_grid_line(label, false, found, review_episodes, "review_surge"))
    print("\nrating drop (p-value, minimum drop in stars), per 100 product-weeks:")
    for p_value in CALIBRATION_P_VALUES[:3]:
        for minimum in (0.5, 0.75, 1.0):
            false, _found = _replay(
                review_scans,
                review_episodes,
                "rating_drop",
                lambda scores, a=p_value, m=minimum: {
                    row for row, (drop, p) in scores.items() if drop >= m and p < a
                },
            )
            print(f"  p < {p_value:.0e} drop >= {minimum:.2f}: false {false:5.2f}")


if __name__ == "__main__":
    sys.exit(main())

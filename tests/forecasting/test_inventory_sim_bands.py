"""`bench/inventory_sim.py` scores each policy per SKU, so that its volume-band table shows
where a policy's stock sits and which products it leaves short."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tests.benches import bench_module


@pytest.fixture(scope="module")
def bench():
    return bench_module("inventory_sim.py")


def order_up_to(level: np.ndarray):
    return lambda day, on_hand, pipeline: np.maximum(level - on_hand - pipeline, 0.0)


def test_the_replay_keeps_each_skus_cycles_and_stock(bench):
    # SKU 0 sells 1 a day and is stocked for it; SKU 1 sells 5 a day on a shelf of 20.
    demand = np.array([[1.0] * 14, [5.0] * 14])
    level = np.array([10.0, 20.0])
    result = bench.replay(
        demand, lead=3, review=7, start_stock=level, order_up_to_order=order_up_to(level)
    )
    assert result.cycle_ok_by_sku.shape == (2, 1)  # one cycle, days 0..9, ends in the holdout
    assert list(result.cycle_ok_by_sku[:, 0]) == [True, False]
    assert result.on_hand_by_sku[0] > result.on_hand_by_sku[1] >= 0
    assert result.on_hand_mean == pytest.approx(result.on_hand_by_sku.mean())
    assert result.cycle_ok.mean() == pytest.approx(0.5)


def test_volume_bands_split_skus_by_recent_units_a_day(bench):
    history = np.repeat(np.array([[0.0], [0.0], [1.0], [1.0], [9.0], [9.0]]), 56, axis=1)
    history[:2, ::4] = 1.0  # the slow pair sells every fourth day
    calendar = pd.DataFrame({"date": [dt.date(2016, 1, 1)]}, index=[1])
    panel = bench.Panel(
        ids=[f"SKU_{i}" for i in range(6)],
        history=history,
        holdout=np.zeros((6, 14)),
        first_day=1,
        calendar=calendar,
    )
    replay = bench.Replay(
        cycle_ok_by_sku=np.array([[True], [False], [True], [True], [False], [False]]),
        sold=0.0,
        demanded=0.0,
        on_hand_by_sku=np.array([1.0, 3.0, 5.0, 5.0, 20.0, 40.0]),
    )
    rows = bench.volume_bands(panel, {"plan": replay})
    assert [row["skus"] for row in rows] == [2, 2, 2]
    assert [row["units_a_day"] for row in rows] == [0.25, 1.0, 9.0]
    assert rows[0]["days_without_sale"] == 0.75
    assert [row["plan_cycle_service_level"] for row in rows] == [0.5, 1.0, 0.0]
    assert [row["plan_avg_on_hand"] for row in rows] == [2.0, 5.0, 30.0]


def test_the_oracle_raises_its_safety_stock_just_enough_to_serve_the_target(bench):
    # Two SKUs whose demand swings around a mean of 4 a day: the oracle knows the mean over the
    # replayed days, and k grows until both SKUs' cycles are served.
    rng = np.random.default_rng(0)
    holdout = rng.poisson(4.0, size=(2, 28)).astype(float)
    panel = bench.Panel(
        ids=["SKU_0", "SKU_1"],
        history=np.full((2, 56), 4.0),
        holdout=holdout,
        first_day=1,
        calendar=pd.DataFrame({"date": [dt.date(2016, 1, 1)]}, index=[1]),
    )
    args = type("Args", (), {"lead_time": 3, "review_period": 7})()

    def replay_with(k: float):
        start, decide = bench.oracle_policy(panel, args, k)
        return bench.replay(holdout, lead=3, review=7, start_stock=start, order_up_to_order=decide)

    level, _ = bench.oracle_policy(panel, args, 0.0)
    assert list(level) == list(np.ceil(holdout.mean(axis=1) * 10 - 1e-9))
    k, served = bench.raised_until(replay_with, 1.0)
    assert served.cycle_ok.mean() == 1.0
    assert 0 < k < 5
    # A little less safety stock no longer serves every cycle: k is the least that does.
    assert replay_with(k * 0.9).cycle_ok.mean() < 1.0


def test_raised_until_gives_up_at_its_ceiling(bench):
    never = bench.Replay(
        cycle_ok_by_sku=np.array([[False]]), sold=0.0, demanded=1.0, on_hand_by_sku=np.zeros(1)
    )
    k, replay = bench.raised_until(lambda factor: never, 0.9, high=3.0)
    assert (k, replay) == (3.0, never)

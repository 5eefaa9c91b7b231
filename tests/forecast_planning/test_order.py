import pytest

from forecasting import planning

from .conftest import make_inputs


def test_reorder_point_is_the_service_level_quantile_of_lead_time_plus_review_demand(
    independent_days,
):
    # 2 a day over 3 + 7 days: Poisson(20); its 95 % quantile is 28.
    result = planning.plan_compute(make_inputs(on_hand=10))
    assert result.reorder_point == 28
    assert result.safety_stock == pytest.approx(8.0)
    assert result.order_quantity == 18


def test_inbound_counts_towards_the_stock_position(independent_days):
    result = planning.plan_compute(make_inputs(on_hand=10, inbound=15))
    assert result.order_quantity == 3


def test_nothing_is_ordered_when_the_position_reaches_the_reorder_point(independent_days):
    assert planning.plan_compute(make_inputs(on_hand=28)).order_quantity == 0


def test_a_higher_service_level_needs_more_stock(independent_days):
    strict = planning.plan_compute(make_inputs(on_hand=0, service_level=0.999))
    assert strict.reorder_point == 35  # Poisson(20) at 99.9 %
    assert strict.safety_stock == pytest.approx(15.0)
    assert strict.order_quantity == 35


@pytest.mark.parametrize(
    ("need", "moq", "case_pack", "expected"),
    [
        (0, 1, 1, 0),
        (-4, 50, 6, 0),
        (13, 1, 1, 13),
        (12.2, 1, 1, 13),
        (13, 20, 1, 20),
        (13, 1, 12, 24),
        (13, 20, 6, 24),  # MOQ first, then whole packs
        (25, 20, 6, 30),
        (3, 1000, 1, 1000),
    ],
)
def test_orders_are_raised_to_the_moq_and_rounded_up_to_whole_case_packs(
    need, moq, case_pack, expected
):
    assert planning.order_quantity_round(need, moq=moq, case_pack=case_pack) == expected


def test_the_plan_rounds_its_order_to_moq_and_case_pack(independent_days):
    result = planning.plan_compute(make_inputs(on_hand=10, moq=20, case_pack=12))
    assert result.order_quantity == 24  # needs 18, MOQ 20, packs of 12


def test_a_huge_moq_is_ordered_whole_only_when_an_order_is_due(independent_days):
    assert planning.plan_compute(make_inputs(on_hand=10, moq=5000)).order_quantity == 5000
    assert planning.plan_compute(make_inputs(on_hand=40, moq=5000)).order_quantity == 0


def test_back_orders_raise_the_order(independent_days):
    result = planning.plan_compute(make_inputs(on_hand=-5))
    assert result.order_quantity == 33  # 28 - (-5)
    assert result.stockout_date is not None

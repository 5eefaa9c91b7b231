"""Severity comes from money at risk and the merchant's bands; SLA hours per severity."""

from decimal import Decimal

import pytest

from crisis.detectors.config import (
    CRITICAL,
    DEFAULT_SLA_HOURS,
    HIGH,
    LOW,
    MEDIUM,
    Thresholds,
    severity_for,
    thresholds_from_overrides,
)


@pytest.mark.parametrize(
    ("money", "severity"),
    [
        ("0", LOW),
        ("999.99", LOW),
        ("1000", MEDIUM),
        ("4999.99", MEDIUM),
        ("5000", HIGH),
        ("19999.99", HIGH),
        ("20000", CRITICAL),
        ("1000000", CRITICAL),
    ],
)
def test_default_bands(money, severity):
    assert severity_for(Decimal(money), Thresholds()) == severity


def test_a_merchant_with_other_bands_gets_other_severities():
    small_shop = thresholds_from_overrides(
        {"severity_medium_money": 100, "severity_high_money": 500, "severity_critical_money": 2000}
    )
    assert severity_for(Decimal("600"), small_shop) == HIGH
    assert severity_for(Decimal("600"), Thresholds()) == LOW


def test_severity_values_match_the_models_choices():
    from crisis.models import Severity

    assert tuple(level.value for level in Severity) == (LOW, MEDIUM, HIGH, CRITICAL)


def test_every_severity_has_sla_hours_to_acknowledge_before_resolving():
    assert set(DEFAULT_SLA_HOURS) == {LOW, MEDIUM, HIGH, CRITICAL}
    for acknowledge, resolve in DEFAULT_SLA_HOURS.values():
        assert 0 < acknowledge < resolve
    assert DEFAULT_SLA_HOURS[CRITICAL][0] < DEFAULT_SLA_HOURS[LOW][0]

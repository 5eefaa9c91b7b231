"""Factories of the crisis center's records, without the detectors or the services.

Other crisis test directories import these. The evidence series follow the shapes the crisis
pages draw (see `crisis.templatetags.crisis_tags.evidence_chart`); a test that needs the
detectors' real evidence runs a scan instead.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from crisis.models import (
    ActionKind,
    ActionStatus,
    Alert,
    AlertKind,
    AlertStatus,
    Crisis,
    CrisisAction,
    CrisisEvent,
    CrisisEventKind,
    CrisisStatus,
    Playbook,
    PlaybookStatus,
    Severity,
)
from tests.factories import MerchantFactory, ProductFactory


def _merchant_of(obj):
    return obj.product.merchant if obj.product is not None else MerchantFactory()


def _group_key(obj) -> str:
    return f"product:{obj.product.pk}" if obj.product is not None else "store"


def stockout_evidence(lead_time_days: int = 10, on_hand: int = 60, daily: float = 12.0) -> dict:
    """As `crisis.detectors.stockout` writes it: the stock left against the demand expected
    until a new order could arrive."""
    start = timezone.localdate()
    days = [start + dt.timedelta(days=day) for day in range(lead_time_days)]
    cumulative = [round(daily * (day + 1), 1) for day in range(lead_time_days)]
    history_days = [start - dt.timedelta(days=28 - day) for day in range(28)]
    return {
        "sku": "SKU",
        "currency": "USD",
        "on_hand": on_hand,
        "inbound": 0,
        "lead_time_days": lead_time_days,
        "probability": 0.93,
        "days_of_cover": round(on_hand / daily, 1),
        "expected_stockout_date": (start + dt.timedelta(days=int(on_hand // daily))).isoformat(),
        "lost_units": int(daily * lead_time_days - on_hand),
        "demand_over_lead_time": {"mean": 120.0, "p10": 96, "p50": 120, "p90": 146},
        "projection": {
            "dates": [day.isoformat() for day in days],
            "expected_cumulative": cumulative,
            "cumulative_p10": [round(value * 0.8, 1) for value in cumulative],
            "cumulative_p90": [round(value * 1.2, 1) for value in cumulative],
            "available": [float(on_hand)] * lead_time_days,
        },
        "history": {
            "dates": [day.isoformat() for day in history_days],
            "units": [12.0] * 28,
            "on_hand": [float(on_hand + 12 * (28 - day)) for day in range(28)],
        },
    }


def sales_drop_evidence(days: int = 28) -> dict:
    """As `crisis.detectors.sales_drop` writes it: daily sales under the expected band."""
    start = timezone.localdate() - dt.timedelta(days=days)
    dates = [(start + dt.timedelta(days=day)).isoformat() for day in range(days)]
    return {
        "drop_began": dates[-10],
        "expected_units": 200.0,
        "actual_units": 90,
        "drop_share": 0.55,
        "days_below_p10": 8,
        "lost_revenue_so_far": 2739.0,
        "stockout_days_left_out": 0,
        "promotion_days_left_out": 0,
        "chart": {
            "dates": dates,
            "actual": [20.0] * (days - 10) + [9.0] * 10,
            "expected": [20.0] * days,
            "p10": [14.0] * days,
            "p90": [26.0] * days,
            "promotion": [False] * days,
            "out_of_stock": [False] * days,
            "window_start": dates[0],
        },
    }


def _weeks(count: int) -> list[str]:
    today = timezone.localdate()
    return [(today - dt.timedelta(days=7 * (count - k) - 1)).isoformat() for k in range(count)]


def review_surge_evidence(weeks: int = 12, aspect: str = "leaking") -> dict:
    """As `crisis.detectors.review_surge` writes it: negative reviews per week rising."""
    return {
        "aspect": aspect,
        "aspect_label": "Leaking",
        "window_days": 14,
        "baseline_days": 365,
        "recent_reviews": 20,
        "recent_negative": 12,
        "recent_share": 0.6,
        "baseline_reviews": 200,
        "baseline_negative": 20,
        "baseline_share": 0.1,
        "store_share": 0.08,
        "p_value": 0.0001,
        "top_topics": [{"id": 7, "label": "lid leaks", "aspect": aspect, "reviews": 9}],
        "example_review_ids": [12, 13],
        "chart": {
            "weeks": _weeks(weeks),
            "reviews": [10] * (weeks - 2) + [10, 10],
            "negative": [1] * (weeks - 2) + [5, 7],
        },
    }


def rating_drop_evidence(weeks: int = 12) -> dict:
    """As `crisis.detectors.rating_drop` writes it: the weekly average rating falling."""
    return {
        "window_days": 28,
        "baseline_days": 365,
        "recent_reviews": 14,
        "recent_mean": 3.4,
        "baseline_reviews": 120,
        "baseline_mean": 4.5,
        "drop": 1.1,
        "p_value": 0.002,
        "example_review_ids": [31],
        "chart": {
            "weeks": _weeks(weeks),
            "average_rating": [4.5] * (weeks - 3) + [3.9, 3.5, 3.3],
            "reviews": [8] * weeks,
        },
    }


EVIDENCE = {
    AlertKind.STOCKOUT_RISK: stockout_evidence,
    AlertKind.SALES_DROP: sales_drop_evidence,
    AlertKind.REVIEW_SURGE: review_surge_evidence,
    AlertKind.RATING_DROP: rating_drop_evidence,
}


def playbook_sections(
    *, what_happened: list[str], likely_cause: list[str], citations=(), source: str = "model"
) -> dict:
    """`Playbook.sections` as `crisis.playbooks.generate` writes them; each statement cites
    `citations` (labels such as "A5", "T3", "R12")."""

    def statements(texts):
        return [{"text": text, "citations": list(citations), "source": source} for text in texts]

    return {
        "version": 1,
        "language": "en",
        "source": source,
        "sources": {"what_happened": source, "likely_cause": source},
        "what_happened": " ".join(what_happened),
        "likely_cause": " ".join(likely_cause),
        "statements": {
            "what_happened": statements(what_happened),
            "likely_cause": statements(likely_cause),
        },
        "citations": [
            {
                "label": label,
                "kind": {"A": "alert", "T": "topic", "R": "review"}[label[0]],
                "id": int(label[1:]),
                "note": "",
            }
            for label in citations
        ],
    }


class CrisisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Crisis

    product = factory.SubFactory(ProductFactory)
    merchant = factory.LazyAttribute(_merchant_of)
    group_key = factory.LazyAttribute(_group_key)
    title = factory.LazyAttribute(
        lambda o: f"Trouble with {o.product.title}" if o.product else "Store-wide trouble"
    )
    status = CrisisStatus.DETECTED
    severity = Severity.HIGH
    money_at_risk = Decimal("1500.00")
    detected_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=2))
    acknowledge_due_at = factory.LazyAttribute(lambda o: o.detected_at + dt.timedelta(hours=4))
    resolve_due_at = factory.LazyAttribute(lambda o: o.detected_at + dt.timedelta(hours=72))


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    product = factory.SubFactory(ProductFactory)
    merchant = factory.LazyAttribute(_merchant_of)
    kind = AlertKind.STOCKOUT_RISK
    aspect = ""
    dedup_key = factory.Sequence(lambda n: f"alert-{n}")
    status = AlertStatus.OPEN
    severity = Severity.HIGH
    money_at_risk = Decimal("1500.00")
    title = factory.LazyAttribute(
        lambda o: f"{o.kind} on {o.product.sku}" if o.product else f"{o.kind} in the store"
    )
    summary = "The numbers behind this alert."
    evidence = factory.LazyAttribute(lambda o: EVIDENCE.get(o.kind, dict)())
    first_detected_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=2))
    last_detected_at = factory.LazyFunction(timezone.now)
    crisis = None


class CrisisEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrisisEvent

    crisis = factory.SubFactory(CrisisFactory)
    merchant = factory.SelfAttribute("crisis.merchant")
    kind = CrisisEventKind.COMMENT
    actor = None
    message = "Looking into it."
    data = factory.LazyFunction(dict)


class PlaybookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Playbook

    crisis = factory.SubFactory(CrisisFactory)
    merchant = factory.SelfAttribute("crisis.merchant")
    status = PlaybookStatus.READY
    language = "en"
    evidence = factory.LazyFunction(dict)
    sections = factory.LazyFunction(
        lambda: playbook_sections(
            what_happened=["Stock runs out in 5 days while the next delivery takes 10."],
            likely_cause=["Demand rose by a quarter over the last month."],
        )
    )
    dropped = factory.LazyFunction(list)
    model_name = "fake"
    prompt_version = "crisis-playbook-1"


class CrisisActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrisisAction

    crisis = factory.SubFactory(CrisisFactory)
    merchant = factory.SelfAttribute("crisis.merchant")
    playbook = None
    kind = ActionKind.REORDER
    title = "Order 120 units now"
    detail = "Covers the lead time at the current rate of sale."
    params = factory.LazyFunction(lambda: {"units": 120})
    status = ActionStatus.PROPOSED

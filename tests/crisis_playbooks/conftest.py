"""Fixtures of the playbook tests: three crises (a stockout, a review surge, an overstock) on
products with plans, reviews and complaint topics, members of every role, a scripted model."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

import crisis.playbooks.tasks  # noqa: F401 - registers the llm_* task (crisis/tasks.py does too)
from core import llm
from core.selectors import merchant_today
from crisis.models import AlertKind
from reviews.models import ComplaintTopic
from tests.crisis_pages.factories import AlertFactory, CrisisFactory
from tests.factories import (
    ProductFactory,
    ReviewFactory,
    StockLevelFactory,
)
from tests.forecast_pages.factories import InventoryPlanFactory, overstock_markdown
from tests.review_llm.factories import ReviewAnalysisFactory, mention


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the callbacks of the block's commit (job dispatch, eager tasks) when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def use_model(responder):
    """Route the LLM door to a fake model answering with `responder(request)`."""
    return llm.use_backend(llm.FakeBackend(responder=responder))


def prompt_of(request) -> str:
    return request.chat_messages[-1]["content"]


def is_playbook_prompt(request) -> bool:
    return "<crisis_evidence>" in prompt_of(request)


# --- a stockout ----------------------------------------------------------------------------------
@pytest.fixture
def charger(merchant):
    return ProductFactory(
        merchant=merchant,
        sku="ELE-CHG-65W",
        title="GaN USB-C charger 65W",
        category="Electronics",
        attributes={"power": "65 W", "ports": "2 USB-C"},
        price=Decimal("39.90"),
        cost=Decimal("14.00"),
        lead_time_days=35,
        moq=500,
        case_pack=50,
    )


@pytest.fixture
def stockout_crisis(merchant, charger):
    today = merchant_today(merchant=merchant)
    StockLevelFactory(product=charger, on_hand=150, inbound=0)
    InventoryPlanFactory(
        product=charger,
        on_hand=150,
        inbound=0,
        lead_time_days=35,
        mean_daily_demand=33.3,
        safety_stock=180.0,
        reorder_point=662.0,
        order_quantity=512,
        days_of_cover=4.5,
        stockout_date=today + dt.timedelta(days=4),
        stockout_risk=0.97,
        lost_revenue=Decimal("40473.56"),
    )
    crisis = CrisisFactory(
        product=charger, title="Stockout risk: GaN charger", money_at_risk=Decimal("40473.56")
    )
    AlertFactory(
        product=charger,
        crisis=crisis,
        kind=AlertKind.STOCKOUT_RISK,
        title="Stock of ELE-CHG-65W runs out before a new order can arrive",
        summary="150 on hand cover 4.5 days against a 35-day lead time.",
        money_at_risk=Decimal("40473.56"),
    )
    return crisis


# --- a review surge ------------------------------------------------------------------------------
@pytest.fixture
def bottle(merchant):
    return ProductFactory(
        merchant=merchant,
        sku="DRK-BTL-750",
        title="Insulated water bottle 750 ml",
        category="Drinkware",
        description="A double-walled bottle that keeps drinks cold.",
        attributes={"material": "stainless steel", "capacity": "750 ml", "lid": "screw cap"},
        price=Decimal("24.90"),
    )


def _review(product, days_ago: int, **fields):
    return ReviewFactory(
        product=product, created_at=timezone.now() - dt.timedelta(days=days_ago), **fields
    )


@pytest.fixture
def leak_reviews(bottle):
    """Three recent complaints about the leaking lid, one older praise."""
    reviews = [
        _review(bottle, 1, rating=1, title="Leaks", body="The lid leaks water into my bag."),
        _review(bottle, 2, rating=1, title="", body="Leaking lid, the bag got soaked twice."),
        _review(bottle, 3, rating=2, title="", body="Lid leaks when it lies flat."),
        _review(bottle, 40, rating=5, title="Cold", body="Keeps water cold all day long."),
    ]
    for review in reviews[:3]:
        analysis = ReviewAnalysisFactory(review=review, sentiment="negative")
        span = next(s for s in ("lid leaks", "Leaking lid", "Lid leaks") if s in review.body)
        mention(analysis, "quality", "negative", span)
    ReviewAnalysisFactory(review=reviews[3], sentiment="positive", sentiment_score=0.9)
    return reviews


@pytest.fixture
def leak_topic(merchant, bottle, leak_reviews):
    return ComplaintTopic.objects.create(
        merchant=merchant,
        product=bottle,
        language="en",
        label="lid leaks",
        terms=["lid", "leak", "water"],
        aspect="quality",
        size=3,
        trend={"weeks": [], "counts": [], "change": 2.0},
        example_review_ids=[review.pk for review in leak_reviews[:3]],
    )


@pytest.fixture
def surge_crisis(merchant, bottle, leak_topic):
    crisis = CrisisFactory(product=bottle, title="Negative reviews: bottle", money_at_risk=0)
    AlertFactory(
        product=bottle,
        crisis=crisis,
        kind=AlertKind.REVIEW_SURGE,
        aspect="quality",
        title="Negative reviews of DRK-BTL-750 about quality surged",
        summary="3 of 3 recent reviews are negative.",
        money_at_risk=Decimal("0"),
    )
    return crisis


# --- an overstock --------------------------------------------------------------------------------
@pytest.fixture
def throw(merchant):
    return ProductFactory(
        merchant=merchant,
        sku="HTX-THR-MUS",
        title="Wool throw blanket",
        category="Home",
        attributes={"material": "wool"},
        price=Decimal("89.00"),
        cost=Decimal("31.00"),
    )


@pytest.fixture
def overstock_crisis(merchant, throw):
    StockLevelFactory(product=throw, on_hand=1400, inbound=0)
    InventoryPlanFactory(
        product=throw,
        on_hand=1400,
        inbound=0,
        mean_daily_demand=1.3,
        days_of_cover=1076.9,
        overstock_units=1310,
        overstock_value=Decimal("40610.00"),
        aged_units=1200,
        markdown=overstock_markdown(price_cut=0.3, days=28, new_price=62.3),
    )
    crisis = CrisisFactory(product=throw, title="Overstock: wool throw", money_at_risk=40610)
    AlertFactory(
        product=throw,
        crisis=crisis,
        kind=AlertKind.OVERSTOCK,
        title="1310 units of HTX-THR-MUS are overstock",
        summary="40610.00 tied up.",
        money_at_risk=Decimal("40610.00"),
    )
    return crisis


def junk(request) -> str:
    """What the small embedded model often writes: fluent, uncited, with made-up numbers."""
    return (
        "Sure! Here is a playbook. The situation is bad and you should act fast. "
        "Sales will fall by 73% next month. I recommend a 50% discount for everyone."
    )


@pytest.fixture
def drafted(owner, django_capture_on_commit_callbacks):
    """Draft a crisis's playbook (the model writes junk: the text comes from the evidence) and
    return the actions it proposed, by kind."""
    from crisis.playbooks import playbook_request
    from crisis.selectors.playbooks import playbook_latest

    def draft(crisis):
        with use_model(junk), django_capture_on_commit_callbacks(execute=True):
            playbook_request(crisis=crisis, user=owner)
        return {action.kind: action for action in playbook_latest(crisis=crisis).actions.all()}

    return draft


def effects() -> dict[str, int]:
    """How many rows of each thing an action may create exist."""
    from crisis.models import PriceChange, PurchaseSuggestion
    from products.content.models import ContentDraft

    return {
        "purchase_suggestions": PurchaseSuggestion.objects.count(),
        "price_changes": PriceChange.objects.count(),
        "description_drafts": ContentDraft.objects.filter(kind="description").count(),
        "reply_drafts": ContentDraft.objects.filter(kind="review_reply").count(),
    }

"""The evidence of a crisis: everything a playbook may say, gathered once and kept as sent.

`evidence_build(crisis=...)` returns plain JSON (stored in `Playbook.evidence`):

    {"version": 1, "language": "en" | "zh-hans", "today": "2026-03-02", "currency": "USD",
     "crisis":  {"id", "title", "severity", "status", "money_at_risk", "detected_at"},
     "product": {"id", "sku", "title", "description", "price", "cost", "moq", "case_pack",
                 "lead_time_days", "attributes"} | null,
     "alerts":  [{"label": "A5", "id": 5, "kind", "aspect", "status", "severity",
                  "money_at_risk", "title", "summary", "numbers": {...}, "review_ids": [...]}],
     "plan":    {"order_quantity", "reorder_point", "safety_stock", "days_of_cover",
                 "stockout_date", "stockout_risk", "lost_revenue", "on_hand", "inbound",
                 "lead_time_days", "mean_daily_demand", "overstock_units", "overstock_value",
                 "aged_units", "service_level", "markdown": {...}} | null,
     "sales":   {"days", "units_recent", "weekly_baseline", "change"} | null,
     "ratings": {"recent_days", "reviews_recent", "negative_recent", "negative_share_recent",
                 "average_rating_recent", "baseline_days", "reviews_baseline",
                 "negative_baseline", "negative_share_baseline", "average_rating_baseline",
                 "negative_review_ids": [...newest first]} | null,
     "topics":  [{"label": "T3", "id": 3, "name", "aspect", "size", "terms", "change",
                  "example_review_ids": [...], "shown_review_ids": [...]}],
     "reviews": [{"label": "R12", "id": 12, "rating", "date", "language", "polarity",
                  "aspects": [...], "text": "<cleaned>", "replied": bool}]}

Labels are the citation marks the model must use: [A5] alert 5, [T3] complaint topic 3,
[R12] review 12 (the database ids, so a citation links to the real row). Alert evidence is the
detectors' own JSON reduced to its scalar numbers (chart series are left out). Review text is
untrusted: it is cleaned (`reviews.llm.text.review_clean`: prompt tags, links and
instruction-like sentences removed) before it is stored here, so the prompt and the checker
see exactly the same text. "Negative" means the analysis' sentiment when the review is
analysed, else a rating of 1 or 2 (as the review summaries do).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from core.selectors import merchant_day_start, merchant_today
from products.content.generation.facts import clean_text, looks_like_instruction
from reviews.llm.text import LINKS, review_clean, without_marks

from ..models import LIVE_ALERT_STATUSES, Alert, Crisis

EVIDENCE_VERSION = 1
# Reviews are compared over the last RECENT_DAYS local days against the BASELINE_DAYS before.
RECENT_DAYS = 14
BASELINE_DAYS = 90
# Sales: the last SALES_RECENT_DAYS days against the weekly average of the weeks before.
SALES_RECENT_DAYS = 7
SALES_BASELINE_WEEKS = 4
MAX_ALERTS = 8
MAX_ALERT_NUMBERS = 30
MAX_TOPICS = 3
MAX_TOPIC_EXAMPLES = 5
MAX_NEGATIVE_IDS = 50
MAX_ATTRIBUTES = 20


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def playbook_language(merchant) -> str:
    """The merchant's language for playbooks: zh-hans or en."""
    return "zh-hans" if (merchant.default_language or "").startswith("zh") else "en"


def _money(value) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.01")))


def _round(value, digits: int = 1):
    if value is None:
        return None
    return round(float(value), digits)


def _safe_text(value, *, limit: int = 300) -> str:
    """Merchant- or detector-written text as one clean line; instruction-like text is left out."""
    text = clean_text(value, limit=limit)
    if looks_like_instruction(text) or LINKS.search(text):
        return ""
    return text


# --- alerts --------------------------------------------------------------------------------------
def alert_numbers(evidence) -> tuple[dict, list[int]]:
    """The scalar values of a detector's evidence ("a.b" for nested keys; lists left out) and
    the review ids it names (any list under a key containing "review")."""
    numbers: dict = {}
    review_ids: list[int] = []

    def walk(prefix: str, value, depth: int) -> None:
        if len(numbers) >= MAX_ALERT_NUMBERS:
            return
        if isinstance(value, bool | int):
            numbers[prefix] = value
        elif isinstance(value, float):
            numbers[prefix] = round(value, 4)
        elif isinstance(value, Decimal):
            numbers[prefix] = str(value)
        elif isinstance(value, str):
            text = clean_text(value, limit=80)
            linkish = text.startswith("/") or "://" in text
            if text and not linkish and len(value) <= 80 and not looks_like_instruction(text):
                numbers[prefix] = text
        elif isinstance(value, dict) and depth < 2:
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item, depth + 1)
        elif isinstance(value, list | tuple) and "review" in prefix.lower():
            review_ids.extend(
                int(i) for i in value if isinstance(i, int) and not isinstance(i, bool)
            )

    if isinstance(evidence, dict):
        walk("", evidence, 0)
    return numbers, list(dict.fromkeys(review_ids))


def _alerts_json(crisis: Crisis) -> list[dict]:
    alerts = Alert.objects.filter(merchant_id=crisis.merchant_id, crisis=crisis)
    live = list(alerts.filter(status__in=LIVE_ALERT_STATUSES)[:MAX_ALERTS])
    chosen = live or list(alerts.order_by("-last_detected_at")[:MAX_ALERTS])
    rows = []
    for alert in chosen:
        numbers, review_ids = alert_numbers(alert.evidence)
        rows.append(
            {
                "label": f"A{alert.pk}",
                "id": alert.pk,
                "kind": alert.kind,
                "aspect": alert.aspect,
                "status": alert.status,
                "severity": int(alert.severity),
                "money_at_risk": _money(alert.money_at_risk),
                "title": _safe_text(alert.title),
                "summary": _safe_text(alert.summary, limit=600),
                "numbers": numbers,
                "review_ids": review_ids[:MAX_NEGATIVE_IDS],
            }
        )
    return rows


# --- product, stock, plan, sales -----------------------------------------------------------------
def _product_json(product) -> dict | None:
    if product is None:
        return None
    attributes = {}
    if isinstance(product.attributes, dict):
        for key, value in list(product.attributes.items())[:MAX_ATTRIBUTES]:
            text = _safe_text(value, limit=120)
            if text:
                attributes[clean_text(key, limit=60)] = text
    return {
        "id": product.pk,
        "sku": clean_text(product.sku, limit=64),
        "title": _safe_text(product.title),
        "description": _safe_text(product.description, limit=2000),
        "price": _money(product.price),
        "cost": _money(product.cost) if product.cost is not None else None,
        "currency": product.currency,
        "moq": int(product.moq or 1),
        "case_pack": int(product.case_pack or 1),
        "lead_time_days": int(product.lead_time_days or 0),
        "attributes": attributes,
    }


def _stock_json(product) -> dict | None:
    from products.models import StockLevel

    stock = StockLevel.objects.filter(product=product).values("on_hand", "inbound").first()
    return {"on_hand": stock["on_hand"], "inbound": stock["inbound"]} if stock else None


def _plan_json(product) -> dict | None:
    from forecasting.models import InventoryPlan

    plan = InventoryPlan.objects.filter(product=product, merchant_id=product.merchant_id).first()
    if plan is None:
        return None
    markdown = {}
    if isinstance(plan.markdown, dict):
        markdown = {
            key: (round(value, 4) if isinstance(value, float) else value)
            for key, value in plan.markdown.items()
            if isinstance(value, int | float | str) and not isinstance(value, bool)
        }
    return {
        "order_quantity": int(plan.order_quantity),
        "reorder_point": round(float(plan.reorder_point)),
        "safety_stock": _round(plan.safety_stock, 1),
        "days_of_cover": _round(plan.days_of_cover, 1),
        "stockout_date": plan.stockout_date.isoformat() if plan.stockout_date else None,
        "stockout_risk": _round(plan.stockout_risk, 3),
        "lost_revenue": _money(plan.lost_revenue),
        "on_hand": int(plan.on_hand),
        "inbound": int(plan.inbound),
        "lead_time_days": int(plan.lead_time_days),
        "mean_daily_demand": _round(plan.mean_daily_demand, 1),
        "overstock_units": int(plan.overstock_units),
        "overstock_value": _money(plan.overstock_value),
        "aged_units": int(plan.aged_units),
        "service_level": _round(plan.service_level, 3),
        "markdown": markdown,
    }


def _sales_json(product, today: dt.date) -> dict | None:
    from forecasting.models import DailySales

    recent_start = today - dt.timedelta(days=SALES_RECENT_DAYS)
    baseline_start = recent_start - dt.timedelta(days=7 * SALES_BASELINE_WEEKS)
    rows = DailySales.objects.filter(product=product, date__gte=baseline_start, date__lt=today)
    if not rows.exists():
        return None
    recent = rows.filter(date__gte=recent_start).aggregate(total=Sum("units"))["total"] or 0
    before = rows.filter(date__lt=recent_start).aggregate(total=Sum("units"))["total"] or 0
    weekly = round(float(before) / SALES_BASELINE_WEEKS, 1)
    change = round((float(recent) - weekly) / weekly, 3) if weekly else None
    return {
        "days": SALES_RECENT_DAYS,
        "units_recent": int(recent),
        "weekly_baseline": weekly,
        "baseline_weeks": SALES_BASELINE_WEEKS,
        "change": change,
    }


# --- reviews -------------------------------------------------------------------------------------
def _polarity(sentiment: str | None, rating: int | None) -> str:
    if sentiment:
        return sentiment
    if rating is None:
        return "neutral"
    return "negative" if rating <= 2 else ("positive" if rating >= 4 else "neutral")


def _share(part: int, whole: int):
    return round(part / whole, 3) if whole else None


def _average(ratings: list[int]):
    return round(sum(ratings) / len(ratings), 2) if ratings else None


def _ratings_json(*, merchant, product, today: dt.date) -> dict | None:
    from reviews.models import Review, ReviewAnalysis

    recent_start = merchant_day_start(
        merchant=merchant, day=today - dt.timedelta(days=RECENT_DAYS - 1)
    )
    baseline_start = recent_start - dt.timedelta(days=BASELINE_DAYS)
    rows = list(
        Review.objects.filter(merchant=merchant, product=product, created_at__gte=baseline_start)
        .order_by("-created_at", "-pk")
        .values_list("pk", "rating", "created_at")
    )
    if not rows:
        return None
    sentiments = dict(
        ReviewAnalysis.objects.filter(
            merchant=merchant, review_id__in=[row[0] for row in rows]
        ).values_list("review_id", "sentiment")
    )
    recent = [row for row in rows if row[2] >= recent_start]
    baseline = [row for row in rows if row[2] < recent_start]

    def negatives(group):
        return [row[0] for row in group if _polarity(sentiments.get(row[0]), row[1]) == "negative"]

    recent_negative = negatives(recent)
    baseline_negative = negatives(baseline)
    return {
        "recent_days": RECENT_DAYS,
        "reviews_recent": len(recent),
        "negative_recent": len(recent_negative),
        "negative_share_recent": _share(len(recent_negative), len(recent)),
        "average_rating_recent": _average([row[1] for row in recent if row[1]]),
        "baseline_days": BASELINE_DAYS,
        "reviews_baseline": len(baseline),
        "negative_baseline": len(baseline_negative),
        "negative_share_baseline": _share(len(baseline_negative), len(baseline)),
        "average_rating_baseline": _average([row[1] for row in baseline if row[1]]),
        "negative_review_ids": recent_negative[:MAX_NEGATIVE_IDS],
    }


def _topics_json(*, merchant, product, aspects: list[str]) -> list[dict]:
    from reviews.models import ComplaintTopic

    topics = list(
        ComplaintTopic.objects.filter(merchant=merchant, product=product).order_by("-size", "pk")
    )
    # The alerts' aspects first ("a surge about quality"), then the largest.
    topics.sort(key=lambda t: (0 if t.aspect and t.aspect in aspects else 1, -t.size, t.pk))
    rows = []
    for topic in topics[:MAX_TOPICS]:
        terms = [
            term
            for term in (clean_text(t, limit=40) for t in (topic.terms or [])[:8])
            if term and not looks_like_instruction(term)
        ]
        trend = topic.trend if isinstance(topic.trend, dict) else {}
        change = trend.get("change")
        rows.append(
            {
                "label": f"T{topic.pk}",
                "id": topic.pk,
                "name": _safe_text(topic.label, limit=120) or ", ".join(terms[:3]),
                "aspect": topic.aspect,
                "size": int(topic.size),
                "terms": terms,
                "change": round(float(change), 3) if isinstance(change, int | float) else None,
                "example_review_ids": [
                    int(i) for i in (topic.example_review_ids or []) if isinstance(i, int)
                ][:MAX_TOPIC_EXAMPLES],
            }
        )
    return rows


def _reviews_json(*, merchant, product, wanted: list[int]) -> list[dict]:
    """The wanted reviews (of this product only), cleaned, in the order wanted."""
    from reviews.models import AspectMention, Review, ReviewAnalysis

    if not wanted:
        return []
    reviews = Review.objects.filter(merchant=merchant, product=product, pk__in=wanted).in_bulk()
    sentiments = dict(
        ReviewAnalysis.objects.filter(merchant=merchant, review_id__in=list(reviews)).values_list(
            "review_id", "sentiment"
        )
    )
    aspects: dict[int, list[str]] = {}
    for review_id, aspect in (
        AspectMention.objects.filter(
            merchant=merchant, analysis_id__in=list(reviews), polarity="negative"
        )
        .order_by("analysis_id", "span_start")
        .values_list("analysis_id", "aspect")
    ):
        aspects.setdefault(review_id, [])
        if aspect not in aspects[review_id]:
            aspects[review_id].append(aspect)
    rows = []
    for review_id in wanted:
        review = reviews.get(review_id)
        if review is None:
            continue
        clean = review_clean(review.title, review.body)
        if not without_marks(clean.text):
            continue  # nothing left but removed instructions and links: nothing to cite
        rows.append(
            {
                "label": f"R{review.pk}",
                "id": review.pk,
                "rating": review.rating,
                "date": merchant_today(merchant=merchant, now=review.created_at).isoformat(),
                "language": review.language,
                "polarity": _polarity(sentiments.get(review.pk), review.rating),
                "aspects": aspects.get(review.pk, []),
                "text": clean.text,
                "replied": bool((review.reply_text or "").strip()),
            }
        )
    return rows


def _review_ids_wanted(
    *, topics: list[dict], alerts: list[dict], ratings: dict | None
) -> list[int]:
    """Which reviews the model sees: one example per topic first, then the newest negative
    reviews (the surge), then the alerts' and topics' other examples, up to the limit."""
    limit = _setting("CRISIS_PLAYBOOK_REVIEWS", 8)
    recent = (ratings or {}).get("negative_review_ids", [])
    ordered: list[int] = []
    ordered += [topic["example_review_ids"][0] for topic in topics if topic["example_review_ids"]]
    ordered += recent[:limit]
    for alert in alerts:
        ordered += alert["review_ids"][:3]
    for topic in topics:
        ordered += topic["example_review_ids"][1:]
    return list(dict.fromkeys(ordered))[: limit * 2]  # some may be gone or empty after cleaning


# --- the whole -----------------------------------------------------------------------------------
def evidence_build(*, crisis: Crisis, today: dt.date | None = None) -> dict:
    """The crisis evidence as plain JSON (see the module docstring)."""
    merchant = crisis.merchant
    today = today or merchant_today(merchant=merchant)
    product = crisis.product
    alerts = _alerts_json(crisis)
    evidence: dict = {
        "version": EVIDENCE_VERSION,
        "language": playbook_language(merchant),
        "today": today.isoformat(),
        "currency": merchant.currency,
        "crisis": {
            "id": crisis.pk,
            "title": _safe_text(crisis.title),
            "severity": int(crisis.severity),
            "status": crisis.status,
            "money_at_risk": _money(crisis.money_at_risk),
            "detected_at": crisis.detected_at.isoformat() if crisis.detected_at else None,
        },
        "product": _product_json(product),
        "alerts": alerts,
        "plan": None,
        "stock": None,
        "sales": None,
        "ratings": None,
        "topics": [],
        "reviews": [],
    }
    if product is None:
        return evidence
    evidence["plan"] = _plan_json(product)
    evidence["stock"] = _stock_json(product)
    evidence["sales"] = _sales_json(product, today)
    ratings = _ratings_json(merchant=merchant, product=product, today=today)
    evidence["ratings"] = ratings
    aspects = [alert["aspect"] for alert in alerts if alert["aspect"]]
    topics = _topics_json(merchant=merchant, product=product, aspects=aspects)
    evidence["topics"] = topics
    wanted = _review_ids_wanted(topics=topics, alerts=alerts, ratings=ratings)
    reviews = _reviews_json(merchant=merchant, product=product, wanted=wanted)
    evidence["reviews"] = reviews[: _setting("CRISIS_PLAYBOOK_REVIEWS", 8)]
    shown = {review["id"] for review in evidence["reviews"]}
    # A topic cites only the examples the model was shown.
    for topic in topics:
        topic["shown_review_ids"] = [i for i in topic["example_review_ids"] if i in shown]
    return evidence


# --- reading it back -----------------------------------------------------------------------------
def evidence_labels(evidence: dict) -> dict[str, dict]:
    """Every citable item by its label ("A5", "T3", "R12")."""
    items: dict[str, dict] = {}
    for key in ("alerts", "topics", "reviews"):
        for item in evidence.get(key) or []:
            items[item["label"]] = item
    return items


def alert_kinds(evidence: dict) -> Counter:
    return Counter(alert["kind"] for alert in evidence.get("alerts") or [])

"""The actions a playbook proposes, built from the evidence's numbers, never from the model.

Each kind has a rule for when it is proposed and where its numbers come from:

- reorder: a stockout alert (or cover no longer than the lead time) and a plan that orders:
  the plan's `order_quantity`, raised to the MOQ and rounded up to whole case packs
  (`forecasting.planning.order_quantity_round`, the plan's own rule, on today's MOQ and pack);
- pause_ads: a stockout alert and cover no longer than the lead time (a to-do: EcomOps
  manages no ad platform);
- markdown: an overstock alert (or a sales drop without review alerts), overstock in the plan
  with a markdown scenario, and no stockout alert: the scenario's cut and days, the new price
  from today's price;
- listing_fix: a complaint topic (or a review alert's aspect) about the product itself, not
  delivery or service: the description plus sentences answering the complaint (the model's,
  grounded like content-studio copy, else the product's own facts);
- customer_reply: a review-surge or rating-drop alert and unanswered recent negative
  reviews: the newest CRISIS_PLAYBOOK_REPLY_REVIEWS of them in one language, with a fixed,
  grounded reply text (thanks, an acknowledgement of the complaint, the store's last reply
  template or an invitation to contact customer service).

Titles and details are written in the playbook's language when the playbook is drafted
(stored text, like the review summaries), with every number shown.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from forecasting.planning import order_quantity_round
from products.content.generation import claims_extract, facts_from_product
from products.content.generation.candidates import facts_sentence, tidy_output
from products.content.generation.facts import looks_like_instruction
from products.content.kinds import ContentKind, max_chars
from reviews.llm.citations import statement_support, statement_tone
from reviews.llm.extractive import ASPECT_NAMES
from reviews.llm.replies import reply_context_build, reply_from_output, strip_echo
from reviews.llm.text import HAS_CJK, sentences

# A model sentence for the listing shares at least this much with the facts and the complaint.
LISTING_MIN_SHARED = 2
LISTING_MIN_SUPPORT = 0.3
MIN_ASPECT_REVIEWS = 3
# Complaints a listing text cannot answer: the listing fix is not proposed for them.
NOT_LISTING_ASPECTS = {"shipping", "service"}
# Which attributes speak to which complaint (the facts a listing fix restates first).
ASPECT_ATTRIBUTE_KEYS = {
    "quality": r"material|warranty|care|certif|seal|lid|材质|材料|保修|质保|认证|密封",
    "size_fit": r"size|dimension|length|width|height|fit|尺码|尺寸|长度|宽度|高度",
    "function": r"power|battery|capacity|volume|output|watt|insulat|功率|电池|容量|保温",
    "appearance": r"colou?r|finish|pattern|design|颜色|外观|图案",
    "packaging": r"packag|box|包装",
    "authenticity": r"brand|certif|origin|品牌|认证|产地",
    "price_value": r"capacity|size|material|warranty|容量|尺寸|材质|保修",
}


@dataclass
class Proposal:
    kind: str
    title: str
    detail: str
    params: dict = field(default_factory=dict)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _lang(evidence: dict) -> str:
    return "zh-hans" if evidence.get("language") == "zh-hans" else "en"


def _kinds(evidence: dict) -> set[str]:
    return {alert["kind"] for alert in evidence.get("alerts") or []}


def _stock_short(plan: dict, product: dict) -> bool:
    cover = plan.get("days_of_cover")
    lead = plan.get("lead_time_days") or product.get("lead_time_days") or 0
    return cover is not None and cover <= lead


_TEXT = {
    "en": {
        "reorder_title": "Order {units} units of {sku} now",
        "reorder_detail": "The inventory plan suggests ordering {order_quantity} units (reorder "
        "point {reorder_point}, {on_hand} on hand, {inbound} inbound); raised to the MOQ of {moq} "
        "and rounded up to case packs of {case_pack}, that is {units} units. An order placed "
        "today arrives in about {lead_time_days} days.",
        "reorder_date": " Projected stockout: {stockout_date}.",
        "reorder_effect": " Approving records a purchase suggestion for the buyer; nothing is "
        "sent to a supplier.",
        "pause_title": "Pause ads for {sku} until new stock arrives",
        "pause_detail": "Stock covers {days_of_cover} days and an order takes {lead_time_days} "
        "days to arrive: advertising now buys demand that cannot be served. EcomOps manages no "
        "ad platform: approving records this as a to-do for whoever runs the ads.",
        "markdown_title": "Mark {sku} down by {cut}% for {days} days",
        "markdown_detail": "From {old_price} to {new_price} {currency}. The plan's markdown "
        "scenario expects {expected_units} units sold over {days} days instead of "
        "{baseline_units} without it, recovering {recovered} {currency} (net gain against no "
        "markdown: {net_gain} {currency}); {overstock_units} units are overstock. Approving "
        "records a price change starting today for {days} days; the product's price in EcomOps "
        "is not changed and no shop is updated.",
        "listing_title": "Fix the listing text of {sku}: {complaint}",
        "listing_detail": "Customers complain about “{complaint}”{size}. Approving creates a "
        "description draft in the content studio with the proposed text; it is checked against "
        "the product's facts and still needs approval and publishing there.",
        "listing_size": " ({size} negative reviews)",
        "listing_evidence": " The proposed text adds the product's own facts; edit it if it "
        "does not answer the complaint.",
        "reply_title": "Reply to the {count} most recent negative reviews",
        "reply_detail": "Approving creates a reply draft with this text for each of the "
        "reviews {reviews} in the content studio's queue; each is checked and still needs "
        "approval and publishing.",
    },
    "zh-hans": {
        "reorder_title": "立即补货{sku}，共{units}件",
        "reorder_detail": "库存计划建议订购{order_quantity}件（再订货点{reorder_point}，现有"
        "{on_hand}件，在途{inbound}件）；按最小起订量{moq}件和箱规{case_pack}件取整后为{units}件。"
        "今天下单约{lead_time_days}天后到货。",
        "reorder_date": "预计断货日期：{stockout_date}。",
        "reorder_effect": "批准后只会为采购人员记录一条采购建议，不会向供应商发送任何内容。",
        "pause_title": "暂停{sku}的广告，直到新货到达",
        "pause_detail": "现有库存可售{days_of_cover}天，而补货需要{lead_time_days}天：现在投放广告"
        "只会带来无法满足的需求。EcomOps不管理任何广告平台：批准后只会记录为一项待办，由负责广告的"
        "人员处理。",
        "markdown_title": "{sku}降价{cut}%，持续{days}天",
        "markdown_detail": "价格从{old_price}降至{new_price} {currency}。按库存计划的降价方案，"
        "{days}天内预计售出{expected_units}件（不降价为{baseline_units}件），回收{recovered} "
        "{currency}（相对不降价的净收益：{net_gain} {currency}）；超储{overstock_units}件。批准后"
        "会记录一条从今天开始、为期{days}天的价格变更；EcomOps中的商品价格不变，也不会更新任何店铺。",
        "listing_title": "修改{sku}的商品描述：{complaint}",
        "listing_detail": "顾客投诉“{complaint}”{size}。批准后会在内容工作室生成一份含建议文字的"
        "商品描述草稿；它会按商品信息核查，仍需在那里审批和发布。",
        "listing_size": "（{size}条差评）",
        "listing_evidence": "建议文字补充了商品本身的信息；如果它没有回应投诉，请先修改。",
        "reply_title": "回复最近的{count}条差评",
        "reply_detail": "批准后会为评价{reviews}各生成一份使用此文字的回复草稿，进入内容工作室的"
        "队列；每份都会被核查，仍需审批和发布。",
    },
}


def _percent(cut: float) -> str:
    return str(Decimal(str(cut * 100)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


# --- each kind -----------------------------------------------------------------------------------
def reorder_proposal(evidence: dict) -> Proposal | None:
    plan, product = evidence.get("plan") or {}, evidence.get("product") or {}
    if not plan or not product or int(plan.get("order_quantity") or 0) <= 0:
        return None
    if "stockout_risk" not in _kinds(evidence) and not _stock_short(plan, product):
        return None
    units = order_quantity_round(
        plan["order_quantity"], moq=product.get("moq") or 1, case_pack=product.get("case_pack") or 1
    )
    t = _TEXT[_lang(evidence)]
    values = {**plan, **product, "units": units, "sku": product["sku"]}
    detail = t["reorder_detail"].format(**values)
    if plan.get("stockout_date"):
        detail += t["reorder_date"].format(**values)
    detail += t["reorder_effect"]
    return Proposal(
        kind="reorder",
        title=t["reorder_title"].format(**values),
        detail=detail,
        params={
            "product_id": product["id"],
            "units": units,
            "order_quantity": plan["order_quantity"],
            "moq": product.get("moq"),
            "case_pack": product.get("case_pack"),
            "reorder_point": plan.get("reorder_point"),
            "days_of_cover": plan.get("days_of_cover"),
            "stockout_date": plan.get("stockout_date"),
        },
    )


def pause_ads_proposal(evidence: dict) -> Proposal | None:
    plan, product = evidence.get("plan") or {}, evidence.get("product") or {}
    if not plan or not product or "stockout_risk" not in _kinds(evidence):
        return None
    if not _stock_short(plan, product):
        return None
    t = _TEXT[_lang(evidence)]
    values = {**plan, "sku": product["sku"]}
    return Proposal(
        kind="pause_ads",
        title=t["pause_title"].format(**values),
        detail=t["pause_detail"].format(**values),
        params={
            "product_id": product["id"],
            "days_of_cover": plan.get("days_of_cover"),
            "lead_time_days": plan.get("lead_time_days"),
            "stockout_date": plan.get("stockout_date"),
        },
    )


def markdown_proposal(evidence: dict) -> Proposal | None:
    plan, product = evidence.get("plan") or {}, evidence.get("product") or {}
    kinds = _kinds(evidence)
    if not plan or not product or "stockout_risk" in kinds:
        return None
    # Overstock, or sales that fell for no reason a customer wrote down: a markdown moves stock.
    # Not while customers complain about the product itself: fix that first.
    complaints = kinds & {"review_surge", "rating_drop"}
    if "overstock" not in kinds and not ("sales_drop" in kinds and not complaints):
        return None
    markdown = plan.get("markdown") or {}
    cut, days = markdown.get("price_cut"), markdown.get("days")
    if int(plan.get("overstock_units") or 0) <= 0 or not isinstance(cut, int | float):
        return None
    if not 0 < cut < 1 or not isinstance(days, int | float) or days < 1:
        return None
    old_price = Decimal(product["price"])
    if old_price <= 0:
        return None
    new_price = (old_price * (Decimal(1) - Decimal(str(cut)))).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    t = _TEXT[_lang(evidence)]
    values = {
        "sku": product["sku"],
        "cut": _percent(cut),
        "days": int(days),
        "old_price": str(old_price),
        "new_price": str(new_price),
        "currency": evidence.get("currency", ""),
        "expected_units": markdown.get("expected_units"),
        "baseline_units": markdown.get("baseline_units"),
        "recovered": markdown.get("recovered"),
        "net_gain": markdown.get("net_gain"),
        "overstock_units": plan.get("overstock_units"),
    }
    return Proposal(
        kind="markdown",
        title=t["markdown_title"].format(**values),
        detail=t["markdown_detail"].format(**values),
        params={
            "product_id": product["id"],
            "price_cut": cut,
            "days": int(days),
            "old_price": str(old_price),
            "new_price": str(new_price),
            "expected_units": markdown.get("expected_units"),
            "baseline_units": markdown.get("baseline_units"),
            "recovered": markdown.get("recovered"),
            "net_gain": markdown.get("net_gain"),
        },
    )


def top_complaint(evidence: dict) -> dict | None:
    """The complaint a listing fix answers: the first topic (alerts' aspects first), else a
    review alert's aspect. {"name", "aspect", "size", "topic_id", "label", "quote_review"}."""
    for topic in evidence.get("topics") or []:
        if topic.get("aspect") in NOT_LISTING_ASPECTS:
            continue
        reviews = {r["id"]: r for r in evidence.get("reviews") or []}
        shown = [reviews[i] for i in topic.get("shown_review_ids") or [] if i in reviews]
        return {
            "name": topic["name"],
            "aspect": topic.get("aspect", ""),
            "size": topic.get("size"),
            "topic_id": topic["id"],
            "label": topic["label"],
            "review": shown[0] if shown else None,
        }
    for alert in evidence.get("alerts") or []:
        aspect = alert.get("aspect") or ""
        if alert["kind"] in ("review_surge", "rating_drop") and aspect:
            if aspect in NOT_LISTING_ASPECTS:
                continue
            language = "zh" if _lang(evidence) == "zh-hans" else "en"
            return {
                "name": ASPECT_NAMES[language].get(aspect, aspect),
                "aspect": aspect,
                "size": None,
                "topic_id": None,
                "label": alert["label"],
                "review": None,
            }
    return None


def listing_addition_from_facts(*, product, aspect: str, description: str, language: str) -> str:
    """A sentence of the product's own facts that speak to the complaint's aspect (all key
    facts when none does); "" when the description already states every one of them."""
    facts = facts_from_product(product)
    trusted = facts.trusted_attributes()
    pattern = ASPECT_ATTRIBUTE_KEYS.get(aspect)
    keys = [k for k in trusted if pattern and re.search(pattern, k, re.IGNORECASE)]
    keys = keys or list(facts.key_attributes)
    lowered = (description or "").lower()
    keys = [k for k in keys if trusted.get(k) and trusted[k].lower() not in lowered]
    if not keys:
        return ""
    return " ".join(facts_sentence(facts, keys[:6], language))


def listing_addition_from_model(
    raw: str, *, product, description: str, language: str, complaint: str = ""
) -> tuple[str, list[dict]]:
    """The model's sentences to add, grounded like content-studio copy: echoed prompt text,
    instruction-like, other-language, unfinished and repeated sentences, sentences that speak
    badly of the product (a listing does not repeat the complaint), sentences sharing too
    little with the product's facts and the complaint (chatter such as "Sure! Here is...")
    and every sentence with a claim the facts do not support are dropped.

    Returns (text, dropped): dropped as `Playbook.dropped` items ({"text", "reason",
    "section": "listing_fix"})."""
    facts = facts_from_product(product)
    topic = " ".join(
        [facts.title, complaint, *(f"{k} {v}" for k, v in facts.trusted_attributes().items())]
    )
    text, _echoed = strip_echo(raw or "")
    text = tidy_output(text, ContentKind.DESCRIPTION)
    seen = {re.sub(r"[\W_]+", "", s.lower()) for s in sentences(description or "")}
    kept: list[str] = []
    dropped: list[dict] = []
    for sentence in sentences(text):
        key = re.sub(r"[\W_]+", "", sentence.lower())
        wrong_language = bool(HAS_CJK.search(sentence)) != (language == "zh-hans")
        reason = ""
        if not key or key in seen:
            reason = "repeats the description or an earlier sentence"
        elif wrong_language:
            reason = "not in the playbook's language"
        elif looks_like_instruction(sentence) or "[" in sentence or "<" in sentence:
            reason = "reads like an instruction or a template"
        elif not re.search(r"[.!?。！？]$", sentence):
            reason = "unfinished"
        elif [c for c in claims_extract(sentence, facts) if not c.supported]:
            reason = "makes a claim the product's facts do not support"
        elif statement_tone(sentence) < 0:
            reason = "speaks badly of the product"
        elif not _relevant(sentence, topic):
            reason = "unrelated to the product and the complaint"
        if reason:
            dropped.append({"text": sentence[:400], "reason": reason, "section": "listing_fix"})
            continue
        seen.add(key)
        kept.append(sentence)
        if len(kept) >= 3:
            break
    joiner = "" if language == "zh-hans" else " "
    return joiner.join(kept), dropped


def _relevant(sentence: str, topic: str) -> bool:
    support, shared, _ = statement_support(sentence, [topic])
    return shared >= LISTING_MIN_SHARED and support >= LISTING_MIN_SUPPORT


def listing_text(*, description: str, addition: str, language: str) -> str:
    """The description with the addition after it, within the description's length limit."""
    limit = max_chars(ContentKind.DESCRIPTION) or 2000
    description = (description or "").strip()
    joiner = "" if language == "zh-hans" else " "
    if not description:
        return addition[:limit]
    text = f"{description}{joiner}{addition}".strip()
    while len(text) > limit:
        parts = sentences(description)
        if len(parts) <= 1:
            return addition[:limit]
        description = joiner.join(parts[:-1])
        text = f"{description}{joiner}{addition}".strip()
    return text


def listing_proposal(evidence: dict, *, product, addition: str, source: str) -> Proposal | None:
    complaint = top_complaint(evidence)
    if complaint is None or product is None or not addition.strip():
        return None
    language = _lang(evidence)
    t = _TEXT[language]
    size = t["listing_size"].format(size=complaint["size"]) if complaint.get("size") else ""
    detail = t["listing_detail"].format(complaint=complaint["name"], size=size)
    if source == "evidence":
        detail += t["listing_evidence"]
    proposed = listing_text(description=product.description, addition=addition, language=language)
    return Proposal(
        kind="listing_fix",
        title=t["listing_title"].format(sku=product.sku, complaint=complaint["name"])[:300],
        detail=detail,
        params={
            "product_id": product.pk,
            "content_kind": ContentKind.DESCRIPTION,
            "language": language,
            "proposed_text": proposed,
            "addition": addition,
            "complaint": complaint["name"],
            "aspect": complaint["aspect"],
            "topic_id": complaint["topic_id"],
            "cites": complaint["label"],
            "source": source,
        },
    )


def reviews_main_aspect(evidence: dict) -> str:
    """The aspect most negative reviews of the evidence complain about, when it is clear: at
    least MIN_ASPECT_REVIEWS of them and half of the negative reviews ("" otherwise)."""
    negative = [r for r in evidence.get("reviews") or [] if r.get("polarity") == "negative"]
    counts = Counter(aspect for review in negative for aspect in set(review.get("aspects") or []))
    if not counts:
        return ""
    aspect, count = counts.most_common(1)[0]
    return aspect if count >= MIN_ASPECT_REVIEWS and count * 2 >= len(negative) else ""


def reply_proposal(evidence: dict, *, merchant, product) -> Proposal | None:
    """One reply text for the newest unanswered negative reviews of the surge."""
    from reviews.llm.selectors import reply_template_last
    from reviews.models import Review
    from reviews.services.replies import reply_language

    if product is None or not _kinds(evidence) & {"review_surge", "rating_drop"}:
        return None
    negative_ids = (evidence.get("ratings") or {}).get("negative_review_ids") or []
    if not negative_ids:
        return None
    candidates = list(
        Review.objects.filter(
            merchant=merchant, product=product, pk__in=negative_ids, reply_text=""
        )
        .exclude(body="")
        .select_related("merchant")
        .order_by("-created_at", "-pk")
    )
    if not candidates:
        return None
    by_language: dict[str, list] = {}
    for review in candidates:
        by_language.setdefault(reply_language(review), []).append(review)
    # The language most of them are in; the playbook's language wins a tie.
    language = max(by_language, key=lambda lang: (len(by_language[lang]), lang == _lang(evidence)))
    chosen = by_language[language][: _setting("CRISIS_PLAYBOOK_REPLY_REVIEWS", 5)]
    complaint = top_complaint(evidence) or {}
    aspect = (
        complaint.get("aspect")
        or next((a["aspect"] for a in evidence.get("alerts") or [] if a.get("aspect")), "")
        or reviews_main_aspect(evidence)
    )
    policy = reply_template_last(merchant=merchant)
    context = reply_context_build(
        facts=facts_from_product(product),
        review_title="",
        review_body="",
        language=language,
        template=policy,
        complaints=[(aspect, "")] if aspect in ASPECT_NAMES["en"] else [],
    )
    reply = reply_from_output("", context)
    t = _TEXT[_lang(evidence)]
    ids = [review.pk for review in chosen]
    return Proposal(
        kind="customer_reply",
        title=t["reply_title"].format(count=len(ids)),
        detail=t["reply_detail"].format(reviews=", ".join(f"#{i}" for i in ids)),
        params={
            "product_id": product.pk,
            "review_ids": ids,
            "language": str(language),
            "proposed_text": reply.text,
            "policy": policy,
            "aspect": aspect,
        },
    )


def proposals_build(
    *,
    evidence: dict,
    merchant,
    product,
    listing_addition: str = "",
    listing_source: str = "",
) -> list[Proposal]:
    """Every action the evidence supports, in the order an operator acts on them. The listing
    fix uses `listing_addition` (the model's grounded sentences) when given, else the facts."""
    proposals = [
        reorder_proposal(evidence),
        pause_ads_proposal(evidence),
        markdown_proposal(evidence),
    ]
    if product is not None and top_complaint(evidence) is not None:
        addition, source = listing_addition, listing_source or "model"
        if not addition:
            complaint = top_complaint(evidence) or {}
            addition = listing_addition_from_facts(
                product=product,
                aspect=complaint.get("aspect", ""),
                description=product.description,
                language=_lang(evidence),
            )
            source = "evidence"
        proposals.append(
            listing_proposal(evidence, product=product, addition=addition, source=source)
        )
    proposals.append(reply_proposal(evidence, merchant=merchant, product=product))
    return [proposal for proposal in proposals if proposal is not None]


def proposed_kinds(evidence: dict, *, merchant, product) -> list[tuple[str, str]]:
    """(kind, title) of the actions the evidence supports, for the prompt (before the model
    writes the listing wording)."""
    return [
        (p.kind, p.title)
        for p in proposals_build(evidence=evidence, merchant=merchant, product=product)
    ]

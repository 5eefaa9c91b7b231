"""The playbook text composed from the evidence alone, for when the model's is unusable.

Pure Python (no Django). Like the extractive review summaries (`reviews.llm.extractive`), it
states only numbers and words found in the evidence, each statement citing what it rests on,
and is marked ``"source": "evidence"`` in `Playbook.sections`, so nobody mistakes it for the
model's analysis. Written in the playbook's language (English or 简体中文).

What happened: the money at risk, then one statement per alert kind: in English the
detector's own summary of the alert, else (and in Chinese) the plan's, the sales' or the
reviews' numbers; the alert's title when the numbers are missing.
Likely cause: the complaint topics (size, label, aspect, a verbatim quote of an example
review), else verbatim quotes of the newest negative reviews; then what the plan says about
stock against demand; when nothing explains it, a note (citing nothing) that the evidence
does not.
"""

from __future__ import annotations

from reviews.llm.extractive import ASPECT_NAMES, PoolReview, quote_of

MAX_TOPIC_STATEMENTS = 3

_T = {
    "en": {
        "money": "This crisis puts {money} {currency} at risk",
        "stockout": "Stock is running out: {stock}",
        "stock_parts": {
            "on_hand": "{on_hand} units on hand",
            "inbound": "{inbound} inbound",
            "cover": "{days_of_cover} days of cover against a lead time of {lead_time} days",
            "date": "projected stockout on {stockout_date}",
            "lost": "{lost_revenue} {currency} of revenue at risk",
        },
        "overstock": "{overstock_units} units are in stock beyond the cover target, tying up "
        "{overstock_value} {currency}",
        "aged": "{aged_units} units are aged",
        "cover": "{days_of_cover} days of cover",
        "sales": "Sales were {units_recent} units in the last {days} days, against a weekly "
        "average of {weekly_baseline} in the {baseline_weeks} weeks before",
        "surge": "{negative_recent} of {reviews_recent} reviews in the last {recent_days} days "
        "are negative ({share}%)",
        "surge_base": "against {base_share}% in the {baseline_days} days before",
        "rating": "The average rating is {average_rating_recent} stars over the last "
        "{recent_days} days",
        "rating_base": "against {average_rating_baseline} in the {baseline_days} days before",
        "topic": "{size} negative reviews are about “{name}” ({aspect})",
        "topic_plain": "{size} negative reviews are about “{name}”",
        "quote": "e.g. “{quote}”",
        "demand_short": "Demand of {mean_daily_demand} units a day uses up the stock before an "
        "order placed today can arrive ({lead_time} days)",
        "demand_low": "Demand of {mean_daily_demand} units a day is far below the {on_hand} "
        "units on hand and {inbound} inbound",
        "out_of_stock": "The product is out of stock ({on_hand} on hand), which explains at "
        "least part of the drop in sales",
        "in_stock": "Stock is available ({on_hand} on hand), so the drop in sales is not caused "
        "by a stockout",
        "unknown": "The evidence holds no complaint topic or plan figure that explains this; "
        "look at the alerts' charts",
        "newest": "The newest negative reviews say {quotes}",
        "quote_joiner": " and ",
        "joiner": "; ",
        "end": ".",
    },
    "zh-hans": {
        "money": "此次危机涉及的风险金额为{money} {currency}",
        "stockout": "库存即将售罄：{stock}",
        "stock_parts": {
            "on_hand": "现有库存{on_hand}件",
            "inbound": "在途{inbound}件",
            "cover": "可售{days_of_cover}天，而补货周期为{lead_time}天",
            "date": "预计{stockout_date}断货",
            "lost": "可能损失收入{lost_revenue} {currency}",
        },
        "overstock": "库存超出目标{overstock_units}件，占用资金{overstock_value} {currency}",
        "aged": "其中{aged_units}件库龄过长",
        "cover": "可售{days_of_cover}天",
        "sales": "最近{days}天销量为{units_recent}件，而此前{baseline_weeks}周的周均销量为"
        "{weekly_baseline}件",
        "surge": "最近{recent_days}天的{reviews_recent}条评价中有{negative_recent}条差评"
        "（{share}%）",
        "surge_base": "此前{baseline_days}天为{base_share}%",
        "rating": "最近{recent_days}天的平均评分为{average_rating_recent}星",
        "rating_base": "此前{baseline_days}天为{average_rating_baseline}星",
        "topic": "{size}条差评集中在“{name}”（{aspect}）",
        "topic_plain": "{size}条差评集中在“{name}”",
        "quote": "例如“{quote}”",
        "demand_short": "日均需求{mean_daily_demand}件，库存在{lead_time}天的补货周期内就会售罄",
        "demand_low": "每天需求约{mean_daily_demand}件，远低于现有库存{on_hand}件和在途{inbound}件",
        "out_of_stock": "商品已缺货（现有库存{on_hand}件），至少部分解释了销量下滑",
        "in_stock": "商品有货（现有库存{on_hand}件），销量下滑并非缺货所致",
        "unknown": "现有证据中没有能解释此情况的投诉主题或计划数据，请查看预警图表",
        "newest": "最新的差评写道：{quotes}",
        "quote_joiner": "、",
        "joiner": "；",
        "end": "。",
    },
}


def _lang(evidence: dict) -> str:
    return "zh-hans" if evidence.get("language") == "zh-hans" else "en"


def _percent(share) -> str:
    return f"{float(share) * 100:.0f}"


def _statement(text: str, citations: list[str], language: str) -> dict:
    end = _T[language]["end"]
    text = text.strip()
    if not text.endswith((".", "。", "!", "！", "?", "？")):
        text += end
    return {"text": text, "citations": list(dict.fromkeys(citations)), "source": "evidence"}


def _has(value) -> bool:
    return value is not None and value != ""


def _stockout_text(t: dict, plan: dict, currency: str) -> str:
    parts = t["stock_parts"]
    values = {**plan, "lead_time": plan.get("lead_time_days"), "currency": currency}
    chosen = [parts["on_hand"].format(**values)]
    if plan.get("inbound"):
        chosen.append(parts["inbound"].format(**values))
    if _has(plan.get("days_of_cover")):
        chosen.append(parts["cover"].format(**values))
    if plan.get("stockout_date"):
        chosen.append(parts["date"].format(**values))
    if plan.get("lost_revenue") and float(plan["lost_revenue"]) > 0:
        chosen.append(parts["lost"].format(**values))
    return t["stockout"].format(stock=t["joiner"].join(chosen))


def what_happened(evidence: dict) -> list[dict]:
    """Statements of what happened, from the alerts and the numbers behind them."""
    language = _lang(evidence)
    t = _T[language]
    alerts = evidence.get("alerts") or []
    plan = evidence.get("plan") or {}
    ratings = evidence.get("ratings") or {}
    sales = evidence.get("sales") or {}
    currency = evidence.get("currency", "")
    statements: list[dict] = []
    labels = [alert["label"] for alert in alerts]
    money = (evidence.get("crisis") or {}).get("money_at_risk")
    if money and float(money) > 0 and labels:
        statements.append(
            _statement(t["money"].format(money=money, currency=currency), labels, language)
        )
    done: set[str] = set()
    for alert in alerts:
        kind = alert["kind"]
        same_kind = [a["label"] for a in alerts if a["kind"] == kind]
        if kind in done:
            continue
        done.add(kind)
        text = ""
        if language == "en" and alert.get("summary"):
            # The detector's own sentence: the same numbers as the alert the operator reads.
            text = alert["summary"]
        elif kind == "stockout_risk" and plan:
            text = _stockout_text(t, plan, currency)
        elif kind == "overstock" and plan and plan.get("overstock_units"):
            parts = [t["overstock"].format(**plan, currency=currency)]
            if plan.get("aged_units"):
                parts.append(t["aged"].format(**plan))
            if _has(plan.get("days_of_cover")):
                parts.append(t["cover"].format(**plan))
            text = t["joiner"].join(parts)
        elif kind == "sales_drop" and sales:
            text = t["sales"].format(**sales)
        elif kind == "review_surge" and ratings.get("reviews_recent"):
            text = t["surge"].format(
                **ratings, share=_percent(ratings.get("negative_share_recent") or 0)
            )
            if _has(ratings.get("negative_share_baseline")) and ratings.get("reviews_baseline"):
                base = t["surge_base"].format(
                    **ratings, base_share=_percent(ratings["negative_share_baseline"])
                )
                text = f"{text}{'，' if language == 'zh-hans' else ', '}{base}"
        elif kind == "rating_drop" and _has(ratings.get("average_rating_recent")):
            text = t["rating"].format(**ratings)
            if _has(ratings.get("average_rating_baseline")):
                base = t["rating_base"].format(**ratings)
                text = f"{text}{'，' if language == 'zh-hans' else ', '}{base}"
        if not text:
            text = alert.get("title") or ""
        if text:
            statements.append(_statement(text, same_kind, language))
    return statements


def _topic_statement(topic: dict, reviews: dict[int, dict], language: str) -> dict:
    t = _T[language]
    aspect = ASPECT_NAMES["zh" if language == "zh-hans" else "en"].get(topic.get("aspect"), "")
    key = "topic" if aspect else "topic_plain"
    text = t[key].format(size=topic["size"], name=topic["name"], aspect=aspect)
    citations = [topic["label"]]
    for review_id in topic.get("shown_review_ids") or []:
        review = reviews.get(review_id)
        if review is None:
            continue
        quote = quote_of(
            PoolReview(review_id, review["text"], review.get("polarity", "negative")),
            language="zh" if language == "zh-hans" else "en",
        )
        quote = quote.rstrip(".。!！?？ ")
        if quote:
            separator = "，" if language == "zh-hans" else ", "
            text = f"{text}{separator}{t['quote'].format(quote=quote)}"
            citations.append(review["label"])
            break
    return _statement(text, citations, language)


def likely_cause(evidence: dict) -> list[dict]:
    """Statements of the likely cause: complaint topics, then stock against demand."""
    language = _lang(evidence)
    t = _T[language]
    alerts = evidence.get("alerts") or []
    kinds = {
        alert["kind"]: [a["label"] for a in alerts if a["kind"] == alert["kind"]]
        for alert in alerts
    }
    plan = evidence.get("plan") or {}
    stock = evidence.get("stock") or {}
    reviews = {review["id"]: review for review in evidence.get("reviews") or []}
    statements = [
        _topic_statement(topic, reviews, language)
        for topic in (evidence.get("topics") or [])[:MAX_TOPIC_STATEMENTS]
        if topic.get("name")
    ]
    if not statements and set(kinds) & {"review_surge", "rating_drop", "sales_drop"}:
        quoted = _newest_complaints(evidence, language)
        if quoted:
            statements.append(quoted)
    values = {**plan, "lead_time": plan.get("lead_time_days")}
    cover = plan.get("days_of_cover")
    if "stockout_risk" in kinds and _has(cover) and cover < (plan.get("lead_time_days") or 0):
        statements.append(
            _statement(t["demand_short"].format(**values), kinds["stockout_risk"], language)
        )
    if "overstock" in kinds and plan and plan.get("overstock_units"):
        statements.append(
            _statement(t["demand_low"].format(**values), kinds["overstock"], language)
        )
    if "sales_drop" in kinds and stock:
        key = "out_of_stock" if stock.get("on_hand", 0) <= 0 else "in_stock"
        statements.append(_statement(t[key].format(**stock), kinds["sales_drop"], language))
    if not statements:
        # A note, not a claim about the evidence: it cites nothing.
        statements.append(_statement(t["unknown"], [], language))
    return statements


def _newest_complaints(evidence: dict, language: str) -> dict | None:
    """The newest negative reviews' own words (two, in the playbook's language first)."""
    review_language = "zh" if language == "zh-hans" else "en"
    negative = [r for r in evidence.get("reviews") or [] if r.get("polarity") == "negative"]
    negative.sort(key=lambda r: r.get("date") or "", reverse=True)
    negative.sort(key=lambda r: r.get("language") != review_language)  # stable: newest first
    chosen: list[tuple[dict, str]] = []
    for review in negative:
        quote = quote_of(
            PoolReview(review["id"], review["text"], "negative"),
            language="zh" if review.get("language") == "zh" else "en",
        ).rstrip(".。!！?？ ")
        if quote:
            chosen.append((review, quote))
        if len(chosen) == 2:
            break
    if not chosen:
        return None
    t = _T[language]
    quotes = t["quote_joiner"].join(f"“{quote}”" for _review, quote in chosen)
    return _statement(
        t["newest"].format(quotes=quotes), [review["label"] for review, _q in chosen], language
    )

"""The playbook checker: which of the model's statements may be shown, and why others may not.

Pure Python (no Django), like `reviews.llm.citations`, whose text tools it shares.

The model is asked for three sections ("What happened", "Likely cause", "Actions"), one
statement per line, each ending with the labels of the evidence it rests on: [A5] alert 5,
[T3] complaint topic 3, [R12] review 12 (`crisis.playbooks.evidence`). Citation groups may be
``[A5]``, ``[T3][R12]``, ``[A5, R12]``, ``(R12)`` or ``【T3】``; the text before a group is the
statement (its last sentence when several came before it), as in the review summaries. Action
lines start with the action's name ("- reorder: ...", "- 降价：..."): their text is the model's
rationale for an action the evidence already proposes; the model never creates an action.

A statement is DROPPED (kept in `Playbook.dropped` with the reason) when
1. it cites nothing;
2. it cites a label that is not part of this crisis' evidence (R999 when R999 was not shown);
3. it contains a link, e-mail address or phone number, or reads like an instruction;
4. it is not in the playbook's language;
5. it states a number the evidence does not: every number must be one of the numbers of the
   cited items or of the crisis as a whole (plan, stock, sales, ratings, money at risk, the
   product's price, MOQ, case pack and lead time), after rounding to 0-2 decimals, shares
   also read as percentages (0.42 -> 42), dates compared whole (2026-03-06 = 3月6日 =
   March 6); a count equal to the
   number of cited items is allowed too, and an action's rationale may state that action's
   own numbers (built from the plan: the units rounded to the case pack, the new price);
6. it shares too little with what it cites: at least MIN_SHARED content units (English stems,
   Chinese bigrams, numbers; `reviews.llm.text.content_units`) and a share of at least
   MIN_SUPPORT of its own units must occur in the cited items' text (an alert's text includes
   its kind's vocabulary and the plan's numbers; a topic's, its terms; a review's, its cleaned
   text);
7. its tone contradicts every item it cites (praise citing only complaints);
8. it repeats a statement kept before, or its section already holds MAX_PER_SECTION;
9. (action lines) it names an action the evidence did not propose, or no action at all;
10. it copies a line of the prompt (a small model echoing its evidence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from products.content.generation.facts import looks_like_instruction
from reviews.llm.citations import statement_support, statement_tone
from reviews.llm.text import HAS_CJK, LINKS, content_units, sentences, without_marks

SECTIONS = ("what_happened", "likely_cause")
ACTIONS_SECTION = "actions"
MIN_SHARED = 2
MIN_SUPPORT = {"en": 0.4, "zh-hans": 0.3}
MIN_STATEMENT_UNITS = 2
MAX_STATEMENT_CHARS = 400
MAX_PER_SECTION = 5
MIN_ECHO_CHARS = 16

_OPEN = r"[\[(【（]"
_CLOSE = r"[\])】）]"
_LABEL = r"[ATRatr]\s?\d{1,9}"
_GROUP = re.compile(
    rf"(?:{_OPEN}\s*{_LABEL}(?:\s*(?:[,，、;；/&]|and|和)\s*{_LABEL})*\s*{_CLOSE}\s*)+"
)
_LABEL_IN_GROUP = re.compile(r"([ATRatr])\s?(\d{1,9})")
_BULLET = re.compile(r"^\s*(?:[-*•·]+|\d{1,2}[.)、]|[（(]\d{1,2}[)）])\s*")
_MARKDOWN = re.compile(r"\*\*|__|`+|^#+\s*", re.MULTILINE)
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
# Capitalised month names only: "may" and "mar" are words too.
_MONTH = (
    r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
# Dates are compared whole: "2026-03-06", "3月6日", "March 6", "6 March 2026".
_DATES = (
    (re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), ("y", "m", "d")),
    (re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]"), ("y", "m", "d")),
    (
        re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}})\b)?"),
        ("m", "d", "y"),
    ),
    (
        re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+(\d{{4}})\b)?"),
        ("d", "m", "y"),
    ),
)

_HEADERS = {
    "what_happened": r"what happened|what is happening|situation|summary|发生了什么|情况|概况",
    "likely_cause": r"(?:the )?(?:likely |probable |possible )?causes?|why|可能的?原因|原因",
    ACTIONS_SECTION: r"(?:recommended |proposed |next )?actions?|next steps|what to do|"
    r"建议的?(?:行动|措施)|行动|措施|建议",
}
_HEADER_LINE = re.compile(
    r"^\s*(?:#+\s*)?(?:\*\*)?\s*(?:\d[.)]\s*)?(?P<head>"
    + "|".join(f"(?P<{key}>{pattern})" for key, pattern in _HEADERS.items())
    + r")\s*(?:\*\*)?\s*(?:[:：]\s*(?:\*\*)?\s*(?P<rest>.*)|$)",
    re.IGNORECASE,
)

# Where a line break was lost (one-line outputs): before a section header with its colon, and
# before a bullet that follows the end of a cited statement.
_INLINE_HEADER = re.compile(
    r"(?<!^)(?<!\n)[ \t]*(?=(?:\*\*)?(?:what happened|(?:likely |probable )?cause|actions?|"
    r"发生了什么|可能原因|行动)(?:\*\*)?\s*[:：])",
    re.IGNORECASE,
)
_INLINE_BULLET = re.compile(r"(?<=[\]】)）.。!！?？])[ \t]+(?=[-*•]\s)")

# How the model may name each action at the start of an action line.
ACTION_NAMES = {
    "reorder": r"reorder|re-order|order(?: stock| more| now)?|restock|replenish|"
    r"补货|订货|下单|采购",
    "markdown": r"mark ?down|discount|price cut|reduce the price|降价|打折|促销|折扣",
    "listing_fix": r"(?:fix (?:the )?)?listing(?: fix| text)?|(?:product )?description|"
    r"修改商品描述|商品描述|修改描述|详情页|listing修改",
    "customer_reply": r"(?:customer )?repl(?:y|ies)(?: template)?|respond to reviews|"
    r"回复顾客|客户回复|回复模板|回复",
    "pause_ads": r"pause (?:the )?ads?|pause advertising|stop ads|暂停广告|停止广告|暂停推广",
}
_ACTION_LINE = re.compile(
    r"^\s*(?:[-*•·]+|\d{1,2}[.)、])?\s*(?:\*\*)?(?P<name>"
    + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in ACTION_NAMES.items())
    + r")(?:\*\*)?\s*[:：\-–—]\s*(?P<text>.+)$",
    re.IGNORECASE,
)

# Words of each alert kind, so a statement may say "running out" about a stockout alert.
KIND_WORDS = {
    "stockout_risk": "stockout stock out run running runs ran sell sold shortage empty shelf "
    "lead time days cover order 缺货 断货 库存 售罄 补货 交货期",
    "overstock": "overstock overstocked excess stock inventory backlog tied capital aged "
    "slow cover 积压 库存 过剩 滞销 资金 占用",
    "sales_drop": "sales sale drop dropped fall fell decline declined slide slid demand "
    "below forecast units 销量 下降 下滑 下跌 需求 预测",
    "review_surge": "negative reviews review surge complaints complain rise rose share "
    "bad 差评 激增 投诉 负面 增加",
    "rating_drop": "rating ratings average stars star drop dropped fall fell 评分 星 下降 平均",
}
ASPECT_WORDS = {
    "quality": "quality defect defects defective broken break leak leaking 质量 瑕疵 漏",
    "size_fit": "size fit small large 尺码 尺寸 大小",
    "shipping": "shipping delivery late courier 物流 快递 发货 配送",
    "packaging": "packaging package box 包装",
    "price_value": "price value expensive 价格 性价比 贵",
    "service": "service support 客服 服务",
    "function": "function works working performance 功能 性能 效果",
    "appearance": "appearance colour color look 外观 颜色",
    "authenticity": "authenticity fake genuine 正品 假货",
}


# --- numbers -------------------------------------------------------------------------------------
def number_normalise(text: str) -> str:
    """ "1,234.50" -> "1234.5", "03" -> "3", "500.00" -> "500"."""
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return text
    normal = format(value.normalize(), "f")
    return normal if normal != "-0" else "0"


def _dates(text: str) -> tuple[list[tuple[str, str]], str]:
    """The dates a text states as ("M-D", "Y-M-D" or ""), and the text without them."""
    found: list[tuple[str, str]] = []

    def take(match: re.Match, order: tuple[str, ...]) -> str:
        parts = dict(zip(order, match.groups(), strict=True))
        month = parts["m"]
        month = _MONTH_NAMES.index(month[:3].lower()) + 1 if not month.isdigit() else int(month)
        day = int(parts["d"])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return match.group(0)
        year = f"{int(parts['y'])}-{month}-{day}" if parts.get("y") else ""
        found.append((f"{month}-{day}", year))
        return " "

    for pattern, order in _DATES:
        text = pattern.sub(lambda match, order=order: take(match, order), text)
    return found, text


def _rounded(value: float) -> set[str]:
    return {number_normalise(f"{value:.{digits}f}") for digits in (0, 1, 2)}


def value_forms(value) -> set[str]:
    """Every way a statement may write a number of the evidence (see the module docstring)."""
    if value is None or isinstance(value, bool):
        return set()
    if isinstance(value, int):
        return {str(abs(value))}
    if isinstance(value, float | Decimal):
        number = abs(float(value))
        forms = {number_normalise(str(abs(value)))} | _rounded(number)
        if 0 < number <= 1:
            forms |= _rounded(number * 100)
        return forms
    if isinstance(value, str):
        dates, value = _dates(value)
        forms = {f"date:{token}" for pair in dates for token in pair if token}
        for match in _NUMBER.findall(value):
            forms.add(number_normalise(match))
            if "." in match:
                forms |= _rounded(float(match.replace(",", "")))
        return forms
    if isinstance(value, dict):
        return set().union(*(value_forms(item) for item in value.values())) if value else set()
    if isinstance(value, list | tuple):
        return set().union(*(value_forms(item) for item in value)) if value else set()
    return set()


def statement_numbers(text: str) -> list[str]:
    """The numbers a statement states; a date is one token ("date:2026-3-6", or "date:3-6"
    without a year), so its parts cannot pass for other numbers."""
    dates, rest = _dates(text or "")
    tokens = [f"date:{year or month_day}" for month_day, year in dates]
    return tokens + [number_normalise(match) for match in _NUMBER.findall(rest)]


# --- the evidence as the checker sees it -------------------------------------------------------
@dataclass(frozen=True)
class Citable:
    label: str
    kind: str  # alert | topic | review
    text: str  # what a statement citing it may paraphrase
    numbers: frozenset[str]
    polarity: str  # negative | positive | neutral


@dataclass
class EvidenceIndex:
    language: str
    items: dict[str, Citable]
    numbers: frozenset[str]  # of the crisis as a whole

    def knows(self, label: str) -> bool:
        return label in self.items


def _humanise(key: str) -> str:
    return key.replace(".", " ").replace("_", " ")


# The Chinese words for the evidence's fields, so a Chinese statement about "可售4.5天" is seen
# to paraphrase days_of_cover (the detectors and the plan name their numbers in English).
FIELD_WORDS_ZH = {
    "money_at_risk": "风险金额 危机",
    "order_quantity": "订购 订货 补货 建议",
    "reorder_point": "再订货点",
    "safety_stock": "安全库存",
    "days_of_cover": "可售 天数 库存",
    "stockout_date": "断货 缺货 日期 预计",
    "stockout_risk": "断货 缺货 风险",
    "lost_revenue": "损失 收入",
    "on_hand": "现有 库存",
    "inbound": "在途",
    "lead_time_days": "补货周期 交货期 到货",
    "mean_daily_demand": "每天 需求 日均",
    "overstock_units": "超储 超出 目标 库存",
    "overstock_value": "占用 资金",
    "aged_units": "库龄 过长 积压",
    "price_cut": "降价 折扣",
    "new_price": "新价格 价格",
    "units_recent": "销量 最近",
    "weekly_baseline": "周均 销量 此前",
    "reviews_recent": "评价 最近",
    "negative_recent": "差评",
    "negative_share_recent": "差评 占比",
    "negative_share_baseline": "此前",
    "average_rating_recent": "平均 评分",
    "average_rating_baseline": "此前 评分",
}


def _numbers_text(numbers: dict) -> str:
    return " ".join(
        f"{_humanise(str(key))} {FIELD_WORDS_ZH.get(str(key).rsplit('.', 1)[-1], '')} {value}"
        for key, value in (numbers or {}).items()
    )


def evidence_index(evidence: dict) -> EvidenceIndex:
    """The citable items and the crisis-wide numbers of a playbook's evidence."""
    product = evidence.get("product") or {}
    shared = {
        "crisis": {"money_at_risk": (evidence.get("crisis") or {}).get("money_at_risk")},
        "today": evidence.get("today"),
        "product": {
            key: product.get(key) for key in ("price", "cost", "moq", "case_pack", "lead_time_days")
        },
        "plan": evidence.get("plan"),
        "stock": evidence.get("stock"),
        "sales": evidence.get("sales"),
        "ratings": {
            key: value
            for key, value in (evidence.get("ratings") or {}).items()
            if key != "negative_review_ids"
        },
    }
    title = product.get("title", "")
    context = " ".join(
        part
        for part in (
            title,
            _numbers_text(shared["crisis"]),
            _numbers_text(evidence.get("plan") or {}),
            _numbers_text((evidence.get("plan") or {}).get("markdown") or {}),
            _numbers_text(evidence.get("stock") or {}),
            _numbers_text(evidence.get("sales") or {}),
            _numbers_text(shared["ratings"]),
        )
        if part
    )
    items: dict[str, Citable] = {}
    for alert in evidence.get("alerts") or []:
        text = " ".join(
            (
                alert.get("title", ""),
                alert.get("summary", ""),
                KIND_WORDS.get(alert.get("kind", ""), ""),
                ASPECT_WORDS.get(alert.get("aspect", ""), ""),
                _numbers_text(alert.get("numbers") or {}),
                context,
            )
        )
        items[alert["label"]] = Citable(
            alert["label"],
            "alert",
            text,
            frozenset(
                value_forms(alert.get("numbers"))
                | value_forms(alert.get("money_at_risk"))
                | value_forms(f"{alert.get('title', '')} {alert.get('summary', '')}")
            ),
            "negative",
        )
    for topic in evidence.get("topics") or []:
        text = " ".join(
            (
                title,
                topic.get("name", ""),
                " ".join(topic.get("terms") or []),
                ASPECT_WORDS.get(topic.get("aspect", ""), ""),
                KIND_WORDS["review_surge"],
            )
        )
        numbers = value_forms(topic.get("size")) | value_forms(topic.get("change"))
        items[topic["label"]] = Citable(
            topic["label"], "topic", text, frozenset(numbers), "negative"
        )
    for review in evidence.get("reviews") or []:
        visible = without_marks(review.get("text", ""))
        text = " ".join(
            (title, visible, " ".join(ASPECT_WORDS.get(a, "") for a in review.get("aspects", [])))
        )
        numbers = (
            value_forms(visible)
            | value_forms(review.get("rating"))
            | value_forms(review.get("date"))
        )
        items[review["label"]] = Citable(
            review["label"], "review", text, frozenset(numbers), review.get("polarity", "neutral")
        )
    return EvidenceIndex(
        language=evidence.get("language", "en"),
        items=items,
        numbers=frozenset(value_forms(shared)),
    )


@dataclass(frozen=True)
class ProposedAction:
    """An action built from the evidence, as the checker sees it when the model explains it:
    its numbers and its title and detail may be stated and paraphrased by its rationale."""

    params: dict
    text: str = ""


# --- results -----------------------------------------------------------------------------------
@dataclass
class Kept:
    text: str
    citations: list[str]
    section: str
    action: str = ""  # the action kind, for an action line
    source: str = "model"

    def as_json(self) -> dict:
        return {"text": self.text, "citations": list(self.citations), "source": self.source}


@dataclass
class Dropped:
    text: str
    reason: str
    section: str
    action: str = ""

    def as_json(self) -> dict:
        data = {"text": self.text, "reason": self.reason, "section": self.section}
        if self.action:
            data["action"] = self.action
        return data


@dataclass
class PlaybookCheck:
    sections: dict[str, list[Kept]] = field(
        default_factory=lambda: {section: [] for section in SECTIONS}
    )
    rationales: dict[str, Kept] = field(default_factory=dict)  # action kind -> rationale
    dropped: list[Dropped] = field(default_factory=list)


# --- parsing -----------------------------------------------------------------------------------
@dataclass
class Parsed:
    text: str
    labels: list[str]
    section: str
    action: str = ""
    action_named: bool = False  # an action line whose name is not an action we know


def _tidy(text: str) -> str:
    text = _MARKDOWN.sub("", text)
    text = _BULLET.sub("", text.strip())
    text = re.sub(r"\s+", " ", text).strip().strip("\"'“”‘’「」").strip()
    return re.sub(r"\s+([.,;:!?。，；：！？])", r"\1", text)


def _labels(group: str) -> list[str]:
    return [f"{letter.upper()}{int(number)}" for letter, number in _LABEL_IN_GROUP.findall(group)]


def _is_fragment(text: str) -> bool:
    stripped = text.strip()
    if not stripped or stripped.endswith((":", "：")):
        return True
    return len(content_units(stripped)) < MIN_STATEMENT_UNITS


def _line_statements(line: str, section: str, action: str = "") -> list[Parsed]:
    """The statements of one line: each citation group anchors the sentence before it."""
    parsed: list[Parsed] = []
    position = 0

    def uncited(chunk: str) -> None:
        for sentence in sentences(chunk):
            tidy = _tidy(sentence)
            if not _is_fragment(tidy):
                parsed.append(Parsed(tidy, [], section, action))

    for match in _GROUP.finditer(line):
        before = line[position : match.start()]
        position = match.end()
        trailing = re.match(r"[ \t]*[.。!！?？;；]", line[position:])
        if trailing:
            position += trailing.end()
        parts = sentences(before)
        if not parts:
            if parsed and parsed[-1].labels:  # "[A5] [T3]" split by a space: one group
                parsed[-1].labels += _labels(match.group(0))
            continue
        *earlier, last = parts
        uncited(" ".join(earlier))
        tidy = _tidy(last)
        if not content_units(tidy):
            continue
        parsed.append(Parsed(tidy, _labels(match.group(0)), section, action))
    uncited(line[position:])
    return parsed


def _leading_group_last(line: str) -> str:
    """ "[A5] Stock runs out" -> "Stock runs out [A5]"."""
    match = re.match(rf"^(\s*(?:[-*•·]+|\d{{1,2}}[.)、])?\s*)({_GROUP.pattern})(.+)$", line)
    if match and not _GROUP.search(match.group(3)):
        return f"{match.group(1)}{match.group(3).strip()} {match.group(2).strip()}"
    return line


def output_parse(output: str) -> list[Parsed]:
    """The statements of a model output, with their section and (action lines) action kind.

    Lines before any section header count as "what happened"."""
    section = SECTIONS[0]
    parsed: list[Parsed] = []
    text = _INLINE_BULLET.sub("\n", _INLINE_HEADER.sub("\n", (output or "").replace("\r", "")))
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        header = _HEADER_LINE.match(line)
        if header:
            section = next(key for key in _HEADERS if header.group(key))
            line = (header.group("rest") or "").strip()
            if not line:
                continue
        line = _leading_group_last(line)
        if section == ACTIONS_SECTION:
            named = _ACTION_LINE.match(line)
            if named:
                kind = next(key for key in ACTION_NAMES if named.group(key))
                parsed += _line_statements(named.group("text"), section, kind)
            else:
                parsed += [
                    Parsed(item.text, item.labels, section, "", action_named=True)
                    for item in _line_statements(line, section)
                ]
            continue
        parsed += _line_statements(line, section)
    return parsed


# --- the check ---------------------------------------------------------------------------------
def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _wrong_language(text: str, language: str) -> bool:
    has_cjk = bool(HAS_CJK.search(text))
    return not has_cjk if language == "zh-hans" else has_cjk


def _finish(text: str, language: str) -> str:
    text = text.rstrip(" ,;，；:：")
    if not re.search(r"[.!?。！？]$", text):
        text += "。" if language == "zh-hans" else "."
    return text


def unsupported_number(
    text: str, *, cited: list[Citable], index: EvidenceIndex, extra: frozenset[str] = frozenset()
) -> str:
    """The first number of `text` that neither the cited items nor the crisis state ("");
    `extra`: the numbers of the action a rationale explains."""
    allowed = set(index.numbers) | set(extra)
    for item in cited:
        allowed |= item.numbers
    allowed.add(str(len(cited)))
    for number in statement_numbers(text):
        if number not in allowed:
            return number
    return ""


def statement_reason(
    text: str,
    labels: list[str],
    *,
    index: EvidenceIndex,
    action: ProposedAction | None = None,
) -> str:
    """Why a statement may not be shown ("" when it may): rules 1-7 of the module docstring.
    `action`: the action a rationale explains (its numbers and words count as evidence)."""
    if not labels:
        return "cites no evidence"
    unknown = [label for label in dict.fromkeys(labels) if not index.knows(label)]
    if unknown:
        return f"cites evidence that is not part of this crisis: {', '.join(unknown)}"
    lowered = text.lower()
    # Dates first: the link pattern takes "2026-03-06" for a phone number.
    if LINKS.search(_dates(text)[1]) or "link removed" in lowered:
        return "contains a link"
    if looks_like_instruction(text) or "instruction removed" in lowered:
        return "reads like an instruction"
    if _wrong_language(text, index.language):
        return "not in the playbook's language"
    cited = [index.items[label] for label in dict.fromkeys(labels)]
    extra = frozenset(value_forms(action.params) | value_forms(action.text)) if action else None
    number = unsupported_number(text, cited=cited, index=index, extra=extra or frozenset())
    if number:
        return f"states a number the evidence does not: {number}"
    texts = [item.text for item in cited]
    if action is not None:
        texts = [f"{item} {action.text}" for item in texts]
    support, shared, _relevant = statement_support(text, texts)
    minimum = MIN_SUPPORT.get(index.language, MIN_SUPPORT["en"])
    if shared < MIN_SHARED or support < minimum:
        return f"too little in common with the evidence it cites ({support:.0%})"
    polarities = [item.polarity for item in cited]
    tone = statement_tone(text)
    if (tone > 0 and all(p == "negative" for p in polarities)) or (
        tone < 0 and all(p == "positive" for p in polarities)
    ):
        return "contradicts the evidence it cites"
    return ""


def playbook_check(
    output: str,
    *,
    evidence: dict,
    proposed_actions: dict[str, ProposedAction] | None = None,
    prompt: str = "",
) -> PlaybookCheck:
    """Parse a model output and keep what is tied to the evidence (module docstring).

    `proposed_actions`: kind -> the actions built from the evidence; a rationale may state its
    action's numbers too (the units rounded to the case pack, the new price).

    `prompt`, when given, is the text the model was shown: a statement copied from it (a small
    model echoing its evidence lines) is not the model's analysis and is dropped."""
    index = evidence_index(evidence)
    proposed_actions = proposed_actions or {}
    result = PlaybookCheck()
    seen: set[str] = set()
    echo = _norm(prompt)
    for item in output_parse(output):
        text = item.text[:MAX_STATEMENT_CHARS].strip()
        if item.section == ACTIONS_SECTION:
            if not item.action:
                result.dropped.append(Dropped(text, "not one of the proposed actions", "actions"))
                continue
            if item.action not in proposed_actions:
                result.dropped.append(
                    Dropped(
                        text,
                        "the evidence proposes no such action",
                        "actions",
                        item.action,
                    )
                )
                continue
        key = _norm(text)
        if echo and len(key) >= MIN_ECHO_CHARS and key in echo:
            result.dropped.append(Dropped(text, "copies the prompt", item.section, item.action))
            continue
        reason = statement_reason(
            text, item.labels, index=index, action=proposed_actions.get(item.action)
        )
        if not reason and key in seen:
            reason = "repeats an earlier statement"
        full = item.section in SECTIONS and len(result.sections[item.section]) >= MAX_PER_SECTION
        if not reason and full:
            reason = "more statements than a section shows"
        if not reason and item.action and item.action in result.rationales:
            reason = "a second rationale for the same action"
        if reason:
            result.dropped.append(Dropped(text, reason, item.section, item.action))
            continue
        seen.add(key)
        kept = Kept(
            _finish(text, index.language),
            list(dict.fromkeys(item.labels)),
            item.section,
            item.action,
        )
        if item.section == ACTIONS_SECTION:
            result.rationales[item.action] = kept
        else:
            result.sections[item.section].append(kept)
    return result

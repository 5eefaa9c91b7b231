"""The extractive summary: what is shown when the model's statements could not be tied to reviews.

Pure Python (no Django). Built from the reviews considered, never from model text: the largest
groups of reviews — by aspect and polarity when the analysis found aspects, else by polarity
(the analysis' sentiment, else the star rating) — each as one statement with its count and a
snippet quoted verbatim from a (cleaned) review of the group, citing up to MAX_CITED reviews of
the group, the quoted one first. Counts are over all reviews considered; the cited reviews are
the most recent examples. Every statement is marked ``method: "extractive"``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .citations import Statement
from .text import INSTRUCTION_MARK, LINK_MARK, sentences, without_marks

MAX_GROUPS = 4
MAX_CITED = 3
QUOTE_CHARS = {"en": 90, "zh": 40}

ASPECT_NAMES = {
    "en": {
        "quality": "Quality / defects",
        "size_fit": "Size / fit",
        "shipping": "Shipping / delivery",
        "packaging": "Packaging",
        "price_value": "Price / value",
        "service": "Customer service",
        "function": "Function / performance",
        "appearance": "Appearance",
        "authenticity": "Authenticity",
    },
    "zh": {
        "quality": "质量/瑕疵",
        "size_fit": "尺码/合身",
        "shipping": "物流/配送",
        "packaging": "包装",
        "price_value": "价格/性价比",
        "service": "客服",
        "function": "功能/性能",
        "appearance": "外观",
        "authenticity": "正品/真伪",
    },
}
POLARITY_NAMES = {
    "en": {"positive": "positive", "negative": "negative", "neutral": "neutral"},
    "zh": {"positive": "正面", "negative": "负面", "neutral": "中性"},
}
# Complaints first when two groups are as large: they are what an operator acts on.
_POLARITY_ORDER = {"negative": 0, "positive": 1, "neutral": 2}


@dataclass(frozen=True)
class Mention:
    aspect: str
    polarity: str
    span: str


@dataclass(frozen=True)
class PoolReview:
    """A review considered for a summary (newest first in the pool)."""

    review_id: int
    text: str  # cleaned (reviews.llm.text.review_clean)
    polarity: str
    rating: int | None = None
    mentions: tuple[Mention, ...] = field(default=())


def _cut(text: str, language: str) -> str:
    limit = QUOTE_CHARS.get(language, 90)
    text = text.strip().strip("\"'“”‘’").strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rstrip()
    if language != "zh" and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;，；") + "…"


def quote_of(review: PoolReview, *, language: str, span: str = "") -> str:
    """A verbatim snippet of the cleaned review: the aspect's span when it survived cleaning,
    else the first real sentence. "" when nothing usable is left."""
    visible = without_marks(review.text)
    if span and span.strip() and span.strip() in visible:
        return _cut(span, language)
    for sentence in sentences(review.text):
        if LINK_MARK in sentence or INSTRUCTION_MARK in sentence:
            sentence = without_marks(sentence)
        if len(sentence.strip()) >= (4 if language == "zh" else 8):
            return _cut(sentence, language)
    return ""


def _statement_text(
    *, language: str, aspect: str, polarity: str, count: int, total: int, quote: str
) -> str:
    word = POLARITY_NAMES[language][polarity]
    if aspect:
        name = ASPECT_NAMES[language].get(aspect, aspect)
        if language == "zh":
            return f"{name}：{count}条{word}提及，例如“{quote}”。"
        mentions = "mention" if count == 1 else "mentions"
        return f'{name}: {count} {word} {mentions}, e.g. "{quote}".'
    if language == "zh":
        return f"{total}条评价中有{count}条{word}，例如“{quote}”。"
    verb = "is" if count == 1 else "are"
    return f'{count} of {total} reviews {verb} {word}, e.g. "{quote}".'


def extractive_statements(
    pool: list[PoolReview], *, language: str, aspect: str = "", max_groups: int = MAX_GROUPS
) -> list[Statement]:
    """The extractive summary of `pool` (see the module docstring)."""
    language = "zh" if language == "zh" else "en"
    groups: dict[tuple[str, str], list[tuple[PoolReview, str]]] = defaultdict(list)
    by_aspect = aspect or any(review.mentions for review in pool)
    for review in pool:
        if by_aspect:
            seen = set()
            for mention in review.mentions:
                if aspect and mention.aspect != aspect:
                    continue
                key = (mention.aspect, mention.polarity)
                if key not in seen:
                    seen.add(key)
                    groups[key].append((review, mention.span))
        else:
            groups[("", review.polarity)].append((review, ""))
    ranked = sorted(
        groups.items(),
        key=lambda item: (-len(item[1]), _POLARITY_ORDER.get(item[0][1], 3), item[0][0]),
    )
    statements: list[Statement] = []
    for (group_aspect, polarity), members in ranked:
        quoted = next(
            (
                (review, quote)
                for review, span in members
                if (quote := quote_of(review, language=language, span=span))
            ),
            None,
        )
        if quoted is None:
            continue  # nothing of this group survived cleaning: nothing to quote, no statement
        first, quote = quoted
        cited = [first.review_id] + [
            review.review_id for review, _ in members if review.review_id != first.review_id
        ]
        statements.append(
            Statement(
                text=_statement_text(
                    language=language,
                    aspect=group_aspect,
                    polarity=polarity,
                    count=len(members),
                    total=len(pool),
                    quote=quote,
                ),
                review_ids=cited[:MAX_CITED],
                polarity=polarity,
                support=1.0,
                method="extractive",
            )
        )
        if len(statements) >= max_groups:
            break
    return statements

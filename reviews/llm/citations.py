"""The citation checker of "What customers say": which model statements may be shown.

Pure Python (no Django). The model sees the evidence reviews numbered [R1], [R2], ... and is
asked for short statements, each ending with the numbers of the reviews it rests on. This
module parses what it wrote and keeps a statement only when it is tied to the reviews it cites.

Parsing: the output is cut at every citation group (``[R1]``, ``[R2][R5]``, ``[R1, R3]``,
``(R2)``, ``【R4】``; a bare ``[3]`` counts as R3; a line that starts with its group, "[R2] The
lid leaks", is read as "The lid leaks [R2]"); the text before a group is the statement,
and only its last sentence when several came before the group. Sentences after the last group,
or with no group, cite nothing. Bullets, numbering and markdown are removed; uncited fragments
with fewer than two content units (headings like "Summary:") are not statements and are
ignored (a cited fragment is a statement, and is dropped as too weak).

A statement is DROPPED (and counted) when
1. it cites no review;
2. it cites a label that was not shown (R9 when only R1-R8 were shown): the model made a
   citation up, so nothing it says in that statement is trusted;
3. it contains a link, an e-mail address or a phone number, or reads like an instruction;
4. it is in the wrong language (a Chinese summary's statement must be Chinese, an English one
   must not be);
5. it states a number none of its cited reviews states (a count equal to the number of cited
   reviews is allowed: "two customers ...");
6. its support is too weak. Support = the share of the statement's content units (English
   stems, Chinese character bigrams; see `reviews.llm.text`) that occur in the text of the
   reviews it cites, where a cited review counts only if it shares at least one unit with the
   statement (a citation sharing nothing is removed from the statement; if none is left, the
   statement is dropped). Kept: at least MIN_SHARED units shared AND support >= MIN_SUPPORT
   (0.5 for English, 0.4 for Chinese, whose bigrams vary more under paraphrase). Two units
   and half of the words mean a statement cannot ride on one shared word ("battery") while
   inventing the rest ("battery lasts a week");
7. its tone contradicts every review it cites (praise words, no negation, while all cited
   reviews are negative, or the reverse);
8. it repeats a statement already kept.
The polarity stored with a kept statement is that of its cited reviews (the majority; a tie is
neutral). The text given to the checker as evidence is the CLEANED review text (instructions
and links removed), so injected text never supports anything.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from products.content.generation.facts import looks_like_instruction

from .text import HAS_CJK, LINKS, content_units, numbers_in, sentences, without_marks

MIN_SHARED = 2
MIN_SUPPORT = {"en": 0.5, "zh": 0.4}
MIN_STATEMENT_UNITS = 2
MAX_STATEMENT_CHARS = 300
MAX_STATEMENTS = 8

_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "several": 0}

_OPEN = r"[\[(【（]"
_CLOSE = r"[\])】）]"
_LABEL = r"(?:R|r|#)?\s*\d{1,3}"
_GROUP = re.compile(
    rf"(?:{_OPEN}\s*{_LABEL}(?:\s*(?:[,，、;；/&]|and|和)\s*{_LABEL})*\s*{_CLOSE}\s*)+"
)
_LABEL_NUMBER = re.compile(r"\d{1,3}")
_BULLET = re.compile(r"^\s*(?:[-*•·]+|\d{1,2}[.)、]|[（(]\d{1,2}[)）])\s*")
_MARKDOWN = re.compile(r"\*\*|__|`+|^#+\s*", re.MULTILINE)


@dataclass(frozen=True)
class EvidenceReview:
    """One review shown to the model: its label, id, cleaned text and polarity."""

    label: str  # "R1"
    review_id: int
    text: str  # cleaned (reviews.llm.text.review_clean)
    polarity: str  # positive | negative | neutral
    aspects: tuple[str, ...] = ()


@dataclass
class Statement:
    text: str
    review_ids: list[int]
    polarity: str
    support: float = 1.0
    method: str = "model"  # "model": written by the model and checked; "extractive": quoted

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "review_ids": list(self.review_ids),
            "polarity": self.polarity,
            "method": self.method,
            "support": round(self.support, 3),
        }


@dataclass
class Dropped:
    text: str
    reason: str

    def as_json(self) -> dict:
        return {"text": self.text, "reason": self.reason}


@dataclass
class CitationCheck:
    kept: list[Statement] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


@dataclass
class _Parsed:
    text: str
    labels: list[str]


# --- parsing ---------------------------------------------------------------------------------
def _tidy(text: str) -> str:
    text = _MARKDOWN.sub("", text)
    text = _BULLET.sub("", text.strip())
    text = _ANNOTATION.sub("", text)
    text = re.sub(r"\s+", " ", text).strip().strip("\"'“”‘’「」").strip()
    return re.sub(r"\s+([.,;:!?。，；：！？])", r"\1", text)


def _is_fragment(text: str) -> bool:
    stripped = text.strip()
    if not stripped or stripped.endswith((":", "：")):
        return True
    return len(content_units(stripped)) < MIN_STATEMENT_UNITS


def _labels(group: str) -> list[str]:
    return [f"R{int(number)}" for number in _LABEL_NUMBER.findall(group)]


_LEADING = re.compile(rf"^(\s*(?:[-*•·]+|\d{{1,2}}[.)、])?\s*)({_GROUP.pattern})(.+)$")
# The prompt's own annotation of a review line, "(2★, negative)", when a model copies it.
_ANNOTATION = re.compile(r"^[(（]\s*\d\s*★?[^)）]{0,24}[)）]\s*")


def _labels_last(line: str) -> str:
    """ "[R2] The lid leaks" -> "The lid leaks [R2]": a line led by its citations."""
    match = _LEADING.match(line)
    if match and not _GROUP.search(match.group(3)):
        return f"{match.group(1)}{match.group(3).strip()} {match.group(2).strip()}"
    return line


def statements_parse(output: str) -> list[_Parsed]:
    """Statements and the labels each cites, in order (see the module docstring)."""
    text = (output or "").replace("\r", "")
    text = "\n".join(_labels_last(line) for line in text.split("\n"))
    parsed: list[_Parsed] = []
    position = 0

    def uncited(chunk: str) -> None:
        for sentence in sentences(chunk):
            tidy = _tidy(sentence)
            if not _is_fragment(tidy):
                parsed.append(_Parsed(tidy, []))

    for match in _GROUP.finditer(text):
        before = text[position : match.start()]
        position = match.end()
        # Punctuation right after the citations belongs to the statement ("... [R1].").
        trailing = re.match(r"[ \t]*[.。!！?？;；]", text[position:])
        if trailing:
            position += trailing.end()
        parts = sentences(before)
        if not parts:
            continue
        # Citations anchor the sentence right before them; earlier ones cite nothing.
        *earlier, last = parts
        uncited(" ".join(earlier) if earlier else "")
        tidy = _tidy(last)
        if not content_units(tidy):
            continue  # punctuation or a bare label list, nothing said
        parsed.append(_Parsed(tidy, _labels(match.group(0))))
    uncited(text[position:])
    return parsed


# --- polarity cues -----------------------------------------------------------------------------
_POSITIVE_EN = re.compile(
    r"\b(?:love[sd]?|loving|great|excellent|perfect(?:ly)?|amazing|awesome|fantastic|"
    r"wonderful|happy|pleased|satisf(?:ied|ying)|recommend(?:ed|s)?|nice|good|well[- ]made|"
    r"sturdy|durable|comfortable|worth|beautiful|gorgeous|impressive|reliable|best)\b",
    re.IGNORECASE,
)
_NEGATIVE_EN = re.compile(
    r"\b(?:bad|poor(?:ly)?|terrible|awful|horrible|worst|broke|broken|break(?:s|ing)?|"
    r"leak(?:s|ed|ing|y)?|defect(?:ive|s)?|faulty|disappoint(?:ed|ing|ment)?|damaged?|"
    r"late|slow|stopped|fail(?:s|ed|ing|ure)?|problems?|issues?|complain(?:s|ed|ts?)?|"
    r"return(?:ed)?|refund|cheap(?:ly)? made|flimsy|useless|waste|unhappy|fake|wrong)\b",
    re.IGNORECASE,
)
_NEGATION_EN = re.compile(
    r"\b(?:not|no|never|n't|hardly|barely|without|isn't|wasn't|doesn't|didn't|don't)\b",
    re.IGNORECASE,
)
_POSITIVE_ZH = re.compile(
    r"不错|很好|满意|喜欢|推荐|值得|划算|好用|漂亮|舒服|结实|完美|超值|赞|好评"
)
_NEGATIVE_ZH = re.compile(
    r"不好|不满意|不行|差评|太差|很差|质量差|失望|坏了|破损|漏|退货|退款|太慢|很慢|假货|垃圾|"
    r"后悔|问题|瑕疵|不能用|用不了|差"
)


def statement_tone(text: str) -> int:
    """+1 praise, -1 complaint, 0 neither or both (small cue lexicons, English and Chinese)."""
    positive = negative = 0
    for match in _POSITIVE_EN.finditer(text):
        before = text[max(0, match.start() - 20) : match.start()]
        if _NEGATION_EN.search(before):
            negative += 1
        else:
            positive += 1
    for match in _NEGATIVE_EN.finditer(text):
        before = text[max(0, match.start() - 20) : match.start()]
        # "no leaks", "doesn't break": a negated complaint is praise.
        if _NEGATION_EN.search(before):
            positive += 1
        else:
            negative += 1
    zh_negative = _NEGATIVE_ZH.findall(text)
    negative += len(zh_negative)
    # "不错" is praise although it holds 不; a praise word inside a complaint ("不满意") is not.
    positive += len(_POSITIVE_ZH.findall(_NEGATIVE_ZH.sub(" ", text)))
    if positive and not negative:
        return 1
    if negative and not positive:
        return -1
    return 0


def _majority(polarities: list[str]) -> str:
    counts = Counter(polarities).most_common()
    if not counts:
        return "neutral"
    if len(counts) > 1 and counts[0][1] == counts[1][1]:
        return "neutral"
    return counts[0][0]


# --- the check ---------------------------------------------------------------------------------
def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _wrong_language(text: str, language: str) -> bool:
    has_cjk = bool(HAS_CJK.search(text))
    return not has_cjk if language == "zh" else has_cjk


def _number_unsupported(text: str, cited_texts: list[str], cited: int) -> str:
    stated = numbers_in(text)
    if not stated:
        return ""
    available = set().union(*(numbers_in(t) for t in cited_texts)) if cited_texts else set()
    for number in sorted(stated):
        if number in available or number == str(cited):
            continue
        return number
    return ""


def statement_support(text: str, cited_texts: list[str]) -> tuple[float, int, list[bool]]:
    """(support, shared units, which cited texts share at least one unit) of a statement."""
    units = content_units(text)
    if not units:
        return 0.0, 0, [False] * len(cited_texts)
    relevant = []
    shared: set[str] = set()
    for cited in cited_texts:
        common = units & content_units(without_marks(cited))
        relevant.append(bool(common))
        shared |= common
    return len(shared) / len(units), len(shared), relevant


def statements_check(
    output: str, *, evidence: list[EvidenceReview], language: str
) -> CitationCheck:
    """Parse a model output and keep the statements tied to the reviews they cite."""
    by_label = {review.label: review for review in evidence}
    minimum = MIN_SUPPORT.get(language, MIN_SUPPORT["en"])
    result = CitationCheck()
    seen: set[str] = set()
    for item in statements_parse(output):
        text = item.text[:MAX_STATEMENT_CHARS].strip()

        def drop(reason: str, text=text) -> None:
            result.dropped.append(Dropped(text, reason))

        if not item.labels:
            drop("cites no review")
            continue
        unknown = [label for label in item.labels if label not in by_label]
        if unknown:
            drop(f"cites reviews that were not shown: {', '.join(unknown)}")
            continue
        if LINKS.search(text) or "link removed" in text.lower():
            drop("contains a link")
            continue
        if looks_like_instruction(text) or "instruction removed" in text.lower():
            drop("reads like an instruction")
            continue
        if _wrong_language(text, language):
            drop("not in the summary's language")
            continue
        cited = [by_label[label] for label in dict.fromkeys(item.labels)]
        support, shared, relevant = statement_support(text, [r.text for r in cited])
        cited = [review for review, ok in zip(cited, relevant, strict=True) if ok]
        if not cited:
            drop("shares no words with the reviews it cites")
            continue
        number = _number_unsupported(
            text, [without_marks(r.text) for r in cited], len(cited)
        ) or _count_word_unsupported(text, len(cited))
        if number:
            drop(f"states a number the cited reviews do not: {number}")
            continue
        if shared < MIN_SHARED or support < minimum:
            drop(f"too little in common with the cited reviews ({support:.0%})")
            continue
        polarities = [review.polarity for review in cited]
        tone = statement_tone(text)
        if (tone > 0 and all(p == "negative" for p in polarities)) or (
            tone < 0 and all(p == "positive" for p in polarities)
        ):
            drop("contradicts the reviews it cites")
            continue
        key = _norm(text)
        if key in seen:
            drop("repeats an earlier statement")
            continue
        seen.add(key)
        if len(result.kept) >= MAX_STATEMENTS:
            drop("more statements than a summary shows")
            continue
        result.kept.append(
            Statement(
                text=_finish(text, language),
                review_ids=[review.review_id for review in cited],
                polarity=_majority(polarities),
                support=support,
            )
        )
    return result


def _count_word_unsupported(text: str, cited: int) -> str:
    """ "Five customers say ..." with two cited reviews states a count nothing supports."""
    for word in re.findall(r"\b(two|three|four|five|six)\b", text.lower()):
        if _NUMBER_WORDS[word] > cited:
            return word
    return ""


def _finish(text: str, language: str) -> str:
    text = text.rstrip(" ,;，；:：")
    if not re.search(r"[.!?。！？]$", text):
        text += "。" if language == "zh" else "."
    return text


def aspects_of(evidence: list[EvidenceReview], review_ids: list[int]) -> list[str]:
    """The aspects the given evidence reviews mention (for display), most common first."""
    counts: Counter[str] = Counter()
    wanted = set(review_ids)
    for review in evidence:
        if review.review_id in wanted:
            counts.update(review.aspects)
    return [aspect for aspect, _ in counts.most_common()]

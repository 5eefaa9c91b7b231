"""Grounded reply drafts: the reply checker and the grounded post-edit of a model's reply.

A reply to a review may state only what the store knows. The checker finds the checkable
claims of a reply and marks each supported or not (`products.content.generation.grounding`
does the product claims, so replies and product copy agree on what "supported" means):

- product claims (quantities, materials, certifications, warranty, features, superlatives,
  ratings, offers, links): supported only by the product's facts or the merchant's reply
  template (the merchant wrote it: its sentences count as facts);
- ``promise`` (refund, replacement / re-shipping, return, compensation / voucher / discount,
  in English and Chinese; negated mentions like "we cannot refund" are not promises):
  supported only when the reply template offers the same kind of remedy;
- ``tone`` (blaming or insulting the customer: "your fault", "nonsense", 活该, 骗子...): never
  supported;
- ``injection``: words that only an instruction hidden in the review brings (the review's
  instruction-like sentences are treated as untrusted facts, exactly like an instruction
  hidden in a product attribute): never supported.
Unsupported claims block approval and publishing until an edit removes them or a manager
overrides the check (the content studio's rules).

It also says which of the customer's complaints (negative aspect mentions of the review's
analysis, else aspects found by a small keyword list in the review) the reply addresses: a
reply addresses an aspect when it names it (its keywords) or shares words with the complaint's
span. `Candidate.coverage` of a reply is the share of complaints addressed.

The grounded post-edit of a model's reply: remove what the model echoed from the prompt (its
data blocks, tags, "key: value" lines) and greetings to a placeholder ("Hi [Name]"); tidy it;
drop sentences that carry an unsupported claim, are in the other language, repeat, were cut
off, hold a placeholder ("[Your Company Name]"), are the model talking as itself ("I am unable
to assist"), or praise the product in an answer to a complaint; add an acknowledgement naming each
complaint it does not address and a thank-you when nothing polite is left; when nothing of
the model is left, the reply is thanks + acknowledgement + the template's sentences (or an
invitation to contact customer service). Every added sentence is fixed text, so the result is
grounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from products.content.generation import Candidate, Claim, Evidence, ProductFacts, claims_extract
from products.content.generation.candidates import candidate_score, has_repetition, tidy_output
from products.content.generation.facts import clean_text, looks_like_instruction
from products.content.kinds import ContentKind, max_chars

from .extractive import ASPECT_NAMES
from .text import HAS_CJK, chinese_units, english_units, review_clean, sentences

MAX_REPLY_SENTENCES = 6
MIN_REPLY_CHARS = {"en": 40, "zh-hans": 15}

# What a reply says when it addresses an aspect, per language.
ASPECT_WORDS = {
    "quality": (
        r"quality|defect\w*|faulty|broke|broken|break\w*|crack\w*|flaw\w*|damage\w*|leak\w*",
        r"质量|做工|瑕疵|坏|破|裂|漏|次品|品控",
    ),
    "size_fit": (
        r"siz(?:e|es|ing)|fit\w*|small|large|tight|loose",
        r"尺码|尺寸|大小|偏大|偏小|合身|码",
    ),
    "shipping": (
        r"ship\w*|deliver\w*|arriv\w*|courier|transit|late|dispatch\w*",
        r"物流|快递|发货|送货|配送|到货|运输",
    ),
    "packaging": (r"packag\w*|box\w*|wrap\w*|packed", r"包装|盒|纸箱|外包装"),
    "price_value": (r"price\w*|value|expensive|worth|money|cost\w*", r"价格|性价比|贵|价钱|价位"),
    "service": (
        r"service|support|seller|respon\w*|staff|team|contact",
        r"客服|服务|售后|态度|回复",
    ),
    "function": (
        r"work\w*|function\w*|perform\w*|battery|charg\w*|stopp?\w*|use|using",
        r"功能|效果|性能|好用|用不了|不能用|电池|充电|使用",
    ),
    "appearance": (
        r"colou?r\w*|look\w*|appearance|design|style|photo\w*",
        r"颜色|外观|样子|款式|色差|图片",
    ),
    "authenticity": (
        r"fake|genuine|authentic\w*|counterfeit|original|real",
        r"假货|正品|真假|仿|山寨",
    ),
}
_ASPECT_PATTERNS = {
    aspect: re.compile(rf"(?i:\b(?:{en})\b)|{zh}") for aspect, (en, zh) in ASPECT_WORDS.items()
}

# Promises of a remedy; a reply may make one only when the reply template offers the same kind.
_PROMISES = {
    "refund": (
        r"refund\w*|money[- ]back|reimburs\w*|pay (?:you )?back",
        r"退款|退钱|返现|退还货款|全额退",
    ),
    "replacement": (
        r"replac(?:e|ed|es|ement|ing)|send (?:you )?(?:a )?new|exchange\w*|re-?ship\w*|resend",
        r"换货|补发|重新发货|重发|换新|换一个",
    ),
    "return": (r"free returns?|return (?:it|them|the item|the product|your order)", r"退货|退换"),
    "compensation": (
        r"compensat\w*|voucher\w*|coupon\w*|gift cards?|store credit|discount\w*|free gift",
        r"赔偿|补偿|赔付|优惠券|代金券|红包|折扣|返利|赠品|赠送",
    ),
}
_PROMISE_PATTERNS = {
    kind: re.compile(rf"(?i:\b(?:{en})\b)|{zh}") for kind, (en, zh) in _PROMISES.items()
}
_PROMISE_NEGATION = re.compile(
    r"(?i:\b(?:not|no|never|cannot|can't|unable to|won't|don't|do not)\b[\w\s]{0,12}$)|"
    r"(?:不|无法|不能|没法|没有|不会)[\u4e00-\u9fff]{0,3}$"
)
_TONE = re.compile(
    r"(?i:\b(?:stupid|idiot\w*|liar|lying|nonsense|ridiculous|your (?:own )?fault|"
    r"you should have read|learn to read|shut up|whatever|not our problem)\b)|"
    r"活该|你自己的问题|你的问题|骗子|胡说|有病|爱买不买|差评师|智商|不关我们的事"
)
_POLITE = re.compile(
    r"(?i:\b(?:thank\w*|sorry|apolog\w*|dear|hello|hi|appreciate\w*)\b)|感谢|谢谢|抱歉|对不起|您好|亲"
)
_REPLY_LABEL = re.compile(
    r"^\s*(?:\*\*)?(?:reply|response|answer|回复|答复)(?:\*\*)?\s*[:：]\s*", re.IGNORECASE
)
# Small models often echo the prompt: its fenced blocks (to their end, or to the end of the
# output when the model never closes them), stray tags, and its "key: value" data lines.
_ECHO_BLOCK = re.compile(
    r"<\s*(product_data|reply_template|review|reviews)\s*>.*?(?:<\s*/\s*\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"</?\s*[A-Za-z_]{1,30}\s*>")
# Template placeholders a model copies from letters it has seen: "Hi [Customer's Name]" loses
# its greeting; any other sentence with one is dropped.
_GREETING_PLACEHOLDER = re.compile(
    r"(?i:\b(?:hi|hello|dear)\s*[\[{][^\]}\n]{1,40}[\]}]\s*[,!]?)|亲爱的\s*[\[{【][^\]}】\n]{1,40}[\]}】]"
)
_PLACEHOLDER = re.compile(r"[\[{【][^\]}】\n]{1,40}[\]}】]")
# The model talking as itself rather than as the store: refusals and chat-assistant phrases.
_MODEL_TALK = re.compile(
    r"(?i:\bas an ai\b|\blanguage model\b|\bi(?:'m| am) (?:unable|not able)\b|"
    r"\bi can(?:'t|not) (?:help|assist|provide)\b|\bunable to (?:assist|help|provide)\b|"
    r"\bcontact me\b|\bsorry for your loss\b)|作为AI|语言模型|我无法|我不能"
)
# Praise of the product, out of place in an answer to a complaint.
_PRODUCT_PRAISE = re.compile(
    r"(?i:\b(?:great|excellent|perfect(?:ly)?|amazing|awesome|fantastic|wonderful|"
    r"lov(?:e|es|ed|ing)|enjoy\w*|best|beautiful|gorgeous)\b)|好用|完美|喜欢|漂亮|超值"
)
_DATA_LINE = re.compile(
    r"^\s*(?:-\s*[^:\n]{1,40}:|(?:title|rating|标题|评分)\s*[:：]).*$",
    re.IGNORECASE | re.MULTILINE,
)


def strip_echo(raw: str) -> tuple[str, bool]:
    """The output without echoed prompt blocks, tags and data lines; and whether any was cut."""
    text = _ECHO_BLOCK.sub(" ", raw or "")
    text = _DATA_LINE.sub(" ", text)
    text = _TAG.sub(" ", text)
    return text, text.split() != (raw or "").split()


_THANKS = {"en": "Thank you for your review.", "zh-hans": "感谢您的评价。"}
_ACKNOWLEDGE = {
    "en": "We are sorry about the problem with the {aspect} you described.",
    "zh-hans": "很抱歉{aspect}方面的问题给您带来了不好的体验。",
}
_ASPECT_PHRASES = {
    "en": {
        "quality": "quality",
        "size_fit": "size and fit",
        "shipping": "delivery",
        "packaging": "packaging",
        "price_value": "value for money",
        "service": "service",
        "function": "way it works",
        "appearance": "appearance",
        "authenticity": "authenticity",
    },
    "zh-hans": {key: value.split("/")[0] for key, value in ASPECT_NAMES["zh"].items()},
}
_CONTACT = {
    "en": "Please contact our customer service so that we can help.",
    "zh-hans": "请联系我们的客服，我们会尽力为您解决。",
}


@dataclass
class ReplyContext:
    """Everything the checker needs about one reply: facts, template, complaints, language."""

    facts: ProductFacts
    evidence: Evidence
    language: str  # "en" | "zh-hans"
    template: str
    template_sentences: list[str]
    complaints: list[tuple[str, str]] = field(default_factory=list)  # (aspect, span)
    review_text: str = ""  # cleaned

    @property
    def template_promises(self) -> set[str]:
        return _promise_kinds(self.template)


def _promise_kinds(text: str) -> set[str]:
    kinds = set()
    for kind, pattern in _PROMISE_PATTERNS.items():
        for match in pattern.finditer(text or ""):
            if not _PROMISE_NEGATION.search(text[max(0, match.start() - 24) : match.start()]):
                kinds.add(kind)
    return kinds


def complaints_from_text(text: str) -> list[tuple[str, str]]:
    """Aspects a review's words name (used when the review has no analysis yet)."""
    found = []
    for aspect, pattern in _ASPECT_PATTERNS.items():
        match = pattern.search(text or "")
        if match:
            found.append((aspect, ""))
    return found


def reply_context_build(
    *,
    facts: ProductFacts,
    review_title: str,
    review_body: str,
    language: str,
    template: str = "",
    complaints: list[tuple[str, str]] | None = None,
) -> ReplyContext:
    """The checker's context: the product facts plus the template's sentences as facts, and the
    review's instruction-like sentences as untrusted facts (never evidence; their words are
    flagged as injection when a reply repeats them)."""
    clean = review_clean(review_title, review_body)
    template = clean_text(template, limit=2000) if template else ""
    template_sentences = [s for s in sentences(template) if s.strip()]
    attributes = dict(facts.attributes)
    for number, sentence in enumerate(template_sentences, 1):
        attributes[f"reply template {number}"] = clean_text(sentence)
    untrusted = set(facts.untrusted_keys)
    for number, sentence in enumerate(clean.instructions, 1):
        # The key's own words are counted as injected words too: only stop words here.
        key = f"prompt text {number}"
        attributes[key] = clean_text(sentence)
        untrusted.add(key)
    facts = replace(facts, attributes=attributes, untrusted_keys=tuple(sorted(untrusted)))
    if complaints is None:
        complaints = complaints_from_text(clean.text)
    return ReplyContext(
        facts=facts,
        evidence=Evidence.from_facts(facts),
        language=language,
        template=template,
        template_sentences=template_sentences,
        complaints=list(dict.fromkeys(complaints)),
        review_text=clean.text,
    )


# --- the check -----------------------------------------------------------------------------------
def _overlaps(start: int, end: int, claims: list[Claim]) -> bool:
    return any(start < claim.end and end > claim.start for claim in claims)


def reply_claims(text: str, context: ReplyContext) -> list[Claim]:
    """Every checkable claim of a reply, marked supported or not, in text order."""
    claims = claims_extract(text, context.facts, context.evidence)
    offered = context.template_promises
    extra: list[Claim] = []
    for kind, pattern in _PROMISE_PATTERNS.items():
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            if _PROMISE_NEGATION.search(text[max(0, start - 24) : start]):
                continue
            if _overlaps(start, end, claims + extra):
                continue
            supported = kind in offered
            extra.append(
                Claim(
                    text[start:end],
                    "promise",
                    start,
                    end,
                    supported,
                    "reply template" if supported else "",
                )
            )
    for match in _TONE.finditer(text):
        if not _overlaps(match.start(), match.end(), claims + extra):
            extra.append(Claim(match.group(0), "tone", match.start(), match.end(), False, ""))
    return sorted(claims + extra, key=lambda claim: (claim.start, claim.end))


def addressed_aspects(text: str, complaints: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """(addressed, not addressed) aspects of the complaints, in the complaints' order."""
    units = english_units(text) | chinese_units(text)
    addressed, missing = [], []
    for aspect, span in complaints:
        if aspect in addressed or aspect in missing:
            continue
        pattern = _ASPECT_PATTERNS.get(aspect)
        named = bool(pattern and pattern.search(text))
        shared = bool(span) and bool(units & (english_units(span) | chinese_units(span)))
        (addressed if named or shared else missing).append(aspect)
    return addressed, missing


def _length_ok(text: str, language: str) -> bool:
    limit = max_chars(ContentKind.REVIEW_REPLY)
    length = len(text.strip())
    return length >= MIN_REPLY_CHARS.get(language, 40) and (limit is None or length <= limit)


def reply_check(text: str, context: ReplyContext, *, model_share: float = 1.0) -> Candidate:
    """Check a reply as it is (a human edit or a post-edited model reply)."""
    claims = reply_claims(text, context)
    unsupported = sum(1 for claim in claims if not claim.supported)
    addressed, missing = addressed_aspects(text, context.complaints)
    coverage = len(addressed) / (len(addressed) + len(missing)) if (addressed or missing) else 1.0
    length_ok = _length_ok(text, context.language)
    repetition = has_repetition(text)
    return Candidate(
        text=text,
        claims=claims,
        unsupported_count=unsupported,
        coverage=round(coverage, 4),
        covered_attributes=addressed,
        missing_attributes=missing,
        repetition=repetition,
        length_ok=length_ok,
        score=candidate_score(
            unsupported=unsupported,
            coverage=coverage,
            length_ok=length_ok,
            repetition=repetition,
            model_share=model_share,
        ),
    )


# --- the grounded post-edit ----------------------------------------------------------------
def _wrong_language(sentence: str, language: str) -> bool:
    has_cjk = bool(HAS_CJK.search(sentence))
    return not has_cjk if language == "zh-hans" else has_cjk


def _finished(sentence: str) -> bool:
    return bool(re.search(r"[.!?。！？\"'”)）]\s*$", sentence))


def _plain(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def acknowledgement(aspects: list[str], language: str) -> str:
    phrases = _ASPECT_PHRASES[language]
    names = [phrases.get(aspect, aspect) for aspect in aspects]
    if language == "zh-hans":
        joined = "、".join(names)
    elif len(names) > 1:
        joined = ", ".join(names[:-1]) + " and " + names[-1]
    else:
        joined = names[0]
    return _ACKNOWLEDGE[language].format(aspect=joined)


def reply_post_edit(
    raw: str, context: ReplyContext, *, truncated: bool = False
) -> tuple[str, list[str], float]:
    """The grounded post-edit (see the module docstring): (text, edits, share of model text)."""
    language = context.language
    edits: list[str] = []
    text, echoed = strip_echo(raw)
    if echoed:
        edits.append("dropped text echoed from the prompt")
    text = _GREETING_PLACEHOLDER.sub(" ", text)
    text = tidy_output(_REPLY_LABEL.sub("", text), ContentKind.DESCRIPTION)
    text = _REPLY_LABEL.sub("", text)
    units = sentences(text)
    if truncated and units and not _finished(units[-1]):
        edits.append(f"dropped unfinished: {units[-1]}")
        units = units[:-1]
    kept: list[str] = []
    seen: set[str] = set()
    for unit in units:
        key = _plain(unit)
        if not key:
            continue
        if key in seen:
            edits.append(f"dropped repeated: {unit}")
            continue
        if _wrong_language(unit, language):
            edits.append(f"dropped other language: {unit}")
            continue
        if looks_like_instruction(unit):
            edits.append(f"dropped instruction-like: {unit}")
            continue
        if _PLACEHOLDER.search(unit):
            edits.append(f"dropped placeholder: {unit}")
            continue
        if _MODEL_TALK.search(unit):
            edits.append(f"dropped the model talking as itself: {unit}")
            continue
        if context.complaints and _PRODUCT_PRAISE.search(unit):
            edits.append(f"dropped praise in a reply to a complaint: {unit}")
            continue
        bad = [claim for claim in reply_claims(unit, context) if not claim.supported]
        if bad:
            edits.append(f"dropped unsupported ({', '.join(c.text for c in bad)}): {unit}")
            continue
        seen.add(key)
        kept.append(unit)
        if len(kept) >= MAX_REPLY_SENTENCES:
            break
    joiner = "" if language == "zh-hans" else " "
    model_chars = len(joiner.join(kept))
    model_kept = bool(kept)
    _, missing = addressed_aspects(joiner.join(kept), context.complaints)
    if missing:
        kept.insert(
            1 if kept and _POLITE.search(kept[0]) else 0, acknowledgement(missing, language)
        )
        edits.append("added an acknowledgement of: " + ", ".join(missing))
    if not model_kept or not _POLITE.search(joiner.join(kept)):
        kept.insert(0, _THANKS[language])
        edits.append("added a thank-you")
    if not model_kept:
        closing = [
            s
            for s in context.template_sentences
            if not [c for c in reply_claims(s, context) if not c.supported]
            and not _wrong_language(s, language)
        ]
        if closing:
            kept += closing
            edits.append("fell back to the reply template")
        else:
            kept.append(_CONTACT[language])
            edits.append("added an invitation to contact customer service")
    limit = max_chars(ContentKind.REVIEW_REPLY) or 1000
    while len(kept) > 1 and len(joiner.join(kept)) > limit:
        edits.append(f"dropped over the length limit: {kept[-1]}")
        kept.pop()
    final = joiner.join(kept).strip()[:limit]
    share = model_chars / len(final) if final else 0.0
    return final, edits, min(1.0, share)


def reply_from_output(
    raw: str,
    context: ReplyContext,
    *,
    truncated: bool = False,
    prompt_version: str = "",
    model: str = "",
    generation_log_id: int | None = None,
) -> Candidate:
    """A model's reply after the grounded post-edit, checked and scored."""
    text, edits, share = reply_post_edit(raw, context, truncated=truncated)
    candidate = reply_check(text, context, model_share=share)
    candidate.raw_text = raw
    candidate.edits = edits
    candidate.prompt_version = prompt_version
    candidate.model = model
    candidate.generation_log_id = generation_log_id
    return candidate


def reply_draft_check(*, draft, text: str) -> Candidate:
    """The check of an edited reply draft (called by the content studio's `draft_edit`)."""
    from products.content.generation import facts_from_product

    from .selectors import review_complaints

    review = draft.review
    context = reply_context_build(
        facts=facts_from_product(draft.product),
        review_title=review.title,
        review_body=review.body,
        language=draft.language,
        template=draft.reply_template,
        complaints=review_complaints(review=review),
    )
    return reply_check(text, context)

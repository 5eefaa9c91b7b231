"""A candidate draft, how it is checked, post-edited and scored.

`candidate_check` checks a text as it is (a human edit): claims, attribute coverage, length and
repetition; nothing is changed. `candidate_from_output` is what the pipeline does with a model
output: the grounded post-edit below, then the same check on the result.

The grounded post-edit (documented, deterministic, measured by the bench):
1. tidy the output: labels such as "Description:", markdown marks, surrounding quotes; one
   line for titles, ad copy and meta descriptions;
2. drop every sentence (every line, for bullets) that carries an unsupported claim, is in the
   other language, repeats an earlier one, or was cut off by the token limit;
3. when key attributes are still not mentioned, append a plain facts sentence built from the
   attributes themselves ("Key facts: Capacity: 750 ml; Material: stainless steel."), as much
   as the kind's length limit allows;
4. cut at the kind's character limit on a sentence boundary.
So a kept claim is one the checker found supported; the facts sentence only restates attribute
values. `Candidate.raw_text` keeps what the model wrote and `edits` says what was done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..kinds import ContentKind, ContentLanguage, max_chars
from .facts import ProductFacts
from .grounding import (
    CJK,
    Claim,
    Evidence,
    certifications_in,
    claims_extract,
    features_in,
    materials_in,
    quantities_in,
    quantity_matches,
    warranties_in,
)
from .prompts import min_chars

SINGLE_LINE_KINDS = {ContentKind.TITLE, ContentKind.AD_COPY, ContentKind.SEO_META}
_HAS_CJK = re.compile(rf"[{CJK}]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# A sentence ends at . ! ? ; followed by a space or the end (not "0.75"), at Chinese end
# punctuation, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?;])(?=\s)|(?<=[.!?;][\"'”’)])(?=\s)|(?<=[。！？；])|\n")
_LABEL = re.compile(
    r"^\s*(?:\*\*)?(?:product\s+)?(?:description|title|bullets?|ad(?: copy)?|"
    r"meta(?: description)?|seo(?: meta)?(?: description)?|text|"
    r"答案|商品描述|描述|标题|卖点|广告文案|文案)(?:\*\*)?\s*[:：]\s*",
    re.IGNORECASE,
)


@dataclass
class Candidate:
    text: str
    claims: list[Claim]
    unsupported_count: int
    coverage: float
    covered_attributes: list[str]
    missing_attributes: list[str]
    repetition: bool
    length_ok: bool
    score: float
    prompt_version: str = ""
    model: str = ""
    generation_log_id: int | None = None
    raw_text: str = ""  # what the model wrote, before the grounded post-edit
    edits: list[str] = field(default_factory=list)  # what the post-edit did, in order

    @property
    def unsupported_claims(self) -> list[Claim]:
        return [claim for claim in self.claims if not claim.supported]

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "claims": [claim.as_json() for claim in self.claims],
            "unsupported_count": self.unsupported_count,
            "coverage": self.coverage,
            "covered_attributes": list(self.covered_attributes),
            "missing_attributes": list(self.missing_attributes),
            "repetition": self.repetition,
            "length_ok": self.length_ok,
            "score": self.score,
            "prompt_version": self.prompt_version,
            "model": self.model,
            "generation_log_id": self.generation_log_id,
            "raw_text": self.raw_text,
            "edits": list(self.edits),
        }

    @classmethod
    def from_json(cls, data: dict) -> Candidate:
        log_id = data.get("generation_log_id")
        return cls(
            text=str(data["text"]),
            claims=[Claim.from_json(item) for item in data.get("claims", [])],
            unsupported_count=int(data.get("unsupported_count", 0)),
            coverage=float(data.get("coverage", 0.0)),
            covered_attributes=[str(k) for k in data.get("covered_attributes", [])],
            missing_attributes=[str(k) for k in data.get("missing_attributes", [])],
            repetition=bool(data.get("repetition", False)),
            length_ok=bool(data.get("length_ok", False)),
            score=float(data.get("score", 0.0)),
            prompt_version=str(data.get("prompt_version", "")),
            model=str(data.get("model", "")),
            generation_log_id=int(log_id) if log_id is not None else None,
            raw_text=str(data.get("raw_text", "")),
            edits=[str(e) for e in data.get("edits", [])],
        )


# --- coverage ----------------------------------------------------------------------------------
def _plain(text: str) -> str:
    return re.sub(r"[\s\-_/,.;:()（），。；：]+", " ", text.lower()).strip()


_YES = re.compile(r"^(?:yes|true|y|是|有)$", re.IGNORECASE)


def attribute_covered(key: str, value: str, text: str, claims: list[Claim]) -> bool:
    """Whether `text` mentions the attribute's value (a number in any unit counts)."""
    plain_text = _plain(text)
    if _YES.match(value.strip()):
        value = key  # "dishwasher safe: yes" is covered by saying "dishwasher safe"
    plain_value = _plain(value)
    if plain_value and plain_value in plain_text:
        return True
    value_quantities = [q for _, _, qs in quantities_in(value) for q in qs]
    if value_quantities:
        text_quantities = [q for _, _, qs in quantities_in(text) for q in qs]
        return all(any(quantity_matches(t, v) for t in text_quantities) for v in value_quantities)
    typed = [
        ({c for _, _, c in materials_in(value)}, {c for _, _, c in materials_in(text)}),
        ({c for _, _, c in certifications_in(value)}, {c for _, _, c in certifications_in(text)}),
        ({c for _, _, c in features_in(f"{key} {value}")}, {c for _, _, c in features_in(text)}),
        ({w for _, _, w in warranties_in(value)}, {w for _, _, w in warranties_in(text)}),
    ]
    if any(wanted for wanted, _ in typed):
        return any(wanted & said for wanted, said in typed if wanted)
    words = [w for w in re.findall(r"[a-z0-9]+", value.lower()) if len(w) >= 2]
    if words and not _HAS_CJK.search(value):
        text_words = set(re.findall(r"[a-z0-9]+", text.lower()))
        return all(word in text_words for word in words)
    return False


def coverage_of(text: str, facts: ProductFacts, claims: list[Claim]) -> tuple[list[str], list[str]]:
    covered, missing = [], []
    for key in facts.key_attributes:
        target = covered if attribute_covered(key, facts.attributes[key], text, claims) else missing
        target.append(key)
    return covered, missing


# --- repetition --------------------------------------------------------------------------------
def has_repetition(text: str) -> bool:
    """A repeated phrase: the same 4 words twice (English) or the same 6 characters (Chinese)."""
    words = re.findall(r"[a-z0-9']+", text.lower())
    grams = [tuple(words[i : i + 4]) for i in range(len(words) - 3)]
    if len(grams) != len(set(grams)):
        return True
    chars = "".join(_HAS_CJK.findall(text))
    runs = [chars[i : i + 6] for i in range(len(chars) - 5)]
    return len(runs) != len(set(runs))


# --- the check -------------------------------------------------------------------------------
def candidate_score(
    *, unsupported: int, coverage: float, length_ok: bool, repetition: bool, model_share: float
) -> float:
    """Grounding first, then coverage, then form; a candidate the post-edit had to rewrite
    least (more of the model's own text kept) wins ties."""
    return round(
        (4.0 if unsupported == 0 else 0.0)
        - 0.5 * unsupported
        + 2.0 * coverage
        + (1.0 if length_ok else 0.0)
        + (0.0 if repetition else 1.0)
        + 1.0 * model_share,
        4,
    )


def candidate_check(
    *,
    text: str,
    facts: ProductFacts,
    kind: str,
    language: str,
    channel: str = "",
    evidence: Evidence | None = None,
    model_share: float = 1.0,
) -> Candidate:
    """Check `text` as it is (no LLM, no edit): claims with offsets, coverage, length, repetition.

    Used on a human-edited draft before it is saved; the pipeline uses it on its own output.
    """
    evidence = evidence or Evidence.from_facts(facts)
    claims = claims_extract(text, facts, evidence)
    unsupported = sum(1 for claim in claims if not claim.supported)
    covered, missing = coverage_of(text, facts, claims)
    coverage = len(covered) / len(facts.key_attributes) if facts.key_attributes else 1.0
    limit = max_chars(kind, channel)
    length = len(text.strip())
    length_ok = length >= min_chars(kind, language) and (limit is None or length <= limit)
    repetition = has_repetition(text)
    return Candidate(
        text=text,
        claims=claims,
        unsupported_count=unsupported,
        coverage=round(coverage, 4),
        covered_attributes=covered,
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


# --- the grounded post-edit --------------------------------------------------------------------
def tidy_output(text: str, kind: str) -> str:
    """The model's text without labels, markdown marks and wrapping quotes."""
    text = text.replace("\r", "").strip()
    text = re.sub(r"\*\*|__|^#+\s*", "", text, flags=re.MULTILINE)
    text = _LABEL.sub("", text)
    if kind in SINGLE_LINE_KINDS:
        text = next((line for line in text.split("\n") if line.strip()), "")
        text = _LABEL.sub("", text)
    text = text.strip().strip("\"'“”‘’「」").strip()
    if kind != ContentKind.BULLETS:
        text = re.sub(r"[ \t]*\n[ \t]*", " ", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _units(text: str, kind: str) -> list[str]:
    if kind == ContentKind.BULLETS:
        return [line.strip() for line in text.split("\n") if line.strip()]
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def _wrong_language(unit: str, language: str) -> bool:
    if language == ContentLanguage.ZH_HANS:
        return not _HAS_CJK.search(unit)
    return bool(_HAS_CJK.search(unit))


def _finished(unit: str) -> bool:
    return bool(re.search(r"[.!?。！？\"'”)）]\s*$", unit))


def facts_sentence(
    facts: ProductFacts, keys: list[str], language: str, *, bullets: bool = False
) -> list[str]:
    """Plain statements of the given attributes, in their own words (one per bullet, or one
    sentence)."""
    zh = language == ContentLanguage.ZH_HANS
    pairs = [(key, facts.attributes[key]) for key in keys if facts.attributes.get(key)]
    if not pairs:
        return []
    if bullets:
        sep = "：" if zh else ": "
        return [f"- {key[:1].upper()}{key[1:]}{sep}{value}" for key, value in pairs]
    if zh:
        return ["产品参数：" + "；".join(f"{key}：{value}" for key, value in pairs) + "。"]
    body = "; ".join(f"{key[:1].upper()}{key[1:]}: {value}" for key, value in pairs)
    return [f"Key facts: {body}."]


def post_edit(
    raw: str,
    *,
    facts: ProductFacts,
    kind: str,
    language: str,
    channel: str = "",
    truncated: bool = False,
    evidence: Evidence,
) -> tuple[str, list[str], float]:
    """The grounded post-edit (see the module docstring): (text, edits, share of model text)."""
    edits: list[str] = []
    text = tidy_output(raw, kind)
    units = _units(text, kind)
    if truncated and units and not _finished(units[-1]) and kind not in SINGLE_LINE_KINDS:
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
        bad = [c for c in claims_extract(unit, facts, evidence) if not c.supported]
        if bad:
            edits.append(f"dropped unsupported ({', '.join(c.text for c in bad)}): {unit}")
            continue
        seen.add(key)
        kept.append(unit)

    limit = max_chars(kind, channel)
    bullets = kind == ContentKind.BULLETS
    joiner = "\n" if bullets else ("" if language == ContentLanguage.ZH_HANS else " ")
    while kept and limit is not None and len(joiner.join(kept)) > limit:
        edits.append(f"dropped over the length limit: {kept[-1]}")
        kept.pop()
    model_chars = len(joiner.join(kept))
    current = joiner.join(kept)
    _, missing = coverage_of(current, facts, [])
    if missing:
        added: list[str] = []
        # As many missing facts as the limit allows, in key-attribute order.
        for count in range(len(missing), 0, -1):
            added = facts_sentence(facts, missing[:count], language, bullets=bullets)
            candidate = joiner.join(kept + added) if kept else joiner.join(added)
            if limit is None or len(candidate) <= limit:
                break
            added = []
        if added:
            kept += added
            edits.append("appended facts: " + ", ".join(missing[:count]))
    final = joiner.join(kept).strip()
    if not final and kind == ContentKind.TITLE and not facts.title_is_instruction:
        final = facts.title[: limit or None]
        edits.append("fell back to the product title")
    share = model_chars / len(final) if final else 0.0
    return final, edits, min(1.0, share)


def candidate_from_output(
    raw: str,
    *,
    facts: ProductFacts,
    kind: str,
    language: str,
    channel: str = "",
    truncated: bool = False,
    evidence: Evidence | None = None,
    prompt_version: str = "",
    model: str = "",
    generation_log_id: int | None = None,
) -> Candidate:
    """A model output after the grounded post-edit, checked and scored."""
    evidence = evidence or Evidence.from_facts(facts)
    text, edits, share = post_edit(
        raw,
        facts=facts,
        kind=kind,
        language=language,
        channel=channel,
        truncated=truncated,
        evidence=evidence,
    )
    candidate = candidate_check(
        text=text,
        facts=facts,
        kind=kind,
        language=language,
        channel=channel,
        evidence=evidence,
        model_share=share,
    )
    candidate.raw_text = raw
    candidate.edits = edits
    candidate.prompt_version = prompt_version
    candidate.model = model
    candidate.generation_log_id = generation_log_id
    return candidate

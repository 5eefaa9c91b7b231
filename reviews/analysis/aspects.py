"""Aspect extraction: which parts of a product a review judges, how, and with which words.

Pure Python (no Django), shared by the analysis pipeline and `bench/review_aspects.py`.

How a review is read:
1. The text is cut into clauses: at sentence and clause punctuation (。！？；，、 . ! ? ; , and
   line breaks; spaces too in Chinese, where reviewers use them as commas) and around contrast
   words (但是 / 不过 / but / although / except ...), so "fits great but the color is dull"
   judges two aspects in two clauses.
2. One scan with a precompiled trie regex (longest match first, whole words in English) finds
   the cue words of `lexicons/aspects_<lang>.txt` (terms naming an aspect, some with their own
   polarity: 偏小, runs small, 正品) and `lexicons/polarity_<lang>.txt` (opinion words,
   negators, degree words, contrast words).
3. A term with its own polarity keeps it, flipped when a negator stands just before it
   (不/没/没有/不太/一点也不 ..., not/never/n't/no/hardly ..., degree words may stand between:
   "不是很好", "not very soft"). A term without one takes the polarity of the nearest opinion
   cue in its clause (also flipped by negation): generic words (好, 差, great, poor) and
   aspect-specific ones (快 for delivery, 高 for price, tight for fit). A term with no cue at
   all is a bare mention ("I ordered a medium") and is dropped, unless a `clause_scorer` is
   given (then its clause is scored: P(positive) >= 0.65 positive, <= 0.35 negative).
4. One hit per aspect per review, as the labelling guidelines say: negative if any clause
   criticises the aspect (a complaint is what a merchant acts on), else positive, else neutral;
   its span is the clause that carries that polarity (the one with the most direct evidence).

Speed: one regex scan per review and a few dictionary lookups per cue; no segmenter. See
`bench/review_aspects.py` for accuracy against the labelled set and reviews/s.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ASPECTS_VERSION = "aspects-1"

# The values of reviews.models.Aspect (kept here as strings: no Django in this module).
ASPECTS = (
    "quality",
    "size_fit",
    "shipping",
    "packaging",
    "price_value",
    "service",
    "function",
    "appearance",
    "authenticity",
)
POLARITIES = ("positive", "neutral", "negative")
LANGUAGES = ("zh", "en")
MAX_SPAN_CHARS = 300

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"

# P(positive) thresholds for the optional clause scorer on clauses without a cue word.
SCORER_POSITIVE = 0.65
SCORER_NEGATIVE = 0.35

# Polarity inside the module: 1 positive, 0 neutral, -1 negative, and WEAK (-2) for a term
# that only counts as negative when nothing in the review praises the aspect ("size down":
# a complaint on its own, a report of a good choice next to "fits perfectly"). Marked "?" in
# the lexicons.
WEAK = -2
_POLARITY_NAME = {1: "positive", 0: "neutral", -1: "negative", WEAK: "negative"}
_POLARITY_MARK = {"+": 1, "-": -1, "0": 0, "?": WEAK}
# Which polarity one review's hit on an aspect takes when clauses disagree.
_RANK = {-1: 3, 1: 2, WEAK: 1, 0: 0}
# Evidence strength: the aspect term judges itself > a cue next to the term > a scored clause.
_STRENGTH_OWN, _STRENGTH_CUE, _STRENGTH_SCORER = 3, 2, 1

ClauseScorer = Callable[[list[str]], Sequence[float]]


@dataclass(frozen=True)
class AspectHit:
    aspect: str  # one of ASPECTS
    polarity: str  # "positive" | "neutral" | "negative"
    start: int  # character offsets into the text given
    end: int
    text: str  # text[start:end], the clause that carries it (<= 300 chars)


@dataclass
class _Term:
    """Everything one matched string can mean (a string may play several roles)."""

    aspects: dict[str, int | None] = field(default_factory=dict)  # aspect -> own polarity
    cues: dict[str, int] = field(default_factory=dict)  # aspect -> polarity next to it
    polarity: int | None = None  # generic opinion cue
    negator: bool = False
    degree: bool = False
    contrast: bool = False


@dataclass(frozen=True)
class _Settings:
    clause_break: re.Pattern
    negation_gap: int  # max characters between a negator (or degree word) and what it negates
    cue_distance: int  # max characters between an aspect term and its opinion cue
    backward_penalty: float  # a cue before its term counts as this many times farther


_SETTINGS = {
    "zh": _Settings(
        clause_break=re.compile(r"[，,。.！!？?；;、：:\n\r\t ~～…（）()【】\[\]“”\"「」]+"),
        negation_gap=3,
        cue_distance=10,
        backward_penalty=2.0,
    ),
    "en": _Settings(
        clause_break=re.compile(r"(?:[.!?;,:()\[\]\n\r\t\"…]|--| - |\?)+"),
        negation_gap=12,
        cue_distance=40,
        backward_penalty=1.0,
    ),
}


class _Lexicon:
    def __init__(self, language: str):
        self.language = language
        self.settings = _SETTINGS[language]
        self.terms: dict[str, _Term] = {}
        ignored: set[str] = set()
        for section, term, mark in _read(LEXICON_DIR / f"aspects_{language}.txt"):
            entry = self.terms.setdefault(term, _Term())
            aspect, _, kind = section.partition(".")
            if aspect not in ASPECTS or kind not in ("", "cue"):
                raise ValueError(f"aspects_{language}.txt: unknown section [{section}]")
            if kind == "cue":
                if mark is None:
                    raise ValueError(f"aspects_{language}.txt: cue {term!r} needs a polarity")
                entry.cues[aspect] = mark
            else:
                entry.aspects[aspect] = mark
        for section, term, _ in _read(LEXICON_DIR / f"polarity_{language}.txt"):
            if section == "ignore":
                ignored.add(term)
                continue
            entry = self.terms.setdefault(term, _Term())
            if section in ("positive", "negative", "neutral"):
                entry.polarity = {"positive": 1, "negative": -1, "neutral": 0}[section]
            elif section == "negator":
                entry.negator = True
            elif section == "degree":
                entry.degree = True
            elif section == "contrast":
                entry.contrast = True
            else:
                raise ValueError(f"polarity_{language}.txt: unknown section [{section}]")
        # Ignored strings are matched (so they hide what is inside them) but mean nothing.
        for term in ignored:
            self.terms.setdefault(term, _Term())
        pattern = _trie_pattern(sorted(self.terms))
        if language == "en":
            # Whole words only; the trie backtracks to a shorter term when a longer one ends
            # inside a word.
            pattern = rf"(?<![\w'$])(?:{pattern})(?![\w'])"
        self.matcher = re.compile(pattern)


def _read(path: Path):
    """(section, term, polarity or None) for every line of a lexicon file, braces expanded."""
    section = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if not section:
            raise ValueError(f"{path.name}:{number}: term before any [section]")
        mark = None
        head, _, tail = line.rpartition(" ")
        if head and tail in _POLARITY_MARK:
            line, mark = head.strip(), _POLARITY_MARK[tail]
        for term in _expand(line):
            term = _normalise(term.strip())
            if term:
                yield section, term, mark


def _expand(term: str) -> list[str]:
    """'{a,b,}x' -> ['ax', 'bx', 'x'] (every group, left to right)."""
    parts = re.split(r"(\{[^{}]*\})", term)
    choices = [p[1:-1].split(",") if p.startswith("{") else [p] for p in parts]
    return ["".join(combo) for combo in itertools.product(*choices)]


def _trie_pattern(terms: Sequence[str]) -> str:
    """A regex matching any of `terms`, longest first at each position, built as a trie so
    matching costs about the length of the match, not the number of terms."""
    root: dict = {}
    for term in terms:
        node = root
        for char in term:
            node = node.setdefault(char, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(char) + build(child) for char, child in node.items() if char]
        if not branches:
            return ""
        if len(branches) == 1:
            body = branches[0]
            if end:
                return f"(?:{body})?" if len(body) > 1 else f"{body}?"
            return body
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if end else body

    return build(root)


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "＇": "'"})


def _normalise(text: str) -> str:
    """Lower case with the same length as `text` (offsets must stay valid)."""
    lowered = text.translate(_APOSTROPHES).lower()
    if len(lowered) != len(text):  # a few characters lower-case to two (e.g. 'İ')
        lowered = "".join(
            low if len(low := char.lower()) == 1 else char for char in text.translate(_APOSTROPHES)
        )
    return lowered


@functools.lru_cache(maxsize=4)
def _lexicon(language: str) -> _Lexicon:
    return _Lexicon(language)


@dataclass
class _Token:
    start: int
    end: int
    term: _Term


@dataclass
class _Candidate:
    aspect: str
    polarity: int | None  # None: no cue, waiting for the clause scorer
    strength: int
    clause: tuple[int, int]
    position: int


def _clauses(text: str, lowered: str, tokens: list[_Token], settings: _Settings):
    """Clause (start, end) ranges: punctuation breaks plus breaks around each contrast word."""
    breaks = {0, len(text)}
    for match in settings.clause_break.finditer(lowered):
        breaks.add(match.start())
        breaks.add(match.end())
    for token in tokens:
        if token.term.contrast:  # the contrast word itself belongs to neither side
            breaks.add(token.start)
            breaks.add(token.end)
    ordered = sorted(breaks)
    return [(a, b) for a, b in itertools.pairwise(ordered) if text[a:b].strip()]


# "not soft or comfortable", "不好看也不实用": a negation carries over a coordinated cue.
_COORDINATION = (" or ", " nor ", "/", " and ", "或", "、")


def _negated(tokens: list[_Token], index: int, lowered: str, settings: _Settings) -> bool:
    """Whether a negator stands just before tokens[index] (degree words may stand between)."""
    position = tokens[index].start
    j = index - 1
    while j >= 0:
        previous = tokens[j]
        if position - previous.end > settings.negation_gap:
            return False
        if previous.term.negator:
            return True
        if not previous.term.degree and lowered[previous.end : position] not in _COORDINATION:
            return False
        position = previous.start
        j -= 1
    return False


def _effective(tokens: list[_Token], lowered: str) -> list[_Token]:
    """Drop tokens that only act as degree words here ("pretty loose", "好大")."""
    kept = []
    for i, token in enumerate(tokens):
        term = token.term
        if (
            term.degree
            and (term.polarity is not None or term.aspects)
            and i + 1 < len(tokens)
            and lowered[token.end : tokens[i + 1].start] in ("", " ")
            and _has_meaning(tokens[i + 1].term)
        ):
            kept.append(_Token(token.start, token.end, _DEGREE_ONLY))
            continue
        kept.append(token)
    return kept


_DEGREE_ONLY = _Term(degree=True)


def _has_meaning(term: _Term) -> bool:
    return bool(term.aspects or term.cues or term.polarity is not None)


def _read_clause(
    tokens: list[_Token], clause: tuple[int, int], lowered: str, settings: _Settings
) -> list[_Candidate]:
    candidates: list[_Candidate] = []
    for i, token in enumerate(tokens):
        for aspect, own in token.term.aspects.items():
            if own is not None:
                polarity = _flip(own) if _negated(tokens, i, lowered, settings) else own
                candidates.append(_Candidate(aspect, polarity, _STRENGTH_OWN, clause, token.start))
                continue
            polarity = _nearest_cue(tokens, i, aspect, lowered, settings)
            candidates.append(_Candidate(aspect, polarity, _STRENGTH_CUE, clause, token.start))
    return candidates


def _nearest_cue(
    tokens: list[_Token], index: int, aspect: str, lowered: str, settings: _Settings
) -> int | None:
    target = tokens[index]
    best: tuple[float, int] | None = None
    for j, token in enumerate(tokens):
        if j == index:
            continue
        term = token.term
        if aspect in term.cues:
            polarity = term.cues[aspect]
        elif term.polarity is not None:
            polarity = term.polarity
        elif term.aspects and any(p is not None for p in term.aspects.values()):
            # Another aspect's self-judging term still says something ("soft fabric").
            polarity = next(p for p in term.aspects.values() if p is not None)
        else:
            continue
        if token.start >= target.end:
            distance = float(token.start - target.end)
        else:
            distance = (target.start - token.end) * settings.backward_penalty
        if distance > settings.cue_distance:
            continue
        if _negated(tokens, j, lowered, settings):
            polarity = _flip(polarity)
        if best is None or distance < best[0]:
            best = (distance, polarity)
    return None if best is None else best[1]


def _flip(polarity: int) -> int:
    """What a negator makes of a polarity: 不好 negative, not tight positive, 不一般 neutral."""
    return 1 if polarity in (-1, WEAK) else -1 if polarity == 1 else polarity


def _candidates(text: str, language: str) -> list[_Candidate]:
    lexicon = _lexicon(language)
    settings = lexicon.settings
    lowered = _normalise(text)
    tokens = [
        _Token(m.start(), m.end(), lexicon.terms[m.group()])
        for m in lexicon.matcher.finditer(lowered)
    ]
    if not tokens:
        return []
    tokens = _effective(tokens, lowered)
    clauses = _clauses(text, lowered, tokens, settings)
    starts = [start for start, _ in clauses]
    by_clause: dict[int, list[_Token]] = {}
    for token in tokens:
        at = bisect.bisect_right(starts, token.start) - 1
        if at >= 0 and token.start < clauses[at][1]:
            by_clause.setdefault(at, []).append(token)
    found: list[_Candidate] = []
    for at, clause_tokens in by_clause.items():
        if any(t.term.aspects for t in clause_tokens):
            found += _read_clause(clause_tokens, clauses[at], lowered, settings)
    return found


def _span(text: str, clause: tuple[int, int], position: int) -> tuple[int, int]:
    """The clause without surrounding blanks, cut to MAX_SPAN_CHARS around the cue."""
    start, end = clause
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start > MAX_SPAN_CHARS:
        start = max(start, min(position - MAX_SPAN_CHARS // 2, end - MAX_SPAN_CHARS))
        end = start + MAX_SPAN_CHARS
    return start, end


def _choose(text: str, candidates: list[_Candidate]) -> list[AspectHit]:
    """One hit per aspect: negative beats positive beats weak negative beats neutral; then the
    strongest evidence, then the earliest clause."""
    best: dict[str, _Candidate] = {}
    for candidate in candidates:
        if candidate.polarity is None:
            continue
        current = best.get(candidate.aspect)
        key = (_RANK[candidate.polarity], candidate.strength, -candidate.position)
        if current is None or key > (
            _RANK[current.polarity],
            current.strength,
            -current.position,
        ):
            best[candidate.aspect] = candidate
    hits = []
    for candidate in best.values():
        start, end = _span(text, candidate.clause, candidate.position)
        hits.append(
            AspectHit(
                aspect=candidate.aspect,
                polarity=_POLARITY_NAME[candidate.polarity],
                start=start,
                end=end,
                text=text[start:end],
            )
        )
    hits.sort(key=lambda hit: (hit.start, ASPECTS.index(hit.aspect)))
    return hits


def extract_aspects(
    text: str, language: str, *, clause_scorer: ClauseScorer | None = None
) -> list[AspectHit]:
    """The aspects `text` judges, at most one per aspect, ordered by start.

    `language` is "zh", "en" or "other" (nothing is extracted for "other": the lexicons only
    cover Chinese and English). `clause_scorer(clauses) -> P(positive) per clause` is
    optional; without it, aspect terms that no cue word judges are left out.
    """
    return extract_aspects_batch([text], [language], clause_scorer=clause_scorer)[0]


def extract_aspects_batch(
    texts: Sequence[str],
    languages: Sequence[str],
    *,
    clause_scorer: ClauseScorer | None = None,
) -> list[list[AspectHit]]:
    """`extract_aspects` for many reviews; the clause scorer, if any, is called once."""
    if len(texts) != len(languages):
        raise ValueError("texts and languages must have the same length")
    found: list[list[_Candidate]] = []
    for text, language in zip(texts, languages, strict=True):
        if not text or language not in LANGUAGES:
            found.append([])
            continue
        found.append(_candidates(text, language))
    if clause_scorer is not None:
        _score_undecided(texts, found, clause_scorer)
    return [_choose(text, candidates) for text, candidates in zip(texts, found, strict=True)]


def _score_undecided(
    texts: Sequence[str], found: list[list[_Candidate]], clause_scorer: ClauseScorer
) -> None:
    pending: list[_Candidate] = []
    clauses: list[str] = []
    for text, candidates in zip(texts, found, strict=True):
        for candidate in candidates:
            if candidate.polarity is None:
                pending.append(candidate)
                clauses.append(text[candidate.clause[0] : candidate.clause[1]].strip())
    if not pending:
        return
    scores = list(clause_scorer(clauses))
    if len(scores) != len(pending):
        raise ValueError("clause_scorer must return one score per clause")
    for candidate, score in zip(pending, scores, strict=True):
        if score >= SCORER_POSITIVE:
            candidate.polarity = 1
        elif score <= SCORER_NEGATIVE:
            candidate.polarity = -1
        else:
            continue
        candidate.strength = _STRENGTH_SCORER


def aspect_terms(language: str) -> dict[str, list[str]]:
    """The terms that name each aspect in `language` (for documentation and the UI)."""
    lexicon = _lexicon(language)
    terms: dict[str, list[str]] = {aspect: [] for aspect in ASPECTS}
    for term, entry in lexicon.terms.items():
        for aspect in entry.aspects:
            terms[aspect].append(term)
    return {aspect: sorted(values) for aspect, values in terms.items()}


def opinion_terms(language: str) -> dict[str, list[str]]:
    """The generic opinion words of `language` by polarity name (positive/neutral/negative)."""
    lexicon = _lexicon(language)
    terms: dict[str, list[str]] = {name: [] for name in POLARITIES}
    for term, entry in lexicon.terms.items():
        if entry.polarity is not None:
            terms[_POLARITY_NAME[entry.polarity]].append(term)
    return {name: sorted(values) for name, values in terms.items()}

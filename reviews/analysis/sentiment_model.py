"""The linear sentiment model behind both the shipped default and the per-merchant models.

An NB-weighted logistic regression ("NB-LR", Wang & Manning 2012) over hashed n-grams:

1. features per language (`FEATURE_SETS`): Chinese reads character 1-3-grams plus negation
   features ("不是很好" adds "¬好", see `features_zh_char13_neg`; no word segmenter, which
   would cost more time than the whole model); English reads word 1-2-grams with negation
   marking ("not good" makes "good" a different feature until the next punctuation);
2. features are hashed into 2**21 buckets (murmurhash3, the same in every process), buckets
   seen in fewer than `min_df` training reviews are dropped;
3. x = (1 + log count) * idf, L2-normalised, then multiplied per feature by the naive-Bayes
   log-count ratio r = log(p / |p|) - log(q / |q|) (p, q: smoothed document counts in positive
   and negative reviews);
4. an L2 logistic regression on those values, with classes weighted to balance (so a merchant
   whose reviews are 90 % positive still gets a model that finds the negative ones), plus
   (`TrainingParams.plain_c`) a second one on the tf-idf values without the NB ratio; the two
   logits are summed, which is still one linear model.

Prediction folds idf, r and the coefficients into one weight per bucket, so scoring a review is
one sparse dot product: P(positive) = sigmoid(b + sum_f w_f (1 + log c_f) / ||x||).

A model is stored as a numpy `.npz` archive (never a pickle): the kept buckets, their idf and
weights, the intercept and a JSON header. `linear_model_from_bytes` refuses anything else with a
`ModelArtifactError`.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression

ARTIFACT_FORMAT = "ecomops-nblr"
ARTIFACT_FORMAT_VERSION = 1
HASH_BITS = 21
N_BUCKETS = 1 << HASH_BITS


class ModelArtifactError(ValueError):
    """The bytes are not a sentiment model written by this module."""


# ---------------------------------------------------------------------------------------------
# Features
# ---------------------------------------------------------------------------------------------

_REPEATS = re.compile(r"(.)\1{2,}")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


def _normalise(text: str) -> str:
    """Full-width to half-width, lower case, runs of 3+ equal characters cut to 2, numbers to 0."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _REPEATS.sub(r"\1\1", text)
    text = _DIGITS.sub("0", text)
    return _SPACES.sub(" ", text).strip()


def features_zh_char13(text: str) -> list[str]:
    """Character 1-, 2- and 3-grams of the normalised text."""
    t = _normalise(text)
    n = len(t)
    return [*t, *(t[i : i + 2] for i in range(n - 1)), *(t[i : i + 3] for i in range(n - 2))]


_ZH_NEGATORS = frozenset("不没别无未")
_ZH_NEGATION_FILLERS = frozenset("是太很怎么够大那有算会要能再够特别")


def features_zh_char13_neg(text: str) -> list[str]:
    """`features_zh_char13` plus negation features: after 不/没/别/无/未 and up to three filler
    characters (是, 太, 很, ...), the next character and pair prefixed with "¬" ("不是很好" gives
    "¬好" and "¬好," so that it no longer reads like "很好")."""
    t = _normalise(text)
    n = len(t)
    feats = [*t, *(t[i : i + 2] for i in range(n - 1)), *(t[i : i + 3] for i in range(n - 2))]
    for i, char in enumerate(t):
        if char in _ZH_NEGATORS:
            j = i + 1
            while j < n and j - i <= 3 and t[j] in _ZH_NEGATION_FILLERS:
                j += 1
            if j < n:
                feats.append("¬" + t[j])
                feats.append("¬" + t[j : j + 2])
    return feats


_EN_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.,!?;:()]")
_EN_CLAUSE_END = frozenset(".,!?;:()")
_EN_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "none",
        "nor",
        "neither",
        "cannot",
        "without",
        "hardly",
        "barely",
    ]
)
_EN_NEGATOR_SUFFIX = "n't"


def _en_tokens(text: str) -> list[str]:
    """Words, with "NOT_" before each word that follows a negator in the same clause."""
    t = _normalise(text.replace("\u2019", "'"))
    tokens: list[str] = []
    negated = False
    for token in _EN_TOKEN.findall(t):
        if token in _EN_CLAUSE_END:
            negated = False
            tokens.append(token)
            continue
        tokens.append("NOT_" + token if negated else token)
        if token in _EN_NEGATORS or token.endswith(_EN_NEGATOR_SUFFIX):
            negated = True
    return tokens


def features_en_word13_char25(text: str) -> list[str]:
    """Word 1-3-grams (negation-marked, punctuation kept as a boundary) and char 2-5-grams."""
    tokens = _en_tokens(text)
    words = [token for token in tokens if token not in _EN_CLAUSE_END]
    feats = [f"w {w}" for w in words]
    feats += [f"w {a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    feats += [f"w {a} {b} {c}" for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False)]
    for word in words:
        padded = f" {word.removeprefix('NOT_')} "
        size = len(padded)
        for n in (2, 3, 4, 5):
            feats.extend(padded[i : i + n] for i in range(size - n + 1))
    return feats


def features_en_word13(text: str) -> list[str]:
    tokens = _en_tokens(text)
    words = [token for token in tokens if token not in _EN_CLAUSE_END]
    feats = words
    feats += [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    feats += [f"{a} {b} {c}" for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False)]
    return feats


def features_en_word12(text: str) -> list[str]:
    tokens = _en_tokens(text)
    words = [token for token in tokens if token not in _EN_CLAUSE_END]
    return words + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


FEATURE_SETS: dict[str, Callable[[str], list[str]]] = {
    "zh-char13": features_zh_char13,
    "zh-char13-neg": features_zh_char13_neg,
    "en-word13-char25": features_en_word13_char25,
    "en-word13": features_en_word13,
    "en-word12": features_en_word12,
}
FEATURE_SET_FOR_LANGUAGE = {"zh": "zh-char13", "en": "en-word13-char25"}

_HASHER = FeatureHasher(n_features=N_BUCKETS, input_type="string", alternate_sign=False)


def hashed_counts(texts: Sequence[str], feature_set: str) -> sp.csr_matrix:
    """Bucket counts, one row per text (float64 CSR, 2**21 columns)."""
    extract = FEATURE_SETS[feature_set]
    counts = _HASHER.transform(extract(text or "") for text in texts)
    counts.sum_duplicates()
    return counts.tocsr()


def _tfidf_rows(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """(1 + log count) * idf, rows L2-normalised (rows without a known feature stay zero)."""
    x = counts.copy()
    x.data = (1.0 + np.log(x.data)) * idf[x.indices]
    x.eliminate_zeros()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x)


# ---------------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------------


@dataclass
class LinearSentimentModel:
    """P(positive) for texts of one language (see the module docstring for the formula)."""

    language: str
    feature_set: str
    buckets: np.ndarray  # int64, the kept hash buckets, sorted
    idf: np.ndarray  # float32 per kept bucket
    weights: np.ndarray  # float32 per kept bucket: coefficient * NB ratio
    intercept: float
    info: dict = field(default_factory=dict)
    name: str = "merchant"
    # Fingerprints of the training texts (`text_fingerprint`), kept by the shipped defaults so
    # an evaluation can tell reviews the model has seen from reviews it has not.
    fingerprints: np.ndarray | None = None

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """The logit of P(positive) per text."""
        if len(texts) == 0:
            return np.zeros(0)
        counts = hashed_counts(texts, self.feature_set)
        # Look every bucket up in the sorted kept buckets: no dense 2**21 arrays per model.
        at = np.searchsorted(self.buckets, counts.indices)
        at[at >= len(self.buckets)] = 0
        known = self.buckets[at] == counts.indices if len(self.buckets) else np.zeros(0, bool)
        values = np.where(known, (1.0 + np.log(counts.data)) * self.idf[at], 0.0)
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        squares = np.bincount(rows, weights=values * values, minlength=counts.shape[0])
        dots = np.bincount(
            rows, weights=values * np.where(known, self.weights[at], 0.0), minlength=len(squares)
        )
        norms = np.sqrt(squares)
        norms[norms == 0] = 1.0
        return dots / norms + self.intercept

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """P(positive) per text, float64 in [0, 1]."""
        return _sigmoid(self.decision_function(texts))

    def to_bytes(self) -> bytes:
        header = {
            "format": ARTIFACT_FORMAT,
            "format_version": ARTIFACT_FORMAT_VERSION,
            "hash_bits": HASH_BITS,
            "language": self.language,
            "feature_set": self.feature_set,
            "intercept": float(self.intercept),
            "info": self.info,
        }
        arrays = {
            "header": np.frombuffer(json.dumps(header, sort_keys=True).encode(), dtype=np.uint8),
            "buckets": self.buckets.astype(np.int64),
            "idf": self.idf.astype(np.float32),
            "weights": self.weights.astype(np.float32),
        }
        if self.fingerprints is not None:
            arrays["fingerprints"] = np.unique(self.fingerprints.astype(np.uint64))
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        return _deterministic_zip(buffer.getvalue())


def _deterministic_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps, so rebuilding a model gives identical bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist()):
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(name))
    return out.getvalue()


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


_ARRAYS = {"header": np.uint8, "buckets": np.int64, "idf": np.float32, "weights": np.float32}
_OPTIONAL_ARRAYS = {"fingerprints": np.uint64}


def text_fingerprint(text: str) -> int:
    """64 bits of BLAKE2b of the normalised text (same for texts the features cannot tell apart)."""
    digest = hashlib.blake2b(_normalise(text or "").encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def text_fingerprints(texts: Sequence[str]) -> np.ndarray:
    return np.array([text_fingerprint(text) for text in texts], dtype=np.uint64)


def linear_model_from_bytes(data: bytes, *, name: str = "merchant") -> LinearSentimentModel:
    """Read a model written by `LinearSentimentModel.to_bytes`; never unpickles anything."""
    if not isinstance(data, bytes | bytearray | memoryview) or not data:
        raise ModelArtifactError("empty or non-bytes sentiment model")
    try:
        with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as archive:
            names = set(archive.files)
            if not set(_ARRAYS) <= names <= set(_ARRAYS) | set(_OPTIONAL_ARRAYS):
                raise ModelArtifactError(f"unexpected arrays in the model: {sorted(names)}")
            arrays = {key: archive[key] for key in sorted(names)}
        header = json.loads(arrays["header"].tobytes().decode())
    except ModelArtifactError:
        raise
    except Exception as error:  # any parse failure: zip, npy, UTF-8 or JSON
        raise ModelArtifactError(f"not a sentiment model archive ({error})") from error
    for key, dtype in {**_ARRAYS, **_OPTIONAL_ARRAYS}.items():
        if key in arrays and (arrays[key].dtype != dtype or arrays[key].ndim != 1):
            raise ModelArtifactError(f"array {key!r} has the wrong type or shape")
    if not isinstance(header, dict) or header.get("format") != ARTIFACT_FORMAT:
        raise ModelArtifactError("not a sentiment model archive (bad header)")
    if header.get("format_version") != ARTIFACT_FORMAT_VERSION or header.get("hash_bits") != (
        HASH_BITS
    ):
        raise ModelArtifactError(
            f"sentiment model format {header.get('format_version')} is not supported"
        )
    feature_set = header.get("feature_set")
    if feature_set not in FEATURE_SETS:
        raise ModelArtifactError(f"unknown feature set {feature_set!r}")
    buckets = arrays["buckets"]
    size = len(buckets)
    if len(arrays["idf"]) != size or len(arrays["weights"]) != size:
        raise ModelArtifactError("bucket, idf and weight arrays differ in length")
    if size and (buckets.min() < 0 or buckets.max() >= N_BUCKETS):
        raise ModelArtifactError("bucket index out of range")
    intercept = header.get("intercept")
    if not isinstance(intercept, int | float) or not np.isfinite(intercept):
        raise ModelArtifactError("bad intercept")
    if not (np.isfinite(arrays["idf"]).all() and np.isfinite(arrays["weights"]).all()):
        raise ModelArtifactError("non-finite weights")
    return LinearSentimentModel(
        language=str(header.get("language", "")),
        feature_set=feature_set,
        buckets=buckets,
        idf=arrays["idf"],
        weights=arrays["weights"],
        intercept=float(intercept),
        info=header.get("info") or {},
        name=name,
        fingerprints=arrays.get("fingerprints"),
    )


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingParams:
    """Hyper-parameters of one fit (chosen per language by cross-validation, see README)."""

    feature_set: str
    c: float
    min_df: int = 2
    nb_alpha: float = 1.0
    balanced: bool = True
    # With plain_c, a second logistic regression on the same tf-idf values without the NB
    # ratio (regularisation plain_c) is added: the two logits are summed, which is again one
    # linear model over the same buckets (weights and intercepts add up).
    plain_c: float | None = None
    # liblinear's dual solver: the same optimum, about ten times faster when there are many
    # more n-grams than reviews. Off for the shipped defaults, whose files must rebuild
    # byte-identically (`train_default --check`).
    dual: bool = False


def _logistic_regression(c: float, balanced: bool, dual: bool = False) -> LogisticRegression:
    return LogisticRegression(
        C=c,
        class_weight="balanced" if balanced else None,
        max_iter=2000,
        tol=1e-5,
        solver="liblinear",
        dual=dual,
        random_state=0,
    )


def linear_model_fit(
    texts: Sequence[str],
    labels: Sequence[int] | np.ndarray,
    *,
    language: str,
    params: TrainingParams,
    counts: sp.csr_matrix | None = None,
    info: dict | None = None,
    name: str = "merchant",
) -> LinearSentimentModel:
    """Fit the NB-LR model on `texts` with 0/1 `labels` (both classes must be present).

    `counts` may pass `hashed_counts(texts, params.feature_set)` already computed (cross-
    validation computes them once for all folds).
    """
    y = np.asarray(labels, dtype=np.int64)
    if counts is None:
        counts = hashed_counts(texts, params.feature_set)
    if counts.shape[0] != len(y):
        raise ValueError("texts and labels differ in length")
    if len(set(y.tolist())) != 2:
        raise ValueError("training needs both positive and negative reviews")

    binary = counts.copy()
    binary.data[:] = 1.0
    df = np.asarray(binary.sum(axis=0)).ravel()
    kept = np.flatnonzero(df >= params.min_df)
    n = len(y)
    idf = np.log((1.0 + n) / (1.0 + df[kept])) + 1.0

    binary = binary[:, kept]
    pos = np.asarray(binary[y == 1].sum(axis=0)).ravel() + params.nb_alpha
    neg = np.asarray(binary[y == 0].sum(axis=0)).ravel() + params.nb_alpha
    ratio = np.log(pos / pos.sum()) - np.log(neg / neg.sum())

    tfidf = _tfidf_rows(counts[:, kept], idf)
    classifier = _logistic_regression(params.c, params.balanced, params.dual)
    classifier.fit(sp.csr_matrix(tfidf @ sp.diags(ratio)), y)
    weights = classifier.coef_.ravel() * ratio
    intercept = float(classifier.intercept_[0])
    if params.plain_c is not None:
        plain = _logistic_regression(params.plain_c, params.balanced, params.dual).fit(tfidf, y)
        weights = weights + plain.coef_.ravel()
        intercept += float(plain.intercept_[0])
    # Every kept bucket stays, even with a zero weight: it still counts in the row norm.
    return LinearSentimentModel(
        language=language,
        feature_set=params.feature_set,
        buckets=kept.astype(np.int64),
        idf=idf.astype(np.float32),
        weights=weights.astype(np.float32),
        intercept=intercept,
        info=dict(info or {}),
        name=name,
    )

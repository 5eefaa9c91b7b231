"""Complaint topics: group the negative reviews of a product (or category) by what they say.

Pure Python (no Django). `topics_build` takes the reviews as `TopicDoc`s and returns the topics,
largest first:
1. Words: jieba words for Chinese (two characters or more), lower-case words and adjacent-word
   bigrams for English; stop words from `lexicons/stopwords_<lang>.txt` removed.
2. TF-IDF (sublinear tf, words in at least two reviews when there are ten or more reviews),
   reduced to at most 100 dimensions with a truncated SVD and L2-normalised, so k-means on it
   is clustering by cosine similarity.
3. k-means for every k from 2 to `max_topics` (as long as k * min_size reviews exist), fixed
   seed; the k with the best cosine silhouette wins (on at most 1,000 reviews, fixed sample).
   Clusters smaller than `min_size` are dropped (their reviews get no topic).
4. Each topic is labelled by its most distinctive terms, c-TF-IDF style: the share of the
   topic's reviews using a term times log(1 + average reviews per topic / reviews using it
   anywhere), so words every topic shares sink. The label is the top three terms.
5. Per topic: the dominant aspect of its reviews (`aspects.extract_aspects`, negative mentions
   first; "" when no aspect reaches 30 % of the topic), weekly counts for the `weeks` weeks up
   to `today` (weeks start on Monday), the relative change of the last four weeks against the
   four before, and up to three example reviews, those nearest the topic's centre.

Deterministic: reviews are sorted by id first and every random step is seeded.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from . import aspects as aspects_module

TOPICS_VERSION = "topics-1"
SEED = 20240604
MERGE_SIMILARITY = 0.6
PAIR_SIMILARITY = 0.3
SILHOUETTE_SAMPLE = 1000
LABEL_TERMS = 3
TOPIC_TERMS = 10
EXAMPLES = 3
ASPECT_SHARE = 0.3
TREND_WINDOW_WEEKS = 4

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"


@dataclass
class TopicDoc:
    review_id: int
    text: str
    language: str
    created: datetime.date


@dataclass
class Topic:
    label: str
    terms: list[str]
    review_ids: list[int]
    size: int
    aspect: str  # dominant aspect of its reviews or ""
    # {"weeks": [iso dates, oldest first], "counts": [...], "change": float}
    trend: dict = field(default_factory=dict)
    example_ids: list[int] = field(default_factory=list)


@functools.lru_cache(maxsize=4)
def stop_words(language: str) -> frozenset[str]:
    path = LEXICON_DIR / f"stopwords_{language}.txt"
    if not path.is_file():
        return frozenset()
    return frozenset(
        line.strip().lower()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


_ZH_NEGATORS = frozenset({"不", "没", "没有", "不太", "不是", "不怎么", "不够", "太不"})
_EN_NEGATORS = frozenset(
    {"not", "no", "never", "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "won't"}
)
_EN_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")
_ZH_KEEP = re.compile(r"[\u4e00-\u9fff]{2,}|[a-z][a-z0-9]{1,}")


@functools.lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)  # it logs its dictionary loading at INFO
    jieba.initialize()
    return jieba


def tokens(text: str, language: str) -> list[str]:
    """The words a topic is made of: no stop words, numbers or punctuation. A negator is kept
    glued to the word it negates (不好吃, "not flattering"), never alone."""
    stop = stop_words(language)
    lowered = text.lower()
    if language == "zh":
        out: list[str] = []
        pending = ""
        for word in _jieba().lcut(lowered):
            if word in _ZH_NEGATORS:
                pending = word
                continue
            if _ZH_KEEP.fullmatch(word) and not word.isdigit() and word not in stop:
                out.append(pending + word if pending and len(word) <= 3 else word)
            pending = ""
        return out
    raw = [w.strip("'-") for w in _EN_WORD.findall(lowered.replace("\u2019", "'"))]
    words = [w for w in raw if len(w) > 1 and w not in stop]
    # Bigrams of words next to each other in the text ("runs small", "not flattering").
    bigrams = [
        f"{a} {b}"
        for a, b in zip(raw, raw[1:], strict=False)
        if len(b) > 1 and b not in stop and (a in _EN_NEGATORS or (len(a) > 1 and a not in stop))
    ]
    return words + bigrams


def _week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def trend_build(dates: Sequence[datetime.date], *, today: datetime.date, weeks: int) -> dict:
    """Weekly counts for the `weeks` weeks ending with today's week (oldest first), and the
    relative change of the last four weeks against the four before:
    (last - previous) / max(previous, 1), so a topic that appears from nothing shows its count.
    With fewer than eight weeks the two windows are the two halves."""
    weeks = max(1, weeks)
    last_start = _week_start(today)
    starts = [last_start - datetime.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    counts = [0] * weeks
    first = starts[0]
    for day in dates:
        if first <= day < last_start + datetime.timedelta(weeks=1):
            counts[(day - first).days // 7] += 1
    window = min(TREND_WINDOW_WEEKS, weeks // 2)
    if window:
        last = sum(counts[-window:])
        previous = sum(counts[-2 * window : -window])
        change = (last - previous) / max(previous, 1)
    else:
        change = 0.0
    return {
        "weeks": [start.isoformat() for start in starts],
        "counts": counts,
        "change": round(change, 4),
    }


def topics_build(
    docs: Sequence[TopicDoc],
    *,
    language: str,
    today: datetime.date,
    max_topics: int = 8,
    min_size: int = 3,
    weeks: int = 12,
) -> list[Topic]:
    """Complaint topics of `docs` (negative reviews in `language`), largest first."""
    min_size = max(1, min_size)
    ordered = sorted(docs, key=lambda doc: doc.review_id)
    words = [tokens(doc.text, language) for doc in ordered]
    kept = [i for i, w in enumerate(words) if w]
    if len(kept) < min_size or max_topics < 1:
        return []
    kept_docs = [ordered[i] for i in kept]
    kept_words = [words[i] for i in kept]

    with threadpool_limits(limits=1):  # BLAS threads only spin on a busy worker
        vectors = _vectors(kept_words)
        if vectors is None:
            return []
        labels = _cluster(vectors, max_topics=max_topics, min_size=min_size)

    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        if label >= 0:
            groups.setdefault(int(label), []).append(index)
    clusters = [members for members in groups.values() if len(members) >= min_size]
    clusters.sort(key=lambda members: (-len(members), kept_docs[members[0]].review_id))
    clusters = clusters[:max_topics]
    if not clusters:
        return []

    terms_by_cluster = _distinctive_terms(kept_words, clusters)
    topics = []
    for members, terms in zip(clusters, terms_by_cluster, strict=True):
        member_docs = [kept_docs[i] for i in members]
        rows = vectors[members]
        centre = np.asarray(rows.mean(axis=0)).ravel()
        closeness = rows @ centre
        order = sorted(
            range(len(members)), key=lambda j: (-round(float(closeness[j]), 9), members[j])
        )
        topics.append(
            Topic(
                label=" / ".join(terms[:LABEL_TERMS]),
                terms=terms,
                review_ids=[doc.review_id for doc in member_docs],
                size=len(members),
                aspect=_dominant_aspect(member_docs, language),
                trend=trend_build([doc.created for doc in member_docs], today=today, weeks=weeks),
                example_ids=[member_docs[j].review_id for j in order[:EXAMPLES]],
            )
        )
    return topics


def _vectors(words: list[list[str]]):
    """L2-normalised TF-IDF rows (sparse) of the reviews, or None without any vocabulary."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        analyzer=lambda doc: doc,
        min_df=2 if len(words) >= 10 else 1,
        sublinear_tf=True,
    )
    try:
        return vectorizer.fit_transform(words)
    except ValueError:  # no term in two reviews
        return None


def _cluster(vectors, *, max_topics: int, min_size: int) -> np.ndarray:
    """Topic per review (-1 for none).

    NMF for every k from 2 to min(max_topics, reviews // min_size, sqrt(reviews / 2)) (the
    usual rule of thumb, so a handful of reviews is not cut into many topics); each review
    goes to its heaviest component and the k with the best cosine silhouette wins. Topics
    whose mean vectors are nearly the same (cosine >= MERGE_SIMILARITY, or PAIR_SIMILARITY
    when only two are left) are then merged.
    """
    from sklearn.decomposition import NMF
    from sklearn.metrics import silhouette_score

    n = vectors.shape[0]
    labels = np.full(n, -1)
    usable = np.flatnonzero(vectors.getnnz(axis=1) > 0)  # some words fell below min_df
    top = min(max_topics, len(usable) // min_size, int(math.sqrt(len(usable) / 2)))
    top = min(top, vectors.shape[1])
    if top < 2:
        labels[usable] = 0
        return labels
    data = vectors[usable]
    rng = np.random.RandomState(SEED)
    sample = (
        np.sort(rng.choice(len(usable), SILHOUETTE_SAMPLE, replace=False))
        if len(usable) > SILHOUETTE_SAMPLE
        else np.arange(len(usable))
    )
    best: tuple[float, np.ndarray] | None = None
    for k in range(2, top + 1):
        weights = NMF(n_components=k, init="nndsvda", random_state=SEED, max_iter=400)
        weights = weights.fit_transform(data)
        assigned = weights.argmax(axis=1)
        assigned[weights.max(axis=1) <= 0] = -1
        picked = sample[assigned[sample] >= 0]
        if len(set(assigned[picked])) < 2 or len(picked) <= len(set(assigned[picked])):
            continue
        quality = float(silhouette_score(data[picked], assigned[picked], metric="cosine"))
        if best is None or quality > best[0] + 1e-9:
            best = (quality, assigned)
    if best is None:
        labels[usable] = 0
        return labels
    labels[usable] = _merge_similar(data, best[1])
    return labels


def _merge_similar(data, assigned: np.ndarray) -> np.ndarray:
    """Merge the two closest topics while they are nearly the same; a split in two whose
    halves still look alike (cosine >= PAIR_SIMILARITY) is one topic."""
    from sklearn.preprocessing import normalize

    assigned = assigned.copy()
    while True:
        present = sorted(set(assigned[assigned >= 0].tolist()))
        if len(present) < 2:
            return assigned
        threshold = PAIR_SIMILARITY if len(present) == 2 else MERGE_SIMILARITY
        centres = normalize(
            np.vstack([np.asarray(data[assigned == c].mean(axis=0)) for c in present])
        )
        similarity = centres @ centres.T
        np.fill_diagonal(similarity, -1.0)
        i, j = np.unravel_index(int(similarity.argmax()), similarity.shape)
        if similarity[i, j] < threshold:
            return assigned
        assigned[assigned == present[j]] = present[i]


def _distinctive_terms(words: list[list[str]], clusters: list[list[int]]) -> list[list[str]]:
    """Top terms per cluster by class-based TF-IDF over document frequencies."""
    per_cluster = []
    for members in clusters:
        frequency: Counter[str] = Counter()
        for i in members:
            frequency.update(set(words[i]))
        per_cluster.append(frequency)
    everywhere: Counter[str] = Counter()
    for frequency in per_cluster:
        everywhere.update(frequency)
    average = sum(len(m) for m in clusters) / len(clusters)
    result = []
    for members, frequency in zip(clusters, per_cluster, strict=True):
        scored = sorted(
            (
                (count / len(members)) * math.log(1 + average / everywhere[term]),
                term,
            )
            for term, count in frequency.items()
            if count >= 2 or len(members) < 4
        )
        scored.sort(key=lambda item: (-item[0], item[1]))
        result.append(_dedupe([term for _, term in scored], TOPIC_TERMS))
    return result


def _dedupe(terms: list[str], limit: int) -> list[str]:
    """Best terms first; a bigram replaces the single words it contains ("runs small" over
    "small"), a word already inside a chosen bigram is skipped."""
    chosen: list[str] = []
    for term in terms:
        parts = term.split(" ")
        if len(parts) == 1 and any(term in c.split(" ") for c in chosen if " " in c):
            continue
        if len(parts) > 1:
            chosen = [c for c in chosen if c not in parts]
        chosen.append(term)
        if len(chosen) >= limit:
            break
    return chosen[:limit]


def _dominant_aspect(docs: list[TopicDoc], language: str) -> str:
    hits = aspects_module.extract_aspects_batch([doc.text for doc in docs], [language] * len(docs))
    negative: Counter[str] = Counter()
    mentioned: Counter[str] = Counter()
    for review in hits:
        negative.update({hit.aspect for hit in review if hit.polarity == "negative"})
        mentioned.update({hit.aspect for hit in review})
    for counts in (negative, mentioned):
        if counts:
            aspect, count = min(counts.items(), key=lambda item: (-item[1], item[0]))
            if count >= ASPECT_SHARE * len(docs):
                return aspect
    return ""

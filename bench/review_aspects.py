"""Aspect detection against the hand-labelled review set, next to a keyword baseline.

    .venv/bin/python bench/review_aspects.py [--split test|dev|all] [--data ../shared/data]
        [--labels bench/data/review_aspects/labels.csv] [--json PATH] [--errors PATH]

Reads the labelled rows (`bench/data/review_aspects/labels.csv`, written by the guidelines in
GUIDELINES.md next to it) and their texts from ../shared/data by data set and row number, runs
the product's extractor (`reviews.analysis.aspects.extract_aspects_batch`, the exact code the
pipeline runs) and prints, per aspect and language:
- detection F1: is the aspect judged in the review at all (micro over every review x aspect,
  macro as the mean of the aspects' F1 that have labels in that language);
- aspect + polarity F1: the pair (aspect, polarity) must match;
- polarity accuracy on the aspects both sides found;
- reviews/s of the extractor (one process, one thread);
next to a baseline computed in the same run: keyword presence with the same aspect terms
(an aspect is "found" when any of its terms occurs, no clauses, no negation) and the review's
polarity from counting positive and negative words (no negation, no clause scope).

The default split is `test` (never used to tune the lexicons); `--split dev` with `--errors`
writes the disagreements for tuning. Skips with a message when the data sets are absent.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
sys.path.insert(0, str(REPO_ROOT))

from reviews.analysis.aspects import (  # noqa: E402
    ASPECTS,
    aspect_terms,
    extract_aspects_batch,
    opinion_terms,
)

LABEL_DIR = HERE / "data" / "review_aspects"
DEFAULT_LABELS = LABEL_DIR / "labels.csv"
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
LANGUAGES = ("zh", "en")
MIN_SECONDS = 1.0  # time the extractor over the set again until this much time has passed


def _sample_module():
    spec = importlib.util.spec_from_file_location("review_aspects_sample", LABEL_DIR / "sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_labelled(labels: Path, data: Path, split: str) -> list[dict]:
    """[{dataset, row, language, split, text, gold: {aspect: polarity}}] of the chosen split."""
    sample = _sample_module()
    rows: dict[str, list[dict]] = {}
    out = []
    with labels.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            if split != "all" and record["split"] != split:
                continue
            dataset = record["dataset"]
            if dataset not in rows:
                rows[dataset] = sample.dataset_rows(data, dataset)
            text = sample.review_text(dataset, rows[dataset][int(record["row"])])
            gold = {}
            for pair in filter(None, record["aspects"].split(";")):
                aspect, polarity = pair.split(":")
                gold[aspect] = polarity
            out.append({**record, "text": text, "gold": gold})
    return out


class Baseline:
    """Keyword presence: same aspect terms, no clauses, no negation, review-level polarity."""

    def __init__(self, language: str):
        self.language = language
        self.aspects = {a: self._matcher(t) for a, t in aspect_terms(language).items() if t}
        words = opinion_terms(language)
        self.positive = self._matcher(words["positive"])
        self.negative = self._matcher(words["negative"])

    def _matcher(self, terms: list[str]) -> re.Pattern:
        body = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
        return re.compile(rf"\b(?:{body})\b" if self.language == "en" else body)

    def predict(self, text: str) -> dict[str, str]:
        lowered = text.lower()
        found = [a for a, matcher in self.aspects.items() if matcher.search(lowered)]
        if not found:
            return {}
        positive = len(self.positive.findall(lowered))
        negative = len(self.negative.findall(lowered))
        polarity = (
            "positive" if positive > negative else "negative" if negative > positive else "neutral"
        )
        return dict.fromkeys(found, polarity)


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def score(items: list[dict], predictions: list[dict[str, str]]) -> dict:
    """Counts and F1s over `items` (each with `gold` and `language`)."""
    counts = {
        key: Counter()
        for key in [(lang, a) for lang in LANGUAGES for a in ASPECTS]
        + [("all", a) for a in ASPECTS]
    }
    pair_counts = {lang: Counter() for lang in (*LANGUAGES, "all")}
    agree = Counter()
    for item, predicted in zip(items, predictions, strict=True):
        gold = item["gold"]
        for lang in (item["language"], "all"):
            for aspect in ASPECTS:
                c = counts[(lang, aspect)]
                in_gold, in_pred = aspect in gold, aspect in predicted
                c["tp"] += in_gold and in_pred
                c["fp"] += in_pred and not in_gold
                c["fn"] += in_gold and not in_pred
                c["support"] += in_gold
                p = pair_counts[lang]
                same = in_gold and in_pred and gold[aspect] == predicted[aspect]
                p["tp"] += same
                p["fp"] += in_pred and not same
                p["fn"] += in_gold and not same
                if in_gold and in_pred:
                    agree[(lang, "n")] += 1
                    agree[(lang, "same")] += gold[aspect] == predicted[aspect]
    result: dict = {}
    for lang in (*LANGUAGES, "all"):
        tp = sum(counts[(lang, a)]["tp"] for a in ASPECTS)
        fp = sum(counts[(lang, a)]["fp"] for a in ASPECTS)
        fn = sum(counts[(lang, a)]["fn"] for a in ASPECTS)
        per_aspect = {
            a: f1(counts[(lang, a)]["tp"], counts[(lang, a)]["fp"], counts[(lang, a)]["fn"])
            for a in ASPECTS
        }
        supported = [a for a in ASPECTS if counts[(lang, a)]["support"]]
        p = pair_counts[lang]
        result[lang] = {
            "micro_f1": f1(tp, fp, fn),
            "precision": tp / (tp + fp) if tp + fp else 0.0,
            "recall": tp / (tp + fn) if tp + fn else 0.0,
            "macro_f1": sum(per_aspect[a] for a in supported) / len(supported)
            if supported
            else 0.0,
            "pair_micro_f1": f1(p["tp"], p["fp"], p["fn"]),
            "polarity_accuracy": agree[(lang, "same")] / agree[(lang, "n")]
            if agree[(lang, "n")]
            else 0.0,
            "f1": per_aspect,
            "support": {a: counts[(lang, a)]["support"] for a in ASPECTS},
            "predicted": {a: counts[(lang, a)]["tp"] + counts[(lang, a)]["fp"] for a in ASPECTS},
        }
    return result


def timed_reviews_per_s(texts: list[str], languages: list[str]) -> tuple[float, float]:
    """(wall-clock reviews/s, CPU reviews/s) of the extractor over the set, repeated."""
    extract_aspects_batch(texts[:10], languages[:10])  # load the lexicons outside the timing
    done, started, cpu_started = 0, time.perf_counter(), time.process_time()
    while True:
        extract_aspects_batch(texts, languages)
        done += len(texts)
        elapsed = time.perf_counter() - started
        if elapsed >= MIN_SECONDS:
            break
    cpu = time.process_time() - cpu_started
    return done / elapsed, done / cpu if cpu else 0.0


def run(args) -> dict:
    items = read_labelled(Path(args.labels), Path(args.data), args.split)
    if not items:
        raise SystemExit(f"no labelled reviews in split {args.split!r}")
    texts = [item["text"] for item in items]
    languages = [item["language"] for item in items]
    hits = extract_aspects_batch(texts, languages)
    predicted = [{hit.aspect: hit.polarity for hit in review} for review in hits]
    baselines = {lang: Baseline(lang) for lang in LANGUAGES}
    baseline = [baselines[item["language"]].predict(item["text"]) for item in items]
    ours, theirs = score(items, predicted), score(items, baseline)
    per_s, cpu_per_s = timed_reviews_per_s(texts, languages)
    if args.errors:
        with Path(args.errors).open("w", encoding="utf-8") as out:
            for item, guess in zip(items, predicted, strict=True):
                if guess != item["gold"]:
                    out.write(
                        json.dumps(
                            {
                                "dataset": item["dataset"],
                                "row": item["row"],
                                "gold": item["gold"],
                                "predicted": guess,
                                "text": item["text"],
                            },
                            ensure_ascii=False,
                        )
                        + "\n"
                    )
    results = {
        "micro_f1": ours["all"]["micro_f1"],
        "macro_f1": ours["all"]["macro_f1"],
        "precision": ours["all"]["precision"],
        "recall": ours["all"]["recall"],
        "pair_micro_f1": ours["all"]["pair_micro_f1"],
        "polarity_accuracy": ours["all"]["polarity_accuracy"],
        "baseline_micro_f1": theirs["all"]["micro_f1"],
        "baseline_macro_f1": theirs["all"]["macro_f1"],
        "baseline_pair_micro_f1": theirs["all"]["pair_micro_f1"],
        "baseline_polarity_accuracy": theirs["all"]["polarity_accuracy"],
        "reviews_per_s": per_s,
        "reviews_per_cpu_s": cpu_per_s,
        "reviews": len(items),
    }
    for lang in LANGUAGES:
        for key in ("micro_f1", "macro_f1", "pair_micro_f1", "polarity_accuracy"):
            results[f"{lang}_{key}"] = ours[lang][key]
            results[f"baseline_{lang}_{key}"] = theirs[lang][key]
        results[f"{lang}_reviews"] = sum(1 for item in items if item["language"] == lang)
    for aspect in ASPECTS:
        results[f"f1_{aspect}"] = ours["all"]["f1"][aspect]
        results[f"baseline_f1_{aspect}"] = theirs["all"]["f1"][aspect]
        for lang in LANGUAGES:
            if ours[lang]["support"][aspect]:
                results[f"{lang}_f1_{aspect}"] = ours[lang]["f1"][aspect]
    return {
        "results": {k: round(v, 4) if isinstance(v, float) else v for k, v in results.items()},
        "ours": ours,
        "theirs": theirs,
    }


def table(outcome: dict, split: str) -> str:
    ours, theirs, results = outcome["ours"], outcome["theirs"], outcome["results"]

    def cell(lang: str, aspect: str) -> str:
        support = ours[lang]["support"][aspect]
        if not support and not ours[lang]["predicted"][aspect]:
            return "-"
        return f"{ours[lang]['f1'][aspect]:.2f} ({support})"

    header = f"{'aspect':<14}{'zh F1 (n)':>12}{'en F1 (n)':>12}{'all F1':>9}{'baseline':>10}"
    lines = [
        f"aspect detection, {split} split: {results['reviews']} reviews "
        f"(zh {results['zh_reviews']}, en {results['en_reviews']}), "
        f"n = labelled mentions",
        header,
    ]
    for aspect in ASPECTS:
        lines.append(
            f"{aspect:<14}{cell('zh', aspect):>12}{cell('en', aspect):>12}"
            f"{ours['all']['f1'][aspect]:>9.2f}{theirs['all']['f1'][aspect]:>10.2f}"
        )
    lines.append("")
    lines.append(f"{'measure':<34}{'zh':>8}{'en':>8}{'all':>8}{'baseline':>10}")
    for label, key in (
        ("detection micro-F1", "micro_f1"),
        ("detection macro-F1", "macro_f1"),
        ("aspect+polarity micro-F1", "pair_micro_f1"),
        ("polarity accuracy (both found)", "polarity_accuracy"),
    ):
        lines.append(
            f"{label:<34}{ours['zh'][key]:>8.3f}{ours['en'][key]:>8.3f}"
            f"{ours['all'][key]:>8.3f}{theirs['all'][key]:>10.3f}"
        )
    lines.append(
        f"{'precision / recall (all)':<34}{'':>16}"
        f"{ours['all']['precision']:>5.2f}/{ours['all']['recall']:.2f}"
        f"{theirs['all']['precision']:>6.2f}/{theirs['all']['recall']:.2f}"
    )
    lines.append(
        f"reviews/s (extractor, 1 thread): {results['reviews_per_s']:,.0f} wall, "
        f"{results['reviews_per_cpu_s']:,.0f} per CPU second"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--split", choices=("test", "dev", "all"), default="test")
    parser.add_argument("--labels", default=str(DEFAULT_LABELS), help="the label CSV")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="the shared data folder")
    parser.add_argument("--json", metavar="PATH", help="write the results as one JSON object")
    parser.add_argument("--errors", metavar="PATH", help="write disagreements (JSONL)")
    args = parser.parse_args(argv)
    if not Path(args.labels).is_file():
        parser.error(f"--labels {args.labels} does not exist")
    sample = _sample_module()
    missing = [
        f"{dataset}/{filename}"
        for dataset, (filename, _) in sample.DATASETS.items()
        if not (Path(args.data) / dataset / filename).is_file()
    ]
    if missing:
        print(
            f"skipped: the review data sets are not under {args.data} "
            f"(missing {', '.join(missing)}); pass --data",
            file=sys.stderr,
        )
        return 0
    outcome = run(args)
    print(table(outcome, args.split))
    if args.json:
        target = Path(args.json)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(outcome["results"], indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    if args.errors:
        print(f"wrote {args.errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

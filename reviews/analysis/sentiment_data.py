"""Labelled review sets for the sentiment benchmark and the default model's training.

The reference sets live outside the project in `../shared/data` (README there); nothing here
copies them. Every loader returns `(texts, labels)` with labels 1 positive / 0 negative, the
`text,label` format `bench/review_sentiment.py --test/--train` reads.

Splits are fixed (stratified, seed 0, 20 % held out) so the benchmark and
`python -m reviews.analysis.train_default` agree on which rows are for evaluation: the English
default is trained on `clothing_split()[0]` only, and scored on `clothing_split()[1]`.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from reviews.analysis.sentiment import sentiment_text

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SHOPPING_CSV = "online_shopping_10_cats/online_shopping_10_cats_dev.csv"
WAIMAI_CSV = "waimai_10k/waimai_10k.csv"
CLOTHING_CSV = "womens_clothing_reviews/womens_clothing_reviews_dev.csv"
TEST_FRACTION = 0.2
SPLIT_SEED = 0

Labelled = tuple[list[str], list[int]]


class DataMissing(FileNotFoundError):
    pass


def _path(relative: str, data_dir: Path | None) -> Path:
    path = (data_dir or SHARED_DATA) / relative
    if not path.is_file():
        raise DataMissing(f"{path} not found (the reference data in ../shared/data)")
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def read_labelled_csv(path: Path | str) -> Labelled:
    """A CSV with columns `text,label` (label 1 positive, 0 negative); other columns ignored."""
    path = Path(path)
    rows = _rows(path)
    if rows and not {"text", "label"} <= set(rows[0]):
        raise ValueError(f"{path}: needs the columns text,label")
    texts: list[str] = []
    labels: list[int] = []
    for number, row in enumerate(rows, 2):
        label = (row.get("label") or "").strip()
        if label not in ("0", "1"):
            raise ValueError(f"{path}:{number}: label must be 0 or 1, not {label!r}")
        texts.append(row.get("text") or "")
        labels.append(int(label))
    return texts, labels


def write_labelled_csv(path: Path | str, texts: list[str], labels: list[int]) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows(zip(texts, labels, strict=True))


def _binary_rows(path: Path, text_column: str) -> Labelled:
    texts, labels = [], []
    for row in _rows(path):
        text = (row.get(text_column) or "").strip()
        label = (row.get("label") or "").strip()
        if text and label in ("0", "1"):
            texts.append(text)
            labels.append(int(label))
    return texts, labels


def _split(texts: list[str], labels: list[int]) -> tuple[Labelled, Labelled]:
    index = np.arange(len(labels))
    train_at, test_at = train_test_split(
        index, test_size=TEST_FRACTION, stratify=labels, random_state=SPLIT_SEED
    )
    pick = lambda at: ([texts[i] for i in at], [labels[i] for i in at])  # noqa: E731
    return pick(train_at), pick(test_at)


def shopping(data_dir: Path | None = None) -> Labelled:
    """online_shopping_10_cats (Chinese, 10 product categories): evaluation only."""
    return _binary_rows(_path(SHOPPING_CSV, data_dir), "review")


def shopping_split(data_dir: Path | None = None) -> tuple[Labelled, Labelled]:
    return _split(*shopping(data_dir))


def waimai(data_dir: Path | None = None) -> Labelled:
    """waimai_10k (Chinese food delivery): evaluation only."""
    return _binary_rows(_path(WAIMAI_CSV, data_dir), "review")


def clothing(data_dir: Path | None = None) -> Labelled:
    """Women's clothing reviews (English, CC0): ratings 4-5 positive, 1-2 negative, 3 left out;
    text = title and review text as the product joins them (`sentiment_text`)."""
    texts, labels = [], []
    for row in _rows(_path(CLOTHING_CSV, data_dir)):
        rating = (row.get("Rating") or "").strip()
        if rating not in ("1", "2", "4", "5"):
            continue
        text = sentiment_text(title=row.get("Title") or "", body=row.get("Review Text") or "")
        if text:
            texts.append(text)
            labels.append(1 if rating in ("4", "5") else 0)
    return texts, labels


def clothing_split(data_dir: Path | None = None) -> tuple[Labelled, Labelled]:
    return _split(*clothing(data_dir))

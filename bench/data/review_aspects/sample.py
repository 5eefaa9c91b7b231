"""Draw the reviews of the aspect label set from ../shared/data with a fixed seed.

    .venv/bin/python bench/data/review_aspects/sample.py [--data ../shared/data] [--check]

Without --check it prints the skeleton (dataset,row,language,split,aspects with empty aspects)
that `labels.csv` was filled in from; with --check it verifies that `labels.csv` holds exactly
the drawn rows with the drawn splits. Texts stay in ../shared/data: only row numbers are kept.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

SEED = 20240604
HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parents[2].parent / "shared" / "data"
LABELS = HERE / "labels.csv"

# dataset -> (file inside the folder, language)
DATASETS = {
    "online_shopping_10_cats": ("online_shopping_10_cats_dev.csv", "zh"),
    "waimai_10k": ("waimai_10k.csv", "zh"),
    "womens_clothing_reviews": ("womens_clothing_reviews_dev.csv", "en"),
}
SHOPPING_PER_CATEGORY = 18  # x 10 categories
WAIMAI = 40
CLOTHING = 220


def dataset_rows(data: Path, dataset: str) -> list[dict]:
    """Every data row of a dataset's CSV, in file order (row i is the i-th record)."""
    filename, _ = DATASETS[dataset]
    with (data / dataset / filename).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def review_text(dataset: str, record: dict) -> str:
    """The text a label refers to (title + newline + body for the clothing reviews)."""
    if dataset == "womens_clothing_reviews":
        title = (record.get("Title") or "").strip()
        body = (record.get("Review Text") or "").strip()
        return f"{title}\n{body}" if title and body else body
    return (record.get("review") or "").strip()


def draw(data: Path) -> list[tuple[str, int, str, str]]:
    """(dataset, row, language, split) for every sampled review."""
    rng = random.Random(SEED)
    picked: list[tuple[str, int]] = []

    shopping = dataset_rows(data, "online_shopping_10_cats")
    by_category: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(shopping):
        if review_text("online_shopping_10_cats", record):
            by_category[record["cat"]].append(index)
    for category in sorted(by_category):
        rows = rng.sample(by_category[category], SHOPPING_PER_CATEGORY)
        picked += [("online_shopping_10_cats", row) for row in sorted(rows)]

    for dataset, count in (("waimai_10k", WAIMAI), ("womens_clothing_reviews", CLOTHING)):
        records = dataset_rows(data, dataset)
        candidates = [i for i, r in enumerate(records) if review_text(dataset, r)]
        picked += [(dataset, row) for row in sorted(rng.sample(candidates, count))]

    # Half dev, half test within each dataset (and each shopping category).
    out = []
    groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for dataset, row in picked:
        key = dataset
        if dataset == "online_shopping_10_cats":
            key += ":" + shopping[row]["cat"]
        groups[key].append((dataset, row))
    for key in sorted(groups):
        members = groups[key][:]
        rng.shuffle(members)
        half = len(members) // 2
        for position, (dataset, row) in enumerate(members):
            split = "dev" if position < half else "test"
            out.append((dataset, row, DATASETS[dataset][1], split))
    out.sort(key=lambda item: (item[0], item[1]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="the shared data folder")
    parser.add_argument("--check", action="store_true", help="verify labels.csv against the draw")
    args = parser.parse_args(argv)
    data = Path(args.data)
    if not all((data / d / f).is_file() for d, (f, _) in DATASETS.items()):
        print(f"skipped: the review data sets are not under {data}", file=sys.stderr)
        return 0
    drawn = draw(data)
    if args.check:
        with LABELS.open(encoding="utf-8", newline="") as handle:
            labelled = [
                (r["dataset"], int(r["row"]), r["language"], r["split"])
                for r in csv.DictReader(handle)
            ]
        if sorted(labelled) != sorted(drawn):
            print("labels.csv does not hold exactly the drawn rows", file=sys.stderr)
            return 1
        print(f"labels.csv holds the {len(drawn)} drawn rows")
        return 0
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["dataset", "row", "language", "split", "aspects"])
    for dataset, row, language, split in drawn:
        writer.writerow([dataset, row, language, split, ""])
    return 0


if __name__ == "__main__":
    sys.exit(main())

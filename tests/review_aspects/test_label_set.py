"""The labelled aspect set: its format, its size, and that it refers to the shared data."""

import csv
import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from reviews.analysis.aspects import ASPECTS, POLARITIES

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "bench" / "data" / "review_aspects" / "labels.csv"
GUIDELINES = ROOT / "bench" / "data" / "review_aspects" / "GUIDELINES.md"
DATA = ROOT.parent / "shared" / "data"


def rows():
    with LABELS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_label_file_has_at_least_400_reviews_in_both_languages_split_in_half():
    labelled = rows()
    assert len(labelled) >= 400
    assert list(labelled[0]) == ["dataset", "row", "language", "split", "aspects"]
    languages = Counter(r["language"] for r in labelled)
    assert languages["zh"] >= 200 and languages["en"] >= 200
    splits = Counter(r["split"] for r in labelled)
    assert set(splits) == {"dev", "test"} and splits["dev"] == splits["test"]
    assert len({(r["dataset"], r["row"]) for r in labelled}) == len(labelled)


def test_every_label_names_a_known_aspect_and_polarity_once():
    for record in rows():
        assert record["dataset"] in {
            "online_shopping_10_cats",
            "waimai_10k",
            "womens_clothing_reviews",
        }
        assert int(record["row"]) >= 0
        pairs = [p for p in record["aspects"].split(";") if p]
        aspects = [p.split(":")[0] for p in pairs]
        assert len(aspects) == len(set(aspects)), record
        for pair in pairs:
            aspect, polarity = pair.split(":")
            assert aspect in ASPECTS and polarity in POLARITIES, record


def test_the_guidelines_document_every_aspect():
    text = GUIDELINES.read_text(encoding="utf-8")
    for aspect in ASPECTS:
        assert f"### `{aspect}`" in text


def test_the_label_file_holds_exactly_the_rows_drawn_from_the_shared_data():
    sample = load("review_aspects_sample", LABELS.parent / "sample.py")
    if not all((DATA / d / f).is_file() for d, (f, _) in sample.DATASETS.items()):
        pytest.skip(f"the review data sets are not under {DATA}")
    assert sample.main(["--data", str(DATA), "--check"]) == 0
    texts = {d: sample.dataset_rows(DATA, d) for d in sample.DATASETS}
    for record in rows():
        assert sample.review_text(record["dataset"], texts[record["dataset"]][int(record["row"])])


def test_the_bench_scores_detection_and_polarity():
    bench = load("bench_review_aspects", ROOT / "bench" / "review_aspects.py")
    items = [
        {"language": "en", "gold": {"quality": "negative", "size_fit": "positive"}},
        {"language": "zh", "gold": {"shipping": "negative"}},
    ]
    predicted = [{"quality": "positive", "size_fit": "positive"}, {"price_value": "negative"}]
    result = bench.score(items, predicted)
    assert result["en"]["micro_f1"] == 1.0
    assert result["zh"]["micro_f1"] == 0.0
    assert result["all"]["micro_f1"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))
    assert result["all"]["polarity_accuracy"] == 0.5
    assert result["all"]["pair_micro_f1"] == pytest.approx(2 * 1 / (2 * 1 + 2 + 2))

import json

from reviews.analysis.sentiment_data import write_labelled_csv
from tests.benches import bench_module


def _bench():
    return bench_module("review_sentiment.py")


def _csv(path, n, seed):
    texts = [f"{'great lovely' if i % 3 else 'awful broken'} item {i + seed}" for i in range(n)]
    write_labelled_csv(path, texts, [1 if i % 3 else 0 for i in range(n)])
    return path


def test_bench_trains_and_scores_from_csv_files_and_writes_flat_json(tmp_path, capsys):
    train = _csv(tmp_path / "train.csv", 90, 0)
    test = _csv(tmp_path / "test.csv", 30, 1000)
    out = tmp_path / "result.json"
    code = _bench().main(
        ["--train", str(train), "--test", str(test), "--lang", "en", "--json", str(out)]
    )
    assert code == 0
    values = json.loads(out.read_text())
    for key in ("accuracy", "macro_f1", "baseline_accuracy", "baseline_macro_f1", "reviews_per_s"):
        assert isinstance(values[key], float)
    assert values["accuracy"] == 1.0
    assert "trained" in capsys.readouterr().out


def test_bench_scores_the_default_without_training(tmp_path):
    test = _csv(tmp_path / "test.csv", 30, 0)
    out = tmp_path / "result.json"
    assert _bench().main(["--test", str(test), "--lang", "en", "--json", str(out)]) == 0
    assert json.loads(out.read_text())["accuracy"] >= 0.9

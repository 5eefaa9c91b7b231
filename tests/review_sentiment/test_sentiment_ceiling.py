"""The glue of bench/sentiment_ceiling.py on synthetic numbers: no encoder is loaded."""

import numpy as np
import pytest

from tests.benches import bench_module


@pytest.fixture(scope="module")
def ceiling():
    try:
        return bench_module("sentiment_ceiling.py")
    except ImportError as error:  # pragma: no cover - a trimmed environment
        pytest.skip(f"sentiment_ceiling needs {error.name}")


def _separable(n, seed, noise=1.0):
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    features = rng.normal(size=(n, 5))
    features[:, 0] += np.where(labels == 1, 1.5, -1.5) * noise
    return features, labels


def test_stratified_subset_keeps_the_label_mix_and_the_original_order(ceiling):
    texts = [f"review {i}" for i in range(100)]
    labels = [1 if i < 80 else 0 for i in range(100)]
    sub_texts, sub_labels = ceiling.stratified_subset((texts, labels), 20, seed=3)
    assert len(sub_labels) == 20 and sum(sub_labels) == 16
    assert sub_texts == sorted(sub_texts, key=lambda text: int(text.split()[1]))
    assert ceiling.stratified_subset((texts, labels), 20, 3) == (sub_texts, sub_labels)
    assert ceiling.stratified_subset((texts, labels), None, 3) == (texts, labels)


def test_out_of_fold_scores_each_row_with_a_model_that_never_saw_it(ceiling):
    labels = np.arange(50) % 2
    seen_by: dict[int, set] = {}

    def fit_predict(train_at, predict_at):
        for row in predict_at:
            seen_by[int(row)] = set(train_at.tolist())
        return predict_at.astype(float)

    scores = ceiling.out_of_fold(fit_predict, labels, seed=0)
    assert np.array_equal(scores, np.arange(50))
    assert all(row not in trained_on for row, trained_on in seen_by.items())
    assert len(seen_by) == 50


def test_choose_c_takes_the_smallest_c_among_equally_good_ones(ceiling):
    # Cleanly separable: every C is perfect, so the tie goes to the strongest regularisation.
    clean, clean_labels = _separable(200, seed=1, noise=5.0)
    assert ceiling.choose_c(clean, clean_labels, seed=0, grid=(0.01, 0.1, 1.0)) == 0.01


def test_probe_fit_learns_and_reports_out_of_fold_logits(ceiling):
    features, labels = _separable(300, seed=2)
    fitted = ceiling.probe_fit(features, labels, seed=0)
    assert fitted.c in ceiling.C_GRID
    assert fitted.train_logits.shape == (300,)
    assert np.mean((fitted.train_logits >= 0) == labels) > 0.85
    test, test_labels = _separable(200, seed=9)
    accuracy, macro_f1 = ceiling.scored(test_labels, fitted.logits(test))
    assert accuracy > 0.85 and macro_f1 > 0.85


def test_blend_weights_the_informative_logit_over_the_useless_one(ceiling):
    rng = np.random.default_rng(4)
    labels = np.arange(4000) % 2
    useful = np.where(labels == 1, 1.0, -1.0) + rng.normal(size=4000)  # best weight: 2
    useless = rng.normal(size=4000)
    blend = ceiling.blend_fit(np.column_stack([useless, useful]), labels)
    weight_useless, weight_useful = blend.coef_.ravel()
    assert 1.5 < weight_useful < 2.5 and abs(weight_useless) < 0.2


def test_with_logit_puts_the_logit_first(ceiling):
    stacked = ceiling.with_logit(np.array([0.5, -1.0]), np.ones((2, 3), dtype=np.float32))
    assert stacked.shape == (2, 4)
    assert stacked[:, 0].tolist() == [0.5, -1.0]


def test_mean_pool_ignores_padding_and_optionally_the_first_token(ceiling):
    torch = pytest.importorskip("torch")
    hidden = torch.tensor([[[100.0, 0.0], [1.0, 2.0], [3.0, 4.0], [float("nan"), 0.0]]])
    mask = torch.tensor([[1, 1, 1, 0]])
    pooled = ceiling.mean_pool(hidden, mask, skip_first_token=True, normalise=False)
    assert pooled.tolist() == [[2.0, 3.0]]
    with_first = ceiling.mean_pool(hidden, mask, skip_first_token=False, normalise=False)
    assert np.allclose(with_first, [[104 / 3, 2.0]])
    unit = ceiling.mean_pool(hidden, mask, skip_first_token=True, normalise=True)
    assert np.isclose(np.linalg.norm(unit), 1.0)

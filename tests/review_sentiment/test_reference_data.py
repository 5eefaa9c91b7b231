"""Checks that need ../shared/data (skipped in a fresh clone without it)."""

import numpy as np
import pytest

from reviews.analysis import sentiment_data
from reviews.analysis.sentiment import default_model
from reviews.analysis.sentiment_model import text_fingerprints

needs_data = pytest.mark.skipif(
    not (sentiment_data.SHARED_DATA / sentiment_data.CLOTHING_CSV).is_file(),
    reason="the reference data in ../shared/data is not present",
)


@needs_data
def test_english_default_was_trained_on_the_training_part_of_the_clothing_split_only():
    (train_texts, _), _ = sentiment_data.clothing_split()
    trained = default_model("en").fingerprints
    assert set(trained.tolist()) == set(text_fingerprints(train_texts).tolist())


@needs_data
def test_chinese_default_never_saw_a_review_of_the_chinese_evaluation_sets():
    texts = sentiment_data.shopping()[0] + sentiment_data.waimai()[0]
    assert not np.isin(text_fingerprints(texts), default_model("zh").fingerprints).any()

import numpy as np
import pytest

from reviews.analysis.sentiment import (
    SENTIMENT_VERSION,
    SentimentScorer,
    default_model,
    default_scorer,
    label_for,
    sentiment_text,
)
from reviews.analysis.sentiment_lexicon import chinese_lexicon_score, english_lexicon_score

from .sanity_sentences import CHINESE, ENGLISH


def _accuracy(scorer, pairs):
    p = scorer.predict_proba([text for text, _ in pairs])
    return float(np.mean((p >= 0.5) == np.array([label for _, label in pairs], dtype=bool)))


def test_default_scorer_is_a_cached_scorer_named_default():
    for language in ("zh", "en"):
        scorer = default_scorer(language)
        assert isinstance(scorer, SentimentScorer)
        assert scorer.name == "default"
        assert default_scorer(language) is scorer


def test_default_scorer_refuses_other_languages():
    with pytest.raises(ValueError):
        default_scorer("other")


@pytest.mark.parametrize(
    ("language", "positive", "negative"),
    [
        ("en", "Great quality, I love it.", "Terrible quality, it broke in a day."),
        ("en", "Not bad at all, works fine.", "It does not work and is not worth the money."),
        ("zh", "质量很好，非常满意。", "质量很差，非常失望。"),
        ("zh", "没有任何问题，很好用。", "不好用，不推荐。"),
        ("zh", "东西不错，物流很快。", "不是很好，别买。"),
    ],
)
def test_default_scorer_reads_obvious_reviews_and_negation(language, positive, negative):
    p_positive, p_negative = default_scorer(language).predict_proba([positive, negative])
    assert p_positive > 0.5 > p_negative
    assert label_for(p_negative) == "negative"


def test_default_scorer_reads_most_short_sentences_of_the_sanity_set():
    # A sanity check on sentences written for this test, not a measure of accuracy.
    assert _accuracy(default_scorer("en"), ENGLISH) >= 0.85
    assert _accuracy(default_scorer("zh"), CHINESE) >= 0.85


def test_default_scorer_returns_probabilities_for_empty_and_odd_input():
    p = default_scorer("en").predict_proba(["", "!!!", "a" * 5000])
    assert p.shape == (3,)
    assert ((p >= 0) & (p <= 1)).all()
    assert default_scorer("zh").predict_proba([]).shape == (0,)


def test_shipped_defaults_record_their_version_and_source():
    for language in ("zh", "en"):
        info = default_model(language).info
        assert info["sentiment_version"] == SENTIMENT_VERSION
        assert info["trained_on"]
        assert 0 <= info["lexicon_blend"]["lexicon_weight"] <= 3
        assert default_model(language).fingerprints is not None


def test_lexicon_scores_flip_under_negation():
    assert english_lexicon_score("good") > 0 > english_lexicon_score("not good")
    assert english_lexicon_score("It stopped working") < 0
    assert chinese_lexicon_score("很好") > 0 > chinese_lexicon_score("不是很好")
    assert chinese_lexicon_score("没有问题") > 0


def test_sentiment_text_joins_title_and_body():
    assert sentiment_text(title="Love it", body="Fits well.") == "Love it. Fits well."
    assert sentiment_text(title="Love it!", body="Fits well.") == "Love it! Fits well."
    assert sentiment_text(title="", body=" 很好 ") == "很好"

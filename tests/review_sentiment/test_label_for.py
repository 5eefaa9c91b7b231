import math

import pytest

from reviews.analysis.sentiment import NEGATIVE_BELOW, POSITIVE_FROM, label_for


@pytest.mark.parametrize(
    ("p", "label"),
    [
        (0.0, "negative"),
        (0.39, "negative"),
        (0.4, "neutral"),
        (0.5, "neutral"),
        (0.599, "neutral"),
        (0.6, "positive"),
        (1.0, "positive"),
    ],
)
def test_label_for_cuts_at_documented_thresholds(p, label):
    assert (NEGATIVE_BELOW, POSITIVE_FROM) == (0.4, 0.6)
    assert label_for(p) == label


def test_label_for_refuses_a_missing_probability():
    with pytest.raises(ValueError):
        label_for(math.nan)

"""Highlights and diffs are plain segments the templates escape."""

from products.content.text import diff_segments, diff_stats, highlight_segments


def test_claims_cut_the_text_into_marked_segments():
    text = "A steel bottle, 2 litres."
    claims = [
        {"start": 2, "end": 7, "supported": True, "evidence": "material", "kind": "material"},
        {"start": 16, "end": 24, "supported": False, "evidence": "", "kind": "quantity"},
    ]
    segments = highlight_segments(text, claims)
    assert [(s.text, s.supported) for s in segments] == [
        ("A ", None),
        ("steel", True),
        (" bottle, ", None),
        ("2 litres", False),
        (".", None),
    ]
    assert "".join(s.text for s in segments) == text


def test_overlapping_or_out_of_range_claims_are_skipped():
    text = "abcdef"
    claims = [
        {"start": 0, "end": 3, "supported": True},
        {"start": 2, "end": 4, "supported": False},
        {"start": 4, "end": 99, "supported": False},
    ]
    assert [(s.text, s.supported) for s in highlight_segments(text, claims)] == [
        ("abc", True),
        ("def", None),
    ]


def test_a_word_diff_marks_what_changed():
    segments = diff_segments("The red cup holds 1 l.", "The blue cup holds 1 l.")
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "The "),
        ("delete", "red"),
        ("insert", "blue"),
        ("equal", " cup holds 1 l."),
    ]
    assert diff_stats(segments) == {"added": 1, "removed": 1}


def test_a_rewritten_sentence_reads_old_then_new():
    segments = diff_segments("Our classic bottle.", "A steel bottle for you.")
    assert [(s.op, s.text) for s in segments][:2] == [
        ("delete", "Our classic bottle."),
        ("insert", "A steel bottle for you."),
    ]


def test_chinese_is_compared_character_by_character():
    segments = diff_segments("不锈钢杯", "不锈钢保温杯")
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "不锈钢"),
        ("insert", "保温"),
        ("equal", "杯"),
    ]

"""The citation checker keeps statements tied to the reviews they cite and drops the rest."""

import pytest

from reviews.llm.citations import EvidenceReview, statement_tone, statements_check, statements_parse
from reviews.llm.text import review_clean


def ev(label, review_id, text, polarity="negative", aspects=()):
    return EvidenceReview(label, review_id, review_clean("", text).text, polarity, aspects)


@pytest.fixture
def evidence():
    return [
        ev("R1", 101, "The lid leaks water into my bag after a week."),
        ev("R2", 102, "Delivery was two weeks late and the box was crushed."),
        ev("R3", 103, "Keeps water cold all day long, love it.", "positive"),
        ev("R4", 104, "Sturdy steel bottle, survived a drop on concrete.", "positive"),
    ]


def check(output, evidence, language="en"):
    return statements_check(output, evidence=evidence, language=language)


def test_a_statement_sharing_its_words_with_the_cited_review_is_kept_with_its_ids(evidence):
    result = check(
        "- The lid leaks water into bags [R1]\n- Keeps water cold all day [R3]", evidence
    )

    assert [(s.text, s.review_ids, s.polarity) for s in result.kept] == [
        ("The lid leaks water into bags.", [101], "negative"),
        ("Keeps water cold all day.", [103], "positive"),
    ]
    assert result.dropped == []


def test_several_citation_styles_are_understood(evidence):
    output = (
        "1. Some lids leak water [R1, R2]\n"
        "2) Bottles keep water cold all day (R3)\n"
        "* The steel bottle survived a drop 【R4】"
    )
    result = check(output, evidence)

    # R2 shares no word with "lids leak water": the citation is removed, the statement kept.
    assert [s.review_ids for s in result.kept] == [[101], [103], [104]]


def test_a_statement_citing_a_review_that_was_not_shown_is_dropped(evidence):
    result = check("- The lid leaks water [R1][R9]", evidence)

    assert result.kept == []
    assert result.dropped[0].reason.startswith("cites reviews that were not shown: R9")


def test_a_statement_without_citation_is_dropped_and_counted(evidence):
    result = check("- The lid leaks water.\n- Keeps water cold all day [R3]", evidence)

    assert [s.review_ids for s in result.kept] == [[103]]
    assert [(d.text, d.reason) for d in result.dropped] == [
        ("The lid leaks water.", "cites no review")
    ]


def test_a_statement_whose_words_are_not_in_the_cited_review_is_dropped(evidence):
    result = check("- The battery dies quickly and the screen flickers [R1]", evidence)

    assert result.kept == []
    assert result.dropped[0].reason == "shares no words with the reviews it cites"


def test_one_shared_word_does_not_carry_an_invented_statement(evidence):
    # "water" is in R1; "tastes metallic, smells of plastic" is invented.
    result = check("- The water tastes metallic and smells of plastic [R1]", evidence)

    assert result.kept == []
    assert "too little in common" in result.dropped[0].reason


def test_a_number_the_cited_reviews_do_not_state_is_dropped(evidence):
    result = check("- The lid leaks water after 3 days [R1]", evidence)

    assert result.kept == []
    assert result.dropped[0].reason == "states a number the cited reviews do not: 3"


def test_praise_citing_only_complaints_is_dropped(evidence):
    result = check("- Customers love the lid, no water leaks [R1]", evidence)

    assert result.kept == []


def test_statement_contradicting_its_reviews_tone_is_dropped():
    evidence = [ev("R1", 1, "The lid is great and keeps water in.", "negative")]
    result = check("- The lid is great [R1]", evidence)

    assert [d.reason for d in result.dropped] == ["contradicts the reviews it cites"]


def test_a_statement_with_a_link_is_dropped_even_if_cited(evidence):
    result = check("- The lid leaks water, see http://evil.example/deal [R1]", evidence)

    assert result.kept == [] and result.dropped[0].reason == "contains a link"


def test_repeated_statements_are_dropped(evidence):
    result = check("- The lid leaks water [R1]\n- The lid leaks water! [R1]", evidence)

    assert len(result.kept) == 1 and result.dropped[0].reason == "repeats an earlier statement"


def test_uncited_sentences_before_a_cited_one_are_dropped_separately(evidence):
    result = check("Overall opinions differ widely. The lid leaks water [R1].", evidence)

    assert [s.text for s in result.kept] == ["The lid leaks water."]
    assert [d.text for d in result.dropped] == ["Overall opinions differ widely."]


def test_headings_are_not_statements(evidence):
    result = check("Summary:\n- The lid leaks water [R1]", evidence)

    assert len(result.kept) == 1 and result.dropped == []


def test_a_chinese_statement_needs_shared_bigrams():
    evidence = [
        ev("R1", 1, "电池只能用两小时，续航太短了。"),
        ev("R2", 2, "物流很快，包装完好。", "positive"),
        ev("R3", 3, "充电很慢，要充一整晚。"),
    ]
    output = "- 很多顾客表示电池续航短 [R1]\n- 物流快，包装完好 [R2]\n- 屏幕很亮，颜色鲜艳 [R3]"
    result = check(output, evidence, language="zh")

    assert [(s.text, s.review_ids) for s in result.kept] == [
        ("很多顾客表示电池续航短。", [1]),
        ("物流快，包装完好。", [2]),
    ]
    assert [d.text for d in result.dropped] == ["屏幕很亮，颜色鲜艳"]


def test_an_english_statement_in_a_chinese_summary_is_dropped():
    evidence = [ev("R1", 1, "电池只能用两小时，续航太短了。")]
    result = check("- The battery lasts two hours [R1]", evidence, language="zh")

    assert result.kept == [] and result.dropped[0].reason == "not in the summary's language"


def test_parsing_attaches_citations_to_the_sentence_before_them():
    parsed = statements_parse("Intro text here. The lid leaks [R1][R2]. Trailing words only.")

    assert [(p.text, p.labels) for p in parsed] == [
        ("Intro text here.", []),
        ("The lid leaks", ["R1", "R2"]),
        ("Trailing words only.", []),
    ]


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("Customers love it", 1),
        ("The lid is not good", -1),
        ("The lid leaks", -1),
        ("质量不错", 1),
        ("质量很差", -1),
        ("Battery lasts long", 0),
    ],
)
def test_statement_tone(text, tone):
    assert statement_tone(text) == tone


def test_a_line_led_by_its_citation_is_attributed_to_it(evidence):
    # What a small model does when it copies the prompt's review lines.
    output = (
        "[R1] (1★, negative) The lid leaks water into my bag after a week.\n"
        "[R3] (5★, positive) Keeps water cold all day long, love it."
    )
    result = check(output, evidence)

    assert [(s.text, s.review_ids) for s in result.kept] == [
        ("The lid leaks water into my bag after a week.", [101]),
        ("Keeps water cold all day long, love it.", [103]),
    ]

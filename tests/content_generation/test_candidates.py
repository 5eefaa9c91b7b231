"""Checking a draft, the grounded post-edit and the JSON form of a candidate."""

from products.content.generation import Candidate, candidate_check
from products.content.generation.candidates import candidate_from_output, has_repetition
from products.content.kinds import ContentKind


def test_checking_a_human_edit_changes_nothing_and_reports_each_claim(bottle):
    text = "A 0.75 L stainless steel bottle, FDA approved, with a 2-year warranty."

    candidate = candidate_check(text=text, facts=bottle, kind="description", language="en")

    assert candidate.text == text
    assert candidate.unsupported_count == 1
    [fda] = candidate.unsupported_claims
    assert text[fda.start : fda.end] == "FDA"
    assert {"capacity", "material", "warranty"} <= set(candidate.covered_attributes)
    assert "certifications" in candidate.missing_attributes


def test_coverage_counts_key_attributes_mentioned_in_any_unit(bottle):
    candidate = candidate_check(
        text="It holds 0.75 L and is made of 18/8 stainless steel.",
        facts=bottle,
        kind="description",
        language="en",
    )

    assert set(candidate.covered_attributes) >= {"capacity", "material"}
    assert 0 < candidate.coverage < 1
    assert set(candidate.covered_attributes) | set(candidate.missing_attributes) == set(
        bottle.key_attributes
    )


def test_the_post_edit_drops_sentences_with_unsupported_claims_and_appends_missing_facts(bottle):
    raw = (
        "Description: This 750 ml bottle is made of stainless steel. "
        "It is the lightest bottle ever made. It weighs 300 g."
    )

    candidate = candidate_from_output(raw, facts=bottle, kind="description", language="en")

    assert candidate.text.startswith("This 750 ml bottle is made of stainless steel.")
    assert "lightest" not in candidate.text and "300 g" not in candidate.text
    assert "Key facts:" in candidate.text
    assert "Warranty: 2 years" in candidate.text
    assert candidate.unsupported_count == 0
    assert candidate.coverage == 1.0
    assert candidate.raw_text == raw
    assert any(edit.startswith("dropped unsupported (lightest)") for edit in candidate.edits)


def test_the_post_edit_drops_a_sentence_cut_off_by_the_token_limit(bottle):
    raw = "A 750 ml bottle in stainless steel. It keeps your drinks"

    candidate = candidate_from_output(
        raw, facts=bottle, kind="description", language="en", truncated=True
    )

    assert "keeps your drinks" not in candidate.text


def test_the_post_edit_drops_sentences_in_the_other_language(cup_zh):
    raw = "这款保温杯容量500毫升。This cup is great. 采用316不锈钢。"

    candidate = candidate_from_output(raw, facts=cup_zh, kind="description", language="zh-hans")

    assert "This cup" not in candidate.text
    assert candidate.text.startswith("这款保温杯容量500毫升。采用316不锈钢。")
    assert candidate.unsupported_count == 0


def test_a_title_is_one_line_within_its_limit(bottle):
    candidate = candidate_from_output(
        "Title: Trail Bottle 750 ml Stainless Steel\nMore text",
        facts=bottle,
        kind=ContentKind.TITLE,
        language="en",
    )

    assert "\n" not in candidate.text
    assert len(candidate.text) <= 120
    assert candidate.text.startswith("Trail Bottle 750 ml Stainless Steel")


def test_ad_copy_respects_the_channel_limit(bottle):
    candidate = candidate_from_output(
        "Trail Bottle: 750 ml of cold water, stainless steel, for every single hike you take.",
        facts=bottle,
        kind=ContentKind.AD_COPY,
        language="en",
        channel="google_headline",
    )

    assert len(candidate.text) <= 30


def test_bullets_keep_one_claim_checked_line_each(bottle):
    raw = "- Holds 750 ml\n- Best-selling bottle in the USA\n- 18/8 stainless steel"

    candidate = candidate_from_output(raw, facts=bottle, kind=ContentKind.BULLETS, language="en")

    lines = candidate.text.split("\n")
    assert lines[:2] == ["- Holds 750 ml", "- 18/8 stainless steel"]
    assert all(line.startswith("- ") for line in lines)
    assert candidate.unsupported_count == 0


def test_repeated_phrases_are_detected():
    assert has_repetition("It keeps drinks cold all day. It keeps drinks cold all night.")
    assert has_repetition("保温效果非常好，真的保温效果非常好，")
    assert not has_repetition("A steel bottle for long hikes and short walks.")


def test_a_candidate_round_trips_through_json(bottle):
    candidate = candidate_from_output(
        "A 750 ml bottle. FDA approved.",
        facts=bottle,
        kind="description",
        language="en",
        prompt_version="description-en-v1",
        model="m",
        generation_log_id=7,
    )

    data = candidate.as_json()

    assert Candidate.from_json(data) == candidate
    assert data["generation_log_id"] == 7 and data["prompt_version"] == "description-en-v1"


def test_a_grounded_candidate_scores_above_an_ungrounded_one(bottle):
    grounded = candidate_check(
        text="A 750 ml bottle of 18/8 stainless steel with a 2-year warranty, BPA-free.",
        facts=bottle,
        kind="description",
        language="en",
    )
    ungrounded = candidate_check(
        text="The #1 bottle: 1 L of titanium with a 10-year warranty, FDA approved, free gift!",
        facts=bottle,
        kind="description",
        language="en",
    )

    assert grounded.unsupported_count == 0 and ungrounded.unsupported_count >= 5
    assert grounded.score > ungrounded.score

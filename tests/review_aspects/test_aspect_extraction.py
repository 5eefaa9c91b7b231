"""The aspect extractor: taxonomy in both languages, polarity with negation, spans."""

import pytest

from reviews.analysis.aspects import (
    ASPECTS,
    ASPECTS_VERSION,
    MAX_SPAN_CHARS,
    AspectHit,
    aspect_terms,
    extract_aspects,
    extract_aspects_batch,
    opinion_terms,
)


def found(text, language):
    return {hit.aspect: hit.polarity for hit in extract_aspects(text, language)}


@pytest.mark.parametrize(
    ("text", "aspect", "polarity"),
    [
        ("质量很差", "quality", "negative"),
        ("尺码偏小，建议买大一号", "size_fit", "negative"),
        ("物流很快", "shipping", "positive"),
        ("包装很精美", "packaging", "positive"),
        ("价格便宜", "price_value", "positive"),
        ("客服态度很差", "service", "negative"),
        ("电池续航很好", "function", "positive"),
        ("颜色很好看", "appearance", "positive"),
        ("是正品，放心", "authenticity", "positive"),
    ],
)
def test_every_aspect_is_found_in_chinese(text, aspect, polarity):
    assert found(text, "zh").get(aspect) == polarity


@pytest.mark.parametrize(
    ("text", "aspect", "polarity"),
    [
        ("The fabric is poor quality.", "quality", "negative"),
        ("It runs small.", "size_fit", "negative"),
        ("Fast shipping!", "shipping", "positive"),
        ("The packaging was damaged.", "packaging", "negative"),
        ("Way too expensive.", "price_value", "negative"),
        ("Customer service was very helpful.", "service", "positive"),
        ("So comfortable.", "function", "positive"),
        ("The color is gorgeous.", "appearance", "positive"),
        ("This is a fake.", "authenticity", "negative"),
    ],
)
def test_every_aspect_is_found_in_english(text, aspect, polarity):
    assert found(text, "en").get(aspect) == polarity


def test_every_aspect_has_terms_in_both_languages():
    for language in ("zh", "en"):
        terms = aspect_terms(language)
        assert set(terms) == set(ASPECTS)
        assert all(terms[aspect] for aspect in ASPECTS), language
        assert all(opinion_terms(language)[name] for name in ("positive", "negative"))
    assert ASPECTS_VERSION


@pytest.mark.parametrize(
    ("plain", "negated", "language", "aspect"),
    [
        ("质量好", "质量不好", "zh", "quality"),
        ("价格太贵", "价格不贵", "zh", "price_value"),
        ("颜色好看", "颜色一点也不好看", "zh", "appearance"),
        ("用起来很方便", "用起来不太方便", "zh", "function"),
        ("物流很快", "物流没有那么快", "zh", "shipping"),
        ("It is comfortable.", "It is not comfortable.", "en", "function"),
        ("The fabric is soft.", "The fabric is not very soft.", "en", "quality"),
        ("It fits well.", "It doesn't fit well.", "en", "size_fit"),
        ("The sleeves are too tight.", "The sleeves are not too tight.", "en", "size_fit"),
        ("The pattern is flattering.", "The pattern is never flattering.", "en", "appearance"),
    ],
)
def test_negation_flips_polarity(plain, negated, language, aspect):
    before, after = found(plain, language).get(aspect), found(negated, language).get(aspect)
    assert {before, after} == {"positive", "negative"}, (before, after)


def test_spans_point_at_the_clause_that_carries_the_aspect():
    text = "Love the color, but it runs small."
    hits = extract_aspects(text, "en")
    by_aspect = {hit.aspect: hit for hit in hits}
    assert by_aspect["size_fit"].text == "it runs small"
    assert by_aspect["appearance"].text == "Love the color"
    for hit in hits:
        assert text[hit.start : hit.end] == hit.text


def test_spans_are_offsets_into_a_title_and_body():
    text = "Great quality\n物流太慢了"
    for language in ("zh", "en"):
        for hit in extract_aspects(text, language):
            assert text[hit.start : hit.end] == hit.text
    hit = next(h for h in extract_aspects(text, "zh") if h.aspect == "shipping")
    assert hit.polarity == "negative" and hit.text == "物流太慢了"


def test_several_aspects_in_one_review_come_back_ordered_by_position():
    hits = extract_aspects("物流很快，质量不错，但是价格有点贵", "zh")
    assert [(h.aspect, h.polarity) for h in hits] == [
        ("shipping", "positive"),
        ("quality", "positive"),
        ("price_value", "negative"),
    ]
    assert [h.start for h in hits] == sorted(h.start for h in hits)


def test_one_hit_per_aspect_and_a_complaint_wins_over_praise():
    hits = extract_aspects("Fits great in the waist. The arms are too tight though.", "en")
    assert [(h.aspect, h.polarity) for h in hits] == [("size_fit", "negative")]
    assert hits[0].text == "The arms are too tight"


def test_sizing_advice_is_a_complaint_unless_the_fit_is_praised():
    assert found("Size down, it runs big.", "en") == {"size_fit": "negative"}
    assert found("I sized down and it fits perfectly.", "en") == {"size_fit": "positive"}


def test_bare_mentions_are_not_aspects():
    assert extract_aspects("I ordered a size medium in blue.", "en") == []
    assert extract_aspects("我买的是黑色的", "zh") == []


@pytest.mark.parametrize(
    "text", ["", "   ", "\n\n", "😀😀😀", "!!!???", "asdf qwer zxcv", "1234 5678", "。。。，，"]
)
@pytest.mark.parametrize("language", ["zh", "en", "other"])
def test_empty_and_garbage_text_has_no_aspects(text, language):
    assert extract_aspects(text, language) == []


def test_emoji_do_not_shift_offsets():
    text = "😍😍 质量很好👍 物流太慢😡"
    hits = extract_aspects(text, "zh")
    assert {(h.aspect, h.polarity) for h in hits} == {
        ("quality", "positive"),
        ("shipping", "negative"),
    }
    for hit in hits:
        assert text[hit.start : hit.end] == hit.text


def test_other_languages_get_no_aspects():
    assert extract_aspects("Die Qualität ist sehr gut", "other") == []
    assert extract_aspects("The quality is great", "de") == []


def test_long_clauses_are_cut_to_the_span_limit():
    text = "the quality is great " + "and it goes on " * 60 + "and on"
    (hit,) = extract_aspects(text, "en")
    assert hit.aspect == "quality"
    assert len(hit.text) <= MAX_SPAN_CHARS
    assert text[hit.start : hit.end] == hit.text
    assert "quality" in hit.text


def test_batch_matches_single_calls_and_checks_lengths():
    texts = ["质量很差", "Fast shipping!", "", "Die Qualität"]
    languages = ["zh", "en", "en", "other"]
    assert extract_aspects_batch(texts, languages) == [
        extract_aspects(t, lang) for t, lang in zip(texts, languages, strict=True)
    ]
    with pytest.raises(ValueError):
        extract_aspects_batch(["a", "b"], ["en"])


def test_a_clause_scorer_decides_mentions_without_opinion_words_in_one_call():
    calls = []

    def scorer(clauses):
        calls.append(list(clauses))
        return [0.1 if "Italy" in c else 0.9 for c in clauses]

    texts = ["The fabric is from Italy", "The stitching is by hand", "质量很好"]
    assert extract_aspects_batch(texts, ["en", "en", "zh"]) == [
        [],
        [],
        extract_aspects(texts[2], "zh"),
    ]
    hits = extract_aspects_batch(texts, ["en", "en", "zh"], clause_scorer=scorer)
    assert len(calls) == 1 and len(calls[0]) == 2
    assert [(h.aspect, h.polarity) for h in hits[0]] == [("quality", "negative")]
    assert [(h.aspect, h.polarity) for h in hits[1]] == [("quality", "positive")]
    assert hits[2] == extract_aspects(texts[2], "zh")


def test_hits_are_frozen_values():
    (hit,) = extract_aspects("质量很差", "zh")
    assert isinstance(hit, AspectHit)
    with pytest.raises(AttributeError):
        hit.polarity = "positive"

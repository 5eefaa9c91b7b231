"""The grounding checker finds checkable claims and calls one supported only when a fact says it."""

import pytest

from products.content.generation import claims_extract, facts_build


def claim_of(text, facts, kind=None):
    claims = [c for c in claims_extract(text, facts) if kind is None or c.kind == kind]
    assert claims, f"no claim found in {text!r}"
    return claims[0]


@pytest.mark.parametrize(
    "text",
    [
        "Holds 750 ml.",
        "Holds 750ml.",
        "Holds 0.75 L.",
        "Holds 0,75 L.".replace(",", "."),
        "Holds 0.75 litres.",
        "Holds 750 millilitres.",
        "容量750毫升。",
        "容量0.75升。",
    ],
)
def test_a_capacity_in_any_unit_matches_the_attribute(bottle, text):
    claim = claim_of(text, bottle, "quantity")

    assert claim.supported
    assert claim.evidence == "capacity"


@pytest.mark.parametrize("text", ["Holds 1 L.", "Holds 500 ml.", "Holds 0.8 L.", "容量1升。"])
def test_a_different_capacity_is_unsupported(bottle, text):
    claim = claim_of(text, bottle, "quantity")

    assert not claim.supported
    assert claim.evidence == ""


@pytest.mark.parametrize(
    ("text", "supported"),
    [("75 cm long", True), ("0.75 m long", True), ("750 mm long", True), ("7.5 cm long", False)],
)
def test_lengths_are_compared_after_unit_normalisation(bottle, text, supported):
    assert claim_of(text, bottle, "quantity").supported is supported


def test_a_weight_the_attributes_never_state_is_unsupported(bottle):
    assert not claim_of("It weighs only 300 g.", bottle, "quantity").supported


def test_a_value_in_another_dimension_never_matches(bottle):
    # 750 ml of capacity says nothing about 750 g of weight.
    assert not claim_of("Weighs 750 g.", bottle, "quantity").supported


def test_the_claim_offsets_point_at_the_claim_in_the_text(bottle):
    text = "A bottle of 0.75 L in stainless steel."

    claims = claims_extract(text, bottle)

    assert [(text[c.start : c.end], c.kind) for c in claims] == [
        ("0.75 L", "quantity"),
        ("stainless steel", "material"),
    ]
    assert all(c.text == text[c.start : c.end] for c in claims)


def test_a_general_material_is_supported_by_a_more_specific_fact(bottle):
    assert claim_of("Made of steel.", bottle, "material").supported
    assert claim_of("不锈钢机身。", bottle, "material").supported


def test_a_more_specific_or_other_material_is_unsupported():
    facts = facts_build(title="Mug", attributes={"material": "steel"})

    assert not claim_of("Made of stainless steel.", facts, "material").supported
    assert not claim_of("Made of titanium.", facts, "material").supported
    assert not claim_of("Made of glass.", facts, "material").supported


@pytest.mark.parametrize(
    ("material", "text"),
    [
        ("100% cotton", "纯棉面料"),
        ("纯棉", "Soft cotton."),
        ("borosilicate glass", "高硼硅玻璃"),
        ("walnut", "Solid walnut board."),
        ("胡桃木", "A wooden board."),
    ],
)
def test_materials_match_across_languages_and_names(material, text):
    facts = facts_build(title="X", attributes={"material": material})

    assert claim_of(text, facts, "material").supported


def test_certifications_need_the_same_certification(bottle):
    assert claim_of("BPA-free and safe.", bottle, "certification").supported
    assert claim_of("ISO 9001 factory.", bottle, "certification").supported
    assert not claim_of("FDA approved.", bottle, "certification").supported
    assert not claim_of("ISO 14001 factory.", bottle, "certification").supported
    assert not claim_of("CE marked.", bottle, "certification").supported


def test_chinese_bpa_free_is_the_same_certification(bottle, cup_zh):
    assert claim_of("不含BPA，放心使用。", bottle, "certification").supported
    assert claim_of("BPA free lid.", cup_zh, "certification").supported


@pytest.mark.parametrize(
    ("text", "supported"),
    [
        ("Backed by a 2-year warranty.", True),
        ("Comes with a two year warranty.", True),
        ("24-month warranty included.", True),
        ("Warranty of 2 years.", True),
        ("Backed by a 5-year warranty.", False),
        ("Lifetime warranty.", False),
        ("保修2年。", True),
        ("两年质保。", True),
        ("保修3年。", False),
    ],
)
def test_warranty_terms_are_compared_in_months(bottle, text, supported):
    assert claim_of(text, bottle, "warranty").supported is supported


def test_a_warranty_attribute_given_in_months_supports_years():
    facts = facts_build(title="Lamp", attributes={"warranty": "24 months"})

    assert claim_of("A 2-year warranty.", facts, "warranty").supported
    assert not claim_of("A 3-year warranty.", facts, "warranty").supported


def test_a_superlative_is_supported_only_when_an_attribute_says_it(bottle):
    assert claim_of("The best bottle for hikes.", bottle, "superlative").supported
    assert claim_of("The best bottle for hikes.", bottle, "superlative").evidence == "award"
    assert not claim_of("The #1 bottle for hikes.", bottle, "superlative").supported
    assert not claim_of("The lightest bottle ever.", bottle, "superlative").supported


@pytest.mark.parametrize(
    "text", ["最好的保温杯", "行业第一", "顶级品质", "best choice", "No. 1 seller"]
)
def test_superlatives_without_a_stating_attribute_are_unsupported(cup_zh, text):
    assert not claim_of(text, cup_zh, "superlative").supported


def test_a_product_title_is_not_evidence_for_a_superlative():
    facts = facts_build(title="The Best Bottle Ever", attributes={"capacity": "1 L"})

    assert not claim_of("The best bottle.", facts, "superlative").supported


def test_a_feature_is_supported_by_a_yes_attribute_and_not_by_a_no(bottle):
    assert claim_of("It is dishwasher safe.", bottle, "feature").supported
    assert not claim_of("Fully waterproof.", bottle, "feature").supported


def test_a_negated_feature_is_not_a_claim(bottle):
    assert [c for c in claims_extract("It is not waterproof.", bottle) if c.kind == "feature"] == []


def test_offers_links_and_ratings_need_an_attribute_that_says_them(bottle):
    assert not claim_of("Free shipping today!", bottle, "offer").supported
    assert not claim_of("Order at https://example.com now.", bottle, "link").supported
    assert not claim_of("Rated 4.9/5 by buyers.", bottle, "rating").supported
    assert not claim_of("包邮，限时特价。", bottle, "offer").supported


def test_bpa_free_is_not_an_offer(bottle):
    assert [c.kind for c in claims_extract("BPA-free.", bottle)] == ["certification"]


def test_chinese_quantities_and_numerals(cup_zh):
    assert claim_of("保温12小时。", cup_zh, "quantity").supported
    assert claim_of("可保温十二小时。", cup_zh, "quantity").supported
    assert not claim_of("保温24小时。", cup_zh, "quantity").supported
    assert claim_of("容量0.5升。", cup_zh, "quantity").supported


def test_a_year_date_is_not_a_quantity_claim(cup_zh):
    assert [c for c in claims_extract("2024年新款。", cup_zh) if c.kind == "quantity"] == []


def test_dimensions_need_every_number(bottle):
    facts = facts_build(title="Bag", attributes={"dimensions": "45 x 30 x 14 cm"})

    assert claim_of("Measures 45 x 30 x 14 cm.", facts, "quantity").supported
    assert not claim_of("Measures 45 x 30 x 20 cm.", facts, "quantity").supported


def test_a_unit_in_the_attribute_name_counts():
    facts = facts_build(title="Bottle", attributes={"capacity (ml)": "750", "weight_g": "320"})

    assert claim_of("Holds 0.75 L.", facts, "quantity").supported
    assert claim_of("Weighs 320 g.", facts, "quantity").supported


def test_a_bare_number_without_a_unit_never_supports_a_quantity():
    facts = facts_build(title="Bottle", attributes={"capacity": "750"})

    assert not claim_of("Holds 750 ml.", facts, "quantity").supported


def test_conversions_may_round_but_not_by_more_than_one_percent():
    facts = facts_build(title="Bottle", attributes={"capacity": "24 oz"})

    assert not claim_of("Holds 1 L.", facts, "quantity").supported
    fluid = facts_build(title="Bottle", attributes={"capacity": "710 ml"})
    assert claim_of("Holds 24 fl oz.", fluid, "quantity").supported
    assert not claim_of("Holds 30 fl oz.", fluid, "quantity").supported


def test_text_without_checkable_claims_has_none(bottle):
    assert claims_extract("A friendly companion for your day out.", bottle) == []


def test_a_free_of_claim_needs_an_attribute_saying_the_same():
    facts = facts_build(title="Mug", attributes={"glaze": "lead-free"})

    assert claim_of("A lead-free glaze.", facts, "feature").supported
    assert not claim_of("Cruelty-free and vegan.", facts, "feature").supported

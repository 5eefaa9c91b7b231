from forecasting.planning import service_level_for

CATEGORIES = {"Mugs": 0.99, "Bags": 0.9}
PRODUCTS = {7: 0.8}


def test_a_product_override_beats_its_category_and_the_default():
    level = service_level_for(
        default=0.95,
        category_overrides=CATEGORIES,
        product_overrides=PRODUCTS,
        category="Mugs",
        product_id=7,
    )
    assert level == 0.8


def test_a_category_override_beats_the_default():
    level = service_level_for(
        default=0.95,
        category_overrides=CATEGORIES,
        product_overrides=PRODUCTS,
        category="Mugs",
        product_id=8,
    )
    assert level == 0.99


def test_the_default_applies_without_overrides():
    level = service_level_for(
        default=0.95,
        category_overrides=CATEGORIES,
        product_overrides=PRODUCTS,
        category="Lamps",
        product_id=8,
    )
    assert level == 0.95


def test_an_empty_category_never_matches_a_category_override():
    level = service_level_for(
        default=0.95, category_overrides={"": 0.5}, product_overrides={}, category="", product_id=1
    )
    assert level == 0.95

import re

from core.demo.catalog import ITEM_TYPES
from core.demo.phrases import CATEGORY_PHRASES, ITEM_FUNCTION, NEG, PHRASES
from reviews.services import language_detect

LEAK = re.compile(r"leak|漏", re.IGNORECASE)


def test_every_item_type_has_its_own_praise_and_complaints_in_both_languages():
    for item in ITEM_TYPES:
        en_pos, en_neg, zh_pos, zh_neg = ITEM_FUNCTION[item.code]
        assert en_pos and en_neg and zh_pos and zh_neg, item.code
        assert all(language_detect(text) == "en" for text in en_pos + en_neg), item.code
        assert all(language_detect(text) == "zh" for text in zh_pos + zh_neg), item.code


def test_only_the_planted_surge_complains_about_leaking():
    complaints = [
        text for _, en_neg, _, zh_neg in ITEM_FUNCTION.values() for text in en_neg + zh_neg
    ]
    for banks in [
        *PHRASES.values(),
        *(c for cat in CATEGORY_PHRASES.values() for c in cat.values()),
    ]:
        complaints += [text for language in banks.values() for text in language[NEG]]

    assert not [text for text in complaints if LEAK.search(text)]

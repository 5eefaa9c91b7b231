"""Which language a review is written in: "zh", "en" or "other".

The analysers only read Chinese and English, so the question is narrow and a script count
answers it without a model:

- Han characters (simplified or traditional) make a review Chinese when there are at least as
  many of them as there are Latin words ("这个iPhone很好用" is Chinese, "Bought it on 京东,
  works great" is English). Hiragana beside the Han characters (at least two, and 15 % of the
  two together) is Japanese, which is "other"; katakana alone is not (kaomoji use it).
- A review in Latin letters is English unless it has more function words of another Latin-script
  language (French, Spanish, German, Italian, Portuguese, Dutch, Indonesian) than English ones,
  or, with no function word at all, letters with accents that English does not use.
- Any other script (Cyrillic, Hangul, Arabic, Thai, ...) that outweighs both is "other"; so is a
  review with no letters at all (empty, only emoji, digits or punctuation).
"""

from __future__ import annotations

import re
import unicodedata

ZH = "zh"
EN = "en"
OTHER = "other"
LANGUAGES = (ZH, EN, OTHER)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9d]")
_LATIN_WORD = re.compile(r"[a-z\u00c0-\u024f]+(?:'[a-z]+)?")
# Letters of any script, minus Han, kana and Latin: Cyrillic, Hangul, Arabic, Thai, Greek, ...
_OTHER_LETTER = re.compile(
    r"[\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u0590-\u05ff\u0600-\u06ff\u0700-\u08ff"
    r"\u0900-\u0dff\u0e00-\u0e7f\u0e80-\u0eff\u0f00-\u0fff\u1000-\u109f\u10a0-\u10ff"
    r"\u1100-\u11ff\u1780-\u17ff\uac00-\ud7af\u3130-\u318f]"
)
# Accented letters English writing does not use (café and naïve aside, they mark a language).
_FOREIGN_ACCENTS = set("àâäãåæçèêëìîïñòôõöøœßùûüÿąćęłńśźżčďěňřšťůžğışő")

_EN_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "it's",
        "this",
        "that",
        "these",
        "those",
        "i",
        "you",
        "he",
        "she",
        "we",
        "they",
        "my",
        "your",
        "our",
        "their",
        "me",
        "him",
        "her",
        "them",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "as",
        "not",
        "no",
        "very",
        "so",
        "too",
        "have",
        "has",
        "had",
        "do",
        "does",
        "did",
        "don't",
        "doesn't",
        "didn't",
        "can",
        "can't",
        "could",
        "would",
        "will",
        "won't",
        "just",
        "what",
        "when",
        "which",
        "who",
        "how",
        "if",
        "than",
        "then",
        "there",
        "here",
        "all",
        "some",
        "one",
        "love",
        "great",
        "good",
        "bad",
        "nice",
        "well",
        "product",
        "quality",
        "fit",
        "size",
    ]
)
_OTHER_WORDS_TEXT = (
    # French
    "le la les des du un une et est sont pas très bien avec pour dans sur ce cette qui que je "
    "il elle nous vous ils mais ou au aux trop produit "
    # Spanish
    "el los las del y es son muy bueno buena pero con para por una lo como más está esta este "
    "producto calidad excelente gracias "
    # German
    "der die das und ist sind nicht sehr gut mit für auf ein eine ich es sie wir aber auch zu "
    "den dem nur noch qualität "
    # Italian
    "il della che è sono molto buono ottimo ma non per con una gli prodotto "
    # Portuguese
    "o os não é são muito bom boa mas com um uma para produto ótimo "
    # Dutch
    "het een van en is niet zeer goed maar met voor ook "
    # Indonesian / Malay
    "yang dan ini itu tidak sangat bagus dengan untuk barang sudah "
)
_OTHER_WORDS = frozenset(_OTHER_WORDS_TEXT.split()) - _EN_WORDS


def detect_language(text: str) -> str:
    """The language of `text`: "zh", "en" or "other" (see the module docstring)."""
    if not text or not text.strip():
        return OTHER
    folded = unicodedata.normalize("NFKC", text).lower()
    han = len(_HAN.findall(folded))
    kana = len(_KANA.findall(folded))
    hiragana = len(_HIRAGANA.findall(folded))
    words = _LATIN_WORD.findall(folded)
    other_letters = len(_OTHER_LETTER.findall(folded))

    if han and han >= len(words) and han >= other_letters:
        # Hiragana, not katakana: kaomoji such as ヾ(＠⌒ー⌒＠)ノ borrow katakana.
        if hiragana >= 2 and hiragana >= 0.15 * (han + hiragana):
            return OTHER
        return ZH
    if kana and kana >= len(words):
        return OTHER
    if not words:
        return OTHER
    latin_letters = sum(len(word) for word in words)
    if other_letters > latin_letters:
        return OTHER
    english = sum(1 for word in words if word in _EN_WORDS)
    foreign = sum(1 for word in words if word in _OTHER_WORDS)
    if foreign > english:
        return OTHER
    if not english and not foreign and any(ch in _FOREIGN_ACCENTS for ch in folded):
        return OTHER
    return EN

"""Review text as untrusted input, and the word units the citation and reply checkers compare.

Pure Python (no Django), so checkers, tests and benchmarks share the exact code.

Untrusted text: reviews are written by anyone. Before a review reaches a prompt it is cleaned
(`review_clean`): chat-template tokens and every tag of our prompts removed (it cannot close
its data block), links, e-mail addresses and phone numbers replaced by a marker, and each
sentence that reads like an instruction to a model ("ignore previous instructions and ...",
"忽略以上指令...") replaced by a marker too. The cleaned text is what the model sees AND what
the checkers accept as evidence, so an instruction hidden in a review can neither steer the
model nor support a statement.

Word units (`content_units`):
- English: lower-case words of 3+ letters (or numbers) that are not stop words or words that
  only frame a statement ("customers say", "reviewers mention"), reduced by a small suffix
  stemmer (leaks/leaked/leaking -> leak, batteries -> battery) so a paraphrase still matches;
- Chinese: character bigrams of the Chinese runs, after removing function words and framing
  words (顾客, 表示, 提到, 的, 了, 很 ...), because Chinese has no spaces and a bigram is the
  smallest unit that carries meaning reliably without a segmenter.
A text's units are the union of both, so mixed text ("iPhone 充电很慢") works.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from products.content.generation.facts import clean_text, looks_like_instruction

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAS_CJK = re.compile(rf"[{CJK}]")

LINK_MARK = "[link removed]"
INSTRUCTION_MARK = "[instruction removed]"

# Every tag our prompts use as a fence, plus the content studio's: removed from untrusted text.
_PROMPT_TAGS = re.compile(
    r"</?\s*(?:reviews?|review[_ ]?\w*|product[_ ]?data|reply[_ ]?template|style[_ ]?examples|"
    r"examples?|data|instructions?|system|user|assistant)\b[^>]{0,40}>",
    re.IGNORECASE,
)
LINKS = re.compile(
    r"https?://\S+|\bwww\.\S+|\b[\w.+-]+@[\w-]+\.[\w.]+|"
    r"\b[a-z0-9-]+\.(?:com|net|org|io|cn|co|shop|store|xyz|top|info|biz)\b(?:/\S*)?|"
    r"(?:\+|\b)\d[\d ()-]{8,}\d\b",
    re.IGNORECASE,
)
# Sentence ends: . ! ? ; followed by a space or the end (not "0.75"), Chinese end punctuation,
# or a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?;])(?=\s)|(?<=[。！？；!?])|\n+")


def sentences(text: str) -> list[str]:
    """The sentences of a text (English or Chinese), stripped, empty ones left out."""
    return [part.strip() for part in _SENTENCE_END.split(text or "") if part and part.strip()]


@dataclass(frozen=True)
class CleanReview:
    """A review as the model and the checkers see it."""

    text: str
    instructions: tuple[str, ...] = field(default=())  # sentences removed as instructions
    links: int = 0  # links, e-mail addresses and phone numbers removed


def review_clean(title: str, body: str, *, limit: int = 600) -> CleanReview:
    """Title and text of a review as one cleaned line (see the module docstring)."""
    title = (title or "").strip()
    if title and not re.search(r"[.!?。！？…]$", title):
        # The title is a sentence of its own ("Leaks" + "The lid..." must not run together).
        title += "。" if HAS_CJK.search(title) else "."
    raw = "\n".join(part for part in (title, body or "") if part and part.strip())
    raw = unicodedata.normalize("NFC", raw)
    raw = _PROMPT_TAGS.sub(" ", raw)
    links = len(LINKS.findall(raw))
    raw = LINKS.sub(f" {LINK_MARK} ", raw)
    kept: list[str] = []
    removed: list[str] = []
    for sentence in sentences(raw):
        if looks_like_instruction(sentence):
            removed.append(clean_text(sentence, limit=300))
            if not kept or kept[-1] != INSTRUCTION_MARK:
                kept.append(INSTRUCTION_MARK)
        else:
            kept.append(sentence)
    text = clean_text(" ".join(kept), limit=limit)
    text = _PROMPT_TAGS.sub(" ", text)
    return CleanReview(
        text=re.sub(r"\s+", " ", text).strip(), instructions=tuple(removed), links=links
    )


def without_marks(text: str) -> str:
    """The cleaned text without the markers (for quoting and for evidence)."""
    return re.sub(r"\s+", " ", text.replace(LINK_MARK, " ").replace(INSTRUCTION_MARK, " ")).strip()


# --- word units ----------------------------------------------------------------------------------
STOPWORDS_EN = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "cannot",
        "could",
        "did",
        "didn",
        "do",
        "does",
        "doesn",
        "doing",
        "don",
        "down",
        "during",
        "each",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "get",
        "gets",
        "got",
        "had",
        "hadn",
        "has",
        "hasn",
        "have",
        "haven",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "isn",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "much",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "quite",
        "rather",
        "really",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "was",
        "wasn",
        "we",
        "were",
        "weren",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "won",
        "would",
        "wouldn",
        "you",
        "your",
        "yours",
        "yet",
        "still",
        "though",
        "although",
        "many",
        "several",
        "lot",
        "lots",
        "thing",
        "things",
        "way",
        "overall",
        "generally",
        "usually",
        "often",
        "sometimes",
        "always",
    ]
)
# Words that frame a statement about reviews rather than carry its content.
FRAMING_EN = frozenset(
    [
        "customer",
        "customers",
        "reviewer",
        "reviewers",
        "buyer",
        "buyers",
        "user",
        "users",
        "people",
        "person",
        "shopper",
        "shoppers",
        "purchaser",
        "purchasers",
        "review",
        "reviews",
        "reviewed",
        "say",
        "says",
        "said",
        "saying",
        "mention",
        "mentions",
        "mentioned",
        "mentioning",
        "report",
        "reports",
        "reported",
        "note",
        "notes",
        "noted",
        "state",
        "states",
        "stated",
        "describe",
        "describes",
        "described",
        "comment",
        "comments",
        "commented",
        "claim",
        "claims",
        "claimed",
        "feedback",
        "opinion",
        "opinions",
        "product",
        "products",
        "item",
        "items",
        "others",
        "other",
        "majority",
        "number",
        "summary",
        "statement",
        "statements",
        "multiple",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "half",
    ]
)
_IRREGULAR = {
    "broken": "break",
    "broke": "break",
    "bought": "buy",
    "felt": "feel",
    "fitted": "fit",
    "worse": "bad",
    "worst": "bad",
    "better": "good",
    "best": "good",
}


def stem(word: str) -> str:
    """A small suffix stemmer: enough for plurals and verb forms to meet (not linguistics)."""
    word = word.lower().strip("'")
    if word.endswith("'s"):
        word = word[:-2]
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix, replacement, minimum in (
        ("ies", "y", 5),
        ("ied", "y", 5),
        ("ing", "", 6),
        ("ed", "", 5),
        ("es", "", 5),
        ("s", "", 4),
        ("ly", "", 6),
    ):
        if word.endswith(suffix) and len(word) >= minimum:
            if suffix == "es" and not re.search(r"(?:s|x|z|ch|sh)es$", word):
                continue
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            word = word[: -len(suffix)] + replacement
            break
    # Doubled consonants of verb forms (stopped -> stopp -> stop) and a final e (arrive, size)
    # so that every form of a word ends the same.
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiouslfz":
        word = word[:-1]
    if len(word) >= 4 and word.endswith("e") and not word.endswith("ee"):
        word = word[:-1]
    return word


def english_units(text: str) -> set[str]:
    units = set()
    for word in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower()):
        if word.isdigit():
            units.add(word)
            continue
        if len(word) < 3 or word in STOPWORDS_EN or word in FRAMING_EN:
            continue
        units.add(stem(word))
    return units


# Chinese framing words are cut out (the runs on each side become separate runs); single
# function characters are deleted so their neighbours meet ("续航很短" -> "续航短"), both in the
# statement and in the reviews, so that "顾客表示" or "的质量" cannot make an unrelated
# statement look supported while "短" and "慢" still count.
_ZH_FRAMING = re.compile(
    r"顾客|客户|用户|买家|消费者|网友|评论者|评价者|评价|评论|好评|差评|表示|认为|觉得|提到|"
    r"提及|反映|反馈|指出|普遍|多位|多名|部分|一些|有些|有的|很多|许多|不少|大家|少数|"
    r"多数|大部分|总体|整体|总的来说|商品|产品|这款|该款|此款|东西|宝贝"
)
_ZH_FUNCTION = re.compile(r"[的了是很都也还就和与及并而在这那对把被让给着过吗呢吧啊说称]")


def chinese_units(text: str) -> set[str]:
    stripped = _ZH_FUNCTION.sub("", _ZH_FRAMING.sub(" ", text))
    units = set()
    for run in re.findall(rf"[{CJK}]+", stripped):
        units.update(run[i : i + 2] for i in range(len(run) - 1))
    return units


def content_units(text: str) -> set[str]:
    """English stems and Chinese bigrams of a text (see the module docstring)."""
    return english_units(text) | chinese_units(text)


def numbers_in(text: str) -> set[str]:
    """The Arabic numbers a text states (1,000 -> 1000; 4.5 stays 4.5)."""
    return {n.replace(",", "") for n in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", text or "")}

"""The facts a draft may use: a product's title, category, brand and attributes, normalised.

Everything here is untrusted text typed or imported by people: it is normalised into plain
one-line strings (no control characters, no chat-template tokens, no tags that could close the
prompt's data block), and values that read like instructions to a model ("ignore the above and
...") are recognised so that they are never used as evidence nor as key attributes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_ATTRIBUTES = 40
MAX_KEY_ATTRIBUTES = 8
MAX_VALUE_CHARS = 240
MAX_TITLE_CHARS = 300

# Keys that describe the listing or the supply chain, not the product: never asked for in copy.
_INTERNAL_KEYS = re.compile(
    r"^(?:sku|id|ean|upc|gtin|isbn|asin|mpn|barcode|hs ?code|supplier|vendor|cost|price|"
    r"internal.*|note|notes|stock|inventory|url|image|images|条码|供应商|成本|价格|备注)$",
    re.IGNORECASE,
)
# Keys a shopper cares about most come first when choosing the key attributes.
_PRIORITY_KEYS = re.compile(
    r"material|capacity|volume|size|dimension|weight|power|battery|warranty|certif|"
    r"材质|材料|容量|尺寸|重量|功率|电池|保修|质保|认证",
    re.IGNORECASE,
)

# Chat-template control tokens (<|im_start|>, <|endoftext|>, <start_of_turn>, [INST] ...) and
# the prompt's own block tags: removed from untrusted text so it cannot open a new turn or
# close the data block it is quoted in.
_TEMPLATE_TOKENS = re.compile(
    r"<\|[^|>]{0,40}\|>|</?(?:start_of_turn|end_of_turn|s|bos|eos)>|\[/?INST\]|"
    r"</?\s*(?:product[_ ]?data|style[_ ]?examples|example|data)\s*>",
    re.IGNORECASE,
)

# What instructions aimed at a model look like, in English and Chinese. Deliberately broad: a
# false positive only means one attribute is not used as evidence.
_INSTRUCTION_LIKE = re.compile(
    r"\bignore\b.{0,40}\b(?:above|previous|prior|earlier|instructions?|rules?|everything)\b|"
    r"\bdisregard\b|\bforget\b.{0,30}\b(?:above|previous|instructions?|everything)\b|"
    r"\byou are now\b|\bnew instructions?\b|\bsystem prompt\b|\bact as\b|"
    r"\b(?:instead|now)\b.{0,20}\b(?:say|write|output|print|respond|reply)\b|"
    r"\b(?:say|write|output|print|respond with|reply with)\b.{0,40}\b(?:free|instead|only)\b|"
    r"忽略|无视|忘记.{0,10}(?:指令|以上|之前)|你现在是|新的指令|系统提示|改为输出|请输出|请说",
    re.IGNORECASE,
)


def clean_text(value: object, *, limit: int = MAX_VALUE_CHARS) -> str:
    """One line of plain text: NFC, control characters and template tokens removed, spaces
    collapsed, cut at `limit` characters."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, (list, tuple, set)):
        text = ", ".join(clean_text(item, limit=limit) for item in value if item not in (None, ""))
    elif isinstance(value, dict):
        text = "; ".join(
            f"{clean_text(k, limit=60)}: {clean_text(v, limit=limit)}" for k, v in value.items()
        )
    else:
        text = str(value)
    text = unicodedata.normalize("NFC", text)
    text = _TEMPLATE_TOKENS.sub(" ", text)
    text = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} else ch for ch in text
    )
    text = re.sub(r"\s+", " ", text).strip()
    return text[:limit].rstrip()


# Acronyms that key names spell in lower case ("bpa_free", "usb_ports"): written as people do.
_ACRONYMS = {"bpa", "usb", "led", "lcd", "uv", "fda", "ce", "ul", "ip", "hdmi", "ssd", "ram"}
# A unit at the end of a key name ("capacity_ml": 750, "warranty_months": 24) belongs with the
# number: the model, the facts sentence and the reader all see "capacity: 750 ml".
_KEY_UNITS = {
    "ml": "ml",
    "l": "L",
    "cl": "cl",
    "mm": "mm",
    "cm": "cm",
    "m": "m",
    "g": "g",
    "kg": "kg",
    "gsm": "gsm",
    "w": "W",
    "v": "V",
    "mah": "mAh",
    "db": "dB",
    "hours": "hours",
    "hrs": "hours",
    "minutes": "minutes",
    "days": "days",
    "months": "months",
    "years": "years",
    "inch": "inch",
    "inches": "inches",
    "pcs": "pcs",
    "in": "inch",
    "percent": "%",
    "pct": "%",
    "c": "°C",
    "deg": "°",
    "hrc": "HRC",
    "毫升": "毫升",
    "升": "升",
    "厘米": "厘米",
    "克": "克",
    "小时": "小时",
    "个月": "个月",
    "年": "年",
}
# A number, or numbers joined by ranges and dimensions: 750, 26.5, "130 × 170", "-20 to 120".
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:\s*(?:×|x|\*|-|–|~|to|/)\s*-?\d+(?:\.\d+)?)*$")


def clean_key(key: object) -> str:
    """An attribute name as people read it: underscores and dashes become spaces."""
    text = clean_text(key, limit=60)
    words = re.sub(r"[_\-]+", " ", text).strip().split(" ")
    return " ".join(word.upper() if word.lower() in _ACRONYMS else word for word in words)


def _unit_from_key(name: str, value: object) -> tuple[str, str] | None:
    """("capacity", "750 ml") for ("capacity ml", 750); None when the key names no unit."""
    words = name.split(" ")
    unit = _KEY_UNITS.get(words[-1].lower()) if len(words) > 1 else None
    number = str(value).strip() if isinstance(value, int | float | str) else ""
    if unit is None or isinstance(value, bool) or not _NUMBER.match(number):
        return None
    if number.endswith(".0"):
        number = number[:-2]
    # 500毫升, 15°, 10%, but 750 ml
    separator = "" if unit in {"°", "%"} or unit[0] > "\u2e80" else " "
    return " ".join(words[:-1]), f"{number}{separator}{unit}"


def looks_like_instruction(text: str) -> bool:
    """Whether untrusted text reads like an instruction to a model (prompt injection)."""
    return bool(_INSTRUCTION_LIKE.search(text or ""))


@dataclass(frozen=True)
class ProductFacts:
    """What the pipeline knows about one product; all strings already cleaned.

    `attributes` keeps every attribute (an instruction-like value too: it is data and is shown
    to the model as data); `key_attributes` are the attribute names a draft should mention,
    never an instruction-like one. `untrusted_keys` lists attributes whose value reads like an
    instruction: they are never evidence for a claim.
    """

    sku: str
    title: str
    category: str
    brand: str
    attributes: dict[str, str]
    key_attributes: list[str]
    untrusted_keys: tuple[str, ...] = field(default=())

    @property
    def title_is_instruction(self) -> bool:
        return looks_like_instruction(self.title)

    def trusted_attributes(self) -> dict[str, str]:
        """The attributes that may serve as evidence (instruction-like ones left out)."""
        return {k: v for k, v in self.attributes.items() if k not in self.untrusted_keys}


def normalise_attributes(raw: object) -> dict[str, str]:
    """Product.attributes (any JSON) as {clean key: clean one-line value}, empties dropped."""
    if not isinstance(raw, dict):
        return {}
    attributes: dict[str, str] = {}
    for key, value in raw.items():
        name, text = clean_key(key), clean_text(value)
        with_unit = _unit_from_key(name, value)
        if with_unit is not None:
            name, text = with_unit
        if name and text and name not in attributes:
            attributes[name] = text
        if len(attributes) >= MAX_ATTRIBUTES:
            break
    return attributes


def choose_key_attributes(attributes: dict[str, str], untrusted: set[str]) -> list[str]:
    """The attributes a draft should cover: shopper-facing ones, the usual suspects first."""
    eligible = [
        key
        for key in attributes
        if key not in untrusted and not _INTERNAL_KEYS.match(key.strip().lower())
    ]
    ranked = sorted(
        eligible, key=lambda key: (0 if _PRIORITY_KEYS.search(key) else 1, eligible.index(key))
    )
    return ranked[:MAX_KEY_ATTRIBUTES]


def facts_build(
    *,
    sku: str = "",
    title: str = "",
    category: str = "",
    brand: str = "",
    attributes: object = None,
) -> ProductFacts:
    """ProductFacts from plain values (what facts_from_product and the benchmark use)."""
    normalised = normalise_attributes(attributes or {})
    untrusted = {key for key, value in normalised.items() if looks_like_instruction(value)}
    untrusted |= {key for key in normalised if looks_like_instruction(key)}
    return ProductFacts(
        sku=clean_text(sku, limit=64),
        title=clean_text(title, limit=MAX_TITLE_CHARS),
        category=clean_text(category, limit=120),
        brand=clean_text(brand, limit=120),
        attributes=normalised,
        key_attributes=choose_key_attributes(normalised, untrusted),
        untrusted_keys=tuple(sorted(untrusted)),
    )


def facts_from_product(product) -> ProductFacts:
    """The facts of a `products.models.Product` (title, category, brand, attributes)."""
    return facts_build(
        sku=product.sku,
        title=product.title,
        category=product.category,
        brand=product.brand,
        attributes=product.attributes,
    )

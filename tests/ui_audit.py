"""Checks of a rendered page's HTML: untranslated UI text, unlabelled fields, colour-only severity.

Pure functions over an HTML string, with nothing but the standard library, so that the Django
test-client tests and the browser journeys (on `page.content()`) share them.

Data is not UI: product titles, SKUs, review texts and user names are left as written. Templates
mark the elements that show them with the HTML attribute `translate="no"` (or
`data-i18n="data"`); everything under such an element is skipped, and so is anything under an
element whose `lang` is not Chinese (the language switcher writes "English" in English on
purpose). Tests can pass further data strings through `allow`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)  # fmt: skip
# Elements that close an open <p>/<li>/<option>... implicitly are not tracked: the templates
# close what they open, and an unclosed element only makes its parent's text longer.
SKIPPED_ELEMENTS = frozenset({"script", "style", "template", "svg", "noscript"})
UI_ELEMENTS = frozenset(
    {"button", "label", "th", "legend", "summary", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
     "option", "optgroup", "title", "dt"}
)  # fmt: skip
UI_CLASSES = frozenset(
    {"badge", "btn", "nav-link", "dropdown-item", "dropdown-header", "form-label", "form-text",
     "form-check-label", "breadcrumb-item", "card-title", "card-header", "page-link",
     "list-group-item-action", "alert"}
)  # fmt: skip
UI_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt", "aria-valuetext")

# Words that are the same in both languages: the product's name, file formats, standards and
# abbreviations a Chinese merchant reads as they are, units and currency codes.
ALLOWED_WORDS = frozenset(
    {
        "EcomOps", "SKU", "SKUs", "API", "CSV", "XLSX", "GBK", "UTF", "URL", "ID", "JSON",
        "LLM", "HTTP", "HTTPS", "SMTP", "HMAC", "SHA", "UTC", "ISO", "KPI", "SLA", "P10",
        "P50", "P90", "MAPE", "WAPE", "MAE", "RMSE", "AI", "ETA", "PDF", "GMV", "PO", "OK",
        "kg", "cm", "mm", "ml", "pcs", "px", "ms", "KB", "MB", "GB",
        "USD", "CNY", "RMB", "EUR", "GBP", "JPY", "HKD", "KRW", "INR", "TWD", "SGD", "AUD",
        "CAD", "CHF", "SEK", "NOK", "DKK", "VND", "CLP", "ISK",
        "EN", "en", "zh", "hans", "Hans", "MASE", "RMSSE", "SMAPE", "LightGBM", "ETS", "ARIMA",
        "Slack", "Google", "Ads", "Meta", "Facebook", "Instagram", "Amazon", "Shopify",
        "WooCommerce", "Webhook", "Excel", "WPS", "Celery", "Redis", "PostgreSQL", "SQLite",
    }
)  # fmt: skip

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’][A-Za-z]+)?")
_SPACE = re.compile(r"\s+")
# Not words to translate: URLs, e-mail addresses, file names, SKU-like codes (`KIT-PAN-28`),
# identifiers (`order_number`) and template placeholders shown as examples (`{sku}`).
_CODE = re.compile(
    r"(?i:[a-z][a-z0-9+.-]*://\S+|\S+@\S+\.\w+|[\w-]+\.(?:csv|xlsx|xls|json|txt|tsv|zip)\b)"
    r"|\b[A-Z0-9]+(?:-[A-Z0-9]+)+\b|\b\w+_\w+\b|\{\w+\}"
)
# A text that is entirely a quotation cites someone (a review's words), it is not our UI.
_QUOTATION = re.compile(r"^\s*(?:“[^”]*”|「[^」]*」|\"[^\"]*\")\s*$")
# Characters that are a dot or an arrow, not words: "●" in a red span still says nothing.
_SYMBOLS_ONLY = re.compile(r"^[\s\u2022\u25a0-\u25ff\u2190-\u21ff\u2600-\u26ff·.,:;!?()\[\]\-–—]*$")

_SEVERITY_CLASS = re.compile(
    r"^(?:text-bg|bg|border|text)-(?:danger|warning|success|info)(?:-subtle|-emphasis)?$"
    r"|^badge-[a-z-]+$|^(?:severity|status|dot)-[a-z-]+$"
)
_BACKGROUND_CLASS = re.compile(
    r"^(?:text-bg|bg)-(?:danger|warning|success|info)(?:-subtle)?$|^badge-[a-z-]+$"
    r"|^(?:severity|dot)-[a-z-]+$"
)
FIELD_TYPES_WITHOUT_LABEL = frozenset({"hidden", "submit", "button", "image", "reset"})


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    texts: list[str] = field(default_factory=list)  # every text inside, for severity checks
    own_ui_texts: list[str] = field(default_factory=list)  # text whose nearest UI element is me
    excluded: bool = False  # data, another language or a script: not checked for translation

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    @property
    def is_ui(self) -> bool:
        return (
            self.tag in UI_ELEMENTS
            or any(name in UI_CLASSES for name in self.classes)
            or (self.tag == "a" and self.inside("nav"))
        )

    def inside(self, tag: str) -> bool:
        node = self.parent
        while node is not None:
            if node.tag == tag:
                return True
            node = node.parent
        return False

    def ancestors(self) -> Iterable[Element]:
        node: Element | None = self
        while node is not None:
            yield node
            node = node.parent

    def describe(self) -> str:
        keys = ("id", "name", "type", "class")
        shown = " ".join(f'{key}="{self.attrs[key]}"' for key in keys if self.attrs.get(key))
        return f"<{self.tag}{' ' + shown if shown else ''}>"


def _is_excluded(tag: str, attrs: dict[str, str], parent: Element | None) -> bool:
    if parent is not None and parent.excluded:
        return True
    if tag in SKIPPED_ELEMENTS:
        return True
    if attrs.get("translate", "").lower() == "no" or attrs.get("data-i18n") == "data":
        return True
    language = attrs.get("lang")
    return tag != "html" and language is not None and not language.lower().startswith("zh")


class _PageParser(HTMLParser):
    """Builds just enough of a tree: every element with its parent, attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element(tag="#document", attrs={})
        self.current = self.root
        self.elements: list[Element] = []

    def handle_starttag(self, tag, attrs):
        values = {name: (value if value is not None else "") for name, value in attrs}
        element = Element(tag=tag, attrs=values, parent=self.current)
        element.excluded = _is_excluded(tag, values, self.current)
        self.elements.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:  # ignore a stray end tag
            self.current = node.parent

    def handle_data(self, data):
        if not data.strip():
            return
        for element in self.current.ancestors():
            element.texts.append(data)
        if self.current.excluded:
            return
        for element in self.current.ancestors():
            if element.is_ui:
                element.own_ui_texts.append(data)
                break


def _parse(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser


def _normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def is_untranslated(text: str, *, allow: Iterable[str] = ()) -> bool:
    """True when `text` has no Chinese but has a Latin word of two letters or more that is
    not in the allowlist (after removing the allowed data strings, codes and quotations)."""
    if _CJK.search(text) or _QUOTATION.match(text):
        return False
    for allowed in sorted((a for a in allow if a), key=len, reverse=True):
        text = text.replace(allowed, " ")
    text = _CODE.sub(" ", text)
    for word in _WORD.findall(text):
        letters = sum(character.isalpha() for character in word)
        if letters >= 2 and word not in ALLOWED_WORDS and not _is_code_like(word):
            return True
    return False


def _is_code_like(word: str) -> bool:
    """Identifiers such as `SKU-123`'s parts or `A1`: digits mixed in, not a word to translate."""
    return any(character.isdigit() for character in word)


def untranslated_texts(html: str, *, allow: Iterable[str] = ()) -> list[str]:
    """UI texts of a zh-hans page that are still English, each once, in page order.

    UI texts are the text of buttons, labels, table headers, legends, summaries, headings,
    options, badges, navigation links and the like, plus the placeholder, aria-label, title and
    alt attributes of any element that is not data.
    """
    allow = list(allow)
    parser = _parse(html)
    found: list[str] = []
    for element in parser.elements:
        if element.excluded:
            continue
        candidates = []
        if element.own_ui_texts:
            candidates.append(_normalise(" ".join(element.own_ui_texts)))
        candidates.extend(
            _normalise(element.attrs[name]) for name in UI_ATTRIBUTES if element.attrs.get(name)
        )
        if element.tag == "input" and element.attrs.get("type") in ("submit", "button", "reset"):
            candidates.append(_normalise(element.attrs.get("value", "")))
        for text in candidates:
            if text and is_untranslated(text, allow=allow) and text not in found:
                found.append(text)
    return found


def unlabelled_fields(html: str) -> list[str]:
    """Form fields without an accessible name from a label or an ARIA attribute.

    A field is labelled by `<label for=its id>`, by a `<label>` around it, or by a non-empty
    `aria-label` / `aria-labelledby`. Hidden inputs and buttons are not fields.
    """
    parser = _parse(html)
    label_targets = {
        element.attrs["for"]
        for element in parser.elements
        if element.tag == "label" and element.attrs.get("for")
    }
    unlabelled = []
    for element in parser.elements:
        if element.tag not in ("input", "select", "textarea"):
            continue
        if element.tag == "input" and (
            element.attrs.get("type", "text").lower() in FIELD_TYPES_WITHOUT_LABEL
        ):
            continue
        if element.attrs.get("aria-label", "").strip() or element.attrs.get("aria-labelledby"):
            continue
        if element.attrs.get("id") and element.attrs["id"] in label_targets:
            continue
        if element.inside("label"):
            continue
        unlabelled.append(element.describe())
    return unlabelled


def severity_colour_only(html: str) -> list[str]:
    """Coloured badges, dots and backgrounds that say nothing in words.

    Colour must not be the only signal: an element coloured for severity or status (Bootstrap
    `text-bg-danger`, `bg-warning`, `badge-*`...) must hold text, if only visually hidden text
    for screen readers. A `text-danger` element is checked only when it holds nothing but symbols
    such as "●". Progress bars are left out: their `.progress` carries the value and the label.
    """
    parser = _parse(html)
    flagged = []
    for element in parser.elements:
        if element.tag in SKIPPED_ELEMENTS or "progress-bar" in element.classes:
            continue
        if element.tag in ("html", "body", "nav", "main", "table", "tr", "tbody", "thead"):
            continue
        classes = element.classes
        coloured_background = any(_BACKGROUND_CLASS.match(name) for name in classes)
        coloured = coloured_background or any(_SEVERITY_CLASS.match(name) for name in classes)
        if not coloured:
            continue
        text = _normalise(" ".join(element.texts))
        if element.tag in ("input", "select", "textarea", "img", "hr"):
            continue
        if "badge" in classes or coloured_background:
            if not text or _SYMBOLS_ONLY.match(text):
                flagged.append(element.describe())
        elif text and _SYMBOLS_ONLY.match(text):
            flagged.append(element.describe())
    return flagged

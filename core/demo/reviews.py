"""Reviews in English and Chinese, composed from aspect phrases whose tone matches the rating.

Each product has a strong aspect (what customers praise) and a weak aspect (what the unhappy
ones complain about), so an analyser finds real, product-specific signal: the T-shirt that
runs small, the charger that gets hot. Reviews follow the product's sales over time, and the
review-surge crisis adds a burst of complaints about leaking on one bottle.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import numpy as np

from .catalog import CATEGORY_ASPECTS, STREAM_REVIEWS, ProductSpec
from .crises import REVIEW_SURGE, SURGE_DAYS, surge_size
from .phrases import (
    ASPECT_TITLES,
    CALM_LEAK_PHRASES,
    CATEGORY_PHRASES,
    CLOSERS,
    CONTEXTS,
    EN_FIRST_NAMES,
    ITEM_FUNCTION,
    LEAK_PHRASES,
    LEAK_TITLES,
    LETTERS,
    NEG,
    OPENERS,
    PHRASES,
    POS,
    TITLES,
    ZH_NICKNAMES,
)
from .sales import SalesSeries

# Source per language: English reviews come from Amazon and Shopify, Chinese mostly Taobao.
SOURCES = {"en": (("amazon", 0.45), ("shopify", 0.55)), "zh": (("taobao", 0.85), ("shopify", 0.15))}
BASE_RATING = np.array([0.06, 0.05, 0.09, 0.22, 0.58])
GENERIC_ASPECTS = ("shipping", "packaging", "price_value", "service", "appearance")


@dataclass
class ReviewDraft:
    sku: str
    source: str
    rating: int
    title: str
    body: str
    language: str
    author_name: str
    created_at: dt.datetime
    external_id: str = ""


class _Composer:
    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def pick(self, options):
        return options[int(self.rng.integers(0, len(options)))]

    def phrase(self, spec: ProductSpec, aspect: str, language: str, polarity: str) -> str:
        if aspect == "function" and spec.item.code in ITEM_FUNCTION:
            en_pos, en_neg, zh_pos, zh_neg = ITEM_FUNCTION[spec.item.code]
            bank = {"en": {POS: en_pos, NEG: en_neg}, "zh": {POS: zh_pos, NEG: zh_neg}}
        else:
            bank = CATEGORY_PHRASES.get(spec.category, {}).get(aspect) or PHRASES[aspect]
        return self.pick(bank[language][polarity])

    def rating(self, quality: float) -> int:
        weights = BASE_RATING * np.exp(quality * (np.arange(1, 6) - 3) * 0.6)
        return int(self.rng.choice(5, p=weights / weights.sum())) + 1

    def aspects(self, spec: ProductSpec, rating: int) -> tuple[list[str], list[str]]:
        relevant = list(dict.fromkeys(CATEGORY_ASPECTS[spec.category] + GENERIC_ASPECTS))
        if rating == 5:
            positive_count, negative_count = 2 + int(self.rng.random() < 0.3), 0
        elif rating == 4:
            positive_count, negative_count = 2, int(self.rng.random() < 0.35)
        elif rating == 3:
            positive_count, negative_count = 1, 1
        elif rating == 2:
            positive_count, negative_count = (
                int(self.rng.random() < 0.3),
                1 + int(self.rng.random() < 0.4),
            )
        else:
            positive_count, negative_count = 0, 1 + int(self.rng.random() < 0.4)
        positive: list[str] = []
        if positive_count and self.rng.random() < 0.6:
            positive.append(spec.strong_aspect)
        while len(positive) < positive_count:
            aspect = self.pick(relevant)
            if aspect not in positive:
                positive.append(aspect)
        negative: list[str] = []
        if negative_count and self.rng.random() < 0.65:
            negative.append(spec.weak_aspect)
        while len(negative) < negative_count:
            aspect = self.pick(relevant)
            if aspect not in negative and aspect not in positive:
                negative.append(aspect)
        return positive, negative

    def compose(
        self,
        spec: ProductSpec,
        rating: int,
        language: str,
        *,
        lead_phrases: tuple[str, ...] = (),
        title: str | None = None,
    ) -> tuple[str, str]:
        """(title, body) for a review of `rating` stars."""
        positive, negative = self.aspects(spec, rating)
        if lead_phrases:
            # The planted complaint is the whole story: no praise of the same function, and
            # only now and then a second, unrelated gripe.
            positive = [aspect for aspect in positive if aspect != "function"]
            others = [a for a in GENERIC_ASPECTS if a not in positive and a != spec.weak_aspect]
            negative = [self.pick(others)] if self.rng.random() < 0.4 else []
        names = {"noun": spec.item.noun_en, "noun_zh": spec.item.noun_zh}
        good = [self.phrase(spec, aspect, language, POS) for aspect in positive]
        bad = list(lead_phrases) + [self.phrase(spec, aspect, language, NEG) for aspect in negative]
        parts = [self.pick(OPENERS[language][rating])]
        if self.rng.random() < 0.25:
            parts.append(self.pick(CONTEXTS[language]))
        if rating >= 3:
            parts += good
            if bad and good:
                bad[0] = self._contrast(bad[0], language, rating)
            parts += bad
        else:
            parts += bad + good
        parts.append(self.pick(CLOSERS[language][rating]))
        separator = " " if language == "en" else ""
        body = separator.join(part for part in parts if part).format(**names)
        if title is None:
            title = self._title(language, rating, positive, negative)
        return title.format(**names), body

    def _contrast(self, phrase: str, language: str, rating: int) -> str:
        if language == "zh":
            return ("唯一的缺点是" if rating == 4 else "不过") + phrase
        lowered = phrase[0].lower() + phrase[1:] if not phrase.startswith("I ") else phrase
        return ("My only complaint: " if rating == 4 else "But ") + lowered

    def _title(self, language: str, rating: int, positive, negative) -> str:
        if language == "zh":
            return self.pick(TITLES["zh"][rating]) if self.rng.random() < 0.5 else ""
        if rating >= 4 and positive and self.rng.random() < 0.4:
            return ASPECT_TITLES[POS][positive[0]]
        if rating <= 2 and negative and self.rng.random() < 0.5:
            return ASPECT_TITLES[NEG][negative[0]]
        return self.pick(TITLES["en"][rating])

    def source(self, language: str) -> str:
        names = [name for name, _ in SOURCES[language]]
        weights = [weight for _, weight in SOURCES[language]]
        return names[int(self.rng.choice(len(names), p=weights))]

    def author(self, language: str, source: str) -> str:
        if language == "en":
            if source == "amazon" and self.rng.random() < 0.08:
                return "Amazon Customer"
            return f"{self.pick(EN_FIRST_NAMES)} {self.pick(LETTERS)}."
        nickname = self.pick(ZH_NICKNAMES)
        if source == "taobao":
            # Taobao shows buyers' nicknames masked.
            return f"{nickname[0]}***{nickname[-1]}"
        return nickname


def _moment(day: dt.date, rng: np.random.Generator, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    seconds = int(rng.integers(7 * 3600, 24 * 3600))
    return dt.datetime.combine(day, dt.time(), tzinfo=tz) + dt.timedelta(seconds=seconds)


def _external_id(source: str, number: int) -> str:
    if source == "amazon":
        # "R" + 13 base-36 characters; multiplying by a number coprime with 36 is a bijection
        # modulo 36**13, so the ids look random and never repeat.
        value = (number * 123_456_789_012_345_678_911 + 7_777_777) % 36**13
        digits = []
        for _ in range(13):
            value, remainder = divmod(value, 36)
            digits.append("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[remainder])
        return "R" + "".join(reversed(digits))
    if source == "taobao":
        return str(300_000_000_000 + number * 7_919)
    return str(4_800_000_000 + number * 137)


def reviews_build(
    *,
    series: list[SalesSeries],
    dates: list[dt.date],
    total: int,
    timezone: str,
    seed: int,
    zh_share: float = 0.5,
) -> list[ReviewDraft]:
    """About `total` reviews spread over the products' selling days, oldest first."""
    rng = np.random.default_rng([seed, STREAM_REVIEWS])
    composer = _Composer(rng)
    tz = zoneinfo.ZoneInfo(timezone)
    selling = [s for s in series if s.selling and s.units.sum() > 0]
    if not selling:
        return []
    surge_series = next((s for s in selling if s.spec.crisis == REVIEW_SURGE), None)
    surge = surge_size(total) if surge_series is not None else 0
    calm_leaks = 2 if surge_series is not None else 0
    weights = np.array([float(s.units.sum()) ** 0.7 for s in selling])
    if surge_series is not None:
        weights[selling.index(surge_series)] *= 1.5  # enough calm history to contrast with
    counts = rng.multinomial(max(0, total - surge - calm_leaks), weights / weights.sum())

    drafts: list[ReviewDraft] = []

    def language_draw() -> str:
        return "zh" if rng.random() < zh_share else "en"

    def draft(spec, source, rating, title, body, language, day) -> ReviewDraft:
        # Taobao reviews have no title, as on the platform.
        return ReviewDraft(
            sku=spec.sku,
            source=source,
            rating=rating,
            title=title if source != "taobao" else "",
            body=body,
            language=language,
            author_name=composer.author(language, source),
            created_at=_moment(day, rng, tz),
        )

    for product_series, count in zip(selling, counts, strict=True):
        spec = product_series.spec
        days = np.arange(product_series.first, product_series.last)
        # Reviews follow purchases (plus a trickle on zero days).
        weight = product_series.units[days] + 0.05
        for index in rng.choice(days, size=int(count), p=weight / weight.sum()):
            language = language_draw()
            source = composer.source(language)
            rating = composer.rating(spec.quality)
            title, body = composer.compose(spec, rating, language)
            drafts.append(draft(spec, source, rating, title, body, language, dates[int(index)]))

    if surge_series is not None:
        spec = surge_series.spec
        last = len(dates)
        # Two mild leak complaints long ago: the history is calm, not spotless.
        for position, language in ((0.35, "en"), (0.7, "zh")):
            index = surge_series.first + int(
                (last - SURGE_DAYS * 3 - surge_series.first) * position
            )
            title, body = composer.compose(
                spec, 2, language, lead_phrases=(CALM_LEAK_PHRASES[language],)
            )
            source = composer.source(language)
            drafts.append(draft(spec, source, 2, title, body, language, dates[index]))
        for number in range(surge):
            language = ("en", "zh")[number % 2]
            rating = int(rng.choice([1, 2, 3], p=[0.55, 0.35, 0.10]))
            leak = composer.pick(LEAK_PHRASES[language])
            title = composer.pick(LEAK_TITLES) if language == "en" else "漏水"
            title, body = composer.compose(
                spec, rating, language, lead_phrases=(leak,), title=title
            )
            source = composer.source(language)
            day = dates[last - 1 - int(rng.integers(0, SURGE_DAYS))]
            drafts.append(draft(spec, source, rating, title, body, language, day))

    drafts.sort(key=lambda draft: (draft.created_at, draft.sku, draft.body))
    numbers: dict[str, int] = {}
    for draft in drafts:
        numbers[draft.source] = numbers.get(draft.source, 0) + 1
        draft.external_id = _external_id(draft.source, numbers[draft.source])
    return drafts

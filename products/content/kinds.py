"""The kinds of product copy the content studio writes, and the limits each one has."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class ContentKind(models.TextChoices):
    DESCRIPTION = "description", _("Long description")
    TITLE = "title", _("Short title")
    BULLETS = "bullets", _("Selling-point bullets")
    AD_COPY = "ad_copy", _("Ad copy")
    SEO_META = "seo_meta", _("SEO meta description")
    # The store's public answer to one customer review (reviews.llm writes these drafts; they
    # go through the same draft -> approve -> publish lifecycle, and publishing sets the
    # review's reply instead of a product text).
    REVIEW_REPLY = "review_reply", _("Review reply")


# The kinds of product copy the studio generates from a product's facts (every kind but the
# review reply, which reviews.llm writes from a review).
COPY_KINDS: tuple[str, ...] = tuple(
    kind.value for kind in ContentKind if kind != ContentKind.REVIEW_REPLY
)
COPY_KIND_CHOICES = [(kind.value, kind.label) for kind in ContentKind if kind.value in COPY_KINDS]


class ContentLanguage(models.TextChoices):
    EN = "en", _("English")
    ZH_HANS = "zh-hans", "简体中文"


@dataclass(frozen=True)
class AdChannel:
    code: str
    label: str  # English, as the generation prompts name the placement
    max_chars: int

    @property
    def display_label(self) -> Promise:
        """The placement's name in the language of the page (`label` is marked for
        translation with gettext_noop, so that the prompts keep the English name)."""
        return _(self.label)


# Length limits of the ad placements merchants use most; the prompt asks for them and the
# selection step rejects candidates that do not fit.
AD_CHANNELS: dict[str, AdChannel] = {
    channel.code: channel
    for channel in (
        AdChannel("google_headline", gettext_noop("Google Ads headline"), 30),
        AdChannel("google_description", gettext_noop("Google Ads description"), 90),
        AdChannel("meta_primary", gettext_noop("Meta (Facebook/Instagram) primary text"), 125),
        AdChannel("amazon_sponsored", gettext_noop("Amazon Sponsored Brands headline"), 50),
        AdChannel("taobao_zhitongche", gettext_noop("淘宝直通车 creative title"), 40),
    )
}

# Hard length limits per kind (characters); None means no hard limit.
MAX_CHARS: dict[str, int | None] = {
    ContentKind.DESCRIPTION: 2000,
    ContentKind.TITLE: 120,
    ContentKind.BULLETS: 1000,
    ContentKind.AD_COPY: None,  # the channel's limit
    ContentKind.SEO_META: 160,
    ContentKind.REVIEW_REPLY: 1000,
}


def max_chars(kind: str, channel: str = "") -> int | None:
    if kind == ContentKind.AD_COPY:
        return AD_CHANNELS[channel].max_chars if channel in AD_CHANNELS else 90
    return MAX_CHARS.get(kind)


def channel_label(channel: str) -> str:
    """The people-readable name of an ad channel ("" when there is none or it is unknown)."""
    return AD_CHANNELS[channel].label if channel in AD_CHANNELS else ""

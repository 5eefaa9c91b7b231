"""The kinds of product copy the content studio writes, and the limits each one has."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentKind(models.TextChoices):
    DESCRIPTION = "description", _("Long description")
    TITLE = "title", _("Short title")
    BULLETS = "bullets", _("Selling-point bullets")
    AD_COPY = "ad_copy", _("Ad copy")
    SEO_META = "seo_meta", _("SEO meta description")


class ContentLanguage(models.TextChoices):
    EN = "en", "English"
    ZH_HANS = "zh-hans", "简体中文"


@dataclass(frozen=True)
class AdChannel:
    code: str
    label: str
    max_chars: int


# Length limits of the ad placements merchants use most; the prompt asks for them and the
# selection step rejects candidates that do not fit.
AD_CHANNELS: dict[str, AdChannel] = {
    channel.code: channel
    for channel in (
        AdChannel("google_headline", "Google Ads headline", 30),
        AdChannel("google_description", "Google Ads description", 90),
        AdChannel("meta_primary", "Meta (Facebook/Instagram) primary text", 125),
        AdChannel("amazon_sponsored", "Amazon Sponsored Brands headline", 50),
        AdChannel("taobao_zhitongche", "淘宝直通车 creative title", 40),
    )
}

# Hard length limits per kind (characters); None means no hard limit.
MAX_CHARS: dict[str, int | None] = {
    ContentKind.DESCRIPTION: 2000,
    ContentKind.TITLE: 120,
    ContentKind.BULLETS: 1000,
    ContentKind.AD_COPY: None,  # the channel's limit
    ContentKind.SEO_META: 160,
}


def max_chars(kind: str, channel: str = "") -> int | None:
    if kind == ContentKind.AD_COPY:
        return AD_CHANNELS[channel].max_chars if channel in AD_CHANNELS else 90
    return MAX_CHARS.get(kind)


def channel_label(channel: str) -> str:
    """The people-readable name of an ad channel ("" when there is none or it is unknown)."""
    return AD_CHANNELS[channel].label if channel in AD_CHANNELS else ""

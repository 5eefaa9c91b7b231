"""Publishing writes the product field (default language) or a version, keeps the previous text,
and any version can be restored as a new one."""

import pytest
from django.urls import reverse

from products.content.models import ContentVersion, VersionSource
from products.content.services import (
    ContentConflict,
    draft_approve,
    draft_publish,
    version_restore,
)

from .factories import ContentDraftFactory

pytestmark = pytest.mark.django_db


def publish(draft, user):
    return draft_publish(draft=draft_approve(draft=draft, user=user), user=user)


def test_publishing_a_description_writes_the_product_and_keeps_the_original(bottle, owner):
    version = publish(ContentDraftFactory(product=bottle), owner)
    bottle.refresh_from_db()
    assert bottle.description == "A stainless steel bottle that holds 750 ml."
    history = ContentVersion.objects.filter(product=bottle, kind="description").order_by("pk")
    assert [(v.source, v.text, v.is_current) for v in history] == [
        (VersionSource.ORIGINAL, "Our classic bottle.", False),
        (VersionSource.GENERATED, "A stainless steel bottle that holds 750 ml.", True),
    ]
    assert version.published_by == owner


def test_restoring_brings_back_the_previous_text_as_a_new_version(bottle, owner):
    publish(ContentDraftFactory(product=bottle), owner)
    original = ContentVersion.objects.get(product=bottle, source=VersionSource.ORIGINAL)
    restored = version_restore(version=original, user=owner)
    bottle.refresh_from_db()
    assert bottle.description == "Our classic bottle."
    assert restored.source == VersionSource.RESTORED and restored.restored_from == original
    assert restored.is_current
    assert ContentVersion.objects.filter(product=bottle).count() == 3  # append-only
    with pytest.raises(ContentConflict) as raised:
        version_restore(version=restored, user=owner)
    assert raised.value.error_code == "already_current"


def test_a_title_is_written_to_the_product_too(bottle, owner):
    publish(ContentDraftFactory(product=bottle, kind="title", text="Steel bottle 750 ml"), owner)
    bottle.refresh_from_db()
    assert bottle.title == "Steel bottle 750 ml"
    assert ContentVersion.objects.get(product=bottle, source="original").text == (
        "Insulated bottle 750 ml"
    )


def test_a_description_in_another_language_lives_only_in_versions(bottle, owner):
    publish(ContentDraftFactory(product=bottle, language="zh-hans", text="不锈钢保温杯。"), owner)
    bottle.refresh_from_db()
    assert bottle.description == "Our classic bottle."
    current = ContentVersion.objects.get(product=bottle, is_current=True)
    assert current.language == "zh-hans" and current.text == "不锈钢保温杯。"
    assert not ContentVersion.objects.filter(source="original").exists()


def test_ad_copy_has_one_current_version_per_channel(bottle, owner):
    for channel, text in [("google_headline", "Steel 750 ml bottle"), ("meta_primary", "Cold")]:
        publish(
            ContentDraftFactory(product=bottle, kind="ad_copy", channel=channel, text=text), owner
        )
    publish(
        ContentDraftFactory(
            product=bottle, kind="ad_copy", channel="google_headline", text="Bottle 750 ml"
        ),
        owner,
    )
    current = ContentVersion.objects.filter(product=bottle, is_current=True).order_by("channel")
    assert [(v.channel, v.text) for v in current] == [
        ("google_headline", "Bottle 750 ml"),
        ("meta_primary", "Cold"),
    ]


def test_a_text_changed_outside_the_studio_is_kept_before_the_next_publish(bottle, owner):
    publish(ContentDraftFactory(product=bottle), owner)
    bottle.description = "Edited in the catalog."
    bottle.save()
    publish(ContentDraftFactory(product=bottle, text="A stainless steel bottle."), owner)
    manual = ContentVersion.objects.get(product=bottle, source=VersionSource.MANUAL)
    assert manual.text == "Edited in the catalog." and not manual.is_current


def test_restore_on_the_studio_page(owner_client, bottle, owner):
    publish(ContentDraftFactory(product=bottle), owner)
    original = ContentVersion.objects.get(product=bottle, source=VersionSource.ORIGINAL)
    studio = owner_client.get(reverse("content-studio", kwargs={"product_id": bottle.pk}))
    restore_url = reverse("content-version-restore", kwargs={"version_id": original.pk})
    assert restore_url in studio.content.decode()
    response = owner_client.post(restore_url)
    assert response.status_code == 302
    bottle.refresh_from_db()
    assert bottle.description == "Our classic bottle."

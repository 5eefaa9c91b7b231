"""The studio pages: queue, product studio, draft with diff, bulk; model text always escaped."""

import pytest
from django.urls import reverse

from products.content.models import DraftStatus
from tests.factories import ProductFactory

from .factories import ContentDraftFactory, ContentVersionFactory, flagged_draft

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


def draft_url(draft) -> str:
    return reverse("content-draft", kwargs={"draft_id": draft.pk})


def test_model_output_is_escaped_on_every_page(owner_client, bottle):
    text = f"Made of titanium {SCRIPT} with a lifetime warranty."
    draft = flagged_draft(product=bottle, text=text)
    draft.candidates = [{**draft.candidates[0], "text": text, "claims": draft.claims}]
    draft.claims = [{**draft.claims[0], "evidence": SCRIPT}]
    draft.save()
    for url in (
        draft_url(draft),
        reverse("content-studio", kwargs={"product_id": bottle.pk}),
        reverse("content-overview") + "?queue=all",
    ):
        html = owner_client.get(url).content.decode()
        assert SCRIPT not in html, url
    html = owner_client.get(draft_url(draft)).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_the_draft_page_shows_a_diff_against_the_current_text(owner_client, bottle):
    draft = ContentDraftFactory(product=bottle)
    html = owner_client.get(draft_url(draft)).content.decode()
    assert "Changes against the published text" in html
    assert '<del class="bg-danger-subtle" title="removed">Our classic bottle.</del>' in html
    assert ">A stainless steel bottle that holds 750 ml.</ins>" in html


def test_the_draft_page_says_when_publishing_does_not_change_the_product(owner_client, bottle):
    draft = ContentDraftFactory(product=bottle, language="zh-hans", text="不锈钢保温杯。")
    html = owner_client.get(draft_url(draft)).content.decode()
    assert 'id="version-only-note"' in html
    english = owner_client.get(draft_url(ContentDraftFactory(product=bottle))).content.decode()
    assert 'id="version-only-note"' not in english


def test_the_draft_page_lists_candidates_with_scores(owner_client, bottle):
    html = owner_client.get(draft_url(ContentDraftFactory(product=bottle))).content.decode()
    assert "Candidate 1" in html and "Candidate 2" in html and "score 5.00" in html
    assert "Use this candidate" in html


def test_the_overview_is_a_queue_of_drafts_by_state(owner_client, bottle):
    waiting = ContentDraftFactory(product=bottle)
    flagged = flagged_draft(product=bottle)
    published = ContentDraftFactory(
        product=bottle, status=DraftStatus.PUBLISHED, published_at="2026-01-01T00:00Z"
    )

    def shown(queue):
        html = owner_client.get(reverse("content-overview"), {"queue": queue}).content.decode()
        return {d.pk for d in (waiting, flagged, published) if draft_url(d) in html}

    assert shown("waiting") == {waiting.pk}
    assert shown("flagged") == {flagged.pk}
    assert shown("published") == {published.pk}
    assert shown("all") == {waiting.pk, flagged.pk, published.pk}


def test_the_nav_links_to_the_content_overview(owner_client):
    html = owner_client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("content-overview")}"' in html


def test_the_product_page_links_to_its_studio(owner_client, bottle):
    html = owner_client.get(reverse("product-detail", kwargs={"product_id": bottle.pk})).content
    assert reverse("content-studio", kwargs={"product_id": bottle.pk}) in html.decode()


def test_the_studio_defaults_the_language_to_the_merchants(owner_client, bottle, merchant):
    merchant.default_language = "zh-hans"
    merchant.save()
    html = owner_client.get(reverse("content-studio", kwargs={"product_id": bottle.pk})).content
    assert '<option value="zh-hans" selected>' in html.decode()


def test_the_studio_shows_drafts_and_history(owner_client, bottle):
    draft = ContentDraftFactory(product=bottle)
    ContentVersionFactory(product=bottle, text="- Old bullet")
    ContentVersionFactory(product=bottle, text="- Current bullet", is_current=True)
    html = owner_client.get(reverse("content-studio", kwargs={"product_id": bottle.pk})).content
    html = html.decode()
    assert draft_url(draft) in html and "- Old bullet" in html and "- Current bullet" in html


def test_an_invalid_generate_form_is_shown_again_with_errors(owner_client, bottle):
    url = reverse("content-generate", kwargs={"product_id": bottle.pk})
    response = owner_client.post(url, {"kind": "ad_copy", "language": "en", "candidates": 3})
    assert response.status_code == 400
    assert "Ad copy needs a channel." in response.content.decode()


def test_an_edit_form_error_keeps_the_typed_text(owner_client, bottle):
    draft = ContentDraftFactory(product=bottle, kind="seo_meta", text="Short meta.")
    url = reverse("content-draft-edit", kwargs={"draft_id": draft.pk})
    response = owner_client.post(url, {"text": "y" * 200})
    assert response.status_code == 400
    assert "y" * 200 in response.content.decode()


def test_another_merchants_draft_product_and_version_are_404(
    owner_client, other_merchant, other_owner
):
    product = ProductFactory(merchant=other_merchant)
    draft = ContentDraftFactory(product=product, text="beta copy")
    version = ContentVersionFactory(product=product, is_current=False)
    urls = [
        reverse("content-studio", kwargs={"product_id": product.pk}),
        draft_url(draft),
    ]
    for url in urls:
        assert owner_client.get(url).status_code == 404
    for name in ("edit", "approve", "reject", "publish", "override", "choose"):
        url = reverse(f"content-draft-{name}", kwargs={"draft_id": draft.pk})
        assert owner_client.post(url, {"text": "x", "reason": "x"}).status_code == 404
    restore = reverse("content-version-restore", kwargs={"version_id": version.pk})
    assert owner_client.post(restore).status_code == 404
    html = owner_client.get(reverse("content-overview"), {"queue": "all"}).content.decode()
    assert "beta copy" not in html

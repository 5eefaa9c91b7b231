"""Factories of the content studio tests."""

import factory

from products.content.models import (
    ContentDraft,
    ContentDraftRevision,
    ContentVersion,
    DraftStatus,
    VersionSource,
)
from tests.factories import ProductFactory


def claim(text: str, full_text: str, *, supported: bool, kind: str = "material", evidence=""):
    """A stored claim pointing at the first `text` in `full_text`."""
    start = full_text.index(text)
    return {
        "text": text,
        "kind": kind,
        "start": start,
        "end": start + len(text),
        "supported": supported,
        "evidence": evidence if supported else "",
    }


class ContentDraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentDraft

    product = factory.SubFactory(ProductFactory)
    merchant = factory.SelfAttribute("product.merchant")
    kind = "description"
    language = "en"
    channel = ""
    status = DraftStatus.DRAFT
    text = "A stainless steel bottle that holds 750 ml."
    generated_text = factory.SelfAttribute("text")
    claims = factory.LazyAttribute(
        lambda o: (
            [
                claim("stainless steel", o.text, supported=True, evidence="material"),
                claim("750 ml", o.text, supported=True, kind="quantity", evidence="capacity"),
            ]
            if "stainless steel" in o.text and "750 ml" in o.text
            else []
        )
    )
    candidates = factory.LazyAttribute(
        lambda o: [
            {
                "text": o.text,
                "claims": o.claims,
                "unsupported_count": 0,
                "coverage": 1.0,
                "covered_attributes": ["material", "capacity"],
                "missing_attributes": [],
                "repetition": False,
                "length_ok": True,
                "score": 5.0,
                "prompt_version": "description-en-v1",
                "model": "fake-echo",
                "generation_log_id": None,
            },
            {
                "text": "Steel bottle, 750 ml, keeps drinks cold.",
                "claims": [],
                "unsupported_count": 0,
                "coverage": 0.5,
                "covered_attributes": ["capacity"],
                "missing_attributes": ["material"],
                "repetition": False,
                "length_ok": True,
                "score": 3.5,
                "prompt_version": "description-en-v1",
                "model": "fake-echo",
                "generation_log_id": None,
            },
        ]
    )
    unsupported_count = factory.LazyAttribute(
        lambda o: sum(1 for item in o.claims if not item["supported"])
    )
    coverage = 1.0
    prompt_version = "description-en-v1"
    model = "fake-echo"


def flagged_draft(**kwargs) -> ContentDraft:
    """A draft whose text claims a material and a warranty the product facts do not state."""
    text = kwargs.pop("text", "Made of titanium with a lifetime warranty.")
    return ContentDraftFactory(
        text=text,
        claims=[
            claim("titanium", text, supported=False),
            claim("lifetime warranty", text, supported=False, kind="warranty"),
        ],
        **kwargs,
    )


class ContentDraftRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentDraftRevision

    draft = factory.SubFactory(ContentDraftFactory)
    text = factory.SelfAttribute("draft.text")
    note = "Generated"


class ContentVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentVersion

    product = factory.SubFactory(ProductFactory)
    merchant = factory.SelfAttribute("product.merchant")
    kind = "bullets"
    language = "en"
    channel = ""
    text = "- Stainless steel\n- 750 ml"
    source = VersionSource.GENERATED
    is_current = False

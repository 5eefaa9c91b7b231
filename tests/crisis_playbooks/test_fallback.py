"""When the model's text is unusable the playbook is composed from the evidence, and says so."""

import re

import pytest

from crisis.models import Playbook
from crisis.playbooks import fallback, playbook_request
from crisis.playbooks.checker import evidence_index, statement_reason
from crisis.playbooks.evidence import evidence_build

from .conftest import is_playbook_prompt, prompt_of, use_model

pytestmark = pytest.mark.django_db

CRISES = ["stockout_crisis", "surge_crisis", "overstock_crisis"]


def test_junk_from_the_model_gives_an_honest_text_composed_from_the_evidence(
    surge_crisis, drafted, leak_topic
):
    drafted(surge_crisis)

    playbook = Playbook.objects.get(crisis=surge_crisis)
    sections = playbook.sections
    assert sections["source"] == "evidence"
    assert sections["sources"] == {"what_happened": "evidence", "likely_cause": "evidence"}
    assert all(
        s["source"] == "evidence" for items in sections["statements"].values() for s in items
    )
    assert sections["likely_cause"].startswith("3 negative reviews are about “lid leaks”")
    assert f"[T{leak_topic.pk}]" in sections["likely_cause"]
    playbook_drops = [d for d in playbook.dropped if d["section"] != "listing_fix"]
    assert {d["reason"] for d in playbook_drops} == {"cites no evidence"}
    assert "73%" not in str(sections)


@pytest.mark.parametrize("name", CRISES)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_evidence_text_passes_the_checker_itself(request, name, language):
    crisis = request.getfixturevalue(name)
    crisis.merchant.default_language = language
    crisis.merchant.save()
    evidence = evidence_build(crisis=crisis)
    index = evidence_index(evidence)

    statements = fallback.what_happened(evidence) + fallback.likely_cause(evidence)

    assert statements
    for statement in statements:
        assert statement_reason(statement["text"], statement["citations"], index=index) == ""


def test_one_usable_section_from_the_model_makes_a_mixed_playbook(
    stockout_crisis, owner, on_commit
):
    def half(request):
        if not is_playbook_prompt(request):
            return ""
        label = re.search(r"\[(A\d+)\]", prompt_of(request)).group(1)
        return f"What happened: 150 units on hand cover 4.5 days of demand [{label}]."

    with use_model(half), on_commit():
        playbook_request(crisis=stockout_crisis, user=owner)

    sections = Playbook.objects.get(crisis=stockout_crisis).sections
    assert sections["source"] == "mixed"
    assert sections["sources"] == {"what_happened": "model", "likely_cause": "evidence"}
    assert sections["what_happened"] == (
        f"150 units on hand cover 4.5 days of demand [A{stockout_crisis.alerts.get().pk}]."
    )

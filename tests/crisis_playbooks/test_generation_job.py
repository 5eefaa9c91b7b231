"""The playbook job: on the llm queue, through the fake model, checked, with actions proposed."""

import re

import pytest

from core.models import GenerationLog
from crisis.models import ActionStatus, CrisisEvent, Playbook, PlaybookStatus
from crisis.playbooks import playbook_request
from jobs.models import JobKind, JobStatus

from .conftest import is_playbook_prompt, prompt_of, use_model

pytestmark = pytest.mark.django_db


def alert_label(request) -> str:
    return re.search(r"\[(A\d+)\]", prompt_of(request)).group(1)


def grounded_stockout(request) -> str:
    """A model that writes what the evidence says, citing the stockout alert."""
    if not is_playbook_prompt(request):
        return ""
    a = alert_label(request)
    return (
        "What happened:\n"
        f"- Only 150 units are on hand, 4.5 days of cover against a 35-day lead time [{a}].\n"
        "Likely cause:\n"
        f"- Demand of 33.3 units a day runs the stock out before an order can arrive [{a}].\n"
        "Actions:\n"
        f"- reorder: Ordering 550 units now covers the lead time [{a}].\n"
        f"- pause ads: Ads sell stock that runs out in 4.5 days [{a}]."
    )


def request_playbook(crisis, user, on_commit):
    with on_commit():
        job = playbook_request(crisis=crisis, user=user)
    job.refresh_from_db()
    return job


def test_a_playbook_job_keeps_the_models_cited_statements_and_proposes_actions(
    stockout_crisis, owner, on_commit
):
    with use_model(grounded_stockout):
        job = request_playbook(stockout_crisis, owner, on_commit)

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.kind == JobKind.CRISIS_PLAYBOOK and job.queue == "llm"
    assert job.task_name == "crisis.tasks.llm_playbook_generate"
    playbook = Playbook.objects.get(crisis=stockout_crisis)
    assert playbook.status == PlaybookStatus.READY and playbook.job == job
    sections = playbook.sections
    assert sections["source"] == "model", playbook.dropped
    [what] = sections["statements"]["what_happened"]
    assert what["text"] == (
        "Only 150 units are on hand, 4.5 days of cover against a 35-day lead time."
    )
    assert what["citations"] == [f"A{stockout_crisis.alerts.get().pk}"]
    assert sections["what_happened"].endswith(f"[A{stockout_crisis.alerts.get().pk}].")
    assert sections["citations"][0]["kind"] == "alert"
    assert playbook.dropped == []
    actions = {action.kind: action for action in playbook.actions.all()}
    assert set(actions) == {"reorder", "pause_ads"}
    assert all(action.status == ActionStatus.PROPOSED for action in actions.values())
    assert actions["reorder"].params["units"] == 550  # 512 raised to whole cases of 50
    assert actions["reorder"].params["rationale"]["text"] == (
        "Ordering 550 units now covers the lead time."
    )
    log = GenerationLog.objects.get(pk=playbook.generation_id)
    assert log.job_id == job.pk and log.purpose == "crisis_playbook"
    assert log.prompt_version == playbook.prompt_version == "crisis-playbook-en-v1"
    kinds = list(CrisisEvent.objects.filter(crisis=stockout_crisis).values_list("kind", flat=True))
    assert kinds == ["playbook_requested", "playbook_drafted"]


def test_the_playbook_is_written_in_the_merchants_language(stockout_crisis, owner, on_commit):
    stockout_crisis.merchant.default_language = "zh-hans"
    stockout_crisis.merchant.save()

    with use_model(lambda request: "Stock is low."):
        request_playbook(stockout_crisis, owner, on_commit)

    playbook = Playbook.objects.get(crisis=stockout_crisis)
    assert playbook.language == "zh-hans" and playbook.prompt_version == "crisis-playbook-zh-v1"
    assert playbook.sections["source"] == "evidence"
    assert "库存即将售罄" in playbook.sections["what_happened"]
    assert "补货" in playbook.actions.get(kind="reorder").title


def test_a_model_that_fails_for_good_leaves_a_playbook_drafted_from_the_evidence(
    stockout_crisis, owner, on_commit
):
    from core.llm import LLMConfigurationError

    def broken(request):
        raise LLMConfigurationError("no model file")

    with use_model(broken):
        job = request_playbook(stockout_crisis, owner, on_commit)

    assert job.status == JobStatus.SUCCEEDED
    playbook = Playbook.objects.get(crisis=stockout_crisis)
    assert playbook.status == PlaybookStatus.READY
    assert playbook.sections["source"] == "evidence"
    assert "llm_misconfigured" in playbook.sections["model_error"]
    assert playbook.generation.status == GenerationLog.Status.ERROR
    assert playbook.actions.count() == 2


def test_an_unreachable_model_is_retried_then_the_evidence_text_is_used(
    stockout_crisis, owner, on_commit
):
    from core.llm import LLMUnavailableError

    calls = []

    def down(request):
        calls.append(request)
        raise LLMUnavailableError("connection refused")

    with use_model(down):
        job = request_playbook(stockout_crisis, owner, on_commit)

    assert job.status == JobStatus.SUCCEEDED
    assert len(calls) == 3  # two retried attempts, then the evidence text
    playbook = Playbook.objects.get(crisis=stockout_crisis)
    assert playbook.sections["source"] == "evidence"


def test_a_failing_job_marks_the_playbook_failed_on_the_timeline(
    stockout_crisis, owner, on_commit, monkeypatch
):
    import crisis.playbooks.generate as generate

    def explode(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(generate, "evidence_build", explode)
    job = request_playbook(stockout_crisis, owner, on_commit)

    assert job.status == JobStatus.FAILED
    playbook = Playbook.objects.get(crisis=stockout_crisis)
    assert playbook.status == PlaybookStatus.FAILED and "disk full" in playbook.error
    assert CrisisEvent.objects.filter(crisis=stockout_crisis, kind="playbook_failed").exists()
    assert not playbook.actions.exists()

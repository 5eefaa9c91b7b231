"""Drafting a playbook from the crisis page, proposing actions, approving and rejecting them."""

import pytest
from django.urls import reverse

from accounts.models import Role
from crisis.models import (
    ActionStatus,
    CrisisAction,
    Playbook,
    PlaybookStatus,
    PurchaseSuggestion,
)
from jobs.models import Job, JobKind


def _crisis_url(name, crisis):
    return reverse(name, kwargs={"crisis_id": crisis.pk})


def _action_url(name, action):
    return reverse(name, kwargs={"action_id": action.pk})


@pytest.mark.django_db
def test_drafting_a_playbook_starts_a_job_and_shows_its_progress(analyst_client, crisis):
    response = analyst_client.post(_crisis_url("crisis-playbook-draft", crisis))
    assert response.status_code == 302
    playbook = Playbook.objects.get(crisis=crisis)
    assert playbook.status == PlaybookStatus.GENERATING
    assert playbook.job.kind == JobKind.CRISIS_PLAYBOOK
    html = analyst_client.get(_crisis_url("crisis-detail", crisis)).content.decode()
    assert "Drafting a playbook from the evidence" in html


@pytest.mark.django_db
def test_htmx_gets_the_playbook_section_back_polling_the_job(analyst_client, crisis):
    response = analyst_client.post(
        _crisis_url("crisis-playbook-draft", crisis), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'hx-trigger="every 2s"' in html


@pytest.mark.django_db
def test_a_second_draft_while_one_runs_is_refused_with_a_message(analyst_client, crisis):
    analyst_client.post(_crisis_url("crisis-playbook-draft", crisis))
    response = analyst_client.post(_crisis_url("crisis-playbook-draft", crisis), follow=True)
    assert b"is being drafted" in response.content
    assert Job.objects.filter(kind=JobKind.CRISIS_PLAYBOOK).count() == 1


@pytest.mark.django_db
def test_the_draft_button_is_hidden_from_viewers(role_clients, crisis):
    url = _crisis_url("crisis-playbook-draft", crisis)
    assert (
        url
        not in role_clients[Role.VIEWER].get(_crisis_url("crisis-detail", crisis)).content.decode()
    )
    assert (
        url in role_clients[Role.ANALYST].get(_crisis_url("crisis-detail", crisis)).content.decode()
    )


@pytest.mark.django_db
def test_an_analyst_proposes_an_action_that_waits_for_a_manager(analyst_client, crisis, analyst):
    response = analyst_client.post(
        _crisis_url("crisis-action-propose", crisis),
        {"kind": "reorder", "title": "Order 300 units", "units": "300"},
    )
    assert response.status_code == 302
    action = CrisisAction.objects.get(crisis=crisis)
    assert (action.status, action.params["units"], action.proposed_by) == (
        ActionStatus.PROPOSED,
        300,
        analyst,
    )
    html = analyst_client.get(_crisis_url("crisis-detail", crisis)).content.decode()
    assert "Waiting for an owner or a manager to approve it." in html
    assert _action_url("crisis-action-approve", action) not in html


@pytest.mark.django_db
def test_a_proposal_missing_its_numbers_is_shown_on_the_form(analyst_client, crisis):
    response = analyst_client.post(
        _crisis_url("crisis-action-propose", crisis),
        {"kind": "markdown", "title": "Mark it down", "price_cut_percent": "", "days": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This kind of action needs this value." in html
    assert '<details open id="propose">' in html
    assert not CrisisAction.objects.exists()


@pytest.mark.django_db
def test_a_manager_approves_a_reorder_which_records_a_purchase_suggestion(
    manager_client, proposed_action, manager
):
    html = manager_client.get(_crisis_url("crisis-detail", proposed_action.crisis)).content
    assert _action_url("crisis-action-approve", proposed_action).encode() in html
    response = manager_client.post(_action_url("crisis-action-approve", proposed_action))
    assert response.status_code == 302
    proposed_action.refresh_from_db()
    assert proposed_action.status == ActionStatus.APPLIED
    suggestion = PurchaseSuggestion.objects.get(action=proposed_action)
    assert suggestion.quantity == 120
    html = manager_client.get(_crisis_url("crisis-detail", proposed_action.crisis)).content
    assert b"a purchase suggestion of 120 units" in html


@pytest.mark.django_db
def test_a_manager_rejects_an_action_with_a_reason(manager_client, proposed_action):
    response = manager_client.post(
        _action_url("crisis-action-reject", proposed_action), {"reason": "Stock is on the way"}
    )
    assert response.status_code == 302
    proposed_action.refresh_from_db()
    assert proposed_action.status == ActionStatus.REJECTED
    html = manager_client.get(_crisis_url("crisis-detail", proposed_action.crisis)).content
    assert b"Reason: Stock is on the way" in html


@pytest.mark.django_db
def test_analysts_and_viewers_may_not_approve_or_reject(role_clients, proposed_action):
    for role in (Role.ANALYST, Role.VIEWER):
        client = role_clients[role]
        for name in ("crisis-action-approve", "crisis-action-reject"):
            assert client.post(_action_url(name, proposed_action)).status_code == 403
    proposed_action.refresh_from_db()
    assert proposed_action.status == ActionStatus.PROPOSED


@pytest.mark.django_db
def test_approving_twice_is_refused_with_a_message(manager_client, proposed_action):
    manager_client.post(_action_url("crisis-action-approve", proposed_action))
    response = manager_client.post(
        _action_url("crisis-action-approve", proposed_action), follow=True
    )
    assert response.status_code == 200
    assert PurchaseSuggestion.objects.filter(action=proposed_action).count() == 1
    assert b"alert-danger" in response.content

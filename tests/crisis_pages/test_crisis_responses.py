"""Responding on the crisis page: comment, status, owner, resolve with a post-mortem, reopen.
Buttons show only for the roles that may use them; a direct POST from another role is a 403;
bad input is shown on the form (400), never a 500."""

import pytest
from django.urls import reverse

from accounts.models import Role
from crisis.models import CrisisEvent, CrisisEventKind, CrisisStatus
from notifications.models import Notification


def _url(name, crisis):
    return reverse(name, kwargs={"crisis_id": crisis.pk})


def _page(client, crisis) -> str:
    return client.get(_url("crisis-detail", crisis)).content.decode()


@pytest.mark.django_db
def test_a_viewer_sees_no_response_form_and_is_refused_every_write(role_clients, crisis):
    client = role_clients[Role.VIEWER]
    html = _page(client, crisis)
    for name in ("crisis-comment", "crisis-status", "crisis-assign", "crisis-resolve"):
        assert _url(name, crisis) not in html, name
    assert "Your role may read this crisis but not change it." in html
    data = {"text": "hi", "status": "investigating", "owner": "1", "cause": "x"}
    for name in (
        "crisis-comment",
        "crisis-status",
        "crisis-assign",
        "crisis-resolve",
        "crisis-reopen",
        "crisis-acknowledge",
        "crisis-playbook-draft",
        "crisis-action-propose",
    ):
        assert client.post(_url(name, crisis), data).status_code == 403, name
    assert not CrisisEvent.objects.filter(kind=CrisisEventKind.COMMENT).exists()


@pytest.mark.django_db
def test_an_analyst_responds_but_may_not_assign_resolve_or_reopen(role_clients, crisis):
    client = role_clients[Role.ANALYST]
    html = _page(client, crisis)
    assert _url("crisis-comment", crisis) in html
    assert _url("crisis-status", crisis) in html
    assert _url("crisis-assign", crisis) not in html
    assert _url("crisis-resolve", crisis) not in html
    for name in ("crisis-assign", "crisis-resolve", "crisis-reopen"):
        assert client.post(_url(name, crisis), {"cause": "x"}).status_code == 403, name


@pytest.mark.django_db
def test_a_manager_sees_every_response_form(manager_client, crisis):
    html = _page(manager_client, crisis)
    for name in ("crisis-comment", "crisis-status", "crisis-assign", "crisis-resolve"):
        assert _url(name, crisis) in html, name


@pytest.mark.django_db
def test_a_comment_lands_on_the_timeline(analyst_client, crisis, analyst):
    response = analyst_client.post(_url("crisis-comment", crisis), {"text": "Called the supplier."})
    assert response.status_code == 302
    event = CrisisEvent.objects.get(crisis=crisis, kind=CrisisEventKind.COMMENT)
    assert (event.message, event.actor) == ("Called the supplier.", analyst)
    assert "Called the supplier." in _page(analyst_client, crisis)


@pytest.mark.django_db
def test_an_empty_comment_is_shown_as_a_form_error(analyst_client, crisis):
    response = analyst_client.post(_url("crisis-comment", crisis), {"text": "   "})
    assert response.status_code == 400
    assert b"invalid-feedback" in response.content or b"alert-danger" in response.content
    assert not CrisisEvent.objects.filter(kind=CrisisEventKind.COMMENT).exists()


@pytest.mark.django_db
def test_the_status_moves_along_and_a_refused_move_is_explained(analyst_client, crisis):
    response = analyst_client.post(_url("crisis-status", crisis), {"status": "mitigating"})
    assert response.status_code == 302
    crisis.refresh_from_db()
    assert crisis.status == CrisisStatus.MITIGATING
    assert crisis.acknowledged_at is not None
    response = analyst_client.post(_url("crisis-status", crisis), {"status": "resolved"})
    assert response.status_code == 400
    crisis.refresh_from_db()
    assert crisis.status == CrisisStatus.MITIGATING


@pytest.mark.django_db
def test_the_status_form_offers_only_the_moves_allowed(analyst_client, crisis):
    html = _page(analyst_client, crisis)
    assert '<option value="investigating">' in html
    assert '<option value="detected">' not in html
    assert '<option value="resolved">' not in html


@pytest.mark.django_db
def test_assigning_an_owner_notifies_them(manager_client, crisis, analyst):
    response = manager_client.post(_url("crisis-assign", crisis), {"owner": str(analyst.pk)})
    assert response.status_code == 302
    crisis.refresh_from_db()
    assert crisis.owner == analyst
    assert Notification.objects.filter(recipient=analyst, event="crisis_assigned").exists()


@pytest.mark.django_db
def test_an_owner_who_is_not_a_member_is_refused_on_the_form(manager_client, crisis, other_owner):
    response = manager_client.post(_url("crisis-assign", crisis), {"owner": str(other_owner.pk)})
    assert response.status_code == 400
    assert b"invalid-feedback" in response.content
    crisis.refresh_from_db()
    assert crisis.owner is None


@pytest.mark.django_db
def test_resolving_asks_for_a_cause_and_keeps_the_post_mortem(manager_client, crisis):
    response = manager_client.post(_url("crisis-resolve", crisis), {"cause": "", "worked": "x"})
    assert response.status_code == 400
    assert b"This field is required." in response.content
    assert b"<details open" in response.content
    crisis.refresh_from_db()
    assert crisis.status != CrisisStatus.RESOLVED

    response = manager_client.post(
        _url("crisis-resolve", crisis),
        {"cause": "Supplier slipped", "worked": "Air freight", "followups": "Second supplier"},
    )
    assert response.status_code == 302
    crisis.refresh_from_db()
    assert crisis.status == CrisisStatus.RESOLVED
    assert (crisis.postmortem_cause, crisis.postmortem_worked, crisis.postmortem_followups) == (
        "Supplier slipped",
        "Air freight",
        "Second supplier",
    )
    assert not crisis.alerts.exclude(status="resolved").exists()
    html = _page(manager_client, crisis)
    assert "Supplier slipped" in html and _url("crisis-reopen", crisis) in html


@pytest.mark.django_db
def test_a_resolved_crisis_can_be_reopened(manager_client, crisis):
    manager_client.post(_url("crisis-resolve", crisis), {"cause": "Fixed"})
    response = manager_client.post(_url("crisis-reopen", crisis))
    assert response.status_code == 302
    crisis.refresh_from_db()
    assert crisis.status == CrisisStatus.INVESTIGATING


@pytest.mark.django_db
def test_reopening_an_open_crisis_is_refused_with_a_message(manager_client, crisis):
    response = manager_client.post(_url("crisis-reopen", crisis), follow=True)
    assert response.status_code == 200
    assert b"Only a resolved crisis can be reopened." in response.content


@pytest.mark.django_db
def test_acknowledging_a_crisis_stops_its_acknowledgement_clock(analyst_client, crisis):
    assert _url("crisis-acknowledge", crisis) in _page(analyst_client, crisis)
    response = analyst_client.post(_url("crisis-acknowledge", crisis))
    assert response.status_code == 302
    crisis.refresh_from_db()
    assert crisis.acknowledged_at is not None
    assert crisis.status == CrisisStatus.INVESTIGATING
    assert not crisis.alerts.filter(status="open").exists()

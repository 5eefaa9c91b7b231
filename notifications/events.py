"""The events users can be notified of: code, label, default channels and default audience.

Callers raise an event with `notifications.services.notify`; when they pass no `recipients`,
the event's audience decides who gets it (always limited to current members of the merchant):

    from notifications.services import notify
    notify(merchant=m, event="alert_opened", title=_("Stock of %(sku)s runs out in 3 days") % ...,
           body=..., url=reverse("alert-detail", kwargs={"alert_id": alert.pk}))
    notify(merchant=m, event="crisis_assigned", title=..., url=...,
           context={"assignee": user})            # the assignee only
    notify(merchant=m, event="crisis_sla_breached", title=..., url=...,
           context={"assignee": user})            # the assignee and the owners/managers
    notify(merchant=m, event="drafts_awaiting_approval", title=..., url=...)  # approvers

Call it inside the transaction that made the change: the in-app rows are written with it, and
email and channel deliveries are sent after it commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role
from accounts.permissions import APPROVE_CONTENT, MATRIX

IN_APP = "in_app"
EMAIL = "email"
USER_CHANNELS = (IN_APP, EMAIL)
USER_CHANNEL_LABELS = {IN_APP: _("In the portal"), EMAIL: _("Email")}

MANAGERS = (Role.OWNER, Role.MANAGER)


def members_with_roles(merchant, roles) -> list:
    User = get_user_model()
    return list(
        User.objects.filter(
            memberships__merchant=merchant, memberships__role__in=roles, is_active=True
        ).order_by("pk")
    )


def _managers(merchant, context: dict) -> list:
    return members_with_roles(merchant, MANAGERS)


def _approvers(merchant, context: dict) -> list:
    return members_with_roles(merchant, MATRIX[APPROVE_CONTENT])


def _starter_or_managers(merchant, context: dict) -> list:
    starter = context.get("started_by")
    return [starter] if starter is not None else _managers(merchant, context)


def _assignee(merchant, context: dict) -> list:
    assignee = context.get("assignee")
    return [assignee] if assignee is not None else _managers(merchant, context)


def _assignee_and_managers(merchant, context: dict) -> list:
    people = _managers(merchant, context)
    assignee = context.get("assignee")
    if assignee is not None and assignee.pk not in {user.pk for user in people}:
        people.append(assignee)
    return people


def _invited_and_owners(merchant, context: dict) -> list:
    people = members_with_roles(merchant, (Role.OWNER,))
    invited = context.get("invited")
    if invited is not None and invited.pk not in {user.pk for user in people}:
        people.append(invited)
    return people


@dataclass(frozen=True)
class Event:
    code: str
    label: str | Promise
    audience: str | Promise  # who gets it when the caller names nobody, for the preferences page
    default_channels: frozenset[str]
    recipients: Callable[..., list]
    # Whether merchant channels (chat webhooks, team mailboxes) may post this event.
    posts_to_channels: bool = True
    # Ticked for a new channel.
    channel_default: bool = False


EVENTS: dict[str, Event] = {
    event.code: event
    for event in (
        Event(
            "job_succeeded",
            _("Job succeeded"),
            _("Whoever started the job (owners and managers when nobody did)."),
            frozenset({IN_APP}),
            _starter_or_managers,
        ),
        Event(
            "job_failed",
            _("Job failed"),
            _("Whoever started the job (owners and managers when nobody did)."),
            frozenset({IN_APP, EMAIL}),
            _starter_or_managers,
            channel_default=True,
        ),
        Event(
            "alert_opened",
            _("Alert opened"),
            _("Owners and managers."),
            frozenset({IN_APP}),
            _managers,
            channel_default=True,
        ),
        Event(
            "alert_escalated",
            _("Alert escalated"),
            _("Owners and managers."),
            frozenset({IN_APP, EMAIL}),
            _managers,
            channel_default=True,
        ),
        Event(
            "crisis_assigned",
            _("Crisis assigned"),
            _("The person the crisis is assigned to."),
            frozenset({IN_APP, EMAIL}),
            _assignee,
            channel_default=True,
        ),
        Event(
            "crisis_sla_breached",
            _("Crisis SLA breached"),
            _("The assignee, owners and managers."),
            frozenset({IN_APP, EMAIL}),
            _assignee_and_managers,
            channel_default=True,
        ),
        Event(
            "drafts_awaiting_approval",
            _("Drafts waiting for approval"),
            _("Everyone who may approve content (owners and managers)."),
            frozenset({IN_APP}),
            _approvers,
        ),
        Event(
            "member_invited",
            _("Member added"),
            _("The person added and the owners."),
            frozenset({IN_APP}),
            _invited_and_owners,
        ),
        Event(
            "channel_disabled",
            _("Notification channel disabled"),
            _("Owners and managers."),
            frozenset({IN_APP, EMAIL}),
            _managers,
            # A broken channel is reported to people, never to the other chat channels.
            posts_to_channels=False,
        ),
    )
}

EVENT_CHOICES = [(event.code, event.label) for event in EVENTS.values()]
CHANNEL_EVENT_CHOICES = [
    (event.code, event.label) for event in EVENTS.values() if event.posts_to_channels
]
CHANNEL_DEFAULT_EVENTS = [event.code for event in EVENTS.values() if event.channel_default]


def event_get(code: str) -> Event:
    try:
        return EVENTS[code]
    except KeyError:
        raise ValueError(f"Unknown notification event {code!r}") from None


def event_label(code: str) -> str:
    event = EVENTS.get(code)
    return str(event.label) if event else code


def member_ids(merchant, users) -> set[int]:
    """The ids among `users` that still belong to the merchant."""
    ids = {user.pk for user in users if user is not None}
    if not ids:
        return set()
    return set(
        Membership.objects.filter(
            merchant=merchant, user_id__in=ids, user__is_active=True
        ).values_list("user_id", flat=True)
    )

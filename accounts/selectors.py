from __future__ import annotations

from django.db.models import QuerySet

from .models import Membership


def memberships_for_user(*, user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, merchant__is_active=True)
        .select_related("merchant")
        .order_by("merchant__name")
    )


def membership_resolve(
    *, user, merchant_id: int | None = None, merchant_slug: str | None = None
) -> Membership | None:
    """The user's membership in the requested merchant, else their first one.

    A merchant the user does not belong to resolves to None when asked for by slug (the caller
    answers 404), and is ignored when it is a stale id from the session.
    """
    if not user or not user.is_authenticated:
        return None
    memberships = memberships_for_user(user=user)
    if merchant_slug:
        return memberships.filter(merchant__slug=merchant_slug).first()
    if merchant_id:
        found = memberships.filter(merchant_id=merchant_id).first()
        if found:
            return found
    return memberships.first()


def merchant_members(*, merchant) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(merchant=merchant)
        .select_related("user")
        .order_by("user__username")
    )

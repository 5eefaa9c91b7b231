"""Guards for portal views: a logged-in member of the active merchant, with a role check."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .permissions import role_can


def merchant_required(action: str | None = None):
    """Require a login and an active merchant; with `action`, require that role permission.

    A user with no merchant gets a page that says so (not a crash); a role that may not do
    `action` gets 403 (the object itself is already known to be the merchant's own).
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.membership is None:
                return render(request, "accounts/no_merchant.html", status=403)
            if action and not role_can(request.membership.role, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

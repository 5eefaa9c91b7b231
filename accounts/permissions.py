"""The permission matrix: which role may do what. The README documents this table."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .models import Role

VIEW = "view"
EDIT_CATALOG = "edit_catalog"
IMPORT_DATA = "import_data"
GENERATE_CONTENT = "generate_content"
APPROVE_CONTENT = "approve_content"
PUBLISH_CONTENT = "publish_content"
MANAGE_CHANNELS = "manage_channels"
RUN_FORECASTS = "run_forecasts"
MANAGE_PLANNING = "manage_planning"
ANALYSE_REVIEWS = "analyse_reviews"
# Acknowledge alerts, comment, move a crisis along, ask for a playbook, propose actions.
RESPOND_CRISES = "respond_crises"
# Approve or reject actions, assign owners, resolve crises, change detector thresholds.
MANAGE_CRISES = "manage_crises"
MANAGE_MEMBERS = "manage_members"
MANAGE_MERCHANT = "manage_merchant"

ALL_ROLES = {Role.OWNER, Role.MANAGER, Role.ANALYST, Role.VIEWER}

MATRIX: dict[str, set[str]] = {
    VIEW: ALL_ROLES,
    EDIT_CATALOG: {Role.OWNER, Role.MANAGER, Role.ANALYST},
    IMPORT_DATA: {Role.OWNER, Role.MANAGER, Role.ANALYST},
    GENERATE_CONTENT: {Role.OWNER, Role.MANAGER, Role.ANALYST},
    APPROVE_CONTENT: {Role.OWNER, Role.MANAGER},
    PUBLISH_CONTENT: {Role.OWNER, Role.MANAGER},
    MANAGE_CHANNELS: {Role.OWNER, Role.MANAGER},
    RUN_FORECASTS: {Role.OWNER, Role.MANAGER, Role.ANALYST},
    MANAGE_PLANNING: {Role.OWNER, Role.MANAGER},
    ANALYSE_REVIEWS: {Role.OWNER, Role.MANAGER},
    RESPOND_CRISES: {Role.OWNER, Role.MANAGER, Role.ANALYST},
    MANAGE_CRISES: {Role.OWNER, Role.MANAGER},
    MANAGE_MEMBERS: {Role.OWNER},
    MANAGE_MERCHANT: {Role.OWNER},
}


def role_can(role: str | None, action: str) -> bool:
    return role is not None and role in MATRIX[action]


class IsMerchantMember(permissions.BasePermission):
    """API default: an authenticated user acting for a merchant they belong to.

    Reads need any role; writes need `write_action` on the view (default: edit_catalog).
    """

    message = _("You are not a member of a merchant, or the merchant was not selected.")

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        membership = getattr(request, "membership", None)
        if membership is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        action = getattr(view, "write_action", EDIT_CATALOG)
        if not role_can(membership.role, action):
            self.message = _("Your role does not allow this action.")
            return False
        return True

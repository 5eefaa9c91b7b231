"""Portal views for tenants: switching merchant, merchant settings and members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .decorators import merchant_required
from .forms import MemberAddForm, MemberRoleForm, MerchantForm
from .middleware import SESSION_KEY
from .models import Membership
from .permissions import MANAGE_MEMBERS, MANAGE_MERCHANT, role_can
from .selectors import memberships_for_user, merchant_members


@login_required
@require_POST
def merchant_switch(request):
    """Make another of the user's merchants the active one; anyone else's merchant is a 404."""
    try:
        merchant_id = int(request.POST.get("merchant_id", ""))
    except ValueError:
        raise Http404 from None
    membership = memberships_for_user(user=request.user).filter(merchant_id=merchant_id).first()
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.merchant_id
    messages.success(
        request, _("You are now working in %(merchant)s.") % {"merchant": membership.merchant}
    )
    return redirect("dashboard")


@merchant_required()
@require_http_methods(["GET", "POST"])
def merchant_settings(request):
    merchant = request.merchant
    can_edit = role_can(request.membership.role, MANAGE_MERCHANT)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = MerchantForm(request.POST, instance=merchant)
        if form.is_valid():
            try:
                services.merchant_update(
                    merchant=merchant, **{name: form.cleaned_data[name] for name in form.fields}
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Merchant settings saved."))
                return redirect("merchant-settings")
        # A failed full_clean leaves the instance half-updated in memory; the page header
        # must keep showing what is stored.
        merchant.refresh_from_db()
    else:
        form = MerchantForm(instance=merchant)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "accounts/settings.html", {"form": form, "can_edit": can_edit})


def _member_page(request, *, add_form=None, row_errors=None, status=200):
    members = list(merchant_members(merchant=request.merchant))
    owner_count = sum(1 for member in members if member.role == "owner")
    rows = [
        {
            "membership": member,
            "form": MemberRoleForm(initial={"role": member.role}, prefix=f"m{member.pk}"),
            "errors": (row_errors or {}).get(member.pk, []),
            "is_last_owner": member.role == "owner" and owner_count == 1,
        }
        for member in members
    ]
    return render(
        request,
        "accounts/members.html",
        {"rows": rows, "add_form": add_form or MemberAddForm()},
        status=status,
    )


def _member_get(request, member_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "merchant"),
        pk=member_id,
        merchant=request.merchant,
    )


def _messages_of(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@merchant_required()
def member_list(request):
    return _member_page(request)


@merchant_required(MANAGE_MEMBERS)
@require_POST
def member_add(request):
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            membership = services.membership_add(
                merchant=request.merchant,
                username_or_email=form.cleaned_data["username_or_email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(user)s was added as %(role)s.")
                % {"user": membership.user.get_username(), "role": membership.get_role_display()},
            )
            return redirect("member-list")
    return _member_page(request, add_form=form, status=400)


@merchant_required(MANAGE_MEMBERS)
@require_POST
def member_role_change(request, member_id: int):
    membership = _member_get(request, member_id)
    form = MemberRoleForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        errors = [str(error) for errors in form.errors.values() for error in errors]
        return _member_page(request, row_errors={membership.pk: errors}, status=400)
    try:
        services.membership_role_change(membership=membership, role=form.cleaned_data["role"])
    except ValidationError as exc:
        return _member_page(request, row_errors={membership.pk: _messages_of(exc)}, status=400)
    messages.success(
        request,
        _("%(user)s is now %(role)s.")
        % {"user": membership.user.get_username(), "role": membership.get_role_display()},
    )
    return redirect("member-list")


@merchant_required(MANAGE_MEMBERS)
@require_POST
def member_remove(request, member_id: int):
    membership = _member_get(request, member_id)
    # delete() clears the pk, so decide before whether they are removing themselves.
    removed_self = membership.pk == request.membership.pk
    try:
        services.membership_remove(membership=membership)
    except ValidationError as exc:
        return _member_page(request, row_errors={membership.pk: _messages_of(exc)}, status=400)
    messages.success(
        request,
        _("%(user)s was removed from %(merchant)s.")
        % {"user": membership.user.get_username(), "merchant": request.merchant},
    )
    if removed_self:
        # They removed themselves: this merchant is no longer theirs to look at.
        request.session.pop(SESSION_KEY, None)
        return redirect("dashboard")
    return redirect("member-list")

"""Portal pages of the crisis center: the crisis board, a crisis (evidence, playbook, actions,
timeline, the response forms), the alert list and an alert, and the crisis settings.

Views validate a form, call one service of `crisis.services` / `crisis.playbooks`, and redirect;
they read through `crisis.selectors`. Every object is looked up among the request merchant's
own (another merchant's id is a 404). Every member reads; writes need RESPOND_CRISES or
MANAGE_CRISES (see `accounts.permissions`), which the pages also use to show or hide buttons.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import merchant_required
from accounts.permissions import MANAGE_CRISES, RESPOND_CRISES, role_can
from core.htmx import is_partial
from jobs.views_helpers import job_started_message

from .forms import (
    ActionProposeForm,
    AlertFilterForm,
    AssignForm,
    CommentForm,
    CrisisFilterForm,
    CrisisSettingsForm,
    RejectForm,
    ResolveForm,
    SnoozeForm,
    StatusForm,
)
from .models import (
    LIVE_ALERT_STATUSES,
    ActionStatus,
    Alert,
    Crisis,
    CrisisAction,
    CrisisStatus,
    PlaybookStatus,
    Severity,
)
from .playbooks.generate import playbook_request
from .selectors.crises import (
    alert_get,
    alert_list,
    crisis_alerts,
    crisis_board,
    crisis_get,
    crisis_status_choices,
    crisis_timeline,
)
from .selectors.playbooks import actions_for, playbook_latest
from .services import (
    alert_acknowledge,
    alert_resolve,
    alert_snooze,
    crisis_acknowledge,
    crisis_assign,
    crisis_comment,
    crisis_reopen,
    crisis_resolve,
    crisis_scan_start,
    crisis_settings_get,
    crisis_settings_update,
    crisis_status_set,
)
from .services.actions import action_approve, action_propose, action_reject
from .services.errors import CrisisError
from .templatetags.crisis_evidence import evidence_chart

CRISES_PER_PAGE = 50
ALERTS_PER_PAGE = 50


def _role(request) -> str | None:
    return request.membership.role if request.membership else None


def _permissions(request) -> dict[str, bool]:
    role = _role(request)
    return {
        "can_respond": role_can(role, RESPOND_CRISES),
        "can_manage": role_can(role, MANAGE_CRISES),
    }


def _error_text(error) -> str:
    if isinstance(error, CrisisError):
        return str(error.detail)
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    return str(error)


def _back(request, default: str) -> str:
    """The `next` field of a form when it is a page of this site, else `default`."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- The crisis board ----------------------------------------------------------------------------


def with_alert_kinds(crises):
    """Each crisis's live alerts in one extra query (the board shows their kinds)."""
    return crises.prefetch_related(
        Prefetch(
            "alerts",
            queryset=Alert.objects.filter(status__in=LIVE_ALERT_STATUSES).only(
                "id", "kind", "crisis_id", "money_at_risk"
            ),
            to_attr="live_alert_rows",
        )
    )


def _board_counts(merchant) -> dict:
    """Open crises by status and by severity: one query for the chips above the board."""
    rows = (
        Crisis.objects.for_merchant(merchant)
        .open()
        .values("status", "severity")
        .annotate(count=Count("id"))
        .order_by()
    )
    by_status: dict[str, int] = {}
    by_severity: dict[int, int] = {}
    for row in rows:
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["count"]
        by_severity[row["severity"]] = by_severity.get(row["severity"], 0) + row["count"]
    return {
        "statuses": [
            (value, label, by_status.get(value, 0))
            for value, label in CrisisStatus.choices
            if value != CrisisStatus.RESOLVED
        ],
        "severities": [
            (value, label, by_severity.get(value, 0)) for value, label in reversed(Severity.choices)
        ],
        "open": sum(by_status.values()),
    }


@merchant_required()
@require_GET
def crisis_board_view(request):
    """Open crises, money at risk first; filters by status, severity and owner."""
    merchant = request.merchant
    form = CrisisFilterForm(request.GET, merchant=merchant)
    filters = form.filters()
    crises = with_alert_kinds(crisis_board(merchant=merchant, **filters))
    page = Paginator(crises, CRISES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "crises": page.object_list,
        "currency": merchant.currency,
        **_permissions(request),
    }
    if is_partial(request):
        response = render(request, "crisis/_board_table.html", context)
    else:
        context["counts"] = _board_counts(merchant)
        context["settings"] = crisis_settings_get(merchant=merchant)
        response = render(request, "crisis/board.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- A crisis ------------------------------------------------------------------------------------


def _crisis_context(request, crisis, **forms) -> dict:
    merchant = request.merchant
    alerts = list(crisis_alerts(crisis=crisis))
    playbook = playbook_latest(crisis=crisis)
    return {
        "crisis": crisis,
        "product": crisis.product,
        "alerts": alerts,
        "charts": [(alert, evidence_chart(alert, currency=merchant.currency)) for alert in alerts],
        "timeline": crisis_timeline(crisis=crisis),
        "playbook": playbook,
        "playbook_job": playbook.job if playbook and playbook.job_id else None,
        "actions": actions_for(crisis=crisis),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "status_form": forms.get("status_form")
        or StatusForm(choices=crisis_status_choices(crisis=crisis)),
        "assign_form": forms.get("assign_form")
        or AssignForm(merchant=merchant, current=crisis.owner),
        "resolve_form": forms.get("resolve_form") or ResolveForm(),
        "propose_form": forms.get("propose_form") or ActionProposeForm(),
        "reject_form": RejectForm(),
        "open_form": next(iter(forms), ""),
        "currency": merchant.currency,
        "is_resolved": crisis.status == CrisisStatus.RESOLVED,
        **_permissions(request),
    }


@merchant_required()
@require_GET
def crisis_detail(request, crisis_id: int):
    crisis = crisis_get(merchant=request.merchant, crisis_id=crisis_id)
    return render(request, "crisis/detail.html", _crisis_context(request, crisis))


def _crisis_url(crisis, anchor: str = "") -> str:
    url = reverse("crisis-detail", kwargs={"crisis_id": crisis.pk})
    return f"{url}#{anchor}" if anchor else url


def _crisis_form_failed(request, crisis, name: str, form) -> HttpResponse:
    """The crisis page again, with the form's errors shown where it was filled in."""
    context = _crisis_context(request, crisis, **{name: form})
    return render(request, "crisis/detail.html", context, status=400)


def _service_errors(form, error) -> None:
    """A refusal of the service, shown on the form (never a 500)."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, _error_text(error))


def _crisis_act(request, crisis, act, success: str) -> HttpResponse:
    """A button without a form: do it, say how it went, back to the crisis page."""
    try:
        act()
    except (CrisisError, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, success)
    return redirect(_crisis_url(crisis))


def _crisis_form_submit(request, crisis, name: str, form, act, success, anchor: str = ""):
    """A form of the crisis page: validate it, hand its data to the service, then redirect.

    `act(data)` calls the service with the form's cleaned data; `success(data)` is the message
    shown afterwards. Invalid input and a refusal of the service both come back as the page
    with the form's errors (status 400), never a 500.
    """
    if form.is_valid():
        data = form.cleaned_data
        try:
            act(data)
        except (CrisisError, ValidationError) as error:
            _service_errors(form, error)
        else:
            messages.success(request, success(data))
            return redirect(_crisis_url(crisis, anchor))
    return _crisis_form_failed(request, crisis, name, form)


@merchant_required(RESPOND_CRISES)
@require_POST
def crisis_acknowledge_view(request, crisis_id: int):
    """ "I am on it": acknowledges the crisis and its open alerts."""
    crisis = crisis_get(merchant=request.merchant, crisis_id=crisis_id)
    return _crisis_act(
        request,
        crisis,
        lambda: crisis_acknowledge(crisis=crisis, user=request.user),
        _("Crisis acknowledged."),
    )


@merchant_required(RESPOND_CRISES)
@require_POST
def crisis_comment_view(request, crisis_id: int):
    crisis = crisis_get(merchant=request.merchant, crisis_id=crisis_id)
    return _crisis_form_submit(
        request,
        crisis,
        "comment_form",
        CommentForm(request.POST),
        lambda data: crisis_comment(crisis=crisis, user=request.user, text=data["text"]),
        lambda data: _("Comment added."),
        anchor="timeline",
    )


@merchant_required(RESPOND_CRISES)
@require_POST
def crisis_status_view(request, crisis_id: int):
    crisis = crisis_get(merchant=request.merchant, crisis_id=crisis_id)
    return _crisis_form_submit(
        request,
        crisis,
        "status_form",
        StatusForm(request.POST, choices=crisis_status_choices(crisis=crisis)),
        lambda data: crisis_status_set(crisis=crisis, status=data["status"], user=request.user),
        lambda data: _("Status changed."),
    )


@merchant_required(MANAGE_CRISES)
@require_POST
def crisis_assign_view(request, crisis_id: int):
    crisis = crisis_get(merchant=request.merchant, crisis_id=crisis_id)
    return _crisis_form_submit(
        request,
        crisis,
        "assign_form",
        AssignForm(request.POST, merchant=request.merchant, current=crisis.owner),
        lambda data: crisis_assign(crisis=crisis, owner=data["owner"], user=request.user),
        lambda data: _("%(name)s now owns this crisis.") % {"name": data["owner"].get_username()},
    )


@merchant_required(MANAGE_CRISES)
@require_POST
def crisis_resolve_view(request, crisis_id: int):
    crisis = crisis_get(merchant=request.merchant, crisis_id=crisis_id)
    form = ResolveForm(request.POST)
    return _crisis_form_submit(
        request,
        crisis,
        "resolve_form",
        form,
        lambda data: crisis_resolve(crisis=crisis, user=request.user, **form.postmortem()),
        lambda data: _("Crisis resolved; the post-mortem is kept with it."),
    )


@merchant_required(MANAGE_CRISES)
@require_POST
def crisis_reopen_view(request, crisis_id: int):
    crisis = crisis_get(merchant=request.merchant, crisis_id=crisis_id)
    return _crisis_act(
        request,
        crisis,
        lambda: crisis_reopen(crisis=crisis, user=request.user),
        _("Crisis reopened."),
    )


# --- Playbook and actions ------------------------------------------------------------------------


def _playbook_context(request, crisis) -> dict:
    playbook = playbook_latest(crisis=crisis)
    return {
        "crisis": crisis,
        "playbook": playbook,
        "playbook_job": playbook.job if playbook and playbook.job_id else None,
        "is_resolved": crisis.status == CrisisStatus.RESOLVED,
        **_permissions(request),
    }


@merchant_required()
@require_GET
def crisis_playbook_section(request, crisis_id: int):
    """The playbook section alone: htmx polls it while a playbook is being drafted; once it is
    done the whole page reloads, since drafting also proposed actions."""
    crisis = crisis_get(merchant=request.merchant, crisis_id=crisis_id)
    context = _playbook_context(request, crisis)
    response = render(request, "crisis/_playbook.html", context)
    playbook = context["playbook"]
    if request.htmx and (playbook is None or playbook.status != PlaybookStatus.GENERATING):
        response["HX-Refresh"] = "true"
    patch_vary_headers(response, ["HX-Request"])
    return response


@merchant_required(RESPOND_CRISES)
@require_POST
def crisis_playbook_draft(request, crisis_id: int):
    """Ask the language model for a playbook (a job on the llm queue)."""
    crisis = crisis_get(merchant=request.merchant, crisis_id=crisis_id)
    try:
        job = playbook_request(crisis=crisis, user=request.user)
    except (CrisisError, ValidationError) as error:
        messages.error(request, _error_text(error))
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return redirect(_crisis_url(crisis, "playbook"))
    job_started_message(request, job)
    if request.htmx:
        return render(request, "crisis/_playbook.html", _playbook_context(request, crisis))
    return redirect(_crisis_url(crisis, "playbook"))


@merchant_required(RESPOND_CRISES)
@require_POST
def crisis_action_propose(request, crisis_id: int):
    crisis = crisis_get(merchant=request.merchant, crisis_id=crisis_id)
    form = ActionProposeForm(request.POST)
    return _crisis_form_submit(
        request,
        crisis,
        "propose_form",
        form,
        lambda data: action_propose(crisis=crisis, user=request.user, **form.action()),
        lambda data: _("Action proposed; a manager approves it before it runs."),
        anchor="actions",
    )


def _action_get(request, action_id: int) -> CrisisAction:
    return get_object_or_404(
        CrisisAction.objects.filter(merchant=request.merchant).select_related("crisis"),
        pk=action_id,
    )


@merchant_required(MANAGE_CRISES)
@require_POST
def crisis_action_approve(request, action_id: int):
    """Approve an action; approving applies it inside EcomOps (never outside)."""
    action = _action_get(request, action_id)
    try:
        action = action_approve(action=action, user=request.user)
    except (CrisisError, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        if action.status == ActionStatus.FAILED:
            messages.error(
                request,
                _("“%(title)s” was approved but could not be applied: %(error)s")
                % {"title": action.title, "error": action.error},
            )
        else:
            messages.success(request, _("“%(title)s” approved.") % {"title": action.title})
    return redirect(_crisis_url(action.crisis, "actions"))


@merchant_required(MANAGE_CRISES)
@require_POST
def crisis_action_reject(request, action_id: int):
    action = _action_get(request, action_id)
    form = RejectForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        action_reject(action=action, user=request.user, reason=reason)
    except (CrisisError, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("“%(title)s” rejected.") % {"title": action.title})
    return redirect(_crisis_url(action.crisis, "actions"))


# --- Alerts --------------------------------------------------------------------------------------


@merchant_required()
@require_GET
def alert_list_view(request):
    """Live alerts (or the chosen status), money at risk first, with their buttons."""
    merchant = request.merchant
    form = AlertFilterForm(request.GET, merchant=merchant)
    filters = form.filters()
    alerts = alert_list(merchant=merchant, **filters)
    page = Paginator(alerts, ALERTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "alerts": page.object_list,
        "snooze_form": SnoozeForm(merchant=merchant),
        "currency": merchant.currency,
        **_permissions(request),
    }
    template = "crisis/_alert_table.html" if is_partial(request) else "crisis/alerts.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _alert_context(request, alert, **forms) -> dict:
    return {
        "alert": alert,
        "chart": evidence_chart(alert, currency=request.merchant.currency),
        "snooze_form": forms.get("snooze_form") or SnoozeForm(merchant=request.merchant),
        "currency": request.merchant.currency,
        **_permissions(request),
    }


@merchant_required()
@require_GET
def alert_detail(request, alert_id: int):
    alert = alert_get(merchant=request.merchant, alert_id=alert_id)
    return render(request, "crisis/alert_detail.html", _alert_context(request, alert))


def _alert_done(request, alert, text: str) -> HttpResponse:
    """After a button on an alert: htmx gets the refreshed row, others go back."""
    if request.htmx and request.POST.get("row"):
        alert = alert_get(merchant=request.merchant, alert_id=alert.pk)
        context = {
            "alert": alert,
            "snooze_form": SnoozeForm(merchant=request.merchant),
            "currency": request.merchant.currency,
            "row_message": text,
            "next_url": reverse("alert-list"),
            **_permissions(request),
        }
        return render(request, "crisis/_alert_row.html", context)
    messages.success(request, text)
    return redirect(_back(request, reverse("alert-detail", kwargs={"alert_id": alert.pk})))


def _alert_refused(request, alert, error) -> HttpResponse:
    if request.htmx and request.POST.get("row"):
        context = {
            "alert": alert,
            "snooze_form": SnoozeForm(merchant=request.merchant),
            "currency": request.merchant.currency,
            "row_error": _error_text(error),
            "next_url": reverse("alert-list"),
            **_permissions(request),
        }
        return render(request, "crisis/_alert_row.html", context, status=400)
    messages.error(request, _error_text(error))
    return redirect(_back(request, reverse("alert-detail", kwargs={"alert_id": alert.pk})))


@merchant_required(RESPOND_CRISES)
@require_POST
def alert_acknowledge_view(request, alert_id: int):
    alert = alert_get(merchant=request.merchant, alert_id=alert_id)
    try:
        alert_acknowledge(alert=alert, user=request.user)
    except (CrisisError, ValidationError) as error:
        return _alert_refused(request, alert, error)
    return _alert_done(request, alert, _("Alert acknowledged."))


@merchant_required(RESPOND_CRISES)
@require_POST
def alert_snooze_view(request, alert_id: int):
    alert = alert_get(merchant=request.merchant, alert_id=alert_id)
    form = SnoozeForm(request.POST, merchant=request.merchant)
    if not form.is_valid():
        if request.htmx and request.POST.get("row"):
            context = {
                "alert": alert,
                "snooze_form": form,
                "next_url": reverse("alert-list"),
                "currency": request.merchant.currency,
                **_permissions(request),
            }
            return render(request, "crisis/_alert_row.html", context, status=400)
        context = _alert_context(request, alert, snooze_form=form)
        return render(request, "crisis/alert_detail.html", context, status=400)
    try:
        alert_snooze(alert=alert, user=request.user, until=form.snoozed_until())
    except (CrisisError, ValidationError) as error:
        return _alert_refused(request, alert, error)
    return _alert_done(request, alert, _("Alert snoozed."))


@merchant_required(RESPOND_CRISES)
@require_POST
def alert_resolve_view(request, alert_id: int):
    alert = alert_get(merchant=request.merchant, alert_id=alert_id)
    try:
        alert_resolve(alert=alert, user=request.user)
    except (CrisisError, ValidationError) as error:
        return _alert_refused(request, alert, error)
    return _alert_done(request, alert, _("Alert resolved."))


# --- Settings and scans --------------------------------------------------------------------------


def _require(request, action: str) -> None:
    if not role_can(_role(request), action):
        raise PermissionDenied


@merchant_required()
@require_http_methods(["GET", "POST"])
def crisis_settings_view(request):
    """Detector thresholds, SLA hours per severity and scheduled scans: every member reads,
    owners and managers change them."""
    merchant = request.merchant
    settings = crisis_settings_get(merchant=merchant)
    status = 200
    if request.method == "POST":
        _require(request, MANAGE_CRISES)
        form = CrisisSettingsForm.for_settings(
            settings, data=request.POST, currency=merchant.currency
        )
        if form.is_valid():
            try:
                crisis_settings_update(merchant=merchant, **form.changes())
            except (CrisisError, ValidationError, ValueError) as error:
                _service_errors(form, error)
            else:
                messages.success(request, _("Crisis settings saved; the next scan uses them."))
                return redirect("crisis-settings")
        status = 400
    else:
        form = CrisisSettingsForm.for_settings(settings, currency=merchant.currency)
    context = {"form": form, "settings": settings, **_permissions(request)}
    return render(request, "crisis/settings.html", context, status=status)


@merchant_required(RESPOND_CRISES)
@require_POST
def crisis_scan_now(request):
    """Start a scan of the store now (a job); the board shows its crises when it ends."""
    back = _back(request, reverse("crisis-board"))
    try:
        job = crisis_scan_start(merchant=request.merchant, reason="manual", user=request.user)
    except (CrisisError, ValidationError) as error:
        messages.error(request, _error_text(error))
        return HttpResponseRedirect(back)
    if job is None:
        messages.info(request, _("A scan is already queued or running."))
    else:
        job_started_message(request, job)
    return HttpResponseRedirect(back)

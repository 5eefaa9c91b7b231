"""Portal pages of forecasting: the inventory plan, a product's forecast, runs, settings.

Views validate, call one service and redirect; every object is looked up among the request
merchant's own (another merchant's id is a 404). Every member reads; starting a run and the
planning targets need the roles below.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from accounts.decorators import merchant_required
from accounts.permissions import IMPORT_DATA, role_can
from core.htmx import is_partial
from core.selectors import merchant_today
from jobs.views_helpers import job_started_message
from products.selectors import product_categories, product_get

from .exports import plan_csv_response, plan_xlsx_response
from .forms import (
    CalendarEventForm,
    PlanFilterForm,
    PlanningSettingsForm,
    ServiceLevelOverrideForm,
)
from .selectors.forecasts import (
    HISTORY_DAYS,
    calendar_event_get,
    calendar_events,
    forecast_current,
    forecast_series,
    plan_categories,
    plan_counts,
    plan_for_product,
    plan_list,
    planning_settings_get,
    run_active,
    run_get,
    run_latest_finished,
    run_list,
    service_level_override_get,
    service_level_overrides,
)
from .services.config import (
    calendar_event_create,
    calendar_event_delete,
    planning_settings_update,
    service_level_override_delete,
    service_level_override_set,
)
from .services.runs import forecast_run_start

# Who may do what. Analysts may start a run, as they may import the data it reads; the
# service-level targets decide how much stock is ordered, so owners and managers set them.
# Calendar days (promotions, holidays) are data like sales: whoever may import data adds them.
# `accounts.permissions` names its own keys for these once it has them; until then the
# actions with the same roles stand in.
RUN_FORECASTS = permissions.RUN_FORECASTS
MANAGE_PLANNING = permissions.MANAGE_PLANNING
EDIT_CALENDAR = IMPORT_DATA

PLANS_PER_PAGE = 50
RUNS_PER_PAGE = 30
EVENTS_PER_PAGE = 50


def _role(request) -> str | None:
    return request.membership.role if request.membership else None


def _permissions(request) -> dict[str, bool]:
    role = _role(request)
    return {
        "can_run": role_can(role, RUN_FORECASTS),
        "can_plan": role_can(role, MANAGE_PLANNING),
        "can_edit_calendar": role_can(role, EDIT_CALENDAR),
    }


# --- The inventory plan ------------------------------------------------------------------------


def _plan_filters(request) -> tuple[PlanFilterForm, dict]:
    form = PlanFilterForm(request.GET, categories=plan_categories(merchant=request.merchant))
    return form, form.filters()


@merchant_required()
@require_GET
def plan_table(request):
    """Every planned product with its stock, cover, stockout risk, order and overstock."""
    merchant = request.merchant
    form, filters = _plan_filters(request)
    plans = plan_list(merchant=merchant, **filters)
    page = Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "plans": page.object_list,
        "currency": merchant.currency,
        **_permissions(request),
    }
    if is_partial(request):
        response = render(request, "forecasting/_plan_table.html", context)
    else:
        context.update(
            counts=plan_counts(merchant=merchant),
            active_run=run_active(merchant=merchant),
            latest_run=run_latest_finished(merchant=merchant),
        )
        response = render(request, "forecasting/plan.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@merchant_required()
@require_GET
def plan_export_csv(request):
    """The filtered, sorted plan table, every row (not one page), streamed as CSV."""
    _form, filters = _plan_filters(request)
    plans = plan_list(merchant=request.merchant, **filters)
    return plan_csv_response(plans, merchant=request.merchant)


@merchant_required()
@require_GET
def plan_export_xlsx(request):
    """The filtered, sorted plan table, every row, as an Excel workbook."""
    _form, filters = _plan_filters(request)
    plans = plan_list(merchant=request.merchant, **filters)
    return plan_xlsx_response(plans, merchant=request.merchant)


# --- A product's forecast ----------------------------------------------------------------------


def forecast_chart_data(series, *, frequency: str) -> dict:
    """Plain JSON for forecasting/forecast_chart.js."""
    return {
        "kind": "forecast",
        "history": {
            "x": [point.date.isoformat() for point in series.history],
            "y": [point.units for point in series.history],
        },
        "actuals": {
            "x": [point.date.isoformat() for point in series.actuals],
            "y": [point.units for point in series.actuals],
        },
        "forecast": {
            "x": [day.isoformat() for day in series.dates],
            "p10": series.p10,
            "p50": series.p50,
            "p90": series.p90,
        },
        "labels": {
            "history": _("Units sold"),
            "actuals": _("Sold since the forecast"),
            "p50": _("Forecast (P50, median)"),
            "band": _("Likely range (P10–P90)"),
            "units": _("Units a week") if frequency == "W" else _("Units a day"),
        },
    }


@merchant_required()
@require_GET
def forecast_product(request, product_id: int):
    """History, the P10–P90 band, P50, actuals since, accuracy, the model and the plan."""
    merchant = request.merchant
    product = product_get(merchant=merchant, product_id=product_id)
    forecast = forecast_current(merchant=merchant, product=product)
    today = merchant_today(merchant=merchant)
    series = forecast_series(merchant=merchant, product=product, forecast=forecast, today=today)
    frequency = forecast.frequency if forecast else "D"
    has_history = any(point.units for point in series.history + series.actuals)
    rows = [
        {
            "date": day,
            "p10": series.p10[index] if index < len(series.p10) else None,
            "p50": series.p50[index] if index < len(series.p50) else None,
            "p90": series.p90[index] if index < len(series.p90) else None,
        }
        for index, day in enumerate(series.dates)
    ]
    actual_by_date = {point.date: point.units for point in series.actuals}
    for row in rows:
        row["actual"] = actual_by_date.get(row["date"])
    context = {
        "product": product,
        "forecast": forecast,
        "run": forecast.run if forecast else None,
        "plan": plan_for_product(merchant=merchant, product=product),
        "planning": planning_settings_get(merchant=merchant),
        "chart": forecast_chart_data(series, frequency=frequency),
        "has_chart": bool(series.dates) or has_history,
        "rows": rows,
        "history_days": HISTORY_DAYS,
        "currency": merchant.currency,
        "active_run": run_active(merchant=merchant),
        **_permissions(request),
    }
    return render(request, "forecasting/product.html", context)


# --- Runs --------------------------------------------------------------------------------------


@merchant_required()
@require_GET
def run_list_view(request):
    merchant = request.merchant
    page = Paginator(run_list(merchant=merchant), RUNS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "runs": page.object_list,
        "active_run": run_active(merchant=merchant),
        **_permissions(request),
    }
    return render(request, "forecasting/runs.html", context)


@merchant_required()
@require_GET
def run_detail(request, run_id: int):
    """A run's status, timings, metrics and chosen models; htmx polls the status while active."""
    run = run_get(merchant=request.merchant, run_id=run_id)
    context = {"run": run, **_permissions(request)}
    if is_partial(request):
        response = render(request, "forecasting/_run_status.html", context)
    else:
        response = render(request, "forecasting/run_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


@merchant_required(RUN_FORECASTS)
@require_POST
def run_start(request):
    """Start a forecast of every product, or of one (`product_id`, from its forecast page)."""
    merchant = request.merchant
    product = None
    if request.POST.get("product_id"):
        try:
            product_id = int(request.POST["product_id"])
        except ValueError:
            product_id = 0
        product = product_get(merchant=merchant, product_id=product_id)
    back = (
        reverse("forecast-product", kwargs={"product_id": product.pk})
        if product
        else reverse("forecast-run-list")
    )
    try:
        run = forecast_run_start(
            merchant=merchant,
            started_by=request.user,
            trigger="manual",
            product_ids=[product.pk] if product else None,
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(back)
    if run.job is not None:
        job_started_message(request, run.job)
    if product:
        return redirect(back)
    return redirect("forecast-run-detail", run_id=run.pk)


# --- Planning settings -------------------------------------------------------------------------


def _settings_context(request, **forms) -> dict:
    merchant = request.merchant
    categories = product_categories(merchant=merchant)
    settings = planning_settings_get(merchant=merchant)
    events = Paginator(calendar_events(merchant=merchant), EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return {
        "settings_form": forms.get("settings_form") or PlanningSettingsForm.for_settings(settings),
        "override_form": forms.get("override_form")
        or ServiceLevelOverrideForm(merchant=merchant, categories=categories),
        "event_form": forms.get("event_form") or CalendarEventForm(merchant=merchant),
        "planning": settings,
        "overrides": service_level_overrides(merchant=merchant),
        "page": events,
        "events": events.object_list,
        "today": merchant_today(merchant=merchant),
        **_permissions(request),
    }


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = {"service_level": "service_level_percent", "product": "sku"}.get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _require(request, action: str) -> None:
    if not role_can(_role(request), action):
        raise PermissionDenied


@merchant_required()
@require_http_methods(["GET", "POST"])
def planning_settings_view(request):
    """The merchant's planning defaults, service-level overrides and calendar days."""
    merchant = request.merchant
    if request.method == "POST":
        _require(request, MANAGE_PLANNING)
        form = PlanningSettingsForm.for_settings(
            planning_settings_get(merchant=merchant), data=request.POST
        )
        if form.is_valid():
            try:
                planning_settings_update(merchant=merchant, **form.changes())
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("Planning settings saved; the plans are updated."))
                return redirect("forecast-settings")
        context = _settings_context(request, settings_form=form)
        return render(request, "forecasting/settings.html", context, status=400)
    return render(request, "forecasting/settings.html", _settings_context(request))


@merchant_required(MANAGE_PLANNING)
@require_POST
def override_add(request):
    merchant = request.merchant
    form = ServiceLevelOverrideForm(
        request.POST, merchant=merchant, categories=product_categories(merchant=merchant)
    )
    if form.is_valid():
        try:
            service_level_override_set(merchant=merchant, **form.override())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Service level target saved; the plans are updated."))
            return HttpResponseRedirect(reverse("forecast-settings") + "#overrides")
    context = _settings_context(request, override_form=form)
    return render(request, "forecasting/settings.html", context, status=400)


@merchant_required(MANAGE_PLANNING)
@require_POST
def override_delete(request, service_level_override_id: int):
    override = service_level_override_get(
        merchant=request.merchant, override_id=service_level_override_id
    )
    service_level_override_delete(merchant=request.merchant, override=override)
    messages.success(request, _("Service level target removed; the plans are updated."))
    return HttpResponseRedirect(reverse("forecast-settings") + "#overrides")


@merchant_required(EDIT_CALENDAR)
@require_POST
def event_add(request):
    merchant = request.merchant
    form = CalendarEventForm(request.POST, merchant=merchant)
    if form.is_valid():
        try:
            calendar_event_create(merchant=merchant, **form.event())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Calendar day added; the next forecast takes it in."))
            return HttpResponseRedirect(reverse("forecast-settings") + "#calendar")
    context = _settings_context(request, event_form=form)
    return render(request, "forecasting/settings.html", context, status=400)


@merchant_required(EDIT_CALENDAR)
@require_POST
def event_delete(request, calendar_event_id: int):
    event = calendar_event_get(merchant=request.merchant, event_id=calendar_event_id)
    calendar_event_delete(merchant=request.merchant, event=event)
    messages.success(request, _("Calendar day removed."))
    return HttpResponseRedirect(reverse("forecast-settings") + "#calendar")

"""Forecasting API: daily sales, forecast runs, current forecasts, inventory plans, planning
settings and calendar days. Thin views over `forecasting.services` and
`forecasting.selectors`, scoped to one merchant (another merchant's id is a 404)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from accounts.permissions import IMPORT_DATA
from core.api.errors import ApiError
from core.api.filters import StableOrderingFilter
from core.api.views import ApiView, MerchantScopedMixin

from .filters import (
    CalendarEventFilter,
    ForecastFilter,
    ForecastRunFilter,
    InventoryPlanFilter,
    SalesFilter,
)
from .models import (
    CalendarEvent,
    DailySales,
    ForecastRun,
    ForecastRunTrigger,
    InventoryPlan,
    PlanningSettings,
    SkuForecast,
)
from .selectors.forecasts import (
    calendar_events,
    forecast_list,
    plan_list,
    planning_settings_get,
    run_list,
)
from .serializers import (
    MAX_SALES_ROWS_PER_REQUEST,
    CalendarEventInputSerializer,
    CalendarEventOutputSerializer,
    ForecastOutputSerializer,
    ForecastRunOutputSerializer,
    ForecastRunStartInputSerializer,
    InventoryPlanOutputSerializer,
    PlanningSettingsInputSerializer,
    PlanningSettingsOutputSerializer,
    SalesBulkResultSerializer,
    SalesInputSerializer,
    SalesOutputSerializer,
    SalesUpdateInputSerializer,
)
from .services import sales_upsert
from .services.config import (
    calendar_event_create,
    calendar_event_delete,
    calendar_event_update,
    planning_settings_update,
)
from .services.runs import forecast_run_start
from .views import MANAGE_PLANNING, RUN_FORECASTS

SALES = ["sales"]


def _merchant_sales(merchant):
    # The product row is joined for its SKU only; descriptions stay in the database.
    return (
        DailySales.objects.filter(merchant=merchant)
        .select_related("product")
        .only("date", "units", "revenue", "on_promotion", "product__sku")
    )


class SalesListApi(MerchantScopedMixin, ApiView):
    """Daily units and revenue per product (the merchant's local dates).

    Filters: `product` (id), `sku`, `date_from`, `date_to` (YYYY-MM-DD, inclusive),
    `on_promotion`. `ordering`: date, units, revenue (default `-date`, newest first).
    Page-number pagination: `page`, `page_size` (default 50, at most 500). Page numbers rather
    than cursors: a cursor positions on the first ordering key only and caps its offset at
    1,000, which breaks store-wide date order once more than 1,000 products sell on one day.
    """

    queryset = DailySales.objects.none()
    serializer_class = SalesOutputSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = SalesFilter
    ordering_fields = ["date", "units", "revenue"]
    ordering = ["-date"]
    write_action = IMPORT_DATA

    def get_merchant_queryset(self):
        return _merchant_sales(self.merchant)

    @extend_schema(
        summary="List daily sales", tags=SALES, responses=SalesOutputSerializer(many=True)
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Write daily sales",
        description=(
            "Send one row (an object) or up to "
            f"{MAX_SALES_ROWS_PER_REQUEST:,} rows (an array). A row replaces the merchant's "
            "row of the same product and date. All or nothing: when any row is invalid, none "
            "is written and the error lists the invalid rows by their index in `items`. One "
            "row answers the stored row; an array answers how many rows were written. Needs a "
            "role that may import data."
        ),
        tags=SALES,
        request=PolymorphicProxySerializer(
            component_name="SalesWrite",
            serializers=[SalesInputSerializer, SalesInputSerializer(many=True)],
            resource_type_field_name=None,
            many=False,
        ),
        responses={
            201: PolymorphicProxySerializer(
                component_name="SalesWritten",
                serializers=[SalesOutputSerializer, SalesBulkResultSerializer],
                resource_type_field_name=None,
                many=False,
            )
        },
    )
    def post(self, request):
        many = isinstance(request.data, list)
        data = self.input_serializer(SalesInputSerializer, many=many)
        rows = SalesInputSerializer.sales_rows(data.validated_data)
        written = sales_upsert(merchant=self.merchant, rows=rows)
        if many:
            return Response(SalesBulkResultSerializer({"written": written}).data, status=201)
        sales = self.get_queryset().get(product_id=rows[0].product_id, date=rows[0].date)
        return Response(self.get_serializer(sales).data, status=201)


class SalesDetailApi(MerchantScopedMixin, ApiView):
    """One day of one product; another merchant's id is a 404."""

    queryset = DailySales.objects.none()
    serializer_class = SalesOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "sales_id"
    write_action = IMPORT_DATA

    def get_merchant_queryset(self):
        return _merchant_sales(self.merchant)

    @extend_schema(summary="Get a day's sales", tags=SALES)
    def get(self, request, sales_id: int):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Replace a day's figures",
        description="Product and date identify the row and cannot change; `on_promotion` "
        "keeps its value when left out.",
        tags=SALES,
        request=SalesUpdateInputSerializer,
        responses=SalesOutputSerializer,
    )
    def put(self, request, sales_id: int):
        return self._update(partial=False)

    @extend_schema(
        summary="Change some of a day's figures",
        tags=SALES,
        request=SalesUpdateInputSerializer,
        responses=SalesOutputSerializer,
    )
    def patch(self, request, sales_id: int):
        return self._update(partial=True)

    def _update(self, *, partial: bool):
        sales = self.get_object()
        data = self.input_serializer(SalesUpdateInputSerializer, partial=partial)
        sales_upsert(merchant=self.merchant, rows=[data.sales_row(sales)])
        sales.refresh_from_db(fields=["units", "revenue", "on_promotion"])
        return Response(self.get_serializer(sales).data)


# --- Forecast runs -----------------------------------------------------------------------------

RUNS = ["forecast runs"]
FORECASTS = ["forecasts"]
PLANS = ["inventory plans"]
PLANNING = ["planning"]
RUN_CONFLICT_CODES = {"run_active", "no_sales"}
RUN_CONFLICT = OpenApiResponse(
    response=None,
    description=gettext_lazy(
        "The store cannot start a run now: `error.code` is run_active (a run is queued or "
        "running) or no_sales (nothing to forecast from yet)."
    ),
)


def _merchant_runs(merchant):
    return run_list(merchant=merchant)


class ForecastRunListApi(MerchantScopedMixin, ApiView):
    """The merchant's forecast runs, newest first; POST starts one.

    Filters: `status`, `trigger`. Page-number pagination: `page`, `page_size`.
    """

    queryset = ForecastRun.objects.none()
    serializer_class = ForecastRunOutputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ForecastRunFilter
    write_action = RUN_FORECASTS

    def get_merchant_queryset(self):
        return _merchant_runs(self.merchant)

    @extend_schema(
        summary="List forecast runs", tags=RUNS, responses=ForecastRunOutputSerializer(many=True)
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Start a forecast run",
        description=(
            "Starts a background run on the forecast queue (202 with the queued run; follow "
            "it on `forecast-runs/{run_id}/` or the jobs API). All products by default, or "
            "`product_ids`. When it ends, the current forecasts and the inventory plans are "
            "replaced. 409 `run_active` while another run of the store is queued or running, "
            "409 `no_sales` when there is nothing to forecast from. Needs a role that may "
            "import data."
        ),
        tags=RUNS,
        request=ForecastRunStartInputSerializer,
        responses={202: ForecastRunOutputSerializer, 409: RUN_CONFLICT},
    )
    def post(self, request):
        data = self.input_serializer(ForecastRunStartInputSerializer).validated_data
        try:
            run = forecast_run_start(
                merchant=self.merchant,
                started_by=request.user,
                trigger=ForecastRunTrigger.API,
                product_ids=data.get("product_ids"),
                frequency=data.get("frequency"),
            )
        except DjangoValidationError as error:
            code = getattr(error, "code", None)
            if code in RUN_CONFLICT_CODES:
                raise ApiError(code, " ".join(error.messages), status.HTTP_409_CONFLICT) from error
            raise
        run = self.get_queryset().get(pk=run.pk)
        return Response(self.get_serializer(run).data, status=status.HTTP_202_ACCEPTED)


class ForecastRunDetailApi(MerchantScopedMixin, ApiView):
    """One run: status, chunks done and failed, timings, metrics, chosen models, errors."""

    queryset = ForecastRun.objects.none()
    serializer_class = ForecastRunOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "run_id"

    def get_merchant_queryset(self):
        return _merchant_runs(self.merchant)

    @extend_schema(summary="Get a forecast run", tags=RUNS)
    def get(self, request, run_id: int):
        return Response(self.get_serializer(self.get_object()).data)


# --- Forecasts ---------------------------------------------------------------------------------


class ForecastListApi(MerchantScopedMixin, ApiView):
    """The current forecast of each product (quantile paths and back-test accuracy), by SKU.

    Filters: `product` (id), `sku`. Page-number pagination: `page`, `page_size`.
    """

    queryset = SkuForecast.objects.none()
    serializer_class = ForecastOutputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ForecastFilter

    def get_merchant_queryset(self):
        return forecast_list(merchant=self.merchant)

    @extend_schema(
        summary="List current forecasts",
        tags=FORECASTS,
        responses=ForecastOutputSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ProductForecastApi(MerchantScopedMixin, ApiView):
    """A product's current forecast; 404 when the product is not the merchant's or has none."""

    queryset = SkuForecast.objects.none()
    serializer_class = ForecastOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "product_id"
    lookup_field = "product_id"

    def get_merchant_queryset(self):
        return forecast_list(merchant=self.merchant)

    @extend_schema(
        summary="Get a product's current forecast",
        description="404 when the product is not the merchant's or has not been forecast yet.",
        tags=FORECASTS,
    )
    def get(self, request, product_id: int):
        forecast = self.get_queryset().filter(product_id=product_id).first()
        if forecast is None:
            raise exceptions.NotFound(_("This product has no forecast yet."))
        return Response(self.get_serializer(forecast).data)


# --- Inventory plans ---------------------------------------------------------------------------


class InventoryPlanListApi(MerchantScopedMixin, ApiView):
    """The inventory plan of every forecast product, like the portal's plan table.

    Filters: `search`, `category`, `view` (at_risk, overstock), `product`, `sku`; `ordering`
    (default attention: most money at stake first). Amounts are in `currency`, the
    merchant's. Page-number pagination: `page`, `page_size`.
    """

    queryset = InventoryPlan.objects.none()
    serializer_class = InventoryPlanOutputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = InventoryPlanFilter

    def get_merchant_queryset(self):
        return plan_list(merchant=self.merchant)

    @extend_schema(
        summary="List inventory plans",
        tags=PLANS,
        responses=InventoryPlanOutputSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class InventoryPlanDetailApi(MerchantScopedMixin, ApiView):
    """One product's plan; 404 when the product is not the merchant's or has no plan yet."""

    queryset = InventoryPlan.objects.none()
    serializer_class = InventoryPlanOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "product_id"
    lookup_field = "product_id"

    def get_merchant_queryset(self):
        return plan_list(merchant=self.merchant)

    @extend_schema(summary="Get a product's inventory plan", tags=PLANS)
    def get(self, request, product_id: int):
        return Response(self.get_serializer(self.get_object()).data)


# --- Planning settings -------------------------------------------------------------------------


class PlanningSettingsApi(MerchantScopedMixin, ApiView):
    """The merchant's planning defaults (the defaults until first changed)."""

    queryset = PlanningSettings.objects.none()
    serializer_class = PlanningSettingsOutputSerializer
    filter_backends: list = []
    pagination_class = None
    write_action = MANAGE_PLANNING

    def get_merchant_queryset(self):
        return PlanningSettings.objects.filter(merchant=self.merchant)

    @extend_schema(summary="Get the planning settings", tags=PLANNING)
    def get(self, request):
        settings = planning_settings_get(merchant=self.merchant)
        return Response(self.get_serializer(settings).data)

    @extend_schema(
        summary="Change planning settings",
        description=(
            "Fields left out keep their value. A change of the service level, review period, "
            "cover target, aged threshold or elasticity recomputes every plan at once; the "
            "horizon applies from the next run. Owners and managers only."
        ),
        tags=PLANNING,
        request=PlanningSettingsInputSerializer,
        responses=PlanningSettingsOutputSerializer,
    )
    def patch(self, request):
        data = self.input_serializer(PlanningSettingsInputSerializer, partial=True).validated_data
        settings = planning_settings_update(merchant=self.merchant, **data)
        return Response(self.get_serializer(settings).data)


# --- Calendar days -----------------------------------------------------------------------------


class CalendarEventListApi(MerchantScopedMixin, ApiView):
    """Holidays, sales events and promotion days the forecast knows about, by date.

    Filters: `date_from`, `date_to`, `product`, `store_wide`, `kind`. POST adds a day (a role
    that may import data); the same date, kind and name twice for the same product (or the
    whole store) is a 400.
    """

    queryset = CalendarEvent.objects.none()
    serializer_class = CalendarEventOutputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CalendarEventFilter
    write_action = IMPORT_DATA

    def get_merchant_queryset(self):
        return calendar_events(merchant=self.merchant)

    @extend_schema(
        summary="List calendar days",
        tags=PLANNING,
        responses=CalendarEventOutputSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Add a calendar day",
        tags=PLANNING,
        request=CalendarEventInputSerializer,
        responses={201: CalendarEventOutputSerializer},
    )
    def post(self, request):
        data = self.input_serializer(CalendarEventInputSerializer).validated_data
        event = calendar_event_create(merchant=self.merchant, **data)
        return Response(self.get_serializer(event).data, status=status.HTTP_201_CREATED)


class CalendarEventDetailApi(MerchantScopedMixin, ApiView):
    """One calendar day; another merchant's id is a 404."""

    queryset = CalendarEvent.objects.none()
    serializer_class = CalendarEventOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "calendar_event_id"
    write_action = IMPORT_DATA

    def get_merchant_queryset(self):
        return calendar_events(merchant=self.merchant)

    @extend_schema(summary="Get a calendar day", tags=PLANNING)
    def get(self, request, calendar_event_id: int):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Replace a calendar day",
        description="`product` null or absent makes the day store-wide.",
        tags=PLANNING,
        request=CalendarEventInputSerializer,
        responses=CalendarEventOutputSerializer,
    )
    def put(self, request, calendar_event_id: int):
        return self._update(partial=False)

    @extend_schema(
        summary="Change some of a calendar day's fields",
        tags=PLANNING,
        request=CalendarEventInputSerializer,
        responses=CalendarEventOutputSerializer,
    )
    def patch(self, request, calendar_event_id: int):
        return self._update(partial=True)

    @extend_schema(summary="Delete a calendar day", tags=PLANNING, responses={204: None})
    def delete(self, request, calendar_event_id: int):
        calendar_event_delete(merchant=self.merchant, event=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _update(self, *, partial: bool):
        event = self.get_object()
        data = self.input_serializer(CalendarEventInputSerializer, partial=partial)
        # On PATCH only the fields sent are validated (DRF applies no defaults when partial).
        event = calendar_event_update(merchant=self.merchant, event=event, **data.validated_data)
        return Response(self.get_serializer(event).data)

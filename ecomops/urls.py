from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.views import healthz

admin.site.site_header = _("EcomOps administration")
admin.site.site_title = _("EcomOps admin")

api_v1 = [
    path("", include("products.api_urls")),
    path("", include("forecasting.api_urls")),
    path("", include("reviews.api_urls")),
    path("", include("jobs.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("crisis.api_urls")),
    path("", include("imports.api_urls")),
    path("", include("imports.bulk_urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("accounts/", include("accounts.urls")),
    path("products/", include("products.urls")),
    path("reviews/", include("reviews.urls")),
    path("forecasting/", include("forecasting.urls")),
    path("jobs/", include("jobs.urls")),
    path("notifications/", include("notifications.urls")),
    path("crisis/", include("crisis.urls")),
    path("imports/", include("imports.urls")),
    path("", include("core.urls")),
]

# Under /api/ errors keep the API's JSON shape; elsewhere the portal's templates answer.
handler404 = "core.api.errors.page_not_found"
handler500 = "core.api.errors.server_error"

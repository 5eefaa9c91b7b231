"""Imports API (under /api/v1/, namespace `api`)."""

from django.urls import path

from . import apis

urlpatterns = [
    path("imports/", apis.ImportListApi.as_view(), name="import-list"),
    path("imports/<int:batch_id>/", apis.ImportDetailApi.as_view(), name="import-detail"),
    path(
        "imports/<int:batch_id>/configure/",
        apis.ImportConfigureApi.as_view(),
        name="import-configure",
    ),
    path("imports/<int:batch_id>/start/", apis.ImportStartApi.as_view(), name="import-start"),
    path("imports/<int:batch_id>/cancel/", apis.ImportCancelApi.as_view(), name="import-cancel"),
    path("imports/<int:batch_id>/errors/", apis.ImportErrorListApi.as_view(), name="import-errors"),
    path(
        "imports/<int:batch_id>/rejected/",
        apis.ImportRejectedApi.as_view(),
        name="import-rejected",
    ),
    path("import-mappings/", apis.ColumnMappingListApi.as_view(), name="import-mapping-list"),
    path(
        "import-mappings/<int:mapping_id>/",
        apis.ColumnMappingDetailApi.as_view(),
        name="import-mapping-detail",
    ),
]

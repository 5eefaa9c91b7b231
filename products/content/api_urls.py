"""API URLs of the content studio, included from `products/api_urls.py` (under /api/v1/)."""

from django.urls import path

from . import apis

urlpatterns = [
    path("content/drafts/", apis.DraftListApi.as_view(), name="content-draft-list"),
    path(
        "content/drafts/<int:draft_id>/",
        apis.DraftDetailApi.as_view(),
        name="content-draft-detail",
    ),
    path(
        "content/drafts/<int:draft_id>/edit/",
        apis.DraftEditApi.as_view(),
        name="content-draft-edit",
    ),
    path(
        "content/drafts/<int:draft_id>/choose/",
        apis.DraftChooseApi.as_view(),
        name="content-draft-choose",
    ),
    path(
        "content/drafts/<int:draft_id>/approve/",
        apis.DraftApproveApi.as_view(),
        name="content-draft-approve",
    ),
    path(
        "content/drafts/<int:draft_id>/reject/",
        apis.DraftRejectApi.as_view(),
        name="content-draft-reject",
    ),
    path(
        "content/drafts/<int:draft_id>/override/",
        apis.DraftOverrideApi.as_view(),
        name="content-draft-override",
    ),
    path(
        "content/drafts/<int:draft_id>/publish/",
        apis.DraftPublishApi.as_view(),
        name="content-draft-publish",
    ),
    path("content/generate/bulk/", apis.BulkGenerateApi.as_view(), name="content-generate-bulk"),
    path(
        "products/<int:product_id>/content/generate/",
        apis.ProductGenerateApi.as_view(),
        name="content-generate",
    ),
    path("content/versions/", apis.VersionListApi.as_view(), name="content-version-list"),
    path(
        "content/versions/<int:version_id>/",
        apis.VersionDetailApi.as_view(),
        name="content-version-detail",
    ),
    path(
        "content/versions/<int:version_id>/restore/",
        apis.VersionRestoreApi.as_view(),
        name="content-version-restore",
    ),
]

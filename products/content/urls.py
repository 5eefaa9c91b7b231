"""Portal URLs of the content studio, included from `products/urls.py` (under /products/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("content/", views.content_overview, name="content-overview"),
    path("content/bulk/", views.content_bulk, name="content-bulk"),
    path(
        "content/jobs/<int:job_id>/progress/",
        views.content_job_progress,
        name="content-job-progress",
    ),
    path("content/drafts/<int:draft_id>/", views.content_draft, name="content-draft"),
    path(
        "content/drafts/<int:draft_id>/edit/", views.content_draft_edit, name="content-draft-edit"
    ),
    path(
        "content/drafts/<int:draft_id>/choose/",
        views.content_draft_choose,
        name="content-draft-choose",
    ),
    path(
        "content/drafts/<int:draft_id>/approve/",
        views.content_draft_approve,
        name="content-draft-approve",
    ),
    path(
        "content/drafts/<int:draft_id>/reject/",
        views.content_draft_reject,
        name="content-draft-reject",
    ),
    path(
        "content/drafts/<int:draft_id>/override/",
        views.content_draft_override,
        name="content-draft-override",
    ),
    path(
        "content/drafts/<int:draft_id>/publish/",
        views.content_draft_publish,
        name="content-draft-publish",
    ),
    path(
        "content/versions/<int:version_id>/restore/",
        views.content_version_restore,
        name="content-version-restore",
    ),
    path("<int:product_id>/content/", views.content_studio, name="content-studio"),
    path("<int:product_id>/content/generate/", views.content_generate, name="content-generate"),
]

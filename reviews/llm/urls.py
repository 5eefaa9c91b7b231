"""Portal URLs of the review language-model features, included from `reviews/urls.py`
(under /reviews/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:review_id>/", views.review_detail, name="review-detail"),
    path(
        "<int:review_id>/reply/generate/",
        views.review_reply_generate,
        name="review-reply-generate",
    ),
    path(
        "<int:review_id>/reply/jobs/<int:job_id>/",
        views.review_reply_job,
        name="review-reply-job",
    ),
    path(
        "products/<int:product_id>/summary/",
        views.product_review_summary,
        name="review-summary",
    ),
    path(
        "products/<int:product_id>/summary/section/",
        views.review_summary_section,
        name="review-summary-section",
    ),
    path(
        "products/<int:product_id>/summary/generate/",
        views.review_summary_generate,
        name="review-summary-generate",
    ),
]

"""API URLs of the review language-model features, included from `reviews/api_urls.py`
(under /api/v1/)."""

from django.urls import path

from . import apis

urlpatterns = [
    path(
        "products/<int:product_id>/review-summaries/",
        apis.ProductReviewSummaryListApi.as_view(),
        name="review-summary-list",
    ),
    path(
        "products/<int:product_id>/review-summaries/latest/",
        apis.ProductReviewSummaryLatestApi.as_view(),
        name="review-summary-latest",
    ),
    path(
        "reviews/<int:review_id>/reply-drafts/",
        apis.ReviewReplyDraftListApi.as_view(),
        name="review-reply-draft-list",
    ),
]

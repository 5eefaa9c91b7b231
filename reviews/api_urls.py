from django.urls import include, path

from . import apis

urlpatterns = [
    path("reviews/", apis.ReviewListApi.as_view(), name="review-list"),
    path("reviews/<int:review_id>/", apis.ReviewDetailApi.as_view(), name="review-detail"),
    path("", include("reviews.llm.api_urls")),
]

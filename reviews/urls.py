from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.review_list_view, name="review-list"),
    path("analyse/", views.review_reanalyse, name="review-reanalyse"),
    path("analysis/", views.review_analysis_status, name="review-analysis-status"),
    path("insights/", views.merchant_insights_view, name="review-insights"),
    path(
        "products/<int:product_id>/",
        views.product_insights_view,
        name="review-product-insights",
    ),
    path("topics/<int:topic_id>/", views.topic_detail_view, name="review-topic"),
    path("", include("reviews.llm.urls")),
]

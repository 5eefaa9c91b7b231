from django.urls import include, path

from . import export_views, views

urlpatterns = [
    path("", views.review_list_view, name="review-list"),
    path(
        "export.csv",
        export_views.review_export_view,
        {"export_format": "csv"},
        name="review-export-csv",
    ),
    path(
        "export.xlsx",
        export_views.review_export_view,
        {"export_format": "xlsx"},
        name="review-export-xlsx",
    ),
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

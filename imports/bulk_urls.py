"""Bulk upsert endpoints (under /api/v1/, namespace `api`)."""

from django.urls import path

from . import bulk_apis

urlpatterns = [
    path("bulk/products/", bulk_apis.BulkProductsApi.as_view(), name="bulk-products"),
    path("bulk/sales/", bulk_apis.BulkSalesApi.as_view(), name="bulk-sales"),
    path("bulk/stock/", bulk_apis.BulkStockApi.as_view(), name="bulk-stock"),
    path("bulk/reviews/", bulk_apis.BulkReviewsApi.as_view(), name="bulk-reviews"),
]

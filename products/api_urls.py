from django.urls import include, path

from . import apis

urlpatterns = [
    path("products/", apis.ProductListApi.as_view(), name="product-list"),
    path("products/<int:product_id>/", apis.ProductDetailApi.as_view(), name="product-detail"),
    path("stock/", apis.StockListApi.as_view(), name="stock-list"),
    path("stock/<int:product_id>/", apis.StockDetailApi.as_view(), name="stock-detail"),
    path(
        "stock/<int:product_id>/history/",
        apis.StockHistoryApi.as_view(),
        name="stock-history",
    ),
    path("", include("products.content.api_urls")),
]

from django.urls import include, path

from . import export_views, views

urlpatterns = [
    path("", views.product_list_view, name="product-list"),
    path(
        "export.csv",
        export_views.product_export_view,
        {"export_format": "csv"},
        name="product-export-csv",
    ),
    path(
        "export.xlsx",
        export_views.product_export_view,
        {"export_format": "xlsx"},
        name="product-export-xlsx",
    ),
    path("<int:product_id>/", views.product_detail, name="product-detail"),
    path("", include("products.content.urls")),
]

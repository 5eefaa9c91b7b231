from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.product_list_view, name="product-list"),
    path("<int:product_id>/", views.product_detail, name="product-detail"),
    path("", include("products.content.urls")),
]

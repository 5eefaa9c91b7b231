from django.urls import path

from . import apis

urlpatterns = [
    path("sales/", apis.SalesListApi.as_view(), name="sales-list"),
    path("sales/<int:sales_id>/", apis.SalesDetailApi.as_view(), name="sales-detail"),
]

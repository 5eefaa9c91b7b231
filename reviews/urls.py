from django.urls import path

from . import views

urlpatterns = [
    path("", views.review_list_view, name="review-list"),
]

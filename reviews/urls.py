from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.review_list_view, name="review-list"),
    path("", include("reviews.llm.urls")),
]

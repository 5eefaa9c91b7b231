from django.urls import path

from . import views

urlpatterns = [
    path("", views.job_list_view, name="job-list"),
    path("indicator/", views.job_indicator, name="job-indicator"),
    path("<int:job_id>/", views.job_detail, name="job-detail"),
    path("<int:job_id>/progress/", views.job_progress_partial, name="job-progress"),
    path("<int:job_id>/cancel/", views.job_cancel_view, name="job-cancel"),
    path("<int:job_id>/retry/", views.job_retry_view, name="job-retry"),
]

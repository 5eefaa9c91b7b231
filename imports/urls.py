"""Portal URLs of imports (under /imports/). Each sample file has its own fixed address."""

from django.urls import path

from . import views
from .samples import SAMPLES

urlpatterns = [
    path("", views.import_list_view, name="import-list"),
    path("new/", views.import_new, name="import-new"),
    path("mappings/", views.mapping_list_view, name="import-mapping-list"),
    path(
        "mappings/<int:mapping_id>/delete/",
        views.mapping_delete_view,
        name="import-mapping-delete",
    ),
    path("<int:batch_id>/", views.import_detail, name="import-detail"),
    path("<int:batch_id>/mapping/", views.import_mapping, name="import-mapping"),
    path("<int:batch_id>/cancel/", views.import_cancel_view, name="import-cancel"),
    path("<int:batch_id>/rejected.csv", views.import_rejected_csv, name="import-rejected"),
    *(
        path(
            f"samples/{sample.filename}",
            views.sample_view(sample.filename),
            name=f"import-sample-{sample.slug}",
        )
        for sample in SAMPLES
    ),
]

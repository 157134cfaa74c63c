"""Pages of the data hub, mounted at /data/ by the project urls."""

from django.urls import path

from regionlink.indicators import views

urlpatterns = [
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("indicators/<str:code>/", views.indicator_detail, name="indicator-detail"),
    path("entry/", views.data_entry, name="data-entry"),
    path("entry/validate/", views.data_entry_validate, name="data-entry-validate"),
    path("import/", views.import_wizard, name="import-wizard"),
    path("import/<int:batch_id>/", views.import_batch, name="import-batch"),
    path("import/<int:batch_id>/confirm/", views.import_confirm, name="import-confirm"),
    path("import/<int:batch_id>/status/", views.import_status, name="import-status"),
    path(
        "import/templates/<str:layout>.<str:file_format>",
        views.template_download,
        name="template-download",
    ),
]

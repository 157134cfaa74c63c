"""Pages of the data hub, mounted at /data/ by the project urls."""

from django.urls import path

from regionlink.indicators.views import (
    catalogue,
    entry,
    import_templates,
    import_wizard,
    indicator,
)

urlpatterns = [
    path("indicators/", catalogue.indicator_list, name="indicator-list"),
    path("indicators/<str:code>/", indicator.indicator_detail, name="indicator-detail"),
    path("entry/", entry.data_entry, name="data-entry"),
    path("entry/validate/", entry.data_entry_validate, name="data-entry-validate"),
    path("import/", import_wizard.import_wizard, name="import-wizard"),
    path("import/<int:batch_id>/", import_wizard.import_batch, name="import-batch"),
    path("import/<int:batch_id>/confirm/", import_wizard.import_confirm, name="import-confirm"),
    path("import/<int:batch_id>/status/", import_wizard.import_status, name="import-status"),
    path(
        "import/templates/<str:layout>.<str:file_format>",
        import_templates.template_download,
        name="template-download",
    ),
]

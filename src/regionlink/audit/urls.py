"""/audit/: the read-only audit trail. There is deliberately no view that edits or deletes."""

from django.urls import path

from regionlink.audit import views

urlpatterns = [
    path("", views.audit_list, name="audit-list"),
    path("<int:pk>/", views.audit_detail, name="audit-detail"),
]

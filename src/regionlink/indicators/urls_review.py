"""Data sets, sharing, access requests, the approval queue and batch pages; under /data/."""

from django.urls import path

from regionlink.indicators import views_review as views

urlpatterns = [
    path("datasets/", views.dataset_list, name="dataset-list"),
    path(
        "datasets/request-access/",
        views.dataset_request_access,
        name="dataset-request-access",
    ),
    path("datasets/<slug:code>/", views.dataset_detail, name="dataset-detail"),
    path("datasets/<slug:code>/sharing/", views.dataset_sharing, name="dataset-sharing"),
    path(
        "datasets/<slug:code>/access-requests/",
        views.dataset_access_request,
        name="dataset-access-request",
    ),
    path(
        "access-requests/<int:pk>/grant/",
        views.access_request_grant,
        name="access-request-grant",
    ),
    path(
        "access-requests/<int:pk>/refuse/",
        views.access_request_refuse,
        name="access-request-refuse",
    ),
    path("review/", views.review_queue, name="review-queue"),
    path("review/batches/<int:pk>/changes/", views.review_changes, name="review-changes"),
    path("batches/<int:pk>/", views.batch_detail, name="review-batch-detail"),
    path("batches/<int:pk>/submit/", views.batch_submit, name="review-batch-submit"),
    path("batches/<int:pk>/approve/", views.batch_approve, name="review-batch-approve"),
    path("batches/<int:pk>/reject/", views.batch_reject, name="review-batch-reject"),
    path("batches/<int:pk>/publish/", views.batch_publish, name="review-batch-publish"),
]

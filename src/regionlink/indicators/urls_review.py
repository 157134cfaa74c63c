"""Data sets, sharing, access requests, the approval queue and batch pages; under /data/."""

from django.urls import path

from regionlink.indicators.views import datasets, review

urlpatterns = [
    path("datasets/", datasets.dataset_list, name="dataset-list"),
    path(
        "datasets/request-access/",
        datasets.dataset_request_access,
        name="dataset-request-access",
    ),
    path("datasets/<slug:code>/", datasets.dataset_detail, name="dataset-detail"),
    path("datasets/<slug:code>/sharing/", datasets.dataset_sharing, name="dataset-sharing"),
    path(
        "datasets/<slug:code>/access-requests/",
        datasets.dataset_access_request,
        name="dataset-access-request",
    ),
    path(
        "access-requests/<int:pk>/grant/",
        datasets.access_request_grant,
        name="access-request-grant",
    ),
    path(
        "access-requests/<int:pk>/refuse/",
        datasets.access_request_refuse,
        name="access-request-refuse",
    ),
    path("review/", review.review_queue, name="review-queue"),
    path("review/batches/<int:pk>/changes/", review.review_changes, name="review-changes"),
    path("batches/<int:pk>/", review.batch_detail, name="review-batch-detail"),
    path("batches/<int:pk>/submit/", review.batch_submit, name="review-batch-submit"),
    path("batches/<int:pk>/approve/", review.batch_approve, name="review-batch-approve"),
    path("batches/<int:pk>/reject/", review.batch_reject, name="review-batch-reject"),
    path("batches/<int:pk>/publish/", review.batch_publish, name="review-batch-publish"),
]

"""Pages of the plan registry, mounted at /plans/ by the project urls."""

from django.urls import path

from regionlink.plans.views import (
    conformity,
    dossier,
    plan_edit,
    plan_list,
    plan_page,
    review,
    targets,
)

urlpatterns = [
    path("", plan_list.plan_list, name="plan-list"),
    path("new/", plan_edit.plan_create, name="plan-create"),
    path("review/", review.review_page, name="plan-review"),
    path("review/run/", review.review_run, name="plan-review-start"),
    path("review/runs/<int:pk>/", review.review_run_status, name="plan-review-run"),
    path("review/<str:region>/", review.review_page, name="plan-review-region"),
    path("findings/<int:pk>/decide/", review.finding_decide, name="finding-decide"),
    path("reminders/", review.reminders_page, name="plan-reminders"),
    path("targets/template.<str:fmt>", targets.target_template, name="plan-target-template"),
    path("<slug:code>/", plan_page.plan_detail, name="plan-detail"),
    path("<slug:code>/edit/", plan_edit.plan_edit, name="plan-edit"),
    path("<slug:code>/advance/", plan_edit.plan_advance, name="plan-advance"),
    path("<slug:code>/adjustment/", plan_edit.plan_adjust, name="plan-adjust"),
    path("<slug:code>/publication/", plan_edit.plan_publication, name="plan-publication"),
    path("<slug:code>/decision/", plan_edit.plan_decision, name="plan-decision"),
    path("<slug:code>/documents/new/", dossier.document_upload, name="plan-document-upload"),
    path("<slug:code>/documents/<int:pk>/", plan_page.document_download, name="plan-document"),
    path(
        "<slug:code>/consultation/request/",
        dossier.opinion_request,
        name="plan-opinion-request",
    ),
    path(
        "<slug:code>/consultation/bodies/<int:pk>/reply/",
        dossier.opinion_reply,
        name="plan-opinion-reply",
    ),
    path("<slug:code>/consultation/comments/new/", dossier.comment_add, name="plan-comment-add"),
    path(
        "<slug:code>/consultation/comments/<int:pk>/respond/",
        dossier.comment_respond,
        name="plan-comment-respond",
    ),
    path("<slug:code>/targets/new/", targets.target_add, name="plan-target-add"),
    path("<slug:code>/targets/<int:pk>/edit/", targets.target_edit, name="plan-target-edit"),
    path("<slug:code>/targets/<int:pk>/delete/", targets.target_delete, name="plan-target-delete"),
    path("<slug:code>/targets/import/", targets.target_import, name="plan-target-import"),
    path("<slug:code>/links/new/", conformity.link_add, name="plan-link-add"),
    path("<slug:code>/links/<int:pk>/delete/", conformity.link_remove, name="plan-link-remove"),
]

"""Plans API: the dossier (documents, never served inline) and the consultation record."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile

from regionlink.core.api import ApiError, require_user
from regionlink.organisations.tokens import SIGNED_IN
from regionlink.plans.api_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    organisation_param,
    plan_or_404,
    plan_queryset,
    province_param,
    service_errors,
)
from regionlink.plans.models import (
    ConsultationComment,
    ConsultedBody,
    DocumentType,
    Plan,
    PlanDocument,
    ResponseKind,
)
from regionlink.plans.permissions import Action, check, document_visible, reads_restricted
from regionlink.plans.schemas import (
    CommentIn,
    CommentOut,
    ConsultedBodyIn,
    ConsultedBodyOut,
    DocumentOut,
    ReplyIn,
    ResponseIn,
)

router = Router()  # tagged by plans.api


# --- Dossier ---------------------------------------------------------------------------------


def _plan_for_documents(request, code: str) -> Plan:
    """The plan, also when unpublished but with a public consultation draft."""
    try:
        return plan_or_404(request, code)
    except Http404:
        plan = plan_queryset().filter(code=code).first()
        has_draft = (
            plan is not None
            and plan.documents.filter(is_public=True, doc_type=DocumentType.DRAFT).exists()
        )
        if not has_draft:
            raise
        return plan


def _document(doc: PlanDocument, code: str) -> dict:
    return {
        "id": doc.pk,
        "doc_type": doc.doc_type,
        "doc_type_label": str(DocumentType(doc.doc_type).label),
        "title": doc.title,
        "stage": doc.stage,
        "version": doc.version.number if doc.version_id else None,
        "original_name": doc.original_name,
        "content_type": doc.content_type,
        "size": doc.size,
        "sha256": doc.sha256,
        "is_public": doc.is_public,
        "uploaded_at": doc.uploaded_at,
        "download": f"/api/v1/plans/{code}/documents/{doc.pk}/file",
    }


@router.get(
    "/plans/{code}/documents",
    response={200: list[DocumentOut], **READ_ERRORS},
    summary="Hồ sơ, tài liệu của quy hoạch",
    description=(
        "The dossier documents the caller may see: visitors see the public documents of a "
        "published plan and public consultation drafts; the plan's readers see all."
    ),
)
def list_documents(request, code: str):
    plan = _plan_for_documents(request, code)
    docs = PlanDocument.objects.filter(plan=plan).select_related("version")
    if not reads_restricted(request.user, plan):
        docs = docs.filter(is_public=True)
        if not plan.is_public:
            docs = docs.filter(doc_type=DocumentType.DRAFT)
    return [_document(d, plan.code) for d in docs.order_by("uploaded_at", "id")]


@router.post(
    "/plans/{code}/documents",
    auth=SIGNED_IN,
    response={201: DocumentOut, **WRITE_ERRORS},
    summary="Tải lên tài liệu hồ sơ quy hoạch",
    description=(
        "Multipart upload: `file`, `doc_type` (outline, decision, submission, report_full, "
        "report_summary, draft, consultation_synthesis, sea_report, appraisal_report, map, "
        "evaluation_report, other), `title`, `is_public`. The type is checked from the content, "
        "not the name (PDF, office documents, images, zip); the file is stored under a random "
        "name and served only as a download. Editor of the plan. Audited."
    ),
)
def upload_document(
    request,
    code: str,
    file: File[UploadedFile],
    doc_type: Form[str],
    title: Form[str],
    is_public: Form[bool] = False,
):
    from regionlink.plans import documents

    user = require_user(request)
    plan = plan_or_404(request, code)
    check(user, Action.EDIT, plan)
    with service_errors():
        doc = documents.upload_document(
            actor=user,
            plan=plan,
            doc_type=doc_type,
            title=title,
            uploaded_file=file,
            is_public=is_public,
        )
    doc = PlanDocument.objects.select_related("version").get(pk=doc.pk)
    return Status(201, _document(doc, plan.code))


@router.get(
    "/plans/{code}/documents/{int:doc_id}/file",
    response={200: None, **READ_ERRORS},
    summary="Tải về một tài liệu",
    description=(
        "The file as an attachment (never shown inline; `X-Content-Type-Options: nosniff`, "
        "sandboxed). 404 when the caller may not see the document."
    ),
)
def download_document(request, code: str, doc_id: int):
    from regionlink.plans import documents

    doc = (
        PlanDocument.objects.select_related("plan", "plan__organising_body")
        .filter(pk=doc_id, plan__code=code)
        .first()
    )
    if doc is None or not document_visible(request.user, doc):
        raise Http404(_("Không có tài liệu này hoặc bạn không có quyền xem."))
    return documents.document_response(doc)


# --- Consultation ----------------------------------------------------------------------------


def _body(body: ConsultedBody) -> dict:
    return {
        "id": body.pk,
        "name": body.name,
        "organisation": body.organisation.code if body.organisation_id else None,
        "province": body.province.code if body.province_id else None,
        "requested_on": body.requested_on,
        "replied_on": body.replied_on,
    }


def _comment(comment: ConsultationComment) -> dict:
    return {
        "id": comment.pk,
        "author": comment.author,
        "received_on": comment.received_on,
        "text": comment.text,
        "consulted_body": comment.consulted_body_id,
        "response_kind": comment.response_kind,
        "response_kind_label": str(ResponseKind(comment.response_kind).label),
        "response_text": comment.response_text,
        "responded_at": comment.responded_at,
    }


@router.get(
    "/plans/{code}/consultation/bodies",
    response={200: list[ConsultedBodyOut], **READ_ERRORS},
    summary="Cơ quan được lấy ý kiến",
    description="Bodies asked for their opinion (adjacent provinces among them), with replies.",
)
def list_bodies(request, code: str):
    plan = plan_or_404(request, code)
    bodies = ConsultedBody.objects.filter(plan=plan).select_related("organisation", "province")
    return [_body(b) for b in bodies.order_by("requested_on", "id")]


@router.post(
    "/plans/{code}/consultation/bodies",
    auth=SIGNED_IN,
    response={201: ConsultedBodyOut, **WRITE_ERRORS},
    summary="Gửi xin ý kiến một cơ quan",
    description=(
        "Record that an opinion was requested from a body (`organisation` code, or an "
        "adjacent `province` code, or only a `name`) on `requested_on`. Editor of the plan."
    ),
)
def request_opinion(request, code: str, payload: ConsultedBodyIn):
    from regionlink.plans import consultation

    user = require_user(request)
    plan = plan_or_404(request, code)
    check(user, Action.EDIT, plan)
    with service_errors():
        body = consultation.request_opinion(
            actor=user,
            plan=plan,
            name=payload.name,
            requested_on=payload.requested_on,
            organisation=organisation_param(payload.organisation, "organisation"),
            province=province_param(payload.province, on=payload.requested_on),
        )
    body = ConsultedBody.objects.select_related("organisation", "province").get(pk=body.pk)
    return Status(201, _body(body))


@router.post(
    "/plans/{code}/consultation/bodies/{int:body_id}/reply",
    auth=SIGNED_IN,
    response={200: ConsultedBodyOut, **WRITE_ERRORS},
    summary="Ghi nhận cơ quan đã trả lời",
)
def record_reply(request, code: str, body_id: int, payload: ReplyIn):
    from regionlink.plans import consultation

    user = require_user(request)
    plan = plan_or_404(request, code)
    check(user, Action.EDIT, plan)
    body = ConsultedBody.objects.filter(plan=plan, pk=body_id).first()
    if body is None:
        raise Http404(_("Không có cơ quan được lấy ý kiến này trong quy hoạch."))
    with service_errors():
        consultation.record_reply(actor=user, body=body, replied_on=payload.replied_on)
    body = ConsultedBody.objects.select_related("organisation", "province").get(pk=body.pk)
    return _body(body)


@router.get(
    "/plans/{code}/comments",
    response={200: list[CommentOut], **READ_ERRORS},
    summary="Ý kiến góp ý và tiếp thu, giải trình",
    description="Comments received on the plan and the response to each (accepted or explained).",
)
def list_comments(request, code: str):
    plan = plan_or_404(request, code)
    comments = ConsultationComment.objects.filter(plan=plan)
    return [_comment(c) for c in comments.order_by("received_on", "id")]


@router.post(
    "/plans/{code}/comments",
    auth=SIGNED_IN,
    response={201: CommentOut, **WRITE_ERRORS},
    summary="Ghi nhận một ý kiến góp ý",
    description="Record a comment (`author`, `received_on`, `text`). Editor of the plan.",
)
def add_comment(request, code: str, payload: CommentIn):
    from regionlink.plans import consultation

    user = require_user(request)
    plan = plan_or_404(request, code)
    check(user, Action.EDIT, plan)
    body = None
    if payload.consulted_body is not None:
        body = ConsultedBody.objects.filter(plan=plan, pk=payload.consulted_body).first()
        if body is None:
            raise ApiError(
                "unknown_consulted_body",
                _("Không có cơ quan được lấy ý kiến số %(id)s trong quy hoạch này.")
                % {"id": payload.consulted_body},
                field="consulted_body",
            )
    with service_errors():
        comment = consultation.add_comment(
            actor=user,
            plan=plan,
            author=payload.author,
            received_on=payload.received_on,
            text=payload.text,
            consulted_body=body,
        )
    return Status(201, _comment(comment))


@router.post(
    "/plans/{code}/comments/{int:comment_id}/response",
    auth=SIGNED_IN,
    response={200: CommentOut, **WRITE_ERRORS},
    summary="Tiếp thu, giải trình một ý kiến",
    description="Answer a comment: `kind` accepted (tiếp thu) or explained (giải trình), `text`.",
)
def respond(request, code: str, comment_id: int, payload: ResponseIn):
    from regionlink.plans import consultation

    user = require_user(request)
    plan = plan_or_404(request, code)
    check(user, Action.EDIT, plan)
    comment = ConsultationComment.objects.filter(plan=plan, pk=comment_id).first()
    if comment is None:
        raise Http404(_("Không có ý kiến góp ý này trong quy hoạch."))
    with service_errors():
        consultation.respond(actor=user, comment=comment, kind=payload.kind, text=payload.text)
    comment.refresh_from_db()
    return _comment(comment)

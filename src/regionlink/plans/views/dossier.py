"""The dossier and consultation forms: upload a document, ask a body for its opinion, record
its reply, record a comment and the response to it (documents.py, consultation.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from regionlink.geography.models import AdministrativeUnit
from regionlink.geography.queries import today
from regionlink.plans import consultation, documents
from regionlink.plans.errors import PlanError
from regionlink.plans.forms import (
    CommentForm,
    DocumentForm,
    OpinionRequestForm,
    ReplyForm,
    ResponseForm,
)
from regionlink.plans.views.common import (
    add_service_error,
    editor_view,
    form_page,
    plan_url,
    success,
)

FAILURES = (PlanError, ValidationError)


@editor_view(page=True)
def document_upload(request, plan):
    """Upload one dossier document; the service sniffs its type and checks its size."""
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = documents.upload_document(actor=request.user, plan=plan, **form.cleaned_data)
        except FAILURES as error:
            add_service_error(form, error, {"file": "uploaded_file"})
        else:
            message = _("Đã tải lên “%(title)s”.") % {"title": document.title}
            return success(request, plan_url(plan, "tai-lieu"), message)
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Tải lên tài liệu"),
        submit=_("Tải lên"),
        multipart=True,
        intro=_(
            "Tài liệu không công khai chỉ cơ quan tổ chức lập và cơ quan có thẩm quyền trên địa "
            "bàn tải xuống được. Tài liệu công khai được mở cho mọi người khi quy hoạch đã "
            "công bố (dự thảo lấy ý kiến: ngay khi đăng)."
        ),
    )


@editor_view(page=True)
def opinion_request(request, plan):
    """Ask a body (an adjacent province among them) for its opinion on the draft."""
    on = today()
    adjacent = consultation.adjacent_provinces(plan, on=on)
    provinces = AdministrativeUnit.objects.filter(pk__in=[p.pk for p in adjacent]).order_by("name")
    form = OpinionRequestForm(
        request.POST or None, provinces=provinces, initial={"requested_on": on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            consultation.request_opinion(actor=request.user, plan=plan, **form.cleaned_data)
        except FAILURES as error:
            add_service_error(form, error)
        else:
            return success(
                request, plan_url(plan, "lay-y-kien"), _("Đã ghi nhận việc gửi xin ý kiến.")
            )
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Gửi xin ý kiến"),
        submit=_("Ghi nhận"),
        intro=_(
            "Quy hoạch tỉnh lấy ý kiến các tỉnh giáp ranh; các tỉnh này có trong danh sách chọn."
        ),
    )


@editor_view(page=True)
def opinion_reply(request, plan, pk: int):
    """Record the date a consulted body replied."""
    body = plan.consulted_bodies.filter(pk=pk).first()
    if body is None:
        raise Http404
    form = ReplyForm(request.POST or None, initial={"replied_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            consultation.record_reply(actor=request.user, body=body, **form.cleaned_data)
        except FAILURES as error:
            add_service_error(form, error)
        else:
            return success(request, plan_url(plan, "lay-y-kien"), _("Đã ghi nhận trả lời."))
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Trả lời của %(name)s") % {"name": body.name},
        submit=_("Ghi nhận"),
    )


@editor_view(page=True)
def comment_add(request, plan):
    """Record a comment received on the draft."""
    form = CommentForm(
        request.POST or None, bodies=plan.consulted_bodies.all(), initial={"received_on": today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            consultation.add_comment(actor=request.user, plan=plan, **form.cleaned_data)
        except FAILURES as error:
            add_service_error(form, error)
        else:
            return success(request, plan_url(plan, "lay-y-kien"), _("Đã ghi nhận góp ý."))
    return form_page(request, plan=plan, form=form, title=_("Ghi nhận góp ý"), submit=_("Ghi nhận"))


@editor_view(page=True)
def comment_respond(request, plan, pk: int):
    """Accept a comment or explain why not."""
    comment = plan.comments.filter(pk=pk).first()
    if comment is None:
        raise Http404
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation.respond(actor=request.user, comment=comment, **form.cleaned_data)
        except FAILURES as error:
            add_service_error(form, error)
        else:
            return success(
                request, plan_url(plan, "lay-y-kien"), _("Đã ghi nhận tiếp thu, giải trình.")
            )
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Tiếp thu, giải trình góp ý"),
        submit=_("Ghi nhận"),
        intro=_("Góp ý của %(author)s: %(text)s")
        % {"author": comment.author, "text": comment.text},
    )

"""Registering and editing a plan, advancing its lifecycle, recording its approving decision
and publication, and starting an adjustment.

Every POST goes through ``services``, ``registration`` or ``lifecycle``; a refused lifecycle
step lists every missing precondition with its legal basis and changes nothing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from regionlink.geography.queries import today
from regionlink.organisations.models import ROLE_RANK, Organisation, Role
from regionlink.organisations.permissions import organisations_at_or_below, principal_for
from regionlink.plans import lifecycle, registration, services
from regionlink.plans.errors import PlanError, TransitionRefused
from regionlink.plans.forms import (
    AdjustmentForm,
    AdvanceForm,
    ApprovalDecisionForm,
    PlanForm,
    PublicationForm,
)
from regionlink.plans.models import Stage
from regionlink.plans.permissions import Action, check
from regionlink.plans.views.common import (
    add_service_error,
    editor_view,
    form_page,
    plan_url,
    refusals_as_403,
    success,
)


def organisations_for_new_plans(user):
    """Bodies ``user`` may register a plan for: where they edit, and everything below."""
    who = principal_for(user)
    if who.is_system_admin:
        return Organisation.objects.order_by("name")
    editor = ROLE_RANK[Role.EDITOR]
    own = {m.organisation_id for m in who.memberships if ROLE_RANK[Role(m.role)] >= editor}
    return Organisation.objects.filter(pk__in=organisations_at_or_below(own)).order_by("name")


@login_required
@refusals_as_403
@require_http_methods(["GET", "POST"])
def plan_create(request):
    """Register a plan (services.create_plan validates level, territory and period)."""
    organisations = organisations_for_new_plans(request.user)
    if not organisations.exists():
        raise PermissionDenied(
            _(
                "Bạn chưa có vai trò “Biên tập” ở cơ quan nào nên chưa thêm được quy hoạch. "
                "Liên hệ quản trị cơ quan để được cấp quyền."
            )
        )
    form = PlanForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            plan = registration.register_approved_plan(actor=request.user, **form.cleaned_data)
        except (PlanError, ValidationError) as error:
            add_service_error(form, error)
        else:
            message = _("Đã thêm quy hoạch “%(name)s”.") % {"name": plan.name}
            return success(request, plan_url(plan), message)
    return form_page(
        request,
        plan=None,
        form=form,
        title=_("Thêm quy hoạch"),
        submit=_("Thêm quy hoạch"),
        intro=_(
            "Cấp quy hoạch phải có trong Luật Quy hoạch đang có hiệu lực; quy hoạch vùng gắn "
            "với một vùng, quy hoạch tỉnh với một tỉnh, thành phố."
        ),
        note=_(
            "Quy hoạch đã phê duyệt trước khi có hệ thống được đăng ký ở giai đoạn hiện tại "
            "cùng quyết định phê duyệt; ghi quyết định cần vai trò “Phê duyệt”."
        ),
    )


@editor_view(page=True)
def plan_edit(request, plan):
    """Edit the registry fields (services.update_plan); the code and territory stay."""
    initial = {name: getattr(plan, name) for name in PlanForm.EDITABLE}
    form = PlanForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.update_plan(actor=request.user, plan=plan, **changed)
        except (PlanError, ValidationError) as error:
            add_service_error(form, error)
        else:
            return success(request, plan_url(plan), _("Đã lưu thông tin quy hoạch."))
    return form_page(
        request, plan=plan, form=form, title=_("Sửa thông tin quy hoạch"), submit=_("Lưu")
    )


def _advance_kwargs(data: dict) -> dict:
    kwargs = {"to_stage": data["to_stage"], "on": data["on"], "note": data.get("note") or ""}
    for name in ("decision_number", "signer"):
        if data.get(name):
            kwargs[name] = data[name]
    if data.get("decision_date"):
        kwargs["decision_date"] = data["decision_date"]
    if data.get("extension_months") is not None:
        kwargs["extension_months"] = data["extension_months"]
    return kwargs


@editor_view(page=True)
def plan_advance(request, plan):
    """Move the plan to an allowed next stage; a refusal names every missing precondition."""
    stages = lifecycle.allowed_next(plan)
    form = AdvanceForm(request.POST or None, stages=stages)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.advance(actor=request.user, plan=plan, **_advance_kwargs(form.cleaned_data))
        except TransitionRefused as error:
            refusal = error
        except (PlanError, ValidationError) as error:
            add_service_error(form, error)
        else:
            message = _("Quy hoạch đã chuyển sang giai đoạn “%(stage)s”.") % {
                "stage": Stage(form.cleaned_data["to_stage"]).label
            }
            return success(request, plan_url(plan, "tien-trinh"), message)
    on = today()
    pending = [
        {"stage": Stage(stage), "missing": lifecycle.missing_for(plan, stage, on=on)}
        for stage in stages
    ]
    return form_page(
        request,
        plan=plan,
        form=form if stages else None,
        title=_("Chuyển giai đoạn"),
        submit=_("Chuyển giai đoạn"),
        intro=_("Giai đoạn hiện tại: %(stage)s.") % {"stage": plan.get_stage_display()},
        refusal=refusal,
        pending=pending,
        before_form="plans/_next_stages.html",
    )


@editor_view(page=True)
def plan_adjust(request, plan):
    """Start an adjustment: a new version with its reasons (lifecycle.start_adjustment)."""
    form = AdjustmentForm(request.POST or None, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            version = lifecycle.start_adjustment(actor=request.user, plan=plan, **form.cleaned_data)
        except (PlanError, ValidationError) as error:
            add_service_error(form, error)
        else:
            message = _("Đã bắt đầu điều chỉnh quy hoạch (phiên bản %(n)s).") % {
                "n": version.number
            }
            return success(request, plan_url(plan, "phien-ban"), message)
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Điều chỉnh quy hoạch"),
        submit=_("Bắt đầu điều chỉnh"),
        intro=_(
            "Điều chỉnh tạo một phiên bản mới của quy hoạch; phiên bản đang có hiệu lực được "
            "giữ nguyên đến khi phiên bản mới được phê duyệt."
        ),
    )


@editor_view(page=True)
def plan_publication(request, plan):
    """Record when the approved version was published (lifecycle.record_publication): the
    step to implementation needs the publication date."""
    current = plan.current_version()
    initial = {
        "published_on": current.published_on or today(),
        "dossier_uploaded_on": current.dossier_uploaded_on,
    }
    form = PublicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.record_publication(actor=request.user, plan=plan, **form.cleaned_data)
        except (PlanError, ValidationError) as error:
            add_service_error(form, error)
        else:
            return success(request, plan_url(plan, "phien-ban"), _("Đã ghi nhận công bố."))
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Ghi nhận công bố"),
        submit=_("Ghi nhận"),
        intro=_(
            "Quy hoạch được công bố trong 15 ngày kể từ ngày phê duyệt và hồ sơ đưa lên cơ sở "
            "dữ liệu quốc gia về quy hoạch trong 10 ngày. Có ngày công bố mới chuyển được sang "
            "giai đoạn tổ chức thực hiện."
        ),
    )


@editor_view(page=True)
def plan_decision(request, plan):
    """Record or correct the current version's approving decision (approvers only)."""
    check(request.user, Action.APPROVE, plan)
    current = plan.current_version()
    initial = {
        "decision_number": current.decision_number,
        "decision_date": current.decision_date,
        "signer": current.signer,
        "reasons": current.reasons,
    }
    form = ApprovalDecisionForm(request.POST or None, initial=initial, kind=current.kind)
    if request.method == "POST" and form.is_valid():
        data = {"reasons": current.reasons, **form.cleaned_data}
        try:
            registration.record_decision(
                actor=request.user, plan=plan, number=current.number, kind=current.kind, **data
            )
        except (PlanError, ValidationError) as error:
            add_service_error(form, error)
        else:
            message = _("Đã ghi quyết định phê duyệt của phiên bản %(n)s.") % {"n": current.number}
            return success(request, plan_url(plan, "phien-ban"), message)
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Quyết định phê duyệt"),
        submit=_("Lưu quyết định"),
        intro=_(
            "Ghi hoặc sửa số, ngày và người ký quyết định phê duyệt của phiên bản %(n)s "
            "(%(kind)s), ví dụ quy hoạch đã phê duyệt trước khi có hệ thống."
        )
        % {"n": current.number, "kind": current.get_kind_display()},
    )

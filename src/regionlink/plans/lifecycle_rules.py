"""The lifecycle's steps and what each needs, with the rule that requires it.

Pure reads: lifecycle.advance refuses a step while :func:`missing_for` returns anything.
Documents, comments and consulted bodies count for the plan's current version, so an
adjustment (a new version) gathers its own draft, synthesis and reports again.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from regionlink.plans import law
from regionlink.plans.errors import Missing
from regionlink.plans.law import PlanLevel, Rule
from regionlink.plans.models import DocumentType, Plan, ResponseKind, Stage

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.OUTLINE: (Stage.FORMULATION,),
    Stage.FORMULATION: (Stage.CONSULTATION,),
    Stage.CONSULTATION: (Stage.APPRAISAL,),
    Stage.APPRAISAL: (Stage.APPROVAL,),
    Stage.APPROVAL: (Stage.PUBLICATION,),
    Stage.PUBLICATION: (Stage.IMPLEMENTATION,),
    Stage.IMPLEMENTATION: (Stage.EVALUATION,),
    # Evaluation done: carry on implementing, or adjust the plan (a new version).
    Stage.EVALUATION: (Stage.IMPLEMENTATION, Stage.ADJUSTMENT),
    Stage.ADJUSTMENT: (Stage.FORMULATION,),
}
# The rule each step is recorded under on the timeline.
RULE_OF_STAGE = {
    Stage.OUTLINE: Rule.OUTLINE,
    Stage.FORMULATION: Rule.OUTLINE,
    Stage.CONSULTATION: Rule.CONSULTATION,
    Stage.APPRAISAL: Rule.APPRAISAL,
    Stage.APPROVAL: Rule.APPROVAL,
    Stage.PUBLICATION: Rule.PUBLICATION,
    Stage.IMPLEMENTATION: Rule.PUBLICATION,
    Stage.EVALUATION: Rule.EVALUATION,
    Stage.ADJUSTMENT: Rule.ADJUSTMENT,
}
# Strategic environmental assessment is part of these plans' dossiers (2017 Law Art. 32).
SEA_LEVELS = frozenset({*law.NATIONAL_LEVELS, PlanLevel.REGIONAL, PlanLevel.PROVINCIAL})
# Adjacent provinces are consulted on regional and provincial plans (2017 Law Art. 19).
ADJACENT_CONSULTATION_LEVELS = frozenset({PlanLevel.REGIONAL, PlanLevel.PROVINCIAL})


def allowed_next(plan: Plan) -> list[Stage]:
    """The stages a plan may move to from its current stage."""
    return [Stage(s) for s in TRANSITIONS.get(plan.stage, ())]


def _basis(rule: Rule, on: dt.date) -> str:
    return str(law.cite(rule, on=on))


def _has_document(plan: Plan, doc_type: str, **extra) -> bool:
    return plan.documents.filter(
        version=plan.current_version(), doc_type=doc_type, **extra
    ).exists()


def _document_missing(plan, doc_type, rule, on, code=None, **extra) -> list[Missing]:
    if _has_document(plan, doc_type, **extra):
        return []
    label = DocumentType(doc_type).label
    text = _("Chưa có tài liệu “%(document)s”: tải tài liệu này lên hồ sơ quy hoạch.")
    return [Missing(code or f"document_{doc_type}", text % {"document": label}, _basis(rule, on))]


def _consultation_missing(plan: Plan, on: dt.date) -> list[Missing]:
    from regionlink.plans.consultation import adjacent_provinces

    basis = _basis(Rule.CONSULTATION, on)
    missing = []
    posted = plan.draft_posted_on
    if posted is None or (on - posted).days < law.CONSULTATION_MIN_DAYS:
        params = {"days": law.CONSULTATION_MIN_DAYS}
        if posted is None:
            text = _("Dự thảo chưa được đăng để lấy ý kiến (tối thiểu %(days)s ngày).")
        else:
            params["posted"] = posted.strftime("%d/%m/%Y")
            params["ready"] = (posted + dt.timedelta(days=law.CONSULTATION_MIN_DAYS)).strftime(
                "%d/%m/%Y"
            )
            text = _(
                "Dự thảo đăng ngày %(posted)s chưa đủ %(days)s ngày lấy ý kiến: "
                "chỉ chuyển thẩm định được từ ngày %(ready)s."
            )
        missing.append(Missing("consultation_period", text % params, basis))
    if plan.level in ADJACENT_CONSULTATION_LEVELS:
        version = plan.current_version()
        asked = set(
            plan.consulted_bodies.filter(version=version, province__isnull=False).values_list(
                "province_id", flat=True
            )
        )
        absent = [p for p in adjacent_provinces(plan, on=posted or on) if p.pk not in asked]
        if absent:
            text = _(
                "Chưa gửi xin ý kiến các tỉnh, thành phố liền kề: %(provinces)s. "
                "Ghi nhận văn bản xin ý kiến gửi từng địa phương."
            )
            names = ", ".join(p.name for p in absent)
            missing.append(Missing("adjacent_provinces", text % {"provinces": names}, basis))
    pending = plan.comments.filter(
        version=plan.current_version(), response_kind=ResponseKind.PENDING
    ).count()
    if pending:
        text = _(
            "Còn %(count)s ý kiến góp ý chưa được tiếp thu hoặc giải trình: "
            "trả lời từng ý kiến trước khi trình thẩm định."
        )
        missing.append(Missing("unanswered_comments", text % {"count": pending}, basis))
    missing += _document_missing(plan, DocumentType.CONSULTATION_SYNTHESIS, Rule.CONSULTATION, on)
    return missing


def _decision_missing(plan: Plan, on: dt.date, decision: dict) -> list[Missing]:
    version = plan.current_version()
    basis = _basis(Rule.APPROVAL, on)
    labels = {
        "decision_number": _("số quyết định"),
        "decision_date": _("ngày quyết định"),
        "signer": _("người ký"),
    }
    absent = [
        str(label)
        for name, label in labels.items()
        if not (decision.get(name) or getattr(version, name))
    ]
    missing = []
    if absent:
        text = _("Chưa ghi quyết định phê duyệt: thiếu %(fields)s.")
        missing.append(Missing("approval_decision", text % {"fields": ", ".join(absent)}, basis))
    decided = decision.get("decision_date") or version.decision_date
    if decided is not None and decided > on:
        text = _("Ngày quyết định %(date)s sau ngày chuyển giai đoạn: kiểm tra lại ngày.")
        params = {"date": decided.strftime("%d/%m/%Y")}
        missing.append(Missing("decision_date_future", text % params, basis))
    missing += _document_missing(plan, DocumentType.DECISION, Rule.APPROVAL, on)
    return missing


def _evaluation_missing(plan: Plan, on: dt.date, note: str) -> list[Missing]:
    if note.strip():
        return []
    reports = plan.documents.filter(doc_type=DocumentType.EVALUATION_REPORT)
    tz = timezone.get_current_timezone()
    if any(d.uploaded_at.astimezone(tz).year == on.year for d in reports):
        return []
    text = _(
        "Chưa có báo cáo đánh giá thực hiện quy hoạch năm %(year)s: tải báo cáo lên, "
        "hoặc ghi chú lý do đánh giá khi chuyển giai đoạn."
    )
    return [Missing("evaluation_report", text % {"year": on.year}, _basis(Rule.EVALUATION, on))]


def missing_for(plan: Plan, to_stage, *, on: dt.date, note: str = "", **decision) -> list[Missing]:
    """Every unmet precondition of moving ``plan`` to ``to_stage`` on ``on`` (empty: allowed).

    ``decision`` may carry decision_number, decision_date and signer given with the step.
    """
    to_stage = Stage(to_stage)
    if to_stage not in allowed_next(plan):
        text = _(
            "Không chuyển được từ giai đoạn “%(from)s” sang “%(to)s”; bước tiếp theo: %(next)s."
        )
        params = {
            "from": Stage(plan.stage).label,
            "to": to_stage.label,
            "next": ", ".join(str(s.label) for s in allowed_next(plan)) or "—",
        }
        return [
            Missing("transition_not_allowed", text % params, _basis(RULE_OF_STAGE[to_stage], on))
        ]
    missing = []
    if plan.stage_since and on < plan.stage_since:
        text = _("Ngày chuyển (%(on)s) trước ngày bắt đầu giai đoạn hiện tại (%(since)s).")
        params = {"on": on.strftime("%d/%m/%Y"), "since": plan.stage_since.strftime("%d/%m/%Y")}
        missing.append(Missing("date_order", text % params, _basis(RULE_OF_STAGE[to_stage], on)))
    if to_stage == Stage.FORMULATION and plan.stage == Stage.OUTLINE:
        missing += _document_missing(plan, DocumentType.OUTLINE, Rule.OUTLINE, on)
    elif to_stage == Stage.CONSULTATION:
        missing += _document_missing(
            plan, DocumentType.DRAFT, Rule.CONSULTATION, on, code="draft_posted", is_public=True
        )
    elif to_stage == Stage.APPRAISAL:
        missing += _consultation_missing(plan, on)
    elif to_stage == Stage.APPROVAL:
        missing += _document_missing(plan, DocumentType.APPRAISAL_REPORT, Rule.APPRAISAL, on)
        if plan.level in SEA_LEVELS:
            missing += _document_missing(plan, DocumentType.SEA_REPORT, Rule.APPRAISAL, on)
    elif to_stage == Stage.PUBLICATION:
        missing += _decision_missing(plan, on, decision)
    elif to_stage == Stage.IMPLEMENTATION and plan.stage == Stage.PUBLICATION:
        if plan.current_version().published_on is None:
            text = _("Chưa ghi ngày công bố quy hoạch: ghi nhận việc công bố trước khi triển khai.")
            missing.append(Missing("published_on", text, _basis(Rule.PUBLICATION, on)))
    elif to_stage == Stage.EVALUATION:
        missing += _evaluation_missing(plan, on, note)
    elif to_stage == Stage.ADJUSTMENT and not note.strip():
        text = _("Chưa ghi lý do điều chỉnh quy hoạch: nêu căn cứ, lý do điều chỉnh.")
        missing.append(Missing("adjustment_reasons", text, _basis(Rule.ADJUSTMENT, on)))
    return missing

"""Registering plans approved before the registry existed: their approval decisions are
recorded on their versions, since no lifecycle step in this system produced them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from regionlink.audit import services as audit
from regionlink.core.text import nfc
from regionlink.plans.errors import PlanError
from regionlink.plans.errors import PlanErrorCode as Code
from regionlink.plans.models import Plan, PlanVersion, Stage, VersionKind
from regionlink.plans.permissions import Action
from regionlink.plans.services import authorise, create_plan, today

DECISION_FIELDS = ("kind", "decision_number", "decision_date", "signer", "reasons")


@transaction.atomic
def record_decision(
    *,
    actor,
    plan: Plan,
    number: int,
    kind: str,
    decision_date: dt.date | None,
    decision_number: str = "",
    signer: str = "",
    reasons: str = "",
) -> tuple[PlanVersion, str]:
    """Record an existing approval decision on version ``number``: created/updated/unchanged."""
    authorise(actor, Action.APPROVE, plan)
    if decision_date is not None and decision_date > today():
        text = _("Ngày quyết định %(date)s ở tương lai: nhập ngày đã ký quyết định.")
        raise PlanError(
            Code.DATE_ORDER, text % {"date": decision_date.strftime("%d/%m/%Y")}, "decision_date"
        )
    if (number == 1) != (kind == VersionKind.ORIGINAL):
        text = _("Lần 1 là bản phê duyệt lần đầu; các lần sau là bản điều chỉnh.")
        raise PlanError(Code.VERSION_KIND, text, "kind")
    wanted = {
        "kind": kind,
        "decision_number": nfc(decision_number),
        "decision_date": decision_date,
        "signer": nfc(signer),
        "reasons": nfc(reasons),
    }
    version = plan.versions.filter(number=number).first()
    if version is None:
        version = PlanVersion.objects.create(plan=plan, number=number, **wanted)
        audit.record(
            actor=actor, action="plans.record_decision", obj=version, after=_jsonable(wanted)
        )
        return version, "created"
    before = {name: getattr(version, name) for name in DECISION_FIELDS}
    dirty = {name: value for name, value in wanted.items() if before[name] != value}
    if not dirty:
        return version, "unchanged"
    for name, value in dirty.items():
        setattr(version, name, value)
    version.save(update_fields=list(dirty))
    audit.record(
        actor=actor,
        action="plans.record_decision",
        obj=version,
        before=_jsonable({name: before[name] for name in dirty}),
        after=_jsonable(dirty),
    )
    return version, "updated"


def _jsonable(values: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


# Stages a plan may be registered at: one approved before the registry existed enters it where
# it stands; evaluation and adjustment are reached through the lifecycle only.
REGISTRABLE_STAGES = (
    Stage.OUTLINE,
    Stage.FORMULATION,
    Stage.CONSULTATION,
    Stage.APPRAISAL,
    Stage.APPROVAL,
    Stage.PUBLICATION,
    Stage.IMPLEMENTATION,
)
# From approval on a plan may carry its approving decision; a published plan must (the step
# into publication needs the decision number, date and signer: Planning Law, approval).
DECISION_STAGES = frozenset({Stage.APPROVAL, Stage.PUBLICATION, Stage.IMPLEMENTATION})
DECIDED_STAGES = frozenset({Stage.PUBLICATION, Stage.IMPLEMENTATION})


def _check_registration(stage: Stage, decision: dict) -> None:
    if stage not in REGISTRABLE_STAGES:
        text = _(
            "Không đăng ký được quy hoạch ở giai đoạn “%(stage)s”: chọn từ “%(first)s” đến "
            "“%(last)s”; các giai đoạn sau đó đi qua bước chuyển giai đoạn."
        )
        params = {
            "stage": stage.label,
            "first": REGISTRABLE_STAGES[0].label,
            "last": REGISTRABLE_STAGES[-1].label,
        }
        raise PlanError(Code.STAGE_NOT_REGISTRABLE, text % params, "stage")
    given = [name for name, value in decision.items() if value]
    if given and stage not in DECISION_STAGES:
        text = _(
            "Quy hoạch ở giai đoạn “%(stage)s” chưa có quyết định phê duyệt: bỏ trống số, ngày "
            "quyết định và người ký, hoặc chọn giai đoạn từ “%(approval)s” trở đi."
        )
        params = {"stage": stage.label, "approval": Stage.APPROVAL.label}
        raise PlanError(Code.DECISION_NOT_YET, text % params, given[0])
    absent = [name for name, value in decision.items() if not value]
    if stage in DECIDED_STAGES and absent:
        labels = {
            "decision_number": _("số quyết định"),
            "decision_date": _("ngày quyết định"),
            "signer": _("người ký"),
        }
        text = _(
            "Quy hoạch ở giai đoạn “%(stage)s” đã được phê duyệt: ghi %(fields)s của quyết "
            "định phê duyệt."
        )
        params = {"stage": stage.label, "fields": ", ".join(str(labels[n]) for n in absent)}
        raise PlanError(Code.DECISION_INCOMPLETE, text % params, absent[0])


@transaction.atomic
def register_approved_plan(
    *,
    actor,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    signer: str = "",
    stage=Stage.OUTLINE,
    **plan_fields,
) -> Plan:
    """Register a plan at the stage it has reached, with its approving decision from approval."""
    stage = Stage(stage or Stage.OUTLINE)
    decision = {
        "decision_number": nfc(decision_number or ""),
        "decision_date": decision_date,
        "signer": nfc(signer or ""),
    }
    _check_registration(stage, decision)
    plan = create_plan(actor=actor, stage=stage, **plan_fields)
    if any(decision.values()):
        # The approver's right is checked on the new plan; a refusal undoes the registration.
        record_decision(actor=actor, plan=plan, number=1, kind=VersionKind.ORIGINAL, **decision)
    return plan

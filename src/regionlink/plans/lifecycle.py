"""The plan lifecycle as one state machine: every stage change goes through :func:`advance`.

A refused step raises TransitionRefused listing every missing precondition and writes
nothing. Moving into approval or publication needs the approver role; other steps an editor.
Preconditions live in lifecycle_rules.py, time limits in lifecycle_deadlines.py.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from regionlink.audit import services as audit
from regionlink.audit.services import snapshot
from regionlink.core.text import nfc
from regionlink.plans import law
from regionlink.plans.errors import PlanError, TransitionRefused
from regionlink.plans.errors import PlanErrorCode as Code
from regionlink.plans.law import Rule
from regionlink.plans.lifecycle_deadlines import Deadline, deadlines
from regionlink.plans.lifecycle_rules import RULE_OF_STAGE, allowed_next, missing_for
from regionlink.plans.models import Plan, PlanVersion, Stage, StageEvent, VersionKind
from regionlink.plans.permissions import Action
from regionlink.plans.services import authorise, user_of

__all__ = [
    "PUBLICATION_STAGES",
    "Deadline",
    "advance",
    "allowed_next",
    "deadlines",
    "missing_for",
    "record_publication",
    "start_adjustment",
]

APPROVER_STAGES = frozenset({Stage.APPROVAL, Stage.PUBLICATION})
# Publication is recorded once the approved plan is at publication or later.
PUBLICATION_STAGES = frozenset({Stage.PUBLICATION, Stage.IMPLEMENTATION, Stage.EVALUATION})
PLAN_STATE = ["stage", "stage_since", "formulation_started_on", "extension_months"]
PLAN_STATE += ["draft_posted_on"]
VERSION_STATE = ["decision_number", "decision_date", "signer", "published_on"]
VERSION_STATE += ["dossier_uploaded_on"]


def _refuse(plan: Plan, to_stage: Stage, missing) -> TransitionRefused:
    text = _("Chưa chuyển được “%(plan)s” sang giai đoạn “%(stage)s”: %(items)s")
    items = "; ".join(m.message for m in missing)
    params = {"plan": plan.name, "stage": to_stage.label, "items": items}
    code = Code.TRANSITION_NOT_ALLOWED if missing[0].code == "transition_not_allowed" else None
    return TransitionRefused(text % params, missing, code=code or Code.TRANSITION_REFUSED)


def _check_extension(extension_months, on: dt.date) -> None:
    if extension_months is not None and not 0 <= extension_months <= law.MAX_EXTENSION_MONTHS:
        text = _(
            "Thời gian gia hạn lập quy hoạch tối đa là %(max)s tháng, không phải %(months)s "
            "tháng (%(basis)s)."
        )
        params = {
            "max": law.MAX_EXTENSION_MONTHS,
            "months": extension_months,
            "basis": law.cite(Rule.FORMULATION_TIME, on=on),
        }
        raise PlanError(Code.EXTENSION_TOO_LONG, text % params, "extension_months")


def _move(*, actor, plan: Plan, to_stage: Stage, on: dt.date, note: str) -> StageEvent:
    event = StageEvent.objects.create(
        plan=plan,
        version=plan.current_version(),
        from_stage=plan.stage,
        to_stage=to_stage,
        occurred_on=on,
        note=nfc(note),
        legal_basis=str(law.cite(RULE_OF_STAGE[to_stage], on=on)),
        actor=user_of(actor),
    )
    plan.stage = to_stage
    plan.stage_since = on
    if to_stage == Stage.FORMULATION and plan.formulation_started_on is None:
        plan.formulation_started_on = on  # Decree 58/2023: the time limit runs from here
    if to_stage == Stage.CONSULTATION:
        plan.draft_posted_on = on
    plan.save()
    return event


@transaction.atomic
def advance(
    *,
    actor,
    plan: Plan,
    to_stage,
    on: dt.date,
    note="",
    decision_number="",
    decision_date=None,
    signer="",
    extension_months=None,
) -> StageEvent:
    """Move a plan to its next stage once every precondition is met; refuse naming each."""
    to_stage = Stage(to_stage)
    authorise(actor, Action.APPROVE if to_stage in APPROVER_STAGES else Action.EDIT, plan)
    _check_extension(extension_months, on)
    if to_stage == Stage.ADJUSTMENT:
        start_adjustment(actor=actor, plan=plan, reasons=note, on=on)
        return plan.stage_events.order_by("-id").first()
    decision = {"decision_number": nfc(decision_number), "decision_date": decision_date}
    decision["signer"] = nfc(signer)
    missing = missing_for(plan, to_stage, on=on, note=note, **decision)
    if missing:
        raise _refuse(plan, to_stage, missing)
    before = {
        **snapshot(plan, fields=PLAN_STATE),
        **snapshot(plan.current_version(), VERSION_STATE),
    }
    if extension_months is not None:
        plan.extension_months = extension_months
    version = plan.current_version()
    given = {name: value for name, value in decision.items() if value}
    if given:
        for name, value in given.items():
            setattr(version, name, value)
        version.save(update_fields=list(given))
    event = _move(actor=actor, plan=plan, to_stage=to_stage, on=on, note=note)
    after = {**snapshot(plan, fields=PLAN_STATE), **snapshot(version, VERSION_STATE)}
    old, new = audit.changes(before, after)
    audit.record(actor=actor, action="plans.advance", obj=plan, before=old, after=new)
    return event


@transaction.atomic
def start_adjustment(*, actor, plan: Plan, reasons, on: dt.date) -> PlanVersion:
    """Open an adjustment: a new version with its reasons, formulated and approved anew."""
    authorise(actor, Action.EDIT, plan)
    missing = missing_for(plan, Stage.ADJUSTMENT, on=on, note=reasons or "")
    if missing:
        raise _refuse(plan, Stage.ADJUSTMENT, missing)
    before = snapshot(plan, fields=PLAN_STATE)
    number = plan.versions.count() + 1
    version = PlanVersion.objects.create(
        plan=plan, number=number, kind=VersionKind.ADJUSTMENT, reasons=nfc(reasons)
    )
    plan.draft_posted_on = None  # the adjusted draft is posted for comment again
    _move(actor=actor, plan=plan, to_stage=Stage.ADJUSTMENT, on=on, note=reasons)
    after = {**snapshot(plan, fields=PLAN_STATE), "version": number, "reasons": version.reasons}
    audit.record(actor=actor, action="plans.start_adjustment", obj=plan, before=before, after=after)
    return version


@transaction.atomic
def record_publication(
    *, actor, plan: Plan, published_on: dt.date, dossier_uploaded_on: dt.date | None = None
) -> PlanVersion:
    """Record when the approved version was published and its dossier uploaded."""
    authorise(actor, Action.EDIT, plan)
    version = plan.current_version()
    if plan.stage not in PUBLICATION_STAGES:
        text = _(
            "Quy hoạch đang ở giai đoạn “%(stage)s”: chỉ ghi nhận công bố sau khi "
            "quyết định phê duyệt đã được ghi và quy hoạch chuyển sang giai đoạn công bố."
        )
        raise PlanError(Code.NOT_APPROVED, text % {"stage": Stage(plan.stage).label}, "stage")
    for name, value in (
        ("published_on", published_on),
        ("dossier_uploaded_on", dossier_uploaded_on),
    ):
        if value is not None and version.decision_date and value < version.decision_date:
            text = _("Ngày %(date)s trước ngày quyết định phê duyệt %(decided)s: kiểm tra lại.")
            params = {
                "date": value.strftime("%d/%m/%Y"),
                "decided": version.decision_date.strftime("%d/%m/%Y"),
            }
            raise PlanError(Code.DATE_ORDER, text % params, name)
    before = snapshot(version, VERSION_STATE)
    version.published_on = published_on
    if dossier_uploaded_on is not None:
        version.dossier_uploaded_on = dossier_uploaded_on
    version.save(update_fields=["published_on", "dossier_uploaded_on"])
    old, new = audit.changes(before, snapshot(version, VERSION_STATE))
    audit.record(actor=actor, action="plans.record_publication", obj=version, before=old, after=new)
    return version

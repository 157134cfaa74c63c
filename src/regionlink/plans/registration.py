"""Registering plans approved before the registry existed: their approval decisions are
recorded on their versions, since no lifecycle step in this system produced them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from regionlink.audit import services as audit
from regionlink.plans.errors import PlanError
from regionlink.plans.errors import PlanErrorCode as Code
from regionlink.plans.models import Plan, PlanVersion, VersionKind
from regionlink.plans.permissions import Action
from regionlink.plans.services import authorise, today

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
        "decision_number": decision_number,
        "decision_date": decision_date,
        "signer": signer,
        "reasons": reasons,
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

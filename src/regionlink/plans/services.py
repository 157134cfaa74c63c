"""Registering and editing plans: checked against the Planning Law, atomic and audited.

Stage changes go through lifecycle.py; documents and consultation have their own modules.
A string actor is a set-up step (demo data, fixtures): no permission check, no user recorded.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from regionlink.audit import services as audit
from regionlink.core.text import fold, nfc
from regionlink.plans import law
from regionlink.plans.errors import PlanError
from regionlink.plans.errors import PlanErrorCode as Code
from regionlink.plans.lifecycle_rules import RULE_OF_STAGE
from regionlink.plans.models import Plan, PlanVersion, Stage, StageEvent, VersionKind
from regionlink.plans.permissions import Action, check
from regionlink.plans.validation import validate_plan

EDITABLE_FIELDS = (
    "code",
    "name",
    "name_en",
    "level",
    "sector",
    "region",
    "province",
    "period_start",
    "period_end",
    "vision_year",
    "organising_body",
    "formulating_body",
    "approving_authority",
    "legal_basis",
    "is_demo",
    "unconfirmed",
)
TEXT_FIELDS = ("name", "name_en", "sector", "approving_authority", "legal_basis", "unconfirmed")


def today() -> dt.date:
    from regionlink.geography.queries import today as geo_today

    return geo_today()


def authorise(actor, action: Action, target) -> None:
    """Raise PermissionDenied unless ``actor`` may act; a string actor is a set-up step."""
    if not isinstance(actor, str):
        check(actor, action, target)


def user_of(actor):
    """The user to store on a row (None for a set-up step)."""
    return None if isinstance(actor, str) else actor


def plan_snapshot(plan: Plan) -> dict:
    data = {name: getattr(plan, name) for name in EDITABLE_FIELDS}
    for name in ("region", "province", "organising_body", "formulating_body"):
        value = data[name]
        data[name] = value.code if value is not None else None
    data["stage"] = plan.stage
    return data


def _raise_first(errors: list[PlanError]) -> None:
    if errors:
        raise errors[0]


def _search_key(plan: Plan) -> str:
    return fold(f"{plan.code} {plan.name} {plan.name_en}")[:300]


def _check_code(code: str, exclude_pk=None) -> None:
    if Plan.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        raise PlanError(
            Code.DUPLICATE_CODE,
            _("Mã quy hoạch “%(code)s” đã được dùng: chọn mã khác.") % {"code": code},
            "code",
        )


@transaction.atomic
def create_plan(
    *,
    actor,
    code,
    name,
    level,
    period_start,
    period_end,
    organising_body,
    region=None,
    province=None,
    name_en="",
    sector="",
    vision_year=None,
    formulating_body=None,
    approving_authority="",
    legal_basis="",
    is_demo=False,
    unconfirmed="",
    stage=Stage.OUTLINE,
    on=None,
) -> Plan:
    """Register a plan with its first version and first lifecycle event."""
    on = on or today()
    authorise(actor, Action.CREATE, organising_body)
    _raise_first(
        validate_plan(
            level=level,
            region=region,
            province=province,
            period_start=period_start,
            period_end=period_end,
            vision_year=vision_year,
            sector=sector,
            on=on,
        )
    )
    code = nfc(code)
    _check_code(code)
    plan = Plan(
        code=code,
        name=nfc(name),
        name_en=nfc(name_en),
        level=level,
        sector=nfc(sector),
        region=region,
        province=province,
        period_start=period_start,
        period_end=period_end,
        vision_year=vision_year,
        organising_body=organising_body,
        formulating_body=formulating_body,
        approving_authority=nfc(approving_authority),
        legal_basis=nfc(legal_basis),
        is_demo=is_demo,
        unconfirmed=nfc(unconfirmed),
        stage=Stage(stage),
        stage_since=on,
    )
    plan.search_key = _search_key(plan)
    plan.full_clean(exclude=["search_key"])
    plan.save()
    version = PlanVersion.objects.create(plan=plan, number=1, kind=VersionKind.ORIGINAL)
    StageEvent.objects.create(
        plan=plan,
        version=version,
        from_stage="",
        to_stage=plan.stage,
        occurred_on=on,
        # A plan registered at a later stage (approved before the registry) cites that stage.
        legal_basis=str(law.cite(RULE_OF_STAGE[Stage(plan.stage)], on=on)),
        actor=user_of(actor),
    )
    audit.record(actor=actor, action="plans.create", obj=plan, after=plan_snapshot(plan))
    return plan


@transaction.atomic
def update_plan(*, actor, plan: Plan, **fields) -> Plan:
    """Change a plan's registry fields (not its stage: see lifecycle.advance)."""
    authorise(actor, Action.EDIT, plan)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise PlanError(
            Code.UNKNOWN_FIELD,
            _("Không sửa được trường %(fields)s; chỉ sửa được: %(allowed)s.")
            % {"fields": ", ".join(sorted(unknown)), "allowed": ", ".join(EDITABLE_FIELDS)},
            sorted(unknown)[0],
        )
    new_body = fields.get("organising_body")
    if new_body is not None and new_body.pk != plan.organising_body_id:
        authorise(actor, Action.CREATE, new_body)
    before = plan_snapshot(plan)
    for name_, value in fields.items():
        setattr(plan, name_, nfc(value) if name_ in TEXT_FIELDS or name_ == "code" else value)
    try:
        _validate_update(plan, fields, before)
    except PlanError:
        plan.refresh_from_db()  # the caller's object must not keep the refused values
        raise
    plan.search_key = _search_key(plan)
    plan.full_clean(exclude=["search_key"])
    plan.save()
    old, new = audit.changes(before, plan_snapshot(plan))
    if new:
        audit.record(actor=actor, action="plans.update", obj=plan, before=old, after=new)
    return plan


def _validate_update(plan: Plan, fields: dict, before: dict) -> None:
    errors = validate_plan(
        level=plan.level,
        region=plan.region,
        province=plan.province,
        period_start=plan.period_start,
        period_end=plan.period_end,
        vision_year=plan.vision_year,
        sector=plan.sector,
        on=today(),
    )
    if "level" not in fields or fields["level"] == before["level"]:
        # The law in force when the plan was registered decided its level.
        errors = [e for e in errors if e.code != Code.LEVEL_NOT_IN_FORCE]
    _raise_first(errors)
    _check_code(plan.code, exclude_pk=plan.pk)

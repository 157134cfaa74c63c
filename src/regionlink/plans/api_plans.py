"""Plans API: the registry and lifecycle of a plan (dossier and consultation: api_dossier).

Reads pass through ``permissions.visible_plans`` (the public sees published plans only; a
plan the caller may not see answers 404). Every write goes through the plans services, which
check the permission again and write the audit trail; handlers check first so a refusal
names the reason (403) before any work is done.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from ninja import Query, Router, Status

from regionlink.core.api import ErrorBody, Limit, require_user, tabular_response
from regionlink.core.paging import keyset_page
from regionlink.core.text import fold
from regionlink.geography.api import region_param
from regionlink.geography.models import RegionMembership
from regionlink.geography.queries import today
from regionlink.organisations.tokens import SIGNED_IN
from regionlink.plans import law
from regionlink.plans.api_common import (
    LIFECYCLE_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    fmt_param,
    links_of,
    organisation_param,
    plan_or_404,
    plan_queryset,
    plan_row,
    province_param,
    ref,
    region_code_param,
    service_errors,
    visible,
)
from regionlink.plans.law import TERRITORY_OF_LEVEL, PlanLevel
from regionlink.plans.models import (
    Plan,
    Stage,
    StageEvent,
    VersionKind,
)
from regionlink.plans.permissions import Action, can, check
from regionlink.plans.schemas import (
    AdjustmentIn,
    ApprovalDecisionIn,
    LevelParam,
    PlanDetailOut,
    PlanIn,
    PlanPage,
    PlanPatch,
    PublicationIn,
    StageEventOut,
    StageParam,
    TransitionIn,
    VersionOut,
)

router = Router()  # tagged by plans.api

PLAN_COLUMNS = (
    "code",
    "name",
    "name_en",
    "level",
    "level_label",
    "sector",
    "region",
    "province",
    "period_start",
    "period_end",
    "vision_year",
    "stage",
    "stage_label",
    "stage_since",
    "organising_body",
    "is_demo",
)


# --- Registry --------------------------------------------------------------------------------


def _flat(row: dict) -> dict:
    """A plan row for CSV/XLSX: references by code."""
    return {
        **row,
        "region": row["region"]["code"] if row["region"] else "",
        "province": row["province"]["code"] if row["province"] else "",
        "organising_body": row["organising_body"]["code"],
    }


@router.get(
    "/plans",
    response={200: PlanPage, 400: ErrorBody, 422: ErrorBody},
    summary="Danh mục quy hoạch",
    description=(
        "Plans the caller may see (visitors: published plans only), ordered by code with keyset "
        "paging (pass `next` as `after`). Filters: `level`, `region` (regional plans of the "
        "region and plans of its provinces today), `province` (code), `stage`, `q` (code or "
        "name, diacritics optional: `lam dong` finds Lâm Đồng). `format=csv|xlsx` downloads "
        "every matching plan."
    ),
)
def list_plans(
    request,
    level: LevelParam | None = None,
    region: str | None = None,
    province: str | None = None,
    stage: StageParam | None = None,
    q: str | None = None,
    after: str | None = None,
    limit: Limit = 100,
    format: str = Query("json", description="json (mặc định), csv hoặc xlsx"),
):
    fmt = fmt_param(format)
    qs = visible(request.user)
    if level:
        qs = qs.filter(level=level)
    if stage:
        qs = qs.filter(stage=stage)
    if region:
        found = region_param(region)
        members = RegionMembership.objects.valid_on(today()).filter(region=found)
        qs = qs.filter(Q(region=found) | Q(province_id__in=members.values("unit_id")))
    if province:
        qs = qs.filter(province__code=province.strip())
    if q and (key := fold(q)):
        qs = qs.filter(Q(search_key__contains=key) | Q(code__icontains=key.replace(" ", "-")))
    if fmt != "json":
        rows = [_flat(plan_row(p)) for p in qs.order_by("code")]
        return tabular_response(rows, PLAN_COLUMNS, fmt=fmt, filename="quy-hoach")
    rows, next_cursor = keyset_page(qs, order=("code",), kinds=(str,), after=after, limit=limit)
    return {"items": [plan_row(p) for p in rows], "next": next_cursor}


def _version(v) -> dict:
    return {
        "number": v.number,
        "kind": v.kind,
        "kind_label": str(VersionKind(v.kind).label),
        "reasons": v.reasons,
        "decision_number": v.decision_number,
        "decision_date": v.decision_date,
        "signer": v.signer,
        "published_on": v.published_on,
        "dossier_uploaded_on": v.dossier_uploaded_on,
    }


def _deadlines(plan: Plan) -> list[dict]:
    try:
        from regionlink.plans.lifecycle import deadlines
    except ImportError:
        return []
    return [
        {
            "code": str(d.code),
            "due_on": d.due_on,
            "done_on": d.done_on,
            "overdue": bool(d.overdue),
            "message": str(d.message),
            "legal_basis": str(d.legal_basis),
        }
        for d in deadlines(plan, on=today())
    ]


def _allowed_next(plan: Plan) -> list[str]:
    try:
        from regionlink.plans.lifecycle import allowed_next
    except ImportError:
        return []
    return [str(s) for s in allowed_next(plan)]


def _detail(request, plan: Plan) -> dict:
    plan = plan_queryset().select_related("formulating_body").get(pk=plan.pk)
    versions = list(plan.versions.order_by("number"))
    current = versions[-1] if versions else None
    on = law.law_date_for_plan(plan, today=today())
    planning_law = law.law_in_force(on)
    can_edit = can(request.user, Action.EDIT, plan)
    return {
        **plan_row(plan),
        "formulating_body": ref(plan.formulating_body),
        "approving_authority": plan.approving_authority,
        "legal_basis": plan.legal_basis,
        "unconfirmed": plan.unconfirmed,
        "territory": {
            "kind": str(TERRITORY_OF_LEVEL[PlanLevel(plan.level)]),
            "region": ref(plan.region),
            "province": ref(plan.province),
        },
        "law": {
            "number": planning_law.number,
            "title": planning_law.title,
            "instrument": planning_law.instrument,
            "in_force_from": planning_law.in_force_from,
            "in_force_to": planning_law.in_force_to,
            "on": on,
        },
        "decision": _version(current) if current else None,
        "versions": [_version(v) for v in versions],
        "deadlines": _deadlines(plan),
        "allowed_next": _allowed_next(plan) if can_edit else [],
        "links": links_of(request, plan),
        "can_edit": can_edit,
        "can_approve": can(request.user, Action.APPROVE, plan),
    }


@router.get(
    "/plans/{code}",
    response={200: PlanDetailOut, **READ_ERRORS},
    summary="Thông tin một quy hoạch",
    description=(
        "Territory, period, bodies, the current version's decision, the Planning Law in force "
        "on the latest decision date (today while in preparation), stage, deadlines with "
        "overdue flags and their legal basis, versions and conformity links. 404 when the "
        "plan does not exist or the caller may not see it."
    ),
)
def get_plan(request, code: str):
    return _detail(request, plan_or_404(request, code))


@router.post(
    "/plans",
    auth=SIGNED_IN,
    response={201: PlanDetailOut, **WRITE_ERRORS},
    summary="Đăng ký quy hoạch",
    description=(
        "Register a plan for an organising body (editor there or above). The level must be in "
        "the Planning Law in force on `on` (today by default), the territory must fit the "
        "level (regional: `region`; provincial: `province`) and the period the law's rules. "
        "Creates version 1 and the first lifecycle event. A plan approved before the registry "
        "existed is registered at its `stage` (outline … implementation) with its approving "
        "decision (`decision_number`, `decision_date`, `signer`: allowed from approval, "
        "required from publication, approver role), in one transaction. Audited."
    ),
)
def create_plan(request, payload: PlanIn):
    from regionlink.plans import registration

    user = require_user(request)
    body = organisation_param(payload.organising_body, "organising_body")
    check(user, Action.CREATE, body)
    on = payload.on or today()
    province_on = dt.date(payload.period_start, 1, 1)
    with service_errors():
        plan = registration.register_approved_plan(
            actor=user,
            code=payload.code,
            name=payload.name,
            level=payload.level,
            period_start=payload.period_start,
            period_end=payload.period_end,
            organising_body=body,
            region=region_code_param(payload.region),
            province=province_param(payload.province, on=province_on),
            name_en=payload.name_en,
            sector=payload.sector,
            vision_year=payload.vision_year,
            formulating_body=organisation_param(payload.formulating_body, "formulating_body"),
            approving_authority=payload.approving_authority,
            legal_basis=payload.legal_basis,
            is_demo=payload.is_demo,
            unconfirmed=payload.unconfirmed,
            stage=payload.stage,
            decision_number=payload.decision_number,
            decision_date=payload.decision_date,
            signer=payload.signer,
            on=on,
        )
    return Status(201, _detail(request, plan))


@router.patch(
    "/plans/{code}",
    auth=SIGNED_IN,
    response={200: PlanDetailOut, **WRITE_ERRORS},
    summary="Sửa thông tin quy hoạch",
    description=(
        "Change registry fields (send only those to change); the stage changes through "
        "`/transitions`. Editor of the organising body or above. Audited."
    ),
)
def patch_plan(request, code: str, payload: PlanPatch):
    from regionlink.plans import services

    user = require_user(request)
    plan = plan_or_404(request, code)
    check(user, Action.EDIT, plan)
    changes = payload.model_dump(exclude_unset=True)
    if "formulating_body" in changes:
        changes["formulating_body"] = organisation_param(
            changes["formulating_body"], "formulating_body"
        )
    for name in ("name", "name_en", "sector", "approving_authority", "legal_basis", "unconfirmed"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    with service_errors():
        services.update_plan(actor=user, plan=plan, **changes)
    return _detail(request, plan)


# --- Lifecycle -------------------------------------------------------------------------------


def _event(event: StageEvent, show_actor: bool) -> dict:
    return {
        "id": event.pk,
        "from_stage": event.from_stage,
        "from_stage_label": str(Stage(event.from_stage).label) if event.from_stage else "",
        "to_stage": event.to_stage,
        "to_stage_label": str(Stage(event.to_stage).label),
        "occurred_on": event.occurred_on,
        "note": event.note,
        "legal_basis": event.legal_basis,
        "version": event.version.number if event.version_id else None,
        "actor": (
            (event.actor.full_name or event.actor.username)
            if show_actor and event.actor_id
            else None
        ),
    }


@router.get(
    "/plans/{code}/timeline",
    response={200: list[StageEventOut], **READ_ERRORS},
    summary="Tiến trình của quy hoạch",
    description=(
        "Every lifecycle step, oldest first, with its legal basis. Who took the step is shown "
        "to the plan's editors only."
    ),
)
def timeline(request, code: str):
    plan = plan_or_404(request, code)
    show_actor = can(request.user, Action.EDIT, plan)
    events = StageEvent.objects.filter(plan=plan).select_related("version", "actor")
    return [_event(e, show_actor) for e in events.order_by("occurred_on", "id")]


@router.post(
    "/plans/{code}/transitions",
    auth=SIGNED_IN,
    response={200: StageEventOut, **LIFECYCLE_ERRORS},
    summary="Chuyển giai đoạn quy hoạch",
    description=(
        "Move the plan to `to_stage` on `on`. Refused with 409 and `missing` — every unmet "
        "precondition with its legal basis — when a step is not allowed yet; nothing changes "
        "then. Approval and publication need the decision (`decision_number`, "
        "`decision_date`, `signer`). Audited."
    ),
)
def transition(request, code: str, payload: TransitionIn):
    from regionlink.plans import lifecycle

    user = require_user(request)
    plan = plan_or_404(request, code)
    check(user, Action.EDIT, plan)
    with service_errors():
        event = lifecycle.advance(
            actor=user,
            plan=plan,
            to_stage=payload.to_stage,
            on=payload.on,
            note=payload.note,
            decision_number=payload.decision_number,
            decision_date=payload.decision_date,
            signer=payload.signer,
            extension_months=payload.extension_months,
        )
    event = StageEvent.objects.select_related("version", "actor").get(pk=event.pk)
    return _event(event, True)


@router.post(
    "/plans/{code}/adjustments",
    auth=SIGNED_IN,
    response={201: VersionOut, **LIFECYCLE_ERRORS},
    summary="Bắt đầu điều chỉnh quy hoạch",
    description=(
        "Open a new version of an approved plan for adjustment, with its `reasons` (the law "
        "lists the grounds). Refused with the missing preconditions when the plan may not be "
        "adjusted yet. Audited."
    ),
)
def start_adjustment(request, code: str, payload: AdjustmentIn):
    from regionlink.plans import lifecycle

    user = require_user(request)
    plan = plan_or_404(request, code)
    check(user, Action.EDIT, plan)
    with service_errors():
        version = lifecycle.start_adjustment(
            actor=user, plan=plan, reasons=payload.reasons, on=payload.on
        )
    return Status(201, _version(version))


@router.post(
    "/plans/{code}/publication",
    auth=SIGNED_IN,
    response={200: VersionOut, **WRITE_ERRORS},
    summary="Ghi nhận công bố quy hoạch",
    description=(
        "Record when the approved version was published (`published_on`, within 15 days of "
        "approval) and its dossier uploaded to the national planning database "
        "(`dossier_uploaded_on`, within 10 days). Editor of the plan. Audited."
    ),
)
def record_publication(request, code: str, payload: PublicationIn):
    from regionlink.plans import lifecycle

    user = require_user(request)
    plan = plan_or_404(request, code)
    check(user, Action.EDIT, plan)
    with service_errors():
        version = lifecycle.record_publication(
            actor=user,
            plan=plan,
            published_on=payload.published_on,
            dossier_uploaded_on=payload.dossier_uploaded_on,
        )
    return _version(version)


@router.post(
    "/plans/{code}/decisions",
    auth=SIGNED_IN,
    response={200: VersionOut, 201: VersionOut, **WRITE_ERRORS},
    summary="Ghi quyết định phê duyệt",
    description=(
        "Record or correct the approving decision of version `number` (1: `original`; later: "
        "`adjustment` with its `reasons`), e.g. for a plan approved before the registry "
        "existed. Approver of the organising body. 201 when the version is created, 200 "
        "otherwise. Audited."
    ),
)
def record_decision(request, code: str, payload: ApprovalDecisionIn):
    from regionlink.plans import registration

    user = require_user(request)
    plan = plan_or_404(request, code)
    check(user, Action.APPROVE, plan)
    with service_errors():
        fields = payload.model_dump()
        version, outcome = registration.record_decision(actor=user, plan=plan, **fields)
    return Status(201 if outcome == "created" else 200, _version(version))

"""Shared plumbing of the plans API: finding a plan the caller may see, shaping rows, and
answering a service's refusal as a JSON error that names the field (and, for a refused
lifecycle step, every missing precondition with its legal basis)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from regionlink.core.api import ApiError, ErrorBody, validation_error
from regionlink.geography.models import AdministrativeUnit, Region
from regionlink.organisations.models import Organisation
from regionlink.plans import law
from regionlink.plans.errors import PlanError, TransitionRefused
from regionlink.plans.law import PlanLevel
from regionlink.plans.models import ConformityLink, Plan, Stage
from regionlink.plans.permissions import visible_plans
from regionlink.plans.schemas import RefusalOut

TAG = "Quy hoạch"
FORMATS = ("json", "csv", "xlsx")
READ_ERRORS = {400: ErrorBody, 401: ErrorBody, 404: ErrorBody}
WRITE_ERRORS = {400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody}
LIFECYCLE_ERRORS = {**WRITE_ERRORS, 409: RefusalOut}


class RefusedError(ApiError):
    """A refused lifecycle step: 409 with every missing precondition and its legal basis."""

    def __init__(self, exc: TransitionRefused):
        super().__init__(str(exc.code), exc.message, status=409, field=exc.field)
        self.missing = [m.as_dict() for m in exc.missing]

    def payload(self) -> dict:
        return {**super().payload(), "missing": self.missing}


@contextmanager
def service_errors():
    """Answer a service's refusal as JSON: PlanError 400, TransitionRefused 409 (with the
    missing preconditions), ValidationError 400; PermissionDenied goes on to the API's 403."""
    try:
        yield
    except TransitionRefused as exc:
        raise RefusedError(exc) from exc
    except PlanError as exc:
        raise ApiError(str(exc.code), exc.message, status=400, field=exc.field) from exc
    except ValidationError as exc:
        raise validation_error(exc) from exc


def fmt_param(value: str | None) -> str:
    fmt = (value or "json").lower()
    if fmt not in FORMATS:
        raise ApiError(
            "invalid_format",
            _("Định dạng “%(value)s” không hỗ trợ (tham số format); dùng json, csv hoặc xlsx.")
            % {"value": value},
            field="format",
        )
    return fmt


def plan_queryset():
    return Plan.objects.select_related("region", "province", "organising_body")


def visible(user, queryset=None):
    """``visible_plans`` with the related rows a plan row shows (selected after the check,
    which defers fields of its own)."""
    return visible_plans(user, queryset).select_related("region", "province", "organising_body")


def plan_or_404(request, code: str) -> Plan:
    """The plan ``code`` if the caller may see it; 404 otherwise (its existence is private)."""
    plan = visible(request.user, Plan.objects.filter(code=code)).first()
    if plan is None:
        raise Http404(
            _("Không có quy hoạch mã “%(code)s” hoặc bạn không có quyền xem.") % {"code": code}
        )
    return plan


def ref(obj) -> dict | None:
    if obj is None:
        return None
    return {"code": obj.code, "name": getattr(obj, "display_name", None) or obj.name}


def plan_row(plan: Plan) -> dict:
    return {
        "code": plan.code,
        "name": plan.name,
        "name_en": plan.name_en,
        "display_name": plan.display_name,
        "level": plan.level,
        "level_label": str(PlanLevel(plan.level).label),
        "sector": plan.sector,
        "region": ref(plan.region),
        "province": ref(plan.province),
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "vision_year": plan.vision_year,
        "stage": plan.stage,
        "stage_label": str(Stage(plan.stage).label),
        "stage_since": plan.stage_since,
        "organising_body": ref(plan.organising_body),
        "is_public": plan.is_public,
        "is_demo": plan.is_demo,
    }


# --- Codes in request bodies -----------------------------------------------------------------


def organisation_param(code: str | None, field: str) -> Organisation | None:
    if not code:
        return None
    org = Organisation.objects.filter(code=code.strip()).first()
    if org is None:
        raise ApiError(
            "unknown_organisation",
            _("Không có cơ quan mã “%(code)s” (trường %(field)s); xem /api/v1/organisations.")
            % {"code": code, "field": field},
            field=field,
        )
    return org


def region_code_param(code: str | None, field: str = "region") -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code__iexact=code.strip()).first()
    if region is None:
        raise ApiError(
            "unknown_region",
            _("Không có vùng mã “%(code)s” (trường %(field)s); xem /api/v1/regions.")
            % {"code": code, "field": field},
            field=field,
        )
    return region


def province_param(
    code: str | None, field: str = "province", *, on: dt.date | None = None
) -> AdministrativeUnit | None:
    """The province record with ``code`` in force on ``on`` (else its latest record): a
    province kept through the 2025 reorganisation has an old and a new record."""
    if not code:
        return None
    units = list(
        AdministrativeUnit.objects.filter(code=code.strip(), level="province").order_by(
            "-valid_from"
        )
    )
    if not units:
        raise ApiError(
            "unknown_province",
            _("Không có tỉnh, thành phố mã “%(code)s” (trường %(field)s); xem /api/v1/units.")
            % {"code": code, "field": field},
            field=field,
        )
    if on is not None:
        for unit in units:
            starts_ok = unit.valid_from is None or unit.valid_from <= on
            if starts_ok and (unit.valid_to is None or unit.valid_to >= on):
                return unit
    return units[0]


def links_of(request, plan: Plan) -> dict:
    """Conformity links both ways, showing only the linked plans the caller may see."""
    up = list(ConformityLink.objects.filter(lower=plan))
    down = list(ConformityLink.objects.filter(higher=plan))
    ids = {link.higher_id for link in up} | {link.lower_id for link in down}
    seen = {p.pk: p for p in visible(request.user, Plan.objects.filter(pk__in=ids))} if ids else {}

    def shape(link, other_id):
        return {"plan": plan_row(seen[other_id]), "suggested": link.suggested, "note": link.note}

    try:
        from regionlink.plans.conformity import required_levels

        levels = list(required_levels(plan))
    except ImportError:
        levels = list(law.MUST_CONFORM_TO.get(plan.level, ()))
    return {
        "higher": [shape(link, link.higher_id) for link in up if link.higher_id in seen],
        "lower": [shape(link, link.lower_id) for link in down if link.lower_id in seen],
        "required_levels": levels,
    }

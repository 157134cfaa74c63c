"""Organisations API: the public directory, profile edits through services, and ``/me``.

Handlers stay thin: reads are shaped here, every write goes through
``organisations.services`` which checks permissions and writes the audit trail.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router

from regionlink.core.api import ErrorBody, Limit, require_user, validation_error
from regionlink.core.paging import keyset_page
from regionlink.core.text import fold
from regionlink.geography.api import region_param
from regionlink.geography.models import AdministrativeUnit, Region, RegionMembership
from regionlink.geography.queries import today
from regionlink.organisations import services
from regionlink.organisations.models import Membership, Organisation, OrganisationKind, Role
from regionlink.organisations.permissions import Action, can, can_view_audit, principal_for
from regionlink.organisations.schemas import (
    KindParam,
    MeOut,
    OrganisationDetailOut,
    OrganisationPage,
    OrganisationPatch,
)
from regionlink.organisations.tokens import SIGNED_IN

router = Router(tags=["organisations"])


def _with_links(qs):
    return qs.annotate(parent_code=F("parent__code")).prefetch_related(
        Prefetch("regions", queryset=Region.objects.only("id", "code").order_by("code")),
        Prefetch(
            "provinces", queryset=AdministrativeUnit.objects.only("id", "code").order_by("code")
        ),
    )


def _summary(org: Organisation) -> dict:
    return {
        "code": org.code,
        "name": org.name,
        "name_en": org.name_en,
        "short_name": org.short_name,
        "kind": org.kind,
        "kind_label": str(OrganisationKind(org.kind).label),
        "parent_code": org.parent_code,
        "scope": org.scope,
        "regions": sorted({r.code for r in org.regions.all()}),
        # An unchanged province may be linked by its old and new record: list each code once.
        "provinces": sorted({p.code for p in org.provinces.all()}),
        "is_demo": org.is_demo,
    }


def _organisation(code: str) -> Organisation:
    org = _with_links(Organisation.objects.filter(code=code)).first()
    if org is None:
        raise Http404(
            _("Không có cơ quan mã “%(code)s”; xem danh sách tại /api/v1/organisations.")
            % {"code": code}
        )
    return org


def _detail(request, org: Organisation) -> dict:
    body = {
        **_summary(org),
        "description": org.description,
        "address": org.address,
        "email": org.email,
        "phone": org.phone,
        "website": org.website,
        "legal_basis": org.legal_basis,
        "is_active": org.is_active,
        "children": list(
            org.children.filter(is_active=True).order_by("code").values_list("code", flat=True)
        ),
    }
    if can(request.user, Action.ADMINISTER, org):
        members = Membership.objects.filter(organisation=org).select_related("user")
        body["members"] = [
            {
                "username": m.user.username,
                "full_name": m.user.full_name,
                "email": m.user.email,
                "position": m.user.position,
                "role": m.role,
                "role_label": str(Role(m.role).label),
            }
            for m in members.order_by("user__username")
        ]
    return body


@router.get(
    "/organisations",
    response={200: OrganisationPage, 400: ErrorBody},
    summary="Danh bạ cơ quan, tổ chức",
    description=(
        "Public directory of active organisations, ordered by code with keyset paging (pass "
        "`next` as `after`). Filter by `kind`, `q` (name or abbreviation, diacritics "
        "optional), `region` (linked to the region or to one of its provinces today) and "
        "`province` (province code). Illustrative organisations carry `is_demo: true`; label "
        "them “Dữ liệu minh họa”."
    ),
)
def list_organisations(
    request,
    kind: KindParam | None = None,
    q: str | None = None,
    region: str | None = None,
    province: str | None = None,
    after: str | None = None,
    limit: Limit = 100,
):
    qs = Organisation.objects.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        key = fold(q)
        if key:
            qs = qs.filter(Q(search_key__icontains=key) | Q(code__icontains=key.replace(" ", "-")))
    if region:
        found = region_param(region)
        provinces = (
            RegionMembership.objects.valid_on(today()).filter(region=found).values("unit_id")
        )
        linked = Organisation.objects.filter(Q(regions=found) | Q(provinces__in=provinces))
        qs = qs.filter(pk__in=linked.values("pk"))
    if province:
        linked = Organisation.objects.filter(provinces__code=province)
        qs = qs.filter(pk__in=linked.values("pk"))
    rows, next_cursor = keyset_page(
        _with_links(qs), order=("code",), kinds=(str,), after=after, limit=limit
    )
    return {"items": [_summary(o) for o in rows], "next": next_cursor}


@router.get(
    "/organisations/{code}",
    response={200: OrganisationDetailOut, 404: ErrorBody},
    exclude_unset=True,
    summary="Thông tin chi tiết cơ quan, tổ chức",
    description=(
        "One organisation with its public profile and the codes of its active children. "
        "`members` is included only when the caller may administer the organisation."
    ),
)
def get_organisation(request, code: str):
    return _detail(request, _organisation(code))


@router.patch(
    "/organisations/{code}",
    auth=SIGNED_IN,
    response={
        200: OrganisationDetailOut,
        400: ErrorBody,
        401: ErrorBody,
        403: ErrorBody,
        404: ErrorBody,
    },
    exclude_unset=True,
    summary="Cập nhật thông tin giới thiệu của cơ quan",
    description=(
        "Change the public profile (name, name_en, short_name, description, address, email, "
        "phone, website); send only the fields to change. Requires the editor role in the "
        "organisation or an organisation above it. The change is recorded in the audit trail "
        "with its before and after values. Token callers need no CSRF token; session callers do."
    ),
)
def patch_organisation(request, code: str, payload: OrganisationPatch):
    user = require_user(request)
    org = _organisation(code)
    sent = payload.model_dump(exclude_unset=True)
    changes = {name: ("" if value is None else value) for name, value in sent.items()}
    try:
        services.update_organisation_profile(actor=user, organisation=org, **changes)
    except ValidationError as exc:
        raise validation_error(exc) from exc
    return _detail(request, _organisation(code))


@router.get(
    "/me",
    auth=SIGNED_IN,
    response={200: MeOut, 401: ErrorBody},
    summary="Tài khoản đang gọi API và vai trò trong các cơ quan",
    description=(
        "The calling user (session or bearer token) with their memberships and roles. "
        "Anonymous callers get 401."
    ),
)
def me(request):
    user = require_user(request)
    who = principal_for(user)
    memberships = sorted(who.memberships, key=lambda m: m.organisation.code)
    return {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "position": user.position,
        "is_system_admin": who.is_system_admin,
        "can_view_audit": can_view_audit(user),
        "memberships": [
            {
                "organisation": {
                    "code": m.organisation.code,
                    "name": m.organisation.name,
                    "kind": m.organisation.kind,
                    "is_demo": m.organisation.is_demo,
                },
                "role": m.role,
                "role_label": str(Role(m.role).label),
            }
            for m in memberships
        ],
    }

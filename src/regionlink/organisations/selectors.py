"""Reads for the organisation pages: the directory, one profile, its members, and who is below."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from regionlink.core.paging import Page, keyset_page
from regionlink.core.text import fold
from regionlink.geography.models import AdministrativeUnit, Level, Region
from regionlink.geography.queries import today, units_of_region
from regionlink.organisations.models import ROLE_RANK, Membership, Organisation, Role, User
from regionlink.organisations.permissions import principal_for

DIRECTORY_PAGE_SIZE = 25


def current_regions() -> QuerySet[Region]:
    return Region.objects.valid_on(today()).order_by("sort_order", "code")


def current_provinces() -> QuerySet[AdministrativeUnit]:
    provinces = AdministrativeUnit.objects.valid_on(today()).filter(level=Level.PROVINCE)
    return provinces.order_by("code")


def _matches(query: str) -> Q:
    """Each word of ``query`` begins a word of the name, diacritics ignored ("so tai chinh lam
    dong" finds "Sở Tài chính tỉnh Lâm Đồng"); or the query is part of the code."""
    words = Q()
    for word in fold(query).split():
        words &= Q(search_key__startswith=word) | Q(search_key__contains=f" {word}")
    return words | Q(code__icontains=query.strip())


def organisation_directory(
    *,
    kind: str = "",
    region: Region | None = None,
    province: AdministrativeUnit | None = None,
    query: str = "",
    cursor: str | None = None,
    limit: int = DIRECTORY_PAGE_SIZE,
) -> Page:
    """Active organisations by diacritic-free name, filtered, one keyset page at a time."""
    rows = Organisation.objects.filter(is_active=True)
    if kind:
        rows = rows.filter(kind=kind)
    if region is not None:
        # The region's own council and every body whose provinces lie in the region.
        members = units_of_region(region, today()).values("pk")
        linked = Organisation.objects.filter(Q(regions=region) | Q(provinces__in=members))
        rows = rows.filter(pk__in=linked.values("pk"))
    if province is not None:
        # The province's own bodies and the councils of the region it belongs to.
        region_ids = province.region_memberships.valid_on(today()).values("region_id")
        linked = Organisation.objects.filter(Q(provinces=province) | Q(regions__in=region_ids))
        rows = rows.filter(pk__in=linked.values("pk"))
    if query.strip():
        rows = rows.filter(_matches(query))
    return keyset_page(
        rows.select_related("parent").prefetch_related("regions", "provinces"),
        order=("search_key", "pk"),
        kinds=(str, int),
        after=cursor,
        limit=limit,
        lenient=True,
    )


def organisation_by_code(code: str) -> Organisation:
    organisation = (
        Organisation.objects.select_related("parent", "parent__parent")
        .prefetch_related("regions", "provinces")
        .filter(code=code)
        .first()
    )
    if organisation is None:
        raise Http404(_("Không có cơ quan mã “%(code)s”.") % {"code": code})
    return organisation


def children_of(organisation: Organisation) -> list[Organisation]:
    return list(organisation.children.filter(is_active=True).order_by("search_key", "pk"))


def members_of(organisation: Organisation) -> list[Membership]:
    return list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__username")
    )


def membership_in(organisation: Organisation, pk: int) -> Membership:
    membership = (
        Membership.objects.select_related("user", "organisation", "organisation__parent")
        .filter(organisation=organisation, pk=pk)
        .first()
    )
    if membership is None:
        raise Http404(_("Không có thành viên này trong cơ quan."))
    return membership


def person_by_username_or_email(identifier: str) -> User | None:
    """The account named ``identifier`` (user name, else a unique e-mail address), or None."""
    identifier = identifier.strip()
    if not identifier:
        return None
    user = User.objects.filter(username__iexact=identifier).first()
    if user is not None or "@" not in identifier:
        return user
    matches = list(User.objects.filter(email__iexact=identifier)[:2])
    return matches[0] if len(matches) == 1 else None


def grantable_roles(user, organisation: Organisation) -> list[tuple[str, str]]:
    """Roles ``user`` may give in ``organisation``: none above their own, except system admins."""
    who = principal_for(user)
    ceiling = max(ROLE_RANK.values()) if who.is_system_admin else who.rank_in(organisation)
    return [(role.value, role.label) for role in Role if ROLE_RANK[role] <= ceiling]


def with_descendants(organisation_ids) -> set[int]:
    """``organisation_ids`` and every organisation below them (one query per level)."""
    found = set(organisation_ids)
    frontier = set(found)
    while frontier:
        children = set(
            Organisation.objects.filter(parent_id__in=frontier)
            .order_by()
            .values_list("pk", flat=True)
        )
        frontier = children - found
        found |= frontier
    return found


def administered_organisation_ids(user) -> set[int]:
    """Organisations where ``user`` is an organisation admin, with everything below them."""
    who = principal_for(user)
    own = {m.organisation_id for m in who.memberships if m.role == Role.ORG_ADMIN}
    return with_descendants(own) if own else set()

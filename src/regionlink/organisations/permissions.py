"""One answer to "may this person do this to this object", for views, API, CLI and exports.

Rights come from a person's memberships: a role in an organisation applies to that
organisation and everything below it in the hierarchy (a People's Committee's editor may edit
its departments' records). Reading restricted records also follows jurisdiction: a regional
council may read its provinces' records, a national body all of them. There are no
per-object permission rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from regionlink.organisations.models import (
    ROLE_RANK,
    JurisdictionScope,
    Membership,
    Organisation,
    Role,
)


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    EDIT = "edit"
    APPROVE = "approve"
    ADMINISTER = "administer"


# The least role each action needs inside the owner's hierarchy.
REQUIRED_ROLE = {
    Action.VIEW: Role.VIEWER,
    Action.CREATE: Role.EDITOR,
    Action.EDIT: Role.EDITOR,
    Action.APPROVE: Role.APPROVER,
    Action.ADMINISTER: Role.ORG_ADMIN,
}


@dataclass(frozen=True)
class Scope:
    """What the rules need to know about a target: its owner, territory and publication."""

    owner: Organisation | None = None
    province_ids: frozenset[int] = field(default_factory=frozenset)
    published: bool = False
    label: str = ""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def scope_of(target) -> Scope:
    """Targets describe themselves with ``permission_scope()``; organisations are built in."""
    if isinstance(target, Scope):
        return target
    if isinstance(target, Organisation):
        return Scope(owner=target, published=True, label=str(target))
    if hasattr(target, "permission_scope"):
        return target.permission_scope()
    raise TypeError(f"No permission scope for {type(target).__name__}")


class Principal:
    """A person's memberships, loaded once per request and reused for every check."""

    def __init__(self, user):
        self.user = user
        self.is_authenticated = bool(user and user.is_authenticated and user.is_active)
        self.is_system_admin = self.is_authenticated and user.is_superuser
        self._memberships: list[Membership] | None = None

    @property
    def memberships(self) -> list[Membership]:
        if self._memberships is None:
            if not self.is_authenticated:
                self._memberships = []
            else:
                self._memberships = list(
                    Membership.objects.filter(user=self.user)
                    .select_related("organisation", "organisation__parent")
                    .prefetch_related("organisation__regions", "organisation__provinces")
                )
        return self._memberships

    def rank_in(self, organisation: Organisation | None) -> int:
        """Highest rank held in ``organisation`` or any organisation above it."""
        if organisation is None:
            return 0
        chain = {organisation.pk, *(o.pk for o in organisation.ancestors())}
        ranks = [ROLE_RANK[Role(m.role)] for m in self.memberships if m.organisation_id in chain]
        return max(ranks, default=0)

    def covering_rank(self, province_ids: frozenset[int], on: dt.date | None = None) -> int:
        """Highest rank in an organisation whose jurisdiction covers all of ``province_ids``."""
        if not province_ids:
            return 0
        best = 0
        for m in self.memberships:
            if covers(m.organisation, province_ids, on):
                best = max(best, ROLE_RANK[Role(m.role)])
        return best


def covers(organisation: Organisation, province_ids: frozenset[int], on=None) -> bool:
    from regionlink.geography.models import RegionMembership
    from regionlink.geography.queries import today

    scope = organisation.scope
    if scope == JurisdictionScope.NATIONAL:
        return True
    if scope == JurisdictionScope.PROVINCES:
        own = {p.pk for p in organisation.provinces.all()}
        return province_ids <= own
    if scope == JurisdictionScope.REGIONS:
        region_ids = [r.pk for r in organisation.regions.all()]
        members = set(
            RegionMembership.objects.valid_on(on or today())
            .filter(region_id__in=region_ids)
            .values_list("unit_id", flat=True)
        )
        return province_ids <= members
    return False


def principal_for(user) -> Principal:
    """Cache the principal on the user object so one request loads memberships once."""
    if user is None:
        return Principal(None)
    cached = getattr(user, "_rl_principal", None)
    if cached is None:
        cached = Principal(user)
        if getattr(user, "is_authenticated", False):
            user._rl_principal = cached
    return cached


def decide(user, action: Action | str, target) -> Decision:
    action = Action(action)
    scope = scope_of(target)
    who = principal_for(user)
    if action == Action.VIEW and scope.published:
        return Decision(True)
    if not who.is_authenticated:
        return Decision(False, _("Cần đăng nhập để thực hiện thao tác này."))
    if who.is_system_admin:
        return Decision(True)
    needed = ROLE_RANK[REQUIRED_ROLE[action]]
    if who.rank_in(scope.owner) >= needed:
        return Decision(True)
    # Jurisdiction grants reading, and creating records for a territory one governs.
    by_territory = action == Action.VIEW or (action == Action.CREATE and scope.owner is None)
    if by_territory and who.covering_rank(scope.province_ids) >= needed:
        return Decision(True)
    return Decision(False, _refusal(action, scope))


def _refusal(action: Action, scope: Scope) -> str:
    labels = {
        Action.VIEW: _("xem"),
        Action.CREATE: _("tạo mới"),
        Action.EDIT: _("chỉnh sửa"),
        Action.APPROVE: _("phê duyệt"),
        Action.ADMINISTER: _("quản trị"),
    }
    role = REQUIRED_ROLE[action].label
    owner = scope.owner.name if scope.owner else _("địa bàn này")
    return _(
        "Bạn không có quyền %(action)s “%(target)s”: cần vai trò “%(role)s” tại %(owner)s "
        "hoặc cơ quan cấp trên. Liên hệ quản trị cơ quan để được cấp quyền."
    ) % {"action": labels[action], "target": scope.label or owner, "role": role, "owner": owner}


def check(user, action: Action | str, target) -> None:
    """Raise PermissionDenied with the reason when ``user`` may not act on ``target``."""
    decision = decide(user, action, target)
    if not decision:
        raise PermissionDenied(decision.reason)


def can(user, action: Action | str, target) -> bool:
    return decide(user, action, target).allowed


def can_view_audit(user) -> bool:
    """System admins see the whole trail; organisation admins see their organisations' part."""
    who = principal_for(user)
    return who.is_system_admin or any(m.role == Role.ORG_ADMIN for m in who.memberships)


def check_view_audit(user) -> None:
    """Raise PermissionDenied, naming the role needed, when ``user`` may not read the trail."""
    if not can_view_audit(user):
        raise PermissionDenied(
            _(
                "Bạn không có quyền xem nhật ký hệ thống: cần vai trò “Quản trị cơ quan” "
                "hoặc quản trị hệ thống."
            )
        )


def organisations_at_or_below(org_ids: set[int], parents: dict | None = None) -> set[int]:
    """``org_ids`` and every organisation under them (a role applies down the hierarchy);
    ``parents`` ({pk: parent pk}) when the caller has already loaded them."""
    if parents is None:
        parents = dict(Organisation.objects.order_by().values_list("pk", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in parents.items():
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(org_ids), list(org_ids)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found

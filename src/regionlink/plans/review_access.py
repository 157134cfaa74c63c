"""Who may run the conformity review and decide its findings (re-exported by plans.permissions).

Running a review and deciding findings are judgements on other bodies' plans, so they follow
jurisdiction, not ownership: an editor of a national body (the planning department) reviews
every region, an editor of a regional council its own region; an approver of the organising
body of a plan involved (the body that would adjust its plan) or of a national body decides.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from regionlink.organisations.models import ROLE_RANK, JurisdictionScope, Role
from regionlink.organisations.permissions import principal_for


def _national_rank(who) -> int:
    return max(
        (
            ROLE_RANK[Role(m.role)]
            for m in who.memberships
            if m.organisation.scope == JurisdictionScope.NATIONAL
        ),
        default=0,
    )


def can_run_review(user, region=None) -> bool:
    """Editors of a national body review anything; of a regional council, their region."""
    from regionlink.geography.models import RegionMembership
    from regionlink.geography.queries import today

    who = principal_for(user)
    if not who.is_authenticated:
        return False
    needed = ROLE_RANK[Role.EDITOR]
    if who.is_system_admin or _national_rank(who) >= needed:
        return True
    if region is None:
        return False
    members = frozenset(
        RegionMembership.objects.valid_on(today())
        .filter(region=region)
        .values_list("unit_id", flat=True)
    )
    return bool(members) and who.covering_rank(members) >= needed


def check_run_review(user, region=None) -> None:
    if not can_run_review(user, region):
        raise PermissionDenied(
            _(
                "Bạn không có quyền chạy rà soát sự phù hợp của quy hoạch: cần vai trò "
                "“Biên tập” tại cơ quan có thẩm quyền toàn quốc hoặc hội đồng điều phối vùng."
            )
        )


def can_decide(user, finding) -> bool:
    """An approver of the organising body of a plan involved, or of a national body."""
    who = principal_for(user)
    if not who.is_authenticated:
        return False
    needed = ROLE_RANK[Role.APPROVER]
    if who.is_system_admin or _national_rank(who) >= needed:
        return True
    return any(who.rank_in(plan.organising_body) >= needed for plan in finding.plans.all())

"""Who may read which data sets: the one filter every read path (API, exports, maps,
aggregates, search, pages) applies, so restricted or embargoed data never leaks.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from regionlink.indicators.models import DataSet, Visibility
from regionlink.organisations.models import Organisation
from regionlink.organisations.permissions import principal_for


def _descendants(org_ids: set[int]) -> set[int]:
    """The organisations at or below ``org_ids`` (a role applies down the hierarchy)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Organisation.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(org_ids), list(org_ids)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def _ancestors(org_ids: set[int]) -> set[int]:
    parents = dict(Organisation.objects.values_list("pk", "parent_id"))
    found = set(org_ids)
    for pk in org_ids:
        node = parents.get(pk)
        while node is not None and node not in found:
            found.add(node)
            node = parents.get(node)
    return found


def readable_datasets(user, now=None) -> QuerySet[DataSet]:
    """Data sets whose published values ``user`` may read now."""
    now = now or timezone.now()
    who = principal_for(user)
    if who.is_system_admin:
        return DataSet.objects.all()
    released = Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)
    condition = Q(visibility=Visibility.PUBLIC) & released
    own_orgs = {m.organisation_id for m in who.memberships}
    if own_orgs:
        condition |= Q(owner_id__in=_descendants(own_orgs))
        condition |= Q(visibility=Visibility.NAMED, shared_with__in=_ancestors(own_orgs)) & released
    return DataSet.objects.filter(condition).distinct()


def can_read(user, dataset: DataSet) -> bool:
    return readable_datasets(user).filter(pk=dataset.pk).exists()

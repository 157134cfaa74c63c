"""Who may read which data sets: the one filter every read path (API, exports, maps,
aggregates, search, pages) applies, so restricted or embargoed data never leaks.
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from regionlink.indicators.models import DataSet, Visibility
from regionlink.organisations.models import Organisation
from regionlink.organisations.permissions import organisations_at_or_below, principal_for


def _org_parents(who=None) -> dict[int, int | None]:
    """Each organisation's parent, loaded once per request (cached on the principal)."""
    cached = getattr(who, "_rl_org_parents", None)
    if cached is None:
        cached = dict(Organisation.objects.order_by().values_list("pk", "parent_id"))
        if who is not None and who.is_authenticated:
            who._rl_org_parents = cached
    return cached


def _descendants(org_ids: set[int], who=None) -> set[int]:
    """The organisations at or below ``org_ids`` (a role applies down the hierarchy)."""
    return organisations_at_or_below(org_ids, _org_parents(who))


def _ancestors(org_ids: set[int], who=None) -> set[int]:
    parents = _org_parents(who)
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
        condition |= Q(owner_id__in=_descendants(own_orgs, who))
        named_for = _ancestors(own_orgs, who)
        condition |= Q(visibility=Visibility.NAMED, shared_with__in=named_for) & released
    return DataSet.objects.filter(condition).distinct()


def can_read(user, dataset: DataSet) -> bool:
    return readable_datasets(user).filter(pk=dataset.pk).exists()


# --- The owner's side: who prepares, reviews and manages a data set ---------------------------
# Rights over a data set's workflow follow the owner's hierarchy (organisations.permissions): a
# role held in an organisation applies to its data sets and to those of everything below it.


def _orgs_holding(user, action) -> set[int]:
    """The organisations where ``user`` directly holds the role ``action`` needs."""
    from regionlink.organisations.models import ROLE_RANK
    from regionlink.organisations.permissions import REQUIRED_ROLE, Action

    needed = ROLE_RANK[REQUIRED_ROLE[Action(action)]]
    return {m.organisation_id for m in principal_for(user).memberships if m.rank >= needed}


def datasets_where(user, action) -> QuerySet[DataSet]:
    """Data sets on which ``user`` may take ``action`` through the owner's hierarchy.

    The bulk form of ``permissions.decide(user, action, dataset)`` for everything but VIEW of
    public data: VIEW here means "is on the owner's side", which unpublished data needs.
    """
    who = principal_for(user)
    if who.is_system_admin:
        return DataSet.objects.all()
    orgs = _orgs_holding(user, action)
    if not orgs:
        return DataSet.objects.none()
    return DataSet.objects.filter(owner_id__in=_descendants(orgs, who))


def visible_batches(user):
    """Import batches ``user`` may see (status, progress, report): the owner's side of their
    data set (any role), the person who sent the batch, and system admins. Nobody else, so an
    unpublished batch never shows outside the owner's hierarchy."""
    from regionlink.indicators.models import ImportBatch
    from regionlink.organisations.permissions import Action

    who = principal_for(user)
    if who.is_system_admin:
        return ImportBatch.objects.all()
    if not who.is_authenticated:
        return ImportBatch.objects.none()
    owned = datasets_where(user, Action.VIEW).values("pk")
    return ImportBatch.objects.filter(Q(dataset__in=owned) | Q(submitted_by=user))


def may_see_staged(user, batch) -> bool:
    """Staged (unpublished) values are for those who prepare or review them: editors and
    approvers of the owner's hierarchy, the person who sent the batch, system admins."""
    from regionlink.organisations.permissions import Action, can

    who = principal_for(user)
    if not who.is_authenticated:
        return False
    if batch.submitted_by_id is not None and batch.submitted_by_id == user.pk:
        return True
    return can(user, Action.EDIT, batch.dataset)


def workflow_rights(user) -> tuple[set[int], set[int]]:
    """The ids of the data sets ``user`` may edit and of those they may approve, in one query:
    ``datasets_where(user, EDIT)`` and ``datasets_where(user, APPROVE)`` for a list page."""
    from regionlink.organisations.permissions import Action

    who = principal_for(user)
    owners = dict(datasets_where(user, Action.EDIT).values_list("pk", "owner_id"))
    if who.is_system_admin:
        return set(owners), set(owners)
    approving = _descendants(_orgs_holding(user, Action.APPROVE), who)
    return set(owners), {pk for pk, owner_id in owners.items() if owner_id in approving}


def organisation_reads(dataset: DataSet, organisation: Organisation) -> bool:
    """Whether members of ``organisation`` read ``dataset`` by the rules of readable_datasets
    (without the embargo): it is public, or theirs (owner or above), or named for them."""
    if dataset.visibility == Visibility.PUBLIC:
        return True
    if organisation.pk in _ancestors({dataset.owner_id}):
        return True
    if dataset.visibility == Visibility.NAMED:
        chain = _ancestors({organisation.pk})
        return dataset.shared_with.filter(pk__in=chain).exists()
    return False


# --- Review reads: what a batch would change ------------------------------------------------


def _with_current(staged_qs):
    """Staged values annotated with the published value, status and data set they would
    replace (``current_*``) and their own batch's data set."""
    from django.db.models import OuterRef, Subquery

    from regionlink.indicators.models import DataValue

    same_cell = DataValue.objects.filter(
        indicator_id=OuterRef("indicator_id"),
        unit_id=OuterRef("unit_id"),
        period=OuterRef("period"),
        disaggregation=OuterRef("disaggregation"),
    )
    return staged_qs.annotate(
        current_value=Subquery(same_cell.values("value")[:1]),
        current_status=Subquery(same_cell.values("status")[:1]),
        current_dataset=Subquery(same_cell.values("dataset_id")[:1]),
        batch_dataset=F("batch__dataset_id"),
    )


# As the import pipeline counts them: a value held by another data set is a change even when
# the number is the same, because publication moves it to this data set.
_NEW = Q(current_value__isnull=True)
_UNCHANGED = Q(
    current_value=F("value"), current_status=F("status"), current_dataset=F("batch_dataset")
)
# Spelled out rather than ~_UNCHANGED: NOT over a NULL comparison would drop the new values.
_CHANGES = (
    _NEW
    | ~Q(current_value=F("value"))
    | ~Q(current_status=F("status"))
    | ~Q(current_dataset=F("batch_dataset"))
)


def change_counts(batch_ids) -> dict[int, dict[str, int]]:
    """New, changed and unchanged values of each batch against the published values, in one
    query for all ``batch_ids`` (meaningful until a batch is published)."""
    from django.db.models import Count

    from regionlink.indicators.models import StagedValue

    ids = list(batch_ids)
    counts = {pk: {"new": 0, "changed": 0, "unchanged": 0, "total": 0} for pk in ids}
    if not ids:
        return counts
    rows = (
        _with_current(StagedValue.objects.filter(batch_id__in=ids))
        .values("batch_id")
        .annotate(
            total=Count("pk"),
            new=Count("pk", filter=_NEW),
            unchanged=Count("pk", filter=_UNCHANGED),
        )
        .order_by()
    )
    for row in rows:
        counts[row["batch_id"]] = {
            "new": row["new"],
            "unchanged": row["unchanged"],
            "changed": row["total"] - row["new"] - row["unchanged"],
            "total": row["total"],
        }
    return counts


def staged_values(batch, *, changes_only: bool = False):
    """A batch's staged values with the published value each would replace, in file order."""
    from regionlink.indicators.models import StagedValue

    qs = _with_current(StagedValue.objects.filter(batch=batch)).select_related("indicator", "unit")
    if changes_only:
        qs = qs.filter(_CHANGES)
    return qs


def change_kind(staged) -> str:
    """ "new", "changed" or "unchanged" for a value from ``staged_values``."""
    if staged.current_value is None:
        return "new"
    if (staged.current_value, staged.current_status, staged.current_dataset) == (
        staged.value,
        staged.status,
        staged.batch_dataset,
    ):
        return "unchanged"
    return "changed"


def first_changes(batch_ids, per_batch: int = 50) -> dict[int, tuple[list, bool]]:
    """The first ``per_batch`` new or changed values of each batch (file order) and whether
    more follow, for every batch in one query (a window over the batches)."""
    from django.db.models import Window
    from django.db.models.functions import RowNumber

    from regionlink.indicators.models import StagedValue

    ids = list(batch_ids)
    found: dict[int, list] = {pk: [] for pk in ids}
    if not ids:
        return {}
    rows = (
        _with_current(StagedValue.objects.filter(batch_id__in=ids))
        .filter(_CHANGES)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("batch_id")],
                order_by=[F("row_number").asc(), F("id").asc()],
            )
        )
        .filter(place__lte=per_batch + 1)
        .select_related("indicator", "unit")
        .order_by("batch_id", "row_number", "id")
    )
    for row in rows:
        found[row.batch_id].append(row)
    return {pk: (values[:per_batch], len(values) > per_batch) for pk, values in found.items()}

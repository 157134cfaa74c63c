"""The conformity review: compute findings from the registry, store them, keep decisions.

:func:`compute_findings` is pure: it reads the inputs in a fixed number of queries
(review_inputs.load) and applies the rules of review_rules_links.py (missing_link,
no_higher_plan, period_mismatch), review_rules_targets.py (target_conflict) and
review_rules_territory.py (territory_drift); output is sorted, so the same inputs give the
same findings, fingerprints and params. :func:`run_review` stores them: a finding is matched
to its earlier self by fingerprint, so an accepted or dismissed finding keeps its decision;
one no longer produced stays on record with ``is_current=False``.

A region's review keeps the findings that involve a plan of that region: its regional plan,
and the plans of provinces that belonged to it on the plan's dates or whose successors belong
to it now. National plans alone belong to the country's review only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from regionlink.audit import services as audit
from regionlink.plans import review_rules_links, review_rules_targets, review_rules_territory
from regionlink.plans.models import Finding, FindingStatus, ReviewRun, ReviewStatus
from regionlink.plans.review_access import can_run_review, check_run_review
from regionlink.plans.review_draft import FindingDraft
from regionlink.plans.review_inputs import Inputs, load

__all__ = ["FindingDraft", "can_run_review", "compute_findings", "run_review", "start_review"]

RULES = (review_rules_links.rules, review_rules_targets.rules, review_rules_territory.rules)


def _region_code(region) -> str | None:
    return getattr(region, "code", region) if region else None


def _resolve_region(region):
    from regionlink.geography.models import Region

    if region is None or isinstance(region, Region):
        return region
    return Region.objects.get(code__iexact=region)


def _finding_region(inputs: Inputs, draft: FindingDraft) -> int | None:
    """The region a finding is filed under: its regional plan's, else its lowest plan's."""
    plans = [inputs.plans[pk] for pk in draft.plan_ids]
    for plan in plans:
        if plan.region_id:
            return plan.region_id
    for plan in plans:
        if plan.province_id:
            regions = inputs.regions_of(plan.province_id, plan.ref_date)
            if regions:
                return regions[0]
    return None


def _scope(inputs: Inputs, region_id: int) -> set[int]:
    return {pk for pk, plan in inputs.plans.items() if region_id in inputs.plan_regions(plan)}


def _compute(inputs: Inputs, region_id: int | None) -> list[FindingDraft]:
    drafts: dict[str, FindingDraft] = {}
    for rule in RULES:
        for found in rule(inputs):
            drafts.setdefault(found.fingerprint, found)
    result = [replace(d, region_id=_finding_region(inputs, d)) for d in drafts.values()]
    if region_id is not None:
        scope = _scope(inputs, region_id)
        result = [d for d in result if scope.intersection(d.plan_ids)]
    return sorted(result, key=lambda d: d.sort_key)


def compute_findings(*, region=None, as_of: dt.date) -> list[FindingDraft]:
    """The findings of the review on ``as_of`` (for one region, or the whole country)."""
    region = _resolve_region(region)
    return _compute(load(as_of=as_of), region.pk if region else None)


def _progress(run: ReviewRun, percent: int, **fields) -> None:
    # Outside the storing transaction, so the run's page sees it while the job works.
    ReviewRun.objects.filter(pk=run.pk).update(progress=percent, **fields)


def _store(run: ReviewRun, drafts: list[FindingDraft], scope: set[int] | None) -> dict:
    existing = {
        f.fingerprint: f
        for f in Finding.objects.filter(fingerprint__in=[d.fingerprint for d in drafts])
    }
    created, updated = [], []
    for d in drafts:
        values = {
            "kind": d.kind,
            "severity": d.severity,
            "message_code": d.message_code,
            "params": d.params,
            "legal_basis": d.legal_basis,
            "region_id": d.region_id,
            "is_current": True,
            "last_run": run,
        }
        finding = existing.get(d.fingerprint)
        if finding is None:
            created.append(Finding(fingerprint=d.fingerprint, first_run=run, **values))
        else:
            for name, value in values.items():
                setattr(finding, name, value)
            updated.append(finding)
    Finding.objects.bulk_create(created)
    Finding.objects.bulk_update(
        updated,
        [
            "kind",
            "severity",
            "message_code",
            "params",
            "legal_basis",
            "region",
            "is_current",
            "last_run",
        ],
    )
    ids = {
        f.fingerprint: f.pk
        for f in Finding.objects.filter(fingerprint__in=[d.fingerprint for d in drafts]).only(
            "pk", "fingerprint"
        )
    }
    plans_through, targets_through = Finding.plans.through, Finding.targets.through
    plans_through.objects.filter(finding_id__in=ids.values()).delete()
    targets_through.objects.filter(finding_id__in=ids.values()).delete()
    plans_through.objects.bulk_create(
        plans_through(finding_id=ids[d.fingerprint], plan_id=pk)
        for d in drafts
        for pk in d.plan_ids
    )
    targets_through.objects.bulk_create(
        targets_through(finding_id=ids[d.fingerprint], plantarget_id=pk)
        for d in drafts
        for pk in d.target_ids
    )
    stale = Finding.objects.filter(is_current=True).exclude(pk__in=ids.values())
    if scope is not None:
        stale = stale.filter(plans__in=scope).distinct()
    retired = Finding.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).update(
        is_current=False
    )
    return {"created": len(created), "kept": len(updated), "retired": retired}


def run_review(*, region=None, as_of=None, actor=None, run=None) -> ReviewRun:
    """Run the review now and store its findings, keeping earlier decisions."""
    from regionlink.geography.queries import today

    region = _resolve_region(region if run is None else run.region)
    if actor is not None and not isinstance(actor, str):
        check_run_review(actor, region)
    if run is None:
        run = ReviewRun.objects.create(
            region=region,
            as_of=as_of or today(),
            requested_by=None if isinstance(actor, str) else actor,
        )
    _progress(run, 5, status=ReviewStatus.RUNNING)
    try:
        inputs = load(as_of=run.as_of)
        _progress(run, 40)
        drafts = _compute(inputs, region.pk if region else None)
        _progress(run, 70)
        with transaction.atomic():
            counts = _store(run, drafts, _scope(inputs, region.pk) if region else None)
            run.status = ReviewStatus.DONE
            run.progress = 100
            run.findings_count = len(drafts)
            run.input_digest = inputs.digest(_region_code(region))
            run.finished_at = timezone.now()
            run.message = ""
            run.save(
                update_fields=[
                    "status",
                    "progress",
                    "findings_count",
                    "input_digest",
                    "finished_at",
                    "message",
                ]
            )
            audit.record(
                actor=actor or "rà soát",
                action="plans.review_run",
                obj=run,
                after={
                    "region": _region_code(region),
                    "as_of": run.as_of,
                    "findings": len(drafts),
                    "input_digest": run.input_digest,
                    **counts,
                },
            )
    except Exception as exc:
        _progress(
            run,
            run.progress,
            status=ReviewStatus.FAILED,
            message=str(exc)[:2000],
            finished_at=timezone.now(),
        )
        raise
    return run


@transaction.atomic
def _queue(*, actor, region) -> ReviewRun:
    from regionlink.geography.queries import today

    run = ReviewRun.objects.create(region=region, as_of=today(), requested_by=actor)
    audit.record(
        actor=actor,
        action="plans.review_start",
        obj=run,
        after={"region": _region_code(region), "as_of": run.as_of},
    )
    return run


def start_review(*, actor, region=None) -> ReviewRun:
    """Queue the review as a background task and return its run at once."""
    from regionlink.plans import tasks

    region = _resolve_region(region)
    check_run_review(actor, region)
    run = _queue(actor=actor, region=region)
    result = tasks.review_task.enqueue(run_id=run.pk, actor_id=actor.pk)
    ReviewRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    run.refresh_from_db()
    return run


def open_findings(region=None):
    """Current findings still awaiting a decision."""
    qs = Finding.objects.filter(is_current=True, status=FindingStatus.OPEN)
    return qs.filter(region=region) if region else qs

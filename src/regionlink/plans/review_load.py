"""Loading :class:`review_inputs.Inputs` from the database in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser

from regionlink.plans.review_inputs import IndicatorRow, Inputs, PlanRow, TargetRow, UnitRow


def _ref_date(start_year: int, approved_on, territory: UnitRow | None) -> dt.date:
    on = approved_on or dt.date(start_year, 1, 1)
    if territory is not None:
        if territory.valid_from and on < territory.valid_from:
            on = territory.valid_from
        if territory.valid_to and on > territory.valid_to:
            on = territory.valid_to
    return on


def load_inputs(*, as_of: dt.date, with_targets: bool = True) -> Inputs:
    """Read plans, links, targets, catalogue, territory and fallback weights (≈10 queries)."""
    from regionlink.geography.models import (
        AdministrativeUnit,
        Level,
        Region,
        RegionMembership,
        Succession,
    )
    from regionlink.indicators.models import DataValue, Indicator
    from regionlink.indicators.sharing import readable_datasets
    from regionlink.plans.models import ConformityLink, Plan, PlanTarget, PlanVersion

    regions = {
        r["id"]: UnitRow(r["id"], r["code"], r["name"], r["valid_from"], r["valid_to"])
        for r in Region.objects.values("id", "code", "name", "valid_from", "valid_to")
    }
    provinces = {
        u["id"]: UnitRow(u["id"], u["code"], u["name"], u["valid_from"], u["valid_to"])
        for u in AdministrativeUnit.objects.filter(level=Level.PROVINCE).values(
            "id", "code", "name", "valid_from", "valid_to"
        )
    }
    memberships = list(
        RegionMembership.objects.values_list("region_id", "unit_id", "valid_from", "valid_to")
    )
    successions: dict[int, list[tuple[int, dt.date]]] = {}
    for old, new, effective in Succession.objects.filter(
        predecessor__level=Level.PROVINCE
    ).values_list("predecessor_id", "successor_id", "effective_date"):
        successions.setdefault(old, []).append((new, effective))
    approved: dict[int, tuple[int, dt.date]] = {}
    versions: dict[int, int] = {}
    newest: dict[int, int] = {}
    for plan_id, pk, number, decided in PlanVersion.objects.values_list(
        "plan_id", "id", "number", "decision_date"
    ):
        versions[pk] = number
        newest[plan_id] = max(number, newest.get(plan_id, 0))
        if (
            decided
            and decided <= as_of
            and (plan_id not in approved or number > approved[plan_id][0])
        ):
            approved[plan_id] = (number, decided)
    # The targets in force: those of the latest version approved by the review date; a plan
    # never approved is read from its newest draft. An adjustment in preparation is not yet law.
    in_force = {
        plan_id: approved.get(plan_id, (number, None))[0] for plan_id, number in newest.items()
    }
    plans = {}
    for p in Plan.objects.values(
        "id",
        "code",
        "name",
        "level",
        "region_id",
        "province_id",
        "period_start",
        "period_end",
        "stage",
        "organising_body_id",
    ):
        approved_on = approved.get(p["id"], (0, None))[1]
        territory = provinces.get(p["province_id"]) or regions.get(p["region_id"])
        plans[p["id"]] = PlanRow(
            **p,
            approved_on=approved_on,
            ref_date=_ref_date(p["period_start"], approved_on, territory),
        )
    links = set(ConformityLink.objects.values_list("lower_id", "higher_id"))
    inputs = Inputs(
        as_of=as_of,
        plans=plans,
        links=links,
        targets={},
        indicators={},
        regions=regions,
        provinces=provinces,
        memberships=memberships,
        successions=successions,
    )
    if not with_targets:
        return inputs
    for i in Indicator.objects.values(
        "code",
        "name",
        "unit_of_measure",
        "spatial_rule",
        "weight__code",
        "denominator__code",
        "denominator_disaggregation",
        "min_value",
        "decimals",
    ):
        inputs.indicators[i["code"]] = IndicatorRow(
            code=i["code"],
            name=i["name"],
            unit=i["unit_of_measure"],
            spatial_rule=i["spatial_rule"],
            weight=i["weight__code"],
            denominator=i["denominator__code"],
            denominator_disaggregation=i["denominator_disaggregation"],
            min_value=None if i["min_value"] is None else float(i["min_value"]),
            decimals=i["decimals"],
        )
    for t in PlanTarget.objects.values(
        "id",
        "plan_id",
        "indicator__code",
        "region_id",
        "province_id",
        "target_year",
        "base_year",
        "comparator",
        "value",
        "value_max",
        "version_id",
    ).order_by("id"):
        if versions.get(t["version_id"], 0) > in_force.get(t["plan_id"], 0):
            continue
        inputs.targets.setdefault(t["plan_id"], []).append(
            TargetRow(
                id=t["id"],
                plan_id=t["plan_id"],
                indicator=t["indicator__code"],
                region_id=t["region_id"],
                province_id=t["province_id"],
                target_year=t["target_year"],
                base_year=t["base_year"],
                comparator=t["comparator"],
                value=float(t["value"]),
                value_max=None if t["value_max"] is None else float(t["value_max"]),
                version=versions.get(t["version_id"], 0),
            )
        )
    # Weights of ratios and weighted means fall back on published data-hub totals.
    weights = sorted(
        {i.weight for i in inputs.indicators.values() if i.weight}
        | {
            i.denominator
            for i in inputs.indicators.values()
            if i.spatial_rule == "ratio" and i.denominator and not i.denominator_disaggregation
        }
    )
    for code, unit_id, period, value in (
        # Only what the public may read: findings are shown to readers of the plans, who may
        # not read a restricted or embargoed data set.
        DataValue.objects.filter(
            indicator__code__in=weights,
            disaggregation="",
            unit__level=Level.PROVINCE,
            dataset__in=readable_datasets(AnonymousUser()),
        )
        .exclude(period__contains="-")
        .values_list("indicator__code", "unit_id", "period", "value")
        .order_by("indicator__code", "unit_id", "period")
    ):
        if period.isdigit():
            inputs.hub.setdefault((code, unit_id), []).append((int(period), float(value)))
    return inputs

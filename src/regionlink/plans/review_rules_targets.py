"""Review rule ``target_conflict``: lower-level targets that contradict a higher plan's.

Lower plans conform to higher ones (2017 Law Art. 6; 2025 Law Art. 5), so for one indicator
and one year the provinces' targets, combined by the indicator's spatial rule from the
catalogue, must fit the region's target, and the regions' (and provinces') the national one.
The lower territories are those of the higher plan on its own dates (a regional plan approved
in 2024 is checked against its 2024 provinces). For each territory the plan covering the year
is used, a plan linked to the higher one first.

- sum (INDUSTRIAL_PARK_AREA, POP_AVG…): the sum of the stated values must fit the higher
  range. With every territory present both directions are checked; with some missing, only a
  sum already above the higher ceiling is a conflict (the missing ones can only add, for
  indicators that cannot be negative).
- ratio / weighted_mean (URBANISATION_RATE, POVERTY_RATE…): the mean of the lower values
  weighted by the weight (or the ratio's denominator, e.g. POP_AVG) must fit. Weights are the
  lower plans' own targets for that year, else the latest published data-hub value (named in
  the params). Every territory needs a target and a weight, otherwise nothing is said.
- none (GRDP_GROWTH…): not combinable, so each lower plan is compared with the higher one:
  the ranges must intersect. Growth rates are average annual rates over base → target year;
  when a lower plan splits the higher plan's span into sub-periods (2021–2025, 2026–2030),
  the sub-period rates are compounded into one average first.
- derived indicators are not checked.

Lower values are read as the commitment they state (≥ 45 commits 45); higher targets as the
range they accept (≥ 55 accepts 55 and more). Half a unit of the indicator's last shown decimal
is tolerated for rounding. Insufficient inputs give no finding, never a guess.
"""

from __future__ import annotations

import math

from regionlink.plans import review_rules_growth as rates
from regionlink.plans.law import PlanLevel, Rule
from regionlink.plans.models import Comparator, FindingKind, Severity
from regionlink.plans.review_draft import FindingDraft, basis, draft
from regionlink.plans.review_inputs import Inputs, PlanRow, TargetRow

INF = math.inf


def accepted(t: TargetRow) -> tuple[float, float]:
    """The range a target states or accepts."""
    if t.comparator == Comparator.GE:
        return (t.value, INF)
    if t.comparator == Comparator.LE:
        return (-INF, t.value)
    if t.comparator == Comparator.RANGE and t.value_max is not None:
        return (t.value, t.value_max)
    return (t.value, t.value)


def committed(t: TargetRow) -> tuple[float, float]:
    """The value a lower target commits to: its figure, or its range."""
    if t.comparator == Comparator.RANGE and t.value_max is not None:
        return (t.value, t.value_max)
    return (t.value, t.value)


def disjoint(a, b, tol: float) -> bool:
    return a[1] < b[0] - tol or a[0] > b[1] + tol


def _num(x: float):
    return None if math.isinf(x) else round(x, 6)


def _pair(interval) -> list:
    return [_num(interval[0]), _num(interval[1])]


class TargetRules:
    def __init__(self, inputs: Inputs):
        self.inputs = inputs
        self.legal = basis(Rule.CONFORMITY, on=inputs.as_of)
        self.own = {pk: inputs.own_targets(pk) for pk in inputs.plans}
        self.by_territory: dict[tuple[str, int], list[PlanRow]] = {}
        for plan in inputs.plans.values():
            territory = plan.province_id if plan.level == PlanLevel.PROVINCIAL else plan.region_id
            if plan.level in (PlanLevel.PROVINCIAL, PlanLevel.REGIONAL) and territory:
                self.by_territory.setdefault((plan.level, territory), []).append(plan)

    # --- selection -----------------------------------------------------------------------
    def plan_for(self, level: str, territory: int, higher: PlanRow, year: int):
        options = [
            p
            for p in self.by_territory.get((level, territory), ())
            if p.period_start <= year <= p.period_end
        ]
        options.sort(
            key=lambda p: ((p.id, higher.id) not in self.inputs.links, -p.period_start, p.code)
        )
        return options[0] if options else None

    def lower_sets(self, higher: PlanRow, year: int):
        """(level, [(territory id, lower plan or None)]) sets to check ``higher`` against."""
        inputs, on = self.inputs, higher.ref_date
        if higher.level == PlanLevel.REGIONAL and higher.region_id:
            units = inputs.members(higher.region_id, on)
            return [
                (
                    PlanLevel.PROVINCIAL,
                    [(u, self.plan_for(PlanLevel.PROVINCIAL, u, higher, year)) for u in units],
                )
            ]
        if higher.level == PlanLevel.NATIONAL_MASTER:
            return [
                (
                    PlanLevel.REGIONAL,
                    [
                        (r, self.plan_for(PlanLevel.REGIONAL, r, higher, year))
                        for r in inputs.regions_on(on)
                    ],
                ),
                (
                    PlanLevel.PROVINCIAL,
                    [
                        (u, self.plan_for(PlanLevel.PROVINCIAL, u, higher, year))
                        for u in inputs.provinces_on(on)
                    ],
                ),
            ]
        return []

    def target_of(self, plan, indicator: str, year: int):
        if plan is None:
            return None
        found = [t for t in self.own[plan.id] if t.indicator == indicator and t.target_year == year]
        found.sort(key=lambda t: (t.base_year is not None, t.id))
        return found[0] if found else None

    def unit_code(self, level: str, pk: int) -> str:
        rows = self.inputs.provinces if level == PlanLevel.PROVINCIAL else self.inputs.regions
        return rows[pk].code

    # --- the three checks ------------------------------------------------------------------
    def run(self) -> list[FindingDraft]:
        found = []
        levels = (PlanLevel.REGIONAL, PlanLevel.NATIONAL_MASTER)
        for higher in sorted(self.inputs.plans.values(), key=lambda p: p.code):
            if higher.level not in levels:
                continue
            for h in self.own[higher.id]:
                indicator = self.inputs.indicators.get(h.indicator)
                if indicator is None:
                    continue
                for level, entries in self.lower_sets(higher, h.target_year):
                    rule = indicator.spatial_rule
                    if rule == "sum":
                        found += self.check_sum(higher, h, indicator, level, entries)
                    elif rule in ("ratio", "weighted_mean"):
                        found += self.check_weighted(higher, h, indicator, level, entries)
                    elif rule == "none" and not (
                        higher.level == PlanLevel.NATIONAL_MASTER and level == PlanLevel.PROVINCIAL
                    ):
                        # Provinces answer to their region's growth, not to the country's.
                        found += self.check_pairwise(higher, h, indicator, entries)
        return found

    def _tolerance(self, indicator, terms: int = 1) -> float:
        return 0.5 * 10 ** (-indicator.decimals) * max(terms, 1) + 1e-9

    def _params(self, higher, h, indicator, method, implied, members, **extra) -> dict:
        return {
            "higher": higher.code,
            "higher_name": higher.name,
            "indicator": indicator.code,
            "indicator_name": indicator.name,
            "unit": indicator.unit,
            "decimals": indicator.decimals,
            "year": h.target_year,
            "base_year": h.base_year,
            "comparator": h.comparator,
            "required": [h.value, h.value_max],
            "implied": _pair(implied),
            "method": method,
            "members": members,
            **extra,
        }

    def _finding(self, code, params, plans, targets, indicator, year) -> FindingDraft:
        return draft(
            kind=FindingKind.TARGET_CONFLICT,
            severity=Severity.HIGH,
            message_code=code,
            params=params,
            legal_basis=self.legal,
            plans=plans,
            targets=targets,
            indicator=indicator,
            year=year,
        )

    def check_sum(self, higher, h, indicator, level, entries) -> list[FindingDraft]:
        present, missing = [], []
        for unit, plan in entries:
            t = self.target_of(plan, h.indicator, h.target_year)
            (present if t else missing).append((unit, plan, t))
        if not present:
            return []
        lo = sum(committed(t)[0] for _u, _p, t in present)
        hi = sum(committed(t)[1] for _u, _p, t in present)
        acc, tol = accepted(h), self._tolerance(indicator, len(present))
        if missing:
            non_negative = indicator.min_value is not None and indicator.min_value >= 0
            if not (non_negative and lo > acc[1] + tol):
                return []
        elif not disjoint((lo, hi), acc, tol):
            return []
        members = [
            {"unit": self.unit_code(level, u), "plan": p.code, "value": _pair(committed(t))}
            for u, p, t in present
        ]
        params = self._params(
            higher,
            h,
            indicator,
            "sum",
            (lo, hi),
            members,
            missing=[self.unit_code(level, u) for u, _p, _t in missing],
        )
        code = "sum_above" if lo > acc[1] + tol else "sum_below"
        return [
            self._finding(
                code,
                params,
                [higher] + [p for _u, p, _t in present],
                [h.id] + [t.id for _u, _p, t in present],
                h.indicator,
                h.target_year,
            )
        ]

    def _weight(self, code, level, unit, plan, year, on):
        """(weight, source year or None when from the plan's own target)."""
        own = self.target_of(plan, code, year)
        if own is not None:
            lo, hi = committed(own)
            return (lo + hi) / 2, None, own.id
        units = self.inputs.members(unit, on) if level == PlanLevel.REGIONAL else [unit]
        values = [self.inputs.hub_latest(code, u, year) for u in units]
        if not units or any(v is None for v in values):
            return None, None, None
        return sum(v[1] for v in values), min(v[0] for v in values), None

    def check_weighted(self, higher, h, indicator, level, entries) -> list[FindingDraft]:
        if indicator.spatial_rule == "weighted_mean":
            weight_code = indicator.weight
        else:
            weight_code = None if indicator.denominator_disaggregation else indicator.denominator
        if not weight_code or not entries:
            return []
        rows, hub_years, weight_targets = [], [], []
        for unit, plan in entries:
            t = self.target_of(plan, h.indicator, h.target_year)
            if t is None:
                return []
            weight, hub_year, weight_target = self._weight(
                weight_code, level, unit, plan, h.target_year, higher.ref_date
            )
            if weight is None or weight <= 0:
                return []
            if hub_year is not None:
                hub_years.append({"unit": self.unit_code(level, unit), "year": hub_year})
            if weight_target:
                weight_targets.append(weight_target)
            rows.append((unit, plan, t, weight))
        total = sum(w for *_rest, w in rows)
        lo = sum(committed(t)[0] * w for _u, _p, t, w in rows) / total
        hi = sum(committed(t)[1] * w for _u, _p, t, w in rows) / total
        acc = accepted(h)
        if not disjoint((lo, hi), acc, self._tolerance(indicator)):
            return []
        members = [
            {
                "unit": self.unit_code(level, u),
                "plan": p.code,
                "value": _pair(committed(t)),
                "weight": round(w, 6),
            }
            for u, p, t, w in rows
        ]
        params = self._params(
            higher,
            h,
            indicator,
            "weighted",
            (lo, hi),
            members,
            weight=weight_code,
            weights_from_data_hub=hub_years,
        )
        code = "weighted_below" if hi < acc[0] else "weighted_above"
        return [
            self._finding(
                code,
                params,
                [higher] + [p for _u, p, _t, _w in rows],
                [h.id] + [t.id for _u, _p, t, _w in rows] + weight_targets,
                h.indicator,
                h.target_year,
            )
        ]

    def check_pairwise(self, higher, h, indicator, entries) -> list[FindingDraft]:
        found = []
        for _unit, plan in entries:
            if plan is None:
                continue
            chain = rates.chain(self.own[plan.id], h)
            if not chain:
                continue
            # A lower target is read as the figure it commits to (≥ 6 commits 6), as above.
            stated = committed(chain[0]) if len(chain) == 1 else rates.compounded(chain)
            if not disjoint(stated, accepted(h), self._tolerance(indicator)):
                continue
            growth = h.base_year is not None or chain[0].base_year is not None
            code = (
                "growth_compounded"
                if len(chain) > 1
                else "growth_range"
                if growth
                else "value_contradiction"
            )
            params = self._params(
                higher,
                h,
                indicator,
                "compounded" if len(chain) > 1 else "pairwise",
                stated,
                [
                    {
                        "plan": plan.code,
                        "value": _pair(committed(t)),
                        "base_year": t.base_year,
                        "year": t.target_year,
                    }
                    for t in chain
                ],
                lower=plan.code,
                lower_name=plan.name,
            )
            found.append(
                self._finding(
                    code,
                    params,
                    [higher, plan],
                    [h.id] + [t.id for t in chain],
                    h.indicator,
                    h.target_year,
                )
            )
        return found


def rules(inputs: Inputs) -> list[FindingDraft]:
    return TargetRules(inputs).run()

"""Review rule ``territory_drift``: plans of territories the 2025 reorganisation ended.

A provincial plan of a province that ceased on 01/07/2025 (Resolution 202/2025/QH15) names
its successor and lists its targets: additive ones re-aggregate into the successor, ratios
must be recomputed from their components. A regional plan of a region that ended (Bắc Trung
Bộ và duyên hải miền Trung, Tây Nguyên; Resolution 306/NQ-CP) is reported the same way, naming
the regions its provinces now belong to. One finding per plan; its plans are that plan alone.
A conflict found after approval is resolved by adjusting the lower plan, hence the
conformity citation next to the reorganisation.
"""

from __future__ import annotations

from regionlink.plans.law import Rule
from regionlink.plans.models import FindingKind, Severity
from regionlink.plans.review_draft import FindingDraft, basis, draft
from regionlink.plans.review_inputs import Inputs


def _units(rows: dict, ids) -> list[dict]:
    return [{"code": rows[pk].code, "name": rows[pk].name} for pk in ids]


def territory_drift(inputs: Inputs) -> list[FindingDraft]:
    found = []
    legal = basis(Rule.REORGANISATION, Rule.CONFORMITY, on=inputs.as_of)
    for plan in sorted(inputs.plans.values(), key=lambda p: p.code):
        if not inputs.ceased(plan):
            continue
        targets = inputs.own_targets(plan.id)
        params = {
            "plan": plan.code,
            "plan_name": plan.name,
            "targets": [
                {"id": t.id, "indicator": t.indicator, "year": t.target_year} for t in targets
            ],
        }
        if plan.province_id is not None:
            unit = inputs.provinces[plan.province_id]
            successors = inputs.successors_on(plan.province_id, inputs.as_of)
            params.update(
                unit=unit.code,
                unit_name=unit.name,
                ended=unit.valid_to.isoformat(),
                successors=_units(inputs.provinces, successors),
            )
            code = "territory_drift_province"
        else:
            region = inputs.regions[plan.region_id]
            members = inputs.members(plan.region_id, region.valid_to)
            now = set()
            for member in members:
                for successor in inputs.successors_on(member, inputs.as_of) or [member]:
                    now.update(inputs.regions_of(successor, inputs.as_of))
            params.update(
                unit=region.code,
                unit_name=region.name,
                ended=region.valid_to.isoformat(),
                successors=_units(
                    inputs.regions, sorted(now, key=lambda pk: inputs.regions[pk].code)
                ),
            )
            code = "territory_drift_region"
        found.append(
            draft(
                kind=FindingKind.TERRITORY_DRIFT,
                severity=Severity.MEDIUM,
                message_code=code,
                params=params,
                legal_basis=legal,
                plans=[plan],
                targets=[t.id for t in targets],
            )
        )
    return found


def rules(inputs: Inputs) -> list[FindingDraft]:
    return territory_drift(inputs)

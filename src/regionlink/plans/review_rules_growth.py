"""Growth targets for review_rules_targets: average annual rates over base → target year.

A lower plan may split the higher plan's span into sub-periods (2021–2025 at 7 %, 2026–2030
at 12 %); compounding them gives the average over the whole span (≈ 9,47 %), which is what the
higher plan's range is about.
"""

from __future__ import annotations

import math

from regionlink.plans.review_inputs import TargetRow


def chain(own: list[TargetRow], h: TargetRow) -> list[TargetRow]:
    """The lower targets covering the higher target's span: one, or consecutive ones."""
    same = [t for t in own if t.indicator == h.indicator]
    exact = [
        t for t in same if t.target_year == h.target_year and t.base_year in (h.base_year, None)
    ]
    if exact:
        return [sorted(exact, key=lambda t: (t.base_year != h.base_year, t.id))[0]]
    if h.base_year is None:
        return []
    steps = sorted(
        (t for t in same if t.base_year is not None),
        key=lambda t: (t.base_year, t.target_year, t.id),
    )

    def walk(year, path):
        if year == h.target_year:
            return path
        for t in steps:
            if t.base_year == year and t.target_year <= h.target_year:
                done = walk(t.target_year, [*path, t])
                if done:
                    return done
        return None

    return walk(h.base_year, []) or []


def compounded(chain: list[TargetRow]) -> tuple[float, float]:
    """Average annual rate (%) of consecutive sub-period average rates."""
    from regionlink.plans.review_rules_targets import committed

    years = sum(t.target_year - t.base_year for t in chain)
    bounds = []
    for side in (0, 1):
        factor = 1.0
        for t in chain:
            rate = committed(t)[side]
            if math.isinf(rate):
                factor = rate
                break
            factor *= (1 + max(rate, -99.999) / 100) ** (t.target_year - t.base_year)
        bounds.append(factor if math.isinf(factor) else (factor ** (1 / years) - 1) * 100)
    return (bounds[0], bounds[1])

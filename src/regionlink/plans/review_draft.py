"""A finding before it is stored, and its fingerprint.

The fingerprint is what keeps a person's decision from one run to the next: sha256 of the
kind, the message code, the sorted plan codes and the indicator and year (not target ids, so
a target re-entered with a corrected value keeps its finding and decision).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from regionlink.plans import law


@dataclass(frozen=True)
class FindingDraft:
    kind: str
    severity: str
    message_code: str
    params: dict
    legal_basis: str
    plan_ids: tuple[int, ...]
    plan_codes: tuple[str, ...]
    target_ids: tuple[int, ...] = ()
    indicator: str | None = None
    year: int | None = None
    region_id: int | None = None
    fingerprint: str = field(default="")

    @property
    def sort_key(self) -> tuple:
        return (self.kind, self.plan_codes, self.indicator or "", self.year or 0, self.message_code)

    def as_dict(self) -> dict:
        return {
            "fingerprint": self.fingerprint,
            "kind": self.kind,
            "severity": self.severity,
            "message_code": self.message_code,
            "legal_basis": self.legal_basis,
            "plans": list(self.plan_codes),
            "indicator": self.indicator,
            "year": self.year,
            "targets": list(self.target_ids),
            "params": self.params,
        }


def fingerprint(kind, message_code, plan_codes, indicator=None, year=None, base_year=None) -> str:
    parts = [kind, message_code, ",".join(sorted(plan_codes)), indicator or "", str(year or "")]
    if base_year:  # two growth targets for one year over different periods are two findings
        parts.append(str(base_year))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def basis(*rules, on: dt.date) -> str:
    """The citations of ``rules`` under the law in force on ``on``, without repeats."""
    citations = list(dict.fromkeys(law.cite(rule, on=on) for rule in rules))
    # "Luật X" alone adds nothing beside "Điều n Luật X".
    cited = {c.instrument for c in citations if c.article}
    kept = [c for c in citations if c.article or c.instrument not in cited]
    return "; ".join(str(c) for c in kept)[:300]


def draft(
    *,
    kind,
    severity,
    message_code,
    params,
    legal_basis,
    plans,
    targets=(),
    indicator=None,
    year=None,
    region_id=None,
) -> FindingDraft:
    """A draft with its plans ordered by code and its fingerprint filled in."""
    plans = sorted({p.id: p for p in plans}.values(), key=lambda p: p.code)
    codes = tuple(p.code for p in plans)
    return FindingDraft(
        kind=kind,
        severity=severity,
        message_code=message_code,
        params=params,
        legal_basis=legal_basis,
        plan_ids=tuple(p.id for p in plans),
        plan_codes=codes,
        target_ids=tuple(sorted(set(targets))),
        indicator=indicator,
        year=year,
        region_id=region_id,
        fingerprint=fingerprint(
            kind, message_code, codes, indicator, year, (params or {}).get("base_year")
        ),
    )

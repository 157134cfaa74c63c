"""Demo plans of `regionlink setup --demo`: the national master plan, the six regional plans
2021–2030 and illustrative provincial plans whose targets hold deliberate conflicts.

Every plan loaded here is flagged ``is_demo`` ("minh họa"); official facts not confirmed by
the domain brief are listed in each plan's ``unconfirmed``; provincial plans and their targets
are illustrative and say "(minh họa)" in their names and wording. Data: data/demo_plans.csv,
data/demo_targets.csv. A second run changes nothing.

What the conformity review must find on these data is :data:`PLANTED`, and nothing else:

- target_conflict URBANISATION_RATE (weighted): the Red River Delta plan says ≥ 55 % in 2030;
  its eleven provinces' 2030 targets weighted by their 2030 POP_AVG targets give ≈ 47,9 %.
- target_conflict INDUSTRIAL_PARK_AREA (allocation): the eleven provinces' 2030 ceilings sum
  to 53.000 ha, above the region's 45.000 ha.
- target_conflict GRDP_GROWTH (growth): Hà Giang's 10–11 %/yr 2020→2030 lies outside the
  Northern Midlands and Mountains' 8–9 %/yr over the same years. Tuyên Quang (8–9) and Bình
  Thuận (7–7,5, the North Central and Central Coast range) are consistent. Growth targets are
  compared over the same base→target years only: the national ≥ 10 %/yr 2025→2030 has no
  regional target over those years.
- missing_link: Thanh Hóa's plan has no link to the North Central and Central Coast plan; the
  Cao Bằng 2031–2040 outline is linked to plans of 2021–2030, whose periods do not cover it
  (conformity.covers), one finding per link.
- territory_drift: every plan whose province or region ended before the review date
  (review_inputs.Inputs.ceased): the nine Red River Delta provinces merged on 01/07/2025, Hà
  Giang, Tuyên Quang (old), Bình Thuận, Lâm Đồng (old), Đắk Nông, and the regional plans of the
  two regions that ended on 30/06/2025 (BTB-DHMT, TN). Regions that continued with other
  members (TDMNPB, DBSH, DNB, DBSCL) and unchanged provinces (Hà Nội, Quảng Ninh, Thanh Hóa,
  Cao Bằng) do not drift; the new Tuyên Quang's outline is on today's territory.

Plans of provinces that ended belong to the People's Committee of the province they became.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from regionlink.core.text import nfc
from regionlink.geography.models import AdministrativeUnit, Level, Region, valid_on_q
from regionlink.organisations.models import Organisation
from regionlink.plans import conformity, lifecycle, registration, services, targets
from regionlink.plans.models import Plan, PlanTarget, Stage, VersionKind

DATA = Path(__file__).resolve().parent / "data"
ACTOR = "regionlink setup --demo"
NATIONAL = "qh-tong-the-quoc-gia"
# The 2025 adjustment of the national master plan (domain brief §2).
ADJUSTMENT = {
    "number": 2,
    "reasons": (
        "Điều chỉnh Quy hoạch tổng thể quốc gia năm 2025: Chính phủ đề xuất tại Nghị quyết "
        "306/NQ-CP ngày 05/10/2025; Quốc hội thông qua điều chỉnh ngày 10/12/2025 (số nghị "
        "quyết chưa xác minh)."
    ),
    "decision_date": dt.date(2025, 12, 10),
}


@dataclass(frozen=True)
class Planted:
    kind: str  # a FindingKind value
    # The plans the finding is about, as the review lists them; compare them as a set.
    plan_codes: tuple[str, ...]
    indicator_code: str | None = None


_DBSH_PROVINCES = (  # by province code, as the review lists them
    "qh-thu-do-ha-noi-2021-2030",
    "qh-tinh-quang-ninh-2021-2030",
    "qh-tinh-vinh-phuc-2021-2030",
    "qh-tinh-bac-ninh-2021-2030",
    "qh-tinh-hai-duong-2021-2030",
    "qh-tp-hai-phong-2021-2030",
    "qh-tinh-hung-yen-2021-2030",
    "qh-tinh-thai-binh-2021-2030",
    "qh-tinh-ha-nam-2021-2030",
    "qh-tinh-nam-dinh-2021-2030",
    "qh-tinh-ninh-binh-2021-2030",
)
_DRIFTED = (
    "qh-tinh-vinh-phuc-2021-2030",
    "qh-tinh-bac-ninh-2021-2030",
    "qh-tinh-hai-duong-2021-2030",
    "qh-tp-hai-phong-2021-2030",
    "qh-tinh-hung-yen-2021-2030",
    "qh-tinh-thai-binh-2021-2030",
    "qh-tinh-ha-nam-2021-2030",
    "qh-tinh-nam-dinh-2021-2030",
    "qh-tinh-ninh-binh-2021-2030",
    "qh-tinh-ha-giang-2021-2030",
    "qh-tinh-tuyen-quang-2021-2030",
    "qh-tinh-binh-thuan-2021-2030",
    "qh-tinh-lam-dong-2021-2030",
    "qh-tinh-dak-nong-2021-2030",
    "qh-vung-btb-dhmt-2021-2030",
    "qh-vung-tn-2021-2030",
)

PLANTED: list[Planted] = [
    Planted(
        "target_conflict",
        ("qh-vung-dbsh-2021-2030", *_DBSH_PROVINCES),
        "URBANISATION_RATE",
    ),
    Planted(
        "target_conflict",
        ("qh-vung-dbsh-2021-2030", *_DBSH_PROVINCES),
        "INDUSTRIAL_PARK_AREA",
    ),
    Planted(
        "target_conflict",
        ("qh-vung-tdmnpb-2021-2030", "qh-tinh-ha-giang-2021-2030"),
        "GRDP_GROWTH",
    ),
    Planted("missing_link", ("qh-tinh-thanh-hoa-2021-2030", "qh-vung-btb-dhmt-2021-2030")),
    Planted("missing_link", ("qh-tinh-cao-bang-2031-2040", NATIONAL)),
    Planted("missing_link", ("qh-tinh-cao-bang-2031-2040", "qh-vung-tdmnpb-2021-2030")),
    *(Planted("territory_drift", (code,)) for code in _DRIFTED),
]


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return [{k: nfc(v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _province(code: str, on: str) -> AdministrativeUnit | None:
    if not code:
        return None
    unit = AdministrativeUnit.objects.filter(
        valid_on_q(dt.date.fromisoformat(on)), code=code, level=Level.PROVINCE
    ).first()
    if unit is None:
        raise RuntimeError(f"Chưa nạp địa giới: không có tỉnh mã {code} ngày {on}.")
    return unit


def _organisation(code: str) -> Organisation:
    found = Organisation.objects.filter(code=code).first()
    if found is None:
        raise RuntimeError(f"Chưa có cơ quan {code}; chạy `regionlink setup` trước.")
    return found


def _plan_fields(row: dict) -> dict:
    return {
        "name": row["name"],
        "name_en": row["name_en"],
        "level": row["level"],
        "region": Region.objects.get(code=row["region"]) if row["region"] else None,
        "province": _province(row["province"], row["province_on"]),
        "period_start": int(row["period_start"]),
        "period_end": int(row["period_end"]),
        "vision_year": int(row["vision_year"]) if row["vision_year"] else None,
        "organising_body": _organisation(row["organising_body"]),
        "formulating_body": _formulating_body(row["organising_body"]),
        "approving_authority": row["approving_authority"],
        "legal_basis": row["legal_basis"],
        "is_demo": True,
        "unconfirmed": row["unconfirmed"],
    }


def _formulating_body(organising_code: str):
    """The provincial Department of Finance formulates the provincial plan (the demo has two:
    Hà Nội and Lâm Đồng), so its editors manage the plan with the People's Committee."""
    if not organising_code.startswith("ubnd-"):
        return None
    code = "so-tc-" + organising_code.removeprefix("ubnd-")
    return Organisation.objects.filter(code=code).first()


def _record_decision(plan: Plan, **decision) -> str:
    _version, outcome = registration.record_decision(actor=ACTOR, plan=plan, **decision)
    return outcome


def _plan(row: dict, counts: dict) -> Plan:
    fields = _plan_fields(row)
    on = _date(row["decision_date"])
    if on is None:  # an outline starts today; an illustrative approved plan at its period
        start = dt.date(int(row["period_start"]), 1, 1)
        on = services.today() if row["stage"] == Stage.OUTLINE else max(start, _LAW_START)
    plan = Plan.objects.filter(code=row["code"]).first()
    if plan is None:
        plan = services.create_plan(
            actor=ACTOR,
            code=row["code"],
            stage=Stage(row["stage"]),
            on=on,
            **fields,
        )
        counts["plans_created"] += 1
    else:
        changed = {k: v for k, v in fields.items() if getattr(plan, k) != v}
        if changed:
            services.update_plan(actor=ACTOR, plan=plan, **changed)
            counts["plans_updated"] += 1
    if row["decision_number"] or row["decision_date"]:
        outcome = _record_decision(
            plan,
            number=1,
            kind=VersionKind.ORIGINAL,
            decision_number=row["decision_number"],
            decision_date=_date(row["decision_date"]),
        )
        counts["versions_changed"] += outcome != "unchanged"
    if row["code"] == NATIONAL:
        outcome = _record_decision(
            plan,
            number=ADJUSTMENT["number"],
            kind=VersionKind.ADJUSTMENT,
            decision_number="",
            decision_date=ADJUSTMENT["decision_date"],
            reasons=ADJUSTMENT["reasons"],
        )
        counts["versions_changed"] += outcome != "unchanged"
    _record_publication(plan)
    return plan


# Illustrative: publication 10 days and dossier upload 8 days after the decision, inside the
# legal limits (law.PUBLICATION_DAYS, law.DOSSIER_UPLOAD_DAYS), so no demo plan is overdue.
_PUBLISHED_AFTER = dt.timedelta(days=10)
_UPLOADED_AFTER = dt.timedelta(days=8)


def _record_publication(plan: Plan) -> None:
    version = plan.current_version()
    if not plan.is_public or version.decision_date is None or version.published_on:
        return
    lifecycle.record_publication(
        actor=ACTOR,
        plan=plan,
        published_on=version.decision_date + _PUBLISHED_AFTER,
        dossier_uploaded_on=version.decision_date + _UPLOADED_AFTER,
    )


# The 2017 Planning Law is the first under which these levels exist (in force 01/01/2019).
_LAW_START = dt.date(2019, 1, 1)


def _territory(plan: Plan, code: str) -> dict:
    if not code:
        return {"region": None, "province": None}
    region = Region.objects.filter(code=code).first()
    if region is not None:
        return {"region": region, "province": None}
    return {"region": None, "province": _province(code, f"{plan.period_start}-01-01")}


def _target(plans: dict[str, Plan], row: dict, counts: dict) -> None:
    plan = plans[row["ma_quy_hoach"]]
    wanted = {
        "indicator": row["ma_chi_tieu"],
        "target_year": int(row["nam"]),
        "comparator": row["so_sanh"],
        "value": Decimal(row["gia_tri"]),
        "value_max": Decimal(row["gia_tri_toi_da"]) if row["gia_tri_toi_da"] else None,
        "base_year": int(row["nam_goc"]) if row["nam_goc"] else None,
        "wording": row["noi_dung"],
        **_territory(plan, row["dia_ban"]),
    }
    existing = PlanTarget.objects.filter(
        plan=plan,
        indicator__code=wanted["indicator"],
        target_year=wanted["target_year"],
        region=wanted["region"],
        province=wanted["province"],
    ).first()
    if existing is None:
        targets.add_target(actor=ACTOR, plan=plan, **wanted)
        counts["targets_created"] += 1
        return
    before = targets.snapshot(existing)
    targets.update_target(
        actor=ACTOR, target=existing, **{**wanted, "indicator": existing.indicator}
    )
    counts["targets_updated"] += targets.snapshot(existing) != before


@transaction.atomic
def load_demo_plans() -> dict[str, int]:
    """Create or update the demo plans, their targets and links; returns counts."""
    counts = dict.fromkeys(
        (
            "plans_created",
            "plans_updated",
            "versions_changed",
            "targets_created",
            "targets_updated",
            "links_created",
        ),
        0,
    )
    rows = _rows("demo_plans.csv")
    plans = {row["code"]: _plan(row, counts) for row in rows}
    for row in rows:
        for higher in filter(None, row["links"].split(";")):
            lower = plans[row["code"]]
            exists = lower.links_up.filter(higher=plans[higher]).exists()
            conformity.add_link(actor=ACTOR, lower=lower, higher=plans[higher])
            counts["links_created"] += not exists
    for row in _rows("demo_targets.csv"):
        _target(plans, row, counts)
    return counts


def setup_step() -> str:
    """`regionlink setup --demo`: load the demo plans; a one-line summary."""
    from regionlink.plans import review
    from regionlink.plans.models import ReviewRun

    counts = load_demo_plans()
    summary = (
        f"{counts['plans_created']} quy hoạch mới, {counts['plans_updated']} cập nhật; "
        f"{counts['targets_created']} chỉ tiêu mới, {counts['targets_updated']} cập nhật; "
        f"{counts['links_created']} liên kết mới — quy hoạch minh họa"
    )
    # A first review, so the review pages show the planted findings; later runs are people's.
    if not ReviewRun.objects.exists():
        run = review.run_review(actor=ACTOR)
        summary += f"; rà soát lần đầu: {run.findings_count} phát hiện"
    return summary

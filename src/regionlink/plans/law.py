"""The Planning Law as data: which law is in force on a date, its plan levels and citations.

Planning Law 21/2017/QH14 applies until 28/02/2026; Planning Law 112/2025/QH15 from
01/03/2026. Rules elsewhere never hard-code an article: they ask :func:`cite` for the rule
under the law in force on the date that matters (a plan's approval, a review's date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanLevel(models.TextChoices):
    """Plan levels of the national planning system (2017 Law Art. 5; 2025 Law Art. 5)."""

    NATIONAL_MASTER = "national_master", _("Quy hoạch tổng thể quốc gia")
    NATIONAL_MARINE = "national_marine", _("Quy hoạch không gian biển quốc gia")
    NATIONAL_LAND_USE = "national_land_use", _("Quy hoạch sử dụng đất quốc gia")
    NATIONAL_SECTORAL = "national_sectoral", _("Quy hoạch ngành quốc gia")
    REGIONAL = "regional", _("Quy hoạch vùng")
    PROVINCIAL = "provincial", _("Quy hoạch tỉnh")
    DETAILED_SECTORAL = "detailed_sectoral", _("Quy hoạch chi tiết ngành")
    URBAN_RURAL = "urban_rural", _("Quy hoạch đô thị và nông thôn")
    SPECIAL_UNIT = "special_unit", _("Quy hoạch đơn vị hành chính - kinh tế đặc biệt")


NATIONAL_LEVELS = frozenset(
    {
        PlanLevel.NATIONAL_MASTER,
        PlanLevel.NATIONAL_MARINE,
        PlanLevel.NATIONAL_LAND_USE,
        PlanLevel.NATIONAL_SECTORAL,
    }
)


class Territory(StrEnum):
    """What a plan of a level covers: the country, one region or one province."""

    COUNTRY = "country"
    REGION = "region"
    PROVINCE = "province"


TERRITORY_OF_LEVEL = {
    PlanLevel.NATIONAL_MASTER: Territory.COUNTRY,
    PlanLevel.NATIONAL_MARINE: Territory.COUNTRY,
    PlanLevel.NATIONAL_LAND_USE: Territory.COUNTRY,
    PlanLevel.NATIONAL_SECTORAL: Territory.COUNTRY,
    PlanLevel.DETAILED_SECTORAL: Territory.COUNTRY,
    PlanLevel.REGIONAL: Territory.REGION,
    PlanLevel.PROVINCIAL: Territory.PROVINCE,
    PlanLevel.URBAN_RURAL: Territory.PROVINCE,
    PlanLevel.SPECIAL_UNIT: Territory.PROVINCE,
}

# The higher levels a plan of each level must conform to (2017 Law Art. 6; 2025 Law Art. 5):
# the national master plan is the basis of all; sectoral plans conform to the master, marine
# and land-use plans; regional plans to the national plans; provincial plans to the national
# and regional plans; urban and rural plans to the national, regional and provincial plans.
MUST_CONFORM_TO: dict[str, tuple[str, ...]] = {
    PlanLevel.NATIONAL_MASTER: (),
    PlanLevel.NATIONAL_MARINE: (PlanLevel.NATIONAL_MASTER,),
    PlanLevel.NATIONAL_LAND_USE: (PlanLevel.NATIONAL_MASTER,),
    PlanLevel.NATIONAL_SECTORAL: (
        PlanLevel.NATIONAL_MASTER,
        PlanLevel.NATIONAL_MARINE,
        PlanLevel.NATIONAL_LAND_USE,
    ),
    PlanLevel.DETAILED_SECTORAL: (PlanLevel.NATIONAL_MASTER, PlanLevel.NATIONAL_SECTORAL),
    PlanLevel.REGIONAL: (PlanLevel.NATIONAL_MASTER,),
    PlanLevel.PROVINCIAL: (PlanLevel.NATIONAL_MASTER, PlanLevel.REGIONAL),
    PlanLevel.URBAN_RURAL: (
        PlanLevel.NATIONAL_MASTER,
        PlanLevel.REGIONAL,
        PlanLevel.PROVINCIAL,
    ),
    PlanLevel.SPECIAL_UNIT: (PlanLevel.NATIONAL_MASTER, PlanLevel.REGIONAL),
}


class Rule(StrEnum):
    """A rule the software applies; each has a citation under each law."""

    LEVELS = "levels"
    CONFORMITY = "conformity"
    PERIOD = "period"
    OUTLINE = "outline"
    FORMULATION_TIME = "formulation_time"
    CONSULTATION = "consultation"
    APPRAISAL = "appraisal"
    APPROVAL = "approval"
    PUBLICATION = "publication"
    DOSSIER_UPLOAD = "dossier_upload"
    EVALUATION = "evaluation"
    ADJUSTMENT = "adjustment"
    REORGANISATION = "reorganisation"


@dataclass(frozen=True)
class Citation:
    article: str  # "Điều 6"; "" when the rule is cited by instrument only
    instrument: str  # "Luật Quy hoạch 21/2017/QH14"

    def __str__(self) -> str:
        return f"{self.article} {self.instrument}".strip()


@dataclass(frozen=True)
class PlanningLaw:
    number: str
    title: str
    in_force_from: dt.date
    in_force_to: dt.date | None
    levels: tuple[str, ...]
    citations: dict[str, Citation]

    @property
    def instrument(self) -> str:
        return f"Luật Quy hoạch {self.number}"


_L2017 = "Luật Quy hoạch 21/2017/QH14"
_L2025 = "Luật Quy hoạch 112/2025/QH15"
_D37 = "Nghị định 37/2019/NĐ-CP"
_D58 = "Nghị định 58/2023/NĐ-CP sửa đổi Nghị định 37/2019/NĐ-CP"
_R202 = "Nghị quyết 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh"

# Articles of the 2017 Law as numbered in its consolidated text. For the 2025 Law only the
# articles named in the domain brief are given; the others are cited by instrument until
# checked against the published text (see docs/huong-dan-su-dung.md, "Căn cứ pháp lý").
LAW_2017 = PlanningLaw(
    number="21/2017/QH14",
    title="Luật Quy hoạch",
    in_force_from=dt.date(2019, 1, 1),
    in_force_to=dt.date(2026, 2, 28),
    levels=(
        PlanLevel.NATIONAL_MASTER,
        PlanLevel.NATIONAL_MARINE,
        PlanLevel.NATIONAL_LAND_USE,
        PlanLevel.NATIONAL_SECTORAL,
        PlanLevel.REGIONAL,
        PlanLevel.PROVINCIAL,
        PlanLevel.URBAN_RURAL,
        PlanLevel.SPECIAL_UNIT,
    ),
    citations={
        Rule.LEVELS: Citation("Điều 5", _L2017),
        Rule.CONFORMITY: Citation("Điều 6", _L2017),
        Rule.PERIOD: Citation("Điều 7", _L2017),
        Rule.OUTLINE: Citation("Điều 16", _L2017),
        Rule.FORMULATION_TIME: Citation("", _D58),
        Rule.CONSULTATION: Citation("Điều 19", _L2017),
        Rule.APPRAISAL: Citation("Điều 30–32", _L2017),
        Rule.APPROVAL: Citation("Điều 34", _L2017),
        Rule.PUBLICATION: Citation("Điều 38", _L2017),
        Rule.DOSSIER_UPLOAD: Citation("Điều 41", _L2017 + "; Điều 43 " + _D37),
        Rule.EVALUATION: Citation("Điều 49", _L2017 + "; Điều 6–7 " + _D37),
        Rule.ADJUSTMENT: Citation("Điều 53–54", _L2017),
        Rule.REORGANISATION: Citation("Điều 53", _L2017 + "; " + _R202),
    },
)

LAW_2025 = PlanningLaw(
    number="112/2025/QH15",
    title="Luật Quy hoạch",
    in_force_from=dt.date(2026, 3, 1),
    in_force_to=None,
    levels=tuple(PlanLevel.values),
    citations={
        Rule.LEVELS: Citation("Điều 5", _L2025),
        Rule.CONFORMITY: Citation("Điều 5", _L2025),
        Rule.PERIOD: Citation("", _L2025),
        Rule.OUTLINE: Citation("Điều 20", _L2025),
        Rule.FORMULATION_TIME: Citation("", _D58),
        Rule.CONSULTATION: Citation("", _L2025),
        Rule.APPRAISAL: Citation("", _L2025),
        Rule.APPROVAL: Citation("", _L2025),
        Rule.PUBLICATION: Citation("", _L2025),
        Rule.DOSSIER_UPLOAD: Citation("", _L2025 + "; Điều 43 " + _D37),
        Rule.EVALUATION: Citation("", _L2025 + "; Điều 6–7 " + _D37),
        Rule.ADJUSTMENT: Citation("", _L2025),
        Rule.REORGANISATION: Citation("", _L2025 + "; " + _R202),
    },
)

LAWS = (LAW_2017, LAW_2025)


def law_in_force(on: dt.date) -> PlanningLaw:
    """The Planning Law in force on ``on``; dates before 2019 fall under the 2017 Law."""
    for law in reversed(LAWS):
        if on >= law.in_force_from:
            return law
    return LAW_2017


def cite(rule: Rule | str, *, on: dt.date) -> Citation:
    """The citation of ``rule`` under the law in force on ``on``."""
    return law_in_force(on).citations[Rule(rule)]


def levels_in_force(on: dt.date) -> tuple[str, ...]:
    return law_in_force(on).levels


# Formulation time limits (Decree 58/2023): months from the outline's approval, and the
# longest extension the approving authority may grant.
FORMULATION_MONTHS = {
    PlanLevel.NATIONAL_MASTER: 36,
    PlanLevel.NATIONAL_MARINE: 36,
    PlanLevel.NATIONAL_LAND_USE: 36,
    PlanLevel.REGIONAL: 36,
    PlanLevel.NATIONAL_SECTORAL: 30,
    PlanLevel.DETAILED_SECTORAL: 30,
    PlanLevel.PROVINCIAL: 30,
    PlanLevel.URBAN_RURAL: 30,
    PlanLevel.SPECIAL_UNIT: 30,
}
MAX_EXTENSION_MONTHS = 12

CONSULTATION_MIN_DAYS = 30  # draft posted at least 30 days (consultation rule)
PUBLICATION_DAYS = 15  # published within 15 days of approval
DOSSIER_UPLOAD_DAYS = 10  # dossier in the national planning database within 10 days


def law_date_for_plan(plan, *, today: dt.date) -> dt.date:
    """The date that decides which law a plan answers to: its latest approval decision; for a
    published plan registered without its decision, when it reached its stage; for a plan
    still in preparation, today."""
    decided = [v.decision_date for v in plan.versions.all() if v.decision_date]
    if decided:
        return max(decided)
    if plan.is_public and plan.stage_since:
        return plan.stage_since
    return today


def law_for_plan(plan, *, today: dt.date) -> PlanningLaw:
    return law_in_force(law_date_for_plan(plan, today=today))

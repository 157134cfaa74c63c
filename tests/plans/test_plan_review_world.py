"""A small registry for the review tests: the Red River Delta plan and its provinces on the
2024 map, built with the real services (create_plan, add_target, add_link).

Plain helpers (no fixtures, no tests): each test module wraps them in its own fixtures.
A string actor is a set-up step, as in the services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from regionlink.geography.models import AdministrativeUnit, Level, Region, valid_on_q
from regionlink.organisations import services as org_services
from regionlink.organisations.models import Organisation, User
from regionlink.plans import conformity, services, targets
from regionlink.plans.law import PlanLevel
from regionlink.plans.models import Stage

FIXTURE = "test fixture"
PASSWORD = "mat-khau-du-dai-2025"
OLD_MAP = dt.date(2024, 12, 31)
AS_OF = dt.date(2026, 6, 30)  # after the reorganisation; the 2025 Law in force
AS_OF_2017 = dt.date(2025, 12, 31)  # the 2017 Law still in force
PLANNING = "btc-vu-quan-ly-quy-hoach"
# Red River Delta provinces on the 2024 map.
DBSH = ("01", "22", "26", "27", "30", "31", "33", "34", "35", "36", "37")


def province(code: str, on: dt.date = OLD_MAP) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(valid_on_q(on), level=Level.PROVINCE, code=code)


def person(username: str, org_code: str, role: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.gov.vn", PASSWORD)
    org_services.add_member(
        actor=FIXTURE, organisation=Organisation.objects.get(code=org_code), user=user, role=role
    )
    return user


def national_plan(**extra):
    return services.create_plan(
        actor=FIXTURE,
        code=extra.pop("code", "qg"),
        name="Quy hoạch tổng thể quốc gia",
        level=PlanLevel.NATIONAL_MASTER,
        period_start=extra.pop("period_start", 2021),
        period_end=extra.pop("period_end", 2030),
        organising_body=Organisation.objects.get(code=PLANNING),
        stage=extra.pop("stage", Stage.IMPLEMENTATION),
        on=dt.date(2023, 1, 9),
        **extra,
    )


def regional_plan(region_code: str = "DBSH", **extra):
    return services.create_plan(
        actor=FIXTURE,
        code=extra.pop("code", f"vung-{region_code.lower()}"),
        name=f"Quy hoạch vùng {region_code}",
        level=PlanLevel.REGIONAL,
        region=Region.objects.get(code=region_code),
        period_start=extra.pop("period_start", 2021),
        period_end=extra.pop("period_end", 2030),
        organising_body=Organisation.objects.get(code=PLANNING),
        stage=extra.pop("stage", Stage.IMPLEMENTATION),
        on=extra.pop("on", dt.date(2024, 5, 4)),
        **extra,
    )


def provincial_plan(code: str, on: dt.date = OLD_MAP, **extra):
    unit = province(code, on)
    organisation = Organisation.objects.filter(code=f"ubnd-{code}").first()
    return services.create_plan(
        actor=FIXTURE,
        code=extra.pop("plan_code", f"tinh-{code}-{on.year}"),
        name=f"Quy hoạch {unit.name}",
        level=PlanLevel.PROVINCIAL,
        province=unit,
        period_start=extra.pop("period_start", 2021),
        period_end=extra.pop("period_end", 2030),
        organising_body=organisation or Organisation.objects.get(code="ubnd-01"),
        stage=extra.pop("stage", Stage.IMPLEMENTATION),
        on=on,
        **extra,
    )


def target(plan, indicator, value, comparator="eq", year=2030, value_max=None, base_year=None):
    return targets.add_target(
        actor=FIXTURE,
        plan=plan,
        indicator=indicator,
        target_year=year,
        comparator=comparator,
        value=Decimal(str(value)),
        value_max=None if value_max is None else Decimal(str(value_max)),
        base_year=base_year,
    )


def link(lower, *highers):
    for higher in highers:
        conformity.add_link(actor=FIXTURE, lower=lower, higher=higher)


def delta(population=None, links=True):
    """The national plan, the Red River Delta plan and its eleven provinces' plans, linked;
    ``population`` (code → thousand persons) sets each province's POP_AVG 2030 target."""
    nation = national_plan()
    region = regional_plan("DBSH")
    link(region, nation)
    provinces = {}
    for code in DBSH:
        plan = provincial_plan(code)
        if links:
            link(plan, nation, region)
        if population and code in population:
            target(plan, "POP_AVG", population[code])
        provinces[code] = plan
    return nation, region, provinces

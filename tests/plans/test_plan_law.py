"""The Planning Law in force is chosen by date, and every rule has a citation under each law."""

import datetime as dt

import pytest

from regionlink.plans import law
from regionlink.plans.law import PlanLevel, Rule


@pytest.mark.parametrize(
    ("on", "number"),
    [
        (dt.date(2018, 6, 1), "21/2017/QH14"),
        (dt.date(2019, 1, 1), "21/2017/QH14"),
        (dt.date(2026, 2, 28), "21/2017/QH14"),
        (dt.date(2026, 3, 1), "112/2025/QH15"),
        (dt.date(2026, 11, 28), "112/2025/QH15"),
    ],
)
def test_the_law_in_force_changes_on_1_march_2026(on, number):
    assert law.law_in_force(on).number == number


def test_detailed_sectoral_plans_exist_only_under_the_2025_law():
    assert PlanLevel.DETAILED_SECTORAL not in law.levels_in_force(dt.date(2025, 12, 31))
    assert PlanLevel.DETAILED_SECTORAL in law.levels_in_force(dt.date(2026, 3, 1))


@pytest.mark.parametrize("planning_law", law.LAWS)
def test_every_rule_is_cited_under_every_law(planning_law):
    for rule in Rule:
        citation = planning_law.citations[rule]
        assert citation.instrument, rule
        assert "/" in str(citation), rule


def test_conformity_is_cited_with_its_article_under_each_law():
    assert str(law.cite(Rule.CONFORMITY, on=dt.date(2025, 1, 1))) == (
        "Điều 6 Luật Quy hoạch 21/2017/QH14"
    )
    assert str(law.cite(Rule.CONFORMITY, on=dt.date(2026, 6, 1))) == (
        "Điều 5 Luật Quy hoạch 112/2025/QH15"
    )


def test_provincial_plans_conform_to_the_national_and_regional_plans():
    assert law.MUST_CONFORM_TO[PlanLevel.PROVINCIAL] == (
        PlanLevel.NATIONAL_MASTER,
        PlanLevel.REGIONAL,
    )
    assert law.MUST_CONFORM_TO[PlanLevel.NATIONAL_MASTER] == ()
    assert set(law.MUST_CONFORM_TO) == set(PlanLevel.values)
    assert set(law.TERRITORY_OF_LEVEL) == set(PlanLevel.values)
    assert set(law.FORMULATION_MONTHS) == set(PlanLevel.values)

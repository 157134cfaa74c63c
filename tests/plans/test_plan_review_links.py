"""missing_link findings: a plan without the higher plan it must conform to, a territory with
no higher plan yet, and periods that do not fit."""

from __future__ import annotations

import datetime as dt

import pytest
import test_plan_review_world as world

from regionlink.plans.review import compute_findings

pytestmark = pytest.mark.django_db


def codes(found, message_code):
    return [f.plan_codes for f in found if f.message_code == message_code]


def test_a_plan_without_its_regional_link_is_found_with_the_suggestion(reference_organisations):
    nation = world.national_plan()
    region = world.regional_plan("DBSH")
    world.link(region, nation)
    plan = world.provincial_plan("01", on=dt.date(2026, 1, 1))
    world.link(plan, nation)
    found = compute_findings(as_of=world.AS_OF)
    missing = [f for f in found if f.message_code == "missing_link"]
    assert [f.plan_codes for f in missing] == [tuple(sorted((plan.code, region.code)))]
    assert missing[0].severity == "medium"
    assert missing[0].params["higher"] == region.code
    world.link(plan, region)
    assert compute_findings(as_of=world.AS_OF) == []


def test_a_region_without_any_plan_gives_a_low_finding(reference_organisations):
    nation = world.national_plan()
    world.link(world.regional_plan("DBSH"), nation)
    plan = world.provincial_plan("38", on=dt.date(2026, 1, 1))  # Thanh Hóa, region BTB
    world.link(plan, nation)
    found = compute_findings(as_of=world.AS_OF)
    assert [(f.plan_codes, f.severity) for f in found] == [((plan.code,), "low")]
    assert found[0].message_code == "no_higher_plan"


def test_a_level_with_no_plan_at_all_is_not_reported(reference_organisations):
    nation = world.national_plan()
    plan = world.provincial_plan("38", on=dt.date(2026, 1, 1))
    world.link(plan, nation)
    assert compute_findings(as_of=world.AS_OF) == []


def test_a_linked_plan_whose_period_is_not_within_the_higher_ones(reference_organisations):
    nation = world.national_plan()
    plan = world.provincial_plan(
        "04", on=dt.date(2026, 1, 1), period_start=2031, period_end=2040, stage="outline"
    )
    world.link(plan, nation)
    found = compute_findings(as_of=world.AS_OF)
    assert codes(found, "period_mismatch") == [tuple(sorted((nation.code, plan.code)))]
    assert found[0].params["lower_period"] == [2031, 2040]
    assert "Điều 5" in found[0].legal_basis


def test_a_linked_plan_within_the_period_is_consistent(reference_organisations):
    nation = world.national_plan()
    plan = world.provincial_plan("04", on=dt.date(2026, 1, 1))
    world.link(plan, nation)
    assert codes(compute_findings(as_of=world.AS_OF), "period_mismatch") == []


def test_a_link_to_another_region_s_plan_does_not_count(reference_organisations):
    nation = world.national_plan()
    region = world.regional_plan("DBSH")
    world.link(region, nation)
    other = world.regional_plan("DBSCL")
    world.link(other, nation)
    plan = world.provincial_plan("01", on=dt.date(2026, 1, 1))
    world.link(plan, nation)
    world.link(plan, other)
    missing = [f for f in compute_findings(as_of=world.AS_OF) if f.message_code == "missing_link"]
    assert [f.params["higher"] for f in missing] == [region.code]

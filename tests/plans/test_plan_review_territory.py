"""territory_drift: plans of provinces and regions the 2025 reorganisation ended, with their
successors and the targets to re-consolidate."""

from __future__ import annotations

import datetime as dt

import pytest
import test_plan_review_world as world

from regionlink.plans.review import compute_findings

pytestmark = pytest.mark.django_db


def drifts(as_of=world.AS_OF):
    return [f for f in compute_findings(as_of=as_of) if f.kind == "territory_drift"]


def test_a_merged_provinces_plan_names_its_successor_and_targets(reference_organisations):
    nation = world.national_plan()
    plan = world.provincial_plan("35")  # Hà Nam, merged into Ninh Bình on 01/07/2025
    world.link(plan, nation)
    area = world.target(plan, "INDUSTRIAL_PARK_AREA", 3000, "le")
    found = drifts()
    assert [f.plan_codes for f in found] == [(plan.code,)]
    params = found[0].params
    assert params["ended"] == "2025-06-30"
    assert [s["code"] for s in params["successors"]] == ["37"]
    assert params["targets"] == [{"id": area.pk, "indicator": "INDUSTRIAL_PARK_AREA", "year": 2030}]
    assert found[0].target_ids == (area.pk,)
    assert "202/2025/QH15" in found[0].legal_basis


def test_before_the_reorganisation_nothing_drifts(reference_organisations):
    world.link(world.provincial_plan("35"), world.national_plan())
    assert drifts(as_of=dt.date(2025, 6, 30)) == []


def test_an_unchanged_province_does_not_drift(reference_organisations):
    world.link(world.provincial_plan("01"), world.national_plan())
    assert drifts() == []


def test_a_regional_plan_of_an_ended_region_names_the_regions_now(reference_organisations):
    nation = world.national_plan()
    highlands = world.regional_plan("TN")
    world.link(highlands, nation)
    found = drifts()
    assert [f.plan_codes for f in found] == [(highlands.code,)]
    assert found[0].message_code == "territory_drift_region"
    now = {s["code"] for s in found[0].params["successors"]}
    assert "DHNTB-TN" in now

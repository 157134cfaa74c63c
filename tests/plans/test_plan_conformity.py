"""Each plan is suggested the higher plans it must conform to, from the law's hierarchy and
its territory on its own dates; an editor of the lower plan records the link."""

from __future__ import annotations

import datetime as dt

import pytest
import test_plan_review_world as world
from django.core.exceptions import PermissionDenied, ValidationError

from regionlink.audit.models import AuditEvent
from regionlink.organisations.models import Role
from regionlink.plans import conformity
from regionlink.plans.law import PlanLevel
from regionlink.plans.models import ConformityLink

pytestmark = pytest.mark.django_db


def test_levels_come_from_the_law():
    plan = type("P", (), {"level": PlanLevel.PROVINCIAL})
    assert conformity.required_levels(plan) == (PlanLevel.NATIONAL_MASTER, PlanLevel.REGIONAL)
    plan.level = PlanLevel.REGIONAL
    assert conformity.required_levels(plan) == (PlanLevel.NATIONAL_MASTER,)


def test_a_provincial_plan_is_suggested_its_region_of_the_time_and_the_master_plan(
    reference_organisations,
):
    nation = world.national_plan()
    delta = world.regional_plan("DBSH")
    world.regional_plan("TDMNPB")
    hai_duong = world.provincial_plan("30")  # Hải Dương, Red River Delta until 2025
    assert conformity.suggest_higher(hai_duong) == [nation, delta]


def test_after_the_reorganisation_a_new_province_gets_its_new_region(reference_organisations):
    world.national_plan()
    world.regional_plan("BTB-DHMT")
    north_central = world.regional_plan("BTB", on=dt.date(2025, 10, 5))
    # Thanh Hóa (38) is unchanged: its 2021–2030 plan is read on its period's start (the
    # old region), its 2031–2040 outline on the new map (the new region).
    current = world.provincial_plan("38", on=dt.date(2026, 1, 1))
    assert conformity.suggest_higher(current)[1].region.code == "BTB-DHMT"
    outline = world.provincial_plan(
        "38",
        on=dt.date(2026, 1, 1),
        plan_code="tinh-38-2031",
        period_start=2031,
        period_end=2040,
        stage="outline",
    )
    assert conformity.suggest_higher(outline)[1] == north_central


def test_a_plan_whose_period_covers_the_lower_one_is_preferred(reference_organisations):
    nation = world.national_plan()
    world.national_plan(code="qg-2031", period_start=2031, period_end=2040)
    region = world.regional_plan("DBSH")
    plan = world.provincial_plan("01", on=dt.date(2026, 1, 1))
    world.link(region, nation)
    assert conformity.suggest_higher(plan)[0] == nation


def test_an_editor_of_the_lower_plan_records_and_removes_a_link(reference_organisations):
    nation = world.national_plan()
    plan = world.provincial_plan("01", on=dt.date(2026, 1, 1))
    editor = world.person("hn.bientap", "ubnd-01", Role.EDITOR)
    link = conformity.add_link(actor=editor, lower=plan, higher=nation, suggested=True)
    assert AuditEvent.objects.filter(action="plans.link_add", object_id=str(link.pk)).exists()
    conformity.remove_link(actor=editor, link=link)
    assert not ConformityLink.objects.exists()
    assert AuditEvent.objects.filter(action="plans.link_remove").exists()


def test_a_viewer_may_not_link_and_a_wrong_level_is_refused(reference_organisations):
    nation = world.national_plan()
    plan = world.provincial_plan("01", on=dt.date(2026, 1, 1))
    other = world.provincial_plan("22", on=dt.date(2026, 1, 1))
    viewer = world.person("hn.xem", "ubnd-01", Role.VIEWER)
    with pytest.raises(PermissionDenied):
        conformity.add_link(actor=viewer, lower=plan, higher=nation)
    with pytest.raises(ValidationError):
        conformity.add_link(actor=world.FIXTURE, lower=plan, higher=other)
    assert not ConformityLink.objects.exists()

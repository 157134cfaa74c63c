"""The demo plans load once, label themselves and plant exactly the documented conflicts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from regionlink.audit.models import AuditEvent
from regionlink.plans import demo
from regionlink.plans.models import ConformityLink, Plan, PlanTarget, PlanVersion


@pytest.fixture
def demo_plans(reference_organisations):
    return demo.load_demo_plans()


def test_a_second_run_changes_nothing(demo_plans):
    assert demo_plans["plans_created"] == 26
    events = AuditEvent.objects.count()
    again = demo.load_demo_plans()
    assert again == dict.fromkeys(again, 0)
    assert AuditEvent.objects.count() == events


def test_every_demo_plan_is_labelled_illustrative(demo_plans):
    plans = list(Plan.objects.all())
    assert plans and all(plan.is_demo for plan in plans)
    provincial = [p for p in plans if p.level == "provincial"]
    assert all("(minh họa)" in p.name for p in provincial)
    wording = PlanTarget.objects.filter(plan__level="provincial").values_list("wording", flat=True)
    assert all("(minh họa)" in text for text in wording)


def test_unconfirmed_decisions_are_left_blank_and_said_so(demo_plans):
    north = Plan.objects.get(code="qh-vung-tdmnpb-2021-2030")
    assert north.versions.get().decision_number == ""
    assert "chưa xác minh" in north.unconfirmed
    delta = Plan.objects.get(code="qh-vung-dbsh-2021-2030").versions.get()
    assert (delta.decision_number, f"{delta.decision_date:%d/%m/%Y}") == (
        "368/QĐ-TTg",
        "04/05/2024",
    )
    national = Plan.objects.get(code=demo.NATIONAL)
    adjustment = PlanVersion.objects.get(plan=national, number=2)
    assert adjustment.kind == "adjustment" and adjustment.decision_number == ""
    assert "306/NQ-CP" in adjustment.reasons
    assert national.targets.get(indicator__code="GRDP_GROWTH").version == adjustment


def test_the_thanh_hoa_plan_lacks_only_its_regional_link(demo_plans):
    links = ConformityLink.objects.filter(lower__code="qh-tinh-thanh-hoa-2021-2030")
    assert [link.higher.code for link in links] == [demo.NATIONAL]


def test_planted_urbanisation_conflict_weights_to_about_48_percent(demo_plans):
    """The eleven Red River Delta provinces' targets, weighted by their 2030 population."""
    codes = [c for c in demo.PLANTED[0].plan_codes if c.startswith(("qh-tinh", "qh-tp", "qh-thu"))]
    assert len(codes) == 11
    rows = {
        (t.plan.code, t.indicator.code): t.value
        for t in PlanTarget.objects.filter(plan__code__in=codes, target_year=2030).select_related(
            "plan", "indicator"
        )
    }
    population = sum(rows[(c, "POP_AVG")] for c in codes)
    urban = sum(rows[(c, "POP_AVG")] * rows[(c, "URBANISATION_RATE")] for c in codes)
    assert Decimal(47) < urban / population < Decimal(49)
    parks = sum(rows[(c, "INDUSTRIAL_PARK_AREA")] for c in codes)
    region = PlanTarget.objects.get(
        plan__code="qh-vung-dbsh-2021-2030", indicator__code="INDUSTRIAL_PARK_AREA"
    )
    assert parks > region.value

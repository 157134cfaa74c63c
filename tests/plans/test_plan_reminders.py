"""Reminders: annual and five-yearly evaluations of plans in force, overdue publication and
dossier upload, plans past their period — each with its legal basis."""

from __future__ import annotations

import datetime as dt

import pytest
import test_plan_review_world as world

from regionlink.plans.models import PlanVersion
from regionlink.plans.reminders import due

pytestmark = pytest.mark.django_db


def kinds(on, plans):
    return [(r.kind, r.plan.code, r.due_on) for r in due(on=on, plans=plans)]


def test_a_plan_in_force_is_evaluated_every_year_and_five_yearly_mid_period(
    reference_organisations,
):
    plan = world.provincial_plan("01", on=dt.date(2026, 1, 1))
    assert kinds(dt.date(2025, 3, 1), [plan]) == [
        ("evaluation_annual", plan.code, dt.date(2025, 12, 31))
    ]
    [five] = due(on=dt.date(2026, 3, 1), plans=[plan])
    assert five.kind == "evaluation_five_yearly"
    assert "Điều 6–7 Nghị định 37/2019/NĐ-CP" in five.legal_basis
    assert "5 năm (2021–2025)" in five.message


def test_an_outline_has_no_evaluation(reference_organisations):
    plan = world.provincial_plan("01", on=dt.date(2026, 1, 1), stage="outline")
    assert due(on=dt.date(2027, 3, 1), plans=[plan]) == []


def test_a_plan_past_its_period_still_in_force(reference_organisations):
    plan = world.provincial_plan("01", on=dt.date(2026, 1, 1))
    found = kinds(dt.date(2031, 2, 1), [plan])
    assert found == [("past_period", plan.code, dt.date(2030, 12, 31))]


def test_an_overdue_publication_and_dossier_upload(reference_organisations):
    plan = world.provincial_plan("01", on=dt.date(2026, 1, 1), stage="approval")
    PlanVersion.objects.filter(plan=plan).update(
        decision_number="01/QĐ-TTg", decision_date=dt.date(2026, 5, 1)
    )
    found = due(on=dt.date(2026, 6, 1), plans=[plan])
    assert [(r.kind, r.due_on) for r in found] == [
        ("dossier_upload", dt.date(2026, 5, 11)),
        ("publication", dt.date(2026, 5, 16)),
    ]
    assert all(r.legal_basis for r in found)
    PlanVersion.objects.filter(plan=plan).update(
        published_on=dt.date(2026, 5, 10), dossier_uploaded_on=dt.date(2026, 5, 10)
    )
    assert due(on=dt.date(2026, 6, 1), plans=[plan]) == []

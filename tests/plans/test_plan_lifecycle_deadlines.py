"""Formulation, publication and dossier-upload time limits, each flagged when overdue."""

import datetime as dt

import pytest
import test_plan_lifecycle_world as world

from regionlink.plans import law, lifecycle
from regionlink.plans.law import Rule
from regionlink.plans.lifecycle_deadlines import add_months
from regionlink.plans.models import DocumentType, Stage


@pytest.fixture
def people(reference_organisations):
    return world.build_people()


@pytest.fixture
def plan(people):
    return world.provincial_plan(people.lamdong_editor)


def by_code(plan, on):
    return {d.code: d for d in lifecycle.deadlines(plan, on=on)}


def test_a_plan_in_outline_has_no_deadline_yet(plan):
    assert lifecycle.deadlines(plan, on=dt.date(2030, 1, 1)) == []


def test_formulation_runs_30_months_for_a_provincial_plan_plus_its_extension(people, plan):
    world.upload(people.lamdong_editor, plan, DocumentType.OUTLINE)
    lifecycle.advance(
        actor=people.lamdong_editor, plan=plan, to_stage=Stage.FORMULATION,
        on=dt.date(2026, 3, 2), extension_months=6,
    )  # fmt: skip
    due = dt.date(2029, 3, 2)  # 30 + 6 months
    on_time = by_code(plan, dt.date(2029, 3, 2))["formulation"]
    assert (on_time.due_on, on_time.done_on, on_time.overdue) == (due, None, False)
    late = by_code(plan, dt.date(2029, 3, 3))["formulation"]
    assert late.overdue and "quá hạn 1 ngày" in late.message
    assert late.legal_basis == str(law.cite(Rule.FORMULATION_TIME, on=due))
    assert "58/2023" in late.legal_basis


def test_publication_15_days_and_dossier_10_days_after_the_decision(people, plan):
    world.walk(people.lamdong_editor, people.lamdong_approver, plan, Stage.PUBLICATION)
    decided = world.DECISION["decision_date"]  # 25/06/2026
    found = by_code(plan, dt.date(2026, 7, 8))
    assert found["publication"].due_on == decided + dt.timedelta(days=15)
    assert not found["publication"].overdue
    assert found["dossier_upload"].due_on == dt.date(2026, 7, 5)
    assert found["dossier_upload"].overdue
    assert "05/07/2026" in found["dossier_upload"].message
    assert found["formulation"].done_on == world.DAYS[Stage.APPROVAL]

    lifecycle.record_publication(
        actor=people.lamdong_editor, plan=plan, published_on=dt.date(2026, 7, 20),
        dossier_uploaded_on=dt.date(2026, 7, 21),
    )  # fmt: skip
    found = by_code(plan, dt.date(2026, 12, 1))
    assert not found["publication"].overdue and not found["dossier_upload"].overdue
    assert found["publication"].done_on == dt.date(2026, 7, 20)
    assert "quá hạn 10/07/2026" in found["publication"].message


def test_publication_cannot_be_recorded_before_the_decision(people, plan):
    world.walk(people.lamdong_editor, people.lamdong_approver, plan, Stage.PUBLICATION)
    with pytest.raises(Exception) as refused:
        lifecycle.record_publication(
            actor=people.lamdong_editor, plan=plan, published_on=dt.date(2026, 6, 1)
        )
    assert refused.value.code == "date_order"
    assert plan.current_version().published_on is None


def test_months_are_added_to_the_end_of_a_short_month():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 3, 2), 30) == dt.date(2028, 9, 2)

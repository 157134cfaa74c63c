"""A step with a missing precondition is refused, names every missing item with its legal
basis, and changes nothing: no stage, no event, no decision, no audit record."""

import datetime as dt

import pytest
import test_plan_lifecycle_world as world

from regionlink.audit.models import AuditEvent
from regionlink.plans import consultation, law, lifecycle
from regionlink.plans.errors import TransitionRefused
from regionlink.plans.law import Rule
from regionlink.plans.models import DocumentType, Stage

BEFORE = {
    Stage.FORMULATION: Stage.OUTLINE,
    Stage.CONSULTATION: Stage.FORMULATION,
    Stage.APPRAISAL: Stage.CONSULTATION,
    Stage.APPROVAL: Stage.APPRAISAL,
    Stage.PUBLICATION: Stage.APPROVAL,
    Stage.IMPLEMENTATION: Stage.PUBLICATION,
}


@pytest.fixture
def people(reference_organisations):
    return world.build_people()


@pytest.fixture
def plan(people):
    return world.provincial_plan(people.lamdong_editor)


def state(plan) -> tuple:
    plan.refresh_from_db()
    version = plan.current_version()
    return (
        plan.stage,
        plan.stage_since,
        plan.formulation_started_on,
        plan.draft_posted_on,
        plan.extension_months,
        version.decision_number,
        version.decision_date,
        version.signer,
        plan.stage_events.count(),
        AuditEvent.objects.count(),
    )


def refuse(people, plan, to_stage, on, **extra) -> TransitionRefused:
    actor = people.lamdong_approver if to_stage in (Stage.APPROVAL, Stage.PUBLICATION) else None
    before = state(plan)
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.advance(
            actor=actor or people.lamdong_editor, plan=plan, to_stage=to_stage, on=on, **extra
        )
    assert state(plan) == before
    return refused.value


def at(people, plan, stage):
    if stage != Stage.OUTLINE:
        world.walk(people.lamdong_editor, people.lamdong_approver, plan, stage)
    return plan


@pytest.mark.parametrize(
    ("to_stage", "codes", "rule"),
    [
        (Stage.FORMULATION, ["document_outline"], Rule.OUTLINE),
        (Stage.CONSULTATION, ["draft_posted"], Rule.CONSULTATION),
        (
            Stage.APPRAISAL,
            ["consultation_period", "adjacent_provinces", "document_consultation_synthesis"],
            Rule.CONSULTATION,
        ),
        (Stage.APPROVAL, ["document_appraisal_report", "document_sea_report"], Rule.APPRAISAL),
        (Stage.PUBLICATION, ["approval_decision", "document_decision"], Rule.APPROVAL),
        (Stage.IMPLEMENTATION, ["published_on"], Rule.PUBLICATION),
    ],
)
def test_each_step_names_what_is_missing_and_its_legal_basis(people, plan, to_stage, codes, rule):
    at(people, plan, BEFORE[to_stage])
    on = world.DAYS[to_stage] - dt.timedelta(days=5)  # consultation: only 25 days
    error = refuse(people, plan, to_stage, on)

    assert [m.code for m in error.missing] == codes
    assert {m.legal_basis for m in error.missing} == {str(law.cite(rule, on=on))}
    for item in error.missing:
        assert item.message in error.message


def test_the_outline_refusal_under_the_2017_law_cites_its_article(people, system_admin):
    plan = world.provincial_plan(people.lamdong_editor, on=dt.date(2024, 1, 2))
    error = refuse(people, plan, Stage.FORMULATION, dt.date(2024, 2, 1))
    assert error.missing[0].legal_basis == "Điều 16 Luật Quy hoạch 21/2017/QH14"
    assert "Đề cương, nhiệm vụ lập quy hoạch" in error.missing[0].message


def test_consultation_under_the_2017_law_cites_article_19(people):
    plan = world.provincial_plan(people.lamdong_editor, on=dt.date(2024, 1, 2))
    days = {Stage.FORMULATION: dt.date(2024, 2, 1), Stage.CONSULTATION: dt.date(2024, 3, 1)}
    world.walk(people.lamdong_editor, people.lamdong_approver, plan, Stage.CONSULTATION, days)
    error = refuse(people, plan, Stage.APPRAISAL, dt.date(2024, 3, 20))
    assert error.missing[0].code == "consultation_period"
    assert error.missing[0].legal_basis == "Điều 19 Luật Quy hoạch 21/2017/QH14"
    assert "01/03/2024" in error.missing[0].message and "31/03/2024" in error.missing[0].message


def test_a_draft_must_be_public_to_count_as_posted(people, plan):
    at(people, plan, Stage.FORMULATION)
    world.upload(people.lamdong_editor, plan, DocumentType.DRAFT, is_public=False)
    error = refuse(people, plan, Stage.CONSULTATION, world.DAYS[Stage.CONSULTATION])
    assert [m.code for m in error.missing] == ["draft_posted"]


def test_appraisal_waits_for_every_neighbour_and_every_answer(people, plan):
    at(people, plan, Stage.CONSULTATION)
    editor = people.lamdong_editor
    neighbours = consultation.adjacent_provinces(plan, on=plan.draft_posted_on)
    for unit in neighbours[1:]:
        consultation.request_opinion(
            actor=editor, plan=plan, name="", province=unit, requested_on=plan.draft_posted_on
        )
    consultation.add_comment(
        actor=editor, plan=plan, author="Sở Xây dựng", received_on=dt.date(2026, 4, 10),
        text="Bổ sung phương án phát triển đường cao tốc.",
    )  # fmt: skip
    world.upload(editor, plan, DocumentType.CONSULTATION_SYNTHESIS)

    error = refuse(people, plan, Stage.APPRAISAL, world.DAYS[Stage.APPRAISAL])

    assert [m.code for m in error.missing] == ["adjacent_provinces", "unanswered_comments"]
    assert neighbours[0].name in error.missing[0].message
    assert all(unit.name not in error.missing[0].message for unit in neighbours[1:])
    assert "1 ý kiến" in error.missing[1].message


def test_the_decision_may_be_given_with_the_step_but_not_dated_after_it(people, plan):
    at(people, plan, Stage.APPROVAL)
    world.upload(people.lamdong_editor, plan, DocumentType.DECISION, is_public=True)
    on = world.DAYS[Stage.PUBLICATION]
    error = refuse(
        people, plan, Stage.PUBLICATION, on, decision_number="12/QĐ-TTg",
        decision_date=on + dt.timedelta(days=1), signer="Phó Thủ tướng",
    )  # fmt: skip
    assert [m.code for m in error.missing] == ["decision_date_future"]
    error = refuse(people, plan, Stage.PUBLICATION, on, decision_number="12/QĐ-TTg")
    assert "ngày quyết định, người ký" in error.missing[0].message


def test_evaluation_needs_a_report_or_a_note(people, plan):
    at(people, plan, Stage.IMPLEMENTATION)
    error = refuse(people, plan, Stage.EVALUATION, dt.date(2026, 8, 1))
    assert error.missing[0].code == "evaluation_report"
    assert error.missing[0].legal_basis == str(law.cite(Rule.EVALUATION, on=dt.date(2026, 8, 1)))


def test_an_extension_beyond_twelve_months_is_refused(people, plan):
    world.upload(people.lamdong_editor, plan, DocumentType.OUTLINE)
    before = state(plan)
    with pytest.raises(Exception) as refused:
        lifecycle.advance(
            actor=people.lamdong_editor, plan=plan, to_stage=Stage.FORMULATION,
            on=world.DAYS[Stage.FORMULATION], extension_months=13,
        )  # fmt: skip
    assert refused.value.code == "extension_too_long"
    assert "tối đa là 12 tháng" in refused.value.message
    assert state(plan) == before


def test_a_step_dated_before_the_current_stage_began_is_refused(people, plan):
    world.upload(people.lamdong_editor, plan, DocumentType.OUTLINE)
    error = refuse(people, plan, Stage.FORMULATION, dt.date(2026, 2, 1))
    assert [m.code for m in error.missing] == ["date_order"]

"""A provincial plan goes from outline to implementation, is evaluated and adjusted."""

import datetime as dt

import pytest
import test_plan_lifecycle_world as world

from regionlink.audit.models import AuditEvent
from regionlink.plans import law, lifecycle
from regionlink.plans.errors import TransitionRefused
from regionlink.plans.law import Rule
from regionlink.plans.models import DocumentType, Stage, VersionKind


@pytest.fixture
def people(reference_organisations):
    return world.build_people()


@pytest.fixture
def plan(people):
    return world.provincial_plan(people.lamdong_editor)


def test_lam_dong_walks_its_plan_from_outline_to_implementation(people, plan):
    world.walk(people.lamdong_editor, people.lamdong_approver, plan, Stage.IMPLEMENTATION)

    plan.refresh_from_db()
    assert plan.stage == Stage.IMPLEMENTATION
    assert plan.is_public
    assert plan.formulation_started_on == world.DAYS[Stage.FORMULATION]
    assert plan.draft_posted_on == world.DAYS[Stage.CONSULTATION]
    version = plan.current_version()
    assert (version.decision_number, version.signer) == ("1234/QĐ-TTg", world.DECISION["signer"])
    assert version.published_on == dt.date(2026, 7, 5)
    steps = list(plan.stage_events.values_list("to_stage", flat=True))
    assert steps == [Stage.OUTLINE, *world.DAYS]
    consultation_event = plan.stage_events.get(to_stage=Stage.CONSULTATION)
    assert consultation_event.legal_basis == str(
        law.cite(Rule.CONSULTATION, on=dt.date(2026, 4, 1))
    )
    assert AuditEvent.objects.filter(action="plans.advance", object_id=str(plan.pk)).count() == 6


def test_only_the_next_stages_are_offered(people, plan):
    assert lifecycle.allowed_next(plan) == [Stage.FORMULATION]
    world.walk(people.lamdong_editor, people.lamdong_approver, plan, Stage.IMPLEMENTATION)
    assert lifecycle.allowed_next(plan) == [Stage.EVALUATION]


def test_skipping_a_stage_is_refused_and_names_the_next_step(people, plan):
    world.upload(people.lamdong_editor, plan, DocumentType.DRAFT, is_public=True)
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.advance(
            actor=people.lamdong_editor,
            plan=plan,
            to_stage=Stage.CONSULTATION,
            on=dt.date(2026, 4, 1),
        )
    assert refused.value.code == "transition_not_allowed"
    assert "Lập quy hoạch" in refused.value.missing[0].message
    plan.refresh_from_db()
    assert plan.stage == Stage.OUTLINE


def test_evaluation_then_back_to_implementation(people, plan):
    world.walk(people.lamdong_editor, people.lamdong_approver, plan, Stage.IMPLEMENTATION)
    today = max(dt.date.today(), dt.date(2026, 7, 10))
    world.upload(people.lamdong_editor, plan, DocumentType.EVALUATION_REPORT)
    lifecycle.advance(actor=people.lamdong_editor, plan=plan, to_stage=Stage.EVALUATION, on=today)
    lifecycle.advance(
        actor=people.lamdong_editor, plan=plan, to_stage=Stage.IMPLEMENTATION, on=today
    )
    assert plan.stage == Stage.IMPLEMENTATION


def test_an_adjustment_is_version_2_with_its_reasons_and_runs_the_steps_again(people, plan):
    editor, approver = people.lamdong_editor, people.lamdong_approver
    world.walk(editor, approver, plan, Stage.IMPLEMENTATION)
    lifecycle.advance(
        actor=editor, plan=plan, to_stage=Stage.EVALUATION, on=dt.date(2026, 7, 20),
        note="Đánh giá đột xuất sau sắp xếp đơn vị hành chính",
    )  # fmt: skip
    reasons = "Sắp xếp đơn vị hành chính cấp tỉnh theo Nghị quyết 202/2025/QH15"
    version = lifecycle.start_adjustment(
        actor=editor, plan=plan, reasons=reasons, on=dt.date(2026, 8, 1)
    )

    assert (version.number, version.kind, version.reasons) == (2, VersionKind.ADJUSTMENT, reasons)
    assert plan.current_version() == version
    assert plan.stage == Stage.ADJUSTMENT and plan.draft_posted_on is None
    assert lifecycle.allowed_next(plan) == [Stage.FORMULATION]
    # The adjusted draft is a new document of version 2: the old draft does not count.
    lifecycle.advance(actor=editor, plan=plan, to_stage=Stage.FORMULATION, on=dt.date(2026, 8, 2))
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.advance(
            actor=editor, plan=plan, to_stage=Stage.CONSULTATION, on=dt.date(2026, 8, 3)
        )
    assert [m.code for m in refused.value.missing] == ["draft_posted"]
    days = {
        Stage.CONSULTATION: dt.date(2026, 8, 3),
        Stage.APPRAISAL: dt.date(2026, 9, 3),
        Stage.APPROVAL: dt.date(2026, 9, 10),
        Stage.PUBLICATION: dt.date(2026, 9, 20),
    }
    world.walk(editor, approver, plan, Stage.PUBLICATION, days=days)
    assert plan.stage == Stage.PUBLICATION
    assert plan.stage_events.filter(version=version).count() == 6
    assert AuditEvent.objects.filter(action="plans.start_adjustment").get().after["version"] == 2


def test_an_adjustment_needs_its_reasons(people, plan):
    world.walk(people.lamdong_editor, people.lamdong_approver, plan, Stage.IMPLEMENTATION)
    lifecycle.advance(
        actor=people.lamdong_editor, plan=plan, to_stage=Stage.EVALUATION,
        on=dt.date(2026, 7, 20), note="Đánh giá giữa kỳ",
    )  # fmt: skip
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.start_adjustment(
            actor=people.lamdong_editor, plan=plan, reasons="  ", on=dt.date(2026, 8, 1)
        )
    assert refused.value.missing[0].code == "adjustment_reasons"
    assert plan.versions.count() == 1

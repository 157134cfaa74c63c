"""A provincial editor manages only that province's plans; approval steps need an approver;
a viewer writes nothing."""

import datetime as dt

import pytest
import test_plan_lifecycle_world as world
from django.core.exceptions import PermissionDenied

from regionlink.audit.models import AuditEvent
from regionlink.plans import consultation, lifecycle
from regionlink.plans.models import DocumentType, Stage


@pytest.fixture
def people(reference_organisations):
    return world.build_people()


@pytest.fixture
def hanoi_plan(people):
    return world.provincial_plan(people.hanoi_editor, code="01", name="Quy hoạch Thủ đô")


def test_lam_dongs_editor_is_refused_on_ha_nois_plan_with_the_reason(people, hanoi_plan):
    world.upload(people.hanoi_editor, hanoi_plan, DocumentType.OUTLINE)
    audit_count = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied) as refused:
        lifecycle.advance(
            actor=people.lamdong_editor, plan=hanoi_plan, to_stage=Stage.FORMULATION,
            on=dt.date(2026, 3, 2),
        )  # fmt: skip
    message = str(refused.value)
    assert "chỉnh sửa" in message and "Quy hoạch Thủ đô" in message
    assert "Ủy ban nhân dân thành phố Hà Nội" in message
    with pytest.raises(PermissionDenied):
        world.upload(people.lamdong_editor, hanoi_plan, DocumentType.DRAFT)
    with pytest.raises(PermissionDenied):
        consultation.request_opinion(
            actor=people.lamdong_editor, plan=hanoi_plan, name="Sở Tài chính",
            requested_on=dt.date(2026, 4, 1),
        )  # fmt: skip
    hanoi_plan.refresh_from_db()
    assert hanoi_plan.stage == Stage.OUTLINE
    assert AuditEvent.objects.count() == audit_count


def test_a_viewer_of_lam_dong_cannot_write(people):
    plan = world.provincial_plan(people.lamdong_editor)
    viewer = people.lamdong_viewer
    with pytest.raises(PermissionDenied, match="chỉnh sửa"):
        world.upload(viewer, plan, DocumentType.OUTLINE)
    with pytest.raises(PermissionDenied):
        lifecycle.advance(
            actor=viewer, plan=plan, to_stage=Stage.FORMULATION, on=dt.date(2026, 3, 2)
        )
    with pytest.raises(PermissionDenied):
        consultation.add_comment(
            actor=viewer, plan=plan, author="Người dân", received_on=dt.date(2026, 4, 2),
            text="Góp ý",
        )  # fmt: skip
    assert plan.documents.count() == 0


def test_an_editor_cannot_submit_for_approval_or_publish(people):
    plan = world.provincial_plan(people.lamdong_editor)
    world.walk(people.lamdong_editor, people.lamdong_approver, plan, Stage.APPRAISAL)
    world.prepare(people.lamdong_editor, plan, Stage.APPROVAL)
    with pytest.raises(PermissionDenied, match="phê duyệt"):
        lifecycle.advance(
            actor=people.lamdong_editor, plan=plan, to_stage=Stage.APPROVAL,
            on=world.DAYS[Stage.APPROVAL],
        )  # fmt: skip
    lifecycle.advance(
        actor=people.lamdong_approver, plan=plan, to_stage=Stage.APPROVAL,
        on=world.DAYS[Stage.APPROVAL],
    )  # fmt: skip
    assert plan.stage == Stage.APPROVAL

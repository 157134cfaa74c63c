"""Consultation: adjacent provinces are asked, comments are recorded and each is answered."""

import datetime as dt

import pytest
import test_plan_lifecycle_world as world

from regionlink.audit.models import AuditEvent
from regionlink.geography.models import Region
from regionlink.organisations.models import Organisation
from regionlink.plans import consultation, services
from regionlink.plans.errors import PlanError
from regionlink.plans.law import PlanLevel
from regionlink.plans.models import ResponseKind, Stage


@pytest.fixture
def people(reference_organisations):
    return world.build_people()


@pytest.fixture
def plan(people):
    plan = world.provincial_plan(people.lamdong_editor)
    return world.walk(people.lamdong_editor, people.lamdong_approver, plan, Stage.CONSULTATION)


def short_names(units):
    return {u.short_name for u in units}


def test_lam_dongs_neighbours_on_the_34_province_map(plan):
    found = short_names(consultation.adjacent_provinces(plan, on=dt.date(2026, 4, 1)))
    assert found == {"Khánh Hòa", "Đắk Lắk", "Đồng Nai", "Hồ Chí Minh"}


def test_a_plan_of_a_merged_province_is_consulted_on_its_own_map(people):
    old = world.province("68", on=dt.date(2024, 1, 1))
    plan = world.provincial_plan(people.lamdong_editor, code="68", province=old)
    found = short_names(consultation.adjacent_provinces(plan, on=dt.date(2026, 4, 1)))
    assert {"Đắk Nông", "Bình Thuận", "Ninh Thuận"} <= found


def test_a_regional_plan_is_sent_to_the_provinces_around_the_region(system_admin):
    region = Region.objects.valid_on(dt.date(2026, 1, 1)).get(name__icontains="Tây Nguyên")
    plan = services.create_plan(
        actor=system_admin, code="qh-vung-tn", name="Quy hoạch vùng Tây Nguyên",
        level=PlanLevel.REGIONAL, region=region, period_start=2021, period_end=2030,
        organising_body=Organisation.objects.get(code="bo-tai-chinh"),
    )  # fmt: skip
    found = consultation.adjacent_provinces(plan, on=dt.date(2026, 4, 1))
    members = set(region.memberships.values_list("unit_id", flat=True))
    assert found and not members & {u.pk for u in found}


def test_a_comment_is_recorded_then_accepted_with_its_text(people, plan):
    editor = people.lamdong_editor
    body = consultation.request_opinion(
        actor=editor, plan=plan, name="", province=world.province("56"),
        requested_on=dt.date(2026, 4, 2),
    )  # fmt: skip
    assert body.name == world.province("56").name
    consultation.record_reply(actor=editor, body=body, replied_on=dt.date(2026, 4, 20))
    comment = consultation.add_comment(
        actor=editor, plan=plan, author=body.name, received_on=dt.date(2026, 4, 20),
        text="Đề nghị thống nhất hướng tuyến cao tốc Nha Trang – Đà Lạt.", consulted_body=body,
    )  # fmt: skip
    assert comment.response_kind == ResponseKind.PENDING
    consultation.respond(
        actor=editor, comment=comment, kind=ResponseKind.ACCEPTED,
        text="Đã cập nhật hướng tuyến trong phương án giao thông.",
    )  # fmt: skip
    comment.refresh_from_db()
    assert (comment.response_kind, comment.responded_by) == (ResponseKind.ACCEPTED, editor)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"plans.request_opinion", "plans.record_reply", "plans.add_comment"} <= actions
    assert "plans.respond" in actions


def test_a_response_needs_its_kind_and_its_text(people, plan):
    editor = people.lamdong_editor
    comment = consultation.add_comment(
        actor=editor, plan=plan, author="Hiệp hội Du lịch Đà Lạt",
        received_on=dt.date(2026, 4, 5), text="Giữ hành lang xanh quanh hồ Xuân Hương.",
    )  # fmt: skip
    with pytest.raises(PlanError) as refused:
        consultation.respond(actor=editor, comment=comment, kind="explained", text=" ")
    assert (refused.value.code, refused.value.field) == ("response_text_required", "text")
    with pytest.raises(PlanError) as refused:
        consultation.respond(actor=editor, comment=comment, kind="pending", text="Xem xét")
    assert refused.value.field == "kind"
    comment.refresh_from_db()
    assert comment.response_kind == ResponseKind.PENDING


def test_a_reply_cannot_come_before_the_request(people, plan):
    body = consultation.request_opinion(
        actor=people.lamdong_editor, plan=plan, name="Sở Tài chính",
        requested_on=dt.date(2026, 4, 2),
    )  # fmt: skip
    with pytest.raises(PlanError) as refused:
        consultation.record_reply(
            actor=people.lamdong_editor, body=body, replied_on=dt.date(2026, 4, 1)
        )
    assert refused.value.code == "date_order"

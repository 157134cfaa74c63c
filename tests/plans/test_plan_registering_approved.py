"""A plan approved before the registry existed is registered where it stands, with its
approving decision, in one step: the Lâm Đồng approver may, the editor may not, and a refusal
leaves no plan behind (registration.register_approved_plan, the "new plan" page)."""

import datetime as dt

import pytest
import test_plan_lifecycle_world as world
from django.core.exceptions import PermissionDenied

from regionlink.audit.models import AuditEvent
from regionlink.organisations.models import Organisation
from regionlink.plans.errors import PlanError
from regionlink.plans.law import PlanLevel
from regionlink.plans.models import Plan, Stage
from regionlink.plans.registration import register_approved_plan

CODE = "qh-tinh-lam-dong-da-duyet"
DECISION = {
    "decision_number": "1727/QĐ-TTg",
    "decision_date": dt.date(2024, 12, 29),
    "signer": "Phó Thủ tướng Trần Hồng Hà",
}


@pytest.fixture
def people(reference_organisations):
    return world.build_people()


def plan_fields(**extra) -> dict:
    return {
        "code": CODE,
        "name": "Quy hoạch tỉnh Lâm Đồng thời kỳ 2021–2030",
        "level": PlanLevel.PROVINCIAL,
        "period_start": 2021,
        "period_end": 2030,
        "vision_year": 2050,
        "organising_body": Organisation.objects.get(code="ubnd-68"),
        "province": world.province("68"),
        **extra,
    }


def form_data(**extra) -> dict:
    fields = plan_fields()
    data = {
        **{k: v for k, v in fields.items() if k not in ("organising_body", "province")},
        "organising_body": fields["organising_body"].pk,
        "province": fields["province"].pk,
        "stage": "implementation",
        "decision_number": DECISION["decision_number"],
        "decision_date": "29/12/2024",
        "signer": DECISION["signer"],
    }
    return {**data, **extra}


# --- The service -----------------------------------------------------------------------------


def test_the_approver_registers_an_implemented_plan_with_its_decision(people):
    plan = register_approved_plan(
        actor=people.lamdong_approver, stage=Stage.IMPLEMENTATION, **DECISION, **plan_fields()
    )

    assert plan.stage == Stage.IMPLEMENTATION and plan.is_public
    version = plan.current_version()
    assert (version.number, version.decision_number) == (1, "1727/QĐ-TTg")
    assert version.decision_date == dt.date(2024, 12, 29)
    actions = set(AuditEvent.objects.filter(actor=people.lamdong_approver).values_list("action"))
    assert {("plans.create",), ("plans.record_decision",)} <= actions


def test_a_new_plan_is_registered_at_the_outline_without_a_decision(people):
    plan = register_approved_plan(actor=people.lamdong_editor, **plan_fields())

    assert plan.stage == Stage.OUTLINE
    assert plan.current_version().decision_number == ""


def test_the_editor_may_not_record_the_decision_and_no_plan_is_left(people):
    with pytest.raises(PermissionDenied):
        register_approved_plan(
            actor=people.lamdong_editor, stage=Stage.IMPLEMENTATION, **DECISION, **plan_fields()
        )

    assert not Plan.objects.filter(code=CODE).exists()


@pytest.mark.parametrize(
    ("stage", "decision", "field"),
    [
        (Stage.IMPLEMENTATION, {**DECISION, "signer": ""}, "signer"),
        (Stage.PUBLICATION, {}, "decision_number"),
        (Stage.FORMULATION, {"decision_number": "12/QĐ-UBND"}, "decision_number"),
        (Stage.EVALUATION, DECISION, "stage"),
        (Stage.IMPLEMENTATION, {**DECISION, "decision_date": dt.date(2099, 1, 1)}, "decision_date"),
    ],
)
def test_a_refused_registration_names_the_field_and_writes_nothing(people, stage, decision, field):
    audit_rows = AuditEvent.objects.count()

    with pytest.raises(PlanError) as refused:
        register_approved_plan(
            actor=people.lamdong_approver, stage=stage, **decision, **plan_fields()
        )

    assert refused.value.field == field
    assert not Plan.objects.filter(code=CODE).exists()
    assert AuditEvent.objects.count() == audit_rows


def test_a_plan_awaiting_approval_may_be_registered_without_its_decision(people):
    plan = register_approved_plan(
        actor=people.lamdong_editor, stage=Stage.APPROVAL, **plan_fields()
    )

    assert plan.stage == Stage.APPROVAL


# --- The "new plan" page ---------------------------------------------------------------------


def test_the_new_plan_form_offers_the_stage_up_to_implementation(client, people):
    client.force_login(people.lamdong_editor)

    html = client.get("/plans/new/").content.decode()

    assert 'name="stage"' in html and 'name="decision_number"' in html
    assert 'value="implementation"' in html and 'value="evaluation"' not in html
    assert 'value="outline" selected' in html


def test_the_approver_registers_an_approved_plan_through_the_form(client, people):
    client.force_login(people.lamdong_approver)

    response = client.post("/plans/new/", form_data())

    assert response.status_code == 302
    plan = Plan.objects.get(code=CODE)
    assert plan.stage == Stage.IMPLEMENTATION
    html = client.get(response.url).content.decode()
    assert "1727/QĐ-TTg" in html and "29/12/2024" in html


def test_a_missing_signer_is_shown_next_to_its_field_and_nothing_is_written(client, people):
    client.force_login(people.lamdong_approver)

    response = client.post("/plans/new/", form_data(signer=""))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_signer_error1"' in html and "người ký" in html
    assert not Plan.objects.filter(code=CODE).exists()


def test_a_decision_at_the_outline_is_refused_next_to_the_decision_number(client, people):
    client.force_login(people.lamdong_editor)

    response = client.post("/plans/new/", form_data(stage="outline", signer="", decision_date=""))

    assert response.status_code == 200
    assert 'id="id_decision_number_error1"' in response.content.decode()
    assert not Plan.objects.filter(code=CODE).exists()


def test_the_editor_is_refused_the_decision_with_the_reason_and_no_plan_is_left(client, people):
    client.force_login(people.lamdong_editor)

    response = client.post("/plans/new/", form_data())

    assert response.status_code == 403
    assert "Phê duyệt" in response.content.decode()
    assert not Plan.objects.filter(code=CODE).exists()

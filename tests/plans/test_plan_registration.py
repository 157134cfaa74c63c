"""A plan approved before the registry existed is registered with its approval decision."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from test_plan_lifecycle_world import build_people, provincial_plan

from regionlink.audit.models import AuditEvent
from regionlink.plans.errors import PlanError
from regionlink.plans.models import VersionKind
from regionlink.plans.registration import record_decision

DECISION = {
    "number": 1,
    "kind": VersionKind.ORIGINAL,
    "decision_number": "1727/QĐ-TTg",
    "decision_date": dt.date(2024, 12, 29),
    "signer": "Phó Thủ tướng Trần Hồng Hà",
}


@pytest.fixture
def people(reference_organisations):
    return build_people()


@pytest.fixture
def plan(people):
    return provincial_plan(people.lamdong_editor)


def test_an_approver_records_the_decision_once(people, plan):
    version, outcome = record_decision(actor=people.lamdong_approver, plan=plan, **DECISION)
    assert outcome == "updated"
    assert version.decision_number == "1727/QĐ-TTg"
    assert version.signer == "Phó Thủ tướng Trần Hồng Hà"
    events = AuditEvent.objects.filter(action="plans.record_decision").count()
    assert record_decision(actor=people.lamdong_approver, plan=plan, **DECISION)[1] == "unchanged"
    assert AuditEvent.objects.filter(action="plans.record_decision").count() == events


def test_an_editor_may_not_record_a_decision(people, plan):
    with pytest.raises(PermissionDenied):
        record_decision(actor=people.lamdong_editor, plan=plan, **DECISION)
    plan.refresh_from_db()
    assert plan.current_version().decision_number == ""


def test_a_decision_in_the_future_is_refused_naming_the_field(people, plan):
    future = {**DECISION, "decision_date": dt.date(2099, 1, 1)}
    with pytest.raises(PlanError) as refused:
        record_decision(actor=people.lamdong_approver, plan=plan, **future)
    assert refused.value.field == "decision_date"
    assert "01/01/2099" in refused.value.message


def test_a_later_version_is_an_adjustment(people, plan):
    wrong = {**DECISION, "number": 2}
    with pytest.raises(PlanError) as refused:
        record_decision(actor=people.lamdong_approver, plan=plan, **wrong)
    assert refused.value.field == "kind"
    adjustment = {**wrong, "kind": VersionKind.ADJUSTMENT, "reasons": "Sắp xếp đơn vị hành chính"}
    version, outcome = record_decision(actor=people.lamdong_approver, plan=plan, **adjustment)
    assert (version.number, outcome) == (2, "created")
    assert plan.current_version() == version

"""The approving decision of the current version is recorded or corrected on the plan page
by the organising body's approver (registration.record_decision); an editor is refused."""

import datetime as dt

import pytest
import test_plan_lifecycle_world as world

from regionlink.audit.models import AuditEvent
from regionlink.plans.models import Stage


@pytest.fixture
def people(reference_organisations):
    return world.build_people()


@pytest.fixture
def plan(people):
    """Lâm Đồng's plan, registered already being implemented but without its decision."""
    return world.provincial_plan(world.FIXTURE, stage=Stage.IMPLEMENTATION)


DECISION = {
    "decision_number": "1727/QĐ-TTg",
    "decision_date": "29/12/2024",
    "signer": "Phó Thủ tướng Trần Hồng Hà",
}


def url(plan) -> str:
    return f"/plans/{plan.code}/decision/"


def test_only_the_approver_is_offered_the_decision_form(client, people, plan):
    client.force_login(people.lamdong_editor)
    assert url(plan) not in client.get(f"/plans/{plan.code}/").content.decode()
    client.force_login(people.lamdong_approver)
    assert url(plan) in client.get(f"/plans/{plan.code}/").content.decode()


def test_the_approver_records_the_decision_and_corrects_it(client, people, plan):
    client.force_login(people.lamdong_approver)

    first = client.post(url(plan), DECISION)
    corrected = client.post(url(plan), {**DECISION, "decision_number": "1727/QĐ-TTg (sửa)"})

    assert first.status_code == 302 and corrected.status_code == 302
    version = plan.current_version()
    assert version.decision_number == "1727/QĐ-TTg (sửa)"
    assert version.decision_date == dt.date(2024, 12, 29)
    assert AuditEvent.objects.filter(action="plans.record_decision").count() == 2
    assert "1727/QĐ-TTg (sửa)" in client.get(f"/plans/{plan.code}/").content.decode()


def test_the_editor_is_refused_with_the_reason_and_nothing_changes(client, people, plan):
    client.force_login(people.lamdong_editor)

    response = client.post(url(plan), DECISION)

    assert response.status_code == 403
    assert "phê duyệt" in response.content.decode()
    assert plan.current_version().decision_number == ""


def test_another_province_is_refused_and_a_viewer_too(client, people, plan):
    for someone in (people.hanoi_editor, people.lamdong_viewer):
        client.force_login(someone)
        assert client.post(url(plan), DECISION).status_code == 403
    assert plan.current_version().decision_number == ""


def test_a_decision_in_the_future_is_shown_next_to_its_date(client, people, plan):
    client.force_login(people.lamdong_approver)

    response = client.post(url(plan), {**DECISION, "decision_date": "01/01/2099"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_decision_date_error1"' in html and "01/01/2099" in html
    assert plan.current_version().decision_number == ""

"""A person accepts or dismisses a finding with a reason; the explanation reads in the page's
language with Vietnamese numbers."""

from __future__ import annotations

import pytest
import test_plan_review_world as world
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from regionlink.audit.models import AuditEvent
from regionlink.organisations.models import Role
from regionlink.plans import findings
from regionlink.plans.models import Finding
from regionlink.plans.review import run_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def conflict(reference_organisations):
    _nation, region, provinces = world.delta()
    world.target(region, "INDUSTRIAL_PARK_AREA", 10000, "le")
    world.target(provinces["01"], "INDUSTRIAL_PARK_AREA", 6000, "le")
    world.target(provinces["22"], "INDUSTRIAL_PARK_AREA", 7001, "le")
    run_review(as_of=world.AS_OF, actor=world.FIXTURE)
    return Finding.objects.get(kind="target_conflict")


def test_an_approver_of_an_organising_body_accepts_with_a_reason(conflict):
    approver = world.person("hn.pheduyet", "ubnd-01", Role.APPROVER)
    assert findings.can_decide(approver, conflict)
    findings.decide(actor=approver, finding=conflict, status="accepted", reason="Sẽ điều chỉnh.")
    conflict.refresh_from_db()
    assert (conflict.status, conflict.decided_by) == ("accepted", approver)
    event = AuditEvent.objects.get(action="plans.finding_decide")
    assert event.after == {"status": "accepted", "reason": "Sẽ điều chỉnh."}


def test_a_reason_is_required_and_the_status_must_be_a_decision(conflict):
    approver = world.person("qh.pheduyet", world.PLANNING, Role.APPROVER)
    with pytest.raises(ValidationError):
        findings.decide(actor=approver, finding=conflict, status="dismissed", reason="  ")
    with pytest.raises(ValidationError):
        findings.decide(actor=approver, finding=conflict, status="open", reason="x")
    conflict.refresh_from_db()
    assert conflict.status == "open"


def test_an_editor_or_an_unrelated_province_may_not_decide(conflict):
    editor = world.person("hn.bientap", "ubnd-01", Role.EDITOR)
    stranger = world.person("hue.pheduyet", "ubnd-46", Role.APPROVER)
    for person in (editor, stranger):
        assert not findings.can_decide(person, conflict)
        with pytest.raises(PermissionDenied):
            findings.decide(actor=person, finding=conflict, status="dismissed", reason="Không.")


def test_the_explanation_names_the_figures_in_vietnamese(conflict):
    with translation.override("vi"):
        text = findings.explanation(conflict)
    assert "13.001 ha" in text and "≤ 10.000" in text and "vượt" in text
    assert "Chưa có chỉ tiêu của" in text


DELTA = ("01", "22", "26", "27", "30", "31", "33", "34", "35", "36", "37")


@pytest.fixture
def urbanisation_short(reference_organisations):
    """The delta's provinces promise too little urbanisation, weighted by their population."""
    population = dict.fromkeys(DELTA, 1000)
    _nation, region, provinces = world.delta(population=population)
    world.target(region, "URBANISATION_RATE", 55, "ge")
    for code in DELTA:
        world.target(provinces[code], "URBANISATION_RATE", 40, "ge")
    run_review(as_of=world.AS_OF, actor=world.FIXTURE)
    return Finding.objects.get(message_code="weighted_below")


def test_a_weighted_mean_names_its_weight_not_the_indicator_code(urbanisation_short):
    with translation.override("vi"):
        [text] = findings.explanations([urbanisation_short]).values()
    assert "bình quân gia quyền theo dân số trung bình" in text
    assert "POP_AVG" not in text


def test_a_page_of_findings_looks_the_indicator_names_up_once(
    urbanisation_short, django_assert_num_queries
):
    page = list(Finding.objects.filter(is_current=True)) * 5
    with django_assert_num_queries(1):
        findings.explanations(page)

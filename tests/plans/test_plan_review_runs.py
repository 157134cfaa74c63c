"""The same inputs give the same findings; running again keeps people's decisions; a finding no
longer produced stays on record as not current; the review also runs as a background task."""

from __future__ import annotations

import datetime as dt

import pytest
import test_plan_review_world as world
from django.core.exceptions import PermissionDenied

from regionlink.audit.models import AuditEvent
from regionlink.organisations.models import Role
from regionlink.plans import findings
from regionlink.plans.models import Finding, ReviewStatus
from regionlink.plans.review import compute_findings, run_review, start_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(reference_organisations):
    nation, region, provinces = world.delta(population={"01": 9500})
    world.target(region, "INDUSTRIAL_PARK_AREA", 10000, "le")
    world.target(provinces["01"], "INDUSTRIAL_PARK_AREA", 6000, "le")
    world.target(provinces["22"], "INDUSTRIAL_PARK_AREA", 7000, "le")
    unlinked = world.provincial_plan("38", on=dt.date(2026, 1, 1))  # Thanh Hóa, no link
    return nation, region, provinces, unlinked


def test_the_same_inputs_give_identical_findings(registry):
    first = compute_findings(as_of=world.AS_OF)
    second = compute_findings(as_of=world.AS_OF)
    assert [f.as_dict() for f in first] == [f.as_dict() for f in second]
    assert first == sorted(first, key=lambda f: f.sort_key)
    assert {f.kind for f in first} == {"missing_link", "target_conflict", "territory_drift"}


def test_each_finding_cites_the_law_in_force_on_the_review_date(registry):
    for finding in compute_findings(as_of=world.AS_OF_2017):
        assert "Điều" in finding.legal_basis and "21/2017/QH14" in finding.legal_basis
        assert "112/2025/QH15" not in finding.legal_basis
    for finding in compute_findings(as_of=world.AS_OF):
        assert "Điều" in finding.legal_basis and "112/2025/QH15" in finding.legal_basis


def test_running_twice_adds_nothing_and_keeps_decisions(registry):
    run = run_review(as_of=world.AS_OF, actor=world.FIXTURE)
    assert run.status == ReviewStatus.DONE and run.progress == 100
    assert run.findings_count == Finding.objects.count() > 0
    conflict = Finding.objects.get(kind="target_conflict")
    assert conflict.plans.count() == 3 and conflict.targets.count() == 3
    approver = world.person("qh.pheduyet", world.PLANNING, Role.APPROVER)
    findings.decide(actor=approver, finding=conflict, status="dismissed", reason="Đã điều chỉnh.")
    again = run_review(as_of=world.AS_OF, actor=world.FIXTURE)
    assert again.input_digest == run.input_digest
    assert Finding.objects.count() == run.findings_count
    conflict.refresh_from_db()
    assert (conflict.status, conflict.first_run, conflict.last_run) == ("dismissed", run, again)
    assert AuditEvent.objects.filter(action="plans.review_run").count() == 2


def test_a_finding_no_longer_produced_is_kept_but_not_current(registry):
    nation, _region, _provinces, unlinked = registry
    run_review(as_of=world.AS_OF, actor=world.FIXTURE)
    missing = Finding.objects.get(message_code="missing_link")
    assert missing.params["higher"] == nation.code
    world.link(unlinked, nation)
    later = run_review(as_of=world.AS_OF, actor=world.FIXTURE)
    missing.refresh_from_db()
    assert missing.is_current is False and missing.last_run != later
    assert later.input_digest != missing.last_run.input_digest


def test_a_regional_review_keeps_to_the_region(registry):
    from regionlink.geography.models import Region

    run = run_review(region=Region.objects.get(code="DBSH"), as_of=world.AS_OF, actor=world.FIXTURE)
    codes = set(Finding.objects.filter(last_run=run).values_list("plans__code", flat=True))
    assert "tinh-38-2026" not in codes and "vung-dbsh" in codes


def test_the_background_review_reports_its_run(registry):
    officer = world.person("qh.bientap", world.PLANNING, Role.EDITOR)
    run = start_review(actor=officer)
    assert run.task_id and run.status == ReviewStatus.DONE and run.findings_count > 0
    assert AuditEvent.objects.filter(action="plans.review_start", actor=officer).exists()


def test_a_province_editor_may_not_review_the_country(registry):
    editor = world.person("hn.bientap", "ubnd-01", Role.EDITOR)
    with pytest.raises(PermissionDenied):
        start_review(actor=editor)
    with pytest.raises(PermissionDenied):
        run_review(as_of=world.AS_OF, actor=editor)

"""`regionlink setup [--demo]` prepares the database and can run again safely."""

import io

import pytest
from django.core.management import call_command

from regionlink.audit.models import AuditEvent
from regionlink.organisations.models import Membership, Organisation, User

pytestmark = pytest.mark.django_db


def run_setup(*args) -> str:
    out = io.StringIO()
    call_command("setup", *args, stdout=out)
    return out.getvalue()


def test_setup_loads_the_reference_organisations_without_demo_accounts():
    output = run_setup()
    assert "Hoàn tất" in output
    assert Organisation.objects.filter(kind="peoples_committee").count() == 34
    assert Organisation.objects.filter(code="btc-vu-quan-ly-quy-hoach").exists()
    assert not User.objects.exists()


def test_setup_with_demo_prints_every_demo_account_and_its_password():
    output = run_setup("--demo")
    for username in ("quantri", "qlqh.pheduyet", "qlqh.bientap", "vien.xem", "lamdong.bientap"):
        assert username in output
    assert "lienketvung-2026" in output
    assert User.objects.get(username="quantri").is_superuser
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"viewer", "editor", "approver", "org_admin"}


def test_demo_organisations_are_marked_as_illustrative():
    run_setup("--demo")
    businesses = Organisation.objects.filter(kind="business")
    assert businesses.count() == 2
    assert all(b.is_demo and "minh họa" in b.name for b in businesses)


def test_running_setup_twice_changes_nothing_the_second_time():
    run_setup("--demo")
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    events = AuditEvent.objects.count()
    output = run_setup("--demo")
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == counts
    assert AuditEvent.objects.count() == events
    assert "0 mới, 0 cập nhật" in output

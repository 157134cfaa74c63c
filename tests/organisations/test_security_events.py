"""Password changes and sign-ins are written to the audit trail, never the password itself."""

import pytest

from regionlink.audit.models import AuditEvent
from regionlink.organisations.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def official():
    return User.objects.create_user("canbo.tinh", password="mat-khau-cu-2026", email="c@x.vn")


def test_a_password_change_is_recorded_without_the_hash(client, official):
    client.force_login(official)
    client.post(
        "/accounts/password/change/",
        {
            "old_password": "mat-khau-cu-2026",
            "new_password1": "mat-khau-moi-rat-dai-2026",
            "new_password2": "mat-khau-moi-rat-dai-2026",
        },
    )
    event = AuditEvent.objects.get(action="user.password_change")
    assert event.actor == official
    assert event.after == {"password": "changed"}
    assert "pbkdf2" not in str(event.after) and "md5" not in str(event.after)


def test_saving_a_user_without_touching_the_password_records_no_password_change(official):
    official.full_name = "Nguyễn Văn Tỉnh"
    official.save()
    assert not AuditEvent.objects.filter(action="user.password_change").exists()


def test_signing_in_and_out_is_recorded_with_the_address(client, official):
    client.post("/accounts/login/", {"username": "canbo.tinh", "password": "mat-khau-cu-2026"})
    client.post("/accounts/logout/")
    actions = list(AuditEvent.objects.filter(actor=official).values_list("action", "ip_address"))
    assert ("auth.login", "127.0.0.1") in actions
    assert ("auth.logout", "127.0.0.1") in actions

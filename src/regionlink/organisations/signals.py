"""Security events in the audit trail: password changes (any route) and sign-ins/outs."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import pre_save

from regionlink.audit import services as audit
from regionlink.organisations.models import User


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def record_password_change(sender, instance: User, update_fields=None, **kwargs) -> None:
    """Record that a password changed, never the hash, whatever view or command changed it."""
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        audit.record(
            actor=instance,
            action="user.password_change",
            obj=instance,
            after={"password": "changed"},
        )


def record_login(sender, request, user, **kwargs) -> None:
    audit.record(actor=user, action="auth.login", obj=user, ip_address=_client_ip(request))


def record_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit.record(actor=user, action="auth.logout", obj=user, ip_address=_client_ip(request))


def connect() -> None:
    pre_save.connect(record_password_change, sender=User, dispatch_uid="rl_password_change")
    user_logged_in.connect(record_login, dispatch_uid="rl_login")
    user_logged_out.connect(record_logout, dispatch_uid="rl_logout")

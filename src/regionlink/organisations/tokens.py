"""Personal API tokens: created and revoked through services, checked by the API auth."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from regionlink.audit import services as audit
from regionlink.core.api import SignedInSessionAuth
from regionlink.organisations.models import ApiToken, User

TOKEN_PREFIX = "rl_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(*, user: User, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """Create a token for ``user``; return it with the secret, which is never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100] or "API",
        prefix=secret[:10],
        key_hash=_digest(secret),
        expires_at=expires_at,
    )
    audit.record(
        actor=user,
        action="api_token.create",
        obj=token,
        after={"name": token.name, "prefix": token.prefix, "expires_at": expires_at},
    )
    return token, secret


@transaction.atomic
def revoke_token(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token now; a revoked token never authenticates again."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="api_token.revoke",
            obj=token,
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at},
        )
    return token


def user_for_secret(secret: str) -> User | None:
    """The active user a presented secret belongs to, or None."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_secret(token)
        if user is None:
            # A presented but unknown, expired or revoked token is refused outright, even on
            # public reads: the caller meant to authenticate and must learn that it failed.
            raise AuthenticationError()
        request.user = user
        return user


# Routes that need a person: a valid token, or a signed-in session with its CSRF token.
SIGNED_IN = [BearerTokenAuth(), SignedInSessionAuth()]

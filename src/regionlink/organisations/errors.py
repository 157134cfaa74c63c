"""Error codes of the organisations app, each with a message a person can act on."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError


class OrganisationErrorCode(StrEnum):
    UNKNOWN_FIELD = "unknown_field"
    DUPLICATE_CODE = "duplicate_code"
    UNKNOWN_PARENT = "unknown_parent"
    PARENT_CYCLE = "parent_cycle"
    ROLE_TOO_HIGH = "role_too_high"
    ALREADY_MEMBER = "already_member"
    LAST_ADMIN = "last_admin"
    DUPLICATE_USERNAME = "duplicate_username"
    UNKNOWN_TERRITORY = "unknown_territory"


def invalid(code: OrganisationErrorCode, message: str, field: str | None = None) -> ValidationError:
    error = ValidationError({field: [message]} if field else message, code=str(code))
    error.error_code = str(code)
    return error

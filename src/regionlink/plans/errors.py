"""Error codes of the plans app, each with a Vietnamese message naming the field and the fix.

Pages and the API show ``message``; ``code`` and ``field`` let them attach it to a form field
or a JSON error. A refused lifecycle step lists every missing precondition with its legal
basis, so the person can gather everything at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PlanErrorCode(StrEnum):
    # Registry (services.create_plan / update_plan)
    UNKNOWN_FIELD = "unknown_field"
    DUPLICATE_CODE = "duplicate_code"
    LEVEL_NOT_IN_FORCE = "level_not_in_force"
    TERRITORY_NOT_ALLOWED = "territory_not_allowed"
    REGION_REQUIRED = "region_required"
    PROVINCE_REQUIRED = "province_required"
    PROVINCE_NOT_VALID = "province_not_valid"
    PERIOD_ORDER = "period_order"
    PERIOD_LENGTH = "period_length"
    PERIOD_START = "period_start"
    VISION_YEAR = "vision_year"
    SECTOR_REQUIRED = "sector_required"
    # Lifecycle
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    TRANSITION_REFUSED = "transition_refused"
    EXTENSION_TOO_LONG = "extension_too_long"
    DECISION_INCOMPLETE = "decision_incomplete"
    NOT_APPROVED = "not_approved"
    ADJUSTMENT_NOT_ALLOWED = "adjustment_not_allowed"
    REASONS_REQUIRED = "reasons_required"
    DATE_ORDER = "date_order"
    VERSION_KIND = "version_kind"
    STAGE_NOT_REGISTRABLE = "stage_not_registrable"
    DECISION_NOT_YET = "decision_not_yet"
    # Documents
    FILE_TOO_LARGE = "file_too_large"
    FILE_EMPTY = "file_empty"
    FILE_TYPE_NOT_ALLOWED = "file_type_not_allowed"
    UNKNOWN_DOCUMENT_TYPE = "unknown_document_type"
    TITLE_REQUIRED = "title_required"
    # Consultation
    NAME_REQUIRED = "name_required"
    TEXT_REQUIRED = "text_required"
    RESPONSE_KIND = "response_kind"
    RESPONSE_TEXT_REQUIRED = "response_text_required"
    WRONG_PLAN = "wrong_plan"


class PlanError(Exception):
    """A refusal a person can act on: ``message`` names the field and what to do."""

    def __init__(self, code: PlanErrorCode | str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = PlanErrorCode(code)
        self.message = str(message)
        self.field = field

    def as_dict(self) -> dict:
        return {"code": str(self.code), "message": self.message, "field": self.field}


@dataclass(frozen=True)
class Missing:
    """One unmet precondition of a lifecycle step and the rule that requires it."""

    code: str
    message: str
    legal_basis: str

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "legal_basis": self.legal_basis}


class TransitionRefused(PlanError):
    """A lifecycle step refused; ``missing`` lists every unmet precondition."""

    def __init__(
        self,
        message: str,
        missing: list[Missing] | None = None,
        *,
        code: PlanErrorCode | str = PlanErrorCode.TRANSITION_REFUSED,
        field: str | None = None,
    ):
        super().__init__(code, message, field)
        self.missing: list[Missing] = list(missing or [])

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["missing"] = [m.as_dict() for m in self.missing]
        return data


__all__ = ["Missing", "PlanError", "PlanErrorCode", "TransitionRefused"]

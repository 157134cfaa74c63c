"""Shapes of the plans API: registry, lifecycle, dossier, consultation, targets, review."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from regionlink.plans.law import PlanLevel
from regionlink.plans.models import (
    Comparator,
    DocumentType,
    FindingKind,
    FindingStatus,
    ResponseKind,
    Stage,
)

LevelParam = Literal[tuple(PlanLevel.values)]  # type: ignore[valid-type]
StageParam = Literal[tuple(Stage.values)]  # type: ignore[valid-type]
DocTypeParam = Literal[tuple(DocumentType.values)]  # type: ignore[valid-type]
ComparatorParam = Literal[tuple(Comparator.values)]  # type: ignore[valid-type]
ResponseKindParam = Literal[tuple(v for v in ResponseKind.values if v != "pending")]  # type: ignore[valid-type]
FindingKindParam = Literal[tuple(FindingKind.values)]  # type: ignore[valid-type]
FindingStatusParam = Literal[tuple(FindingStatus.values)]  # type: ignore[valid-type]
DecisionParam = Literal["accepted", "dismissed", "open"]
FormatParam = Literal["json", "csv", "xlsx"]


class _Strict(Schema):
    """Request bodies refuse unknown fields, so a typo is named rather than ignored."""

    model_config = ConfigDict(extra="forbid")


# --- Registry --------------------------------------------------------------------------------


class Ref(Schema):
    code: str
    name: str


class PlanOut(Schema):
    code: str
    name: str
    name_en: str
    display_name: str
    level: str
    level_label: str
    sector: str
    region: Ref | None
    province: Ref | None
    period_start: int
    period_end: int
    vision_year: int | None
    stage: str
    stage_label: str
    stage_since: dt.date | None
    organising_body: Ref
    is_public: bool
    is_demo: bool = Field(description="Dữ liệu minh họa: show the label to users when true.")


class PlanPage(Schema):
    items: list[PlanOut]
    next: str | None


class TerritoryOut(Schema):
    kind: str = Field(description="country, region or province")
    region: Ref | None
    province: Ref | None


class LawOut(Schema):
    number: str
    title: str
    instrument: str
    in_force_from: dt.date
    in_force_to: dt.date | None
    on: dt.date = Field(description="The date the law is taken on: the decision, else today.")


class VersionOut(Schema):
    number: int
    kind: str
    kind_label: str
    reasons: str
    decision_number: str
    decision_date: dt.date | None
    signer: str
    published_on: dt.date | None
    dossier_uploaded_on: dt.date | None


class DeadlineOut(Schema):
    code: str
    due_on: dt.date | None
    done_on: dt.date | None
    overdue: bool
    message: str
    legal_basis: str


class LinkOut(Schema):
    plan: PlanOut
    suggested: bool
    note: str


class LinksOut(Schema):
    higher: list[LinkOut] = Field(description="Plans this plan must conform to.")
    lower: list[LinkOut] = Field(description="Plans that must conform to this plan.")
    required_levels: list[str] = Field(default_factory=list)


class PlanDetailOut(PlanOut):
    formulating_body: Ref | None
    approving_authority: str
    legal_basis: str
    unconfirmed: str
    territory: TerritoryOut
    law: LawOut
    decision: VersionOut | None = Field(description="The current version and its decision.")
    versions: list[VersionOut]
    deadlines: list[DeadlineOut]
    allowed_next: list[str] = Field(description="Stages the plan may move to (editors only).")
    links: LinksOut
    can_edit: bool
    can_approve: bool


class PlanIn(_Strict):
    code: str
    name: str
    level: LevelParam
    period_start: int
    period_end: int
    organising_body: str = Field(description="Organisation code (cơ quan tổ chức lập).")
    region: str | None = Field(None, description="Region code, for regional plans.")
    province: str | None = Field(None, description="Province code, for provincial plans.")
    name_en: str = ""
    sector: str = ""
    vision_year: int | None = None
    formulating_body: str | None = None
    approving_authority: str = ""
    legal_basis: str = ""
    is_demo: bool = False
    unconfirmed: str = ""
    stage: StageParam = Field(
        "outline",
        description=(
            "The stage the plan has reached (outline … implementation): a plan approved before "
            "the registry existed is registered where it stands."
        ),
    )
    decision_number: str = Field(
        "", description="Approving decision: from approval on; required from publication."
    )
    decision_date: dt.date | None = None
    signer: str = ""
    on: dt.date | None = None


class PlanPatch(_Strict):
    name: str | None = None
    name_en: str | None = None
    sector: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    vision_year: int | None = None
    formulating_body: str | None = None
    approving_authority: str | None = None
    legal_basis: str | None = None
    unconfirmed: str | None = None
    is_demo: bool | None = None


# --- Lifecycle -------------------------------------------------------------------------------


class StageEventOut(Schema):
    id: int
    from_stage: str
    from_stage_label: str
    to_stage: str
    to_stage_label: str
    occurred_on: dt.date
    note: str
    legal_basis: str
    version: int | None
    actor: str | None


class TransitionIn(_Strict):
    to_stage: StageParam
    on: dt.date
    note: str = ""
    decision_number: str = ""
    decision_date: dt.date | None = None
    signer: str = ""
    extension_months: int | None = None


class MissingOut(Schema):
    code: str
    message: str
    legal_basis: str


class RefusalOut(Schema):
    code: str
    message: str
    field: str | None = None
    missing: list[MissingOut] = Field(
        default_factory=list, description="Every unmet precondition with its legal basis."
    )


class AdjustmentIn(_Strict):
    reasons: str
    on: dt.date


class ApprovalDecisionIn(_Strict):
    number: int = Field(description="Version number: 1 is the original approval.")
    kind: Literal["original", "adjustment"]
    decision_number: str = ""
    decision_date: dt.date | None = None
    signer: str = ""
    reasons: str = Field("", description="Reasons for an adjustment.")


class PublicationIn(_Strict):
    published_on: dt.date
    dossier_uploaded_on: dt.date | None = None


# --- Dossier ---------------------------------------------------------------------------------


class DocumentOut(Schema):
    id: int
    doc_type: str
    doc_type_label: str
    title: str
    stage: str
    version: int | None
    original_name: str
    content_type: str
    size: int
    sha256: str
    is_public: bool
    uploaded_at: dt.datetime
    download: str


# --- Consultation ----------------------------------------------------------------------------


class ConsultedBodyOut(Schema):
    id: int
    name: str
    organisation: str | None
    province: str | None
    requested_on: dt.date
    replied_on: dt.date | None


class ConsultedBodyIn(_Strict):
    name: str = ""
    requested_on: dt.date
    organisation: str | None = Field(None, description="Organisation code.")
    province: str | None = Field(None, description="Province code (an adjacent province).")


class ReplyIn(_Strict):
    replied_on: dt.date


class CommentOut(Schema):
    id: int
    author: str
    received_on: dt.date
    text: str
    consulted_body: int | None
    response_kind: str
    response_kind_label: str
    response_text: str
    responded_at: dt.datetime | None


class CommentIn(_Strict):
    author: str
    received_on: dt.date
    text: str
    consulted_body: int | None = None


class ResponseIn(_Strict):
    kind: ResponseKindParam
    text: str


# --- Targets ---------------------------------------------------------------------------------


class ActualOut(Schema):
    value: float | None
    year: int | None
    status: str
    illustrative: bool


class TargetOut(Schema):
    id: int
    indicator: str
    indicator_name: str
    unit_of_measure: str
    region: str | None
    province: str | None
    target_year: int
    base_year: int | None
    comparator: str
    value: float
    value_max: float | None
    wording: str
    actual: ActualOut | None
    illustrative: bool = Field(description="Dữ liệu minh họa: the plan or actual is demo data.")


class TargetIn(_Strict):
    indicator: str = Field(description="Indicator code in the data hub catalogue.")
    target_year: int
    comparator: ComparatorParam
    value: float
    value_max: float | None = None
    region: str | None = None
    province: str | None = None
    base_year: int | None = None
    wording: str = ""


class TargetPatch(_Strict):
    indicator: str | None = None
    target_year: int | None = None
    comparator: ComparatorParam | None = None
    value: float | None = None
    value_max: float | None = None
    region: str | None = None
    province: str | None = None
    base_year: int | None = None
    wording: str | None = None


class RowErrorOut(Schema):
    row: int | None
    column: str | None
    value: str | None
    reason: str
    fix: str


class ImportReportOut(Schema):
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    errors: list[RowErrorOut]


# --- Conformity ------------------------------------------------------------------------------


class LinkIn(_Strict):
    higher: str = Field(description="Code of the higher plan this plan must conform to.")
    note: str = ""
    suggested: bool = False


# --- Review ----------------------------------------------------------------------------------


class ReviewIn(_Strict):
    region: str | None = Field(None, description="Region code; none = the whole country.")


class ReviewRunOut(Schema):
    id: int
    region: str | None
    as_of: dt.date
    status: str
    status_label: str
    progress: int
    message: str
    findings_count: int
    created_at: dt.datetime
    finished_at: dt.datetime | None


class ReviewRunPage(Schema):
    items: list[ReviewRunOut]
    next: str | None


class FindingOut(Schema):
    id: int
    kind: str
    kind_label: str
    severity: str
    status: str
    status_label: str
    explanation: str = Field(description="In the request's language.")
    legal_basis: str
    region: str | None
    plans: list[str]
    targets: list[int]
    decision_reason: str
    decided_at: dt.datetime | None
    can_decide: bool


class FindingPage(Schema):
    items: list[FindingOut]
    next: str | None


class DecisionIn(_Strict):
    status: DecisionParam
    reason: str = ""


class ReminderOut(Schema):
    kind: str
    plan: str
    plan_name: str
    due_on: dt.date | None
    message: str
    legal_basis: str

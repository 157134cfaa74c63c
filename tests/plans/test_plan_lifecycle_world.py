"""Personas and plans shared by the lifecycle, services, documents and consultation tests.

Plain helpers (no fixtures): each test module wraps them in its own fixtures. Everything is
built with the real services; a string actor is a set-up step.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from regionlink.geography.models import AdministrativeUnit, Level, valid_on_q
from regionlink.organisations import services as org_services
from regionlink.organisations.models import Organisation, Role, User
from regionlink.plans import consultation, documents, lifecycle, services
from regionlink.plans.law import PlanLevel
from regionlink.plans.models import DocumentType, Stage

PASSWORD = "mat-khau-du-dai-2025"
FIXTURE = "test fixture"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
MAP_DATE = dt.date(2026, 1, 1)  # the 34-province map
# A walk through the lifecycle within 2026 (the 2025 Law is in force from 01/03/2026).
DAYS = {
    Stage.FORMULATION: dt.date(2026, 3, 2),
    Stage.CONSULTATION: dt.date(2026, 4, 1),
    Stage.APPRAISAL: dt.date(2026, 5, 4),
    Stage.APPROVAL: dt.date(2026, 6, 1),
    Stage.PUBLICATION: dt.date(2026, 7, 1),
    Stage.IMPLEMENTATION: dt.date(2026, 7, 10),
}
DECISION = {"decision_number": "1234/QĐ-TTg", "decision_date": dt.date(2026, 6, 25)}
DECISION["signer"] = "Phó Thủ tướng Trần Hồng Hà"


def province(code: str, on: dt.date = MAP_DATE) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(valid_on_q(on), level=Level.PROVINCE, code=code)


def person(username: str, full_name: str, org_code: str, role: str) -> User:
    user = User.objects.create_user(
        username, f"{username}@example.gov.vn", PASSWORD, full_name=full_name
    )
    organisation = Organisation.objects.get(code=org_code)
    org_services.add_member(actor=FIXTURE, organisation=organisation, user=user, role=role)
    return user


def build_people() -> SimpleNamespace:
    """Lâm Đồng's editor, approver and viewer; Hà Nội's editor."""
    return SimpleNamespace(
        lamdong_editor=person("ld.bientap", "Phạm Thị Lan", "ubnd-68", Role.EDITOR),
        lamdong_approver=person("ld.pheduyet", "Hoàng Văn Duyệt", "ubnd-68", Role.APPROVER),
        lamdong_viewer=person("ld.xem", "Vũ Thị Xem", "ubnd-68", Role.VIEWER),
        hanoi_editor=person("hn.bientap", "Ngô Thị Hà", "ubnd-01", Role.EDITOR),
    )


def provincial_plan(actor, code: str = "68", **extra):
    """The provincial plan 2021–2030 (vision 2050) of the province ``code``."""
    values = {
        "code": f"qh-tinh-{code}",
        "name": "Quy hoạch tỉnh Lâm Đồng thời kỳ 2021–2030" if code == "68" else "Quy hoạch tỉnh",
        "level": PlanLevel.PROVINCIAL,
        "period_start": 2021,
        "period_end": 2030,
        "vision_year": 2050,
        "organising_body": Organisation.objects.get(code=f"ubnd-{code}"),
        "province": province(code),
        "on": dt.date(2026, 2, 2),
        **extra,
    }
    return services.create_plan(actor=actor, **values)


def upload(actor, plan, doc_type, *, is_public=False, name=None, data=PDF):
    upload_file = documents.as_upload(data, name or f"{doc_type}.pdf")
    return documents.upload_document(
        actor=actor,
        plan=plan,
        doc_type=doc_type,
        title=str(DocumentType(doc_type).label),
        uploaded_file=upload_file,
        is_public=is_public,
    )


def prepare(actor, plan, to_stage) -> None:
    """Gather what the step into ``to_stage`` needs (documents, consultation)."""
    if to_stage == Stage.FORMULATION:
        upload(actor, plan, DocumentType.OUTLINE)
    elif to_stage == Stage.CONSULTATION:
        upload(actor, plan, DocumentType.DRAFT, is_public=True)
    elif to_stage == Stage.APPRAISAL:
        for unit in consultation.adjacent_provinces(plan, on=plan.draft_posted_on):
            consultation.request_opinion(
                actor=actor, plan=plan, name="", province=unit, requested_on=plan.draft_posted_on
            )
        upload(actor, plan, DocumentType.CONSULTATION_SYNTHESIS)
    elif to_stage == Stage.APPROVAL:
        upload(actor, plan, DocumentType.APPRAISAL_REPORT)
        upload(actor, plan, DocumentType.SEA_REPORT)
    elif to_stage == Stage.PUBLICATION:
        upload(actor, plan, DocumentType.DECISION, is_public=True)


def walk(editor, approver, plan, until: Stage, days=DAYS):
    """Advance ``plan`` step by step up to ``until``, gathering each step's needs."""
    order = list(days)
    for stage in order[order.index(Stage(plan.stage)) + 1 if plan.stage in days else 0 :]:
        if plan.stage == Stage.PUBLICATION and stage == Stage.IMPLEMENTATION:
            lifecycle.record_publication(actor=editor, plan=plan, published_on=dt.date(2026, 7, 5))
        actor = approver if stage in (Stage.APPROVAL, Stage.PUBLICATION) else editor
        prepare(editor, plan, stage)
        extra = DECISION if stage == Stage.PUBLICATION else {}
        lifecycle.advance(actor=actor, plan=plan, to_stage=stage, on=days[stage], **extra)
        if stage == until:
            return plan
    return plan

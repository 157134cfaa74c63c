"""People and plans the plan page tests share (imported by tests/plans/test_plan_pages_*.py).

Built with the real services: ``services.create_plan``, ``documents.upload_document`` and
``organisations.services.add_member``. Phạm Văn Lâm edits for the Lâm Đồng People's Committee,
Ngô Thị Hà for the Hà Nội People's Committee; their provinces' plans are organised by those
committees. The public is the anonymous client.
"""

from __future__ import annotations

import re

import pytest

from regionlink.organisations.models import Role, User

PASSWORD = "mat-khau-du-dai-2025"
FIXTURE = "test fixture"  # a string actor: set-up without a permission check
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def person(username: str, full_name: str, organisation, role: str) -> User:
    from regionlink.organisations import services

    user = User.objects.create_user(
        username, f"{username}@example.gov.vn", PASSWORD, full_name=full_name
    )
    services.add_member(actor=FIXTURE, organisation=organisation, user=user, role=role)
    return user


def plan_codes(html: str) -> list[str]:
    return re.findall(r'data-plan="([a-z0-9-]+)"', html)


def make_plan(code, name, province_code, organisation, *, stage, is_demo=False, level=None):
    from regionlink.geography.queries import unit_on
    from regionlink.plans import services
    from regionlink.plans.law import PlanLevel

    return services.create_plan(
        actor=FIXTURE,
        code=code,
        name=name,
        level=level or PlanLevel.PROVINCIAL,
        period_start=2021,
        period_end=2030,
        vision_year=2050,
        organising_body=organisation,
        province=unit_on(province_code),
        approving_authority="Thủ tướng Chính phủ",
        legal_basis="Luật Quy hoạch 21/2017/QH14",
        is_demo=is_demo,
        stage=stage,
    )


def upload(plan, title: str, *, is_public: bool, actor, doc_type="report_summary"):
    from regionlink.plans import documents

    return documents.upload_document(
        actor=actor,
        plan=plan,
        doc_type=doc_type,
        title=title,
        uploaded_file=documents.as_upload(PDF, f"{title}.pdf"),
        is_public=is_public,
    )


@pytest.fixture
def lamdong_official(reference_organisations):
    """Phạm Văn Lâm, an editor at the Lâm Đồng People's Committee."""
    return person("lamdong.qh", "Phạm Văn Lâm", reference_organisations["ubnd-68"], Role.EDITOR)


@pytest.fixture
def hanoi_official(reference_organisations):
    """Ngô Thị Hà, an editor at the Hà Nội People's Committee."""
    return person("hanoi.qh", "Ngô Thị Hà", reference_organisations["ubnd-01"], Role.EDITOR)


@pytest.fixture
def plans(reference_organisations, settings, tmp_path):
    """Lâm Đồng's published plan (with a public and an internal document), Lâm Đồng's plan
    being formulated, Hà Nội's published plan, and a published illustrative Quảng Ninh plan."""
    from regionlink.plans.models import Stage

    settings.MEDIA_ROOT = tmp_path
    orgs = reference_organisations
    found = {
        "lamdong": make_plan(
            "qh-tinh-lam-dong-2021-2030",
            "Quy hoạch tỉnh Lâm Đồng thời kỳ 2021–2030",
            "68",
            orgs["ubnd-68"],
            stage=Stage.IMPLEMENTATION,
        ),
        "lamdong_draft": make_plan(
            "qh-do-thi-da-lat-2021-2030",
            "Quy hoạch đô thị Đà Lạt đang lập",
            "68",
            orgs["ubnd-68"],
            stage=Stage.FORMULATION,
            level="urban_rural",
        ),
        "hanoi": make_plan(
            "qh-thu-do-ha-noi-2021-2030",
            "Quy hoạch Thủ đô Hà Nội thời kỳ 2021–2030",
            "01",
            orgs["ubnd-01"],
            stage=Stage.IMPLEMENTATION,
        ),
        "quangninh": make_plan(
            "qh-tinh-quang-ninh-2021-2030",
            "Quy hoạch tỉnh Quảng Ninh (minh họa)",
            "22",
            orgs["ubnd-22"],
            stage=Stage.PUBLICATION,
            is_demo=True,
        ),
    }
    # The committee's records clerk files the documents (an upload needs a person).
    clerk = person("lamdong.vanthu", "Đinh Thị Thư", orgs["ubnd-68"], Role.EDITOR)
    found["public_doc"] = upload(found["lamdong"], "Bao cao tom tat", is_public=True, actor=clerk)
    found["internal_doc"] = upload(found["lamdong"], "Ghi chu noi bo", is_public=False, actor=clerk)
    found["draft_doc"] = upload(
        found["lamdong_draft"], "Ban do da lat", is_public=True, actor=clerk
    )
    return found

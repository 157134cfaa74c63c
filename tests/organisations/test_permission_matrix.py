"""Who may do what, on the real reference and demo organisations.

Each row of ALLOWED names the personas that may take an action on a target; every other
persona is refused. The table is checked for all eight personas, so a right granted by
mistake shows up as loudly as a right missing.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from regionlink.geography.models import AdministrativeUnit, Level
from regionlink.organisations.demo import load_demo_organisations
from regionlink.organisations.models import Organisation, User
from regionlink.organisations.permissions import Action, Scope, can, check, decide
from regionlink.organisations.reference import load_reference_organisations

VIEW, CREATE, EDIT, APPROVE, ADMINISTER = (
    Action.VIEW,
    Action.CREATE,
    Action.EDIT,
    Action.APPROVE,
    Action.ADMINISTER,
)

PERSONAS = {
    "anonymous": "a visitor who has not signed in",
    "vien.xem": "a viewer at the Development Strategy Institute (a national body)",
    "lamdong.bientap": "an editor at Lâm Đồng's Department of Finance (so-tc-68)",
    "lamdong.quantri": "the organisation admin of the Lâm Đồng People's Committee (ubnd-68)",
    "hanoi.bientap": "an editor at the Hà Nội People's Committee (ubnd-01)",
    "dbsh.xem": "a viewer at the Red River Delta coordination council (Hà Nội is in it)",
    "doanhnghiep": "an editor at a logistics business",
    "quantri": "the system administrator",
}
EVERYONE = set(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
LAM_DONG_WRITERS = {"lamdong.bientap", "lamdong.quantri", "quantri"}

# Targets: four organisations, and records described by their permission scope.
#   draft-68      an unpublished record of so-tc-68 about Lâm Đồng
#   draft-01      an unpublished record of ubnd-01 about Hà Nội
#   published-68  a published record of so-tc-68 about Lâm Đồng
#   new-in-68     a record not yet owned by anyone, about Lâm Đồng (created by territory)
#   new-in-01     the same for Hà Nội
ALLOWED: dict[tuple[str, Action], set[str]] = {
    # Organisation profiles are public; writing follows the hierarchy downwards only.
    ("so-tc-68", VIEW): EVERYONE,
    ("so-tc-68", EDIT): LAM_DONG_WRITERS,
    ("so-tc-68", APPROVE): {"lamdong.quantri", "quantri"},
    ("so-tc-68", ADMINISTER): {"lamdong.quantri", "quantri"},
    ("ubnd-68", VIEW): EVERYONE,
    ("ubnd-68", EDIT): {"lamdong.quantri", "quantri"},
    ("ubnd-68", ADMINISTER): {"lamdong.quantri", "quantri"},
    ("ubnd-01", VIEW): EVERYONE,
    ("ubnd-01", EDIT): {"hanoi.bientap", "quantri"},
    ("ubnd-01", ADMINISTER): {"quantri"},
    ("bo-tai-chinh", VIEW): EVERYONE,
    ("bo-tai-chinh", EDIT): {"quantri"},
    ("bo-tai-chinh", ADMINISTER): {"quantri"},
    # Unpublished records: the owner's hierarchy, and readers whose jurisdiction covers them.
    ("draft-68", VIEW): {"vien.xem", "lamdong.bientap", "lamdong.quantri", "quantri"},
    ("draft-68", EDIT): LAM_DONG_WRITERS,
    ("draft-68", APPROVE): {"lamdong.quantri", "quantri"},
    ("draft-01", VIEW): {"vien.xem", "hanoi.bientap", "dbsh.xem", "quantri"},
    ("draft-01", EDIT): {"hanoi.bientap", "quantri"},
    ("draft-01", APPROVE): {"quantri"},
    ("published-68", VIEW): EVERYONE,
    ("published-68", EDIT): LAM_DONG_WRITERS,
    ("new-in-68", CREATE): LAM_DONG_WRITERS,
    ("new-in-01", CREATE): {"hanoi.bientap", "quantri"},
}

CASES = [
    pytest.param(persona, action, target, persona in allowed, id=f"{persona}-{action}-{target}")
    for (target, action), allowed in ALLOWED.items()
    for persona in PERSONAS
]


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """Reference and demo organisations, loaded once for this module of read-only checks and
    rolled back after it; each test still runs in its own savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_organisations()
        load_demo_organisations()
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _each_test_in_a_savepoint(db):
    pass


def person(username: str):
    if username == "anonymous":
        return AnonymousUser()
    return User.objects.get(username=username)


def province(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code, level=Level.PROVINCE, valid_to__isnull=True)


def target(name: str):
    records = {
        "draft-68": ("so-tc-68", "68", False, "Báo cáo tiến độ quy hoạch tỉnh Lâm Đồng"),
        "draft-01": ("ubnd-01", "01", False, "Báo cáo tiến độ quy hoạch thành phố Hà Nội"),
        "published-68": ("so-tc-68", "68", True, "Số liệu đã công bố của tỉnh Lâm Đồng"),
        "new-in-68": (None, "68", False, "Số liệu mới của tỉnh Lâm Đồng"),
        "new-in-01": (None, "01", False, "Số liệu mới của thành phố Hà Nội"),
    }
    if name not in records:
        return Organisation.objects.get(code=name)
    owner, province_code, published, label = records[name]
    return Scope(
        owner=Organisation.objects.get(code=owner) if owner else None,
        province_ids=frozenset({province(province_code).pk}),
        published=published,
        label=label,
    )


@pytest.mark.parametrize(("persona", "action", "target_name", "expected"), CASES)
def test_the_permission_matrix(demo_world, persona, action, target_name, expected):
    assert can(person(persona), action, target(target_name)) is expected


def test_the_matrix_covers_every_persona_and_action():
    assert {persona for persona, *_ in (case.values for case in CASES)} == set(PERSONAS)
    assert {action for (_, action) in ALLOWED} == set(Action)


def test_a_viewer_cannot_write_anything_not_even_in_their_own_institute(demo_world):
    viewer = person("vien.xem")
    institute = Organisation.objects.get(code="btc-vien-chien-luoc-phat-trien")

    assert can(viewer, VIEW, institute)
    for action in (CREATE, EDIT, APPROVE, ADMINISTER):
        assert not can(viewer, action, institute)


def test_an_editor_of_one_province_cannot_change_another_provinces_records(demo_world):
    lam_dong_editor, ha_noi_editor = person("lamdong.bientap"), person("hanoi.bientap")

    assert can(lam_dong_editor, EDIT, target("draft-68"))
    assert not can(lam_dong_editor, EDIT, target("draft-01"))
    assert not can(lam_dong_editor, CREATE, target("new-in-01"))
    assert not can(ha_noi_editor, EDIT, target("draft-68"))


def test_an_organisation_admin_inherits_down_the_hierarchy_but_not_up_or_sideways(demo_world):
    admin_of_lam_dong = person("lamdong.quantri")

    assert can(admin_of_lam_dong, ADMINISTER, target("so-tc-68"))  # down
    assert not can(admin_of_lam_dong, ADMINISTER, target("bo-tai-chinh"))  # up
    assert not can(admin_of_lam_dong, EDIT, target("ubnd-01"))  # sideways
    assert not can(admin_of_lam_dong, VIEW, target("draft-01"))


def test_an_editor_below_a_committee_has_no_rights_over_the_committee(demo_world):
    assert not can(person("lamdong.bientap"), EDIT, target("ubnd-68"))


def test_a_regional_council_reads_its_provinces_drafts_but_does_not_edit_them(demo_world):
    council_viewer = person("dbsh.xem")

    assert can(council_viewer, VIEW, target("draft-01"))  # Hà Nội is in the Red River Delta
    assert not can(council_viewer, EDIT, target("draft-01"))
    assert not can(council_viewer, VIEW, target("draft-68"))  # Lâm Đồng is not


def test_an_anonymous_visitor_sees_only_published_records(demo_world):
    visitor = person("anonymous")

    assert can(visitor, VIEW, target("published-68"))
    assert not can(visitor, VIEW, target("draft-68"))
    assert not can(visitor, VIEW, target("draft-01"))


def test_the_system_administrator_may_do_everything(demo_world):
    admin = person("quantri")

    for action in Action:
        for name in ("so-tc-68", "ubnd-01", "bo-tai-chinh", "draft-68", "draft-01"):
            assert can(admin, action, target(name)), (action, name)


def test_a_refusal_is_a_vietnamese_sentence_naming_the_role_needed_and_where(demo_world):
    decision = decide(person("lamdong.bientap"), EDIT, target("ubnd-01"))

    assert not decision
    assert decision.reason.startswith(
        "Bạn không có quyền chỉnh sửa “Ủy ban nhân dân thành phố Hà Nội”"
    )
    assert "cần vai trò “Biên tập” tại Ủy ban nhân dân thành phố Hà Nội" in decision.reason
    assert decision.reason.endswith("Liên hệ quản trị cơ quan để được cấp quyền.")


def test_a_refusal_to_administer_names_the_organisation_admin_role(demo_world):
    decision = decide(person("lamdong.bientap"), ADMINISTER, target("so-tc-68"))

    assert "Bạn không có quyền quản trị “Sở Tài chính tỉnh Lâm Đồng”" in decision.reason
    assert "cần vai trò “Quản trị cơ quan”" in decision.reason


def test_a_refusal_to_read_a_draft_names_the_record_and_the_viewer_role(demo_world):
    decision = decide(person("dbsh.xem"), VIEW, target("draft-68"))

    assert "Bạn không có quyền xem “Báo cáo tiến độ quy hoạch tỉnh Lâm Đồng”" in decision.reason
    assert "cần vai trò “Xem” tại Sở Tài chính tỉnh Lâm Đồng" in decision.reason


def test_an_anonymous_visitor_is_asked_to_sign_in(demo_world):
    decision = decide(person("anonymous"), EDIT, target("so-tc-68"))

    assert decision.reason == "Cần đăng nhập để thực hiện thao tác này."


def test_check_raises_permission_denied_carrying_the_reason(demo_world):
    with pytest.raises(PermissionDenied, match="cần vai trò “Biên tập”"):
        check(person("hanoi.bientap"), EDIT, target("so-tc-68"))

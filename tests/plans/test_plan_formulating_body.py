"""The provincial Department of Finance formulates the province's plan: its editors edit the
plan with the People's Committee, but approving stays with the Committee."""

import pytest
from django.core.exceptions import PermissionDenied
from test_plan_lifecycle_world import FIXTURE, build_people, person, provincial_plan

from regionlink.organisations import services as org_services
from regionlink.organisations.models import Organisation, Role
from regionlink.plans import services
from regionlink.plans.permissions import Action, can, reads_restricted, visible_plans


@pytest.fixture
def department(reference_organisations):
    return org_services.create_organisation(
        actor=FIXTURE,
        code="so-tc-68",
        name="Sở Tài chính tỉnh Lâm Đồng",
        kind="provincial_department",
        parent=Organisation.objects.get(code="ubnd-68"),
    )


@pytest.fixture
def people(department):
    people = build_people()
    people.finance_editor = person("stc.ld", "Đỗ Văn Lập", "so-tc-68", Role.EDITOR)
    return people


def test_the_department_edits_the_plan_it_formulates_but_does_not_approve_it(people, department):
    plan = provincial_plan(people.lamdong_editor, formulating_body=department)
    assert can(people.finance_editor, Action.EDIT, plan)
    assert reads_restricted(people.finance_editor, plan)
    assert not can(people.finance_editor, Action.APPROVE, plan)
    services.update_plan(actor=people.finance_editor, plan=plan, sector="")
    assert list(visible_plans(people.finance_editor)) == [plan]


def test_without_being_the_formulating_body_the_department_may_not_edit(people):
    plan = provincial_plan(people.lamdong_editor)
    assert not can(people.finance_editor, Action.EDIT, plan)
    with pytest.raises(PermissionDenied):
        services.update_plan(actor=people.finance_editor, plan=plan, name="Đổi tên")
    assert plan not in visible_plans(people.finance_editor)

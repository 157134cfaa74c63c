"""Who may import into a data set: its owner's editors; publishing at once, its approvers.
A refused person leaves no batch behind; another organisation's values stay theirs."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from regionlink.indicators.models import BatchStatus, DataValue, ImportBatch

pytestmark = pytest.mark.django_db

ROWS = [["POP_AVG", "01", "", "2016", "", "7328,4", ""]]


def test_an_editor_of_the_owner_imports(import_rows, data_steward):
    batch = import_rows(ROWS, actor=data_steward)
    assert batch.status == BatchStatus.DRAFT
    assert batch.submitted_by == data_steward


def test_a_viewer_cannot_import(import_rows, stats_viewer):
    with pytest.raises(PermissionDenied) as refused:
        import_rows(ROWS, actor=stats_viewer)
    assert "Biên tập" in str(refused.value)
    assert not ImportBatch.objects.exists()


def test_an_editor_of_another_organisation_cannot_import_into_this_dataset(
    import_rows, hanoi_editor
):
    with pytest.raises(PermissionDenied):
        import_rows(ROWS, actor=hanoi_editor)
    assert not ImportBatch.objects.exists()


def test_an_editor_cannot_publish_at_once_but_may_dry_run(import_rows, data_steward):
    with pytest.raises(PermissionDenied):
        import_rows(ROWS, actor=data_steward, publish=True)
    batch = import_rows(ROWS, actor=data_steward, publish=True, dry_run=True)
    assert batch.status == BatchStatus.CHECKED


def test_an_approver_publishes_at_once(import_rows, stats_approver):
    batch = import_rows(ROWS, actor=stats_approver, publish=True)
    assert batch.status == BatchStatus.PUBLISHED
    assert batch.decided_by == stats_approver


def test_values_published_by_another_organisation_cannot_be_replaced(
    import_rows, stats_approver, reference_organisations, hanoi_editor
):
    from regionlink.indicators.datasets import create_dataset

    import_rows(ROWS, actor=stats_approver, publish=True)
    hanoi = create_dataset(
        actor=hanoi_editor, owner=reference_organisations["ubnd-01"], code="ha-noi", name="Hà Nội"
    )
    batch = import_rows(
        [*ROWS, ["AREA", "01", "", "2016", "", "3358,9", ""]], actor=hanoi_editor, dataset=hanoi
    )
    assert batch.status == BatchStatus.FAILED
    [error] = batch.report["errors"]
    assert error["code"] == "other_dataset_value" and error["row"] == 2
    assert "Cục Thống kê" in error["reason"]
    assert DataValue.objects.get().dataset.code == "tk-so-lieu-tinh"

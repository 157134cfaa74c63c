"""A dry run shows what would change and writes nothing; importing the same file again changes
nothing; publishing keeps the replaced values as revisions; each outcome is audited once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from regionlink.audit.models import AuditEvent
from regionlink.indicators.importing.pipeline import publish_batch
from regionlink.indicators.models import (
    BatchStatus,
    DataValue,
    DataValueRevision,
    ImportBatch,
    StagedValue,
)

pytestmark = pytest.mark.django_db

FIRST = [
    ["POP_AVG", "01", "", "2015", "", "7216,0", ""],
    ["POP_AVG", "01", "", "2016", "", "7328,4", "sơ bộ"],
    ["POP_AVG", "31", "", "2016", "", "1980,8", "sơ bộ"],
]
# The 2016 figures become official; Hải Phòng's is revised; Hà Nam appears.
SECOND = [
    ["POP_AVG", "01", "", "2015", "", "7216,0", ""],
    ["POP_AVG", "01", "", "2016", "", "7328,4", ""],
    ["POP_AVG", "31", "", "2016", "", "1981,2", ""],
    ["POP_AVG", "35", "", "2016", "", "802,1", ""],
]


@pytest.fixture
def published_first(import_rows, stats_approver):
    """The first release, published at once by the statistics office's approver."""
    batch = import_rows(FIRST, actor=stats_approver, publish=True)
    assert batch.status == BatchStatus.PUBLISHED, batch.report["errors"]
    return batch


def values() -> dict[tuple[str, str], tuple[Decimal, str]]:
    return {
        (v.unit.code, v.period): (v.value, v.status)
        for v in DataValue.objects.select_related("unit")
    }


def test_publishing_at_once_writes_the_values_with_their_status(published_first):
    assert values() == {
        ("01", "2015"): (Decimal("7216"), "official"),
        ("01", "2016"): (Decimal("7328.4"), "preliminary"),
        ("31", "2016"): (Decimal("1980.8"), "preliminary"),
    }
    assert published_first.report["published"] == {"new": 3, "changed": 0, "unchanged": 0}
    assert set(DataValue.objects.values_list("batch_id", flat=True)) == {published_first.pk}


def test_a_dry_run_counts_new_changed_and_unchanged_and_writes_nothing(
    published_first, import_rows, stats_approver
):
    before = (DataValue.objects.count(), StagedValue.objects.count(), values())
    batch = import_rows(SECOND, actor=stats_approver, dry_run=True, publish=True)
    assert batch.status == BatchStatus.CHECKED
    diff = batch.report["diff"]
    assert (diff["new"], diff["changed"], diff["unchanged"]) == (1, 2, 1)
    changed = {(c["unit"], c["period"]): c for c in diff["examples"]["changed"]}
    hai_phong = changed[("31 Thành phố Hải Phòng", "2016")]
    assert (hai_phong["old_value"], hai_phong["value"]) == ("1980.8", "1981.2")
    assert [n["unit"] for n in diff["examples"]["new"]] == ["35 Tỉnh Hà Nam"]
    assert (DataValue.objects.count(), StagedValue.objects.count(), values()) == before
    assert not DataValueRevision.objects.exists()


def test_a_draft_stages_its_values_and_publishes_nothing(published_first, import_rows):
    batch = import_rows(SECOND)
    assert batch.status == BatchStatus.DRAFT
    assert StagedValue.objects.filter(batch=batch).count() == 4
    assert values()[("31", "2016")] == (Decimal("1980.8"), "preliminary")


def test_publishing_keeps_who_changed_what_when_and_the_old_value(
    published_first, import_rows, stats_approver
):
    draft = import_rows(SECOND)
    batch = publish_batch(actor=stats_approver, batch=draft)
    assert batch.status == BatchStatus.PUBLISHED
    assert batch.report["published"] == {"new": 1, "changed": 2, "unchanged": 1}
    assert values()[("31", "2016")] == (Decimal("1981.2"), "official")
    assert values()[("35", "2016")] == (Decimal("802.1"), "official")
    revisions = {
        r.data_value.unit.code: r
        for r in DataValueRevision.objects.select_related("data_value__unit")
    }
    assert set(revisions) == {"01", "31"}  # Hà Nội's status changed, Hải Phòng's value
    hai_phong = revisions["31"]
    assert (hai_phong.old_value, hai_phong.old_status) == (Decimal("1980.8"), "preliminary")
    assert hai_phong.old_batch_id == published_first.pk and hai_phong.new_batch_id == batch.pk
    assert hai_phong.changed_by == stats_approver and hai_phong.changed_at is not None
    unchanged = DataValue.objects.get(unit__code="01", period="2015")
    assert unchanged.batch_id == published_first.pk  # an unchanged value is not rewritten


def test_importing_the_same_file_again_changes_nothing(
    published_first, import_rows, stats_approver
):
    before = list(DataValue.objects.order_by("pk").values())
    batch = import_rows(FIRST, actor=stats_approver, publish=True)
    assert batch.status == BatchStatus.PUBLISHED
    assert batch.report["published"] == {"new": 0, "changed": 0, "unchanged": 3}
    assert list(DataValue.objects.order_by("pk").values()) == before
    assert not DataValueRevision.objects.exists()


def test_publishing_twice_is_harmless(published_first, import_rows, stats_approver):
    draft = import_rows(SECOND)
    publish_batch(actor=stats_approver, batch=draft)
    count = (DataValue.objects.count(), DataValueRevision.objects.count())
    again = publish_batch(actor=stats_approver, batch=draft)
    assert again.status == BatchStatus.PUBLISHED
    assert (DataValue.objects.count(), DataValueRevision.objects.count()) == count


def test_an_approved_batch_is_published_for_the_workflow(import_rows, data_steward):
    draft = import_rows(FIRST)
    ImportBatch.objects.filter(pk=draft.pk).update(status=BatchStatus.APPROVED)
    batch = publish_batch(actor=data_steward, batch=draft)  # approval was checked before
    assert batch.status == BatchStatus.PUBLISHED
    assert DataValue.objects.count() == 3


def test_an_editor_cannot_publish_a_draft_herself(import_rows, data_steward):
    draft = import_rows(FIRST, actor=data_steward)
    with pytest.raises(PermissionDenied):
        publish_batch(actor=data_steward, batch=draft)
    assert not DataValue.objects.exists()


def test_a_refused_or_dry_run_batch_cannot_be_published(import_rows, stats_approver):
    refused = import_rows([["POP_AVG", "01", "", "2016", "", "x", ""]])
    checked = import_rows(FIRST, dry_run=True)
    for batch in (refused, checked):
        with pytest.raises(ValidationError) as error:
            publish_batch(actor=stats_approver, batch=batch)
        assert error.value.error_code == "wrong_status"
    assert not DataValue.objects.exists()


def test_each_outcome_is_one_audit_event_with_counts(import_rows, stats_approver):
    import_rows([["POP_AVG", "01", "", "2016", "", "x", ""]])
    import_rows(FIRST, dry_run=True)
    import_rows(FIRST, actor=stats_approver, publish=True)
    events = list(AuditEvent.objects.filter(object_type="indicators.importbatch").order_by("id"))
    assert [(e.action, e.after["status"]) for e in events] == [
        ("import_batch.import", "failed"),
        ("import_batch.import", "checked"),
        ("import_batch.import", "published"),
        ("import_batch.publish", "published"),
    ]
    assert events[0].after["errors"] == 1
    assert events[1].after["new"] == 3
    assert events[3].after == {
        "status": "published",
        "dataset": "tk-so-lieu-tinh",
        "new": 3,
        "changed": 0,
        "unchanged": 0,
    }
    assert events[3].actor == stats_approver

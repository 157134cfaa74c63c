"""Data sets and their sharing policy: every write checked, atomic and audited.

Who may do what (organisations.permissions, through the owner's hierarchy):

- an editor of the owner creates a data set; it starts "owner only", without embargo;
- opening it up (visibility, the organisations named, the embargo) is the owner's
  **approver** (or organisation admin, whose role includes the approver's) — the same person
  who approves its data for publication, so one role answers "who decides what leaves the
  organisation". Creating a data set with a sharing policy other than the default needs the
  same role.

Setting visibility to "owner only" empties the list of named organisations: otherwise a later
switch back to "named" (or a granted access request) would silently re-open the data set to
every organisation once named.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from regionlink.audit import services as audit
from regionlink.core.text import nfc
from regionlink.indicators.models import DataSet, Visibility
from regionlink.organisations.models import Organisation
from regionlink.organisations.permissions import Action, check


class DataHubErrorCode(StrEnum):
    """Errors of data sets, sharing, access requests and the approval workflow."""

    DUPLICATE_CODE = "duplicate_dataset_code"
    INVALID_CODE = "invalid_dataset_code"
    NAME_REQUIRED = "name_required"
    UNKNOWN_VISIBILITY = "unknown_visibility"
    NAMED_WITHOUT_ORGANISATIONS = "named_without_organisations"
    NAIVE_EMBARGO = "naive_embargo"
    WRONG_STATUS = "wrong_status"
    EMPTY_BATCH = "empty_batch"
    SELF_APPROVAL = "self_approval"
    REASON_REQUIRED = "reason_required"
    NOT_A_MEMBER = "not_a_member"
    ALREADY_READS = "already_reads"
    REQUEST_PENDING = "request_pending"
    REQUEST_DECIDED = "request_decided"


def invalid(code: DataHubErrorCode, message: str, field: str | None = None) -> ValidationError:
    """A ValidationError carrying ``code`` (as ``error_code``) and naming ``field``."""
    error = ValidationError({field: [message]} if field else message, code=str(code))
    error.error_code = str(code)
    return error


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged()  # "leave this setting as it is" (None is a value: no embargo)


def sharing_snapshot(dataset: DataSet) -> dict:
    """The sharing policy as the audit trail records it."""
    return {
        "visibility": dataset.visibility,
        "shared_with": sorted(o.code for o in dataset.shared_with.all()) if dataset.pk else [],
        "embargo_until": dataset.embargo_until,
    }


def _check_visibility(visibility: str) -> str:
    if visibility not in Visibility.values:
        raise invalid(
            DataHubErrorCode.UNKNOWN_VISIBILITY,
            _("Phạm vi chia sẻ “%(value)s” không hợp lệ; chọn một trong: %(allowed)s.")
            % {"value": visibility, "allowed": ", ".join(Visibility.values)},
            "visibility",
        )
    return visibility


def _check_embargo(embargo_until: dt.datetime | None) -> dt.datetime | None:
    if embargo_until is not None and timezone.is_naive(embargo_until):
        raise invalid(
            DataHubErrorCode.NAIVE_EMBARGO,
            _(
                "Thời điểm hết cấm công bố %(value)s thiếu múi giờ; ghi rõ múi giờ, ví dụ "
                "2026-01-15T08:00:00+07:00."
            )
            % {"value": embargo_until.isoformat()},
            "embargo_until",
        )
    return embargo_until


def _named_list(dataset_owner: Organisation, visibility: str, shared_with) -> list[Organisation]:
    """The organisations to name: never the owner itself; none when "owner only"."""
    organisations = [o for o in shared_with if o.pk != dataset_owner.pk]
    if visibility == Visibility.OWNER:
        return []
    if visibility == Visibility.NAMED and not organisations:
        raise invalid(
            DataHubErrorCode.NAMED_WITHOUT_ORGANISATIONS,
            _(
                "Phạm vi “Các cơ quan được chỉ định” cần ít nhất một cơ quan được chia sẻ; "
                "chọn cơ quan hoặc đổi phạm vi thành “Chỉ cơ quan chủ quản”."
            ),
            "shared_with",
        )
    return organisations


@transaction.atomic
def create_dataset(
    *,
    actor,
    owner: Organisation,
    code: str,
    name: str,
    name_en: str = "",
    description: str = "",
    visibility: str = Visibility.OWNER,
    shared_with=(),
    embargo_until: dt.datetime | None = None,
    is_demo: bool = False,
) -> DataSet:
    """Create a data set of ``owner``; a sharing policy beyond "owner only" needs an approver."""
    if not isinstance(actor, str):  # a string actor is a set-up step (demo, fixtures)
        check(actor, Action.CREATE, owner)
        if visibility != Visibility.OWNER or list(shared_with) or embargo_until is not None:
            check(actor, Action.APPROVE, owner)
    code = (code or "").strip()
    if not code or slugify(code) != code:
        raise invalid(
            DataHubErrorCode.INVALID_CODE,
            _(
                "Mã bộ dữ liệu “%(code)s” không hợp lệ: chỉ dùng chữ thường không dấu, số và "
                "dấu gạch ngang, ví dụ “%(example)s”."
            )
            % {"code": code, "example": slugify(code) or "tk-dan-so"},
            "code",
        )
    if DataSet.objects.filter(code=code).exists():
        raise invalid(
            DataHubErrorCode.DUPLICATE_CODE,
            _("Mã bộ dữ liệu “%(code)s” đã được dùng; chọn mã khác.") % {"code": code},
            "code",
        )
    if not (name or "").strip():
        raise invalid(DataHubErrorCode.NAME_REQUIRED, _("Cần nhập tên bộ dữ liệu."), "name")
    _check_visibility(visibility)
    _check_embargo(embargo_until)
    named = _named_list(owner, visibility, list(shared_with))
    dataset = DataSet.objects.create(
        code=code,
        name=nfc(name.strip()),
        name_en=nfc(name_en.strip()),
        description=nfc(description.strip()),
        owner=owner,
        visibility=visibility,
        embargo_until=embargo_until,
        is_demo=is_demo,
    )
    dataset.shared_with.set(named)
    audit.record(
        actor=actor,
        action="dataset.create",
        obj=dataset,
        after={
            "code": dataset.code,
            "name": dataset.name,
            "owner": owner.code,
            "is_demo": is_demo,
            **sharing_snapshot(dataset),
        },
    )
    return dataset


@transaction.atomic
def update_dataset_sharing(
    *,
    actor,
    dataset: DataSet,
    visibility=UNCHANGED,
    shared_with=UNCHANGED,
    embargo_until=UNCHANGED,
) -> DataSet:
    """Change who may read ``dataset`` (visibility, named organisations, embargo)."""
    if not isinstance(actor, str):
        check(actor, Action.APPROVE, dataset)
    before = sharing_snapshot(dataset)
    new_visibility = dataset.visibility if visibility is UNCHANGED else visibility
    _check_visibility(new_visibility)
    current = list(dataset.shared_with.all())
    named = _named_list(
        dataset.owner, new_visibility, current if shared_with is UNCHANGED else list(shared_with)
    )
    if embargo_until is not UNCHANGED:
        dataset.embargo_until = _check_embargo(embargo_until)
    dataset.visibility = new_visibility
    dataset.save(update_fields=["visibility", "embargo_until"])
    if {o.pk for o in named} != {o.pk for o in current}:
        dataset.shared_with.set(named)
    old, new = audit.changes(before, sharing_snapshot(dataset))
    if new:
        audit.record(
            actor=actor, action="dataset.sharing.update", obj=dataset, before=old, after=new
        )
    return dataset

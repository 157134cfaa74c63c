"""The approval workflow of submitted data: draft → submitted → approved → published.

Each step is one function: it checks the actor's right (through the data set owner's
hierarchy), then the batch's state under a row lock, changes it and records an audit event, all
in one transaction. A refused step raises PermissionDenied or a ValidationError whose
Vietnamese message names what is missing, and changes nothing.

Choices:

- **Four eyes.** A batch is approved by an approver of the owner's hierarchy who neither
  prepared it (``submitted_by``) nor sent it for approval. The rule binds system
  administrators too: an approval is a second person's judgement, and an administrator who
  loads data asks a colleague to approve it like everyone else.
- **Rejecting** needs a reason; an approver may reject a submitted or an approved batch (also
  their own, to withdraw it). A rejected batch stays on record with its staged values; the
  corrected data comes back as a new batch.
- **Publishing** is a separate step after approval (an approver of the owner), so an approved
  batch can wait for its moment. It applies the values at once through
  ``importing.pipeline.publish_batch``. If the data set is under embargo, the values are in
  place but ``sharing.readable_datasets`` keeps them from everyone outside the owner's
  hierarchy until ``embargo_until`` passes: release needs no scheduler and cannot be missed,
  and the owner can check the published figures before the release moment.
- A string actor (a set-up step such as the demo loader) skips the permission and four-eyes
  checks, as in ``organisations.services``; the state checks still apply.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regionlink.audit import services as audit
from regionlink.audit.models import AuditEvent
from regionlink.indicators.datasets import DataHubErrorCode as Code
from regionlink.indicators.datasets import invalid
from regionlink.indicators.importing import pipeline
from regionlink.indicators.models import BatchStatus, ImportBatch
from regionlink.organisations.permissions import Action, check

SUBMIT_ACTION = "import_batch.submit"


def _step_label(step: str) -> str:
    return {
        "submit": _("gửi duyệt"),
        "approve": _("phê duyệt"),
        "reject": _("trả lại"),
        "publish": _("công bố"),
    }[step]


def _lock_status(batch: ImportBatch) -> None:
    """Re-read the status under a row lock, so two approvers cannot both act on one batch."""
    batch.status = (
        ImportBatch.objects.select_for_update().values_list("status", flat=True).get(pk=batch.pk)
    )


def _require_status(batch: ImportBatch, step: str, *allowed: BatchStatus) -> None:
    _lock_status(batch)
    if batch.status in allowed:
        return
    labels = [str(BatchStatus(s).label) for s in allowed]
    needed = labels[0]
    for label in labels[1:]:
        needed = _("%(first)s hoặc %(second)s") % {"first": needed, "second": label}
    message = _("Lô #%(id)s đang ở trạng thái %(status)s; cần %(needed)s trước khi %(step)s.") % {
        "id": batch.pk,
        "status": BatchStatus(batch.status).label,
        "needed": needed,
        "step": _step_label(step),
    }
    raise invalid(Code.WRONG_STATUS, message, "status")


def _is_person(actor) -> bool:
    return not isinstance(actor, str)


def authors_of(batch: ImportBatch) -> set[int]:
    """The people who prepared the batch or sent it for approval (four eyes excludes them)."""
    senders = AuditEvent.objects.filter(
        action=SUBMIT_ACTION, object_type="indicators.importbatch", object_id=str(batch.pk)
    ).values_list("actor_id", flat=True)
    people = {pk for pk in senders if pk is not None}
    if batch.submitted_by_id is not None:
        people.add(batch.submitted_by_id)
    return people


def _transition(actor, batch: ImportBatch, step: str, before: dict, after: dict) -> None:
    audit.record(
        actor=actor,
        action=f"import_batch.{step}",
        obj=batch,
        before=before,
        after=after,
    )


@transaction.atomic
def submit_batch(*, actor, batch: ImportBatch) -> ImportBatch:
    """Send a draft batch for approval (an editor of the data set's owner)."""
    if _is_person(actor):
        check(actor, Action.EDIT, batch.dataset)
    _require_status(batch, "submit", BatchStatus.DRAFT)
    if not batch.staged.exists():
        raise invalid(
            Code.EMPTY_BATCH,
            _(
                "Lô #%(id)s không có giá trị nào để gửi duyệt; hãy nhập lại tệp hoặc nhập số "
                "liệu trước khi gửi."
            )
            % {"id": batch.pk},
        )
    batch.status = BatchStatus.SUBMITTED
    fields = ["status"]
    if batch.submitted_by_id is None and _is_person(actor):
        batch.submitted_by = actor
        fields.append("submitted_by")
    batch.save(update_fields=fields)
    _transition(
        actor, batch, "submit", {"status": BatchStatus.DRAFT}, {"status": BatchStatus.SUBMITTED}
    )
    return batch


@transaction.atomic
def approve_batch(*, actor, batch: ImportBatch, note: str = "") -> ImportBatch:
    """Approve a submitted batch (an approver of the owner who did not prepare or send it)."""
    if _is_person(actor):
        check(actor, Action.APPROVE, batch.dataset)
    _require_status(batch, "approve", BatchStatus.SUBMITTED)
    if _is_person(actor) and actor.pk in authors_of(batch):
        raise invalid(
            Code.SELF_APPROVAL,
            _(
                "Bạn đã chuẩn bị hoặc gửi duyệt lô #%(id)s nên không tự phê duyệt được "
                "(nguyên tắc bốn mắt); cần một người có vai trò “Phê duyệt” khác của %(owner)s."
            )
            % {"id": batch.pk, "owner": batch.dataset.owner},
        )
    batch.status = BatchStatus.APPROVED
    batch.decided_by = actor if _is_person(actor) else None
    batch.decided_at = timezone.now()
    batch.decision_reason = (note or "").strip()
    batch.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _transition(
        actor,
        batch,
        "approve",
        {"status": BatchStatus.SUBMITTED},
        {"status": BatchStatus.APPROVED, "note": batch.decision_reason},
    )
    return batch


@transaction.atomic
def reject_batch(*, actor, batch: ImportBatch, reason: str) -> ImportBatch:
    """Send a submitted or approved batch back, with the reason the preparer must act on."""
    if _is_person(actor):
        check(actor, Action.APPROVE, batch.dataset)
    _require_status(batch, "reject", BatchStatus.SUBMITTED, BatchStatus.APPROVED)
    reason = (reason or "").strip()
    if not reason:
        raise invalid(
            Code.REASON_REQUIRED,
            _(
                "Cần ghi lý do trả lại lô #%(id)s để người gửi biết phải sửa gì, ví dụ "
                "“Số liệu năm 2024 của tỉnh 68 chưa khớp với niên giám”."
            )
            % {"id": batch.pk},
            "reason",
        )
    before = {"status": batch.status}
    batch.status = BatchStatus.REJECTED
    batch.decided_by = actor if _is_person(actor) else None
    batch.decided_at = timezone.now()
    batch.decision_reason = reason
    batch.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _transition(actor, batch, "reject", before, {"status": BatchStatus.REJECTED, "reason": reason})
    return batch


@transaction.atomic
def publish_batch_now(*, actor, batch: ImportBatch) -> ImportBatch:
    """Publish an approved batch: its values replace the current ones (with revisions)."""
    if _is_person(actor):
        check(actor, Action.APPROVE, batch.dataset)
    _require_status(batch, "publish", BatchStatus.APPROVED)
    # The pipeline applies the values with their revisions and records the publication (one
    # audit event with the counts of new, changed and unchanged values).
    pipeline.publish_batch(actor=actor, batch=batch)
    batch.refresh_from_db()
    return batch

"""Consultation on a draft plan: bodies asked, their replies, comments and the responses.

Every comment is answered, accepted (tiếp thu) or explained (giải trình), before the plan
goes to appraisal (Planning Law 21/2017 Art. 19; the synthesis report records them).
Records belong to the plan's current version: an adjustment is consulted on afresh.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regionlink.audit import services as audit
from regionlink.audit.services import snapshot
from regionlink.core.text import nfc
from regionlink.geography import adjacency
from regionlink.geography.models import AdministrativeUnit, RegionMembership
from regionlink.plans.errors import PlanError
from regionlink.plans.errors import PlanErrorCode as Code
from regionlink.plans.law import PlanLevel
from regionlink.plans.models import (
    ConsultationComment,
    ConsultedBody,
    Plan,
    ResponseKind,
)
from regionlink.plans.permissions import Action
from regionlink.plans.services import authorise

RESPONSE_KINDS = (ResponseKind.ACCEPTED, ResponseKind.EXPLAINED)


def _on_map(dated, on: dt.date) -> dt.date:
    """``on``, or the nearest date the territory existed (a plan of a merged province is
    consulted on the map it was drawn on)."""
    if dated.valid_to is not None and on > dated.valid_to:
        return dated.valid_to
    if dated.valid_from is not None and on < dated.valid_from:
        return dated.valid_from
    return on


def adjacent_provinces(plan: Plan, *, on: dt.date) -> list[AdministrativeUnit]:
    """Provinces bordering the plan's territory on ``on``: none for national plans."""
    if plan.province is not None:
        date = _on_map(plan.province, on)
        return adjacency.neighbours(plan.province, on=date)
    if plan.region is not None and plan.level == PlanLevel.REGIONAL:
        date = _on_map(plan.region, on)
        members = [
            m.unit
            for m in RegionMembership.objects.valid_on(date)
            .filter(region=plan.region)
            .select_related("unit")
        ]
        return adjacency.neighbours_of_group(members, on=date)
    return []


@transaction.atomic
def request_opinion(
    *, actor, plan: Plan, name, requested_on, organisation=None, province=None
) -> ConsultedBody:
    """Record that a body (an adjacent province among them) was asked for its opinion."""
    authorise(actor, Action.EDIT, plan)
    name = nfc(name) or (province.name if province else organisation.name if organisation else "")
    if not name:
        text = _("Ghi tên cơ quan được lấy ý kiến (hoặc chọn tỉnh, cơ quan).")
        raise PlanError(Code.NAME_REQUIRED, text, "name")
    body = ConsultedBody.objects.create(
        plan=plan,
        version=plan.current_version(),
        organisation=organisation,
        province=province,
        name=name,
        requested_on=requested_on,
    )
    audit.record(actor=actor, action="plans.request_opinion", obj=body, after=snapshot(body))
    return body


@transaction.atomic
def record_reply(*, actor, body: ConsultedBody, replied_on: dt.date) -> ConsultedBody:
    """Record the date a consulted body replied."""
    authorise(actor, Action.EDIT, body.plan)
    if replied_on < body.requested_on:
        text = _("Ngày trả lời (%(replied)s) không được trước ngày gửi xin ý kiến (%(asked)s).")
        params = {
            "replied": replied_on.strftime("%d/%m/%Y"),
            "asked": body.requested_on.strftime("%d/%m/%Y"),
        }
        raise PlanError(Code.DATE_ORDER, text % params, "replied_on")
    before = {"replied_on": body.replied_on}
    body.replied_on = replied_on
    body.save(update_fields=["replied_on"])
    audit.record(
        actor=actor,
        action="plans.record_reply",
        obj=body,
        before=before,
        after={"replied_on": replied_on},
    )
    return body


@transaction.atomic
def add_comment(
    *, actor, plan: Plan, author, received_on, text, consulted_body=None
) -> ConsultationComment:
    """Record a comment received on the draft (from a consulted body or the public)."""
    authorise(actor, Action.EDIT, plan)
    if not nfc(text):
        raise PlanError(Code.TEXT_REQUIRED, _("Ghi nội dung góp ý."), "text")
    if not nfc(author):
        message = _("Ghi tên cơ quan, tổ chức hoặc cá nhân góp ý.")
        raise PlanError(Code.NAME_REQUIRED, message, "author")
    if consulted_body is not None and consulted_body.plan_id != plan.pk:
        message = _("Cơ quan được lấy ý kiến đã chọn thuộc quy hoạch khác: chọn lại.")
        raise PlanError(Code.WRONG_PLAN, message, "consulted_body")
    comment = ConsultationComment.objects.create(
        plan=plan,
        version=plan.current_version(),
        consulted_body=consulted_body,
        author=nfc(author),
        received_on=received_on,
        text=text.strip(),
        created_by=actor,
    )
    audit.record(actor=actor, action="plans.add_comment", obj=comment, after=snapshot(comment))
    return comment


@transaction.atomic
def respond(*, actor, comment: ConsultationComment, kind, text) -> ConsultationComment:
    """Answer a comment: accepted into the plan, or explained why not."""
    authorise(actor, Action.EDIT, comment.plan)
    if kind not in RESPONSE_KINDS:
        message = _("Chọn “Tiếp thu” hoặc “Giải trình” cho ý kiến góp ý.")
        raise PlanError(Code.RESPONSE_KIND, message, "kind")
    if not nfc(text):
        message = _("Ghi nội dung tiếp thu hoặc giải trình ý kiến góp ý.")
        raise PlanError(Code.RESPONSE_TEXT_REQUIRED, message, "text")
    fields = ["response_kind", "response_text", "responded_by", "responded_at"]
    before = snapshot(comment, fields=fields)
    comment.response_kind = kind
    comment.response_text = text.strip()
    comment.responded_by = actor
    comment.responded_at = timezone.now()
    comment.save(update_fields=fields)
    audit.record(
        actor=actor,
        action="plans.respond",
        obj=comment,
        before=before,
        after=snapshot(comment, fields=fields),
    )
    return comment

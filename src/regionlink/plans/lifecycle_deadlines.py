"""Time limits of a plan's lifecycle, for pages, the API and reminders.

Formulation runs from the outline's approval (the move into formulation) until the plan is
submitted for approval, within Decree 58/2023's months plus any extension. Publication and
the dossier upload run from the current version's approval decision.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from regionlink.plans import law
from regionlink.plans.law import Rule
from regionlink.plans.models import Plan, Stage


@dataclass(frozen=True)
class Deadline:
    code: str  # "formulation", "publication", "dossier_upload"
    due_on: dt.date
    done_on: dt.date | None
    overdue: bool  # past due and not yet done on the date asked
    message: str
    legal_basis: str


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's last day (31/01 + 1 → 28/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _deadline(code, due_on, done_on, on, what, rule) -> Deadline:
    params = {"what": what, "due": _fmt(due_on), "done": _fmt(done_on)}
    if done_on is not None and done_on > due_on:
        message = _("%(what)s: hoàn thành ngày %(done)s, quá hạn %(due)s.") % params
    elif done_on is not None:
        message = _("%(what)s: hoàn thành ngày %(done)s, đúng hạn %(due)s.") % params
    elif on > due_on:
        params["days"] = (on - due_on).days
        message = _("%(what)s: quá hạn %(days)s ngày (hạn %(due)s).") % params
    else:
        message = _("%(what)s: hạn %(due)s.") % params
    overdue = done_on is None and on > due_on
    return Deadline(code, due_on, done_on, overdue, message, str(law.cite(rule, on=due_on)))


def _submitted_on(plan: Plan) -> dt.date | None:
    event = (
        plan.stage_events.filter(
            to_stage=Stage.APPROVAL, occurred_on__gte=plan.formulation_started_on
        )
        .order_by("occurred_on", "id")
        .first()
    )
    return event.occurred_on if event else None


def deadlines(plan: Plan, *, on: dt.date) -> list[Deadline]:
    """The plan's time limits known on ``on``, each with its overdue flag and legal basis."""
    found = []
    if plan.formulation_started_on is not None:
        months = law.FORMULATION_MONTHS[plan.level] + plan.extension_months
        due = add_months(plan.formulation_started_on, months)
        what = _("Lập quy hoạch (%(months)s tháng)") % {"months": months}
        found.append(
            _deadline("formulation", due, _submitted_on(plan), on, what, Rule.FORMULATION_TIME)
        )
    version = plan.current_version()
    if version is not None and version.decision_date is not None:
        decided = version.decision_date
        due = decided + dt.timedelta(days=law.PUBLICATION_DAYS)
        what = _("Công bố quy hoạch (%(days)s ngày)") % {"days": law.PUBLICATION_DAYS}
        found.append(
            _deadline("publication", due, version.published_on, on, what, Rule.PUBLICATION)
        )
        due = decided + dt.timedelta(days=law.DOSSIER_UPLOAD_DAYS)
        what = _("Đưa hồ sơ lên cơ sở dữ liệu quốc gia về quy hoạch (%(days)s ngày)") % {
            "days": law.DOSSIER_UPLOAD_DAYS
        }
        found.append(
            _deadline(
                "dossier_upload", due, version.dossier_uploaded_on, on, what, Rule.DOSSIER_UPLOAD
            )
        )
    return found

"""What is due for plans in force: evaluations, overdue publications, plans past their period.

- Evaluation (Decree 37/2019 Art. 6–7; 2017 Law Art. 49): a plan being implemented is evaluated
  every year; in the middle year of its period (2026 for 2021–2030) the evaluation covers the
  first five years instead. The report for a year is due by 31/12 of that year; an evaluation
  report uploaded to the plan's dossier in that year settles it.
- Publication within 15 days of approval and the dossier in the national planning database
  within 10 days: the overdue ones from lifecycle.deadlines.
- A plan still in implementation after the last year of its period needs a new plan or an
  adjustment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from regionlink.plans import law
from regionlink.plans.law import Rule
from regionlink.plans.models import DocumentType, Plan, PlanDocument, Stage

IN_FORCE = (Stage.IMPLEMENTATION, Stage.EVALUATION)
DEADLINE_KINDS = ("publication", "dossier_upload")


@dataclass(frozen=True)
class Reminder:
    kind: str  # evaluation_annual, evaluation_five_yearly, publication, dossier_upload, ...
    plan: Plan
    due_on: dt.date
    message: str
    legal_basis: str

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "plan": self.plan.code,
            "due_on": self.due_on.isoformat(),
            "message": self.message,
            "legal_basis": self.legal_basis,
        }


def mid_year(plan: Plan) -> int:
    """The year of the five-yearly evaluation: the middle of a ten-year period."""
    return plan.period_start + (plan.period_end - plan.period_start + 1) // 2


def _evaluation(plan: Plan, on: dt.date, evaluated: set[int]) -> Reminder | None:
    if plan.stage not in IN_FORCE or not (plan.period_start <= on.year <= plan.period_end):
        return None
    if plan.pk in evaluated:
        return None
    due_on = dt.date(on.year, 12, 31)
    params = {"plan": plan.name, "year": on.year, "due": due_on.strftime("%d/%m/%Y")}
    if on.year == mid_year(plan):
        kind = "evaluation_five_yearly"
        # The five years before the middle year: 2021–2025 for 2021–2030, evaluated in 2026.
        params.update(start=plan.period_start, end=on.year - 1)
        message = (
            _("“%(plan)s”: đánh giá thực hiện quy hoạch 5 năm (%(start)s–%(end)s), hạn %(due)s.")
            % params
        )
    else:
        kind = "evaluation_annual"
        message = _("“%(plan)s”: đánh giá thực hiện quy hoạch năm %(year)s, hạn %(due)s.") % params
    return Reminder(kind, plan, due_on, message, str(law.cite(Rule.EVALUATION, on=on)))


def _past_period(plan: Plan, on: dt.date) -> Reminder | None:
    if plan.stage not in IN_FORCE or plan.period_end >= on.year:
        return None
    due_on = dt.date(plan.period_end, 12, 31)
    message = _(
        "“%(plan)s”: thời kỳ quy hoạch đã kết thúc năm %(end)s nhưng quy hoạch vẫn đang được "
        "thực hiện; cần lập quy hoạch thời kỳ mới hoặc điều chỉnh."
    ) % {"plan": plan.name, "end": plan.period_end}
    cited = "; ".join(
        dict.fromkeys(str(law.cite(rule, on=on)) for rule in (Rule.PERIOD, Rule.ADJUSTMENT))
    )
    return Reminder("past_period", plan, due_on, message, cited)


def due(*, on: dt.date, plans=None) -> list[Reminder]:
    """Reminders due or overdue on ``on`` for ``plans`` (all plans by default)."""
    from regionlink.plans.lifecycle import deadlines

    plans = list(Plan.objects.all() if plans is None else plans)
    evaluated = set(
        PlanDocument.objects.filter(
            plan__in=[p.pk for p in plans],
            doc_type=DocumentType.EVALUATION_REPORT,
            uploaded_at__year=on.year,
        ).values_list("plan_id", flat=True)
    )
    found: list[Reminder] = []
    for plan in plans:
        for reminder in (_evaluation(plan, on, evaluated), _past_period(plan, on)):
            if reminder is not None:
                found.append(reminder)
        for deadline in deadlines(plan, on=on):
            if deadline.code in DEADLINE_KINDS and deadline.overdue:
                found.append(
                    Reminder(
                        deadline.code,
                        plan,
                        deadline.due_on,
                        _("“%(plan)s”: %(what)s") % {"plan": plan.name, "what": deadline.message},
                        deadline.legal_basis,
                    )
                )
    return sorted(found, key=lambda r: (r.due_on, r.plan.code, r.kind))

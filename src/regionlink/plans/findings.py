"""A person's decision on a finding, and its explanation in the page's language.

Findings store a message code and parameters, never a sentence: :func:`explanation` renders
it in the active language from the gettext messages below. Who decides: an approver of the
organising body of any plan involved (the body that would adjust its plan) or an approver of
a national body (the planning department); see permissions.can_decide.
"""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regionlink.audit import services as audit
from regionlink.plans.law import PlanLevel
from regionlink.plans.models import Finding, FindingStatus
from regionlink.plans.review_access import can_decide

__all__ = ["MESSAGES", "can_decide", "decide", "explanation", "explanations", "indicator_names"]

MESSAGES = {
    "missing_link": gettext_lazy(
        "“%(lower_name)s” chưa ghi nhận quy hoạch cấp trên phải phù hợp thuộc cấp "
        "“%(level)s”; gợi ý: “%(higher_name)s”."
    ),
    "no_higher_plan": gettext_lazy(
        "Chưa có quy hoạch cấp “%(level)s” cho địa bàn của “%(lower_name)s” trong hệ thống: "
        "chưa xác lập được quy hoạch cấp trên phải phù hợp."
    ),
    "period_mismatch": gettext_lazy(
        "Thời kỳ của “%(lower_name)s” (%(lower_period)s) không nằm trong thời kỳ của quy "
        "hoạch cấp trên “%(higher_name)s” (%(higher_period)s)."
    ),
    "sum_above": gettext_lazy(
        "Tổng chỉ tiêu “%(indicator_name)s” năm %(year)s của các quy hoạch cấp dưới là "
        "%(implied)s %(unit)s, vượt mức %(required)s %(unit)s của “%(higher_name)s”."
    ),
    "sum_below": gettext_lazy(
        "Tổng chỉ tiêu “%(indicator_name)s” năm %(year)s của các quy hoạch cấp dưới là "
        "%(implied)s %(unit)s, thấp hơn mức %(required)s %(unit)s của “%(higher_name)s”."
    ),
    "weighted_below": gettext_lazy(
        "Chỉ tiêu “%(indicator_name)s” năm %(year)s của các quy hoạch cấp dưới, bình quân gia "
        "quyền theo %(weight)s, đạt %(implied)s %(unit)s, chưa đạt yêu cầu %(required)s "
        "%(unit)s của “%(higher_name)s”."
    ),
    "weighted_above": gettext_lazy(
        "Chỉ tiêu “%(indicator_name)s” năm %(year)s của các quy hoạch cấp dưới, bình quân gia "
        "quyền theo %(weight)s, là %(implied)s %(unit)s, vượt giới hạn %(required)s %(unit)s "
        "của “%(higher_name)s”."
    ),
    "growth_range": gettext_lazy(
        "Chỉ tiêu “%(indicator_name)s” của “%(lower_name)s” (%(implied)s %(unit)s/năm, "
        "%(span)s) không giao với khoảng %(required)s %(unit)s/năm của “%(higher_name)s”."
    ),
    "growth_compounded": gettext_lazy(
        "Các chỉ tiêu “%(indicator_name)s” theo từng giai đoạn của “%(lower_name)s”, tính gộp "
        "bình quân cho %(span)s, đạt %(implied)s %(unit)s/năm, nằm ngoài khoảng %(required)s "
        "%(unit)s/năm của “%(higher_name)s”."
    ),
    "value_contradiction": gettext_lazy(
        "Chỉ tiêu “%(indicator_name)s” năm %(year)s của “%(lower_name)s” (%(implied)s "
        "%(unit)s) mâu thuẫn với mức %(required)s %(unit)s của “%(higher_name)s”."
    ),
    "territory_drift_province": gettext_lazy(
        "“%(plan_name)s” là quy hoạch của %(unit_name)s, đơn vị đã kết thúc ngày %(ended)s; "
        "địa bàn nay thuộc %(successors)s."
    ),
    "territory_drift_region": gettext_lazy(
        "“%(plan_name)s” là quy hoạch của vùng %(unit_name)s, vùng đã kết thúc ngày %(ended)s; "
        "các tỉnh của vùng nay thuộc %(successors)s."
    ),
}

RECONSOLIDATE_NOTE = gettext_lazy("%(count)s chỉ tiêu cần tổng hợp lại theo địa bàn mới.")

HUB_NOTE = gettext_lazy(
    "Trọng số của %(units)s lấy từ số liệu dân số đã công bố trên kho dữ liệu (không có chỉ "
    "tiêu quy hoạch tương ứng)."
)
MISSING_NOTE = gettext_lazy("Chưa có chỉ tiêu của: %(units)s.")

SYMBOL = {"ge": "≥", "le": "≤", "eq": "="}


def _number(value, decimals) -> str:
    if value is None or (isinstance(value, float) and math.isinf(value)):
        return "∞"
    return formats.number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)


def _interval(pair, decimals) -> str:
    lo, hi = pair
    if lo is None:
        return "≤ " + _number(hi, decimals)
    if hi is None:
        return "≥ " + _number(lo, decimals)
    if abs(lo - hi) < 10 ** -(decimals + 2):
        return _number(lo, decimals)
    return _number(lo, decimals) + "–" + _number(hi, decimals)


def _required(params, decimals) -> str:
    value, value_max = params["required"]
    if params["comparator"] == "range" and value_max is not None:
        return _number(value, decimals) + "–" + _number(value_max, decimals)
    return SYMBOL.get(params["comparator"], "") + " " + _number(value, decimals)


def _date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def _lower_first(name: str) -> str:
    """ "Dân số trung bình" → "dân số trung bình" mid-sentence; "GRDP…" stays as it is."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def _weight_codes(params: dict) -> set[str]:
    weight = params.get("weight")
    return {weight} if isinstance(weight, str) and weight else set()


def indicator_names(codes) -> dict[str, str]:
    """{indicator code: name in the active language} for ``codes``, in one query."""
    from regionlink.indicators.models import Indicator

    codes = set(codes)
    if not codes:
        return {}
    return {
        i.code: i.display_name
        for i in Indicator.objects.filter(code__in=codes).only("code", "name", "name_en")
    }


def render(message_code: str, params: dict, names: dict[str, str] | None = None) -> str:
    """The sentence for ``message_code`` with ``params``, in the active language.

    ``names`` maps indicator codes to their names (:func:`indicator_names`); a weighted mean
    then names its weight ("dân số trung bình"), otherwise its code (no query here, so that
    a list calling this once a finding stays at a constant number of queries)."""
    values = dict(params)
    decimals = params.get("decimals", 1)
    if params.get("weight"):
        weight = params["weight"]
        values["weight"] = _lower_first(names[weight]) if names and weight in names else weight
    if "level" in params:
        values["level"] = PlanLevel(params["level"]).label
    for key in ("lower_period", "higher_period"):
        if key in params:
            values[key] = "{}–{}".format(*params[key])
    if "implied" in params:
        values["implied"] = _interval(params["implied"], decimals)
        values["required"] = _required(params, decimals)
        base = params.get("base_year") or (params.get("members") or [{}])[0].get("base_year")
        values["span"] = f"{base}–{params['year']}" if base else str(params["year"])
    if "successors" in params:
        values["successors"] = ", ".join(s["name"] for s in params["successors"]) or "—"
        values["ended"] = _date(params["ended"])
    text = str(MESSAGES[message_code]) % values
    if params.get("targets") and "successors" in params:
        text += " " + str(RECONSOLIDATE_NOTE) % {"count": len(params["targets"])}
    if params.get("weights_from_data_hub"):
        units = ", ".join(f"{w['unit']} ({w['year']})" for w in params["weights_from_data_hub"])
        text += " " + str(HUB_NOTE) % {"units": units}
    if params.get("missing"):
        text += " " + str(MISSING_NOTE) % {"units": ", ".join(params["missing"])}
    return text


def explanation(finding, names: dict[str, str] | None = None) -> str:
    """The finding's explanation in the active language (``names``: see :func:`render`; a
    page of findings uses :func:`explanations`)."""
    return render(finding.message_code, finding.params, names)


def explanations(findings) -> dict[int, str]:
    """{finding id: explanation} for a page of findings; the indicator names they need are
    fetched once for the page, not once a finding."""
    findings = list(findings)
    codes = set().union(*(_weight_codes(f.params) for f in findings)) if findings else set()
    names = indicator_names(codes)
    return {f.pk: render(f.message_code, f.params, names) for f in findings}


@transaction.atomic
def decide(*, actor, finding: Finding, status: str, reason: str) -> Finding:
    """Accept or dismiss a finding, with the reason recorded."""
    from django.core.exceptions import PermissionDenied

    if not can_decide(actor, finding):
        raise PermissionDenied(
            _(
                "Bạn không có quyền xác nhận hoặc bác bỏ phát hiện này: cần vai trò “Phê duyệt” "
                "tại cơ quan tổ chức lập một quy hoạch liên quan hoặc cơ quan toàn quốc."
            )
        )
    if status not in (FindingStatus.ACCEPTED, FindingStatus.DISMISSED):
        raise ValidationError(
            {"status": _("Trạng thái phải là “accepted” (xác nhận) hoặc “dismissed” (bác bỏ).")},
            code="invalid_status",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Nhập lý do xác nhận hoặc bác bỏ phát hiện (trường “lý do”).")},
            code="reason_required",
        )
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    before = {"status": finding.status, "reason": finding.decision_reason}
    finding.status = status
    finding.decision_reason = reason
    finding.decided_by = actor
    finding.decided_at = timezone.now()
    finding.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    audit.record(
        actor=actor,
        action="plans.finding_decide",
        obj=finding,
        before=before,
        after={"status": status, "reason": reason},
    )
    return finding

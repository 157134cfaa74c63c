"""How an indicator's values combine across provinces and across time, in words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from regionlink.indicators import disaggregation
from regionlink.indicators.models import Indicator, SpatialRule, TemporalRule


def _component(indicator: Indicator | None, key: str, members: dict) -> str:
    """ "Dân số trung bình (Thành thị)" for POP_AVG with URBAN=U."""
    if indicator is None:
        return "?"
    parts = disaggregation.parse(key) if key else {}
    names = [members.get((dim, member), f"{dim}={member}") for dim, member in parts.items()]
    return f"{indicator.name} ({', '.join(names)})" if names else indicator.name


def spatial_rule_text(indicator: Indicator, members: dict) -> str:
    """How values of provinces combine into a region, in words."""
    rule = indicator.spatial_rule
    if rule == SpatialRule.SUM:
        return _("Tổng hợp vùng: cộng các tỉnh, thành phố")
    if rule == SpatialRule.WEIGHTED_MEAN:
        return _("Tổng hợp vùng: bình quân gia quyền theo %(weight)s") % {
            "weight": _component(indicator.weight, "", members)
        }
    if rule == SpatialRule.RATIO:
        text = _("Tổng hợp vùng: tính lại tỷ số %(numerator)s ÷ %(denominator)s") % {
            "numerator": _component(
                indicator.numerator, indicator.numerator_disaggregation, members
            ),
            "denominator": _component(
                indicator.denominator, indicator.denominator_disaggregation, members
            ),
        }
        if indicator.scale != 1:
            text += " × " + _number_words(indicator.scale)
        return text
    if rule == SpatialRule.DERIVED:
        return _("Tổng hợp vùng: tính theo công thức %(formula)s") % {"formula": indicator.formula}
    reason = indicator.not_aggregable_reason or _("chỉ số không cộng hay bình quân được")
    return _("Không tổng hợp vùng: %(reason)s") % {"reason": reason}


def temporal_rule_text(indicator: Indicator) -> str:
    """How values combine across time, in words."""
    return {
        TemporalRule.FLOW: _("Theo thời gian: số phát sinh trong kỳ (cộng các kỳ trong năm)"),
        TemporalRule.STOCK: _("Theo thời gian: số tại một thời điểm (không cộng các kỳ)"),
        TemporalRule.CUMULATIVE: _("Theo thời gian: số lũy kế (không cộng qua các năm)"),
    }.get(indicator.temporal_rule, indicator.get_temporal_rule_display())


def _number_words(value) -> str:
    from regionlink.web.templatetags.regionlink_tags import vn_number

    return vn_number(value.normalize() if hasattr(value, "normalize") else value)


def annotate_rules(indicators, members: dict) -> list[Indicator]:
    """The indicators, each with ``spatial_text`` and ``temporal_text`` set."""
    rows = list(indicators)
    for indicator in rows:
        indicator.spatial_text = spatial_rule_text(indicator, members)
        indicator.temporal_text = temporal_rule_text(indicator)
    return rows

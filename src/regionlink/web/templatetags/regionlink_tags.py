"""Template filters and tags for Vietnamese-first display of numbers, dates and demo data."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms, template
from django.utils import formats, timezone

register = template.Library()

MISSING = "—"


def _as_decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # repr is the shortest string that round-trips: 0.1 stays 0.1, not 0.1000000000000000055.
        number = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


@register.filter
def vn_number(value, decimals=None):
    """1.234,5 in Vietnamese, 1,234.5 in English; ``decimals`` rounds half up; None → "—"."""
    if value is None or value == "":
        return MISSING
    number = _as_decimal(value)
    if number is None:
        return MISSING if isinstance(value, float | Decimal) else value
    decimal_pos = None
    if decimals not in (None, ""):
        try:
            decimal_pos = max(0, int(decimals))
        except (TypeError, ValueError):
            decimal_pos = None
    if decimal_pos is not None:
        # GSO tables round half up; Django's own formatter would truncate instead.
        number = number.quantize(Decimal(1).scaleb(-decimal_pos), rounding=ROUND_HALF_UP)
    if number.is_zero():
        number = abs(number)  # never show "-0,0"
    return formats.number_format(number, decimal_pos=decimal_pos, force_grouping=True)


@register.filter
def vn_date(value):
    """dd/mm/yyyy; aware datetimes are shown in the local time zone; None → "—"."""
    if value in (None, ""):
        return MISSING
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


@register.filter
def vn_datetime(value):
    """HH:MM dd/mm/yyyy in the local time zone; None → "—"."""
    if value in (None, ""):
        return MISSING
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%H:%M %d/%m/%Y")
    return vn_date(value)


@register.filter
def minutes(value) -> int:
    """Whole minutes of a timedelta (or of hours given as a number), rounded up."""
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
    else:
        try:
            seconds = float(value) * 3600
        except (TypeError, ValueError):
            return 0
    return max(0, math.ceil(seconds / 60))


@register.inclusion_tag("web/_demo_badge.html")
def demo_badge(subject=True):
    """The "Dữ liệu minh họa" label; given an object, shown only when its ``is_demo`` is set."""
    show = subject if isinstance(subject, bool) else bool(getattr(subject, "is_demo", subject))
    return {"show": show}


_CHECK_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def bs_widget(bound_field):
    """Render a form field's widget with Bootstrap classes and the invalid state."""
    widget = bound_field.field.widget
    if isinstance(widget, _CHECK_WIDGETS):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    existing = widget.attrs.get("class", "")
    classes = [c for c in (existing, css, "is-invalid" if bound_field.errors else "") if c]
    return bound_field.as_widget(attrs={"class": " ".join(classes)})

"""Statistical periods: a year "2016", a quarter "2016-Q1" or a month "2016-03"."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MIN_YEAR, MAX_YEAR = 1975, 2100


class PeriodError(ValueError):
    """Text that is not a period; the message says which forms are accepted."""


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str  # "year" | "quarter" | "month"
    label: str

    def __str__(self) -> str:
        return self.label

    @property
    def year(self) -> int:
        return self.start.year


def year(value: int) -> Period:
    return Period(dt.date(value, 1, 1), dt.date(value, 12, 31), "year", str(value))


def parse(text: str) -> Period:
    """Parse "2016", "2016-Q1"/"2016Q1" or "2016-03"; raise PeriodError otherwise."""
    raw = str(text).strip()
    if m := _YEAR.match(raw):
        result = year(int(m.group(1)))
    elif m := _QUARTER.match(raw):
        y, q = int(m.group(1)), int(m.group(2))
        first = 3 * (q - 1) + 1
        last_day = calendar.monthrange(y, first + 2)[1]
        result = Period(
            dt.date(y, first, 1), dt.date(y, first + 2, last_day), "quarter", f"{y}-Q{q}"
        )
    elif m := _MONTH.match(raw):
        y, mo = int(m.group(1)), int(m.group(2))
        last_day = calendar.monthrange(y, mo)[1]
        result = Period(dt.date(y, mo, 1), dt.date(y, mo, last_day), "month", f"{y}-{mo:02d}")
    else:
        raise PeriodError(
            _("Kỳ “%(value)s” không hợp lệ: dùng năm (2016), quý (2016-Q1) hoặc tháng (2016-03).")
            % {"value": raw}
        )
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        raise PeriodError(
            _("Năm %(year)s nằm ngoài khoảng %(first)s–%(last)s.")
            % {"year": result.year, "first": MIN_YEAR, "last": MAX_YEAR}
        )
    return result


def year_range(text: str) -> list[Period]:
    """ "2016" or "2010:2016" (inclusive) as a list of year periods."""
    raw = str(text).strip()
    if ":" in raw:
        first, last = (part.strip() for part in raw.split(":", 1))
        a, b = parse(first), parse(last)
        if a.kind != "year" or b.kind != "year" or a.year > b.year:
            raise PeriodError(
                _("Khoảng kỳ “%(value)s” không hợp lệ: dùng dạng 2010:2016.") % {"value": raw}
            )
        return [year(y) for y in range(a.year, b.year + 1)]
    return [parse(raw)]

"""Every rule a value must pass before it is staged, checked with in-memory lookups.

The catalogue, the units (≈14,000, with their validity) and the periods are loaded once;
every distinct indicator, unit, period and disaggregation text is answered once and cached,
so a million rows cost dictionary lookups, not queries.

Numbers. A value is read by one rule, whichever language the file was written in:

- spaces (also non-breaking ones) and apostrophes inside a number are digit grouping;
- when both "." and "," appear, the one written **last** is the decimal mark and the other
  groups thousands: "1.234,5" (Vietnamese) and "1,234.5" (English) are both 1234.5;
- one kind of separator appearing **more than once** groups thousands: "1.234.567" and
  "1,234,567" are 1234567;
- a separator appearing **once** is the decimal mark: "1234.5", "1234,5", and also "1.234"
  and "1,234" (= 1.234). Write a thousand as "1234", "1 234" or "1.234,0";
- "1,5E+3" style exponents and spreadsheet numbers are taken as they are; more than six
  decimals are rounded to six (the precision values are stored with).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import NamedTuple

from django.utils.translation import gettext as _

from regionlink.core.text import compact, fold
from regionlink.indicators import disaggregation, periods
from regionlink.indicators.errors import DataErrorCode, Issue, issue
from regionlink.indicators.importing.readers import MISSING, STATUS_WORDS, Record
from regionlink.indicators.models import Indicator, SpatialRule

C = DataErrorCode
MAX_LISTED = 1000  # issues listed in a report; every one is counted
SIX_PLACES = Decimal("0.000001")
LIMIT = Decimal(10) ** 18  # DataValue.value: 24 digits, 6 of them decimals


class NumberError(ValueError):
    pass


_PLAIN = re.compile(r"[-+]?\d+(?:\.\d+)?\Z")
_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE][-+]?\d+\Z")
_GROUPED = {
    ".": re.compile(r"\d{1,3}(?:\.\d{3})+\Z"),
    ",": re.compile(r"\d{1,3}(?:,\d{3})+\Z"),
}
_GROUPING = str.maketrans("", "", " \u00a0\u202f\u2009\u2007'’")


def parse_number(value: object) -> Decimal:
    """A value as written → Decimal, by the rule in this module's docstring."""
    if isinstance(value, bool):
        raise NumberError(value)
    if isinstance(value, Decimal | int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise NumberError(value)
        return number
    text = str(value).strip()
    if _PLAIN.match(text):
        return Decimal(text)
    text = text.translate(_GROUPING).replace("\u2212", "-")
    sign = ""
    if text[:1] in ("-", "+"):
        sign, text = text[0].replace("+", ""), text[1:]
    if not text:
        raise NumberError(value)
    if _SCIENTIFIC.match(text):
        return Decimal(sign + text.replace(",", "."))
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        mark = "." if text.rfind(".") > text.rfind(",") else ","
        whole, _sep, fraction = text.rpartition(mark)
        group = "," if mark == "." else "."
        if not _GROUPED[group].match(whole):
            raise NumberError(value)
        whole = whole.replace(group, "")
    elif dots > 1 or commas > 1:
        group = "." if dots else ","
        if not _GROUPED[group].match(text):
            raise NumberError(value)
        whole, fraction = text.replace(group, ""), ""
    elif dots or commas:
        whole, _sep, fraction = text.partition("." if dots else ",")
        if not fraction:
            raise NumberError(value)
    else:
        whole, fraction = text, ""
    if not (whole or fraction) or not (whole.isdigit() or not whole):
        raise NumberError(value)
    if fraction and not fraction.isdigit():
        raise NumberError(value)
    if not whole.isascii() or not fraction.isascii():
        raise NumberError(value)  # other scripts' digits
    try:
        return Decimal(f"{sign}{whole or '0'}.{fraction or '0'}")
    except InvalidOperation as error:
        raise NumberError(value) from error


def parse_status(text: str) -> str | None:
    """ "sơ bộ", "Prel.", "P" → "preliminary"; "" → "official"; None when unknown."""
    return STATUS_WORDS.get(fold(text))


_new_tuple = tuple.__new__


class ValidRow(NamedTuple):
    """A value that passed every rule, ready to stage."""

    row: int
    indicator_id: int
    unit_id: int
    period: str
    period_start: dt.date
    period_end: dt.date
    disaggregation: str
    value: Decimal
    status: str
    source: str


@dataclass(frozen=True)
class IndicatorInfo:
    id: int
    code: str
    name: str
    unit_of_measure: str
    spatial_rule: str
    is_percentage: bool
    min_value: Decimal | None
    max_value: Decimal | None
    allowed: dict[str, set[str]]
    components: str  # for computed indicators: "GRDP và POP_AVG"

    @property
    def is_computed(self) -> bool:
        return self.spatial_rule in (SpatialRule.RATIO, SpatialRule.DERIVED)

    @property
    def allowed_text(self) -> str:
        if not self.allowed:
            return _("không có phân tổ")
        return "; ".join(f"{d}={'/'.join(sorted(m))}" for d, m in sorted(self.allowed.items()))


def load_indicators() -> dict[str, IndicatorInfo]:
    infos = {}
    queryset = Indicator.objects.select_related("numerator", "denominator").prefetch_related(
        "dimensions__members"
    )
    for ind in queryset:
        allowed = {d.code: {m.code for m in d.members.all()} for d in ind.dimensions.all()}
        parts = [c.code for c in (ind.numerator, ind.denominator) if c is not None]
        components = _(" và ").join(parts) if parts else ind.formula
        infos[ind.code] = IndicatorInfo(
            ind.id,
            ind.code,
            ind.name,
            ind.unit_of_measure,
            ind.spatial_rule,
            ind.is_percentage,
            ind.min_value,
            ind.max_value,
            allowed,
            components,
        )
    return infos


class UnitRow(NamedTuple):
    id: int
    code: str
    name: str
    short_name: str
    name_en: str
    valid_from: dt.date | None
    valid_to: dt.date | None

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_to is None or self.valid_to >= start
        )

    def valid_on(self, date: dt.date) -> bool:
        return self.overlaps(date, date)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"

    def validity(self) -> str:
        first = f"{self.valid_from:%d/%m/%Y}" if self.valid_from else None
        last = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else None
        if first and last:
            return _("có hiệu lực từ %(start)s đến %(end)s") % {"start": first, "end": last}
        if first:
            return _("có hiệu lực từ %(start)s") % {"start": first}
        if last:
            return _("chỉ có hiệu lực đến %(end)s") % {"end": last}
        return _("luôn có hiệu lực")


_NAME_PREFIXES = (
    "thanhpho",
    "tinh",
    "tp",
    "phuong",
    "xa",
    "dackhu",
    "quan",
    "huyen",
    "thixa",
    "thitran",
)


def _names(name: str, unit: UnitRow) -> bool:
    """Does ``name`` name ``unit`` (with or without diacritics and its "Tỉnh"/"TP." prefix)?"""
    key = compact(name)
    keys = {compact(unit.name), compact(unit.short_name), compact(unit.name_en)} - {""}
    if key in keys:
        return True
    return any(key.startswith(p) and key[len(p) :] in keys for p in _NAME_PREFIXES)


class Outcome(NamedTuple):
    """A cached answer: the id found, or the issue to report (code and parameters)."""

    value: object
    code: DataErrorCode | None = None
    params: dict | None = None
    created_later: int | None = None  # the unit named, when it was created after the period


class Validator:
    """Checks records against the catalogue, the territory and each other."""

    def __init__(
        self,
        *,
        unit_level: str | None = None,
        columns: dict | None = None,
        skip_created_later: bool = False,
    ):
        from regionlink.geography.models import AdministrativeUnit

        self.unit_level = unit_level
        self.columns = columns or {}
        # Values of units created after their period (a statistics office back-casting a new
        # province's series) are skipped with a warning instead of refused, when asked.
        self.skip_created_later = skip_created_later
        self.created_later: list[ValidRow] = []
        self.indicators = load_indicators()
        self.units_by_code: dict[str, list[UnitRow]] = {}
        for row in AdministrativeUnit.objects.values_list(
            "id", "code", "name", "short_name", "name_en", "valid_from", "valid_to"
        ).iterator(chunk_size=5000):
            unit = UnitRow(*row)
            self.units_by_code.setdefault(unit.code, []).append(unit)
        self.units_by_id = {u.id: u for units in self.units_by_code.values() for u in units}
        self._indicator_cache: dict[str, Outcome] = {}
        self._period_cache: dict[str, Outcome] = {}
        self._unit_cache: dict[tuple, Outcome] = {}
        self._disaggregation_cache: dict[tuple, Outcome] = {}
        self._status_cache: dict[str, str | None] = {}
        self._resolutions: dict[tuple, object] = {}
        self._province_names: dict[str, list[UnitRow]] = {}
        self._period_index: dict[str, int] = {}
        self._periods: dict[str, periods.Period] = {}  # label → period, of parsed periods
        self._disaggregation_index: dict[str, int] = {}
        self._valid_splits: dict[tuple, tuple] = {}  # (indicator, disaggregation) → info, key, d
        self._valid_places: dict[tuple, tuple] = {}  # (unit, name, period) → id, period, p
        self.seen: dict[int, int] = {}  # packed key → first row
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.error_counts: Counter = Counter()
        self.warning_counts: Counter = Counter()
        self.records = 0
        self.valid = 0
        self.missing = 0
        self.rounded = 0
        self.by_indicator: Counter = Counter()
        self.units_seen: set[int] = set()

    # --- Issues ----------------------------------------------------------------------------
    def add(self, found: Issue) -> None:
        if found.severity == "error":
            self.error_counts[found.code] += 1
            if len(self.errors) < MAX_LISTED:
                self.errors.append(found)
        else:
            self.warning_counts[found.code] += 1
            if len(self.warnings) < MAX_LISTED:
                self.warnings.append(found)

    @property
    def error_count(self) -> int:
        return sum(self.error_counts.values())

    def _column(self, field: str, record: Record) -> str:
        return self.columns.get(field) or record.column

    def _report(self, outcome: Outcome, record: Record, field: str, value) -> None:
        self.add(
            issue(
                outcome.code,
                row=record.row,
                column=self._column(field, record),
                value=value,
                **(outcome.params or {}),
            )
        )

    # --- Lookups (cached) ------------------------------------------------------------------
    def indicator_info(self, code: str) -> IndicatorInfo | None:
        return self.indicators.get((code or "").strip().upper())

    def _indicator(self, text: str) -> Outcome:
        found = self._indicator_cache.get(text)
        if found is None:
            info = self.indicator_info(text)
            if info is None:
                close = difflib.get_close_matches(text.upper(), list(self.indicators), n=3)
                hint = (_(" — có phải: %(codes)s?") % {"codes": ", ".join(close)}) if close else ""
                found = Outcome(None, C.UNKNOWN_INDICATOR, {"hint": hint})
            elif info.is_computed:
                found = Outcome(
                    None,
                    C.COMPUTED_INDICATOR,
                    {"indicator": info.code, "components": info.components},
                )
            else:
                found = Outcome(info)
            self._indicator_cache[text] = found
        return found

    def _period(self, text: str) -> Outcome:
        found = self._period_cache.get(text)
        if found is None:
            try:
                found = Outcome(periods.parse(text))
                self._periods[found.value.label] = found.value
            except periods.PeriodError:
                params = {"min": periods.MIN_YEAR, "max": periods.MAX_YEAR}
                found = Outcome(None, C.INVALID_PERIOD, params)
            self._period_cache[text] = found
        return found

    def _status(self, text: str) -> str | None:
        if text not in self._status_cache:
            self._status_cache[text] = parse_status(text)
        return self._status_cache[text]

    def _disaggregation(self, info: IndicatorInfo, text: str) -> Outcome:
        key = (info.id, text)
        found = self._disaggregation_cache.get(key)
        if found is None:
            try:
                found = Outcome(disaggregation.validate(text, info.allowed))
            except disaggregation.DisaggregationError as error:
                params = {
                    "indicator": info.code,
                    "detail": str(error),
                    "allowed": info.allowed_text,
                }
                found = Outcome(None, C.UNKNOWN_DISAGGREGATION, params)
            self._disaggregation_cache[key] = found
        return found

    def _unit(self, text: str, name: str, period: periods.Period) -> Outcome:
        key = (text, name, period.label)
        found = self._unit_cache.get(key)
        if found is None:
            code = text.strip()
            if code.isdigit():
                found = self._unit_by_code(code, name, period)
            else:
                found = self._unit_by_name(code or name, period)
            self._unit_cache[key] = found
        return found

    def _candidates(self, code: str) -> list[UnitRow]:
        found = self.units_by_code.get(code)
        if found is None and len(code) == 1:
            found = self.units_by_code.get(code.zfill(2))  # a spreadsheet dropped the 0 of "01"
        if found is None and len(code) == 4:
            found = self.units_by_code.get(code.zfill(5))  # … or of a commune's "00004"
        return found or []

    def _unit_by_code(self, code: str, name: str, period: periods.Period) -> Outcome:
        candidates = self._candidates(code)
        if not candidates:
            hint = ""
            if name:
                resolution = self._resolve(name, period.end)
                hint = self._suggest(resolution)
            return Outcome(None, C.UNKNOWN_UNIT, {"hint": hint})
        live = [u for u in candidates if u.overlaps(period.start, period.end)]
        # A code reused over time (08 was the old Tuyên Quang, then the new one from
        # 01/07/2025) means the unit valid in the period; at its end if two overlap it.
        pick = next((u for u in live if u.valid_on(period.end)), None)
        if pick is None and live:
            pick = max(live, key=lambda u: u.valid_from or dt.date.min)
        if name and pick is not None and not self._names_unit(name, pick, period):
            other = next((u for u in candidates if u is not pick and _names(name, u)), None)
            if other is not None:
                return self._not_valid(other, period)
            resolution = self._resolve(name, period.end)
            best = getattr(resolution, "best", None)
            hint = ""
            if best is not None:
                hint = _(" Trong kỳ %(period)s, “%(name)s” có mã %(code)s.") % {
                    "period": period.label,
                    "name": name,
                    "code": best.unit.code,
                }
            params = {
                "code": code,
                "period": period.label,
                "unit": pick.name,
                "name": name,
                "hint": hint,
            }
            return Outcome(None, C.UNIT_CODE_NAME_MISMATCH, params)
        if pick is None:
            named = next((u for u in candidates if name and _names(name, u)), candidates[-1])
            return self._not_valid(named, period)
        return Outcome(pick.id)

    def _names_unit(self, name: str, unit: UnitRow, period: periods.Period) -> bool:
        if _names(name, unit):
            return True
        resolution = self._resolve(name, period.end)
        return any(
            m.unit.id == unit.id or (m.via is not None and m.via.id == unit.id)
            for m in getattr(resolution, "matches", ())
        )

    def _not_valid(self, unit: UnitRow, period: periods.Period) -> Outcome:
        from regionlink.geography.models import Succession

        if unit.valid_to is not None and unit.valid_to < period.start:
            after = Succession.objects.filter(predecessor_id=unit.id).select_related("successor")
            names = sorted({f"{s.successor.code} {s.successor.name}" for s in after})
            advice = _(
                "Số liệu kỳ %(period)s ghi cho đơn vị có hiệu lực trong kỳ%(successors)s, "
                "hoặc sửa lại kỳ."
            ) % {
                "period": period.label,
                "successors": (" (" + ", ".join(names) + ")") if names else "",
            }
        else:
            before = Succession.objects.filter(successor_id=unit.id).select_related("predecessor")
            names = sorted({f"{s.predecessor.code} {s.predecessor.name}" for s in before})
            advice = _(
                "Kỳ %(period)s ghi số liệu theo các đơn vị khi đó%(predecessors)s với mã có "
                "hiệu lực trong kỳ, hoặc sửa lại kỳ."
            ) % {
                "period": period.label,
                "predecessors": (" (" + ", ".join(names[:6]) + ")") if names else "",
            }
        params = {
            "unit": unit.label,
            "period": period.label,
            "validity": unit.validity(),
            "advice": advice,
        }
        later = unit.id if unit.valid_from is not None and unit.valid_from > period.end else None
        return Outcome(None, C.UNIT_NOT_VALID_IN_PERIOD, params, later)

    def _resolve(self, name: str, date: dt.date | None):
        from regionlink.geography.names import resolve

        key = (fold(name), date)
        if key not in self._resolutions:
            self._resolutions[key] = resolve(name, date=date, level=self.unit_level, limit=5)
        return self._resolutions[key]

    @staticmethod
    def _suggest(resolution) -> str:
        suggestions = list(getattr(resolution, "suggestions", ()))
        if not suggestions and resolution is not None and resolution.matches:
            suggestions = [m.unit.name for m in resolution.matches[:3]]
        if not suggestions:
            return ""
        return " " + _("Có phải: %(names)s?") % {"names": ", ".join(suggestions)}

    def _unit_by_name(self, name: str, period: periods.Period) -> Outcome:
        if not name:
            return Outcome(None, C.UNKNOWN_UNIT, {"hint": ""})
        # A province's name names the same province all through its validity (names of
        # provinces are unique on any date), so one resolution serves every year of it.
        key = fold(name)
        for unit in self._province_names.get(key, ()):
            if unit.valid_on(period.end):
                return Outcome(unit.id)
        resolution = self._resolve(name, period.end)
        best = resolution.matches[0] if resolution.matches else None
        if best is not None and best.matched_on == "fuzzy":  # a misspelling: ask, never guess
            return Outcome(None, C.UNKNOWN_UNIT, {"hint": self._suggest(resolution)})
        if resolution.status == "ambiguous":
            candidates = ", ".join(f"{m.unit.name} ({m.unit.code})" for m in resolution.matches[:4])
            return Outcome(None, C.AMBIGUOUS_UNIT, {"candidates": candidates})
        if best is None or resolution.status != "resolved" or best.matched_on == "fuzzy":
            # Not a name on the period's last day: perhaps of a unit created later ("Đắk
            # Nông" in 2003), which deserves a better answer than "unknown".
            today = self._resolve(name, None)
            named = None
            if today.best is not None and today.best.matched_on != "fuzzy":
                named = today.best.via or today.best.unit
            if named is not None:
                later = self.units_by_id.get(named.id)
                if later is not None and not later.overlaps(period.start, period.end):
                    return self._not_valid(later, period)
            return Outcome(None, C.UNKNOWN_UNIT, {"hint": self._suggest(resolution)})
        unit = self.units_by_id.get(best.unit.id)
        if best.via is not None:  # the name is of a unit that had ended by the period's end
            via = self.units_by_id.get(best.via.id)
            if via is not None and via.overlaps(period.start, period.end):
                return Outcome(via.id)
            return self._not_valid(via or unit, period)
        if unit is None or not unit.overlaps(period.start, period.end):
            return self._not_valid(unit, period)
        if best.unit.level == "province" and unit.valid_on(period.end):
            self._province_names.setdefault(key, []).append(unit)
        return Outcome(unit.id)

    # --- The rules -------------------------------------------------------------------------
    def check(self, record: Record) -> ValidRow | None:
        """The staged form of ``record``, or None after reporting what is wrong with it.

        The common case (every part already seen and valid, a plain number) is answered from
        the caches inline; anything else takes the full path, which reports every problem.
        """
        row, _col, indicator, unit, unit_name, period_text, dis, value, status_text, source = record
        # Both caches hold only what a valid row of the full path found (see _remember).
        split = self._valid_splits.get((indicator, dis))
        place = self._valid_places.get((unit, unit_name, period_text))
        status = self._status_cache.get(status_text)
        if (
            split is None
            or place is None
            or status is None
            or value.__class__ is not str
            or not _PLAIN.match(value)
        ):
            return self._check(record)
        dot = value.find(".")
        if dot >= 0 and len(value) - dot > 7:
            return self._check(record)
        info, key, d = split
        unit_id, period, p = place
        number = Decimal(value)
        low, high = info.min_value, info.max_value
        if (
            (low is not None and number < low)
            or (high is not None and number > high)
            or (info.is_percentage and not 0 <= number <= 100)
            or abs(number) >= LIMIT
        ):
            return self._check(record)
        label = period.label
        packed = (((info.id << 40) | unit_id) << 40 | p) << 24 | d  # as _packed
        seen = self.seen
        if packed in seen:
            return self._check(record)
        seen[packed] = row
        self.records += 1
        self.valid += 1
        self.by_indicator[info.code] += 1
        self.units_seen.add(unit_id)
        # tuple.__new__ skips NamedTuple's Python-level constructor: a million calls.
        return _new_tuple(
            ValidRow,
            (row, info.id, unit_id, label, period.start, period.end, key, number, status, source),
        )

    def _check(self, record: Record) -> ValidRow | None:
        self.records += 1
        value = record.value
        if isinstance(value, str):
            if value in MISSING:
                self.missing += 1
                return None
            if not value:
                self.add(
                    issue(C.MISSING_VALUE, row=record.row, column=self._column("value", record))
                )
                value = None
        elif value is None:
            self.add(issue(C.MISSING_VALUE, row=record.row, column=self._column("value", record)))
        ok = True
        found = self._indicator(record.indicator)
        info = found.value
        if info is None:
            ok = False
            self._report(found, record, "indicator", record.indicator)
        found = self._period(record.period)
        period = found.value
        if period is None:
            ok = False
            self._report(found, record, "period", record.period)
        unit_id = None
        later = None
        if period is not None:
            found = self._unit(record.unit, record.unit_name, period)
            unit_id = found.value
            if found.created_later is not None and self.skip_created_later:
                later = found.created_later
            elif unit_id is None:
                ok = False
                if record.unit or "unit_name" not in self.columns:
                    self._report(found, record, "unit", record.unit)
                else:
                    self._report(found, record, "unit_name", record.unit_name)
        key = ""
        if info is not None:
            found = self._disaggregation(info, record.disaggregation)
            key = found.value
            if key is None:
                ok = False
                self._report(found, record, "disaggregation", record.disaggregation)
        status = self._status(record.status)
        if status is None:
            ok = False
            self.add(
                issue(
                    C.INVALID_STATUS,
                    row=record.row,
                    column=self._column("status", record),
                    value=record.status,
                )
            )
        number = None
        if value is not None:
            number = self._number(value, info, record)
        if not ok or number is None:
            return None
        if later is not None:
            self.created_later.append(
                ValidRow(
                    record.row,
                    info.id,
                    later,
                    period.label,
                    period.start,
                    period.end,
                    key,
                    number,
                    status,
                    record.source,
                )
            )
            return None
        packed = self._packed(info.id, unit_id, period.label, key)
        first = self.seen.get(packed)
        if first is not None:
            self.add(
                issue(
                    C.DUPLICATE_ROW,
                    row=record.row,
                    column=self._column("value", record),
                    value=value,
                    first=first,
                )
            )
            return None
        self.seen[packed] = record.row
        self.valid += 1
        self.by_indicator[info.code] += 1
        self.units_seen.add(unit_id)
        self._remember(record, info, key, unit_id, period)
        return ValidRow(
            record.row,
            info.id,
            unit_id,
            period.label,
            period.start,
            period.end,
            key,
            number,
            status,
            record.source,
        )

    def _remember(self, record: Record, info, key: str, unit_id: int, period) -> None:
        """What a valid row's texts mean, for ``check`` to answer the same texts at once."""
        d = self._disaggregation_index[key]
        self._valid_splits[(record.indicator, record.disaggregation)] = (info, key, d)
        p = self._period_index[period.label]
        self._valid_places[(record.unit, record.unit_name, record.period)] = (unit_id, period, p)

    def _number(self, value, info: IndicatorInfo | None, record: Record) -> Decimal | None:
        column = self._column("value", record)
        try:
            number = parse_number(value)
        except NumberError:
            self.add(issue(C.NOT_A_NUMBER, row=record.row, column=column, value=value))
            return None
        if abs(number) >= LIMIT:
            self.add(issue(C.TOO_MANY_DIGITS, row=record.row, column=column, value=value))
            return None
        if number.as_tuple().exponent < -6:
            number = number.quantize(SIX_PLACES, rounding=ROUND_HALF_EVEN)
            self.rounded += 1
        if info is None:
            return number
        if info.is_percentage and not (0 <= number <= 100):
            self.add(
                issue(
                    C.PERCENT_OUT_OF_RANGE,
                    row=record.row,
                    column=column,
                    value=value,
                    indicator=info.code,
                )
            )
            return None
        low, high = info.min_value, info.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            self.add(
                issue(
                    C.OUT_OF_BOUNDS,
                    row=record.row,
                    column=column,
                    value=value,
                    indicator=info.code,
                    unit=info.unit_of_measure,
                    min=_plain(low) if low is not None else "−∞",
                    max=_plain(high) if high is not None else "+∞",
                )
            )
            return None
        return number

    def _packed(self, indicator_id: int, unit_id: int, period: str, key: str) -> int:
        """One int per (indicator, unit, period, disaggregation): a small duplicate index."""
        p = self._period_index.setdefault(period, len(self._period_index))
        d = self._disaggregation_index.setdefault(key, len(self._disaggregation_index))
        return (((indicator_id << 40) | unit_id) << 40 | p) << 24 | d

    # --- Summary ---------------------------------------------------------------------------
    def periods_seen(self) -> list[str]:
        """The periods of the valid values (labels, as staged)."""
        return list(self._period_index)

    def finish(self) -> None:
        """Add the counted warnings (missing cells, rounded values) once reading is over."""
        if self.missing:
            self.add(issue(C.MISSING_SKIPPED, count=self.missing))
        if self.rounded:
            self.add(issue(C.VALUE_ROUNDED, count=self.rounded))
        if self.created_later:
            shown = sorted(
                {f"{self.units_by_id[r.unit_id].name} {r.period}" for r in self.created_later}
            )
            self.add(
                issue(
                    C.CREATED_LATER_SKIPPED,
                    count=len(self.created_later),
                    values=", ".join(shown[:10]) + ("…" if len(shown) > 10 else ""),
                )
            )
        self.seen = {}  # the duplicate index is the largest object; not needed any more

    def summary(self) -> dict:
        used = [self._periods[label] for label in self._period_index]
        first = min(used, key=lambda p: p.start, default=None)
        last = max(used, key=lambda p: p.end, default=None)
        return {
            "values_read": self.records,
            "values_valid": self.valid,
            "missing": self.missing,
            "rounded": self.rounded,
            "created_later_skipped": len(self.created_later),
            "indicators": dict(sorted(self.by_indicator.items())),
            "units": len(self.units_seen),
            "first_period": first.label if first else None,
            "last_period": last.label if last else None,
        }


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")

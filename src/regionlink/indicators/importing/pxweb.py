"""The statistics office's PX-Web CSV exports (Cục Thống kê), imported exactly as downloaded.

An export looks like this (../shared/samples/gso/)::

    <BOM>"Labour force at 15 years of age and above by province by Cities, provincies and Year"

    "Cities, provincies";"2005";"2007";…;"Prel. 2016"
    " WHOLE COUNTRY";44904.5;47160.3;…
    "Red River Delta";10728.4;…
    "Ha Noi";1553.1;…
    "Ha Tay";1571.7;1575.2;..;…

The importer is our wide reader with the office's quirks as overrides below: the title line,
"Category Year" columns, "Prel."/"Pre." for preliminary figures, ".." for missing ones,
English names without diacritics matched on the last day of each year (so a 2005 "Ha Tay"
is the historic province 28), and region and WHOLE COUNTRY subtotal rows, which are not
units: they are reconciled against the sum of their provinces instead of being imported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from regionlink.core.text import fold
from regionlink.indicators.errors import DataErrorCode, Issue, issue
from regionlink.indicators.importing.readers import (
    ColumnHeader,
    Record,
    WideReader,
    _at,
    cell_text,
    column_label,
    parse_column_header,
)
from regionlink.indicators.models import SpatialRule

_UNIT_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")  # "(Thous. pers.)", "(Km2)"

COUNTRY = ""  # the scope code of a WHOLE COUNTRY row
UNRECONCILED = "?"  # a subtotal row of a region the hub does not know


class PxWebImporter(WideReader):
    """A PX-Web table by province and year (one or several figures per year)."""

    layout = "pxweb"

    # Column labels after the year, without their unit → indicator code.
    LABELS = {
        "area": "AREA",
        "average population": "POP_AVG",
        "population density": "POP_DENSITY",
        "labour force": "LABOUR_FORCE",
        "employed population": "EMPLOYED",
        "poverty rate": "POVERTY_RATE",
        "retail sales of goods and services": "RETAIL_SALES",
    }
    # Tables with one figure per year name it in their title (compared folded, by prefix).
    TITLES = (
        ("labour force at 15 years of age and above", "LABOUR_FORCE"),
        ("employed population at 15 years of age and above", "EMPLOYED"),
        ("percentage of trained employed workers", "TRAINED_WORKERS_PCT"),
        ("poverty rate", "POVERTY_RATE"),
        ("retail sales of goods and services at current prices", "RETAIL_SALES"),
        ("average population", "POP_AVG"),
        ("area of land", "AREA"),
        ("gross regional domestic product at current prices", "GRDP"),
        ("gross regional domestic product at constant", "GRDP_CONST"),
        ("state budget revenue", "BUDGET_REVENUE"),
        ("forest area", "FOREST_AREA"),
        ("number of patient beds", "HOSPITAL_BEDS"),
    )
    # Categories (in a column label, e.g. "2016 Male", or a second stub column) → key.
    CATEGORIES = {
        "total": "",
        "male": "SEX=M",
        "female": "SEX=F",
        "urban": "URBAN=U",
        "rural": "URBAN=R",
    }
    # Figures the hub computes itself: the office's density columns are skipped with a
    # warning rather than refused, so its tables import as they come.
    SKIPPED_COMPUTED = {"POP_DENSITY": "POP_AVG and AREA"}
    # Subtotal rows. The office's region names differ from Resolution 81/2023's English ones.
    COUNTRY_NAMES = frozenset({"whole country", "ca nuoc", "toan quoc", "viet nam", "vietnam"})
    REGION_ALIASES = {
        "northern midlands and mountain areas": "TDMNPB",
        "northern midlands and mountain area": "TDMNPB",
        "northern central area and central coastal area": "BTB-DHMT",
        "north central area and central coastal area": "BTB-DHMT",
        "south east": "DNB",
        "mekong river delta": "DBSCL",
    }
    # The eight regions of older tables (before the six of 2008): subtotals too, but with no
    # region of ours to reconcile them against.
    OLD_REGIONS = frozenset(
        {
            "north east",
            "north west",
            "north central coast",
            "south central coast",
            "north central",
            "south central",
        }
    )
    # Names are English without diacritics: province level, matched on the period's last day.
    unit_level = "province"
    # The office back-casts a new province's series a year or so before it existed ("Dak
    # Nong" and "Hau Giang" in 2003, both created 01/01/2004 by Resolution 22/2003/QH11).
    # Those values are skipped with a warning (the unit did not exist then), yet still counted
    # when reconciling the region rows, whose totals include them.
    skip_created_later = True
    # A region row matches the sum of its provinces within rounding. Each published figure is
    # rounded to its last decimal, so the sum of n provinces and the rounded total may differ
    # by up to (n + 1) half-units of that decimal (0.05 × 12 = 0.6 for the Red River Delta at
    # one decimal, 3.2 for the 63 provinces), and never less than 0.2. A relative tolerance
    # (0.1 %) is not used: it would hide the 279 km² gap in the country's 2016 area.
    TOLERANCE_ABSOLUTE = Decimal("0.2")

    @classmethod
    def tolerance(cls, file_value: Decimal, contributions: int) -> Decimal:
        exponent = min(file_value.as_tuple().exponent, 0)
        half_unit = Decimal(5).scaleb(exponent - 1)
        return max(cls.TOLERANCE_ABSOLUTE, half_unit * (contributions + 1))

    @classmethod
    def recognises(cls, title: str, header: list) -> bool:
        """A title line, a stub column, then columns that are all "[Prel.] YYYY [label]"."""
        cells = [cell_text(h) for h in header]
        periods = [c for c in cells[1:] if parse_column_header(c) is not None]
        return bool(cells) and parse_column_header(cells[0]) is None and len(periods) >= 1

    def __init__(self, table, header_row, header, indicator, *, title: str = ""):
        self.title = title
        super().__init__(table, header_row, header, indicator)

    # WideReader looks for our template's columns; PX-Web has a stub column of names and
    # "Category Year" columns, so the column analysis is replaced whole.
    def _field_columns(self) -> dict[str, int]:
        self.columns["unit"] = column_label(0, self.header[0])
        return {"unit_name": 0}

    def _title_indicator(self) -> str | None:
        title = fold(self.title)
        return next((code for prefix, code in self.TITLES if title.startswith(prefix)), None)

    def _meaning(self, label: str) -> tuple[str | None, str]:
        """Indicator code (None: unknown) and disaggregation key of a column label."""
        if self.indicator_override:
            return self.indicator_override, self.CATEGORIES.get(_label_key(label), "")
        key = _label_key(label)
        if not key:
            return self._title_indicator(), ""
        if key in self.CATEGORIES:
            return self._title_indicator(), self.CATEGORIES[key]
        for prefix, code in self.LABELS.items():
            if key.startswith(prefix):
                return code, ""
        return None, ""

    def _analyse_columns(self) -> None:
        self.reconciler = Reconciler(self)
        self.subtotal_rows = 0
        self.value_columns = []
        self.stub_categories: list[int] = []  # further stub columns: Sex, Residence, …
        self.skipped: dict[str, int] = defaultdict(int)
        self.skipped_columns: dict[int, str] = {}
        for index, name in enumerate(self.header):
            if index == 0:
                continue
            label = column_label(index, name)
            parsed = parse_column_header(name)
            if parsed is None:
                self.stub_categories.append(index)
                continue
            code, key = self._meaning(parsed.label)
            if code is None:
                self.issues.append(
                    issue(DataErrorCode.UNKNOWN_COLUMN_LABEL, column=label, value=name)
                )
            elif code in self.SKIPPED_COMPUTED and not self.indicator_override:
                self.skipped_columns[index] = code
            else:
                header = ColumnHeader(parsed.period, parsed.status, key)
                self.value_columns.append((index, label, header, code))

    def records(self, rows):
        text = cell_text
        for number, cells in rows:
            self.current_row = number
            name = text(_at(cells, 0))
            if not name or not any(text(c) for c in cells[1:]):
                continue  # blank lines and footnotes at the end of the table
            disaggregation = ""
            for index in self.stub_categories:
                category = self.CATEGORIES.get(_label_key(text(_at(cells, index))))
                if category:
                    disaggregation = category
            scope = self.reconciler.scope_of(name)
            if scope is None:
                for index, code in self.skipped_columns.items():
                    if text(_at(cells, index)) not in ("", ".."):
                        self.skipped[code] += 1
            else:
                self.subtotal_rows += 1
                for index, label, header, code in self.value_columns:
                    value = text(_at(cells, index))
                    if value and value != "..":
                        key = header.label or disaggregation
                        self.reconciler.add_subtotal(
                            number, label, scope, name, code, header.period, key, value
                        )
                continue
            for index, label, header, code in self.value_columns:
                value = _at(cells, index)
                if value is None or value == "":
                    continue
                yield Record(
                    number,
                    label,
                    code,
                    name,
                    "",
                    header.period,
                    header.label or disaggregation,
                    value.strip() if isinstance(value, str) else value,
                    header.status if header.status != "official" else "",
                    "",
                )

    def accept(self, row) -> None:
        self.reconciler.add_value(row)

    def finish(self, validator) -> list[Issue]:
        found: list[Issue] = []
        for code, count in sorted(self.skipped.items()):
            found.append(
                issue(
                    DataErrorCode.COMPUTED_SKIPPED,
                    count=count,
                    indicator=code,
                    components=self.SKIPPED_COMPUTED[code].replace(" and ", " và "),
                    note=f"computed from {self.SKIPPED_COMPUTED[code]}",
                )
            )
        found += self.reconciler.finish(validator)
        self.summary = {
            "title": self.title,
            "subtotal_rows": self.subtotal_rows,
            "reconciliation": self.reconciler.summary,
        }
        return found


def _label_key(label: str) -> str:
    return fold(_UNIT_SUFFIX.sub("", label or ""))


class Reconciler:
    """Region and WHOLE COUNTRY rows against the sum of their provinces in the same file."""

    def __init__(self, importer: PxWebImporter):
        from regionlink.geography.models import Region

        self.importer = importer
        self.regions: dict[str, str] = {}
        self.region_names: dict[str, str] = {}
        for region in Region.objects.all():
            self.region_names[region.code] = region.name
            for name in (region.name, region.name_en):
                self.regions[fold(name)] = region.code
        for alias, code in importer.REGION_ALIASES.items():
            self.regions.setdefault(alias, code)
        self.subtotals: list[tuple] = []
        # (indicator id, period, disaggregation) → {unit id: value}
        self.values: dict[tuple, dict[int, Decimal]] = defaultdict(dict)
        self.summary: dict = {}

    def scope_of(self, name: str) -> str | None:
        """COUNTRY for a WHOLE COUNTRY row, a region code for a region row, else None."""
        key = fold(name)
        if key in self.importer.COUNTRY_NAMES:
            return COUNTRY
        if key in self.importer.OLD_REGIONS:
            return UNRECONCILED
        return self.regions.get(key)

    def add_subtotal(self, row, column, scope, name, code, period, key, value) -> None:
        self.subtotals.append((row, column, scope, name, code, period, key, value))

    def add_value(self, row) -> None:
        self.values[(row.indicator_id, row.period, row.disaggregation)][row.unit_id] = row.value

    def _members(self, scope: str, date: dt.date, cache: dict) -> dict[int, str]:
        """The provinces of a region (or of the country) on ``date``: id → short name."""
        from regionlink.geography.models import AdministrativeUnit, Level, RegionMembership

        if "all" not in cache:  # two small queries for the whole file
            provinces = AdministrativeUnit.objects.filter(level=Level.PROVINCE)
            cache["all"] = [
                (COUNTRY, *row)
                for row in provinces.values_list("id", "short_name", "valid_from", "valid_to")
            ] + list(
                RegionMembership.objects.values_list(
                    "region__code", "unit_id", "unit__short_name", "valid_from", "valid_to"
                )
            )
        if (scope, date) not in cache:
            cache[(scope, date)] = {
                unit_id: name
                for code, unit_id, name, start, end in cache["all"]
                if code == scope
                and (start is None or start <= date)
                and (end is None or end >= date)
            }
        return cache[(scope, date)]

    def _region_at_creation(self, unit_id: int, validator) -> str | None:
        from regionlink.geography.models import RegionMembership

        unit = validator.units_by_id[unit_id]
        memberships = RegionMembership.objects.filter(unit_id=unit_id)
        if unit.valid_from is not None:
            memberships = memberships.valid_on(unit.valid_from)
        return memberships.values_list("region__code", flat=True).first()

    def finish(self, validator) -> list[Issue]:
        from regionlink.indicators import periods
        from regionlink.indicators.importing.validation import NumberError, parse_number

        found: list[Issue] = []
        later: dict[tuple, list[tuple[int, Decimal]]] = defaultdict(list)
        for row in validator.created_later:
            key = (row.indicator_id, row.period, row.disaggregation)
            later[key].append((row.unit_id, row.value))
        checked = matched = incomplete = 0
        mismatches: list[dict] = []
        skipped: dict[str, str] = {}
        cache: dict = {}
        for row, column, scope, name, code, period_text, key, text in self.subtotals:
            info = validator.indicator_info(code)
            if info is None or code in self.importer.SKIPPED_COMPUTED or scope == UNRECONCILED:
                continue
            if info.spatial_rule != SpatialRule.SUM:
                skipped.setdefault(code, SpatialRule(info.spatial_rule).label)
                continue
            try:
                file_value = parse_number(text)
                period = periods.parse(period_text)
            except (NumberError, periods.PeriodError):
                continue  # reported on the province rows already, or not a figure
            members = self._members(scope, period.end, cache)
            values = self.values.get((info.id, period.label, key), {})
            missing = [label for unit_id, label in members.items() if unit_id not in values]
            region = name.strip() if scope == COUNTRY else self.region_names.get(scope, name)
            if missing:
                incomplete += 1
                shown = ", ".join(sorted(missing)[:5]) + ("…" if len(missing) > 5 else "")
                found.append(
                    issue(
                        DataErrorCode.RECONCILIATION_INCOMPLETE,
                        row=row,
                        column=column,
                        value=text,
                        region=region,
                        indicator=code,
                        period=period.label,
                        missing=shown,
                    )
                )
                continue
            contributions = len(members)
            computed = sum((values[u] for u in members), Decimal(0))
            for unit_id, value in later.get((info.id, period.label, key), ()):
                if scope == COUNTRY or self._region_at_creation(unit_id, validator) == scope:
                    computed += value
                    contributions += 1
            difference = file_value - computed
            tolerance = self.importer.tolerance(file_value, contributions)
            checked += 1
            if abs(difference) <= tolerance:
                matched += 1
                continue
            mismatch = {
                "row": row,
                "column": column,
                "region": region,
                "region_code": scope or "VN",
                "indicator": code,
                "period": period.label,
                "disaggregation": key,
                "file_value": _plain(file_value),
                "computed": _plain(computed),
                "difference": _plain(difference),
            }
            mismatches.append(mismatch)
            found.append(
                issue(
                    DataErrorCode.RECONCILIATION_MISMATCH,
                    row=row,
                    column=column,
                    value=text,
                    region=region,
                    indicator=code,
                    period=period.label,
                    file_value=mismatch["file_value"],
                    computed=mismatch["computed"],
                    difference=mismatch["difference"],
                )
            )
        for code, rule in sorted(skipped.items()):
            found.append(issue(DataErrorCode.RECONCILIATION_SKIPPED, indicator=code, rule=rule))
        self.summary = {
            "subtotals": len(self.subtotals),
            "checked": checked,
            "matched": matched,
            "mismatched": len(mismatches),
            "incomplete": incomplete,
            "mismatches": mismatches,
            "not_additive": sorted(skipped),
            "note": _(
                "Dòng vùng và cả nước được đối chiếu với tổng các tỉnh trong tệp; sai số làm "
                "tròn cho phép: lớn nhất của 0,2, 0,1 %% và 0,05 × số tỉnh."
            ),
        }
        return found


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text

"""Import a plan's targets from a CSV or XLSX sheet: all or nothing, with a dry run.

One row per target: ma_chi_tieu, dia_ban, nam, so_sanh, gia_tri, gia_tri_toi_da, nam_goc,
noi_dung. Numbers are read as the data hub reads them ("1.234,5", "55"); comparators as
written in decisions ("≥", ">=", "ge", "từ … trở lên" is typed "≥"); a value "48–52" is a
range. Every problem is reported with its row, column, value, reason and fix, and nothing is
written while any remains. A row equal to the stored target changes nothing.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from regionlink.audit import services as audit
from regionlink.core.text import fold, nfc
from regionlink.geography import names
from regionlink.geography.models import AdministrativeUnit, Level, Region
from regionlink.indicators.importing.readers import cell_text, open_table
from regionlink.indicators.importing.validation import NumberError, parse_number
from regionlink.indicators.models import Indicator
from regionlink.plans import permissions, targets
from regionlink.plans.models import Comparator, Plan, PlanTarget
from regionlink.plans.target_template import COLUMNS, template  # noqa: F401 (template: the download)
from regionlink.plans.targets import TargetErrorCode as Code

REQUIRED = ("ma_chi_tieu", "nam", "gia_tri")
FIELD_COLUMN = {
    "indicator": "ma_chi_tieu",
    "region": "dia_ban",
    "province": "dia_ban",
    "target_year": "nam",
    "comparator": "so_sanh",
    "value": "gia_tri",
    "value_max": "gia_tri_toi_da",
    "base_year": "nam_goc",
    "wording": "noi_dung",
}
_WORDS = {
    Comparator.GE: ("≥", ">=", "=>", ">", "ge", "tu tro len", "toi thieu"),
    Comparator.LE: ("≤", "<=", "=<", "<", "le", "toi da", "khong qua"),
    Comparator.EQ: ("=", "eq", "≈", "~", "khoang", "bang"),
    Comparator.RANGE: ("range", "trong khoang", "tu den", "–", "-"),
}
COMPARATORS = {word: comparator for comparator, words in _WORDS.items() for word in words}
_RANGE = re.compile(r"^\s*([+-]?[\d.,\s]*\d)\s*(?:–|—|-|đến|den)\s*([+-]?[\d.,\s]*\d)\s*%?\s*$")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str
    fix: str

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("row", "column", "value", "reason", "fix")}


@dataclass
class TargetImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "errors": [e.as_dict() for e in self.errors],
        }


def _fix(code) -> str:
    fixes = {
        Code.UNKNOWN_INDICATOR: _("Dùng mã trong sheet Hướng dẫn."),
        Code.COMPARATOR: _("Ghi ≥, ≤, = hoặc để trống và ghi khoảng 48–52."),
        Code.VALUE: _("Ghi một số, ví dụ 55 hoặc 1.234,5."),
        Code.PERCENT_RANGE: _("Ghi số phần trăm từ 0 đến 100."),
        Code.RANGE_MAX_REQUIRED: _("Ghi cận trên vào gia_tri_toi_da."),
        Code.RANGE_ORDER: _("Ghi cận dưới trước, cận trên sau."),
        Code.MAX_NOT_ALLOWED: _("Xóa gia_tri_toi_da hoặc chọn so sánh khoảng."),
        Code.YEAR_OUTSIDE_PERIOD: _("Chọn năm trong thời kỳ quy hoạch."),
        Code.TERRITORY_BOTH: _("Ghi một địa bàn."),
        Code.TERRITORY_OUTSIDE: _("Để trống dia_ban hoặc ghi mã tỉnh thuộc địa bàn quy hoạch."),
        Code.BASE_YEAR: _("Ghi năm gốc trước năm mục tiêu."),
        Code.DUPLICATE: _("Giữ một dòng cho mỗi chỉ tiêu, địa bàn và năm."),
    }
    return str(fixes.get(code, ""))


def _column_key(header) -> str:
    return fold(cell_text(header)).replace(" ", "_")


class _Rows:
    """Reads a plan's sheet into target fields, collecting every problem."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.errors: list[RowError] = []
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.regions = list(Region.objects.all())
        version = plan.current_version()
        self.on = (version.decision_date if version else None) or targets.plan_span(plan)[0]

    def error(self, row, column, value, reason, fix="") -> None:
        self.errors.append(RowError(row, column, str(value), str(reason), str(fix)))

    def territory(self, row: int, text: str) -> dict | None:
        if not text:
            return {"region": None, "province": None}
        key = fold(text)
        for region in self.regions:
            if key in (fold(region.code), fold(region.name), fold(region.name_en)):
                return {"region": region, "province": None}
        start, end = targets.plan_span(self.plan)
        by_code = list(
            AdministrativeUnit.objects.filter(code=text.strip(), level=Level.PROVINCE)
            .exclude(valid_from__gt=end)
            .exclude(valid_to__lt=start)
        )
        if by_code:
            valid = [u for u in by_code if u.is_valid_on(self.on)]
            return {"region": None, "province": (valid or by_code)[0]}
        found = names.resolve(text, date=self.on, level=Level.PROVINCE)
        if found.best is not None:
            return {"region": None, "province": found.best.unit}
        hint = _("Ghi mã tỉnh (ví dụ 01), mã vùng (ví dụ DBSH) hoặc tên đầy đủ.")
        self.error(row, "dia_ban", text, found.message, hint)
        return None

    def number(self, row: int, column: str, text: str, whole: bool = False):
        if not text:
            return None
        try:
            number = parse_number(text)
        except NumberError:
            number = None
        if number is None or (whole and number != number.to_integral_value()):
            reason = _("“%(value)s” không phải là %(what)s.") % {
                "value": text,
                "what": _("năm") if whole else _("số"),
            }
            self.error(row, column, text, reason, _("Ghi ví dụ 2030.") if whole else _fix("value"))
            return None
        return int(number) if whole else number

    def read(self, row: int, cells: dict[str, str]) -> dict | None:
        before = len(self.errors)
        for column in REQUIRED:
            if not cells.get(column):
                fill = _("Điền cột %(c)s.") % {"c": column}
                self.error(row, column, "", _("Thiếu giá trị bắt buộc."), fill)
        if len(self.errors) > before:
            return None
        code = cells["ma_chi_tieu"].upper()
        if code not in self.indicators:
            reason = _("Không có chỉ tiêu mã này trong danh mục.")
            self.error(row, "ma_chi_tieu", code, reason, _fix(Code.UNKNOWN_INDICATOR))
        comparator = ""
        if cells.get("so_sanh"):
            comparator = COMPARATORS.get(cells["so_sanh"].strip()) or COMPARATORS.get(
                fold(cells["so_sanh"]).replace("...", " ").replace("…", " ")
            )
            if comparator is None:
                reason, fix = _("Không hiểu phép so sánh."), _fix(Code.COMPARATOR)
                self.error(row, "so_sanh", cells["so_sanh"], reason, fix)
        value_max = self.number(row, "gia_tri_toi_da", cells.get("gia_tri_toi_da", ""))
        ranged = _RANGE.match(cells["gia_tri"])
        if ranged and not cells.get("gia_tri_toi_da"):
            value = self.number(row, "gia_tri", ranged.group(1).strip())
            value_max = self.number(row, "gia_tri", ranged.group(2).strip())
            if comparator not in ("", Comparator.RANGE):
                reason = _("Giá trị là một khoảng nhưng phép so sánh không phải khoảng.")
                fix = _("Để trống so_sanh hoặc ghi “trong khoảng”.")
                self.error(row, "so_sanh", cells["so_sanh"], reason, fix)
            comparator = Comparator.RANGE
        else:
            value = self.number(row, "gia_tri", cells["gia_tri"])
        territory = self.territory(row, cells.get("dia_ban", ""))
        data = {
            "indicator": self.indicators.get(code),
            "target_year": self.number(row, "nam", cells["nam"], whole=True),
            "comparator": comparator or Comparator.EQ,
            "value": value,
            "value_max": value_max,
            "base_year": self.number(row, "nam_goc", cells.get("nam_goc", ""), whole=True),
            "wording": nfc(cells.get("noi_dung", "")),
            **(territory or {}),
        }
        return None if len(self.errors) > before else data


def _cells(data: bytes, filename: str, sheet: _Rows) -> list[tuple[int, dict[str, str]]]:
    table = open_table(io.BytesIO(data), filename)
    header, found = None, []
    for number, raw in table.rows():
        texts = [nfc(cell_text(c)) for c in raw]
        if not any(texts):
            continue
        if header is None:
            header = [_column_key(c) for c in raw]
            missing = [c for c in REQUIRED if c not in header]
            for column in missing:
                fix = _("Dùng mẫu tải về; dòng đầu là tên cột: %(cols)s.")
                sheet.error(
                    number, column, "", _("Thiếu cột bắt buộc."), fix % {"cols": ", ".join(COLUMNS)}
                )
            if missing:
                return []
            continue
        found.append((number, {h: t for h, t in zip(header, texts, strict=False) if h}))
    if header is None:
        sheet.error(1, "", "", _("Tệp không có dữ liệu."), _("Dùng mẫu tải về và điền chỉ tiêu."))
    return found


def _key(fields: dict) -> tuple:
    territory = [getattr(fields.get(k), "pk", None) for k in ("region", "province")]
    return (fields["indicator"].pk, fields["target_year"], *territory)


def import_targets(
    *, actor, plan: Plan, data: bytes, filename: str, dry_run: bool = False
) -> TargetImportReport:
    """Create or update a plan's targets from a sheet, all or nothing."""
    if not isinstance(actor, str):
        permissions.check(actor, permissions.Action.EDIT, plan)
    report = TargetImportReport(dry_run=dry_run)
    sheet = _Rows(plan)
    try:
        rows = _cells(data, filename, sheet)
    except Exception as exc:  # any unreadable file is the user's to fix
        reason = _("Không đọc được tệp: %(e)s") % {"e": exc}
        sheet.error(0, "", filename, reason, _("Lưu lại dưới dạng CSV (UTF-8) hoặc XLSX."))
        rows = []
    existing = {
        (t.indicator_id, t.target_year, t.region_id, t.province_id): t
        for t in PlanTarget.objects.filter(plan=plan).select_related("indicator")
    }
    planned, seen = [], {}
    for number, cells in rows:
        fields = sheet.read(number, cells)
        if fields is None:
            continue
        try:
            cleaned = _validate(plan, fields, existing)
        except targets.TargetError as exc:
            column = FIELD_COLUMN.get(exc.field or "", "")
            sheet.error(number, column, cells.get(column, ""), exc.message, _fix(exc.code))
            continue
        key = _key(cleaned)
        if key in seen:
            reason = _("Trùng với dòng %(row)s (cùng chỉ tiêu, địa bàn, năm).") % {"row": seen[key]}
            sheet.error(number, "ma_chi_tieu", cells["ma_chi_tieu"], reason, _fix(Code.DUPLICATE))
            continue
        seen[key] = number
        planned.append((existing.get(key), cleaned))
    report.errors = sheet.errors
    for current, cleaned in planned:
        if current is None:
            report.created += 1
        elif _same(current, cleaned):
            report.unchanged += 1
        else:
            report.updated += 1
    if report.errors:
        report.created = report.updated = report.unchanged = 0
        return report
    if not dry_run and (report.created or report.updated):
        _write(actor, plan, planned, report, filename)
    return report


def _validate(plan: Plan, fields: dict, existing: dict) -> dict:
    """The cleaned fields; a row for a stored target is validated as that target's update."""
    return targets.clean(plan, fields, exclude_pk=_stored_pk(plan, fields, existing))


def _stored_pk(plan: Plan, fields: dict, existing: dict) -> int | None:
    own = {"region": plan.region_id, "province": plan.province_id}
    found = existing.get(
        _key(
            {k: v for k, v in fields.items() if not (k in own and v is not None and v.pk == own[k])}
        )
    )
    return found.pk if found else None


def _same(current: PlanTarget, cleaned: dict) -> bool:
    return all(getattr(current, name) == value for name, value in cleaned.items())


@transaction.atomic
def _write(actor, plan: Plan, planned, report: TargetImportReport, filename: str) -> None:
    for current, cleaned in planned:
        if current is None:
            targets.add_target(actor=actor, plan=plan, **cleaned)
        elif not _same(current, cleaned):
            targets.update_target(actor=actor, target=current, **cleaned)
    audit.record(
        actor=actor,
        action="plans.targets_import",
        obj=plan,
        after={
            "file": filename,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
    )

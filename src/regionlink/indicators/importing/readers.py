"""Files of values → records (one value each, with its row and column), streamed.

Formats (``Reader.format``):

- ``long-csv`` / ``long-xlsx``: our long template, one value per row — columns ma_chi_tieu,
  ma_don_vi (or ten_don_vi), ky, phan_to, gia_tri, tinh_trang, nguon (English names
  indicator, unit, unit_name, period, disaggregation, value, status, source also work);
- ``wide-csv`` / ``wide-xlsx``: our wide template, units × periods — ma_chi_tieu, ma_don_vi,
  ten_don_vi, phan_to, tinh_trang, then one column per period ("2016", "2016-Q1",
  "Sơ bộ 2016" or "2016 (sơ bộ)" for preliminary figures);
- ``pxweb-csv``: the statistics office's PX-Web exports as they come (see ``pxweb.py``).

CSV files may be UTF-8 (with or without BOM), TCVN3, VNI or Windows-1258 (``encodings``),
separated by ``,``, ``;`` or tabs. Nothing is held in memory beyond the current row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator
from typing import IO, NamedTuple

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from regionlink.core.text import fold, nfc
from regionlink.indicators.errors import DataErrorCode, Issue, issue
from regionlink.indicators.importing import encodings

csv.field_size_limit(1 << 20)


class Record(NamedTuple):
    """One value of a file as written, before validation."""

    row: int  # the row number a spreadsheet shows (1 = the first line of the file)
    column: str  # where the value is, "F (2016)"
    indicator: str  # code as written ("" when the file names none)
    unit: str  # unit code or name as written
    unit_name: str  # the name column of our templates, checked against the code
    period: str
    disaggregation: str
    value: object  # text, or a number read from a spreadsheet
    status: str  # as written; "" is official
    source: str


# Field → accepted column names, compared folded ("Mã chỉ tiêu" = "ma_chi_tieu").
FIELD_NAMES = {
    "indicator": ("ma_chi_tieu", "chi_tieu", "ma chi tieu", "indicator", "indicator_code"),
    "unit": ("ma_don_vi", "ma_dvhc", "ma don vi", "don_vi", "unit", "unit_code"),
    "unit_name": ("ten_don_vi", "ten_dvhc", "ten don vi", "unit_name", "dia_ban", "tinh"),
    "period": ("ky", "ky_so_lieu", "nam", "period", "year", "time_period"),
    "disaggregation": ("phan_to", "phan to", "disaggregation", "breakdown"),
    "value": ("gia_tri", "so_lieu", "gia tri", "value", "obs_value"),
    "status": ("tinh_trang", "trang_thai", "tinh trang", "status", "obs_status"),
    "source": ("nguon", "nguon_so_lieu", "source"),
}
FIELD_BY_NAME = {fold(name): field for field, names in FIELD_NAMES.items() for name in names}
# The template's own column names, in order (templates.py writes them).
LONG_COLUMNS = ("ma_chi_tieu", "ma_don_vi", "ten_don_vi", "ky", "phan_to", "gia_tri", "tinh_trang")
LONG_COLUMNS += ("nguon",)
WIDE_COLUMNS = ("ma_chi_tieu", "ma_don_vi", "ten_don_vi", "phan_to", "tinh_trang")

MISSING = frozenset({"..", "...", "…", "-", "—", "x", "X", "n/a", "NA"})

# Status marks on period columns: "Prel. 2016", "Pre. 2016", "Sơ bộ 2016", "2016 (sơ bộ)".
STATUS_WORDS = {
    "": "official",
    "official": "official",
    "chinh thuc": "official",
    "ct": "official",
    "a": "official",
    "preliminary": "preliminary",
    "prel": "preliminary",
    "pre": "preliminary",
    "p": "preliminary",
    "so bo": "preliminary",
    "sb": "preliminary",
    "estimated": "estimated",
    "estimate": "estimated",
    "est": "estimated",
    "e": "estimated",
    "uoc tinh": "estimated",
    "uoc": "estimated",
    "ut": "estimated",
    "forecast": "forecast",
    "f": "forecast",
    "du bao": "forecast",
    "db": "forecast",
}

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")
_SUB_PERIOD = re.compile(
    r"^\s*(?:-?\s*([Qq])\s*([1-4])|-\s*(0[1-9]|1[0-2])|[Mm](0[1-9]|1[0-2]))(?!\d)"
)
_PAREN = re.compile(r"^\s*\(([^()]*)\)")


class ColumnHeader(NamedTuple):
    period: str  # "2016", "2016-Q1", "2016-03"
    status: str  # "official", "preliminary", …
    label: str  # what follows the period: "Average population (Thous. pers.)"


def parse_column_header(text: object) -> ColumnHeader | None:
    """ "Prel. 2016" → (2016, preliminary, ""); "2016 (*) Area (Km2)" → (2016, official, …).

    None when the header names no period (a year 1800–2199 written as four digits).
    """
    raw = nfc(cell_text(text))
    match = _YEAR.search(raw)
    if match is None:
        return None
    before, after = raw[: match.start()], raw[match.end() :]
    status = STATUS_WORDS.get(fold(before))
    if status is None:
        return None
    period = match.group(1)
    if sub := _SUB_PERIOD.match(after):
        if sub.group(1):
            period += f"-Q{sub.group(2)}"
        else:
            period += f"-{sub.group(3) or sub.group(4)}"
        after = after[sub.end() :]
    while paren := _PAREN.match(after):
        inner = fold(paren.group(1))
        if inner in ("", "*", "**"):
            pass  # a footnote mark
        elif inner in STATUS_WORDS:
            status = STATUS_WORDS[inner]
        else:
            break  # part of the label: "(Km2)"
        after = after[paren.end() :]
    return ColumnHeader(period, status, after.strip())


def cell_text(value: object) -> str:
    """A cell as text: spreadsheet numbers 2016.0 → "2016", dates 2016-03-01 → "2016-03"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}-{value.month:02d}"  # Excel turns "2016-03" into 2016-03-01
    return str(value)


def column_label(index: int, header: object) -> str:
    """ "F (2016)": the spreadsheet letter and the header, as a person finds the column."""
    name = cell_text(header)
    return f"{get_column_letter(index + 1)} ({name})" if name else get_column_letter(index + 1)


# --- Tables: rows of cells from CSV or XLSX --------------------------------------------------
class Table:
    """Rows (row number, cells) of one sheet or CSV file, with what was learnt reading it."""

    kind = ""  # "csv" or "xlsx"

    def __init__(self):
        self.encoding = ""
        self.rows_total = 0  # an estimate for progress; 0 when unknown
        self.issues: list[Issue] = []

    def rows(self) -> Iterator[tuple[int, list]]:
        raise NotImplementedError


class CsvTable(Table):
    kind = "csv"
    DELIMITERS = (";", ",", "\t", "|")

    def __init__(self, stream: IO[bytes]):
        super().__init__()
        self.rows_total = _count_lines(stream)
        self.encoding = encodings.detect(encodings.sample_of(stream))
        self._lines = encodings.text_lines(stream, self.encoding)
        self._head = list(itertools.islice(self._lines, 30))
        self.delimiter = self._sniff(self._head)
        if self.encoding in encodings.LEGACY:
            self.issues.append(issue(DataErrorCode.LEGACY_ENCODING, encoding=self.encoding))

    def _sniff(self, lines: list[str]) -> str:
        """The delimiter giving the most rows with the same number (≥ 2) of fields."""
        best, best_score = ",", -1
        for delimiter in self.DELIMITERS:
            widths = [len(r) for r in csv.reader(lines, delimiter=delimiter) if len(r) > 1]
            if not widths:
                continue
            common = max(set(widths), key=widths.count)
            score = widths.count(common) * 1000 + common
            if score > best_score:
                best, best_score = delimiter, score
        return best

    def rows(self) -> Iterator[tuple[int, list]]:
        reader = csv.reader(itertools.chain(self._head, self._lines), delimiter=self.delimiter)
        for cells in reader:
            yield reader.line_num, cells


def _count_lines(stream: IO[bytes]) -> int:
    start, count, last = stream.tell(), 0, b"\n"
    while chunk := stream.read(1 << 20):
        count += chunk.count(b"\n")
        last = chunk[-1:]
    stream.seek(start)
    return count + (last != b"\n")


INSTRUCTION_SHEETS = {"huong dan", "instructions", "readme", "ghi chu", "danh muc"}


class XlsxTable(Table):
    kind = "xlsx"

    def __init__(self, stream: IO[bytes]):
        from openpyxl import load_workbook

        super().__init__()
        self._book = load_workbook(stream, read_only=True, data_only=True)
        sheets = [ws for ws in self._book.worksheets if fold(ws.title) not in INSTRUCTION_SHEETS]
        self._sheet = (sheets or self._book.worksheets)[0]
        self.sheet_name = self._sheet.title
        self.rows_total = self._sheet.max_row or 0
        self.encoding = "Unicode (XLSX)"
        # Cells typed in a .VnTime or VNI font keep the legacy letters inside Unicode strings.
        sample = [
            c
            for row in itertools.islice(self._sheet.iter_rows(values_only=True), 200)
            for c in row
            if isinstance(c, str)
        ]
        self.legacy = encodings.detect_in_text(sample)
        if self.legacy:
            self.encoding = self.legacy
            self.issues.append(issue(DataErrorCode.LEGACY_ENCODING, encoding=self.legacy))

    def rows(self) -> Iterator[tuple[int, list]]:
        legacy = self.legacy
        try:
            for number, cells in enumerate(self._sheet.iter_rows(values_only=True), start=1):
                values = list(cells)
                while values and values[-1] in (None, ""):
                    values.pop()
                if legacy:
                    values = [
                        encodings.repair(v, legacy) if isinstance(v, str) else v for v in values
                    ]
                yield number, values
        finally:
            self._book.close()


def open_table(stream: IO[bytes], file_name: str) -> Table:
    head = stream.read(4)
    stream.seek(0)
    if head == b"PK\x03\x04" or file_name.lower().endswith((".xlsx", ".xlsm")):
        return XlsxTable(stream)
    return CsvTable(stream)


# --- Readers ---------------------------------------------------------------------------------
class Reader:
    """Turns a table into records; subclasses are one layout each."""

    layout = ""
    unit_level: str | None = None  # names are resolved at this level (None: any)
    skip_created_later = False  # values of units created after their period: refused

    def __init__(self, table: Table, header_row: int, header: list, indicator: str | None):
        self.table = table
        self.header_row = header_row
        self.header = [cell_text(h) for h in header]
        self.indicator_override = (indicator or "").strip().upper()
        self.issues: list[Issue] = list(table.issues)  # file-level problems
        self.current_row = header_row
        self.columns: dict[str, str] = {}  # field → column label, for messages
        self.summary: dict = {}

    @property
    def format(self) -> str:
        return f"{self.layout}-{self.table.kind}"

    @property
    def encoding(self) -> str:
        return self.table.encoding

    @property
    def rows_total(self) -> int:
        return self.table.rows_total

    def records(self, rows: Iterator[tuple[int, list]]) -> Iterator[Record]:
        raise NotImplementedError

    def accept(self, row: tuple) -> None:
        """Called with each valid row (see validation.ValidRow); subclasses may collect."""

    def finish(self, validator) -> list[Issue]:
        """Issues found once every row has been seen (reconciliation, counts)."""
        return []

    def _field_columns(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for index, name in enumerate(self.header):
            field = FIELD_BY_NAME.get(fold(name))
            if field and field not in found:
                found[field] = index
                self.columns[field] = column_label(index, name)
        return found


def _at(cells: list, index: int | None) -> object:
    if index is None or index >= len(cells):
        return None
    return cells[index]


class LongReader(Reader):
    """Our long template: one value per row."""

    layout = "long"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = self._field_columns()
        for index, name in enumerate(self.header):
            if name and FIELD_BY_NAME.get(fold(name)) is None:
                label = column_label(index, name)
                self.issues.append(issue(DataErrorCode.IGNORED_COLUMN, column=label))
        required = ["period", "value"]
        if not self.indicator_override:
            required.insert(0, "indicator")
        for field in required:
            if field not in self.fields:
                hint = (
                    _(" (hoặc chọn chỉ tiêu khi nhập: --indicator)") if field == "indicator" else ""
                )
                self.issues.append(
                    issue(DataErrorCode.MISSING_COLUMN, column=FIELD_NAMES[field][0], hint=hint)
                )
        if "unit" not in self.fields and "unit_name" not in self.fields:
            self.issues.append(issue(DataErrorCode.MISSING_COLUMN, column="ma_don_vi"))

    def records(self, rows):
        if self.table.kind == "csv":
            yield from self._csv_records(rows)
            return
        f = self.fields
        i_ind, i_unit, i_name = f.get("indicator"), f.get("unit"), f.get("unit_name")
        i_period, i_dis, i_value = f.get("period"), f.get("disaggregation"), f.get("value")
        i_status, i_source = f.get("status"), f.get("source")
        override = self.indicator_override
        column = self.columns.get("value", "")
        text = cell_text
        for number, cells in rows:
            self.current_row = number
            if not any(c not in (None, "") for c in cells):
                continue
            indicator = override or text(_at(cells, i_ind)).upper()
            unit_name = text(_at(cells, i_name))
            unit = text(_at(cells, i_unit))
            value = _at(cells, i_value)
            yield Record(
                number,
                column,
                indicator,
                unit,
                unit_name,
                text(_at(cells, i_period)),
                text(_at(cells, i_dis)),
                value.strip() if isinstance(value, str) else value,
                text(_at(cells, i_status)),
                text(_at(cells, i_source)),
            )

    def _csv_records(self, rows):
        """The same for CSV, whose cells are all text: a million rows, kept lean."""
        width = len(self.header)
        at = {field: self.fields.get(field, width) for field in FIELD_NAMES}  # width: ""
        i_ind, i_unit, i_name, i_period = at["indicator"], at["unit"], at["unit_name"], at["period"]
        i_dis, i_value, i_status, i_source = (
            at["disaggregation"],
            at["value"],
            at["status"],
            at["source"],
        )
        override = self.indicator_override
        column = self.columns.get("value", "")
        padding = [""] * (width + 1)
        new = tuple.__new__  # skips NamedTuple's Python-level constructor: a million calls
        for number, cells in rows:
            self.current_row = number
            if len(cells) != width:
                cells = (cells + padding)[:width]
            cells.append("")  # what a field the file lacks reads (index ``width``)
            if not cells[0].strip() and not "".join(cells).strip():  # the join only if needed
                continue
            yield new(
                Record,
                (
                    number,
                    column,
                    override or cells[i_ind].strip().upper(),
                    cells[i_unit].strip(),
                    cells[i_name].strip(),
                    cells[i_period].strip(),
                    cells[i_dis].strip(),
                    cells[i_value].strip(),
                    cells[i_status].strip(),
                    cells[i_source].strip(),
                ),
            )


class WideReader(Reader):
    """Our wide template: one row per indicator, unit and disaggregation; a column per period.

    ``PxWebImporter`` (pxweb.py) is this reader with the statistics office's quirks.
    """

    layout = "wide"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = self._field_columns()
        self._analyse_columns()

    def _analyse_columns(self) -> None:
        self.value_columns: list[tuple[int, str, ColumnHeader]] = []
        for index, name in enumerate(self.header):
            if index in self.fields.values() or not name:
                continue
            parsed = parse_column_header(name)
            label = column_label(index, name)
            if parsed is None or parsed.label:
                self.issues.append(issue(DataErrorCode.IGNORED_COLUMN, column=label))
            else:
                self.value_columns.append((index, label, parsed))
        if "indicator" not in self.fields and not self.indicator_override:
            self.issues.append(
                issue(
                    DataErrorCode.MISSING_COLUMN,
                    column="ma_chi_tieu",
                    hint=_(" (hoặc chọn chỉ tiêu khi nhập: --indicator)"),
                )
            )
        if "unit" not in self.fields and "unit_name" not in self.fields:
            self.issues.append(issue(DataErrorCode.MISSING_COLUMN, column="ma_don_vi"))

    def records(self, rows):
        f = self.fields
        i_ind, i_unit, i_name = f.get("indicator"), f.get("unit"), f.get("unit_name")
        i_dis, i_status, i_source = f.get("disaggregation"), f.get("status"), f.get("source")
        override = self.indicator_override
        text = cell_text
        for number, cells in rows:
            self.current_row = number
            if not any(c not in (None, "") for c in cells):
                continue
            indicator = override or text(_at(cells, i_ind)).upper()
            unit_name = text(_at(cells, i_name))
            unit = text(_at(cells, i_unit))
            row_status = text(_at(cells, i_status))
            disaggregation = text(_at(cells, i_dis))
            source = text(_at(cells, i_source))
            for index, label, header in self.value_columns:
                value = _at(cells, index)
                if value is None or value == "":
                    continue  # a grid has holes; only ".." is counted as missing
                yield Record(
                    number,
                    label,
                    indicator,
                    unit,
                    unit_name,
                    header.period,
                    disaggregation,
                    value.strip() if isinstance(value, str) else value,
                    row_status or (header.status if header.status != "official" else ""),
                    source,
                )


def _header(rows: Iterator[tuple[int, list]]) -> tuple[list[tuple[int, list]], int, list] | None:
    """Rows before the header (titles, blanks), and the header: the first row with 2+ cells."""
    before = []
    for number, cells in rows:
        if sum(1 for c in cells if c not in (None, "")) >= 2:
            return before, number, cells
        before.append((number, cells))
        if len(before) > 20:
            return None
    return None


def open_reader(
    stream: IO[bytes], file_name: str, *, indicator: str | None = None
) -> tuple[Reader, Iterator[tuple[int, list]]]:
    """The reader for this file and the rows still to read; raises ReaderError when unreadable."""
    from regionlink.indicators.importing.pxweb import PxWebImporter

    try:
        table = open_table(stream, file_name)
    except encodings.BadBytes as error:
        raise ReaderError(unreadable(error, error.line)) from error
    except Exception as error:  # a broken zip, a locked workbook, …
        raise ReaderError(
            issue(DataErrorCode.UNREADABLE_FILE, detail=f"{type(error).__name__}: {error}")
        ) from error
    rows = table.rows()
    try:
        found = _header(rows)
    except (encodings.BadBytes, csv.Error) as error:
        raise ReaderError(unreadable(error, getattr(error, "line", None))) from error
    if found is None:
        raise ReaderError(
            issue(
                DataErrorCode.UNKNOWN_FORMAT,
                detail=_("không thấy dòng tiêu đề cột (dòng có từ hai ô trở lên)"),
            )
        )
    before, header_row, header = found
    fields = {FIELD_BY_NAME.get(fold(cell_text(h))) for h in header} - {None}
    periods = [h for h in header if parse_column_header(h) is not None]
    title = " ".join(cell_text(c) for _n, cells in before for c in cells if cell_text(c))
    if "value" in fields:
        reader: Reader = LongReader(table, header_row, header, indicator)
    elif periods and fields & {"unit", "unit_name"}:
        reader = WideReader(table, header_row, header, indicator)
    elif periods and PxWebImporter.recognises(title, header):
        reader = PxWebImporter(table, header_row, header, indicator, title=title)
    else:
        names = ", ".join((*LONG_COLUMNS[:2], "ky", "gia_tri"))
        raise ReaderError(
            issue(
                DataErrorCode.UNKNOWN_FORMAT,
                detail=_(
                    "không thấy các cột %(names)s (mẫu dạng dài) hay các cột năm (mẫu dạng rộng)"
                )
                % {"names": names},
            )
        )
    return reader, rows


def unreadable(error: Exception, line: int | None) -> Issue:
    """The file stops being readable text (a stray byte, an unclosed quote) at ``line``."""
    detail = str(error)
    if line is not None:
        detail = _("%(detail)s, ở dòng %(line)s") % {"detail": detail, "line": line}
    return issue(DataErrorCode.UNREADABLE_FILE, row=line, detail=detail)


class ReaderError(Exception):
    def __init__(self, found: Issue):
        super().__init__(found.message)
        self.issue = found


def as_binary(path_or_file) -> tuple[IO[bytes], bool]:
    """A seekable binary stream for a path, an upload or bytes; and whether we opened it."""
    if isinstance(path_or_file, bytes | bytearray):
        return io.BytesIO(path_or_file), True
    if isinstance(path_or_file, str) or hasattr(path_or_file, "__fspath__"):
        return open(path_or_file, "rb"), True
    stream = path_or_file
    if hasattr(stream, "open") and getattr(stream, "closed", False):
        stream.open("rb")
    if isinstance(stream, io.TextIOBase):
        raise TypeError("Import files must be opened in binary mode.")
    if not (hasattr(stream, "seekable") and stream.seekable()):
        import tempfile

        copy = tempfile.SpooledTemporaryFile(max_size=32 << 20)  # noqa: SIM115
        while chunk := stream.read(1 << 20):
            copy.write(chunk)
        copy.seek(0)
        return copy, True
    stream.seek(0)
    return stream, False

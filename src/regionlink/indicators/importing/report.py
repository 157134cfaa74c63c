"""The report of an import batch: the one-line summary, counts, issues, timings, the diff."""

from __future__ import annotations

import time
from collections import Counter

from django.utils.translation import gettext as _

from regionlink.indicators.errors import Issue
from regionlink.indicators.importing.validation import MAX_LISTED
from regionlink.indicators.models import BatchStatus


class Issues:
    """A stand-in for a validator when the file could not even be read."""

    def __init__(self, found: list[Issue]):
        self.errors = [i for i in found if i.severity == "error"]
        self.warnings = [i for i in found if i.severity != "error"]
        self.error_counts = Counter(i.code for i in self.errors)
        self.warning_counts = Counter(i.code for i in self.warnings)
        self.error_count = len(self.errors)
        self.valid = 0

    def summary(self) -> dict:
        return {"values_read": 0, "values_valid": 0, "missing": 0}


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _summary_line(status, validator, diff, published) -> str:
    if status == BatchStatus.FAILED:
        return _(
            "Bị từ chối: %(errors)s lỗi; không ghi giá trị nào. Sửa các lỗi trong báo cáo rồi "
            "nhập lại cả tệp."
        ) % {"errors": _n(validator.error_count)}
    counts = published or diff or {}
    values = {
        "valid": _n(validator.valid),
        "new": _n(counts.get("new", 0)),
        "changed": _n(counts.get("changed", 0)),
        "unchanged": _n(counts.get("unchanged", 0)),
    }
    if status == BatchStatus.CHECKED:
        text = _(
            "Chạy thử: %(valid)s giá trị hợp lệ — %(new)s mới, %(changed)s thay đổi, "
            "%(unchanged)s không đổi. Chưa ghi gì."
        )
    elif status == BatchStatus.PUBLISHED:
        text = _(
            "Đã công bố %(valid)s giá trị — %(new)s mới, %(changed)s thay đổi (giữ lịch sử), "
            "%(unchanged)s không đổi."
        )
    else:
        text = _(
            "Đã kiểm tra và lưu nháp %(valid)s giá trị — %(new)s mới, %(changed)s thay đổi, "
            "%(unchanged)s không đổi. Chờ phê duyệt để công bố."
        )
    return text % values


def _seconds(timings: dict) -> dict:
    """Seconds per phase, and in all since the file was opened."""
    shown = {k: v for k, v in timings.items() if not k.startswith("_")}
    if "_started" in timings:
        shown["total"] = round(time.perf_counter() - timings["_started"], 3)
    return shown


def build_report(*, status, reader, validator, timings, diff=None, published=None) -> dict:
    report = {
        "status": str(status),
        "summary": _summary_line(status, validator, diff, published),
        "format": reader.format if reader is not None else "",
        "encoding": reader.encoding if reader is not None else "",
        **validator.summary(),
        "error_count": validator.error_count,
        "error_counts": {str(k): v for k, v in sorted(validator.error_counts.items())},
        "errors": [i.as_dict() for i in validator.errors],
        "warning_count": sum(validator.warning_counts.values()),
        "warning_counts": {str(k): v for k, v in sorted(validator.warning_counts.items())},
        "warnings": [i.as_dict() for i in validator.warnings],
        "listed_at_most": MAX_LISTED,
        "timings": _seconds(timings),
    }
    if reader is not None:
        report.update(reader.summary)
        if getattr(reader.table, "sheet_name", None):
            report["sheet"] = reader.table.sheet_name
    if diff is not None:
        report["diff"] = diff
    if published is not None:
        report["published"] = published
    return report

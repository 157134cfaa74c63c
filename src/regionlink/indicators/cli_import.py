"""`regionlink data import PATH`: import a file of values from the server's command line.

The file is read, every row validated, and the batch staged as a draft (``--dry-run``: only
checked; ``--publish``: published at once, for an approver). A progress bar goes to stderr,
the report to stdout; the exit status is non-zero when the batch is refused.

Without ``--as`` the import runs as the server operator (who holds the database anyway) and
is audited as "regionlink data import"; ``--as USERNAME`` applies that person's rights.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

HELP = (
    "Nhập tệp số liệu (mẫu dạng dài/rộng CSV, XLSX, hoặc tệp PX-Web của Cục Thống kê): "
    "kiểm tra từng dòng, lưu nháp, chạy thử hoặc công bố."
)
OPERATOR = "regionlink data import"
SHOWN = 30  # errors and warnings printed; the batch report keeps them all


def add_arguments(parser) -> None:
    parser.add_argument("path", metavar="PATH", help="Tệp CSV hoặc XLSX cần nhập.")
    parser.add_argument(
        "--indicator", default=None, help="Mã chỉ tiêu cho mọi giá trị của tệp (ghi đè)."
    )
    parser.add_argument(
        "--dataset",
        default=None,
        help="Mã bộ dữ liệu nhận số liệu (bỏ qua được khi chỉ có một bộ dữ liệu).",
    )
    parser.add_argument("--source", default="", help="Nguồn số liệu ghi kèm mỗi giá trị.")
    parser.add_argument(
        "--dry-run",
        dest="dry_run",
        action="store_true",
        help="Chỉ kiểm tra và cho biết giá trị nào mới, thay đổi, không đổi; không ghi gì.",
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help="Công bố ngay (cần quyền phê duyệt bộ dữ liệu).",
    )
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        default=None,
        help="Nhập với quyền của người dùng này (mặc định: người vận hành máy chủ).",
    )
    parser.add_argument("--json", action="store_true", help="In báo cáo dạng JSON.")


def _actor(username: str | None):
    if not username:
        return OPERATOR
    from regionlink.organisations.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(
            _("Không có người dùng đang hoạt động tên “%(username)s” (tham số --as).")
            % {"username": username}
        )
    return user


def _dataset(code: str | None):
    from regionlink.indicators.models import DataSet

    if code:
        dataset = DataSet.objects.select_related("owner").filter(code=code).first()
        if dataset is None:
            raise CommandError(
                _("Không có bộ dữ liệu mã “%(code)s”. Các bộ dữ liệu: %(codes)s.")
                % {"code": code, "codes": _codes()}
            )
        return dataset
    datasets = list(DataSet.objects.select_related("owner")[:2])
    if len(datasets) == 1:
        return datasets[0]
    raise CommandError(
        _("Hãy chọn bộ dữ liệu bằng --dataset MÃ. Các bộ dữ liệu: %(codes)s.") % {"codes": _codes()}
    )


def _codes() -> str:
    from regionlink.indicators.models import DataSet

    codes = list(DataSet.objects.order_by("code").values_list("code", flat=True)[:20])
    return ", ".join(codes) or _("chưa có (tạo bộ dữ liệu trên trang Kho dữ liệu)")


class ProgressBar:
    """A plain text bar on stderr, redrawn at most ten times a second."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        if total:
            share = min(done / total, 1.0)
            filled = int(share * self.WIDTH)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            text = f"\r[{bar}] {share:4.0%} {done:,}/{total:,}".replace(",", ".")
        else:
            text = f"\r{done:,}".replace(",", ".")
        self.stream.write(text + " " + _("dòng"))
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def run(command, options) -> None:
    from regionlink.indicators.importing import pipeline
    from regionlink.indicators.models import BatchStatus

    path = Path(options["path"])
    if not path.is_file():
        raise CommandError(_("Không tìm thấy tệp “%(path)s”.") % {"path": path})
    actor = _actor(options.get("as_user"))
    dataset = _dataset(options.get("dataset"))
    bar = ProgressBar(getattr(command, "stderr", None) or sys.stderr)
    try:
        batch = pipeline.run_import(
            actor=actor,
            dataset=dataset,
            path_or_file=path,
            file_name=path.name,
            indicator=options.get("indicator"),
            source=options.get("source") or "",
            dry_run=bool(options.get("dry_run")),
            publish=bool(options.get("publish")),
            progress=bar,
        )
    except PermissionDenied as error:
        bar.close()
        raise CommandError(str(error), returncode=2) from None
    bar.close()
    if options.get("json"):
        command.stdout.write(json.dumps({"batch": batch.pk, **batch.report}, ensure_ascii=False))
    else:
        command.stdout.write("\n".join(describe(batch)))
    if batch.status == BatchStatus.FAILED:
        raise CommandError(
            _("Lô #%(batch)s bị từ chối: %(errors)s lỗi.")
            % {"batch": batch.pk, "errors": batch.report.get("error_count", 0)},
            returncode=1,
        )


def _n(value) -> str:
    return f"{value or 0:,}".replace(",", ".")


def describe(batch) -> list[str]:
    """The report as lines of text for a terminal."""
    report = batch.report or {}
    lines = [f"{_('Lô')} #{batch.pk} — {report.get('summary', '')}"]
    lines.append(
        _("Tệp: %(file)s · định dạng: %(format)s · bảng mã: %(encoding)s · bộ dữ liệu: %(ds)s")
        % {
            "file": batch.file_name,
            "format": report.get("format") or "?",
            "encoding": report.get("encoding") or "?",
            "ds": batch.dataset.code,
        }
    )
    if report.get("title"):
        lines.append(_("Tiêu đề: %(title)s") % {"title": report["title"]})
    lines.append(
        _("Giá trị: đọc %(read)s, hợp lệ %(valid)s, không có số liệu (“..”) %(missing)s")
        % {
            "read": _n(report.get("values_read")),
            "valid": _n(report.get("values_valid")),
            "missing": _n(report.get("missing")),
        }
    )
    if report.get("indicators"):
        counts = ", ".join(f"{k} {_n(v)}" for k, v in report["indicators"].items())
        period = f"{report.get('first_period')}–{report.get('last_period')}"
        lines.append(
            _("Chỉ tiêu: %(counts)s · kỳ %(period)s") % {"counts": counts, "period": period}
        )
    counts = report.get("published") or report.get("diff")
    if counts:
        lines.append(
            _("So với số liệu đã công bố: %(new)s mới, %(changed)s thay đổi, %(same)s không đổi")
            % {
                "new": _n(counts.get("new")),
                "changed": _n(counts.get("changed")),
                "same": _n(counts.get("unchanged")),
            }
        )
        for item in (report.get("diff") or {}).get("examples", {}).get("changed", [])[:5]:
            lines.append(
                f"  {item['indicator']} {item['unit']} {item['period']} "
                f"{item['disaggregation']}: {item.get('old_value')} → {item['value']}".rstrip()
            )
    recon = report.get("reconciliation")
    if recon:
        lines.append(
            _(
                "Đối chiếu dòng vùng/cả nước: %(rows)s dòng tổng, %(checked)s phép đối chiếu, "
                "%(matched)s khớp, %(mismatched)s lệch, %(incomplete)s thiếu số liệu tỉnh"
            )
            % {
                "rows": _n(report.get("subtotal_rows")),
                "checked": _n(recon.get("checked")),
                "matched": _n(recon.get("matched")),
                "mismatched": _n(recon.get("mismatched")),
                "incomplete": _n(recon.get("incomplete")),
            }
        )
        if recon.get("not_additive"):
            lines.append(
                _("  Không cộng dồn, không đối chiếu: %(codes)s")
                % {"codes": ", ".join(recon["not_additive"])}
            )
    for key, title in (("errors", _("Lỗi")), ("warnings", _("Cảnh báo"))):
        items = report.get(key) or []
        total = report.get("error_count" if key == "errors" else "warning_count", len(items))
        if not items:
            continue
        lines.append(f"{title} ({_n(total)}):")
        lines += [f"  - {item['message']}" for item in items[:SHOWN]]
        if total > SHOWN:
            lines.append(
                "  "
                + _("… và %(more)s mục khác (xem báo cáo của lô).") % {"more": _n(total - SHOWN)}
            )
    return lines

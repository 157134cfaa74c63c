"""`regionlink plans review|reminders|import-targets`: the plan registry from the command line.

Each verb prints a one-line summary (text) or a JSON document (``--format json``) and exits
non-zero with a Vietnamese message when its input is wrong. The CLI runs as a set-up actor
(the person at the server's console), like `regionlink data import`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

ACTOR = "regionlink plans"
HELP = {
    "review": "Rà soát sự phù hợp của các quy hoạch (chạy ngay, lưu kết quả và phát hiện).",
    "reminders": "Liệt kê việc đến hạn: đánh giá hằng năm, 5 năm, công bố quá hạn, hết thời kỳ.",
    "import-targets": "Nhập chỉ tiêu của một quy hoạch từ tệp CSV hoặc Excel (tất cả hoặc không).",
}


def _date(text: str | None) -> dt.date:
    from regionlink.geography.queries import today

    if not text:
        return today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("Ngày “%(value)s” không hợp lệ (tham số --as-of): dùng dạng YYYY-MM-DD.")
            % {"value": text}
        ) from None


def _region(code: str | None):
    from regionlink.geography.models import Region

    if not code:
        return None
    region = Region.objects.filter(code__iexact=code).first()
    if region is None:
        codes = ", ".join(Region.objects.order_by("sort_order").values_list("code", flat=True))
        raise CommandError(
            _("Không có vùng mã “%(code)s” (tham số --region). Các mã vùng: %(codes)s.")
            % {"code": code, "codes": codes}
        )
    return region


class Command(BaseCommand):
    help = "Quy hoạch: rà soát sự phù hợp (review), nhắc việc (reminders), nhập chỉ tiêu."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        review = sub.add_parser("review", help=HELP["review"])
        review.add_argument("--region", help="Mã vùng, ví dụ DBSH (mặc định: cả nước).")
        review.add_argument(
            "--as-of", dest="as_of", help="Ngày rà soát YYYY-MM-DD (mặc định: hôm nay)."
        )
        review.add_argument("--format", choices=["text", "json"], default="text")
        reminders = sub.add_parser("reminders", help=HELP["reminders"])
        reminders.add_argument("--as-of", dest="as_of", help="Ngày YYYY-MM-DD (mặc định: hôm nay).")
        reminders.add_argument("--format", choices=["text", "json"], default="text")
        imports = sub.add_parser("import-targets", help=HELP["import-targets"])
        imports.add_argument("plan", metavar="PLAN_CODE", help="Mã quy hoạch.")
        imports.add_argument("path", metavar="PATH", help="Tệp .csv hoặc .xlsx theo mẫu.")
        imports.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")

    def handle(self, *args, **options):
        verb = options["verb"].replace("-", "_")
        return getattr(self, f"do_{verb}")(options)

    def _json(self, data) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))

    def do_review(self, options) -> None:
        from regionlink.plans.findings import explanations
        from regionlink.plans.review import run_review

        region = _region(options.get("region"))
        as_of = _date(options.get("as_of"))
        run = run_review(region=region, as_of=as_of, actor=ACTOR)
        rows = list(run_findings(run).prefetch_related("plans"))
        explained = explanations(rows)
        findings = [
            {
                "fingerprint": f.fingerprint,
                "kind": f.kind,
                "severity": f.severity,
                "message_code": f.message_code,
                "explanation": explained[f.pk],
                "legal_basis": f.legal_basis,
                "plans": sorted(p.code for p in f.plans.all()),
                "indicator": f.params.get("indicator"),
                "year": f.params.get("year"),
                "status": f.status,
                "params": f.params,
            }
            for f in rows
        ]
        summary = _("Rà soát %(scope)s ngày %(date)s: %(count)s phát hiện (lần chạy #%(run)s).") % {
            "scope": region.code if region else _("cả nước"),
            "date": as_of.strftime("%d/%m/%Y"),
            "count": run.findings_count,
            "run": run.pk,
        }
        if options["format"] == "json":
            self._json(
                {
                    "run": run.pk,
                    "region": region.code if region else None,
                    "as_of": as_of.isoformat(),
                    "input_digest": run.input_digest,
                    "findings_count": run.findings_count,
                    "findings": findings,
                }
            )
            return
        for row in findings:
            self.stdout.write(
                f"[{row['severity']}] {row['kind']}: {row['explanation']} ({row['legal_basis']})"
            )
        self.stdout.write(summary)

    def do_reminders(self, options) -> None:
        from regionlink.plans.reminders import due

        on = _date(options.get("as_of"))
        found = due(on=on)
        if options["format"] == "json":
            self._json({"as_of": on.isoformat(), "reminders": [r.as_dict() for r in found]})
            return
        for reminder in found:
            self.stdout.write(
                f"{reminder.due_on:%d/%m/%Y} {reminder.kind}: {reminder.message} "
                f"({reminder.legal_basis})"
            )
        self.stdout.write(
            _("%(count)s việc đến hạn hoặc quá hạn ngày %(date)s.")
            % {"count": len(found), "date": on.strftime("%d/%m/%Y")}
        )

    def do_import_targets(self, options) -> None:
        from regionlink.plans import target_import
        from regionlink.plans.models import Plan

        plan = Plan.objects.filter(code=options["plan"]).first()
        if plan is None:
            raise CommandError(_("Không có quy hoạch mã “%(code)s”.") % {"code": options["plan"]})
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("Không đọc được tệp “%(path)s”.") % {"path": path})
        report = target_import.import_targets(
            actor=ACTOR,
            plan=plan,
            data=path.read_bytes(),
            filename=path.name,
            dry_run=options["dry_run"],
        )
        for error in report.errors:
            self.stderr.write(
                _("Dòng %(row)s, cột %(column)s (“%(value)s”): %(reason)s %(fix)s")
                % {
                    "row": error.row,
                    "column": error.column,
                    "value": error.value,
                    "reason": error.reason,
                    "fix": error.fix,
                }
            )
        summary = _(
            "%(plan)s: %(created)s chỉ tiêu mới, %(updated)s cập nhật, %(unchanged)s không đổi, "
            "%(errors)s lỗi%(dry)s."
        ) % {
            "plan": plan.code,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "errors": len(report.errors),
            "dry": _(" (chạy thử, chưa ghi)") if options["dry_run"] else "",
        }
        if report.errors:
            raise CommandError(summary)
        self.stdout.write(summary)


def run_findings(run):
    """The current findings of a run's scope, by kind then fingerprint (a stable order)."""
    from regionlink.plans.models import Finding

    qs = Finding.objects.filter(last_run=run, is_current=True)
    return qs.order_by("kind", "fingerprint")

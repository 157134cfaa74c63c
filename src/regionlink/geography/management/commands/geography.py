"""`regionlink geography load|resolve`: load the territory, or resolve a place name."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Nạp địa giới (load) hoặc tra cứu tên địa danh (resolve TEXT [--date D])."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("load", help="Nạp vùng, đơn vị hành chính, kế thừa và ranh giới.")
        resolve = sub.add_parser("resolve", help="Tìm đơn vị hành chính theo tên.")
        resolve.add_argument("text")
        resolve.add_argument("--date", help="Ngày áp dụng, YYYY-MM-DD (mặc định: hôm nay).")
        resolve.add_argument("--level", choices=["province", "district", "commune"])
        resolve.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        if options["verb"] == "load":
            return self._load()
        return self._resolve(options)

    def _load(self):
        from regionlink.geography.loader import load_territory

        report = load_territory()
        for line in report.lines():
            self.stdout.write(line)
        verdict = "đã cập nhật" if report.changed else "không có thay đổi"
        self.stdout.write(self.style.SUCCESS(f"Địa giới hành chính: {verdict}."))

    def _resolve(self, options):
        from regionlink.geography.names import resolve

        date = None
        if options["date"]:
            try:
                date = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(
                    f"Ngày không hợp lệ: {options['date']!r}. "
                    "Dùng dạng YYYY-MM-DD, ví dụ 2026-01-01."
                ) from exc
        result = resolve(options["text"], date=date, level=options["level"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            for line in result.describe():
                self.stdout.write(line)
        if not result.matches:
            raise CommandError(result.message)

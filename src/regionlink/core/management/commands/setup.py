"""`regionlink setup [--demo]`: prepare the database named by DATABASE_URL. Idempotent."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from regionlink.core.setup_steps import STEPS


class Command(BaseCommand):
    help = (
        "Chuẩn bị cơ sở dữ liệu: migrate, địa giới, danh mục tham chiếu; "
        "--demo thêm dữ liệu minh họa."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo", action="store_true", help="Nạp dữ liệu và tài khoản minh họa."
        )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Cơ sở dữ liệu: đã cập nhật cấu trúc (migrate).")
        for step in STEPS:
            if step.demo and not options["demo"]:
                continue
            summary = step.run()
            self.stdout.write(f"{step.name}: {summary}")
        self.stdout.write(self.style.SUCCESS("Hoàn tất chuẩn bị RegionLink."))

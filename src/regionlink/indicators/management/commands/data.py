"""`regionlink data import|get`: the data hub from the command line, for officers who script."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Kho dữ liệu vùng: nhập tệp số liệu (import) hoặc truy vấn số liệu (get)."

    def add_arguments(self, parser):
        from regionlink.indicators import cli_get, cli_import

        sub = parser.add_subparsers(dest="verb", required=True)
        cli_import.add_arguments(sub.add_parser("import", help=cli_import.HELP))
        cli_get.add_arguments(sub.add_parser("get", help=cli_get.HELP))

    def handle(self, *args, **options):
        from regionlink.indicators import cli_get, cli_import

        verb = {"import": cli_import, "get": cli_get}[options["verb"]]
        return verb.run(self, options)

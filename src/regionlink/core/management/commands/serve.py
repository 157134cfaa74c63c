"""`regionlink serve --host --port`: the production server (gunicorn) with WhiteNoise static."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy máy chủ web (gunicorn) phục vụ RegionLink, kể cả tệp tĩnh."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3")))
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args, **options):
        from gunicorn.app.base import BaseApplication

        # Collect first: WhiteNoise indexes STATIC_ROOT when the application is built.
        if not options["no_collectstatic"] and not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)

        from regionlink.wsgi import application

        bind = f"{options['host']}:{options['port']}"

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", bind)
                self.cfg.set("workers", options["workers"])
                self.cfg.set("threads", 4)
                self.cfg.set("timeout", 60)
                self.cfg.set("accesslog", "-")

            def load(self):
                return application

        self.stdout.write(f"RegionLink: http://{bind}/")
        Server().run()

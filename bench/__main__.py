"""`make bench`: run every benchmark and print its figures.

Usage: python -m bench [name ...]; DATABASE_URL chooses the database (a fresh SQLite file
under var/bench/ by default).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _prepare_environment() -> None:
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-that-is-long-enough-0123456789")
    if "DATABASE_URL" not in os.environ:
        folder = ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        path = Path(tempfile.mkdtemp(dir=folder)) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regionlink.settings")


def main(argv: list[str]) -> int:
    _prepare_environment()
    import django

    django.setup()
    from django.core.management import call_command

    from bench import bench_territory

    call_command("migrate", verbosity=0, interactive=False)
    suites = {"territory": bench_territory.run}
    chosen = argv or list(suites)
    print(f"Database: {os.environ['DATABASE_URL'].split('@')[-1]}")
    for name in chosen:
        print(f"\n== {name}")
        for line in suites[name]():
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

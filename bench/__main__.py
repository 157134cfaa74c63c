"""`make bench`: run every benchmark and print its figures.

Usage: python -m bench [territory|aggregate|import|api|plans ...] (all by default, in that
order: the aggregation suite builds the store of values the import and the API then run
against). DATABASE_URL chooses the database (a fresh SQLite file under var/bench/ by default,
removed afterwards unless BENCH_KEEP=1). Other knobs: BENCH_STORE_VALUES, BENCH_IMPORT_ROWS,
BENCH_API_SECONDS, BENCH_API_CLIENTS (see each suite's docstring).
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITES = ("territory", "aggregate", "import", "api", "plans")


def _prepare_environment() -> Path:
    """Settings for the bench; returns its working folder (generated files, SQLite database)."""
    # As in production: DEBUG=0 (no query log kept in memory, which would distort the figures).
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-that-is-long-enough-0123456789")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    parent = ROOT / "var" / "bench"
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=parent))
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["BENCH_WORK_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regionlink.settings")
    return folder


def _reference_data() -> None:
    """Territory, reference organisations and the catalogue (the non-demo setup steps)."""
    from regionlink.core.setup_steps import STEPS

    for step in STEPS:
        if not step.demo:
            step.run()


def _suite(name: str):
    if name == "territory":
        from bench import bench_territory

        return bench_territory.run
    if name == "aggregate":
        from bench import bench_aggregate

        return bench_aggregate.run
    if name == "import":
        from bench import bench_import

        return bench_import.run
    if name == "api":
        from bench import bench_api_load

        return bench_api_load.run
    if name == "plans":
        from bench import bench_plans

        return bench_plans.run
    raise SystemExit(f"Unknown suite {name!r}; choose from: {', '.join(SUITES)}")


def main(argv: list[str]) -> int:
    folder = _prepare_environment()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    chosen = argv or list(SUITES)
    runners = [(name, _suite(name)) for name in chosen]
    call_command("migrate", verbosity=0, interactive=False)
    print(f"Database: {connection.vendor}, {os.environ['DATABASE_URL'].split('@')[-1]}")
    print(f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}")
    try:
        for name, run in runners:
            print(f"\n== {name}", flush=True)
            if name != "territory":
                _reference_data()
            start = time.perf_counter()
            for line in run():
                print(line, flush=True)
            print(f"({name}: {time.perf_counter() - start:.0f} s)", flush=True)
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            connection.close()
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The `regionlink` command: Django's manage.py plus the user verbs (setup, serve, geography)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regionlink.settings")
    from regionlink.config import ConfigError

    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:  # pragma: no cover - broken install
        raise SystemExit(f"Django is not installed: {exc}") from exc
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "regionlink"
    try:
        execute_from_command_line(argv)
    except ConfigError as exc:
        sys.stderr.write(f"Lỗi cấu hình / configuration error: {exc}\n")
        raise SystemExit(2) from exc


if __name__ == "__main__":
    main()

"""Every configuration option, declared once with type, default and description.

Settings read the environment only through :func:`load`; a bad value stops start-up with a
message naming the variable and the fix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
DEFAULT_SECRET_KEY = "regionlink-insecure-development-key-change-me"


class ConfigError(Exception):
    """A configuration value is missing or malformed."""


@dataclass(frozen=True)
class Option:
    name: str
    kind: type
    default: object
    description: str


OPTIONS = [
    Option(
        "DATABASE_URL",
        str,
        f"sqlite:///{PROJECT_DIR / 'var' / 'regionlink.sqlite3'}",
        "Database URL: sqlite:///path (embedded default) or postgres://user@host/db.",
    ),
    Option("SECRET_KEY", str, DEFAULT_SECRET_KEY, "Django secret key; required when DEBUG=0."),
    Option("DEBUG", bool, False, "Development mode (1/0). Never on in production."),
    Option("ALLOWED_HOSTS", list, [], "Comma-separated host names served; required when DEBUG=0."),
    Option("CSRF_TRUSTED_ORIGINS", list, [], "Comma-separated origins (https://host) for CSRF."),
    Option("SECURE_COOKIES", bool, False, "Send session and CSRF cookies over HTTPS only."),
    Option("EMAIL_BACKEND", str, "file", "E-mail delivery: console, file or smtp."),
    Option("EMAIL_FILE_PATH", str, str(PROJECT_DIR / "var" / "mail"), "Folder for file e-mail."),
    Option("EMAIL_HOST", str, "localhost", "SMTP host when EMAIL_BACKEND=smtp."),
    Option("EMAIL_PORT", int, 25, "SMTP port when EMAIL_BACKEND=smtp."),
    Option("DEFAULT_FROM_EMAIL", str, "regionlink@localhost", "Sender address of e-mails."),
    Option("MEDIA_ROOT", str, str(PROJECT_DIR / "var" / "media"), "Folder for uploaded files."),
    Option("STATIC_ROOT", str, str(PROJECT_DIR / "var" / "static"), "Folder for collected static."),
    Option("LOGIN_FAILURE_LIMIT", int, 5, "Failed logins before an account/IP is locked."),
    Option("LOGIN_COOLOFF_MINUTES", int, 15, "Minutes a locked login stays locked."),
    Option("LOG_LEVEL", str, "INFO", "Log level: DEBUG, INFO, WARNING, ERROR."),
    Option(
        "DATA_CACHE_SECONDS",
        int,
        300,
        "Seconds the data API keeps a computed answer (per process, keyed by every version it "
        "depends on, so changes show at once); 0 computes every request.",
    ),
    Option("PLAN_DOCUMENT_MAX_MB", int, 50, "Largest plan dossier document accepted, in MB."),
]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _parse(option: Option, raw: str) -> object:
    if option.kind is bool:
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ConfigError(f"{option.name}={raw!r}: dùng 1 hoặc 0 (use 1 or 0).")
    if option.kind is int:
        try:
            return int(raw)
        except ValueError as exc:
            raise ConfigError(f"{option.name}={raw!r}: cần một số nguyên (an integer).") from exc
    if option.kind is list:
        return [item.strip() for item in raw.split(",") if item.strip()]
    return raw


def load(environ: dict[str, str] | None = None) -> dict[str, object]:
    """Read every declared option from the environment and check the combination."""
    environ = os.environ if environ is None else environ
    values = {}
    for option in OPTIONS:
        raw = environ.get(option.name)
        values[option.name] = option.default if raw is None else _parse(option, raw)
    check(values)
    return values


def check(values: dict[str, object]) -> None:
    """Refuse bad or unsafe settings, naming the variable to set."""
    if values["EMAIL_BACKEND"] not in {"console", "file", "smtp"}:
        raise ConfigError(
            "EMAIL_BACKEND phải là console, file hoặc smtp (use console, file or smtp)."
        )
    if str(values["LOG_LEVEL"]).upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError("LOG_LEVEL phải là DEBUG, INFO, WARNING hoặc ERROR.")
    if int(values["DATA_CACHE_SECONDS"]) < 0:
        raise ConfigError("DATA_CACHE_SECONDS phải ≥ 0 (0 tắt bộ nhớ đệm; use 0 or more).")
    if int(values["PLAN_DOCUMENT_MAX_MB"]) < 1:
        raise ConfigError("PLAN_DOCUMENT_MAX_MB phải ≥ 1 (use 1 or more).")
    if values["DEBUG"]:
        return
    if values["SECRET_KEY"] == DEFAULT_SECRET_KEY or len(str(values["SECRET_KEY"])) < 32:
        raise ConfigError(
            "SECRET_KEY chưa được đặt: khi DEBUG=0 hãy đặt biến môi trường SECRET_KEY "
            "(ít nhất 32 ký tự ngẫu nhiên). "
            "Set the SECRET_KEY environment variable (32+ random characters) when DEBUG=0."
        )
    if not values["ALLOWED_HOSTS"]:
        raise ConfigError(
            "ALLOWED_HOSTS trống: khi DEBUG=0 hãy đặt ALLOWED_HOSTS=tên-máy-chủ "
            "(phân cách bằng dấu phẩy). Set ALLOWED_HOSTS (comma-separated) when DEBUG=0."
        )

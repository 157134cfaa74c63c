"""Files uploaded to the import wizard: stored under MEDIA_ROOT/imports/ with a random name,
remembered in the session until confirmed, swept after a week."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings

from regionlink.indicators.models import ImportBatch

UPLOAD_FOLDER = "imports"
SESSION_UPLOADS = "rl_import_uploads"
UPLOAD_KEEP_DAYS = 7


def uploads_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_FOLDER


def store_upload(upload, file_format: str) -> str:
    """Save an upload under MEDIA_ROOT/imports/ with a random name; returns that name.

    The name carries nothing of the original (which stays in the batch record), so it can
    be neither guessed nor used to reach another path; the file is readable by us only.
    """
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{file_format}"
    path = folder / name
    with path.open("xb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    path.chmod(0o600)
    return name


def sweep_uploads(max_age_days: int = UPLOAD_KEEP_DAYS) -> int:
    """Delete uploads older than ``max_age_days`` (checked but never confirmed, or whose
    report nobody opened); returns how many. Runs with each new upload."""
    import time

    folder = uploads_dir()
    if not folder.is_dir():
        return 0
    cutoff = time.time() - max_age_days * 86400
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def stored_path(name: str) -> Path | None:
    """The stored upload of that random name; None for anything else (no path tricks)."""
    if not name or Path(name).name != name or name.startswith("."):
        return None
    path = uploads_dir() / name
    return path if path.is_file() else None


def discard(name: str) -> None:
    path = stored_path(name)
    if path is not None:
        path.unlink(missing_ok=True)


def remembered(request) -> dict:
    """This session's checked uploads: batch id → {name, file_name, source}."""
    return request.session.get(SESSION_UPLOADS, {})


def remember(request, batch: ImportBatch, entry: dict) -> None:
    uploads = remembered(request)
    uploads[str(batch.pk)] = entry
    # Keep the session small: the last few uploads are enough to confirm one.
    request.session[SESSION_UPLOADS] = dict(list(uploads.items())[-10:])


def forget(request, batch_id: int, *, delete: bool) -> None:
    uploads = remembered(request)
    entry = uploads.pop(str(batch_id), None)
    if entry is not None:
        request.session[SESSION_UPLOADS] = uploads
        if delete:
            discard(entry.get("name", ""))

"""Imports as background tasks (django-tasks): the web wizard and the API queue a batch and
return at once; the worker (`regionlink db_worker`) runs it, updating ImportBatch.rows_done so
the batch page can show a progress bar.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.text import get_valid_filename
from django_tasks import task

UPLOADS = "imports"


def keep_file(batch, path_or_file, file_name: str) -> tuple[str, bool]:
    """Where the worker finds the file: a path on this server, or a copy in the storage.

    Returns (reference, stored): ``stored`` is True for a storage name.
    """
    if isinstance(path_or_file, str | os.PathLike):
        return str(Path(path_or_file).resolve()), False
    name = get_valid_filename(Path(file_name or "upload").name) or "upload"
    if isinstance(path_or_file, bytes | bytearray):
        from django.core.files.base import ContentFile

        content = ContentFile(bytes(path_or_file))
    else:
        if hasattr(path_or_file, "seek"):
            path_or_file.seek(0)
        content = File(path_or_file)
    saved = default_storage.save(f"{UPLOADS}/{batch.pk}/{name}", content)
    return saved, True


@task()
def import_batch_task(
    *,
    batch_id: int,
    file_reference: str,
    stored: bool,
    actor_id: int | None,
    actor_label: str,
    indicator: str | None,
    publish: bool,
) -> str:
    """Run one queued import batch; returns its final status."""
    from regionlink.indicators.importing.pipeline import process_batch
    from regionlink.indicators.models import BatchStatus, ImportBatch
    from regionlink.organisations.models import User

    batch = ImportBatch.objects.select_related("dataset").get(pk=batch_id)
    if batch.status != BatchStatus.PENDING:
        return batch.status  # run already (a retried task)
    actor = User.objects.get(pk=actor_id) if actor_id else (actor_label or "tác vụ nền")
    if stored:
        with default_storage.open(file_reference, "rb") as handle:
            process_batch(
                batch=batch, actor=actor, path_or_file=handle, indicator=indicator, publish=publish
            )
    else:
        process_batch(
            batch=batch,
            actor=actor,
            path_or_file=file_reference,
            indicator=indicator,
            publish=publish,
        )
    return batch.status

"""The data API's answers, kept in the ``data`` cache under a key naming all they depend on.

Nothing is ever invalidated: a change makes a new key. The key holds the query as sent (every
parameter, the format), the data sets the caller may read now (so an embargo that passes, or a
data set shared or withdrawn, changes it; two callers share an answer only when they read the
same data sets), the demo data sets among them, the versions of the data, catalogue and
territory (``data_versions``), the language and today's date (the current territory is
today's).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse

from regionlink.indicators.data_versions import Versions

MAX_BODY = 256 * 1024  # larger answers (big downloads) are computed each time
_KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def _digest(material: list) -> str:
    text = json.dumps(material, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def etag(
    *,
    params: list,
    dataset_ids: Sequence[int],
    demo_ids: Sequence[int],
    versions: Versions,
    language: str,
    today,
) -> str:
    """The answer's ETag: from the reader's own data only, so it says nothing of other data."""
    material = [
        params,
        list(dataset_ids),
        list(demo_ids),
        versions.data,
        versions.catalogue,
        versions.territory,
        language,
        today,
    ]
    return '"' + _digest(material) + '"'


def key(tag: str, versions: Versions) -> str:
    """The cache key: the ETag, plus every batch anywhere (publishing into another data set
    can move a value out of the reader's; the ETag must not show that, the cache must)."""
    return "data-api:" + _digest([tag, versions.all_data])


def enabled() -> bool:
    return settings.DATA_CACHE_SECONDS > 0


def get(cache_key: str) -> HttpResponse | None:
    if not enabled():
        return None
    kept = caches["data"].get(cache_key)
    if kept is None:
        return None
    status, headers, content = kept
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def put(cache_key: str, response: HttpResponse) -> None:
    if not enabled() or response.status_code != 200 or len(response.content) > MAX_BODY:
        return
    headers = [(h, response[h]) for h in _KEPT_HEADERS if response.has_header(h)]
    caches["data"].set(
        cache_key, (response.status_code, headers, response.content), settings.DATA_CACHE_SECONDS
    )

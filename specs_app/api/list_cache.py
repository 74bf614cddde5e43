"""``GET /api/v1/specs/`` cached whole, under the database's change stamp for the list.

A page of the list costs its queries (the page with its count, co-authors, attention;
for a search, ranking every match) and serialising 20 specs; tooling asks for the same
pages over and over, and nothing in them changes until a spec, a section, a co-author,
a turn, a project or a user's name does. Triggers (migration 0015) replace the stamp in
the same transaction as any such write, so a reader that sees the old stamp caches at
worst newer data under it, and one that sees the new stamp finds no entry. A hit costs
the stamp's query and a cache read: about what a bare Django view costs.

Everyone sees the same specs (the list has no per-person visibility; were one added, the
key would have to name the viewer); only ``?waiting_for=me`` is keyed by the person asking.
Only JSON answers of 200 are kept: the browsable API and errors are read every time.
``SPECPORTAL_API_LIST_CACHE=0`` turns it off.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import cache as once

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.response import Response

from specs_app.models import ChangeStamp

# Long enough for tooling that polls; an entry whose stamp has moved on is never read again.
TIMEOUT_SECONDS = 600


def enabled() -> bool:
    return os.environ.get("SPECPORTAL_API_LIST_CACHE", "1") != "0"


def list_stamp() -> str | None:
    """The list's change stamp; None where the row is missing (a flushed test database)."""
    return ChangeStamp.objects.filter(name=ChangeStamp.SPEC_LIST).values_list("stamp", flat=True).first()


@once
def _shape(fields: tuple[str, ...]) -> str:
    # A deploy that changes the fields or the time zone must not read the last one's entries.
    return hashlib.sha256(repr((fields, settings.TIME_ZONE, settings.USE_TZ)).encode()).hexdigest()[:16]


def cache_key(request: Request, *, stamp: str, fields: tuple[str, ...]) -> str:
    asker = ""
    if request.query_params.get("waiting_for") == "me" and request.user.is_authenticated:
        asker = str(request.user.pk)
    # The whole address, host and scheme included: they are in the pages' next/previous links.
    where = f"{request.build_absolute_uri()}|{request.version}|{asker}"
    digest = hashlib.sha256(where.encode()).hexdigest()
    return f"api-spec-list:{_shape(fields)}:{stamp}:{digest}"


def cached_list(request: Request, *, fields: tuple[str, ...], build: Callable[[], Response]) -> Response:
    """The list from the cache, or ``build()``'s answer, kept when it is a JSON 200."""
    renderer = getattr(request, "accepted_renderer", None)
    if not enabled() or renderer is None or renderer.format != "json":
        return build()
    stamp = list_stamp()
    if stamp is None:
        return build()
    key = cache_key(request, stamp=stamp, fields=fields)
    data = cache.get(key)
    if data is not None:
        return Response(data)
    response = build()
    if response.status_code == 200:
        cache.set(key, response.data, TIMEOUT_SECONDS)
    return response

"""A long piece of work run beside the response that reports its progress, one JSON line at a time.

There is no job queue (yet): the work runs in a thread of the request's own
worker while the response streams ``application/x-ndjson`` lines to the browser:

    {"event": "progress", "done": 120, "total": 813, "path": "specs/kilo/approved/foo.rst", ...}
    {"event": "done", ...what ``finish`` returns}
    {"event": "error", "status": 400, "message": "..."}

Blank lines are sent while nothing happens, so that no proxy drops a quiet connection.
The thread has its own database connections and closes them; if the browser goes
away the work still finishes, as it would from the command line.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.http import StreamingHttpResponse

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/x-ndjson"
KEEPALIVE_SECONDS = 10.0

# What the work reports as it goes: {"done": 120, "total": 813, ...}, sent as a "progress" line.
Emit = Callable[[dict[str, Any]], None]
T = TypeVar("T")


def wants_progress(accept: str) -> bool:
    """The page's script asks for the streamed answer; a plain form post gets a plain page."""
    return CONTENT_TYPE in accept


def streamed(
    work: Callable[[Emit], T],
    *,
    finish: Callable[[T], dict[str, Any]],
    cleanup: Callable[[], None] = lambda: None,
) -> StreamingHttpResponse:
    """Run ``work(emit)`` in a thread; stream what it emits, then ``finish(result)`` or the error.

    ``finish`` runs in the request's thread, after the work. ``cleanup`` runs in the
    work's thread once the work is over, whatever became of the response.
    """
    events: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()

    def emit(data: dict[str, Any]) -> None:
        events.put(("progress", data))

    def run() -> None:
        ending: tuple[str, Any]
        try:
            ending = ("done", work(emit))
        except BaseException as error:  # every ending must reach the browser
            ending = ("error", error)
        # Cleaned up before the last line goes out: when the browser has it, all is over.
        try:
            cleanup()
        except Exception:
            logger.exception("Cleaning up after work streamed to the browser failed")
        finally:
            connections.close_all()  # this thread's connections only
            events.put(ending)

    thread = threading.Thread(target=run, name="specportal-progress", daemon=True)
    thread.start()

    def lines() -> Iterator[bytes]:
        while True:
            try:
                kind, value = events.get(timeout=KEEPALIVE_SECONDS)
            except queue.Empty:
                yield b"\n"
                continue
            if kind == "progress":
                yield _line({"event": "progress", **value})
            elif kind == "done":
                yield _line({"event": "done", **finish(value)})
                return
            else:
                yield _line({"event": "error", **_error(value)})
                return

    response = StreamingHttpResponse(lines(), content_type=f"{CONTENT_TYPE}; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx would otherwise hold the lines back until the end
    return response


def _line(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n"


def _error(error: BaseException) -> dict[str, Any]:
    if isinstance(error, ValidationError):
        return {"status": 400, "message": " ".join(error.messages)}
    if isinstance(error, PermissionDenied):
        return {"status": 403, "message": str(error) or "You are not allowed to do this."}
    logger.error("Work streamed to the browser failed", exc_info=error)
    return {
        "status": 500,
        "message": "The import stopped on an unexpected error, which has been logged. "
        "What was imported before it is kept; the project's page lists it.",
    }

"""The render worker's side: the loop a sandbox's child process runs.

:mod:`specs_app.rst.sandbox` starts ``python -I`` with this module's
:func:`serve` and a socket; the worker caps its own memory, imports docutils
once, warms up, says it is ready, and then renders one text per request until
the parent goes away. Requests and replies are UTF-8 JSON, never pickles.

The worker renders through an :class:`~specs_app.rst.incremental.IncrementalRenderer`:
a text that differs from one it rendered recently by an edit inside a section
is re-rendered only where it changed, with the same result as a whole render.
``SPECPORTAL_INCREMENTAL_PREVIEW=0`` in the environment renders every text
whole (the benchmark compares the two).
"""

from __future__ import annotations

import importlib
import json
import os
import threading
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection

from .coverage_hook import save_measured_lines
from .gate_rules import GateRules, rules_from_json
from .incremental import IncrementalRenderer
from .render import render_in_process
from .results import RenderResult
from .sandbox import READY, worker_failed

# Address space a worker may use: a 200,000-character spec needs a fraction of
# it; a text that needs more fails with a diagnostic instead of swapping.
WORKER_MEMORY_LIMIT = 1 << 30
_WARM_UP_TEXT = (
    "=====\nTitle\n=====\n\nSection\n=======\n\nText with *emphasis*, ``code`` and a link_ [#]_.\n\n"
    ".. _link: https://example.com\n.. [#] A footnote.\n\n* a list\n\n.. note:: A note.\n\n"
    ".. code-block:: python\n\n   x = 1\n\n.. list-table::\n\n   * - a\n     - b\n"
)


def _limit_resources() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_LIMIT, WORKER_MEMORY_LIMIT))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):  # not on this platform: the time limit still holds
        pass


def _exit_when_orphaned(parent: int) -> None:
    """A busy worker does not read its socket; this notices a dead parent anyway."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


Renderer = Callable[..., RenderResult]


def renderer() -> Renderer:
    """How this worker renders: incrementally, unless the environment turns it off."""
    if os.environ.get("SPECPORTAL_INCREMENTAL_PREVIEW", "1") == "0":
        return render_in_process
    return IncrementalRenderer().render


# The worker's renderer, set by serve(); one process renders one text at a time.
_render: Renderer = render_in_process


def _reply(request: bytes) -> bytes:
    text = ""
    try:
        message = json.loads(request.decode("utf-8"))
        text = message["text"]
        rules: GateRules | None = None if message["rules"] is None else rules_from_json(message["rules"])
        return json.dumps(_render(text, rules=rules).to_json()).encode("utf-8")
    except Exception as error:  # MemoryError while encoding, say: report and carry on
        return json.dumps(worker_failed(type(error).__name__, text).to_json()).encode("utf-8")


def serve(fd: int, preload: Sequence[str] = ()) -> None:
    """The worker's loop: read a text, write its render as JSON, until the parent goes away.

    ``preload`` names modules to import first (see :class:`~specs_app.rst.sandbox.RenderSandbox`).
    """
    _limit_resources()
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    for module in preload:
        importlib.import_module(module)
    global _render
    connection = Connection(fd)
    _render = renderer()
    # Imports and caches, before the first real render (an edit too, for the incremental renderer).
    _render(_WARM_UP_TEXT)
    _render(_WARM_UP_TEXT.replace("a list", "a short list"))
    connection.send_bytes(READY)
    while True:
        try:
            request = connection.recv_bytes()
        except (EOFError, OSError):
            return
        reply = _reply(request)
        save_measured_lines()  # before replying: the parent may kill this process next
        connection.send_bytes(reply)

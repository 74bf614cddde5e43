"""Run renders in a warm worker process that is killed when a render overruns its time limit.

Some RST takes docutils seconds to minutes, and Python cannot interrupt its
own thread reliably, so a hard limit needs another process. Each worker is a
long-lived ``python -I`` child that imports docutils once and renders one
text at a time; the parent waits on the reply with a timeout and, past it,
kills the worker (SIGKILL) and starts a replacement at once, so the next
render finds a warm worker.

Why a plain child process and not ``multiprocessing``: no ``__main__``
re-import (works the same under pytest, ``manage.py runserver``, gunicorn or
a script without a main guard); the child runs in isolated mode with ``/`` as
its working directory (no stray config or module in the working directory);
and requests and replies are UTF-8 text and JSON, never pickles, so even a
subverted worker cannot make the web process unpickle an object. The worker
also caps its own address space, so a render that needs too much memory
fails inside the worker instead of swapping the machine.

A :class:`RenderSandbox` holds a pool of workers, each used by one thread
at a time; it is safe to share between threads, notices when the process has
forked (a gunicorn worker, say) and then starts its own workers instead of
using its parent's. A render takes a free worker, so with a pool of N, N
people's previews render at once and a preview waits only when all N are
busy. Of the free workers it takes the one that rendered the most similar
text lately: each worker renders incrementally from its own last renders
(:mod:`specs_app.rst.incremental`), so a person's next keystroke should go
where their last one went. The process's shared pool has
:func:`configure_default` workers (the web app passes its setting
``SPECPORTAL_RENDER_WORKERS``), else ``$SPECPORTAL_RENDER_WORKERS``, else
:data:`DEFAULT_WORKERS`.

This module is the parent's side; :mod:`specs_app.rst.worker` is the
worker's, and this module does not import it (the worker is started by
module name), so the parent never loads the renderer just to run a pool.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from .gate_rules import GateRules, rules_to_json
from .results import Diagnostic, RenderResult
from .text_ends import common_ends

# How long a new worker may take to import docutils and warm up.
STARTUP_TIMEOUT = 30.0
# What a worker sends once it is warm; see specs_app.rst.worker.serve.
READY = b"ready"
# Workers in the shared pool unless configured: a web process's threads render side by side,
# up to the cores there are (each render is CPU-bound) and at most four (each worker holds
# docutils and its last renders, tens of megabytes).
DEFAULT_WORKERS = min(4, os.cpu_count() or 1)
# Texts the parent remembers per worker to send similar ones there; the incremental
# renderer keeps as many (specs_app.rst.incremental.CAPACITY).
RECENT_TEXTS = 4
_WORKER_MODULE = f"{__package__}.worker"
_BOOTSTRAP = (
    "import json, sys; sys.path[:0] = json.loads(sys.argv[1]); "
    f"from {_WORKER_MODULE} import serve; serve(int(sys.argv[2]), json.loads(sys.argv[3]))"
)


def _timed_out(time_limit: float) -> RenderResult:
    return RenderResult.failed(
        Diagnostic.at(4, f"Rendering took longer than {time_limit:g} seconds and was stopped.")
    )


def worker_failed(detail: str, text: str) -> RenderResult:
    """The renderer failed outside the render (the worker died, say): the text as written, and why.

    The worker knew the line it was on and is gone; a diagnostic for the
    whole text is the best there is.
    """
    return RenderResult.crashed(text, [Diagnostic.at(4, f"The renderer stopped unexpectedly ({detail}).")])


def _import_paths() -> list[str]:
    """This process's import path, absolute, for the worker (which has another cwd)."""
    paths = [str(Path(entry or os.getcwd()).resolve()) for entry in sys.path]
    package_root = str(Path(__file__).resolve().parents[2])
    return [package_root, *(path for path in paths if path != package_root)]


class _Worker:
    """One worker process and the socket to it; used by one thread at a time."""

    def __init__(self, preload: Sequence[str] = ()) -> None:
        self._preload = list(preload)
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: Connection | None = None
        self._ready = False
        self._owner = os.getpid()
        # What this worker rendered last (newest first): what its incremental renderer can edit from.
        self.recent_texts: deque[str] = deque(maxlen=RECENT_TEXTS)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def likeness(self, text: str) -> int:
        """How much of ``text`` this worker has seen lately: the most characters shared at both ends."""
        return max((common_ends(recent, text) for recent in self.recent_texts), default=0)

    def start(self) -> None:
        """Start the process; it warms up in the background and says when it is ready."""
        parent_end, child_end = socket.socketpair()
        try:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-I",
                    "-c",
                    _BOOTSTRAP,
                    json.dumps(_import_paths()),
                    str(child_end.fileno()),
                    json.dumps(self._preload),
                ],
                pass_fds=(child_end.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                cwd="/",
                start_new_session=True,  # a Ctrl-C meant for the server is not the worker's
            )
        finally:
            child_end.close()
        self._connection = Connection(parent_end.detach())
        self._ready = False
        self.recent_texts.clear()

    def stop(self) -> None:
        """Kill the process (if this process started it) and forget it."""
        if self._owner != os.getpid():  # forked: the process is our parent's
            self.forget()
            return
        if self._connection is not None:
            self._connection.close()
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
        self._process = self._connection = None
        self._ready = False

    def forget(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None
        self._ready = False
        self._owner = os.getpid()
        self.recent_texts.clear()

    def _wait_until_ready(self) -> str | None:
        """None when ready; otherwise why not."""
        if self._ready:
            return None
        assert self._connection is not None
        try:
            if not self._connection.poll(STARTUP_TIMEOUT):
                return f"it did not start within {STARTUP_TIMEOUT:g} seconds"
            if self._connection.recv_bytes() != READY:
                return "it did not start properly"
        except (EOFError, OSError):
            return "it could not start"
        self._ready = True
        return None

    def _restart(self) -> None:
        self.stop()
        self.start()

    def _exit_code(self) -> int | None:
        if self._process is None:
            return None
        try:
            return self._process.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            return None

    def render(self, text: str, time_limit: float, rules: GateRules | None = None) -> RenderResult:
        if self._owner != os.getpid():
            self.forget()
        if self._process is None or self._process.poll() is not None:
            self._restart()
        request = json.dumps({"text": text, "rules": None if rules is None else rules_to_json(rules)})
        request_bytes = request.encode("utf-8")
        self.recent_texts.appendleft(text)
        for attempt in (1, 2):
            problem = self._wait_until_ready()
            if problem is not None:
                self._restart()  # a fresh start for the next render
                return worker_failed(problem, text)
            assert self._connection is not None
            try:
                self._connection.send_bytes(request_bytes)
                break
            except OSError:  # it died while idle: start another and try once more
                self._restart()
                if attempt == 2:
                    return worker_failed("it exited", text)
        assert self._connection is not None
        try:
            if not self._connection.poll(time_limit):
                self._restart()
                return _timed_out(time_limit)
            reply = self._connection.recv_bytes()
        except (EOFError, OSError):
            code = self._exit_code()
            self._restart()
            return worker_failed(_describe_exit(code), text)
        return RenderResult.from_json(json.loads(reply))


def _describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


class RenderSandbox:
    """A pool of render workers with a hard time limit per render; thread-safe."""

    def __init__(self, workers: int = 1, *, preload: Sequence[str] = ()) -> None:
        """A pool of ``workers`` processes, started on first use (or by :meth:`start`).

        ``preload`` names modules each worker imports before its first
        render; tests use it to register directives that block or crash
        inside the worker, which no text can do on purpose.
        """
        if workers < 1:
            raise ValueError("a sandbox needs at least one worker")
        self._size = workers
        self._owner = os.getpid()
        self._all = [_Worker(preload) for _ in range(workers)]
        # Free workers, the one freed last at the end; the condition is notified when one is freed.
        self._idle = list(self._all)
        self._freed = threading.Condition()

    @property
    def size(self) -> int:
        return self._size

    def _take(self, text: str) -> _Worker:
        """The free worker that rendered the text most like ``text`` lately; waits if none is free."""
        with self._freed:
            while not self._idle:
                self._freed.wait()
            if len(self._idle) == 1:
                worker = self._idle[0]
            else:  # equally alike (a text new to all): the worker freed last, likely a started one
                worker = max(
                    reversed(self._idle),
                    key=lambda candidate: candidate.likeness(text) if candidate.pid is not None else -1,
                )
            self._idle.remove(worker)
            return worker

    def _give_back(self, worker: _Worker) -> None:
        with self._freed:
            self._idle.append(worker)
            self._freed.notify()

    def _each_idle_worker(self) -> list[_Worker]:
        """Every worker, taken out of use (waiting for renders in progress to finish)."""
        with self._freed:
            while len(self._idle) < self._size:
                self._freed.wait()
            workers, self._idle = self._idle, []
            return workers

    def _give_all_back(self, workers: list[_Worker]) -> None:
        with self._freed:
            self._idle.extend(workers)
            self._freed.notify_all()

    def start(self) -> None:
        """Start every worker now (they warm up in the background) instead of on first use.

        A server can call this when it starts, so that the first preview
        does not wait for a worker to import docutils.
        """
        workers = self._each_idle_worker()
        try:
            for worker in workers:
                if worker.pid is None:
                    worker.start()
        finally:
            self._give_all_back(workers)

    @property
    def worker_pids(self) -> list[int]:
        return [worker.pid for worker in self._all if worker.pid is not None]

    def render(self, text: str, *, time_limit: float, rules: GateRules | None = None) -> RenderResult:
        """Render ``text`` (and check it with ``rules``) in a free worker; waits for one if all are busy."""
        worker = self._take(text)
        try:
            return worker.render(text, time_limit, rules)
        except Exception as error:  # cannot start a process, say: report, never raise
            worker.stop()
            return worker_failed(f"{type(error).__name__}: {error}", text)
        finally:
            self._give_back(worker)

    def close(self) -> None:
        """Stop every worker once its render (if any) is done; the sandbox starts new ones if used again."""
        workers = self._each_idle_worker()
        try:
            for worker in workers:
                worker.stop()
        finally:
            self._give_all_back(workers)


_default: RenderSandbox | None = None
_default_lock = threading.Lock()
# Set by configure_default(); None: $SPECPORTAL_RENDER_WORKERS, else DEFAULT_WORKERS.
_configured_workers: int | None = None


def _default_workers() -> int:
    if _configured_workers is not None:
        return _configured_workers
    return int(os.environ.get("SPECPORTAL_RENDER_WORKERS") or DEFAULT_WORKERS)


def configure_default(*, workers: int | None) -> None:
    """Size the shared pool (None: the environment's or the default size).

    A pool of another size already running is replaced: renders in progress
    finish in the old one, whose workers are then stopped.
    """
    global _configured_workers, _default
    if workers is not None and workers < 1:
        raise ValueError(f"the render pool needs at least one worker, not {workers!r}")
    with _default_lock:
        _configured_workers = workers
        replaced = _default
        if replaced is not None and replaced._owner == os.getpid() and replaced.size != _default_workers():
            _default = None
        else:
            replaced = None
    if replaced is not None:
        replaced.close()


def default_sandbox() -> RenderSandbox:
    """The process's shared sandbox, created on first use (and again after a fork)."""
    global _default
    with _default_lock:
        if _default is None or _default._owner != os.getpid():
            _default = RenderSandbox(workers=_default_workers())
            atexit.register(_default.close)
        return _default


def _forget_inherited_workers() -> None:
    """In a forked child: let go of the parent's workers (without killing them) and their sockets."""
    global _default
    if _default is not None:
        for worker in _default._all:
            worker.forget()
        _default = None


os.register_at_fork(after_in_child=_forget_inherited_workers)

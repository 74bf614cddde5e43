"""Directives that only tests register, for failures no text can cause on purpose.

A sandbox started with ``preload=[__name__]`` imports this module in each
worker, which registers the directives in docutils' own registry there (the
dialect keeps whatever is registered, and wraps only its own directives, so a
failure here is not softened by the dialect). Nothing in the application
imports this module.

- ``.. hang-forever::`` never returns: a render that provably cannot finish,
  whatever the machine's speed, for the time-limit tests.
- ``.. kill-worker::`` kills its own worker process mid-render.
- ``.. explode::`` raises, as a bug in docutils would.
- ``.. rendezvous:: <folder> <count>`` leaves a mark in the folder and waits until
  ``count`` renders have left theirs (at most a minute), then says how many met:
  renders that all finish saying so were in flight at once.
- ``.. worker-pid::`` writes its worker's process id, to tell which worker rendered.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive, directives


class HangForever(Directive):
    def run(self) -> list[nodes.Node]:
        threading.Event().wait()  # nothing ever sets it
        raise AssertionError("unreachable")


class KillWorker(Directive):
    def run(self) -> list[nodes.Node]:
        os.kill(os.getpid(), signal.SIGKILL)
        threading.Event().wait()  # SIGKILL is not deferred, but never return in any case
        raise AssertionError("unreachable")


class Explode(Directive):
    optional_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        raise RuntimeError("injected failure")


class Rendezvous(Directive):
    required_arguments = 2

    def run(self) -> list[nodes.Node]:
        folder, count = Path(self.arguments[0]), int(self.arguments[1])
        (folder / str(os.getpid())).touch()
        deadline = time.monotonic() + 60
        while len(list(folder.iterdir())) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return [nodes.paragraph(text=f"{len(list(folder.iterdir()))} met")]


class WorkerPid(Directive):
    def run(self) -> list[nodes.Node]:
        return [nodes.paragraph(text=f"worker {os.getpid()}")]


HOOKS: dict[str, type[Directive]] = {
    "hang-forever": HangForever,
    "kill-worker": KillWorker,
    "explode": Explode,
    "rendezvous": Rendezvous,
    "worker-pid": WorkerPid,
}

for _name, _directive in HOOKS.items():
    directives.register_directive(_name, _directive)

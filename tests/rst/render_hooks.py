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
"""

from __future__ import annotations

import os
import signal
import threading

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


HOOKS: dict[str, type[Directive]] = {
    "hang-forever": HangForever,
    "kill-worker": KillWorker,
    "explode": Explode,
}

for _name, _directive in HOOKS.items():
    directives.register_directive(_name, _directive)

"""The worker pool: shared by threads, recovers from dead workers, and never shared across a fork."""

from __future__ import annotations

import os
import select
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from specs_app.rst.render import render
from specs_app.rst.results import RenderResult, source_html
from specs_app.rst.sandbox import RenderSandbox, default_sandbox

# A limit for renders that must finish: far above what they need on any
# machine, so a busy one passes too.
GENEROUS = 120.0


@pytest.fixture
def sandbox() -> Iterator[RenderSandbox]:
    # With the test-only directives (".. kill-worker::" kills its worker mid-render).
    sandbox = RenderSandbox(preload=["tests.rst.render_hooks"])
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.close()


def _own_text(number: int) -> str:
    return f"Text number *{number}*.\n\n.. note:: Note {number}.\n"


def test_threads_share_one_worker_and_each_gets_its_own_result(sandbox: RenderSandbox) -> None:
    def one(number: int) -> tuple[int, RenderResult]:
        return number, sandbox.render(_own_text(number), time_limit=GENEROUS)

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(one, range(24)))

    for number, result in results:
        assert f"Text number <em>{number}</em>." in result.html
        assert f"Note {number}." in result.html
    assert len(sandbox.worker_pids) == 1


def _kill_and_wait(pid: int) -> None:
    """SIGKILL ``pid`` and wait until it has exited (without reaping it: that is the sandbox's job)."""
    descriptor = os.pidfd_open(pid)
    try:
        os.kill(pid, signal.SIGKILL)
        assert select.select([descriptor], [], [], GENEROUS)[0], f"process {pid} did not exit"
    finally:
        os.close(descriptor)


def test_it_replaces_a_worker_that_died_while_idle(sandbox: RenderSandbox) -> None:
    assert sandbox.render("Before.\n", time_limit=GENEROUS).complete
    [worker] = sandbox.worker_pids

    _kill_and_wait(worker)
    result = sandbox.render("After.\n", time_limit=GENEROUS)

    assert result.html == '<p data-line="1">After.</p>\n'
    assert sandbox.worker_pids != [worker]


def test_a_worker_killed_mid_render_gives_a_diagnostic_and_the_text(sandbox: RenderSandbox) -> None:
    assert sandbox.render("Warm.\n", time_limit=GENEROUS).complete
    [worker] = sandbox.worker_pids
    text = "Before <b>.\n\n.. kill-worker::\n\nAfter.\n"

    result = sandbox.render(text, time_limit=GENEROUS)

    assert not result.complete
    assert [d.message for d in result.diagnostics] == [
        "The renderer stopped unexpectedly (killed by SIGKILL)."
    ]
    assert result.html == source_html(text)  # never an empty preview
    assert worker not in sandbox.worker_pids
    assert sandbox.render("Next.\n", time_limit=GENEROUS).complete


def test_a_forked_process_starts_its_own_worker(sandbox: RenderSandbox) -> None:
    assert sandbox.render("Parent.\n", time_limit=GENEROUS).complete
    parent_workers = sandbox.worker_pids
    reading, writing = os.pipe()

    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked child
        try:
            result = sandbox.render("Child *text*.\n", time_limit=GENEROUS)
            own_worker = sandbox.worker_pids != parent_workers
            os.write(
                writing, b"ok" if result.complete and "<em>text</em>" in result.html and own_worker else b"no"
            )
        finally:
            os._exit(0)
    os.close(writing)
    answer = os.read(reading, 2)
    os.close(reading)
    os.waitpid(child, 0)

    assert answer == b"ok"
    assert sandbox.worker_pids == parent_workers
    assert sandbox.render("Parent again.\n", time_limit=GENEROUS).complete


def test_the_worker_runs_isolated_from_the_working_directory(sandbox: RenderSandbox) -> None:
    assert sandbox.render("Warm.\n", time_limit=GENEROUS).complete
    [worker] = sandbox.worker_pids

    assert os.readlink(f"/proc/{worker}/cwd") == "/"
    assert b"-I" in Path(f"/proc/{worker}/cmdline").read_bytes().split(b"\0")


def test_closing_the_sandbox_ends_its_workers() -> None:
    sandbox = RenderSandbox(workers=2)
    sandbox.start()
    workers = sandbox.worker_pids
    assert len(workers) == 2

    sandbox.close()

    for worker in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(worker, 0)
    assert sandbox.worker_pids == []


def test_render_uses_one_shared_sandbox() -> None:
    assert render("Shared.\n").complete

    assert default_sandbox() is default_sandbox()
    assert len(default_sandbox().worker_pids) == 1

"""A coverage run counts what render workers ran, although the parent kills them with SIGKILL."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from types import SimpleNamespace

import coverage
import pytest

from specs_app.rst import coverage_hook, worker
from specs_app.rst.sandbox import RenderSandbox

GENEROUS = 120.0


def test_a_killed_worker_keeps_the_lines_of_the_renders_it_answered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The worker measured by coverage's start-up hook, into a file of this test's own. (Not
    # with a Coverage object: creating one stops this process's own measurement from saving.)
    data_file = tmp_path / "worker.coverage"
    rcfile = tmp_path / "worker.coveragerc"
    rcfile.write_text(f"[run]\ndata_file = {data_file}\nsource = {Path(worker.__file__).parent}\n")
    for outer in ("COVERAGE_PROCESS_CONFIG", "COVERAGE_FILE"):  # set when this run is measured
        monkeypatch.delenv(outer, raising=False)
    monkeypatch.setenv("COVERAGE_PROCESS_START", str(rcfile))
    sandbox = RenderSandbox()
    try:
        assert sandbox.render("Title\n=====\n\nSome *text*.\n", time_limit=GENEROUS).complete
        (pid,) = sandbox.worker_pids
        os.kill(pid, signal.SIGKILL)  # as a restart or an overrun would: no exit handlers run
    finally:
        sandbox.close()

    data = coverage.CoverageData(str(data_file))
    data.read()
    measured = {Path(name).name: data.lines(name) or [] for name in data.measured_files()}
    serve_loop = {number for number, line in _numbered(worker.__file__) if "reply = _reply(request)" in line}
    assert serve_loop and serve_loop <= set(measured.get("worker.py", []))


def _numbered(path: str) -> list[tuple[int, str]]:
    return list(enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1))


def test_outside_a_coverage_run_it_does_nothing_and_imports_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "coverage")
    coverage_hook.save_measured_lines()
    assert "coverage" not in sys.modules


def test_a_failing_save_does_not_change_the_workers_answer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail() -> None:
        raise OSError("disk full")

    measuring = SimpleNamespace(save=fail)
    fake = SimpleNamespace(Coverage=SimpleNamespace(current=lambda: measuring))
    monkeypatch.setitem(sys.modules, "coverage", fake)
    coverage_hook.save_measured_lines()
    assert "coverage data not saved: OSError('disk full')" in capsys.readouterr().err

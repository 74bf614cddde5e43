"""Keep what a render worker measured when a test run measures coverage.

A coverage run measures every Python process the tests start: coverage's
``patch = subprocess`` (pyproject.toml) puts its configuration in the
environment, and the ``.pth`` file coverage installs starts it as the
interpreter starts. That holds for the worker too, although it runs
``python -I``: isolated mode ignores ``PYTHON*`` variables and the user's
site directory, not the ``.pth`` files of site-packages or ``os.environ``.

But the parent ends a worker with SIGKILL (on close, on a restart, past a time
limit), so coverage's own save at exit never runs in it. The worker calls
:func:`save_measured_lines` after each render instead, before it replies.
Outside a coverage run nothing has imported coverage, and this does nothing.
"""

from __future__ import annotations

import sys


def save_measured_lines() -> None:
    """Write the lines measured so far to this process's coverage data file, if measured."""
    coverage = sys.modules.get("coverage")
    if coverage is None:
        return
    measuring = coverage.Coverage.current()
    if measuring is None:
        return
    try:
        measuring.save()
    except Exception as error:  # measuring must not change what the worker answers
        print(f"render worker: coverage data not saved: {error!r}", file=sys.stderr)

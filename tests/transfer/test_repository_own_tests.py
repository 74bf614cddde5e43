"""The repositories' own tests give the same outcomes on the exported tree as on the original.

nova-specs and glance-specs carry their tests (``tests/test_titles.py``, nova's
``tests/test_directories.py``) and a ``tox.ini`` running them with stestr; they
are testtools cases, so pytest runs them here with this virtualenv's Python
(stestr is not installed; testtools, oslo.utils and doc8 are in
requirements-dev.txt), in a copy of the repository and in the copy whose
``specs/`` was deleted and exported from SpecPortal (``repository_copies``).
Each test's outcome and message must be the same in both. nova's
``test_template`` fails on the corpus (stand-ins holding a template's path,
see ``tests/rst/test_gate_profiles_corpus.py``): it must fail the same way.
glance's tox pep8 env also runs ``doc8 --ignore D001 specs/`` on every spec;
its report must be the same line for line.

cinder-specs and manila-specs in the corpus have no ``tests/`` or ``tox.ini``
(manila-specs upstream has none either; cinder's are gone from the corpus
copy), so there is nothing of theirs to run: their round trip is checked by
``test_repository_round_trip.py`` alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.transfer.repository_copies import repository_params, round_trip

pytest.importorskip("testtools", reason="the repositories' tests need testtools (requirements-dev.txt)")
pytest.importorskip(
    "oslo_utils", reason="nova's tests/test_titles.py needs oslo.utils (requirements-dev.txt)"
)
pytest.importorskip("doc8", reason="glance's pep8 env runs doc8 (requirements-dev.txt)")

# The repositories' own test cases, by name (a new test upstream changes this, not a bug here).
OWN_TESTS = {
    "nova": {
        "tests.test_directories.TestDirectories.test_directories",
        "tests.test_titles.TestTitles.test_template",
    },
    "glance": {"tests.test_titles.TestTitles.test_template"},
}

# Nothing of SpecPortal's may reach the repositories' test run.
_OURS = ("DJANGO_SETTINGS_MODULE", "PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_PLUGINS")


def _environment() -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items() if name not in _OURS}
    environment["PYTHONDONTWRITEBYTECODE"] = "1"  # the tree must stay as exported
    return environment


def own_test_outcomes(root: Path, report: Path) -> dict[str, tuple[str, str]]:
    """Run ``tests/`` of the repository at ``root``; each test's (outcome, message) by its name."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:django",
            f"--junitxml={report}",
        ],
        cwd=root,
        env=_environment(),
        capture_output=True,
        text=True,
    )
    # 0: all passed, 1: some failed; anything else means the tests could not run at all.
    assert done.returncode in (0, 1), f"pytest could not run {root}/tests:\n{done.stdout}\n{done.stderr}"
    outcomes = {}
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        outcome, message = "passed", ""
        for kind in ("failure", "error", "skipped"):
            found = case.find(kind)
            if found is not None:
                # The full report (the message attribute is cut short), with the copy's own path neutral.
                report_text = found.text or found.get("message", "")
                outcome, message = kind, report_text.replace(str(root), "<repository>")
                break
        outcomes[f"{case.get('classname')}.{case.get('name')}"] = (outcome, message)
    return outcomes


def doc8_report(root: Path) -> tuple[int, list[str]]:
    """glance's pep8 check, ``doc8 --ignore D001 specs/``: its exit status and its lines, sorted."""
    done = subprocess.run(
        [sys.executable, "-m", "doc8", "--ignore", "D001", "specs/"],
        cwd=root,
        env=_environment(),
        capture_output=True,
        text=True,
    )
    # doc8 reports files in the order it walks them; the findings, not their order, are the verdict.
    return done.returncode, sorted(done.stdout.splitlines())


@pytest.fixture
def trip(repository, tmp_path_factory, db):
    return round_trip(repository, tmp_path_factory)


@pytest.mark.parametrize("repository", repository_params(("nova", "glance")))
def test_the_repositorys_own_tests_give_the_same_outcomes_on_the_exported_tree(trip, tmp_path):
    assert (trip.original / "tests").is_dir(), f"{trip.name}-specs in the corpus has no tests/"

    original = own_test_outcomes(trip.original, tmp_path / "original.xml")
    exported = own_test_outcomes(trip.exported, tmp_path / "exported.xml")

    assert set(original) == OWN_TESTS[trip.name]
    assert exported == original


@pytest.mark.parametrize("repository", repository_params(("glance",)))
def test_glances_doc8_check_reports_the_same_on_the_exported_tree(trip):
    original = doc8_report(trip.original)
    exported = doc8_report(trip.exported)

    assert exported == original
    scanned = [line for line in original[1] if line.startswith("Total files scanned")]
    assert scanned and int(scanned[0].rsplit("=", 1)[1]) > 300, original[1]

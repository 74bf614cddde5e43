"""The gate's cinder preset gives the historical cinder test's verdict on every real spec.

The oracle below is written from the corpus README's description of cinder's
historical title test, independently of ``specs_app.rst.checks``: it reads the
titles from its own docutils parse of the spec and of the template, and checks
the lines with the plainest code that says what the README says. If the gate
and the oracle disagree on any file, the test names the file.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import docutils.core
import pytest

from specs_app.rst.checks import LINE_TOO_LONG, GateResult, check_gate
from specs_app.rst.gate_rules import cinder_historical_rules
from specs_app.rst.template import parse_template
from tests.helpers import CORPUS

CINDER_SPECS = CORPUS / "cinder-specs" / "specs"
MANILA_SPECS = CORPUS / "manila-specs" / "specs"
CINDER_TEMPLATE = CINDER_SPECS / "template.rst"
ABSENT = f"the spec corpus is not at {CORPUS} (it lives beside the clone in ../shared/corpus)"

# Measured on the corpus (cinder-specs at 63ef474, manila-specs at 8425cd6).
CINDER_SPEC_COUNT, CINDER_SPECS_PASSING = 188, 172  # templates not counted
MANILA_SPEC_COUNT, MANILA_SPECS_PASSING = 68, 19  # specs_deadlines.rst included
CINDER_TEMPLATE_LONG_LINE = 184  # "Describe any potential impact upon Cinder's Active/Active HA support. ..."

# --- the oracle ------------------------------------------------------------

# Quiet and file-free, but otherwise docutils' defaults, as the historical test
# used them (doctitle_xform on): none of these settings changes the section tree.
ORACLE_SETTINGS = {
    "report_level": 5,
    "halt_level": 5,
    "warning_stream": False,
    "_disable_config": True,
    "file_insertion_enabled": False,
    "raw_enabled": False,
}
TEST_PREDATES = "Active/Active HA impact"


def section_titles(text: str) -> dict[str, list[str]]:
    """Each top-level section's title -> the titles of the sections directly in it."""
    doctree = docutils.core.publish_doctree(text, settings_overrides=ORACLE_SETTINGS)
    titles: dict[str, list[str]] = {}
    for node in doctree.children:
        if node.tagname != "section":
            continue
        name = next(child.rawsource for child in node.children if child.tagname == "title")
        titles[name] = [
            next(grandchild.rawsource for grandchild in child.children if grandchild.tagname == "title")
            for child in node.children
            if child.tagname == "section"
        ]
    return titles


@cache
def expected_titles() -> dict[str, list[str]]:
    template = section_titles(CINDER_TEMPLATE.read_text(encoding="utf-8"))
    return {title: [sub for sub in subs if sub != TEST_PREDATES] for title, subs in template.items()}


def oracle_passes(text: str) -> bool:
    """cinder's historical test as the corpus README describes it."""
    expected = expected_titles()
    actual = section_titles(text)
    if set(actual) != set(expected):
        return False
    if any(sub not in actual[title] for title, subs in expected.items() for sub in subs):
        return False
    lines = text.split("\n")
    if any(len(line) >= 80 and "http://" not in line and "https://" not in line for line in lines):
        return False
    if "\r" in text:
        return False
    return not any(re.search(" +$", line) for line in lines)


# --- the files -------------------------------------------------------------


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted([*CINDER_SPECS.rglob("*.rst"), *MANILA_SPECS.rglob("*.rst")])


def file_params() -> list:
    files = corpus_files()
    if not files:
        return [pytest.param(None, id="corpus-absent", marks=pytest.mark.skip(reason=ABSENT))]
    return [pytest.param(path, id=str(path.relative_to(CORPUS))) for path in files]


def read(path: Path) -> str:
    # newline="" keeps carriage returns, which the checks must see.
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


@cache
def gate(path: Path) -> GateResult:
    rules = cinder_historical_rules(parse_template(CINDER_TEMPLATE.read_text(encoding="utf-8")))
    return check_gate(read(path), rules)


@cache
def oracle(path: Path) -> bool:
    return oracle_passes(read(path))


@pytest.fixture(scope="module", autouse=True)
def require_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.skip(ABSENT)


# --- tests -----------------------------------------------------------------


@pytest.mark.parametrize("path", file_params())
def test_gate_verdict_matches_historical_cinder_test(path: Path) -> None:
    result = gate(path)
    assert result.passed == oracle(path), [finding.message for finding in result.findings]


def test_cinder_template_fails_only_for_one_long_line() -> None:
    text = read(CINDER_TEMPLATE)
    long_lines = [
        number
        for number, line in enumerate(text.split("\n"), start=1)
        if len(line) >= 80 and "http://" not in line and "https://" not in line
    ]
    assert long_lines == [CINDER_TEMPLATE_LONG_LINE]
    assert not oracle(CINDER_TEMPLATE)
    findings = gate(CINDER_TEMPLATE).findings
    assert [(finding.rule, finding.line, finding.severity) for finding in findings] == [
        (LINE_TOO_LONG, CINDER_TEMPLATE_LONG_LINE, "error")
    ]
    assert findings[0].message == "Line 184 is 82 characters long; the limit is 79."


def test_manila_template_verdict() -> None:
    template = MANILA_SPECS / "template.rst"
    assert gate(template).passed == oracle(template)


def passing(root: Path) -> tuple[int, int]:
    specs = [path for path in root.rglob("*.rst") if path.name != "template.rst"]
    return len(specs), sum(gate(path).passed for path in specs)


def test_cinder_pass_count(capsys: pytest.CaptureFixture[str]) -> None:
    total, passed = passing(CINDER_SPECS)
    with capsys.disabled():
        print(f"\ncinder historical rules: {passed} of {total} cinder specs pass")
    assert (total, passed) == (CINDER_SPEC_COUNT, CINDER_SPECS_PASSING)
    assert passed / total > 0.8  # the README: about five in six


def test_manila_pass_count(capsys: pytest.CaptureFixture[str]) -> None:
    total, passed = passing(MANILA_SPECS)
    with capsys.disabled():
        print(f"\ncinder historical rules: {passed} of {total} manila specs pass")
    assert (total, passed) == (MANILA_SPEC_COUNT, MANILA_SPECS_PASSING)

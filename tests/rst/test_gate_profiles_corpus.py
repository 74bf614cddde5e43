"""Each corpus repository's own checks and the gate with its preset give the same verdict on every file.

For cinder, manila, nova and glance (named: a new corpus folder changes no
figure), every spec file gets the repository's verdict from the repository's
own code (see ``repository_verdicts``: nova's and glance's
``tests/test_titles.py``, real doc8 for glance and manila) and the gate's from
``rules_for(<repository>, path=...)``; any file they disagree on is named with
both reasons. nova runs one release per test, so that pytest-xdist spreads
its 813 files. ``bench/gate_confusion.py`` prints the confusion matrices.

A second comparison holds doc8's default rules (keystone's gate, and the
base of ironic's) to real doc8 with nothing ignored: those repositories are
not in the corpus, but doc8 and specs written for it are.
"""

from __future__ import annotations

from functools import cache

import pytest

from specs_app.rst.gate_profiles import doc8_rules
from tests.helpers import CORPUS, corpus_path
from tests.rst.repository_verdicts import (
    VERDICTS,
    Verdict,
    doc8_failure,
    gate_errors,
    in_empty_directory,
    nova_releases,
    nova_verdicts,
    read_exact,
)

pytest.importorskip("testtools", reason="the repositories' tests need testtools (requirements-dev.txt)")
pytest.importorskip(
    "oslo_utils", reason="nova's tests/test_titles.py needs oslo.utils (requirements-dev.txt)"
)
pytest.importorskip("doc8", reason="glance's and manila's gate is doc8 (requirements-dev.txt)")

# Measured on the corpus: (files, files the repository fails). A change here is a
# change in the corpus or in how the repository's code is run, not in the gate.
EXPECTED = {
    "cinder": (189, 17),  # the template's one long line included
    "manila": (69, 0),
    "glance": (347, 74),  # stand-ins holding a template's path, without a final newline
}
# What nova's own test fails, of its 813 files: four stand-ins holding a
# template's relative path (no sections), and the two backlog specs, whose
# template specs/backlog-template.rst is itself such a stand-in, so that every
# section of theirs is an extra one.
NOVA_FAILS = frozenset(
    {
        "specs/2026.2/approved/2026.2-template.rst",
        "specs/2026.2/implemented/2026.2-template.rst",
        "specs/2027.1/approved/2027.1-template.rst",
        "specs/2027.1/implemented/2027.1-template.rst",
        "specs/backlog/approved/nova-services-graceful-shutdown.rst",
        "specs/backlog/approved/robustify-compute-hostnames.rst",
    }
)
NOVA_FILES = 813
ABSENT = f"the spec corpus is not at {CORPUS} (it lives beside the clone in ../shared/corpus)"


def nova_release_params() -> list:
    if not (CORPUS / "nova-specs" / "specs").is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=ABSENT), id="corpus-absent")]
    return [pytest.param(release, id=release) for release in nova_releases()]


@cache
def verdicts(repository: str) -> list[Verdict]:
    corpus_path(f"{repository}-specs", "specs")  # skips when the corpus is absent
    return VERDICTS[repository]()


def describe(disagreements: list[Verdict]) -> str:
    return "\n".join(
        f"{verdict.path}: repository {'passes' if verdict.repository_passes else 'fails'}"
        f" ({verdict.repository_says or 'no failure'}), gate "
        f"{'passes' if verdict.gate_passes else 'fails'} ({'; '.join(verdict.gate_says[:3]) or 'no error'})"
        for verdict in disagreements
    )


def assert_agree(found: list[Verdict]) -> None:
    disagreements = [verdict for verdict in found if not verdict.agrees]
    assert not disagreements, f"{len(disagreements)} of {len(found)} files:\n{describe(disagreements)}"


@pytest.mark.parametrize("repository", ["cinder", "manila", "glance"])
def test_gate_verdict_equals_the_repositorys_own_on_every_file(repository: str) -> None:
    found = verdicts(repository)
    assert_agree(found)
    failing = sum(not verdict.repository_passes for verdict in found)
    assert (len(found), failing) == EXPECTED[repository]


@pytest.mark.parametrize("release", nova_release_params())
def test_gate_verdict_equals_novas_own_test_on_every_file_of_release(release: str) -> None:
    corpus_path("nova-specs", "tests", "test_titles.py")
    found = nova_verdicts([release])
    assert found, f"no spec of {release} was checked"
    assert_agree(found)
    failing = {verdict.path for verdict in found if not verdict.repository_passes}
    assert failing == {path for path in NOVA_FAILS if path.startswith(f"specs/{release}/")}


def test_novas_own_test_covers_the_813_specs() -> None:
    specs = corpus_path("nova-specs", "specs")
    checked = [path for release in nova_releases() for path in (specs / release).glob("*/*")]
    assert len(checked) == NOVA_FILES


@pytest.mark.parametrize("repository", ["cinder", "manila", "glance"])
def test_doc8_default_rules_agree_with_doc8_on_every_file(repository: str) -> None:
    """Real doc8 with nothing ignored (line limit included) against ``doc8_rules(line_length=True)``.

    nova's specs are left out for time only (doc8's line check takes about a
    minute on them); they agree too.
    """
    root = corpus_path(f"{repository}-specs")
    rules = doc8_rules(line_length=True)
    disagreements = []
    with in_empty_directory():
        for path in sorted((root / "specs").rglob("*.rst")):
            doc8_says = doc8_failure(path, ())
            errors = gate_errors(read_exact(path), rules)
            if (doc8_says is None) != (not errors):
                relative = path.relative_to(root)
                disagreements.append(f"{relative}: doc8 {doc8_says or 'passes'}; gate {errors or 'passes'}")
    assert not disagreements, "\n".join(disagreements)

"""After an import with the repository's preset, the gate gives every spec the repository's own verdict.

For each corpus repository (cinder, manila, nova, glance; skipped with the
reason when absent), ``repository_copies.round_trip`` imports it into a
project whose ``gate_preset`` is the repository's and runs the app's gate on
every imported spec: ``preview.gate.gate_rules`` with the spec's template,
release and repository path (what the spec page's ``spec_rules`` asks for)
and ``check_gate`` on the spec's text. The repository's verdict on each file comes from its own code
(``tests/rst/repository_verdicts.py``: nova's and glance's
``tests/test_titles.py``, real doc8 for glance and manila, cinder's
historical test). Each spec's verdicts must agree; a spec at a path the
repository does not check (nova's ``specs/abandoned/``) must pass, as the
gate checks nothing there. Every file the repository checks must be in the
app, as a spec or as a file kept beside them (a template stand-in, an index
page). The confusion matrix is printed (``-rA`` shows it).

One deliberate difference: nova's two backlog specs. nova's test compares
them with ``specs/backlog-template.rst``, a symbolic link to
``2027.1-template.rst`` upstream, which the corpus (checked out without
links) holds as a stand-in: a file whose text is that path. Reading the
stand-in, nova's test finds no titles and fails every section; upstream,
through the link, it passes them. SpecPortal follows a stand-in to the file
it stands for (``authoring.selectors.template_for``), as the link does, so
its gate passes them: the test requires that, and that nova's own check
passes them too when it reads the template through the link.
"""

from __future__ import annotations

from functools import cache

import pytest

from specs_app.models import Project, SpecTemplate
from specs_app.preview.gate import gate_rules
from specs_app.rst.checks import check_gate
from tests.rst.repository_verdicts import (
    VERDICTS,
    Verdict,
    _nova_failure,
    confusion_table,
    load_module,
    publish_doctree_quietly,
    read_as_python_tests_do,
    read_exact,
    root_of,
)
from tests.transfer.repository_copies import repository_params, round_trip

pytest.importorskip("testtools", reason="the repositories' tests need testtools (requirements-dev.txt)")
pytest.importorskip(
    "oslo_utils", reason="nova's tests/test_titles.py needs oslo.utils (requirements-dev.txt)"
)
pytest.importorskip("doc8", reason="glance's and manila's gate is doc8 (requirements-dev.txt)")


# Specs whose repository template, in the corpus, is a stand-in for a link (see above).
THROUGH_A_LINK = {
    "nova": {
        "specs/backlog/approved/nova-services-graceful-shutdown.rst",
        "specs/backlog/approved/robustify-compute-hostnames.rst",
    }
}


def nova_failure_through_the_link(path: str) -> str | None:
    """nova's own check of ``path``, its release's template read through the link its stand-in is."""
    root = root_of("nova")
    release = path.split("/")[1]
    stand_in = root / "specs" / f"{release}-template.rst"
    template = stand_in.parent / read_exact(stand_in).strip()
    case = load_module(root / "tests" / "test_titles.py", "nova_specs_test_titles").TestTitles(
        "test_template"
    )
    titles = case._get_titles(publish_doctree_quietly(read_as_python_tests_do(template)))
    return _nova_failure(case, path, root / path, titles, release)


@cache
def repository_verdicts(name: str) -> dict[str, Verdict]:
    """The repository's own verdict on each file it checks, by path."""
    return {verdict.path: verdict for verdict in VERDICTS[name]()}


@pytest.fixture
def trip(repository, tmp_path_factory, db):
    return round_trip(repository, tmp_path_factory)


def gate_errors(trip) -> dict[str, tuple[str, ...]]:
    """The app's gate on each imported spec, by path: its error messages (none: it passes)."""
    project = Project(gate_preset=trip.name)  # a preset's rules read nothing else of the project
    errors = {}
    for path, spec in trip.specs.items():
        template = SpecTemplate(release=spec.template_release, source=spec.template_source)
        rules = gate_rules(project, template, release=spec.release, path=path)
        errors[path] = tuple(finding.message for finding in check_gate(spec.text, rules).errors)
    return errors


def app_verdicts(
    errors_by_path: dict[str, tuple[str, ...]], oracle: dict[str, Verdict]
) -> tuple[list[Verdict], list[str]]:
    """The repository's and the app's verdict on each imported spec it checks; the specs it does not check."""
    compared, unchecked = [], []
    for path, errors in sorted(errors_by_path.items()):
        own = oracle.get(path)
        if own is None:
            unchecked.append(path)
            own = Verdict(path, True, True, "", ())  # not checked there: passes
        compared.append(Verdict(path, own.repository_passes, not errors, own.repository_says, errors))
    return compared, unchecked


@pytest.mark.parametrize("repository", repository_params())
def test_the_gate_gives_every_imported_spec_the_repositorys_own_verdict(trip):
    oracle = repository_verdicts(trip.name)
    errors = gate_errors(trip)
    compared, unchecked = app_verdicts(errors, oracle)
    not_specs = sorted(path for path in oracle if path in trip.not_specs)
    print(confusion_table(trip.name, compared).replace(" files", " imported specs"))
    print(f"  of which the repository does not check: {len(unchecked)}")
    print(f"  files the repository checks that are not specs in the app: {len(not_specs)}")

    expected = THROUGH_A_LINK.get(trip.name, set())
    disagreements = [
        f"{verdict.path}: repository {'passes' if verdict.repository_passes else 'fails'} "
        f"({verdict.repository_says or 'no failure'}), gate "
        f"{'passes' if verdict.gate_passes else 'fails'} ({'; '.join(verdict.gate_says[:3]) or 'no error'})"
        for verdict in compared
        if not verdict.agrees and verdict.path not in expected
    ]
    assert not disagreements, f"{len(disagreements)} of {len(compared)} specs:\n" + "\n".join(disagreements)
    for path in sorted(expected):
        assert errors[path] == (), f"{path}: the gate should follow the template's link"
        assert nova_failure_through_the_link(path) is None, (
            f"{path}: nova's test fails it even through the link"
        )
    assert len(compared) > 50, f"only {len(compared)} specs of {trip.name}-specs were imported"
    lost = sorted(set(oracle) - set(errors) - set(trip.not_specs))
    assert not lost, f"files {trip.name}-specs checks that the import lost: {lost}"

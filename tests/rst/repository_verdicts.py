"""Each corpus repository's own verdict on each of its spec files, beside the gate's with its preset.

The repository's verdict comes from the repository's own code wherever the
corpus has it: nova's ``tests/test_titles.py`` (imported from its path, its
check methods called on one file at a time, with the template titles
computed as its ``test_template`` computes them); glance's pep8 gate, which
is real doc8 with ``--ignore D001`` (its ``test_titles.py`` reaches only
``specs/template.rst``, also run here). manila's corpus copy has no tests or
tox.ini; manila-specs' docs env runs ``doc8 --ignore D001``, so real doc8 it
is. cinder's corpus copy has no tests either; its historical title test is the
README's description, written as the oracle in ``test_gate_corpus.py``.

doc8 runs in-process on the file where it lies (so a spec's ``include`` finds
its neighbour, as in the repository), from an empty directory so that no
configuration file of ours is read. The repositories' tests print docutils'
messages as they parse; those go to a buffer here.

Shared by ``test_gate_profiles_corpus.py`` and ``bench/gate_confusion.py``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import tempfile
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import docutils.core
import docutils.utils

from specs_app.rst.checks import check_gate
from specs_app.rst.gate_profiles import rules_for
from specs_app.rst.template import ParsedTemplate, TemplateError, parse_template
from tests.helpers import CORPUS

# The repositories of the corpus whose verdicts are compared, by preset name.
CORPUS_REPOSITORIES: tuple[str, ...] = ("cinder", "manila", "nova", "glance")


@dataclass(frozen=True)
class Verdict:
    path: str  # relative to the repository
    repository_passes: bool
    gate_passes: bool
    repository_says: str  # why the repository fails it (first line), "" when it passes
    gate_says: tuple[str, ...]  # the gate's error messages

    @property
    def agrees(self) -> bool:
        return self.repository_passes == self.gate_passes


def root_of(repository: str) -> Path:
    return CORPUS / f"{repository}-specs"


def read_exact(path: Path) -> str:
    """The file as the gate gets it: every byte, carriage returns kept."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def read_as_python_tests_do(path: Path) -> str:
    """The file as the repositories' tests read it: ``open(filename)``, text mode (CRs become LFs)."""
    with path.open(encoding="utf-8") as handle:
        return handle.read()


def load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def quiet_deprecations() -> None:
    """Inside ``warnings.catch_warnings()``: ignore the deprecation notices of code we do not own."""
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.simplefilter("ignore", PendingDeprecationWarning)


def publish_doctree_quietly(text: str) -> docutils.nodes.document:
    """``docutils.core.publish_doctree(text)`` as the tests call it, its report kept off the console."""
    with contextlib.redirect_stderr(io.StringIO()), warnings.catch_warnings():
        quiet_deprecations()  # docutils 2.0 notices, not the spec's
        return docutils.core.publish_doctree(text)


def template_or_empty(path: Path) -> ParsedTemplate:
    """The template at ``path``; a stand-in holding only a relative path has no sections."""
    try:
        return parse_template(read_exact(path))
    except TemplateError:
        return ParsedTemplate(example_title="", intro_guidance="", sections=[])


def gate_errors(text: str, rules) -> tuple[str, ...]:
    return tuple(finding.message for finding in check_gate(text, rules).errors)


def _verdict(relative: str, failure: str | None, errors: tuple[str, ...]) -> Verdict:
    return Verdict(relative, failure is None, not errors, (failure or "").split("\n")[0], errors)


# --- nova --------------------------------------------------------------------------------------------


def nova_releases() -> list[str]:
    """The folders nova's ``test_template`` goes through (``glob('specs/*/')`` but ``abandoned``)."""
    specs = root_of("nova") / "specs"
    return sorted(path.name for path in specs.iterdir() if path.is_dir() and path.name != "abandoned")


def nova_verdicts(releases: Iterable[str] | None = None) -> list[Verdict]:
    """nova's ``test_template``, one file at a time: every ``specs/<release>/*/*`` of ``releases`` (all)."""
    root = root_of("nova")
    module = load_module(root / "tests" / "test_titles.py", "nova_specs_test_titles")
    case = module.TestTitles("test_template")
    verdicts = []
    for release in nova_releases() if releases is None else releases:
        release_dir = root / "specs" / release
        template_file = root / "specs" / f"{release}-template.rst"
        template_titles = case._get_titles(publish_doctree_quietly(read_as_python_tests_do(template_file)))
        template = template_or_empty(template_file)
        for path in sorted(release_dir.glob("*/*")):
            relative = str(path.relative_to(root))
            failure = _nova_failure(case, relative, path, template_titles, release)
            rules = rules_for("nova", template=template, path=relative)
            assert rules is not None, relative
            verdicts.append(_verdict(relative, failure, gate_errors(read_exact(path), rules)))
    return verdicts


def _nova_failure(case, filename: str, path: Path, template_titles, release: str) -> str | None:
    """The body of nova's ``test_template`` loop for one file; the failure's message, or None."""
    try:
        case.assertTrue(filename.endswith(".rst"), f"spec {filename} must use 'rst' extension.")
        data = read_as_python_tests_do(path)
        titles = case._get_titles(publish_doctree_quietly(data))
        case._check_titles(filename, template_titles, titles, release)
        case._check_lines_wrapping(filename, data)
        case._check_no_cr(filename, data)
        case._check_no_zwsp(filename, data)
        case._check_trailing_spaces(filename, data)
    except (AssertionError, case.failureException) as failure:
        return str(failure)
    except docutils.utils.SystemMessage as halted:  # publish_doctree stops at a severe message
        return f"docutils halted: {halted}"
    return None


# --- doc8 (glance, manila) ---------------------------------------------------------------------------


@contextlib.contextmanager
def in_empty_directory() -> Iterator[None]:
    with tempfile.TemporaryDirectory() as empty, contextlib.chdir(empty):
        yield


def doc8_failure(path: Path, ignore: tuple[str, ...]) -> str | None:
    """Real doc8 on the one file; its first error, or None. Call inside an empty working directory."""
    from doc8.main import doc8  # imported here: doc8 sets up logging when imported

    with warnings.catch_warnings():
        # doc8 0.11 uses docutils APIs that docutils 0.23 deprecates (traverse, OptionParser).
        quiet_deprecations()
        result = doc8(paths=[str(path)], ignore=set(ignore), quiet=True, verbose=False)
    if not result.total_errors:
        return None
    _check, _filename, line, code, message = result.errors[0]
    return f"{code} line {line}: {message}"


def _doc8_verdicts(
    repository: str, ignore: tuple[str, ...], extra_failure: Callable[[str, Path], str | None] | None = None
) -> list[Verdict]:
    root = root_of(repository)
    verdicts = []
    with in_empty_directory():
        for path in sorted((root / "specs").rglob("*.rst")):
            relative = str(path.relative_to(root))
            failure = doc8_failure(path, ignore)
            if failure is None and extra_failure is not None:
                failure = extra_failure(relative, path)
            rules = rules_for(repository, path=relative)
            assert rules is not None, relative
            verdicts.append(_verdict(relative, failure, gate_errors(read_exact(path), rules)))
    return verdicts


def manila_verdicts() -> list[Verdict]:
    """manila-specs' docs env: ``doc8 --ignore D001`` (manila has no title test)."""
    return _doc8_verdicts("manila", ("D001",))


def glance_verdicts() -> list[Verdict]:
    """glance's pep8 env (``doc8 --ignore D001 specs/``) and test_titles (specs/template.rst only)."""
    root = root_of("glance")
    module = load_module(root / "tests" / "test_titles.py", "glance_specs_test_titles")
    case = module.TestTitles("test_template")

    def titles_failure(relative: str, path: Path) -> str | None:
        if relative not in glance_title_test_files():
            return None
        case.filename = relative
        try:
            case._check_titles(case._get_titles(publish_doctree_quietly(read_as_python_tests_do(path))))
        except (AssertionError, case.failureException) as failure:
            return f"test_titles: {failure}"
        except docutils.utils.SystemMessage as halted:
            return f"test_titles: docutils halted: {halted}"
        return None

    return _doc8_verdicts("glance", ("D001",), titles_failure)


@cache
def glance_title_test_files() -> frozenset[str]:
    """What glance's test_template lists: its glob ``"specs/%s/*/*" % ['juno', 'kilo']`` as it really runs."""
    import glob

    root = root_of("glance")
    with contextlib.chdir(root):
        listed = ["specs/template.rst", *glob.glob("specs/%s/*/*" % ["juno", "kilo"])]  # as written there
    return frozenset(listed)


# --- cinder ------------------------------------------------------------------------------------------


def cinder_verdicts() -> list[Verdict]:
    """cinder's historical title test (the README's description, ``test_gate_corpus.oracle_passes``)."""
    from tests.rst.test_gate_corpus import oracle_passes

    root = root_of("cinder")
    template = parse_template(read_exact(root / "specs" / "template.rst"))
    verdicts = []
    for path in sorted((root / "specs").rglob("*.rst")):
        relative = str(path.relative_to(root))
        text = read_exact(path)
        failure = None if oracle_passes(text) else "the historical title test fails it"
        rules = rules_for("cinder", template=template, path=relative)
        assert rules is not None, relative
        verdicts.append(_verdict(relative, failure, gate_errors(text, rules)))
    return verdicts


VERDICTS: dict[str, Callable[[], list[Verdict]]] = {
    "cinder": cinder_verdicts,
    "manila": manila_verdicts,
    "nova": nova_verdicts,
    "glance": glance_verdicts,
}


def confusion(verdicts: list[Verdict]) -> Counter[tuple[bool, bool]]:
    """(repository passes, gate passes) -> number of files."""
    return Counter((verdict.repository_passes, verdict.gate_passes) for verdict in verdicts)


def confusion_table(repository: str, verdicts: list[Verdict]) -> str:
    counts = confusion(verdicts)
    return "\n".join(
        [
            f"{repository}-specs: {len(verdicts)} files",
            "                   gate passes  gate fails",
            f"  repository passes {counts[True, True]:>11}  {counts[True, False]:>10}",
            f"  repository fails  {counts[False, True]:>11}  {counts[False, False]:>10}",
        ]
    )

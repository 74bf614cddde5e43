"""Every real spec in the corpus renders, cleanly where it can, with the right lines, the same every time.

The repositories are named, not globbed: a new folder in the corpus joins these
tests on purpose, once someone has checked which of them hold for it.
"""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docutils.core import publish_parts

from specs_app.rst.checks import RST_UNPARSABLE
from specs_app.rst.document import split, with_line_numbers
from specs_app.rst.gate_rules import GateRules
from specs_app.rst.render import render_in_process
from specs_app.rst.results import RenderResult
from specs_app.rst.safety import SAFE_SETTINGS
from specs_app.rst.sandbox import RenderSandbox
from tests.helpers import CORPUS

# Every repository in the corpus whose specs the renderer is tested on.
REPOSITORIES = ("cinder-specs", "manila-specs", "nova-specs", "glance-specs")
# Their specs use nothing the preview takes out: no warning or error at all.
CLEAN_REPOSITORIES = ("cinder-specs", "manila-specs")
# The first heading is the spec's title for docutils as for document.split.
# Not in glance-specs: lite-specs.rst puts ":orphan:" above its title and
# image-binary-data-api-v2.rst has two headings of the title's style, so
# docutils promotes neither to the document title, while split still does.
TITLED_REPOSITORIES = ("cinder-specs", "manila-specs", "nova-specs")

SPECS = sorted(path for name in REPOSITORIES for path in (CORPUS / name / "specs").glob("**/*.rst"))
# The gate's default rules: enough to see that every spec is parsed, not refused.
RULES = GateRules()
pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the spec corpus is not at {CORPUS} (CI always has it beside the clone)"
)

# Plain docutils reports exactly these errors in the corpus, all from Sphinx
# features the repositories' docs builds provide; the dialect's stand-ins
# (graphviz shown as source, :doc: as literal text) clear them. Nothing else
# in the corpus is at warning level or above.
SPHINX_ONLY_ERRORS = {
    "cinder-specs/specs/wallaby/nvme-agent.rst": [(18, 'Unknown interpreted text role "doc".')],
    "manila-specs/specs/pike/support-quotas-per-share-type.rst": [(89, 'Unknown directive type "graphviz".')],
    "manila-specs/specs/release_independent/mechanism-to-prevent-race-conditions.rst": [
        (131, 'Unknown directive type "graphviz".')
    ],
}


def _name(path: Path) -> str:
    return str(path.relative_to(CORPUS))


def _of(
    rendered: dict[str, tuple[str, RenderResult]], repositories: tuple[str, ...]
) -> dict[str, tuple[str, RenderResult]]:
    return {name: item for name, item in rendered.items() if name.split("/")[0] in repositories}


@pytest.fixture(scope="module")
def rendered() -> dict[str, tuple[str, RenderResult]]:
    """The whole corpus, rendered and gated through two workers from two threads."""
    sandbox = RenderSandbox(workers=2)
    sandbox.start()

    def one(path: Path) -> tuple[str, tuple[str, RenderResult]]:
        text = path.read_text()
        # A limit no spec comes near, however busy the machine: this is not a speed test.
        return _name(path), (text, sandbox.render(text, time_limit=120.0, rules=RULES))

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            return dict(pool.map(one, SPECS))
    finally:
        sandbox.close()


def test_the_corpus_is_there() -> None:
    counts = {name: sum(1 for path in SPECS if _name(path).startswith(f"{name}/")) for name in REPOSITORIES}

    assert all(count > 50 for count in counts.values()), counts
    assert CORPUS / "cinder-specs/specs/template.rst" in SPECS


@pytest.mark.parametrize("repository", REPOSITORIES)
def test_every_spec_renders_without_failing(
    rendered: dict[str, tuple[str, RenderResult]], repository: str
) -> None:
    """No spec of any repository crashes the renderer, comes back empty or is refused by the gate."""
    failed = {
        name: [(d.level, d.line, d.message) for d in result.diagnostics if d.level >= 4]
        for name, (_, result) in _of(rendered, (repository,)).items()
        if not result.complete or not result.html.strip() or any(d.level >= 4 for d in result.diagnostics)
    }
    unparsable = [
        name
        for name, (_, result) in _of(rendered, (repository,)).items()
        if result.findings is None or any(finding.rule == RST_UNPARSABLE for finding in result.findings)
    ]

    assert _of(rendered, (repository,))
    assert failed == {}
    assert unparsable == []


def test_the_clean_repositories_render_without_warnings_or_errors(
    rendered: dict[str, tuple[str, RenderResult]],
) -> None:
    problems = {
        name: [(d.level, d.line, d.message) for d in result.diagnostics if d.level >= 2]
        for name, (_, result) in _of(rendered, CLEAN_REPOSITORIES).items()
    }

    assert {name: found for name, found in problems.items() if found} == {}


def test_plain_docutils_errors_in_the_corpus_are_only_the_sphinx_ones() -> None:
    for name, expected in SPHINX_ONLY_ERRORS.items():
        stream = io.StringIO()
        publish_parts(
            (CORPUS / name).read_text(),
            writer="html5",
            settings_overrides={**SAFE_SETTINGS, "report_level": 3, "warning_stream": stream},
        )
        found = re.findall(r"<string>:(\d+): \(ERROR/3\) (.*)", stream.getvalue())
        assert [(int(line), message) for line, message in found] == expected


def test_corpus_headings_start_where_document_split_says(
    rendered: dict[str, tuple[str, RenderResult]],
) -> None:
    mismatched = []
    for name, (text, result) in _of(rendered, TITLED_REPOSITORIES).items():
        lines = [int(line) for line in re.findall(r'<h[2-6] data-line="(\d+)"', result.html)]
        expected = [section.first_line for section in with_line_numbers(split(text)).sections]
        if lines != expected:
            mismatched.append(name)

    assert mismatched == []


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[int, str]] = []
        self._current: list[str] | None = None
        self._line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        # An admonition's title ("Note") is generated, not source text.
        if tag == "p" and self._current is None and attributes.get("class") != "admonition-title":
            self._line = int(attributes.get("data-line") or 0)
            self._current = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._current is not None:
            self.found.append((self._line, "".join(self._current)))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)


def test_corpus_paragraphs_start_on_their_data_line(rendered: dict[str, tuple[str, RenderResult]]) -> None:
    checked = 0
    wrong = []
    for name, (text, result) in rendered.items():
        # Compared without case and without backslashes: ":rfc:`7232`" shows
        # "RFC 7232", and "jokke\_" shows "jokke_".
        lines = text.replace("\\", "").lower().split("\n")
        parser = _Paragraphs()
        parser.feed(result.html)
        for line, content in parser.found:
            tokens = content.lower().split()
            if not tokens:
                continue
            checked += 1
            # The first token as written, or its first word (markup and escapes change the rest).
            first = {tokens[0], *re.findall(r"\w+", tokens[0])[:1]}
            if not 1 <= line <= len(lines) or not any(word in lines[line - 1] for word in first):
                wrong.append((name, line, content[:40]))

    assert checked > 14_000
    assert wrong == []


def test_rendering_is_the_same_in_the_worker_and_in_process(
    rendered: dict[str, tuple[str, RenderResult]],
) -> None:
    largest = [
        name
        for repository in REPOSITORIES
        for name in sorted(_of(rendered, (repository,)), key=lambda name: len(rendered[name][0]))[-3:]
    ]

    for name in largest:
        text, result = rendered[name]
        assert render_in_process(text, rules=RULES) == result, name

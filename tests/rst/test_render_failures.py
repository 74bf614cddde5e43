"""A failure anywhere in the renderer is a diagnostic at its line, and the preview is never empty.

The failures are injected as real docutils extensions (a directive, a role, a
node no writer knows), registered for one test only, so the renderer's own
code path runs, down to docutils raising inside it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from docutils import nodes
from docutils.parsers.rst import Directive, directives, roles

from specs_app.rst import dialect
from specs_app.rst.checks import RST_UNPARSABLE, check_gate
from specs_app.rst.gate_rules import GateRules
from specs_app.rst.parse import parse
from specs_app.rst.render import render_in_process
from specs_app.rst.results import Diagnostic, RenderResult, source_html
from specs_app.rst.sandbox import RenderSandbox

GENEROUS = 120.0

# The directive on line 11, inside a note; text before and after it.
TEXT = """\
=====
Title
=====

Before.

.. note::

   Inside the note.

   .. {name}:: now

      Its body.

After <b>the</b> directive.
"""
LINE = 11


class Exploding(Directive):
    """A directive with the bug of issue 16: it looks something up that is not there."""

    optional_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        return {"todo": []}["TODO"]


def exploding_role(
    role: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: object,
    options: object = None,
    content: object = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    raise KeyError(role)


class mystery(nodes.General, nodes.Element):  # docutils names node classes in lower case
    """A node that no HTML writer knows how to write."""


class Mysterious(Directive):
    has_content = True

    def run(self) -> list[nodes.Node]:
        node = mystery()
        node.source, node.line = self.state_machine.get_source_and_line(self.lineno)
        return [node]


def _failures(result: RenderResult) -> list[Diagnostic]:
    return [diagnostic for diagnostic in result.diagnostics if diagnostic.level == 4]


# --- outside the dialect: the whole render fails, at the line ----------------------------------


def test_a_directive_that_fails_gives_its_line_and_the_text_as_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(directives._directives, "explode", Exploding)
    text = TEXT.format(name="explode")

    result = render_in_process(text)

    assert not result.complete
    [failure] = _failures(result)
    assert failure.line == LINE
    assert failure.message == "The text could not be parsed: KeyError: 'TODO'"
    assert result.html == source_html(text)
    assert "After &lt;b&gt;the&lt;/b&gt; directive." in result.html


def test_a_failed_parse_is_an_unparsable_finding_at_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(directives._directives, "explode", Exploding)
    text = TEXT.format(name="explode")

    parsed = parse(text)
    gated = check_gate(text, GateRules())
    rendered = render_in_process(text, rules=GateRules())

    assert not parsed.complete and parsed.diagnostics[-1].line == LINE
    [finding] = [finding for finding in gated.findings if finding.rule == RST_UNPARSABLE]
    assert finding.line == LINE
    assert f"at line {LINE}" in finding.message and "KeyError" in finding.message
    assert rendered.findings == gated.findings


def test_a_role_that_fails_gives_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(roles._roles, "explode", exploding_role)
    text = "Title\n=====\n\nFine.\n\nA :explode:`role` here.\n"

    result = render_in_process(text)

    [failure] = _failures(result)
    assert (failure.line, failure.message) == (6, "The text could not be parsed: KeyError: 'explode'")
    assert result.html == source_html(text)


def test_a_writer_failure_gives_the_line_of_the_node_and_keeps_the_gate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(directives._directives, "mystery", Mysterious)
    text = TEXT.format(name="mystery")

    result = render_in_process(text, rules=GateRules())

    assert not result.complete
    [failure] = _failures(result)
    assert failure.line == LINE
    assert failure.message.startswith("The text could not be rendered: NotImplementedError:")
    assert result.html == source_html(text)
    assert result.title == "Title"
    assert result.findings is not None  # the gate checked the doctree before the writer failed
    assert not [finding for finding in result.findings if finding.rule == RST_UNPARSABLE]


# --- inside the dialect: only the directive or role fails ---------------------------------------


@pytest.mark.parametrize("name", ["explode", "EXPLODE"])
def test_a_dialect_directive_that_fails_costs_only_itself(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setitem(dialect.DIRECTIVES, "explode", dialect.dialect_directive(Exploding))
    text = TEXT.format(name=name)

    result = render_in_process(text)

    assert result.complete
    [failure] = _failures(result)
    assert failure.line == LINE
    assert failure.message == (
        "The \"explode\" directive could not be rendered (KeyError: 'TODO'); it is shown as written."
    )
    assert '<p data-line="5">Before.</p>' in result.html
    assert '<p data-line="9">Inside the note.</p>' in result.html
    assert (
        f'<pre class="literal-block" data-line="{LINE}">.. {name}:: now\n\n   Its body.</pre>' in result.html
    )
    assert '<p data-line="15">After &lt;b&gt;the&lt;/b&gt; directive.</p>' in result.html


def test_a_dialect_role_that_fails_costs_only_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(dialect.ROLES, "explode", dialect.dialect_role(exploding_role))

    result = render_in_process("Title\n=====\n\nFine.\n\nA :EXPLODE:`role` here.\n")

    assert result.complete
    [failure] = _failures(result)
    assert (failure.line, failure.message) == (
        6,
        "The \"explode\" role could not be rendered (KeyError: 'explode'); it is shown as written.",
    )
    assert '<p data-line="4">Fine.</p>' in result.html
    assert ":EXPLODE:`role`" in result.html


# --- in the worker ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hooked_sandbox() -> Iterator[RenderSandbox]:
    sandbox = RenderSandbox(preload=["tests.rst.render_hooks"])
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.close()


def test_a_failure_in_the_worker_comes_back_with_its_line_and_the_text(hooked_sandbox: RenderSandbox) -> None:
    text = TEXT.format(name="explode")

    result = hooked_sandbox.render(text, time_limit=GENEROUS, rules=GateRules())

    assert not result.complete
    [failure] = _failures(result)
    assert (failure.line, failure.message) == (
        LINE,
        "The text could not be parsed: RuntimeError: injected failure",
    )
    assert result.html == source_html(text)
    assert result.findings is not None
    assert [finding.line for finding in result.findings if finding.rule == RST_UNPARSABLE] == [LINE]
    assert hooked_sandbox.render("Next.\n", time_limit=GENEROUS).html == '<p data-line="1">Next.</p>\n'

"""Every docutils message comes back as a diagnostic with its source line, and nothing is printed."""

from __future__ import annotations

import pytest
from docutils import nodes
from docutils.parsers.rst import Parser, directives, roles

from specs_app.rst import render as render_module
from specs_app.rst.render import parse, render, render_in_process
from specs_app.rst.results import Diagnostic, RenderResult, source_html

SPEC_WITH_PROBLEMS = """\
=======
 Title
=======

Problem description
===================

A paragraph with an unknown :madeup:`role`.

.. nosuchdirective:: argument

   Body of the unknown directive.

A reference to a missing_ target.

Short section
=====

* a list
without a blank line after it.
"""


def test_it_reports_each_problem_with_its_line_and_severity() -> None:
    result = render(SPEC_WITH_PROBLEMS)

    found = {(d.severity, d.line, d.message.split("\n")[0]) for d in result.diagnostics if d.level >= 2}
    assert found == {
        ("error", 8, 'Unknown interpreted text role "madeup".'),
        ("error", 10, 'Unknown directive type "nosuchdirective".'),
        ("error", 14, 'Unknown target name: "missing".'),
        ("warning", 17, "Title underline too short."),
        ("warning", 20, "Bullet list ends without a blank line; unexpected unindent."),
    }


def test_diagnostics_carry_docutils_levels_and_severity_names() -> None:
    result = render(SPEC_WITH_PROBLEMS)

    assert {(d.level, d.severity) for d in result.diagnostics} <= {
        (1, "info"),
        (2, "warning"),
        (3, "error"),
        (4, "severe"),
    }
    assert any(d.level == 1 for d in result.diagnostics)  # info messages are kept too


def test_a_broken_spec_still_renders_the_rest() -> None:
    result = render(SPEC_WITH_PROBLEMS)

    assert result.complete
    assert result.title == "Title"
    assert '<h2 data-line="5">Problem description</h2>' in result.html
    assert "System Message" not in result.html and "system-message" not in result.html


def test_an_inconsistent_heading_is_an_error_and_the_rest_still_renders() -> None:
    text = "Title\n=====\n\nA\n---\n\nB\n~~~\n\nC\n===\n\nD\n~~~\n\nText after.\n"

    result = render(text)

    assert result.complete
    assert [(d.level, d.line, d.message) for d in result.diagnostics] == [
        (3, 13, "Inconsistent title style: skip from level 1 to 3.")
    ]
    assert '<p data-line="16">Text after.</p>' in result.html


def test_nothing_is_printed_while_rendering(capfd: pytest.CaptureFixture[str]) -> None:
    render_in_process(SPEC_WITH_PROBLEMS)
    parse(SPEC_WITH_PROBLEMS)

    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_parse_returns_the_doctree_and_the_same_diagnostics_as_render() -> None:
    parsed = parse(SPEC_WITH_PROBLEMS)
    rendered = render_in_process(SPEC_WITH_PROBLEMS)

    assert parsed.complete
    assert isinstance(parsed.doctree, nodes.document)
    assert parsed.doctree.next_node(nodes.title).astext() == "Title"
    sections = [section.next_node(nodes.title) for section in parsed.doctree.findall(nodes.section)]
    assert [(title.astext(), title.line) for title in sections] == [
        ("Problem description", 5),
        ("Short section", 16),
    ]
    assert parsed.diagnostics == rendered.diagnostics


def test_parse_keeps_a_lone_section_as_a_section_not_a_subtitle() -> None:
    parsed = parse("=====\nTitle\n=====\n\nOnly section\n============\n\nText.\n")

    titles = [section.next_node(nodes.title).astext() for section in parsed.doctree.findall(nodes.section)]
    assert titles == ["Only section"]
    assert (
        '<h2 data-line="5">Only section</h2>'
        in render("=====\nTitle\n=====\n\nOnly section\n============\n\nText.\n").html
    )


# --- Sphinx constructs in real specs -----------------------------------------------------------


def test_sphinx_cross_reference_roles_render_as_literal_text() -> None:
    result = render("See :doc:`../xena/nvme-agent`, :ref:`the spec <some-label>` and :ref:`plain-label`.\n")

    assert result.diagnostics == []
    assert (
        '<span class="xref docutils literal"><span class="pre">../xena/nvme-agent</span></span>'
        in result.html
    )
    assert '<span class="xref docutils literal">the spec</span>' in result.html
    assert "plain-label" in result.html


def test_code_block_renders_as_a_literal_block_with_its_language() -> None:
    result = render(".. code-block:: console\n\n   $ cinder list\n\n.. code:: json\n\n   {}\n")

    assert result.diagnostics == []
    assert (
        '<pre class="language-console code literal-block" data-line="1"><code>$ cinder list</code></pre>'
        in (result.html)
    )
    assert '<pre class="language-json code literal-block" data-line="5"><code>{}</code></pre>' in result.html


def test_code_block_accepts_sphinx_options() -> None:
    text = (
        ".. code-block:: python\n   :linenos:\n   :emphasize-lines: 2\n   :caption: Example\n\n"
        "   a = 1\n   b = 2\n"
    )

    result = render(text)

    assert result.diagnostics == []
    assert '<small class="ln">1 </small>' in result.html and '<small class="ln">2 </small>' in result.html


def test_diagram_directives_show_their_source() -> None:
    result = render(".. graphviz::\n\n   digraph { a -> b }\n\nAfter.\n")

    assert result.diagnostics == []
    assert (
        '<pre class="diagram graphviz literal-block" data-line="1">digraph { a -&gt; b }</pre>' in result.html
    )


def test_unknown_roles_and_directives_are_still_errors() -> None:
    result = render(":docs:`typo`\n\n.. code-blocks:: python\n\n   x\n")

    assert [(d.level, d.line) for d in result.diagnostics if d.level >= 3] == [(3, 1), (3, 3)]


def test_a_role_defined_in_one_spec_is_unknown_in_the_next() -> None:
    saved_roles, saved_directives = dict(roles._roles), dict(directives._directives)

    defining = render_in_process(".. role:: shout(strong)\n\n:shout:`hey`\n\n.. default-role:: code\n")
    using = render_in_process(":shout:`hey` and `default`\n")

    assert "<strong>hey</strong>" in defining.html
    assert any('Unknown interpreted text role "shout"' in d.message for d in using.diagnostics)
    assert "<cite>default</cite>" in using.html
    assert roles._roles == saved_roles and directives._directives == saved_directives


# --- the result types --------------------------------------------------------------------------


def test_diagnostics_survive_the_trip_from_the_worker() -> None:
    result = render_in_process(SPEC_WITH_PROBLEMS)

    assert RenderResult.from_json(result.to_json()) == result
    assert render(SPEC_WITH_PROBLEMS) == result


def test_results_are_immutable() -> None:
    result = render("Text.\n")

    with pytest.raises(AttributeError):
        result.html = "<script></script>"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        Diagnostic.at(2, "x").level = 3  # type: ignore[misc]


# --- failures inside docutils ------------------------------------------------------------------


@pytest.mark.parametrize(
    "error, message",
    [
        (MemoryError(), "The text needs too much memory to render."),
        (RuntimeError("docutils bug"), "The text could not be rendered: RuntimeError: docutils bug"),
        (RecursionError(), "The text is nested too deeply to render (lists or quotes inside each other)."),
    ],
)
def test_a_failure_inside_the_renderer_becomes_a_diagnostic(
    monkeypatch: pytest.MonkeyPatch, error: BaseException, message: str
) -> None:
    def fail(*args: object) -> str:
        raise error

    monkeypatch.setattr(render_module, "write_body", fail)

    result = render_in_process("Text <b>.\n")

    assert not result.complete
    assert result.html == '<pre class="literal-block" data-line="1">Text &lt;b&gt;.\n</pre>\n'
    assert result.html == source_html("Text <b>.\n")
    # Nothing in the traceback says which node was being written, and the
    # parser's last line would only be a guess: no line rather than a wrong one.
    assert result.diagnostics[-1] == Diagnostic.at(4, message)


def test_a_failure_inside_the_parser_becomes_a_diagnostic(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise ValueError("parser bug")

    monkeypatch.setattr(Parser, "parse", fail)

    parsed = parse("Text.\n")

    assert not parsed.complete
    assert parsed.diagnostics == [Diagnostic.at(4, "The text could not be parsed: ValueError: parser bug")]
    assert len(parsed.doctree) == 0

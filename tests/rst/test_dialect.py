"""Every directive and role of the dialect works however its name is capitalised, as in docutils.

docutils finds ``.. TODO::`` by its lower-case name but hands the directive
the name as written; a directive that looked anything up by that name crashed
(issue 16). The registries are enumerated here, so a directive or role added
to the dialect is covered without touching this file.
"""

from __future__ import annotations

import pytest
from docutils.parsers.rst import Directive
from docutils.parsers.rst.languages import en

from specs_app.rst import dialect
from specs_app.rst.render import render, render_in_process
from specs_app.rst.results import RenderResult

DIRECTIVES = sorted(dialect.DIRECTIVES)
# The dialect's own roles, and docutils' English ones, which it keeps.
ROLES = sorted(set(dialect.ROLES) | set(en.roles))
FAILED = ("could not be rendered", "could not be parsed")


def _spellings(name: str) -> dict[str, str]:
    mixed = "".join(
        character.upper() if index % 2 else character.lower() for index, character in enumerate(name)
    )
    return {"lower": name.lower(), "upper": name.upper(), "mixed": mixed}


def test_the_spellings_differ() -> None:
    assert set(_spellings("todo").values()) == {"todo", "TODO", "tOdO"}


def _directive_text(spelling: str, directive: type[Directive]) -> str:
    """The directive with the arguments and content its class asks for, as a block and as a substitution."""
    count = max(directive.required_arguments, min(directive.optional_arguments, 1))
    arguments = "".join(" https://example.com/a.png" for _ in range(count))
    content = "\n   * - Content *one*\n     - two\n" if directive.has_content else ""
    return (
        f"Before.\n\n.. {spelling}::{arguments}\n{content}\n"
        f".. |sub| {spelling}::{arguments}\n{content}\nAfter |sub|.\n"
    )


def _role_text(spelling: str) -> str:
    return f"Before :{spelling}:`Shown <https://example.com/target>` after.\n"


def _folded(result: RenderResult) -> tuple[object, ...]:
    """What must not depend on the spelling (messages may quote the name as written)."""
    return (
        result.complete,
        result.html.lower(),
        result.title.lower(),
        [(d.level, d.line, d.message.lower()) for d in result.diagnostics],
    )


def _assert_rendered(result: RenderResult, unknown: str) -> None:
    messages = [d.message for d in result.diagnostics]
    assert result.complete, messages
    assert not [message for message in messages if unknown in message or any(f in message for f in FAILED)]
    assert "Before" in result.html


@pytest.mark.parametrize("name", DIRECTIVES)
def test_every_directive_renders_the_same_in_any_case(name: str) -> None:
    directive = dialect.DIRECTIVES[name]
    results = {
        case: render_in_process(_directive_text(spelling, directive))
        for case, spelling in _spellings(name).items()
    }

    for result in results.values():
        _assert_rendered(result, "Unknown directive type")
    assert _folded(results["upper"]) == _folded(results["lower"])
    assert _folded(results["mixed"]) == _folded(results["lower"])


@pytest.mark.parametrize("name", ROLES)
def test_every_role_renders_the_same_in_any_case(name: str) -> None:
    results = {case: render_in_process(_role_text(spelling)) for case, spelling in _spellings(name).items()}

    for result in results.values():
        _assert_rendered(result, "Unknown interpreted text role")
    assert _folded(results["upper"]) == _folded(results["lower"])
    assert _folded(results["mixed"]) == _folded(results["lower"])


def test_a_todo_in_capitals_renders_as_a_todo() -> None:
    """The case of issue 16, through the worker as the preview renders it."""
    result = render(".. TODO:: Finish this.\n\n.. SeeAlso:: The other spec.\n", time_limit=120.0)

    assert result.complete and result.diagnostics == []
    assert '<aside class="admonition todo" data-line="1">' in result.html
    assert '<p class="admonition-title" data-line="1">Todo</p>' in result.html
    assert '<p class="admonition-title" data-line="3">See also</p>' in result.html


def test_a_diagram_in_capitals_keeps_its_class() -> None:
    result = render_in_process(".. GraphViz::\n\n   digraph { a -> b }\n")

    assert '<pre class="diagram graphviz literal-block" data-line="1">' in result.html


# --- Sphinx's toctree and literalinclude -------------------------------------------------------


def test_toctree_lists_its_entries_as_literal_text() -> None:
    result = render_in_process(
        "Index\n=====\n\n.. toctree::\n   :glob:\n   :maxdepth: 1\n\n   approved/*\n   Other spec <other>\n"
    )

    assert result.diagnostics == []
    assert '<ul class="toctree simple" data-line="4">' in result.html
    assert (
        '<li data-line="8"><p data-line="8"><span class="xref docutils literal">approved/*</span></p></li>'
        in result.html
    )
    assert '<span class="xref docutils literal">Other spec</span>' in result.html


def test_literalinclude_reads_nothing(tmp_path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"secret": "s3cr3t"}')

    result = render_in_process(f".. literalinclude:: {secret}\n   :language: json\n")

    assert "s3cr3t" not in result.html
    assert [(d.level, d.line) for d in result.diagnostics] == [(2, 1)]
    assert "File inclusion is disabled here" in result.diagnostics[0].message

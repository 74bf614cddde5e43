"""Each gate rule, failing and passing, on small specs written here (no corpus, no Django)."""

from __future__ import annotations

import dataclasses

import docutils.core
import docutils.nodes
import pytest
from docutils.parsers.rst import Parser
from docutils.readers import standalone

from specs_app.rst import checks, gate_rules
from specs_app.rst.checks import Finding, GateResult, check_gate
from specs_app.rst.gate_rules import GateRules, cinder_historical_rules, rules_from_template
from specs_app.rst.literal_blocks import literal_block_lines
from specs_app.rst.parse import parse
from specs_app.rst.results import Diagnostic
from specs_app.rst.safety import SAFE_SETTINGS
from specs_app.rst.template import parse_template

TEMPLATE = """\
..
 This work is licensed under a Creative Commons Attribution 3.0 Unported
 License.

========================
Example Spec - The title
========================

Introduction.

Problem description
===================

What is wrong.

Use Cases
=========

Who needs it.

Proposed change
===============

What changes.

Alternatives
------------

Other ways.

Security impact
---------------

None.

Implementation
==============

Assignee(s)
-----------

Someone.

References
==========

None.
"""

LONG_WORDS = " ".join(["words"] * 16)  # 95 characters


@pytest.fixture(scope="module")
def rules() -> GateRules:
    return rules_from_template(parse_template(TEMPLATE))


def line_of(text: str, fragment: str) -> int:
    """The 1-based line where ``fragment`` first appears."""
    return text[: text.index(fragment)].count("\n") + 1


def summary(result: GateResult) -> list[tuple[str, int | None, str]]:
    return [(finding.rule, finding.line, finding.severity) for finding in result.findings]


def with_body(text: str, body: str, after: str = "What changes.\n") -> str:
    """``text`` with ``body`` added to the section whose body is ``after``."""
    return text.replace(after, after + "\n" + body, 1)


def test_the_template_itself_passes(rules: GateRules) -> None:
    result = check_gate(TEMPLATE, rules)
    assert result.passed
    assert result.findings == []


# --- titles ----------------------------------------------------------------


def test_missing_section(rules: GateRules) -> None:
    text = TEMPLATE.replace("Use Cases\n=========\n\nWho needs it.\n\n", "")
    result = check_gate(text, rules)
    assert not result.passed
    assert result.findings == [
        Finding(checks.TITLE_MISSING, None, 'Missing section "Use Cases" (the template requires it).')
    ]
    assert check_gate(TEMPLATE, rules).passed


def test_optional_section_may_be_left_out() -> None:
    text = TEMPLATE.replace("References\n==========\n\nNone.\n", "")
    template = parse_template(TEMPLATE)
    assert not check_gate(text, rules_from_template(template)).passed
    optional = rules_from_template(template, optional_titles=["References"])
    assert check_gate(text, optional).passed
    assert check_gate(TEMPLATE, optional).passed  # present is fine too


def test_extra_section_fails_unless_allowed(rules: GateRules) -> None:
    text = TEMPLATE + "\nAppendix\n========\n\nMore.\n"
    refused = check_gate(text, rules)
    assert summary(refused) == [(checks.TITLE_EXTRA, line_of(text, "Appendix"), "error")]
    assert "Appendix" in refused.findings[0].message
    allowed = check_gate(text, dataclasses.replace(rules, allow_extra_top_level=True))
    assert allowed.passed
    assert summary(allowed) == [(checks.TITLE_EXTRA, line_of(text, "Appendix"), "notice")]


def test_title_case_mismatch_names_both(rules: GateRules) -> None:
    text = TEMPLATE.replace("Use Cases\n=========", "Use cases\n=========")
    result = check_gate(text, rules)
    assert summary(result) == [(checks.TITLE_CASE, line_of(text, "Use cases"), "error")]
    assert result.findings[0].message == (
        'Section "Use cases" should be titled "Use Cases" (titles are case-sensitive).'
    )
    assert check_gate(TEMPLATE, rules).passed


def test_subsection_case_mismatch(rules: GateRules) -> None:
    text = TEMPLATE.replace("Security impact\n", "Security Impact\n")
    result = check_gate(text, rules)
    assert summary(result) == [(checks.TITLE_CASE, line_of(text, "Security Impact"), "error")]
    assert '"Security Impact"' in result.findings[0].message
    assert '"Security impact"' in result.findings[0].message


def test_top_level_section_written_as_a_subsection(rules: GateRules) -> None:
    text = TEMPLATE.replace("Use Cases\n=========", "Use Cases\n---------")
    result = check_gate(text, rules)
    assert summary(result) == [(checks.TITLE_LEVEL, line_of(text, "Use Cases"), "error")]
    assert "subsection" in result.findings[0].message


def test_subsection_written_as_a_top_level_section(rules: GateRules) -> None:
    text = TEMPLATE.replace("Alternatives\n------------", "Alternatives\n============")
    result = check_gate(text, rules)
    # "Security impact" now falls under "Alternatives", and the gate says so.
    assert summary(result) == [
        (checks.SUBSECTION_MISSING, line_of(text, "Proposed change"), "error"),
        (checks.TITLE_LEVEL, line_of(text, "Alternatives"), "error"),
    ]
    assert '"Security impact"' in result.findings[0].message
    assert 'under "Alternatives"' in result.findings[0].message
    assert 'subsection of "Proposed change"' in result.findings[1].message


def test_missing_subsection(rules: GateRules) -> None:
    text = TEMPLATE.replace("Alternatives\n------------\n\nOther ways.\n\n", "")
    result = check_gate(text, rules)
    assert summary(result) == [(checks.SUBSECTION_MISSING, line_of(text, "Proposed change"), "error")]
    assert result.findings[0].message == (
        'Section "Proposed change" is missing its subsection "Alternatives" (the template requires it).'
    )
    extra_subsection = with_body(TEMPLATE, "Rollout\n-------\n\nSlowly.\n", after="None.\n")
    assert check_gate(extra_subsection, rules).passed


def test_subsection_under_the_wrong_parent(rules: GateRules) -> None:
    moved = TEMPLATE.replace("Alternatives\n------------\n\nOther ways.\n\n", "")
    moved = moved.replace("Someone.\n", "Someone.\n\nAlternatives\n------------\n\nOther ways.\n")
    result = check_gate(moved, rules)
    assert summary(result) == [(checks.SUBSECTION_MISSING, line_of(moved, "Proposed change"), "error")]
    assert f'line {line_of(moved, "Alternatives")} under "Implementation"' in result.findings[0].message


def test_document_title_at_section_level_is_explained(rules: GateRules) -> None:
    text = TEMPLATE.replace(
        "========================\nExample Spec - The title\n========================",
        "Example Spec - The title\n========================",
    )
    result = check_gate(text, rules)
    assert summary(result) == [(checks.TITLE_EXTRA, line_of(text, "Example Spec"), "error")]
    assert "does not take it as the title" in result.findings[0].message


def test_duplicate_section_is_a_notice(rules: GateRules) -> None:
    text = TEMPLATE + "\nReferences\n==========\n\nMore.\n"
    result = check_gate(text, rules)
    assert result.passed
    assert summary(result) == [(checks.TITLE_DUPLICATE, text.count("\n") - 3, "notice")]


def test_titles_are_read_as_written_including_markup(rules: GateRules) -> None:
    """The historical tests compared the title's raw source, so ``Use *Cases*`` is not "Use Cases"."""
    text = TEMPLATE.replace("Use Cases\n=========", "Use *Cases*\n===========")
    rules_with_markup = dataclasses.replace(
        rules, top_level_titles=tuple(t.replace("Use Cases", "Use *Cases*") for t in rules.top_level_titles)
    )
    assert not check_gate(text, rules).passed
    assert check_gate(text, rules_with_markup).passed


def test_rules_from_template_refuses_unknown_optional_titles() -> None:
    with pytest.raises(ValueError, match="Not sections of the template: Nope"):
        rules_from_template(parse_template(TEMPLATE), optional_titles=["Nope"])


def test_rules_from_template_reads_titles_and_takes_overrides() -> None:
    rules = rules_from_template(
        parse_template(TEMPLATE), optional_titles=["Security impact"], max_line_length=99
    )
    assert rules.top_level_titles == (
        "Problem description",
        "Use Cases",
        "Proposed change",
        "Implementation",
        "References",
    )
    assert dict(rules.required_subsections) == {
        "Proposed change": ("Alternatives",),
        "Implementation": ("Assignee(s)",),
    }
    assert dict(rules.optional_subsections) == {"Proposed change": ("Security impact",)}
    assert rules.max_line_length == 99
    hash(rules)  # frozen and hashable, so callers may cache by rules


def test_cinder_historical_preset_skips_active_active_and_doc8_extras() -> None:
    template = parse_template(
        TEMPLATE.replace(
            "Security impact\n", "Active/Active HA impact\n-----------------------\n\nNone.\n\nX\n"
        )
    )
    rules = cinder_historical_rules(template)
    assert "Active/Active HA impact" not in rules.required_subsections["Proposed change"]
    assert not (rules.check_tabs or rules.check_final_newline or rules.check_rst_errors)
    assert not rules.exempt_literal_blocks
    assert rules.trailing_whitespace_characters == " "


# --- lines -----------------------------------------------------------------


def test_long_line(rules: GateRules) -> None:
    long_line = "x" * 40 + " " + "y" * 39  # 80 characters
    text = with_body(TEMPLATE, long_line + "\n")
    result = check_gate(text, rules)
    number = line_of(text, long_line)
    assert summary(result) == [(checks.LINE_TOO_LONG, number, "error")]
    assert result.findings[0].message == f"Line {number} is 80 characters long; the limit is 79."
    assert check_gate(with_body(TEMPLATE, long_line[:79] + "\n"), rules).passed
    assert check_gate(text, dataclasses.replace(rules, max_line_length=80)).passed


def test_url_lines_are_exempt(rules: GateRules) -> None:
    url_line = "See https://example.org/" + "a" * 40 + " and the rest of the sentence here."
    assert len(url_line) > 79
    text = with_body(TEMPLATE, url_line + "\n")
    assert check_gate(text, rules).passed
    not_exempt = check_gate(text, dataclasses.replace(rules, exempt_url_lines=False))
    assert summary(not_exempt) == [(checks.LINE_TOO_LONG, line_of(text, url_line), "error")]


LITERAL_BODY = f"""\
Run this::

    $ {LONG_WORDS}

.. code-block:: python

   print("{LONG_WORDS}")

* A list item::

    {LONG_WORDS}

After the blocks, {LONG_WORDS}
"""


def test_literal_blocks_exempt_when_configured(rules: GateRules) -> None:
    text = with_body(TEMPLATE, LITERAL_BODY)
    prose = line_of(text, "After the blocks")
    exempt = check_gate(text, rules)
    assert summary(exempt) == [(checks.LINE_TOO_LONG, prose, "error")]  # prose is never exempt
    strict = check_gate(text, dataclasses.replace(rules, exempt_literal_blocks=False))
    assert [finding.line for finding in strict.findings] == [
        line_of(text, "    $ words"),
        line_of(text, '   print("'),
        line_of(text, "    words words"),
        prose,
    ]


def test_literal_block_detection() -> None:
    lines = [
        "Paragraph::",  # 0
        "",
        "    literal",  # 2
        "",
        "    still literal",  # 4
        "back to prose",  # 5
        ".. note::",  # 6
        "",
        "   a note is not literal",  # 8
        "",
        "Not followed by a blank line::",  # 10
        "    a definition, not a literal",  # 11
        "",
        ".. code:: bash",  # 13
        "   :number-lines:",  # 14
        "",
        "   echo hi",  # 16
        "",
        "* item::",  # 18
        "",
        "  same indentation as the item's text",  # 20
        "",
        "Quoted, like this::",  # 22
        "",
        "> quoted literal",  # 24
        "> block",  # 25
        "prose again",  # 26
    ]
    assert literal_block_lines(lines) == {2, 4, 14, 16, 24, 25}


def test_unbroken_lines_exempt_when_configured(rules: GateRules) -> None:
    unbroken = "    " + "x" * 90
    text = with_body(TEMPLATE, "Text\n\n.. _target: " + "y" * 80 + "\n\n" + unbroken + "\n")
    counted = check_gate(text, rules)
    assert [finding.rule for finding in counted.findings] == [checks.LINE_TOO_LONG, checks.LINE_TOO_LONG]
    exempt = check_gate(text, dataclasses.replace(rules, exempt_unbroken_lines=True))
    assert summary(exempt) == [(checks.LINE_TOO_LONG, line_of(text, ".. _target:"), "error")]


def test_trailing_whitespace(rules: GateRules) -> None:
    text = TEMPLATE.replace("Who needs it.", "Who needs it. ")
    result = check_gate(text, rules)
    number = line_of(text, "Who needs it.")
    assert summary(result) == [(checks.WHITESPACE_TRAILING, number, "error")]
    assert result.findings[0].message == f"Line {number} ends with whitespace; remove it."
    blank_with_spaces = TEMPLATE.replace("Who needs it.\n\n", "Who needs it.\n   \n")
    assert not check_gate(blank_with_spaces, rules).passed
    assert check_gate(text, dataclasses.replace(rules, check_trailing_whitespace=False)).passed


def test_trailing_tab_counts_only_where_tabs_are_whitespace(rules: GateRules) -> None:
    text = TEMPLATE.replace("Who needs it.", "Who needs it.\t")
    assert checks.WHITESPACE_TRAILING in [finding.rule for finding in check_gate(text, rules).findings]
    spaces_only = dataclasses.replace(rules, trailing_whitespace_characters=" ", check_tabs=False)
    assert check_gate(text, spaces_only).passed  # cinder's test looked for spaces only


def test_tab(rules: GateRules) -> None:
    text = TEMPLATE.replace("Who needs it.", "Who\tneeds it.")
    result = check_gate(text, rules)
    assert summary(result) == [(checks.WHITESPACE_TAB, line_of(text, "Who\tneeds"), "error")]
    assert check_gate(text, dataclasses.replace(rules, check_tabs=False)).passed


def test_carriage_returns(rules: GateRules) -> None:
    text = TEMPLATE.replace("Who needs it.\n", "Who needs it.\r\n").replace("Someone.\n", "Some\rone.\n")
    result = check_gate(text, rules)
    assert summary(result) == [
        (checks.WHITESPACE_CARRIAGE_RETURN, line_of(text, "Who needs it."), "error"),
        (checks.WHITESPACE_CARRIAGE_RETURN, line_of(text, "Some\rone."), "error"),
    ]
    # A CRLF line ending is no trailing whitespace and does not count towards the length.
    assert check_gate(text, dataclasses.replace(rules, check_carriage_returns=False)).passed


def test_missing_final_newline(rules: GateRules) -> None:
    text = TEMPLATE.rstrip("\n")
    result = check_gate(text, rules)
    last = text.count("\n") + 1
    assert summary(result) == [(checks.FILE_FINAL_NEWLINE, last, "error")]
    assert check_gate(text, dataclasses.replace(rules, check_final_newline=False)).passed
    assert check_gate(TEMPLATE, rules).passed


# --- reStructuredText validity ---------------------------------------------


def test_rst_error_has_the_right_line(rules: GateRules) -> None:
    text = with_body(TEMPLATE, ".. no-such-directive::\n\n   body\n")
    result = check_gate(text, rules)
    number = line_of(text, ".. no-such-directive")
    assert summary(result) == [(checks.RST_ERROR, number, "error")]
    assert result.findings[0].message == (
        f'Line {number}: invalid reStructuredText: Unknown directive type "no-such-directive".'
    )
    assert check_gate(text, dataclasses.replace(rules, check_rst_errors=False)).passed


def test_sphinx_roles_and_directives_are_not_errors_but_typos_are(rules: GateRules) -> None:
    sphinx = with_body(TEMPLATE, "See :doc:`other`.\n\n.. graphviz::\n\n   digraph { a -> b }\n")
    assert check_gate(sphinx, rules).passed
    typo = with_body(TEMPLATE, "See :dco:`other`.\n")
    result = check_gate(typo, rules)
    assert summary(result) == [(checks.RST_ERROR, line_of(typo, ":dco:"), "error")]
    # The dialect knows Sphinx's names itself; a doctree from plain docutils,
    # handed in by a caller, has their messages, which the rules ignore by name.
    doctree, diagnostics = parse_with_diagnostics(sphinx)
    assert check_gate(sphinx, rules, doctree=doctree, diagnostics=diagnostics).passed
    unignored = dataclasses.replace(rules, rst_ignored_messages=())
    assert not check_gate(sphinx, unignored, doctree=doctree, diagnostics=diagnostics).passed


def test_rst_warning_is_a_notice_unless_warnings_fail(rules: GateRules) -> None:
    text = with_body(TEMPLATE, "Some *unfinished emphasis.\n")
    result = check_gate(text, rules)
    number = line_of(text, "Some *unfinished")
    assert result.passed
    assert summary(result) == [(checks.RST_WARNING, number, "notice")]
    strict = check_gate(text, dataclasses.replace(rules, rst_error_level=gate_rules.WARNING))
    assert summary(strict) == [(checks.RST_ERROR, number, "error")]


def test_rst_error_lines_follow_lf_when_docutils_counts_other_breaks(rules: GateRules) -> None:
    """docutils also breaks lines at a lone CR or U+2028; findings use the editor's LF lines."""
    text = with_body(TEMPLATE, "One\u2028two\rthree.\n\n.. no-such-directive::\n")
    no_cr = dataclasses.replace(rules, check_carriage_returns=False)
    assert summary(check_gate(text, no_cr)) == [
        (checks.RST_ERROR, line_of(text, ".. no-such-directive"), "error")
    ]


def test_unparsable_text_is_a_finding_not_a_crash(rules: GateRules, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise ValueError("parser bug")

    monkeypatch.setattr(Parser, "parse", explode)
    result = check_gate(TEMPLATE, rules)
    assert summary(result) == [(checks.RST_UNPARSABLE, None, "error")]
    assert "ValueError: parser bug" in result.findings[0].message


def test_too_deep_text_is_an_unparsable_finding_at_its_line(rules: GateRules) -> None:
    text = with_body(TEMPLATE, "".join(" " * depth + "quote\n\n" for depth in range(300)))
    result = check_gate(text, rules)
    [finding] = [finding for finding in result.findings if finding.rule == checks.RST_UNPARSABLE]
    assert finding.line is not None and finding.line > line_of(text, "What changes.")
    assert "nested too deeply" in finding.message
    assert f"at line {finding.line}" in finding.message


def test_the_gate_uses_a_parse_it_is_given_even_a_failed_one(rules: GateRules) -> None:
    text = with_body(TEMPLATE, "".join(" " * depth + "quote\n\n" for depth in range(300)))
    parsed = parse(text)
    assert not parsed.complete
    assert check_gate(text, rules, parsed=parsed) == check_gate(text, rules)


# --- using the preview's parse ---------------------------------------------


def parse_with_diagnostics(text: str) -> tuple[docutils.nodes.document, list[Diagnostic]]:
    """What render.py hands over: a doctree and its messages, parsed with the safe settings."""
    found: list[Diagnostic] = []

    def observe(message: docutils.nodes.system_message) -> None:
        found.append(Diagnostic.at(message["level"], message[0].astext(), message.get("line")))

    class ObservedReader(standalone.Reader):
        def new_document(self) -> docutils.nodes.document:
            document = super().new_document()
            document.reporter.attach_observer(observe)
            return document

    doctree = docutils.core.publish_doctree(text, reader=ObservedReader(), settings_overrides=SAFE_SETTINGS)
    return doctree, found


def test_given_doctree_and_diagnostics_are_used_without_parsing(
    rules: GateRules, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = TEMPLATE.replace("Use Cases\n=========", "Use cases\n=========")
    doctree, _ = parse_with_diagnostics(text)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the gate parsed although it was given a doctree")

    monkeypatch.setattr(checks, "_parse", no_parsing)
    diagnostics = [Diagnostic.at(3, 'Unknown directive type "x".', 5)]
    result = check_gate(text, rules, doctree=doctree, diagnostics=diagnostics)
    assert summary(result) == [
        (checks.RST_ERROR, 5, "error"),
        (checks.TITLE_CASE, line_of(text, "Use cases"), "error"),
    ]


def test_title_lines_do_not_depend_on_which_heading_line_the_doctree_records(rules: GateRules) -> None:
    """docutils records a heading's underline; the preview's doctree may record its first line."""
    text = TEMPLATE.replace("========================", "########################")
    for title in rules.top_level_titles:  # overline every top-level heading
        rule = "=" * len(title)
        text = text.replace(f"{title}\n{rule}\n", f"{rule}\n{title}\n{rule}\n")
    text = text.replace("Use Cases\n", "Use cases\n").replace("Security impact\n", "Security Impact\n")
    expected = [line_of(text, "Use cases"), line_of(text, "Security Impact")]
    doctree, diagnostics = parse_with_diagnostics(text)
    assert [
        f.line for f in check_gate(text, rules, doctree=doctree, diagnostics=diagnostics).findings
    ] == expected
    for section in doctree.findall(docutils.nodes.section):
        overlined = text.split("\n")[section.line - 3].startswith("=====")
        section.line -= 2 if overlined else 1
    assert [
        f.line for f in check_gate(text, rules, doctree=doctree, diagnostics=diagnostics).findings
    ] == expected


@pytest.mark.parametrize(
    "text",
    [
        TEMPLATE,
        TEMPLATE.replace("Use Cases\n=========", "Use cases\n========="),
        TEMPLATE.replace("Alternatives\n------------", "Alternatives\n============"),
        with_body(TEMPLATE, ".. no-such-directive::\n\nSome *unfinished emphasis.\n"),
        with_body(TEMPLATE, "One\u2028two\rthree.\n\n.. no-such-directive::\n"),
        TEMPLATE.replace("Who needs it.\n", "Who needs it.\r\n"),
    ],
    ids=["template", "case", "level", "rst", "odd-breaks", "crlf"],
)
def test_the_previews_parse_gives_the_same_findings(rules: GateRules, text: str) -> None:
    """The preview passes its parse; the verdict must not depend on who parsed."""
    parsed = parse(text)
    alone = check_gate(text, rules)
    assert check_gate(text, rules, parsed=parsed) == alone
    assert check_gate(text, rules, doctree=parsed.doctree, diagnostics=parsed.diagnostics) == alone


def test_doctree_without_diagnostics_uses_messages_left_in_it(rules: GateRules) -> None:
    text = with_body(TEMPLATE, ".. no-such-directive::\n")
    doctree = docutils.core.publish_doctree(text, settings_overrides={**SAFE_SETTINGS, "report_level": 1})
    result = check_gate(text, rules, doctree=doctree)
    assert summary(result) == [(checks.RST_ERROR, line_of(text, ".. no-such"), "error")]


def test_findings_are_sorted_by_line_with_1_based_numbers(rules: GateRules) -> None:
    text = (
        TEMPLATE.replace("..\n", ".. \n", 1)
        .replace("References\n==========\n\nNone.\n", "")
        .replace("What changes.", "What\tchanges.")
    )
    result = check_gate(text, rules)
    assert summary(result) == [
        (checks.TITLE_MISSING, None, "error"),
        (checks.WHITESPACE_TRAILING, 1, "error"),
        (checks.WHITESPACE_TAB, line_of(text, "What\tchanges"), "error"),
    ]


def test_no_parse_when_no_rule_needs_a_doctree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "_parse", None)
    rules = GateRules(check_rst_errors=False)
    assert check_gate("Plain text \n", rules).findings == [
        Finding(checks.WHITESPACE_TRAILING, 1, "Line 1 ends with whitespace; remove it.")
    ]


# --- speed -----------------------------------------------------------------


def big_spec(lines: int = 1600) -> str:
    paragraph = (
        "This paragraph explains the change in enough words to wrap at seventy-nine\n"
        "columns, with a URL https://example.org/ and ``literal`` text in it.\n\n"
        "Example::\n\n    $ cinder" + " --option" * 10 + "\n\n"
    )
    text = TEMPLATE
    while text.count("\n") < lines:
        text = with_body(text, paragraph)
    return text


def test_gate_with_a_doctree_does_not_parse_a_large_spec(
    rules: GateRules, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What keeps the live check cheap; its speed itself is measured in bench/, not asserted here."""
    text = big_spec()
    assert text.count("\n") >= 1600
    parsed = parse(text)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the gate parsed although it was given a parse")

    monkeypatch.setattr(checks, "_parse", no_parsing)
    monkeypatch.setattr(Parser, "parse", no_parsing)
    assert check_gate(text, rules, parsed=parsed).passed
    assert check_gate(text, rules, doctree=parsed.doctree, diagnostics=parsed.diagnostics).passed

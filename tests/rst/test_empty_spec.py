"""A spec with nothing under any of its headings fails the gate; one section with text is enough."""

from __future__ import annotations

from specs_app.rst.checks import CONTENT_EMPTY, check_gate
from specs_app.rst.gate_rules import rules_from_template
from specs_app.rst.template import parse_template
from tests.rst.test_gate_rules import TEMPLATE

RULES = rules_from_template(parse_template(TEMPLATE))


# The template's headings with nothing under them: what a new spec is.
EMPTY = """\
..
 This work is licensed under a Creative Commons Attribution 3.0 Unported
 License.

========================
Example Spec - The title
========================

Problem description
===================

Use Cases
=========

Proposed change
===============

Alternatives
------------

Security impact
---------------

Implementation
==============

Assignee(s)
-----------

References
==========
"""


def test_an_empty_spec_fails_with_a_clear_finding() -> None:
    result = check_gate(EMPTY, RULES)
    assert not result.passed
    finding = next(finding for finding in result.findings if finding.rule == CONTENT_EMPTY)
    assert (finding.line, finding.severity) == (None, "error")
    assert finding.message.startswith("Every section is empty")


def test_one_section_with_text_is_not_empty() -> None:
    text = EMPTY.replace("Use Cases\n=========\n", "Use Cases\n=========\n\nOperators need it.\n", 1)
    assert [finding.rule for finding in check_gate(text, RULES).findings] == []


def test_a_comment_is_not_text() -> None:
    text = EMPTY.replace("Use Cases\n=========\n", "Use Cases\n=========\n\n.. TODO: write this\n", 1)
    assert CONTENT_EMPTY in [finding.rule for finding in check_gate(text, RULES).findings]

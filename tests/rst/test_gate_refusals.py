"""The gate on text the preview's parser refuses: reported as unchecked, never crashed on."""

from specs_app.rst import checks
from specs_app.rst.checks import check_gate
from specs_app.rst.gate_rules import rules_from_template
from specs_app.rst.safety import MAX_SPEC_CHARACTERS
from specs_app.rst.template import parse_template

TEMPLATE = "=====\nTitle\n=====\n\nProblem description\n===================\n\nWhy.\n"


def test_text_over_the_size_cap_is_reported_not_checked():
    text = TEMPLATE + "Padding line.\n" * (MAX_SPEC_CHARACTERS // 14 + 1)
    result = check_gate(text, rules_from_template(parse_template(TEMPLATE)))
    assert [(f.rule, f.line, f.severity) for f in result.findings] == [(checks.RST_UNPARSABLE, None, "error")]
    assert "not checked" in result.findings[0].message
    assert not result.passed

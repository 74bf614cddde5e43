"""Each preset's own rules, failing and passing, on small specs written here (no corpus, no Django)."""

from __future__ import annotations

import sys

import pytest

from specs_app.rst.checks import (
    CHARACTER_ZERO_WIDTH_SPACE,
    FILE_FINAL_NEWLINE,
    HEADER_LICENSE,
    HEADER_TRACKER_LINK,
    LINE_TOO_LONG,
    RST_ERROR,
    SUBSECTION_EXTRA,
    SUBSECTION_MISSING,
    TITLE_EXTRA,
    TITLE_MISSING,
    WHITESPACE_CARRIAGE_RETURN,
    WHITESPACE_TAB,
    WHITESPACE_TRAILING,
    check_gate,
)
from specs_app.rst.gate_profiles import (
    GATE_PRESETS,
    IRONIC_LICENCE,
    SEVEN_SECTIONS,
    UNICODE_WHITESPACE,
    PathRule,
    rules_for,
)
from specs_app.rst.gate_rules import GateRules, rules_from_json, rules_to_json
from specs_app.rst.parse import parse
from specs_app.rst.results import Diagnostic
from specs_app.rst.template import ParsedTemplate, parse_template

LONG_WORDS = " ".join(["words"] * 16)  # 95 characters
LONG_TOKEN = "x" * 95

NOVA_TEMPLATE = """\
==============
Example title
==============

Problem description
===================

Use Cases
---------

Proposed change
===============

Alternatives
------------

Upgrade impact
--------------

Implementation
==============

Assignee(s)
-----------

Feature Liaison
---------------

References
==========

History
=======
"""


def section(title: str, underline: str = "=", body: str = "Text.") -> str:
    return f"{title}\n{underline * len(title)}\n\n{body}\n\n"


def nova_spec(*, omit: tuple[str, ...] = (), extra: str = "", body: str = "Text.") -> str:
    """A spec of NOVA_TEMPLATE with every section, less ``omit``, plus ``extra`` at the end."""
    parts = ["=====\nTitle\n=====\n\n"]
    outline = [
        ("Problem description", "="),
        ("Use Cases", "-"),
        ("Proposed change", "="),
        ("Alternatives", "-"),
        ("Upgrade impact", "-"),
        ("Implementation", "="),
        ("Assignee(s)", "-"),
        ("Feature Liaison", "-"),
        ("References", "="),
        ("History", "="),
    ]
    for title, underline in outline:
        if title not in omit:
            parts.append(section(title, underline, body if title == "Problem description" else "Text."))
    return "".join(parts) + extra


@pytest.fixture(scope="module")
def nova_template() -> ParsedTemplate:
    return parse_template(NOVA_TEMPLATE)


def nova(template: ParsedTemplate, text: str, release: str = "2025.1") -> list[tuple[str, int | None]]:
    rules = rules_for("nova", template=template, path=f"specs/{release}/approved/x.rst")
    assert rules is not None
    return [(finding.rule, finding.line) for finding in check_gate(text, rules).errors]


def seven_section_spec(*, proposed_extra: str = "", implementation_extra: str = "", extra: str = "") -> str:
    proposed = "".join(section(title, "-") for title in SEVEN_SECTIONS.subsections["Proposed change"])
    return (
        "=====\nTitle\n=====\n\n"
        + section("Problem description")
        + section("Proposed change")
        + proposed
        + proposed_extra
        + section("Implementation")
        + section("Assignee(s)", "-")
        + section("Work Items", "-")
        + implementation_extra
        + "".join(
            section(title) for title in ("Dependencies", "Testing", "Documentation Impact", "References")
        )
        + extra
    )


def rules_of(findings) -> set[str]:
    return {finding.rule for finding in findings}


# --- the API -----------------------------------------------------------------------------------------


def test_every_preset_named_in_the_issue_is_shipped() -> None:
    assert set(GATE_PRESETS) == {"cinder", "manila", "nova", "glance", "neutron", "ironic", "keystone"}
    for name, profile in GATE_PRESETS.items():
        assert profile.name == name
        assert profile.repository == f"openstack/{name}-specs"
        assert profile.source


@pytest.mark.parametrize("name", sorted(GATE_PRESETS))
def test_each_presets_rules_survive_json(name: str, nova_template: ParsedTemplate) -> None:
    rules = rules_for(name, template=nova_template, release="queens")
    assert rules is not None
    assert rules_from_json(rules_to_json(rules)) == rules


@pytest.mark.parametrize("name", ["cinder", "nova", "ironic"])
def test_presets_that_check_against_the_template_refuse_to_guess_without_one(name: str) -> None:
    with pytest.raises(ValueError, match="template"):
        rules_for(name)


def test_an_unknown_preset_is_refused() -> None:
    with pytest.raises(KeyError):
        rules_for("swift")


def test_nova_compares_with_the_releases_template_and_the_others_with_one() -> None:
    assert GATE_PRESETS["nova"].template_path("2025.1") == "specs/2025.1-template.rst"
    assert GATE_PRESETS["cinder"].template_path("2025.1") == "specs/template.rst"


def test_path_rules_match_part_by_part() -> None:
    assert PathRule("specs/*/*").matches("specs/2025.1/x.rst")
    assert not PathRule("specs/*/*").matches("specs/2025.1/approved/x.rst")
    assert PathRule("specs/**").matches("specs/a/b/c.rst")
    assert not PathRule("specs/**").matches("doc/x.rst")


def test_unicode_whitespace_is_what_str_isspace_says() -> None:
    expected = "".join(character for character in map(chr, range(sys.maxunicode + 1)) if character.isspace())
    assert expected == UNICODE_WHITESPACE


# --- nova --------------------------------------------------------------------------------------------


def test_nova_passes_a_complete_spec(nova_template: ParsedTemplate) -> None:
    assert nova(nova_template, nova_spec()) == []


def test_nova_history_is_optional_but_other_sections_are_not(nova_template: ParsedTemplate) -> None:
    assert nova(nova_template, nova_spec(omit=("History",))) == []
    assert nova(nova_template, nova_spec(omit=("References",))) == [(TITLE_MISSING, None)]


def test_nova_extra_top_level_sections_fail_but_extra_subsections_pass(nova_template: ParsedTemplate) -> None:
    assert nova(nova_template, nova_spec(extra=section("Other notes", "-"))) == []
    extra_top = nova_spec(extra=section("Other notes"))
    assert [rule for rule, _ in nova(nova_template, extra_top)] == [TITLE_EXTRA]


def test_nova_optional_subsections_depend_on_the_release(nova_template: ParsedTemplate) -> None:
    no_liaison = nova_spec(omit=("Feature Liaison",))
    no_upgrade = nova_spec(omit=("Upgrade impact",))
    assert nova(nova_template, no_liaison, "2025.1") == []
    assert [rule for rule, _ in nova(nova_template, no_upgrade, "2025.1")] == [SUBSECTION_MISSING]
    # queens replaces the default: "Upgrade impact" optional, "Feature Liaison" required.
    assert nova(nova_template, no_upgrade, "queens") == []
    assert [rule for rule, _ in nova(nova_template, no_liaison, "queens")] == [SUBSECTION_MISSING]


def test_nova_exempts_space_led_lines_after_any_double_colon_line(nova_template: ParsedTemplate) -> None:
    body = f"Text.\n\n.. note::\n\n   {LONG_WORDS}\n\n   {LONG_WORDS}\n{LONG_WORDS}\n"
    assert nova(nova_template, nova_spec(body=body)) == [(LINE_TOO_LONG, 15)]


def test_nova_ends_the_exemption_at_a_tab_led_line(nova_template: ParsedTemplate) -> None:
    body = f"Example::\n\n\t{LONG_WORDS}\n"
    assert nova(nova_template, nova_spec(body=body)) == [(LINE_TOO_LONG, 10)]


def test_nova_exempts_lines_without_inner_whitespace(nova_template: ParsedTemplate) -> None:
    assert nova(nova_template, nova_spec(body=f"  {LONG_TOKEN}")) == []
    # A trailing space makes it two runs for nova's pattern; both checks fail it.
    assert nova(nova_template, nova_spec(body=f"{LONG_TOKEN} ")) == [
        (WHITESPACE_TRAILING, 8),
        (LINE_TOO_LONG, 8),
    ]


def test_nova_fails_a_zero_width_space(nova_template: ParsedTemplate) -> None:
    assert nova(nova_template, nova_spec(body="Zero\u200bwidth.")) == [(CHARACTER_ZERO_WIDTH_SPACE, 8)]


def test_nova_counts_trailing_spaces_not_tabs_and_ignores_tabs_and_carriage_returns(
    nova_template: ParsedTemplate,
) -> None:
    assert nova(nova_template, nova_spec(body="Trailing tab.\t")) == []
    assert nova(nova_template, nova_spec(body="A\ttab inside.")) == []
    # nova's test reads in text mode: a CRLF line is an LF line to it.
    assert nova(nova_template, nova_spec(body="Windows line.\r\nNext.")) == []
    assert nova(nova_template, nova_spec(body="Trailing space. ")) == [(WHITESPACE_TRAILING, 8)]


def test_nova_fails_only_what_halts_publish_doctree(nova_template: ParsedTemplate) -> None:
    # Errors (level 3) do not stop publish_doctree: an unknown directive, a title in a list.
    unknown_directive = "Text.\n\n.. sphinx-only-thing::\n\n   body\n"
    assert nova(nova_template, nova_spec(body=unknown_directive)) == []
    title_in_list = "Text.\n\n* Item.\n\n  Nested title\n  ------------\n"
    assert nova(nova_template, nova_spec(body=title_in_list)) == []
    # A severe message (level 4) halts it. docutils 0.23 gives few (csv-table's file
    # problems, which this dialect never reads), so one is added to the parse here.
    text = nova_spec()
    parsed = parse(text)
    rules = rules_for("nova", template=nova_template, path="specs/2025.1/approved/x.rst")
    assert rules is not None
    halting = [*parsed.diagnostics, Diagnostic.at(4, "Something severe.", 8)]
    result = check_gate(text, rules, doctree=parsed.doctree, diagnostics=halting)
    assert [(finding.rule, finding.line) for finding in result.errors] == [(RST_ERROR, 8)]


def test_nova_checks_only_release_folder_files_and_never_abandoned(nova_template: ParsedTemplate) -> None:
    assert rules_for("nova", template=nova_template, path="specs/abandoned/approved/x.rst") is None
    assert rules_for("nova", template=nova_template, path="specs/2025.1/x.rst") is None
    assert rules_for("nova", template=nova_template, path="specs/2025.1-template.rst") is None
    assert rules_for("nova", template=nova_template, path="specs/2025.1/implemented/x.rst") is not None


def test_nova_fails_every_section_of_a_spec_whose_template_has_none() -> None:
    # nova's backlog template is a stand-in holding a path: the test finds no sections in it.
    empty = ParsedTemplate(example_title="", intro_guidance="", sections=[])
    rules = rules_for("nova", template=empty, path="specs/backlog/approved/x.rst")
    assert rules is not None
    assert rules_of(check_gate(nova_spec(), rules).errors) == {TITLE_EXTRA}


# --- glance and manila (doc8 --ignore D001) ----------------------------------------------------------


@pytest.mark.parametrize("name", ["glance", "manila"])
def test_doc8_presets_have_no_line_limit_and_no_titles(name: str) -> None:
    rules = rules_for(name, path="specs/2025.1/approved/glance/x.rst")
    assert rules is not None
    assert check_gate(f"Free text, no sections.\n\n{LONG_WORDS}\n", rules).passed


@pytest.mark.parametrize("name", ["glance", "manila"])
def test_doc8_presets_fail_what_doc8_fails(name: str) -> None:
    rules = rules_for(name, path="specs/zed/x.rst")
    assert rules is not None

    def failing(text: str) -> set[str]:
        return rules_of(check_gate(text, rules).errors)

    assert failing("No newline at the end.") == {FILE_FINAL_NEWLINE}
    assert failing("Non-breaking space at the end.\xa0\n") == {WHITESPACE_TRAILING}
    assert failing("\tTab-indented.\n") == {WHITESPACE_TAB}
    assert failing("Tab\tinside the text.\n") == set()
    assert failing("Carriage return.\r\n") == {WHITESPACE_CARRIAGE_RETURN}
    # A warning fails doc8 (D000 counts levels 2 and up).
    assert failing("A title\n=====\n\nText.\n") == {RST_ERROR}  # "Title underline too short."
    # Sphinx-only markup and file inclusion do not: doc8 ignores the one, the gate cannot read the other.
    assert failing(".. sphinx-only-thing::\n\n   body\n\n:unknown-role:`x` and :doc:`y`.\n") == set()
    assert failing(".. include:: neighbour.inc\n") == set()


def test_glance_checks_its_template_against_its_seven_sections() -> None:
    template_rules = rules_for("glance", path="specs/template.rst")
    spec_rules = rules_for("glance", path="specs/zed/approved/glance/x.rst")
    assert template_rules is not None and spec_rules is not None
    assert template_rules.top_level_titles == SEVEN_SECTIONS.top_level
    assert not spec_rules.checks_titles
    assert check_gate(seven_section_spec(), template_rules).passed
    spec_lite = ":problem: Something.\n:solution: Something else.\n"
    assert check_gate(spec_lite, spec_rules).passed
    assert not check_gate(spec_lite, template_rules).passed


# --- neutron -----------------------------------------------------------------------------------------


def neutron(text: str, path: str = "specs/2025.1/x.rst") -> set[str]:
    rules = rules_for("neutron", path=path)
    assert rules is not None
    return rules_of(check_gate(text, rules).errors)


def test_neutron_passes_the_seven_sections_with_long_lines_and_trailing_spaces() -> None:
    assert neutron(seven_section_spec(extra=f"{LONG_WORDS} \n")) == set()


def test_neutron_allows_extra_subsections_only_in_proposed_change() -> None:
    assert neutron(seven_section_spec(proposed_extra=section("Upgrade impact", "-"))) == set()
    assert neutron(seven_section_spec(implementation_extra=section("Milestones", "-"))) == {SUBSECTION_EXTRA}
    repeated = seven_section_spec(implementation_extra=section("Work Items", "-"))
    assert neutron(repeated) == {SUBSECTION_EXTRA}


def test_neutron_fails_a_subsection_where_its_test_wants_none() -> None:
    spec = seven_section_spec().replace(
        "Problem description\n===================\n\nText.\n\n",
        "Problem description\n===================\n\nText.\n\nUse Cases\n---------\n\nText.\n\n",
    )
    assert neutron(spec) == {SUBSECTION_EXTRA}


def test_neutron_fails_an_eighth_section() -> None:
    assert neutron(seven_section_spec(extra=section("Upgrade impact"))) == {TITLE_EXTRA}


def test_neutron_checks_only_the_folders_its_glob_reaches() -> None:
    assert rules_for("neutron", path="specs/backlog/pike/x.rst") is None
    assert rules_for("neutron", path="specs/2025.1/diagram.dot") is None
    assert rules_for("neutron", path="specs/template.rst") is not None


# --- ironic ------------------------------------------------------------------------------------------

IRONIC_TEMPLATE = parse_template(
    "=====\nTitle\n=====\n\n"
    + section("Problem description")
    + section("Proposed change")
    + section("Alternatives", "-")
    + section("Testing")
)
IRONIC_HEADER = (
    "..\n This work is licensed under a Creative Commons Attribution 3.0 Unported\n License.\n\n"
    " http://creativecommons.org/licenses/by/3.0/legalcode\n\n"
)


def ironic_spec(
    *, header: str = IRONIC_HEADER, link: str = "https://bugs.launchpad.net/ironic/+bug/1"
) -> str:
    return (
        header
        + "=====\nTitle\n=====\n\n"
        + f"{link}\n\n"
        + section("Problem description")
        + section("Proposed change")
        + section("Alternatives", "-")
        + section("Testing")
    )


def ironic(text: str, path: str = "specs/approved/my-spec.rst") -> set[str]:
    rules = rules_for("ironic", template=IRONIC_TEMPLATE, path=path)
    assert rules is not None
    return rules_of(check_gate(text, rules).errors)


def test_ironic_passes_a_complete_approved_spec() -> None:
    assert IRONIC_LICENCE.strip() in IRONIC_HEADER.replace("\n", "")
    assert ironic(ironic_spec()) == set()


def test_ironic_wants_the_licence_in_approved_specs_only() -> None:
    assert ironic(ironic_spec(header="")) == {HEADER_LICENSE}
    assert ironic(ironic_spec(header=""), path="specs/backlog/my-spec.rst") == set()


def test_ironic_wants_a_bug_link_before_the_problem_description() -> None:
    assert ironic(ironic_spec(link="No link here.")) == {HEADER_TRACKER_LINK}
    late_link = ironic_spec(link="No link here.") + "https://bugs.launchpad.net/ironic/+bug/1\n"
    assert ironic(late_link) == {HEADER_TRACKER_LINK}


def test_ironic_takes_a_blueprint_link_that_names_the_file() -> None:
    blueprint = "https://blueprints.launchpad.net/ironic/+spec/"
    assert ironic(ironic_spec(link=blueprint + "my-spec")) == set()
    assert ironic(ironic_spec(link=blueprint + "other-spec")) == {HEADER_TRACKER_LINK}


def test_ironic_backlog_needs_two_sections_and_allows_the_templates_others() -> None:
    backlog = "specs/backlog/my-spec.rst"
    short = IRONIC_HEADER + "=====\nTitle\n=====\n\nhttps://bugs.launchpad.net/x\n\n"
    assert ironic(short + section("Problem description") + section("Proposed change"), backlog) == set()
    with_testing = short + section("Problem description") + section("Proposed change") + section("Testing")
    assert ironic(with_testing, backlog) == set()
    assert ironic(short + section("Problem description") + section("Musings"), backlog) == {
        TITLE_MISSING,
        TITLE_EXTRA,
    }


def test_ironic_holds_lines_to_79_columns_as_doc8_does() -> None:
    assert ironic(ironic_spec(link=f"https://bugs.launchpad.net/x\n\n{LONG_WORDS}")) == {LINE_TOO_LONG}


# --- keystone ----------------------------------------------------------------------------------------


def keystone(text: str) -> list[tuple[str, int | None]]:
    rules = rules_for("keystone", path="specs/keystone/2025.1/x.rst")
    assert rules is not None
    return [(finding.rule, finding.line) for finding in check_gate(text, rules).errors]


def test_keystone_checks_no_titles_but_doc8s_line_limit() -> None:
    assert keystone("No sections at all.\n") == []
    assert keystone(f"Text.\n\n{LONG_WORDS}\n") == [(LINE_TOO_LONG, 3)]


def test_keystone_exempts_literal_blocks_but_their_first_line_as_doc8_does() -> None:
    block = f"Example::\n\n    {LONG_WORDS}\n    {LONG_WORDS}\n\nText.\n"
    assert keystone(block) == [(LINE_TOO_LONG, 3)]
    one_line = f"Example::\n\n    {LONG_WORDS}\n\nText.\n"
    assert keystone(one_line) == []


def test_keystone_exempts_directive_content_and_definition_terms() -> None:
    directive = f".. note::\n\n   {LONG_WORDS}\n"
    term = f"{LONG_WORDS}\n    The definition.\n"
    assert keystone(directive) == []
    assert keystone(term) == []


def test_default_rules_are_unchanged_by_the_new_fields() -> None:
    rules = GateRules()
    assert rules.check_line_length and not rules.check_zero_width_space
    assert rules.literal_block_style == "docutils" and not rules.closed_subsections
    with pytest.raises(ValueError, match="literal_block_style"):
        GateRules(literal_block_style="guess")

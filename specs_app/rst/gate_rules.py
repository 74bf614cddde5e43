"""What a project's gate enforces: the rules as data, presets, and their JSON form.

Each ``*-specs`` repository checks differently (cinder's historical title test
did not exempt literal blocks; doc8 also wants valid RST, no tabs and a final
newline; some repositories allow optional or extra sections), so the rules are
data: :class:`GateRules` says what a project enforces and
:func:`specs_app.rst.checks.check_gate` applies it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from .template import ParsedTemplate

# docutils' message levels.
INFO, WARNING, ERROR, SEVERE = 1, 2, 3, 4

# Names that a Sphinx build knows and plain docutils does not. Specs are built
# with Sphinx, so docutils' "unknown role/directive" about these is not the
# author's mistake; doc8 ignores the same family of messages in its default
# Sphinx mode. Listing names (instead of ignoring every unknown role, as doc8
# does) keeps a typo such as ``:rfe:`` failing.
SPHINX_ROLES: tuple[str, ...] = (
    "abbr", "any", "attr", "class", "command", "const", "data", "dfn", "doc",
    "download", "envvar", "eq", "exc", "file", "func", "guilabel", "kbd",
    "keyword", "mailheader", "makevar", "manpage", "menuselection", "meth",
    "mimetype", "mod", "newsgroup", "numref", "obj", "option", "program",
    "ref", "regexp", "samp", "term", "token",
)  # fmt: skip
SPHINX_DIRECTIVES: tuple[str, ...] = (
    "actdiag", "autoclass", "autofunction", "automodule", "blockdiag",
    "centered", "deprecated", "glossary", "graphviz", "highlight", "hlist",
    "index", "literalinclude", "nwdiag", "only", "productionlist", "seealso",
    "seqdiag", "tabularcolumns", "todo", "toctree", "versionadded",
    "versionchanged",
)  # fmt: skip
SPHINX_CODE_BLOCK_OPTIONS: tuple[str, ...] = (
    "caption", "dedent", "emphasize-lines", "force", "lineno-start", "linenos",
)  # fmt: skip
SPHINX_SUBSTITUTIONS: tuple[str, ...] = ("release", "today", "version")


def _one_of(names: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(name) for name in names) + ")"


SPHINX_ONLY_MESSAGES: tuple[str, ...] = (
    rf'Unknown interpreted text role "(?:\w+:)?{_one_of(SPHINX_ROLES)}"',
    rf'Unknown directive type "(?:\w+:)?{_one_of(SPHINX_DIRECTIVES)}"',
    rf'Error in "(?:code|code-block|sourcecode)" directive:\s+'
    rf'unknown option: "{_one_of(SPHINX_CODE_BLOCK_OPTIONS)}"',
    rf'Undefined substitution referenced: "{_one_of(SPHINX_SUBSTITUTIONS)}"',
)
"""Regular expressions (matched at the start) for docutils messages that a
Sphinx build would not give; see :attr:`GateRules.rst_ignored_messages`."""

LITERAL_DIRECTIVES: tuple[str, ...] = ("code", "code-block", "sourcecode", "parsed-literal")

# How :attr:`GateRules.exempt_literal_blocks` finds the lines it exempts.
# "docutils": the literal blocks docutils parses (:func:`~.literal_blocks.literal_block_lines`).
# "after-double-colon": nova's test: after any line containing "::", every following
# line that is empty or starts with a space (:func:`~.literal_blocks.lines_after_double_colon`).
# "doc8": doc8's D001: directive and ``::`` regions, definition terms, literal
# blocks and targets (:func:`~.literal_blocks.doc8_exempt_lines`).
LITERAL_BLOCK_STYLES: tuple[str, ...] = ("docutils", "after-double-colon", "doc8")


@dataclass(frozen=True)
class GateRules:
    """What one project's specs repository enforces.

    The defaults are the gate DESIGN.md describes for a project checked with
    doc8-style rules: the template's titles, lines under 80 columns except URL
    lines and literal blocks, no trailing whitespace, no tabs, no CR, a final
    newline and valid RST. Build one from a template with
    :func:`rules_from_template`; :func:`cinder_historical_rules` is cinder's.
    """

    # Top-level section titles that must be present, exactly and case-sensitively
    # (order is not checked). Empty means titles are not checked, unless check_top_level_titles.
    top_level_titles: tuple[str, ...] = ()
    # True: the top-level titles are checked even when none are listed, so a
    # spec of a template without sections may have none (nova's test compares
    # with whatever the template file holds, a stand-in path included).
    check_top_level_titles: bool = False
    # Top-level titles that may be present or not, even when extras are refused.
    optional_top_level_titles: tuple[str, ...] = ()
    # Top-level title -> subsection titles that must be directly under it.
    # Extra subsections are always allowed, as in every historical test.
    required_subsections: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    # Subsections a spec may leave out; known only to explain a misplaced one.
    optional_subsections: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    # False: a top-level section the template lacks fails. True: it is a notice.
    allow_extra_top_level: bool = False
    # Lines longer than this fail (79: lines must be shorter than 80 columns).
    max_line_length: int = 79
    exempt_url_lines: bool = True  # lines containing http:// or https://
    # Indented lines after a ``::`` and the contents of code directives.
    exempt_literal_blocks: bool = True
    # Lines that are one run of non-whitespace after any indentation (nova's
    # ``\s*[^\s]+$``; a trailing space breaks it, as it does there).
    exempt_unbroken_lines: bool = False
    literal_directives: tuple[str, ...] = LITERAL_DIRECTIVES
    check_tabs: bool = True
    check_carriage_returns: bool = True
    check_trailing_whitespace: bool = True
    # What counts as trailing whitespace: cinder's test looked for spaces only.
    trailing_whitespace_characters: str = " \t"
    check_final_newline: bool = True
    # docutils messages at ``rst_error_level`` or above fail (3: error and
    # severe). doc8 fails on warnings (level 2) too; a project gating with doc8
    # sets 2. With 3, warnings such as "Title underline too short" still render
    # correctly, so they are reported as notices when ``rst_warnings_as_notices``.
    check_rst_errors: bool = True
    rst_error_level: int = ERROR
    rst_warnings_as_notices: bool = True
    # Messages (regular expressions matched at their start) that are not the
    # author's mistake because the repository builds with Sphinx.
    rst_ignored_messages: tuple[str, ...] = SPHINX_ONLY_MESSAGES
    # False: no line limit at all (doc8 run with ``--ignore D001``).
    check_line_length: bool = True
    literal_block_style: str = "docutils"  # one of LITERAL_BLOCK_STYLES
    # Tabs anywhere (False) or only in a line's indentation (True, doc8's D003).
    tabs_in_indentation_only: bool = False
    # U+200B ZERO WIDTH SPACE anywhere in the text fails (nova's test).
    check_zero_width_space: bool = False
    # Top-level sections whose subsections must be exactly their required ones,
    # each once: neutron's and glance's tests want "Implementation" to have
    # exactly two and "Problem description" none.
    closed_subsections: tuple[str, ...] = ()
    # Text the lines before the first line starting with "=" must contain once
    # joined without line breaks (ironic's licence check); empty: not checked.
    required_header_text: str = ""
    # Ironic's tracker link: before the first line starting with
    # ``tracker_link_before``, a line must contain one of ``tracker_link_prefixes``
    # or, the older form, ``blueprint_link_prefix`` and then end with
    # ``blueprint_name`` (the file's name). No prefixes: not checked.
    tracker_link_prefixes: tuple[str, ...] = ()
    blueprint_link_prefix: str = ""
    blueprint_name: str = ""
    tracker_link_before: str = ""

    def __post_init__(self) -> None:
        """Freeze every collection so rules can be shared and cached safely."""
        for name in ("top_level_titles", "optional_top_level_titles", "literal_directives"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        for name in ("rst_ignored_messages", "closed_subsections", "tracker_link_prefixes"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        for name in ("required_subsections", "optional_subsections"):
            subsections = {parent: tuple(children) for parent, children in getattr(self, name).items()}
            object.__setattr__(self, name, MappingProxyType(subsections))
        if self.max_line_length < 1:
            raise ValueError("max_line_length must be at least 1.")
        if self.literal_block_style not in LITERAL_BLOCK_STYLES:
            raise ValueError(f"literal_block_style must be one of {', '.join(LITERAL_BLOCK_STYLES)}.")

    @property
    def checks_titles(self) -> bool:
        return bool(
            self.top_level_titles
            or self.check_top_level_titles
            or self.required_subsections
            or self.closed_subsections
        )

    @property
    def needs_doctree(self) -> bool:
        return self.checks_titles or self.check_rst_errors


def rules_from_template(
    parsed_template: ParsedTemplate, *, optional_titles: Iterable[str] = (), **overrides: Any
) -> GateRules:
    """Rules whose titles are the template's, so a template change is a data change.

    ``optional_titles`` names template sections (top-level or subsections) that
    a spec may leave out; other keyword arguments set :class:`GateRules` fields.
    A name that is not in the template is refused: a typo would otherwise
    silently make a real section required.
    """
    optional = frozenset(optional_titles)
    unknown = optional - {node.title for node in parsed_template.walk()}
    if unknown:
        raise ValueError(f"Not sections of the template: {', '.join(sorted(unknown))}.")
    top_level = [node.title for node in parsed_template.sections]
    required = {
        node.title: [c.title for c in node.children if c.title not in optional]
        for node in parsed_template.sections
    }
    skippable = {
        node.title: [c.title for c in node.children if c.title in optional]
        for node in parsed_template.sections
    }
    fields: dict[str, Any] = {
        "top_level_titles": tuple(title for title in top_level if title not in optional),
        "optional_top_level_titles": tuple(title for title in top_level if title in optional),
        "required_subsections": {parent: tuple(titles) for parent, titles in required.items() if titles},
        "optional_subsections": {parent: tuple(titles) for parent, titles in skippable.items() if titles},
    }
    fields.update(overrides)
    return GateRules(**fields)


# Added to cinder's template in 2018, after the title test was written.
CINDER_TITLE_TEST_PREDATES = ("Active/Active HA impact",)


def cinder_historical_rules(parsed_cinder_template: ParsedTemplate) -> GateRules:
    """cinder-specs' historical ``test_titles``: what its CI accepted.

    Exactly the template's top-level titles, its subsections present except
    "Active/Active HA impact", lines under 80 columns unless they contain a URL
    (literal blocks are not exempt), no carriage returns and no trailing
    spaces. None of doc8's extras (tabs, final newline, valid RST).
    """
    known = {node.title for node in parsed_cinder_template.walk()}
    return rules_from_template(
        parsed_cinder_template,
        optional_titles=[title for title in CINDER_TITLE_TEST_PREDATES if title in known],
        allow_extra_top_level=False,
        max_line_length=79,
        exempt_url_lines=True,
        exempt_literal_blocks=False,
        exempt_unbroken_lines=False,
        check_tabs=False,
        check_carriage_returns=True,
        check_trailing_whitespace=True,
        trailing_whitespace_characters=" ",
        check_final_newline=False,
        check_rst_errors=False,
    )


def rules_to_json(rules: GateRules) -> dict[str, Any]:
    """``rules`` as plain JSON data, to send to the render worker or hash for a cache key."""
    data: dict[str, Any] = {}
    for rule_field in fields(GateRules):
        value = getattr(rules, rule_field.name)
        if isinstance(value, Mapping):
            value = {key: list(titles) for key, titles in value.items()}
        elif isinstance(value, tuple):
            value = list(value)
        data[rule_field.name] = value
    return data


def rules_from_json(data: Mapping[str, Any]) -> GateRules:
    """The inverse of :func:`rules_to_json`; unknown keys are refused."""
    known = {rule_field.name for rule_field in fields(GateRules)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"Unknown gate rules: {', '.join(sorted(unknown))}.")
    return GateRules(**dict(data))

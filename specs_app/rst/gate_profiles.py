"""Gate presets: what each OpenStack ``*-specs`` repository really enforces, as data.

A project picks a preset when it is created (and may edit the rules it gets):
``rules_for("nova", template=..., release="2025.1", path=...)`` gives the
:class:`~specs_app.rst.gate_rules.GateRules` that a spec at ``path`` must pass,
or None where the repository checks nothing at that path. Each preset
reproduces the repository's own checks, read from its files (cited per preset
below), including their quirks: a preset that is stricter than the repository
would block specs the repository merges, and a looser one would pass specs its
CI rejects. ``tests/rst/test_gate_profiles_corpus.py`` runs the repositories'
own code on every spec of the corpus and requires the same verdict.

Checks that run the text through ``docutils.core.publish_doctree`` with its
default settings (nova, neutron, ironic) stop with an exception at the first
*severe* message (``halt_level`` 4), which fails the test; lesser messages (an
unknown Sphinx directive or role is an error, level 3) do not, and the
sections are still read. Those presets fail on severe messages only. With
docutils 0.23 hardly any message is severe; docutils 0.21 and older (which
OpenStack's constraints may pin) made "Title level inconsistent" and
"Unexpected section title" severe, so such a spec can pass here and fail
there. doc8 (glance, manila, keystone, ironic) fails on warnings and up,
except the Sphinx-only messages it ignores.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from types import MappingProxyType
from typing import Any

from .dialect import EMBEDDING_DISABLED, FILE_INCLUSION_DISABLED, RAW_DISABLED
from .gate_rules import SEVERE, WARNING, GateRules, cinder_historical_rules, rules_from_template
from .template import ParsedTemplate

__all__ = [
    "DOC8_IGNORED_MESSAGES",
    "GATE_PRESETS",
    "FixedTitles",
    "GateProfile",
    "PathRule",
    "TemplateTitles",
    "rules_for",
]

# What Python's ``\s`` (and so doc8's D002 ``\s$``) matches: every character
# for which str.isspace() is true. A test checks this against str.isspace.
UNICODE_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

# doc8's CheckValidity.SPHINX_IGNORES_REGEX (doc8 2.0.0, doc8/checks.py), matched
# at the start of the message as doc8 matches them; then the messages of this
# dialect's stand-ins, which read no file: where doc8 would include the file, the
# gate cannot know whether it exists, so it does not fail the author for it.
DOC8_IGNORED_MESSAGES: tuple[str, ...] = (
    r"Unknown interpreted text",
    r"Unknown directive type",
    r"Undefined substitution",
    r"Substitution definition contains illegal element",
    r'Error in "code-block" directive:\nunknown option: '
    r'"(?:caption|emphasize-lines|linenos|lineno-start|dedent|force|substitutions)"',
    r'Error in "math" directive:\nunknown option: "(?:label|nowrap)"',
    r'PEP number must be a number from 0 to 9999; "\d{1,4}#[^"]*" is invalid\.',
    re.escape(FILE_INCLUSION_DISABLED),
    re.escape(RAW_DISABLED),
    re.escape(EMBEDDING_DISABLED),
)

# Any release not named in TemplateTitles.optional_by_release.
OTHER_RELEASES = "*"


def _frozen(mapping: Mapping[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType({key: tuple(value) for key, value in mapping.items()})


@dataclass(frozen=True)
class TemplateTitles:
    """The titles of the spec's template (the release's template, for nova) are required."""

    # Titles (top-level or subsections) a spec may leave out, in every release.
    optional: tuple[str, ...] = ()
    # More titles a spec may leave out, by release; OTHER_RELEASES for the rest.
    optional_by_release: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    allow_extra_top_level: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "optional_by_release", _frozen(self.optional_by_release))

    def optional_in(self, release: str | None) -> tuple[str, ...]:
        others = self.optional_by_release.get(OTHER_RELEASES, ())
        return (*self.optional, *self.optional_by_release.get(release or OTHER_RELEASES, others))


@dataclass(frozen=True)
class FixedTitles:
    """Titles written into the repository's test itself, whatever its template says."""

    top_level: tuple[str, ...]
    subsections: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    # Top-level sections whose subsections must be exactly those listed (none if unlisted).
    closed: tuple[str, ...] = ()
    allow_extra_top_level: bool = False
    # The template's other top-level titles are allowed too (ironic's backlog).
    template_titles_allowed: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "subsections", _frozen(self.subsections))


@dataclass(frozen=True)
class PathRule:
    """What the repository checks at the paths ``pattern`` matches.

    ``pattern`` is matched one ``/``-separated part at a time (``*`` never
    crosses a ``/``, as in the repositories' ``glob`` calls); a final ``**``
    matches any number of further parts.
    """

    pattern: str
    titles: TemplateTitles | FixedTitles | None = None
    checked: bool = True  # False: the repository's checks skip these paths
    # GateRules fields that differ here from the profile's base rules.
    overrides: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    # Set GateRules.blueprint_name to the file's name without ".rst" (ironic).
    blueprint_name_from_path: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))

    def matches(self, path: str) -> bool:
        wanted = self.pattern.split("/")
        parts = path.split("/")
        if wanted[-1] == "**":
            wanted = wanted[:-1]
            if len(parts) < len(wanted):
                return False
            parts = parts[: len(wanted)]
        return len(parts) == len(wanted) and all(map(fnmatchcase, parts, wanted))


@dataclass(frozen=True)
class GateProfile:
    """A repository's checks: base rules for lines and markup, titles and exceptions by path."""

    name: str
    repository: str
    # The repository's files this reproduces, and how (shown to whoever picks a preset).
    source: str
    base: GateRules
    paths: tuple[PathRule, ...]  # the first rule matching a path applies; none matching: not checked
    # Where a new spec goes; rules_for uses it when no path is given.
    spec_path_pattern: str = "specs/{release}/{name}.rst"
    # The template the repository's test compares a spec of ``release`` with.
    template_path_pattern: str = "specs/template.rst"
    # Which part of a path names the release ("specs/<release>/...": 1); None: no releases.
    release_part: int | None = 1

    def template_path(self, release: str | None = None) -> str:
        """Where the template that :meth:`rules_for` wants lives in the repository."""
        return self.template_path_pattern.format(release=release or "")

    def rule_for(self, path: str) -> PathRule | None:
        """The path rule that applies at ``path``; None where nothing is checked."""
        for rule in self.paths:
            if rule.matches(path):
                return rule if rule.checked else None
        return None

    def release_of(self, path: str) -> str | None:
        parts = path.split("/")
        if self.release_part is None or len(parts) <= self.release_part + 1:
            return None
        return parts[self.release_part]

    def rules_for(
        self,
        *,
        template: ParsedTemplate | None = None,
        release: str | None = None,
        path: str | None = None,
    ) -> GateRules | None:
        """The rules a spec at ``path`` must pass; None if the repository does not check that path.

        ``template`` is the spec's template (for nova, its release's
        ``specs/<release>-template.rst``); presets that check titles against
        it refuse to work without one. ``release`` defaults to the one the
        path names. Without a path, the rules are those of a new spec.
        """
        blueprint_name = ""
        if path is None:
            path = self.spec_path_pattern.format(release=release or "release", name="spec")
        else:
            blueprint_name = path.rsplit("/", 1)[-1].removesuffix(".rst")
        rule = self.rule_for(path)
        if rule is None:
            return None
        release = release or self.release_of(path)
        fields: dict[str, Any] = dict(rule.overrides)
        if rule.blueprint_name_from_path:
            fields["blueprint_name"] = blueprint_name
        if rule.titles is not None:
            fields.update(self._title_fields(rule.titles, template, release))
        return dataclasses.replace(self.base, **fields)

    def _title_fields(
        self, titles: TemplateTitles | FixedTitles, template: ParsedTemplate | None, release: str | None
    ) -> dict[str, Any]:
        needs_template = isinstance(titles, TemplateTitles) or titles.template_titles_allowed
        if needs_template and template is None:
            raise ValueError(f"The {self.name} preset checks titles against the template; pass one.")
        if isinstance(titles, TemplateTitles):
            assert template is not None
            # rules_from_template refuses names the template lacks; an older release's template may lack one.
            known = {node.title for node in template.walk()}
            optional = [title for title in titles.optional_in(release) if title in known]
            from_template = rules_from_template(template, optional_titles=optional)
            return {
                "top_level_titles": from_template.top_level_titles,
                "optional_top_level_titles": from_template.optional_top_level_titles,
                "required_subsections": from_template.required_subsections,
                "optional_subsections": from_template.optional_subsections,
                "closed_subsections": (),
                "check_top_level_titles": True,
                "allow_extra_top_level": titles.allow_extra_top_level,
            }
        allowed: tuple[str, ...] = ()
        if titles.template_titles_allowed and template is not None:
            allowed = tuple(title for title in template.top_level_titles() if title not in titles.top_level)
        return {
            "top_level_titles": titles.top_level,
            "optional_top_level_titles": allowed,
            "required_subsections": titles.subsections,
            "optional_subsections": {},
            "closed_subsections": titles.closed,
            "check_top_level_titles": True,
            "allow_extra_top_level": titles.allow_extra_top_level,
        }


def rules_for(
    preset: str | GateProfile,
    *,
    template: ParsedTemplate | None = None,
    release: str | None = None,
    path: str | None = None,
) -> GateRules | None:
    """``GATE_PRESETS[preset].rules_for(...)``; see :meth:`GateProfile.rules_for`."""
    profile = GATE_PRESETS[preset] if isinstance(preset, str) else preset
    return profile.rules_for(template=template, release=release, path=path)


# --- the building blocks ---------------------------------------------------------------------------


def doc8_rules(*, line_length: bool) -> GateRules:
    """doc8's default checks (D000 to D005), with D001 (the line limit) or without it.

    D000: the text parses with no message at warning level or above, but for
    the Sphinx-only ones doc8 ignores. D001: lines under 80 columns except the
    ones doc8 exempts (URLs, no inner space, literal blocks, directives).
    D002: no trailing whitespace of any kind. D003: no tab in a line's
    indentation. D004: no carriage return. D005: a newline at the end.
    """
    return GateRules(
        check_line_length=line_length,
        max_line_length=79,
        exempt_url_lines=True,
        exempt_literal_blocks=True,
        literal_block_style="doc8",
        exempt_unbroken_lines=False,
        check_tabs=True,
        tabs_in_indentation_only=True,
        check_carriage_returns=True,
        check_trailing_whitespace=True,
        trailing_whitespace_characters=UNICODE_WHITESPACE,
        check_final_newline=True,
        check_rst_errors=True,
        rst_error_level=WARNING,
        rst_warnings_as_notices=True,
        rst_ignored_messages=DOC8_IGNORED_MESSAGES,
    )


# What a test that only reads titles with publish_doctree also enforces: the
# parse must not halt. Nothing about lines or whitespace.
_TITLES_ONLY = GateRules(
    check_line_length=False,
    exempt_literal_blocks=False,
    check_tabs=False,
    check_carriage_returns=False,
    check_trailing_whitespace=False,
    check_final_newline=False,
    check_rst_errors=True,
    rst_error_level=SEVERE,
)

# The outline neutron's and glance's tests hard-code (neutron-specs and
# glance-specs, tests/test_titles.py, ``_check_titles``): exactly these seven
# top-level sections; "Proposed change" with at least these subsections;
# "Implementation" with exactly two; the others with none.
SEVEN_SECTIONS = FixedTitles(
    top_level=(
        "Problem description",
        "Proposed change",
        "Implementation",
        "Dependencies",
        "Testing",
        "Documentation Impact",
        "References",
    ),
    subsections={
        "Proposed change": (
            "Alternatives",
            "Data model impact",
            "REST API impact",
            "Security impact",
            "Notifications impact",
            "Other end user impact",
            "Performance Impact",
            "Other deployer impact",
            "Developer impact",
        ),
        "Implementation": ("Assignee(s)", "Work Items"),
    },
    closed=(
        "Problem description",
        "Implementation",
        "Dependencies",
        "Testing",
        "Documentation Impact",
        "References",
    ),
)


# --- the presets -----------------------------------------------------------------------------------


class _CinderProfile(GateProfile):
    """cinder's historical rules come from :func:`cinder_historical_rules`, which wants the template."""

    def rules_for(
        self,
        *,
        template: ParsedTemplate | None = None,
        release: str | None = None,
        path: str | None = None,
    ) -> GateRules | None:
        if path is not None and self.rule_for(path) is None:
            return None
        if template is None:
            raise ValueError("The cinder preset checks titles against the template; pass one.")
        return cinder_historical_rules(template)


CINDER = _CinderProfile(
    name="cinder",
    repository="openstack/cinder-specs",
    # The title test of openstack/cinder-specs tests/test_titles.py (the version
    # the corpus README describes), applied to every spec rather than only to
    # the juno and kilo folders its glob listed.
    source=(
        "cinder-specs tests/test_titles.py (historical): exactly the template's top-level titles, "
        'its subsections (except "Active/Active HA impact", added later), lines under 80 columns '
        "unless they hold a URL (literal blocks not exempt), no carriage returns, no trailing spaces."
    ),
    base=GateRules(),
    paths=(PathRule("**"),),
)

# openstack/nova-specs tests/test_titles.py (the corpus copy, at 23297f9): each
# specs/<release>/*/* file against specs/<release>-template.rst; "abandoned" skipped.
NOVA = GateProfile(
    name="nova",
    repository="openstack/nova-specs",
    source=(
        "nova-specs tests/test_titles.py: the release template's top-level titles exactly "
        '("History" optional), its subsections ("Feature Liaison" optional; in queens '
        '"Upgrade impact" instead), extra subsections allowed; lines under 80 columns except '
        'URL lines, lines without inner whitespace and the blank or space-led lines after a "::" '
        "line; no zero-width space; no trailing spaces; a parse without severe errors. Only "
        "specs/<release>/<folder>/<file> is checked, specs/abandoned never."
    ),
    base=GateRules(
        max_line_length=79,
        exempt_url_lines=True,
        exempt_literal_blocks=True,
        literal_block_style="after-double-colon",
        exempt_unbroken_lines=True,
        check_tabs=False,
        # The test reads files in text mode: Python turns every CR into a line
        # break before ``_check_no_cr`` looks, so a CR never fails it.
        check_carriage_returns=False,
        check_trailing_whitespace=True,
        trailing_whitespace_characters=" ",
        check_final_newline=False,
        check_zero_width_space=True,
        check_rst_errors=True,
        rst_error_level=SEVERE,
    ),
    paths=(
        PathRule("specs/abandoned/*/*", checked=False),
        PathRule(
            "specs/*/*/*",
            titles=TemplateTitles(
                optional=("History",),  # OPTIONAL_SECTIONS
                # OPTIONAL_SUBSECTIONS: a defaultdict of ('Feature Liaison',), queens replaced.
                optional_by_release={OTHER_RELEASES: ("Feature Liaison",), "queens": ("Upgrade impact",)},
            ),
        ),
    ),
    spec_path_pattern="specs/{release}/approved/{name}.rst",
    template_path_pattern="specs/{release}-template.rst",
)

# openstack/glance-specs (the corpus copy, at 3984090): tests/test_titles.py means
# to check specs/juno and specs/kilo, but its glob "specs/%s/*/*" % ['juno', 'kilo']
# is "specs/['juno', 'kilo']/*/*", a character class matching one-letter folders
# only, so it checks specs/template.rst alone (the seven-section outline). What
# glance enforces on every spec is its pep8 env's ``doc8 --ignore D001 specs/``.
GLANCE = GateProfile(
    name="glance",
    repository="openstack/glance-specs",
    source=(
        "glance-specs tox.ini, pep8 env: doc8 --ignore D001 specs/ (valid RST, no trailing "
        "whitespace, no tab in indentation, no carriage return, a final newline; no line limit). "
        "tests/test_titles.py checks only specs/template.rst (its glob of releases is a "
        "character class), against a fixed seven-section outline."
    ),
    base=doc8_rules(line_length=False),
    paths=(PathRule("specs/template.rst", titles=SEVEN_SECTIONS), PathRule("**")),
    spec_path_pattern="specs/{release}/approved/glance/{name}.rst",
)

# openstack/manila-specs has no tests/ (tox.ini's testenv echoes "None of tests
# exist. It is placeholder."); its docs env runs ``doc8 --ignore D001`` over the
# repository (tox.ini at 3c669be). The corpus copy has neither file.
MANILA = GateProfile(
    name="manila",
    repository="openstack/manila-specs",
    source=(
        "manila-specs tox.ini, docs env: doc8 --ignore D001 (manila-specs has no title test): "
        "valid RST, no trailing whitespace, no tab in indentation, no carriage return, "
        "a final newline; no line limit and no titles."
    ),
    base=doc8_rules(line_length=False),
    paths=(PathRule("**"),),
)

# openstack/neutron-specs tests/test_titles.py (versions at 397785b and later):
# every specs/*.rst and specs/*/* file (the latest leaves out *.dot and *.diag)
# against the hard-coded seven-section outline; seqdiag, blockdiag, nwdiag,
# actdiag and graphviz are registered as no-op directives. tox runs only stestr
# (and the docs build); no line or whitespace checks.
NEUTRON = GateProfile(
    name="neutron",
    repository="openstack/neutron-specs",
    source=(
        "neutron-specs tests/test_titles.py: exactly the seven sections Problem description, "
        "Proposed change, Implementation, Dependencies, Testing, Documentation Impact, References; "
        "Proposed change with its nine subsections (more allowed), Implementation with exactly "
        "Assignee(s) and Work Items, the others with none; a parse without severe errors. "
        "specs/*.rst and specs/<folder>/<file> only; no line checks."
    ),
    base=_TITLES_ONLY,
    paths=(
        PathRule("specs/*/*.dot", checked=False),
        PathRule("specs/*/*.diag", checked=False),
        PathRule("specs/*.rst", titles=SEVEN_SECTIONS),
        PathRule("specs/*/*", titles=SEVEN_SECTIONS),
    ),
)

# openstack/ironic-specs tests/test_titles.py (version at 02ac28b): specs/approved/*
# against specs/template.rst exactly (extra sections fail, extra subsections are
# allowed), with the licence text above the title and a Launchpad bug link (or,
# the older form, a blueprint link ending in the file's name) before "Problem
# description"; specs/backlog/* needs only "Problem description" and "Proposed
# change" (other template sections allowed) and the link. Its tox.ini (at
# 090e667) also runs pre-commit: doc8 with its defaults (.pre-commit-config.yaml,
# doc8 v1.1.2), trailing-whitespace and remove-tabs, which doc8's D002/D003 cover
# for specs but for tabs after the indentation.
IRONIC_LICENCE = (
    " This work is licensed under a Creative Commons Attribution 3.0 Unported License."
    " http://creativecommons.org/licenses/by/3.0/legalcode"
)
_IRONIC_LINK = {
    "tracker_link_prefixes": ("https://bugs.launchpad.net/",),
    "blueprint_link_prefix": "https://blueprints.launchpad.net/ironic/+spec/",
    "tracker_link_before": "Problem description",
}
IRONIC = GateProfile(
    name="ironic",
    repository="openstack/ironic-specs",
    source=(
        "ironic-specs tests/test_titles.py: approved specs have exactly the template's top-level "
        "titles and its subsections (more allowed), the licence text above the title and a "
        "Launchpad bug link (or a blueprint link ending in the file's name) before \"Problem "
        'description"; backlog specs need "Problem description" and "Proposed change" and the '
        "link. tox also runs pre-commit: doc8 with its defaults (79 columns) and no tabs."
    ),
    base=dataclasses.replace(doc8_rules(line_length=True), tabs_in_indentation_only=False),
    paths=(
        PathRule(
            "specs/backlog/*",
            titles=FixedTitles(
                top_level=("Problem description", "Proposed change"), template_titles_allowed=True
            ),
            overrides=_IRONIC_LINK,
            blueprint_name_from_path=True,
        ),
        PathRule(
            "specs/approved/*",
            titles=TemplateTitles(),
            overrides={**_IRONIC_LINK, "required_header_text": IRONIC_LICENCE},
            blueprint_name_from_path=True,
        ),
        # Releases' and not-implemented/ folders hold links to approved specs:
        # doc8 reads them, the title test does not.
        PathRule("**"),
    ),
    spec_path_pattern="specs/approved/{name}.rst",
    release_part=None,
)

# openstack/keystone-specs: tests/test_titles.py (version at 5bffb7a) guards its
# check with ``if not os.path.exists(os.path.dirname(filename))``, which is never
# true for a file glob found, so it checks nothing; tox.ini runs ``doc8 specs/``
# with doc8's defaults, line limit included.
KEYSTONE = GateProfile(
    name="keystone",
    repository="openstack/keystone-specs",
    source=(
        "keystone-specs tox.ini: doc8 specs/ with its defaults (valid RST, lines under 80 columns "
        "with doc8's exemptions, no trailing whitespace, no tab in indentation, no carriage "
        "return, a final newline). Its tests/test_titles.py skips every file (its guard "
        "is never true), so no titles are checked."
    ),
    base=doc8_rules(line_length=True),
    paths=(PathRule("**"),),
    spec_path_pattern="specs/keystone/{release}/{name}.rst",
    release_part=2,
)

GATE_PRESETS: Mapping[str, GateProfile] = MappingProxyType(
    {profile.name: profile for profile in (CINDER, MANILA, NOVA, GLANCE, NEUTRON, IRONIC, KEYSTONE)}
)

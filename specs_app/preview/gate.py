"""A project's gate rules: its repository's preset, or its own settings, on the spec's template."""

from __future__ import annotations

from functools import lru_cache

from specs_app.models import Project, SpecTemplate
from specs_app.rst.gate_profiles import rules_for
from specs_app.rst.gate_rules import GateRules, rules_from_template
from specs_app.rst.template import ParsedTemplate, TemplateError, parse_template

# Where a repository checks nothing (nova's specs/abandoned/), the gate checks nothing either.
NO_CHECKS = GateRules(
    check_line_length=False,
    exempt_literal_blocks=False,
    check_tabs=False,
    check_carriage_returns=False,
    check_trailing_whitespace=False,
    check_final_newline=False,
    check_rst_errors=False,
)


def gate_rules(
    project: Project, template: SpecTemplate, *, release: str = "", path: str | None = None
) -> GateRules:
    """The checks a spec of ``project`` at ``path`` for ``release``, written on ``template``, must pass.

    With a preset, ``path`` (the spec's repository path) decides what the
    repository checks there, as its own tests do: a path it does not check
    gets :data:`NO_CHECKS`. Without a path, the rules are those of a new spec
    where the preset's repository puts one for ``release``. A project without
    a preset checks every path alike.
    """
    if project.gate_preset:
        return _preset_rules(project.gate_preset, template.source, release or template.release, path)
    optional = tuple(section.title for section in template.sections.all() if not section.required)
    return _rules(
        template.source,
        optional,
        project.allow_extra_sections,
        project.exempt_literal_blocks,
        project.max_line_length,
    )


# Keyed by everything the rules depend on, so an edited template or project is a new key.
@lru_cache(maxsize=64)
def _rules(
    source: str, optional: tuple[str, ...], allow_extra: bool, exempt_literal: bool, max_line_length: int
) -> GateRules:
    return rules_from_template(
        _template_or_empty(source),
        optional_titles=optional,
        allow_extra_top_level=allow_extra,
        exempt_literal_blocks=exempt_literal,
        max_line_length=max_line_length,
    )


@lru_cache(maxsize=256)
def _preset_rules(preset: str, source: str, release: str, path: str | None) -> GateRules:
    rules = rules_for(preset, template=_template_or_empty(source), release=release or None, path=path)
    return rules if rules is not None else NO_CHECKS


@lru_cache(maxsize=64)
def _template_or_empty(source: str) -> ParsedTemplate:
    """The template's outline; none for one without sections (a stand-in holding a path, a spec lite).

    The repositories' tests compare a spec with whatever titles its template
    file holds, so a template without sections requires none (and a preset
    that refuses extra sections then fails every section, as nova's test does).
    """
    try:
        return parse_template(source)
    except TemplateError:
        return ParsedTemplate(example_title="", intro_guidance="", sections=[])

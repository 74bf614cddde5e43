"""A project's gate rules: its repository's preset, or its own settings, on the spec's template."""

from __future__ import annotations

from functools import lru_cache

from specs_app.models import Project, SpecTemplate
from specs_app.rst.gate_profiles import rules_for
from specs_app.rst.gate_rules import GateRules, rules_from_template
from specs_app.rst.template import parse_template


def gate_rules(project: Project, template: SpecTemplate, *, release: str = "") -> GateRules:
    """The checks a spec of ``project`` for ``release``, written on ``template``, must pass."""
    if project.gate_preset:
        return _preset_rules(project.gate_preset, template.source, release or template.release)
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
        parse_template(source),
        optional_titles=optional,
        allow_extra_top_level=allow_extra,
        exempt_literal_blocks=exempt_literal,
        max_line_length=max_line_length,
    )


@lru_cache(maxsize=64)
def _preset_rules(preset: str, source: str, release: str) -> GateRules:
    # A new spec goes where the preset's path pattern puts it, which the repository checks;
    # a path it leaves unchecked (None) checks nothing here either.
    rules = rules_for(preset, template=parse_template(source), release=release or None)
    return rules if rules is not None else GateRules()

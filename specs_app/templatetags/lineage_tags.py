"""Template tags of a spec's lineage: the spec page's panel of its releases."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("specs_app/authoring/lineage_panel.html", takes_context=True)
def lineage_panel(context) -> dict:
    from specs_app.authoring.lineage_views import panel_context

    return panel_context(context["request"], context["spec"])

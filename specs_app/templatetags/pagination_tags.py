"""Links between the pages of a paginated list (``templates/specs_app/includes/pagination.html``)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, param: str, number: int) -> str:
    """This page's address with ``param`` set to ``number``, every other parameter kept.

    Keeping the others is what makes a filtered list, a search, or one of the
    dashboard's lists paged on its own a link that can be shared.
    """
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + query.urlencode()

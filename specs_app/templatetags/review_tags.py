"""Template tags of the review side: the spec page's review panel and the header's unread count."""

from __future__ import annotations

from django import template

from specs_app.review import selectors as review_selectors

register = template.Library()


@register.inclusion_tag("specs_app/review/panel.html", takes_context=True)
def review_panel(context) -> dict:
    from specs_app.review.views import panel_context

    return panel_context(context["request"], context["spec"])


@register.inclusion_tag("specs_app/review/notification_link.html", takes_context=True)
def notification_link(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": review_selectors.unread_notification_count(user)}

"""Template tags of the review side: the spec page's review panel and the header's unread count."""

from __future__ import annotations

from django import template

from specs_app.review import selectors as review_selectors
from specs_app.rst import worddiff

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


@register.inclusion_tag("specs_app/review/word_diff.html")
def word_diff(old: str, new: str) -> dict:
    """Both texts inline, deletions as <del> and insertions as <ins> (suggested edits)."""
    return {"segments": worddiff.word_diff(old or "", new or "")}


@register.inclusion_tag("specs_app/review/attention.html", takes_context=True)
def attention_panel(context) -> dict:
    """Whom the spec waits for, and (for the people taking part) the form to hand the turn on."""
    from specs_app.review import attention
    from specs_app.review import rules as can

    request, spec = context["request"], context["spec"]
    user = request.user
    waiting = attention.waiting_for(spec)
    may_hand = spec.status in attention.WAITING_STATUSES and can.takes_part(user, spec)
    return {
        "request": request,
        "spec": spec,
        "project": spec.project,
        "waiting": waiting,
        "in_set": any(turn.user_id == user.pk for turn in waiting),
        "may_hand": may_hand,
        "candidates": attention.candidates(spec) if may_hand else [],
        "max_note": attention.MAX_HAND_ON_NOTE,
    }

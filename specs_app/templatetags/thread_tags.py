"""``{% thread_list threads slot revision %}``: review threads, their HTML cached (review/thread_html.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from specs_app.review.selectors import Thread
from specs_app.review.thread_html import include_html, thread_list_html

register = template.Library()


@register.simple_tag(takes_context=True)
def thread_list(
    context: template.Context, threads: list[Thread], slot: str, revision: int | None = None
) -> SafeString:
    # The template autoescaped every value; the per-request parts are escaped as they are put back.
    return mark_safe(thread_list_html(context, threads, slot=slot, revision=revision))


@register.simple_tag(takes_context=True)
def cached_include(
    context: template.Context, template_name: str, slot: str, revision: int | None = None, **bindings: Any
) -> SafeString:
    """``{% include template_name with bindings %}``, its HTML cached the same way as the threads'."""
    return mark_safe(include_html(context, template_name, slot=slot, revision=revision, **bindings))

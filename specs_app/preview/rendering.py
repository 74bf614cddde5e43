"""RST to HTML for the browser pages: the one place the pages call the renderer.

``specs_app.rst.render`` does the safe work (sanitised HTML with ``data-line``
attributes, diagnostics, a time limit). This module adds what the pages need on
top: a cache keyed by a hash of the text, since a template's guidance is the
same for every spec written from it and an unchanged spec renders the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.core.cache import cache
from django.utils.html import escape

from specs_app.rst.render import render
from specs_app.rst.results import RenderResult

CACHE_SECONDS = 60 * 60 * 24


def render_rst(text: str) -> RenderResult:
    """``text`` as sanitised HTML, with the renderer's diagnostics; never raises."""
    return render(text)


def _cache_key(kind: str, text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"specs:rendered:{kind}:{digest}"


def rendered_html(text: str, *, kind: str = "rst") -> str:
    """Cached HTML for ``text``; ``kind`` keeps guidance and specs apart in the cache.

    A render that was refused or stopped is not cached, and says why in place
    of the HTML it could not produce.
    """
    if not text.strip():
        return ""
    key = _cache_key(kind, text)
    html = cache.get(key)
    if html is None:
        result = render_rst(text)
        html = result.html
        if result.complete:
            cache.set(key, html, CACHE_SECONDS)
        elif not html:
            html = failure_html(diagnostic.message for diagnostic in result.diagnostics)
    return html


def failure_html(reasons: Iterable[str]) -> str:
    """What a page shows in place of a text the renderer refused or stopped."""
    return f'<p class="render-failed">This text could not be rendered: {escape("; ".join(reasons))}</p>'


def guidance_html(guidance: str) -> str:
    """A template section's guidance as HTML, rendered once per distinct text."""
    return rendered_html(guidance, kind="guidance")

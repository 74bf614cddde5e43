"""RST as the pages and the API see it: the one place they call the renderer, and its cache.

One render of the whole spec gives the HTML, docutils' diagnostics and the
gate's findings (the gate runs on the same doctree, inside the render
sandbox, so hostile text is bounded there too). Texts without a gate (a
template's guidance, a revision under review) take the same path without
rules. Results are cached by a hash of the text and of the rules, so an
unchanged spec, or guidance shared by every spec of a template, costs nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.utils.html import escape

from specs_app.authoring.selectors import template_for_release
from specs_app.models import Project, Spec, SpecTemplate
from specs_app.preview.gate import gate_rules
from specs_app.rst import document as rst_document
from specs_app.rst.gate_rules import GateRules, rules_to_json
from specs_app.rst.render import render

CACHE_SECONDS = 60 * 60


def _cache_key(text: str, rules: GateRules | None) -> str:
    digest = hashlib.sha256()
    digest.update(text.encode("utf-8", "surrogatepass"))
    digest.update(b"\0")
    digest.update(b"null" if rules is None else json.dumps(rules_to_json(rules), sort_keys=True).encode())
    return f"specs:preview:{digest.hexdigest()}"


class _SectionLocator:
    """Maps lines to sections; finds the headings only if some line needs it."""

    def __init__(self, text: str):
        self._text = text
        self._sections: list[tuple[int, str]] | None = None

    def __call__(self, line: int | None) -> dict[str, Any]:
        if line is None:
            return {"section": None, "line_in_section": None}
        if self._sections is None:
            # The sections rst_document.split gives, where they start: its first heading is the
            # spec's title, every later one a section's. Only the headings are needed (half the work).
            headings = rst_document.find_headings(self._text)[1:]
            self._sections = [(heading.first_line, heading.title) for heading in headings]
        located: dict[str, Any] = {"section": None, "line_in_section": line}
        for first_line, title in self._sections:
            if first_line > line:
                break
            located = {"section": title, "line_in_section": line - first_line + 1}
        return located


def preview_text(*, text: str, rules: GateRules | None = None) -> dict[str, Any]:
    """HTML, diagnostics and (with ``rules``) gate verdict for ``text``, JSON-ready; never raises.

    Cached when complete. A render that was refused or stopped is not: it may
    have been stopped by a busy machine, and the next request tries again.
    """
    key = _cache_key(text, rules)
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = render(text, rules=rules)
    locate = _SectionLocator(text)
    payload = {
        "html": result.html,
        "complete": result.complete,
        "diagnostics": [
            {
                "level": diagnostic.level,
                "severity": diagnostic.severity,
                "line": diagnostic.line,
                "message": diagnostic.message,
                **locate(diagnostic.line),
            }
            for diagnostic in result.diagnostics
        ],
        "gate": None
        if result.findings is None
        else {
            "passed": not any(finding.severity == "error" for finding in result.findings),
            "findings": [
                {
                    "rule": finding.rule,
                    "line": finding.line,
                    "message": finding.message,
                    "severity": finding.severity,
                    **locate(finding.line),
                }
                for finding in result.findings
            ],
        },
    }
    if result.complete:
        cache.set(key, payload, CACHE_SECONDS)
    return payload


def failure_html(reasons: Iterable[str], *, partly: bool = False) -> str:
    """Why a text was refused, stopped or rendered only in part, for a page."""
    what = "could not be rendered in full" if partly else "could not be rendered"
    return f'<p class="render-failed">This text {what}: {escape("; ".join(reasons))}</p>'


def page_html(payload: dict[str, Any]) -> str:
    """The HTML a page shows for a preview: the render's, led by why it is incomplete if it is.

    After a crash the renderer still returns something (the source as written), so the
    reason has to be shown beside it, not only when there is no HTML at all.
    """
    if payload["complete"]:
        return payload["html"]
    failures = [diagnostic for diagnostic in payload["diagnostics"] if diagnostic["level"] >= 3]
    reasons = [
        f"line {diagnostic['line']}: {diagnostic['message']}" if diagnostic["line"] else diagnostic["message"]
        for diagnostic in failures or payload["diagnostics"]
    ]
    return failure_html(reasons, partly=bool(payload["html"])) + payload["html"]


def rendered_html(text: str) -> str:
    """``text`` as HTML for a page (no gate); empty for a blank text."""
    return page_html(preview_text(text=text)) if text.strip() else ""


def guidance_html(guidance: str) -> str:
    """A template section's guidance as HTML, rendered once per distinct text."""
    return rendered_html(guidance)


def project_rules(project: Project, release: str = "") -> GateRules:
    """The gate of ``project`` for specs of ``release`` (its default template otherwise)."""
    template = template_for_release(project, release)
    return gate_rules(project, template, release=release) if template is not None else GateRules()


def preview_for_project(*, text: str, project: Project, release: str = "") -> dict[str, Any]:
    return preview_text(text=text, rules=project_rules(project, release))


def spec_rules(spec: Spec) -> GateRules:
    """The gate of ``spec``: on its template, what its repository checks at the spec's path."""
    template: SpecTemplate = spec.template
    return gate_rules(spec.project, template, release=spec.release, path=spec.path)


def spec_preview(spec: Spec) -> dict[str, Any]:
    """The spec's rendered page and gate verdict, on the template it follows."""
    return preview_text(text=spec.text(), rules=spec_rules(spec))


def preview_for_spec(*, text: str, spec: Spec) -> dict[str, Any]:
    """``text`` (an unsaved edit of ``spec``, or a revision of it), rendered and checked by its gate."""
    return preview_text(text=text, rules=spec_rules(spec))


def spec_gate(spec: Spec) -> dict[str, Any]:
    """Whether the spec passes its project's gate, with every finding."""
    # One render: a failed one is not cached, so asking again would render (and fail) again.
    checked = spec_preview(spec)
    gate = checked["gate"]
    if gate is None:  # the text could not be parsed at all: say so as a failing finding
        messages = "; ".join(d["message"] for d in checked["diagnostics"]) or "unknown reason"
        return {
            "passed": False,
            "findings": [
                {
                    "rule": "rst.unparsable",
                    "line": None,
                    "message": f"The spec could not be checked: {messages}",
                    "severity": "error",
                    "section": None,
                    "line_in_section": None,
                }
            ],
        }
    return gate

"""Render a spec's RST as sanitised HTML5 with source lines and diagnostics, safely.

The text is parsed once (:mod:`specs_app.rst.parse`, which keeps every
docutils message and its line), the gate checks that doctree when asked to,
and the HTML is written from that same doctree, then sanitised.

:func:`render` is the safe default: it runs in a worker process that is
killed when a render takes longer than ``time_limit``. :func:`render_in_process`
does the same work in the calling process, for text you trust not to hang it
(benchmarks, the worker itself). :func:`parse` (from
:mod:`specs_app.rst.parse`) is the doctree without HTML, for checks that look
at the document's structure.

Failures. A text that is too large or has too long a line is refused before
parsing (empty HTML, a diagnostic saying why); a render that overruns its
time limit is stopped (the same). Anything else that goes wrong in the
renderer, however it goes wrong, comes back as a diagnostic at the line being
processed and the text shown as written, never as an empty preview.

Source lines. Every block element of the HTML has ``data-line``: the 1-based
line of the text, counted as an editor counts them (only LF ends a line),
where the element's source starts. A paragraph, list item, term or table
cell starts on its first line; a heading on its first line (its overline,
if any), as :mod:`specs_app.rst.document` numbers sections; a directive's
block (a note, a code block, a list table) on its ``.. directive::`` line;
a ``::`` literal block on its first line of content; an element without a
line of its own on its first descendant's line, or else its parent's.

docutils 0.23 already gives a paragraph the line it starts on (checked on
the 14,000-odd paragraphs of the corpus, and at the end of a text, in lists,
quotes and tables), so ``node.line`` is used as it is except where it is not
the start: headings (docutils records the underline; moved in
:func:`~specs_app.rst.transforms.correct_heading_lines`), directives (some
record their content's line or the line after it; every directive is
wrapped to record its own, in :mod:`~specs_app.rst.dialect`), admonitions
(the HTML writer's transform drops the line; kept in
:class:`~specs_app.rst.transforms.LinedAdmonitions`), and texts with CR,
NEL, U+2028 and other characters that end a line for docutils but not for
an editor (replaced by spaces before parsing, so later lines do not shift).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from docutils import nodes

from .checks import check_gate
from .gate_rules import GateRules
from .html import sanitise, write_body
from .parse import ParseRecorder, failure_line, normalise, parse, refusal, too_deep
from .results import Diagnostic, Finding, Parsed, RenderResult
from .sandbox import default_sandbox

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "Diagnostic",
    "Parsed",
    "RenderRecorder",
    "RenderResult",
    "parse",
    "render",
    "render_in_process",
]

logger = logging.getLogger(__name__)

# The largest real spec renders in under a second, and so does a text of the
# largest size allowed made of real specs; some legitimate-looking texts of
# that size (thousands of auto-numbered footnotes) take docutils ten seconds.
DEFAULT_TIME_LIMIT = 3.0


def _title_of(document: nodes.document) -> str:
    for child in document.children:
        if isinstance(child, nodes.title):
            return child.astext()
    return ""


def _gate_findings(
    text: str, rules: GateRules, parsed: Parsed, failures: list[Diagnostic]
) -> list[Finding] | None:
    """The gate on the render's own parse; a failure of the gate is a diagnostic, not the render's end."""
    try:
        return check_gate(text, rules, parsed=parsed).findings
    except Exception as error:
        logger.exception("the gate failed on a text")
        failures.append(
            Diagnostic.at(
                4,
                f"The gate could not check the text: {type(error).__name__}: {error}",
                failure_line(error, None, text),
            )
        )
        return None


class RenderRecorder(ParseRecorder, Protocol):
    """Watches one :func:`render_in_process`: its parse, and the writing of its body HTML."""

    def write_body(self, document: nodes.document) -> str: ...


def _write(
    document: nodes.document, text: str, write: Callable[[nodes.document], str] | None = None
) -> str | Diagnostic:
    """The doctree as sanitised HTML (body written by ``write``), or the diagnostic saying where it failed."""
    try:
        return sanitise((write or write_body)(document))
    except RecursionError as error:
        return too_deep(failure_line(error, None, text))
    except MemoryError as error:
        return Diagnostic.at(4, "The text needs too much memory to render.", failure_line(error, None, text))
    except Exception as error:
        logger.exception("docutils failed to render a text")
        return Diagnostic.at(
            4,
            f"The text could not be rendered: {type(error).__name__}: {error}",
            failure_line(error, None, text),
        )


def render_in_process(
    text: str, *, rules: GateRules | None = None, recorder: RenderRecorder | None = None
) -> RenderResult:
    """Render ``text`` in this process, without a time limit.

    For text you trust, benchmarks, and the worker behind :func:`render`.
    With ``rules``, the gate checks the same doctree before the HTML is
    written, and the original text (the gate reports the carriage returns
    that parsing replaces). Never raises: a failure anywhere becomes a
    diagnostic at the line being processed, with the text shown as written.
    """
    refused = refusal(normalise(text))
    if refused is not None:
        return RenderResult.failed(refused)
    parsed = parse(text, recorder=recorder)
    failures: list[Diagnostic] = []
    findings = None if rules is None else _gate_findings(text, rules, parsed, failures)
    if not parsed.complete:
        return RenderResult.crashed(text, [*parsed.diagnostics, *failures], findings=findings)
    document = parsed.doctree
    html = _write(document, text, None if recorder is None else recorder.write_body)
    # The writer reports (a link removed, say) through the parse's reporter,
    # into parsed.diagnostics; read them only now.
    diagnostics = [*parsed.diagnostics, *failures]
    title = _title_of(document)
    if isinstance(html, Diagnostic):
        return RenderResult.crashed(text, [*diagnostics, html], title=title, findings=findings)
    return RenderResult(
        html=html, diagnostics=diagnostics, title=title, findings=findings, complete=not failures
    )


def render(
    text: str, *, time_limit: float = DEFAULT_TIME_LIMIT, rules: GateRules | None = None
) -> RenderResult:
    """Render ``text`` safely: in a worker process, stopped after ``time_limit`` seconds.

    Never raises for any text (a ValueError for a non-positive limit is a
    programming error). A stopped render returns empty HTML, ``complete=False``
    and a diagnostic "Rendering took longer than N seconds and was stopped".
    """
    if time_limit <= 0:
        raise ValueError(f"time_limit must be positive, not {time_limit!r}")
    refused = refusal(normalise(text))
    if refused is not None:
        return RenderResult.failed(refused)
    return default_sandbox().render(text, time_limit=time_limit, rules=rules)

"""Render a spec's RST as sanitised HTML5 with source lines and diagnostics, safely.

The text is parsed once, with an observer on the document's reporter that
keeps every message and its line (``report_level=5``, so nothing is printed
and no message ends up in the HTML); the transforms run, and the HTML is
written from that same doctree, then sanitised.

:func:`render` is the safe default: it runs in a worker process that is
killed when a render takes longer than ``time_limit``. :func:`render_in_process`
does the same work in the calling process, for text you trust not to hang it
(benchmarks, the worker itself). :func:`parse` is the doctree without HTML,
for checks that look at the document's structure.

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

import copy
import functools
import logging
import re

from docutils import frontend, nodes
from docutils.parsers.rst import Parser
from docutils.utils import DependencyList, new_document

from .checks import check_gate
from .dialect import spec_dialect
from .gate_rules import GateRules
from .html import sanitise, write_body
from .results import Diagnostic, Parsed, RenderResult
from .safety import MAX_SPEC_CHARACTERS, SAFE_SETTINGS
from .sandbox import default_sandbox
from .transforms import SpecReader, SpecWriter, correct_heading_lines

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "Diagnostic",
    "Parsed",
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
# docutils refuses a whole document with a longer line; say which line first.
MAX_LINE_CHARACTERS = 10_000

_RENDER_SETTINGS: dict[str, object] = {
    # Prefix every id, so a spec's "Comments" section cannot clash with, or
    # clobber, an element of the page the preview is shown in.
    "id_prefix": "rst-",
    # A field list under the title stays in the body instead of vanishing
    # into docinfo, which the body HTML leaves out.
    "docinfo_xform": False,
    # LaTeX source as text: no MathML for the sanitiser, no external tools.
    "math_output": "LaTeX",
    "line_length_limit": MAX_LINE_CHARACTERS,
}

# Characters that end a line for docutils but not for an editor (or for
# document.py): each becomes a space, so line numbers agree.
_EXTRA_LINE_BREAK_CHARACTERS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_EXTRA_LINE_BREAKS = re.compile(f"[{_EXTRA_LINE_BREAK_CHARACTERS}]")
_SURROGATES = re.compile("[\ud800-\udfff]")


@functools.cache
def _base_settings() -> frontend.Values:
    settings = frontend.get_default_settings(Parser, SpecReader, SpecWriter)
    for name, value in {**SAFE_SETTINGS, **_RENDER_SETTINGS}.items():
        setattr(settings, name, value)
    return settings


def _new_settings() -> frontend.Values:
    """A private copy of the settings: docutils writes to them while it works."""
    settings = copy.copy(_base_settings())
    settings.record_dependencies = DependencyList()
    return settings


def normalise(text: str) -> str:
    """``text`` as docutils should see it: lines as an editor counts them, valid Unicode.

    Written for speed: a typical spec is ASCII without a CR, and then only a
    few substring scans run.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if any(character in text for character in _EXTRA_LINE_BREAK_CHARACTERS):
        text = _EXTRA_LINE_BREAKS.sub(" ", text)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = _SURROGATES.sub("\ufffd", text)
    return text


def refusal(text: str) -> Diagnostic | None:
    """Why ``text`` is not rendered at all, if it is not: checked before any parsing."""
    if len(text) > MAX_SPEC_CHARACTERS:
        return Diagnostic.at(
            4,
            f"The text is {len(text):,} characters long; specs longer than "
            f"{MAX_SPEC_CHARACTERS:,} characters are not rendered.",
        )
    if len(text) <= MAX_LINE_CHARACTERS:
        return None
    lines = text.split("\n")
    if max(map(len, lines)) <= MAX_LINE_CHARACTERS:
        return None
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARACTERS:
            return Diagnostic.at(
                3,
                f"Line {number} is {len(line):,} characters long; a text with a line longer than "
                f"{MAX_LINE_CHARACTERS:,} characters is not rendered.",
                number,
            )
    return None


def _too_deep(level: int = 4) -> Diagnostic:
    return Diagnostic.at(
        level, "The text is nested too deeply to render (lists or quotes inside each other)."
    )


def _parse_document(text: str, diagnostics: list[Diagnostic]) -> nodes.document:
    """Parse and transform ``text``; every reporter message lands in ``diagnostics``."""
    document = new_document("<spec>", _new_settings())
    document.reporter.attach_observer(
        lambda message: diagnostics.append(Diagnostic.from_system_message(message))
    )
    parser = Parser()
    with spec_dialect():
        parser.parse(text, document)
    document.transformer.populate_from_components((SpecReader(), parser, SpecWriter()))
    document.transformer.apply_transforms()
    correct_heading_lines(document, text.split("\n"))
    return document


def parse(text: str) -> Parsed:
    """Parse ``text`` once into a transformed doctree, with every diagnostic and its line.

    Never raises for any text: a refused, too deep or failing text gives an
    empty doctree, ``complete=False`` and a diagnostic saying why. The
    doctree's section and title ``line`` is the heading's first line.
    """
    text = normalise(text)
    diagnostics: list[Diagnostic] = []
    refused = refusal(text)
    if refused is not None:
        return Parsed(new_document("<spec>", _new_settings()), [refused], complete=False)
    try:
        document = _parse_document(text, diagnostics)
    except RecursionError:
        return Parsed(new_document("<spec>", _new_settings()), [*diagnostics, _too_deep()], complete=False)
    except Exception as error:  # a docutils bug must not take the caller down
        logger.exception("docutils failed to parse a text")
        failure = Diagnostic.at(4, f"The text could not be parsed: {type(error).__name__}: {error}")
        return Parsed(new_document("<spec>", _new_settings()), [*diagnostics, failure], complete=False)
    return Parsed(document, list(diagnostics))


def _title_of(document: nodes.document) -> str:
    for child in document.children:
        if isinstance(child, nodes.title):
            return child.astext()
    return ""


def render_in_process(text: str, *, rules: GateRules | None = None) -> RenderResult:
    """Render ``text`` in this process, without a time limit.

    For text you trust, benchmarks, and the worker behind :func:`render`.
    With ``rules``, the gate checks the same doctree before the HTML is
    written, and the original text (the gate reports the carriage returns
    that parsing replaces). Never raises; memory and recursion exhaustion
    become diagnostics.
    """
    original = text
    text = normalise(text)
    refused = refusal(text)
    if refused is not None:
        return RenderResult.failed(refused)
    diagnostics: list[Diagnostic] = []
    try:
        document = _parse_document(text, diagnostics)
        findings = None
        if rules is not None:
            findings = check_gate(original, rules, doctree=document, diagnostics=diagnostics).findings
        html = sanitise(write_body(document))
        return RenderResult(html=html, diagnostics=diagnostics, title=_title_of(document), findings=findings)
    except RecursionError:
        return RenderResult(html="", diagnostics=[*diagnostics, _too_deep()], complete=False)
    except MemoryError:
        return RenderResult.failed(Diagnostic.at(4, "The text needs too much memory to render."))
    except Exception as error:
        logger.exception("docutils failed to render a text")
        failure = Diagnostic.at(4, f"The text could not be rendered: {type(error).__name__}: {error}")
        return RenderResult(html="", diagnostics=[*diagnostics, failure], complete=False)


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

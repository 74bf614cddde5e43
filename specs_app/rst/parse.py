"""The one place that parses a spec's RST into a doctree: safe settings, the dialect, line numbers.

The text is parsed once, with an observer on the document's reporter that
keeps every message and its line (``report_level=5``, so nothing is printed
and no message ends up in the doctree); then the transforms run. The preview
writes its HTML from this doctree and the gate checks it, so both see the same
document and the same line numbers.

Line numbers are the editor's: only LF ends a line. docutils also ends a line
at the other characters :meth:`str.splitlines` breaks on (CR, NEL, U+2028 ...);
:data:`DOCUTILS_ONLY_LINE_BREAKS` is the one list of them, and each becomes a
space before parsing, so later lines do not shift.
"""

from __future__ import annotations

import copy
import functools
import logging
import re
import traceback
from types import FrameType
from typing import Protocol

from docutils import frontend, nodes
from docutils.parsers.rst import Directive, Parser
from docutils.parsers.rst.states import Inliner
from docutils.utils import DependencyList, new_document

from .dialect import spec_dialect
from .results import Diagnostic, Parsed
from .safety import MAX_SPEC_CHARACTERS, SAFE_SETTINGS
from .transforms import SpecReader, SpecWriter, correct_heading_lines

__all__ = [
    "DOCUTILS_ONLY_LINE_BREAKS",
    "MAX_LINE_CHARACTERS",
    "ParseRecorder",
    "failure_line",
    "new_settings",
    "normalise",
    "parse",
    "refusal",
    "too_deep",
]

logger = logging.getLogger(__name__)

# docutils refuses a whole document with a longer line; say which line first.
MAX_LINE_CHARACTERS = 10_000

# Every character other than LF that ends a line for str.splitlines, which is
# how docutils splits its input; an editor, git and document.py end lines at
# LF only. A test checks this against str.splitlines itself.
DOCUTILS_ONLY_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_DOCUTILS_ONLY_LINE_BREAK = re.compile(f"[{DOCUTILS_ONLY_LINE_BREAKS}]")
_SURROGATES = re.compile("[\ud800-\udfff]")

_PARSE_SETTINGS: dict[str, object] = {
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


@functools.cache
def _base_settings() -> frontend.Values:
    settings = frontend.get_default_settings(Parser, SpecReader, SpecWriter)
    for name, value in {**SAFE_SETTINGS, **_PARSE_SETTINGS}.items():
        setattr(settings, name, value)
    return settings


def new_settings() -> frontend.Values:
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
    if any(character in text for character in DOCUTILS_ONLY_LINE_BREAKS):
        text = _DOCUTILS_ONLY_LINE_BREAK.sub(" ", text)
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


def too_deep(line: int | None = None) -> Diagnostic:
    return Diagnostic.at(
        4, "The text is nested too deeply to render (lists or quotes inside each other).", line
    )


def new_empty_document() -> nodes.document:
    return new_document("<spec>", new_settings())


class ParseRecorder(Protocol):
    """Watches one :func:`parse`: gives its document and parser, and sees the doctree before the transforms.

    The incremental preview (:mod:`specs_app.rst.incremental`) records with
    it where a text can be cut; a recorder must not change what is parsed.
    """

    def new_document(self) -> nodes.document: ...

    def new_parser(self) -> Parser: ...

    def read(self, document: nodes.document) -> None: ...


def _read(
    text: str, document: nodes.document, diagnostics: list[Diagnostic], parser: Parser | None = None
) -> Parser:
    """Parse normalised ``text`` into ``document``; every message lands in ``diagnostics``."""
    document.reporter.attach_observer(
        lambda message: diagnostics.append(Diagnostic.from_system_message(message))
    )
    parser = parser or Parser()
    with spec_dialect():
        parser.parse(text, document)
    return parser


def _transform(text: str, document: nodes.document, parser: Parser) -> None:
    document.transformer.populate_from_components((SpecReader(), parser, SpecWriter()))
    document.transformer.apply_transforms()
    correct_heading_lines(document, text.split("\n"))


def parse(text: str, *, recorder: ParseRecorder | None = None) -> Parsed:
    """Parse ``text`` once into a transformed doctree, with every diagnostic and its line.

    Never raises for any text: a refused, too deep or failing text gives an
    empty doctree, ``complete=False`` and a diagnostic saying why (and, when
    the parser failed, at which line). The doctree's section and title
    ``line`` is the heading's first line. Messages reported on the doctree
    later (the HTML writer reports the links it removes) are added to
    ``diagnostics`` too.
    """
    text = normalise(text)
    refused = refusal(text)
    if refused is not None:
        return Parsed(new_empty_document(), [refused], complete=False)
    diagnostics: list[Diagnostic] = []
    document = new_empty_document() if recorder is None else recorder.new_document()
    reading: nodes.document | None = document  # while set, its current_line is where the parser is
    try:
        parser = _read(text, document, diagnostics, None if recorder is None else recorder.new_parser())
        reading = None
        if recorder is not None:
            recorder.read(document)
        _transform(text, document, parser)
    except RecursionError as error:
        line = failure_line(error, reading, text)
        return Parsed(new_empty_document(), [*diagnostics, too_deep(line)], complete=False)
    except MemoryError as error:
        line = failure_line(error, reading, text)
        failure = Diagnostic.at(4, "The text needs too much memory to render.", line)
        return Parsed(new_empty_document(), [*diagnostics, failure], complete=False)
    except Exception as error:  # a docutils bug must not take the caller down
        logger.exception("docutils failed to parse a text")
        failure = Diagnostic.at(
            4,
            f"The text could not be parsed: {type(error).__name__}: {error}",
            failure_line(error, reading, text),
        )
        return Parsed(new_empty_document(), [*diagnostics, failure], complete=False)
    return Parsed(document, diagnostics)


# --- where a failure happened --------------------------------------------------------------------


def failure_line(error: BaseException, document: nodes.document | None, text: str) -> int | None:
    """The 1-based line the parser or writer was working on when ``error`` was raised.

    A traceback is the only record of where docutils was, so it is read from
    the innermost frame out: a directive knows its line, a node being
    visited or transformed has one (or its parent has), the inliner running
    a role has ``lineno``. Failing those, the ``document``'s ``current_line``
    is the line the parser last read: pass the document only for a failure
    while parsing, since after it that line is merely the last one.
    """
    line_count = max(text.count("\n") + (0 if text.endswith("\n") else 1), 1)
    frames = [frame for frame, _ in traceback.walk_tb(error.__traceback__)]
    for frame in reversed(frames):
        line = _line_in(frame)
        if line is not None:
            return min(line, line_count)
    current = document.current_line if document is not None else None
    return min(current, line_count) if isinstance(current, int) and current > 0 else None


def _line_in(frame: FrameType) -> int | None:
    local = frame.f_locals
    owner = local.get("self")
    if isinstance(owner, Directive) and isinstance(owner.lineno, int):
        return owner.lineno
    for candidate in (owner, local.get("node")):
        if isinstance(candidate, nodes.Node):
            line = _node_line(candidate)
            if line is not None:
                return line
    lineno = local.get("lineno")
    if isinstance(owner, Inliner) and isinstance(lineno, int) and lineno > 0:
        return lineno
    return None


def _node_line(node: nodes.Node) -> int | None:
    current: nodes.Node | None = node
    while current is not None and not isinstance(current, nodes.document):
        if isinstance(current.line, int) and current.line > 0:
            return current.line
        current = current.parent
    return None

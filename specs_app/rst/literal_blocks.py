"""Which lines of a spec are literal blocks, found from the text alone.

Some repositories exempt literal blocks (the indented lines after a ``::`` and
the contents of code directives) from the line limit; this finds them the way
docutils would, without parsing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .gate_rules import LITERAL_DIRECTIVES

_LIST_MARKER = re.compile(r"(?:[-*+\u2022\u2023\u2043]|\(?(?:\d+|#|[A-Za-z]|[ivxlcdmIVXLCDM]+)[.)])\s+")
# docutils' quoting characters: 7-bit printable ASCII that is not alphanumeric.
_QUOTING_CHARACTERS = frozenset(chr(code) for code in range(33, 127) if not chr(code).isalnum())
_DIRECTIVE = re.compile(r"\.\.\s+([A-Za-z0-9][\w.:+-]*?)\s*::(?:\s|\Z)")


def literal_block_lines(
    lines: Sequence[str], literal_directives: Iterable[str] = LITERAL_DIRECTIVES
) -> set[int]:
    """0-based indexes of the lines inside literal blocks.

    A literal block is the indented block after a line ending in ``::`` (past
    at least one blank line; or, unindented, lines that all start with the
    same punctuation character: a quoted literal block), or the indented
    contents of a ``code``-like directive. Found line by line, as doc8 does:
    the doctree gives a literal block's line only approximately, and a code
    block whose directive docutils rejects is no literal block in it at all.
    The result is the same with or without a doctree, and costs only a scan.
    """
    directives = frozenset(literal_directives)
    inside: set[int] = set()
    index = 0
    while index < len(lines):
        opener = _literal_opener(lines[index], directives)
        if opener is None:
            index += 1
            continue
        indent, needs_blank_line = opener
        following = index + 1
        if needs_blank_line and following < len(lines) and lines[following].strip():
            index += 1
            continue
        quoted = _quoted_block_start(lines, following, indent) if needs_blank_line else None
        if quoted is not None:
            index = _collect_quoted(lines, quoted, inside)
        else:
            index = _collect_indented(lines, following, indent, inside)
    return inside


def _literal_opener(line: str, directives: frozenset[str]) -> tuple[int, bool] | None:
    """(indentation the block must exceed, whether a blank line must follow)."""
    stripped = line.rstrip()
    text = stripped.lstrip()
    if text.startswith(".."):
        directive = _DIRECTIVE.match(text)
        if directive and directive.group(1).lower() in directives:
            return _indent(stripped), False
        return None  # another directive, a comment or a target: not literal
    if stripped.endswith("::"):
        return _text_indent(stripped), True
    return None


def _collect_indented(lines: Sequence[str], start: int, indent: int, inside: set[int]) -> int:
    """Add the lines indented deeper than ``indent`` from ``start``; return where they end."""
    index = start
    while index < len(lines):
        line = lines[index]
        if line.strip():
            if _indent(line) <= indent:
                break
            inside.add(index)
        index += 1
    return index


def _quoted_block_start(lines: Sequence[str], start: int, indent: int) -> int | None:
    """Where a quoted literal block starts after ``start``, if the next text is one."""
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines) or _indent(lines[index]) != indent:
        return None
    return index if lines[index].lstrip()[0] in _QUOTING_CHARACTERS else None


def _collect_quoted(lines: Sequence[str], start: int, inside: set[int]) -> int:
    """Add the lines from ``start`` that begin (after the indent) with its first character."""
    indent = _indent(lines[start])
    quote = lines[start].lstrip()[0]
    index = start
    while index < len(lines) and lines[index].strip():
        if _indent(lines[index]) != indent or lines[index].lstrip()[0] != quote:
            break
        inside.add(index)
        index += 1
    return index


def _indent(line: str) -> int:
    expanded = line.expandtabs(8)
    return len(expanded) - len(expanded.lstrip())


def _text_indent(line: str) -> int:
    """Where a paragraph's text starts, after a bullet or enumerator if any."""
    indent = _indent(line)
    marker = _LIST_MARKER.match(line.expandtabs(8), indent)
    return marker.end() if marker else indent

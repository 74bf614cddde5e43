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


def lines_after_double_colon(lines: Sequence[str]) -> set[int]:
    """0-based indexes of the lines nova's test exempts from its line limit as code.

    nova's ``_check_lines_wrapping``: after any line that contains ``::``
    (anywhere: ``.. note::`` and ``Example::`` alike), every following line
    that is empty or starts with a space, up to the first line that is
    neither. The ``::`` line itself is not exempt.
    """
    inside: set[int] = set()
    open_block = False
    for index, line in enumerate(lines):
        if open_block:
            if not line or line.startswith(" "):
                inside.add(index)
                continue
            open_block = False
        if "::" in line:
            open_block = True
    return inside


# doc8's own patterns (doc8.checks.CheckMaxLineLength), kept as doc8 writes
# them: ``..`` is any two characters there, so "is an example::" opens a region too.
_DOC8_DIRECTIVE = re.compile(r"^\s*..\s(.*?)::\s*")
_DOC8_BARE_LITERAL = re.compile(r"^::\s*$")
_DOC8_LIST_ITEM = re.compile(r"^\s*(\* |- |#\. |\d+\. )")
_DOC8_LEADING_WHITESPACE = re.compile(r"^\s*")
_TARGET = re.compile(r"\s*(?:\.\.\s+_|__\s)")


def doc8_exempt_lines(
    lines: Sequence[str], literal_directives: Iterable[str] = LITERAL_DIRECTIVES
) -> set[int]:
    """0-based indexes of the lines doc8's D001 does not hold to the line limit (URLs aside).

    From the text, as doc8 finds them: a directive's line (by doc8's loose
    pattern) or a bare ``::`` line and the blank or indented lines after it;
    a definition term (a line, not a list item, followed by a deeper
    indented one); a line with no space after its indentation. doc8 also
    exempts the lines of the doctree's literal blocks and link targets, by
    the node that most narrowly contains each line: the text inside a literal
    block claims the block's first line alone, so that line is held to the
    limit unless the block has only one line.
    """
    exempt: set[int] = set()
    for start, end in _literal_block_spans(lines, frozenset(literal_directives)):
        exempt.update(range(start + 1, end + 1) if end > start else (start,))
    for index, line in enumerate(lines):
        if " " not in line.lstrip():
            exempt.add(index)
        if _TARGET.match(line):
            exempt.add(index)
        if _DOC8_DIRECTIVE.match(line) or _DOC8_BARE_LITERAL.match(line):
            exempt.add(index)
            following = index + 1
            while following < len(lines) and (not lines[following].strip() or lines[following][:1].isspace()):
                exempt.add(following)
                following += 1
    for index in range(len(lines) - 1):
        line, next_line = lines[index], lines[index + 1]
        if not line.strip() or _DOC8_LIST_ITEM.match(line):
            continue
        if _leading_whitespace(line) < _leading_whitespace(next_line):
            exempt.add(index)
    return exempt


def _leading_whitespace(line: str) -> int:
    match = _DOC8_LEADING_WHITESPACE.match(line)
    return len(match.group()) if match else 0


def _literal_block_spans(lines: Sequence[str], directives: frozenset[str]) -> list[tuple[int, int]]:
    """(first, last) 0-based line of each literal block opened by ``::`` (not by a directive)."""
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(lines):
        opener = _literal_opener(lines[index], directives)
        if opener is None or not opener[1]:
            index += 1
            continue
        indent = opener[0]
        following = index + 1
        if following < len(lines) and lines[following].strip():
            index += 1
            continue
        block: set[int] = set()
        quoted = _quoted_block_start(lines, following, indent)
        if quoted is not None:
            index = _collect_quoted(lines, quoted, block)
        else:
            index = _collect_indented(lines, following, indent, block)
        if block:
            spans.append((min(block), max(block)))
    return spans

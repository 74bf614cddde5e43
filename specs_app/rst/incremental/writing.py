"""The body HTML element by element: written, kept, moved and sanitised per element a section holds.

:class:`PiecewiseTranslator` is the preview's translator; besides the
body, it records for every child of a section (or of the document) its
range in the body's list of strings and in the list of messages reported
while it was written. :func:`blocks` cuts the body along those ranges into
a :class:`Block` per section, whose items an edit replaces for the elements
it changed, keeping every other string as it was; :class:`Sanitised` runs
nh3 on each element once, where that gives what running it on the whole
page gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docutils import nodes

from ..html import SpecTranslator, sanitise
from ..results import Diagnostic
from .recording import Abort

_DATA_LINE = re.compile(r' data-line="(\d+)"')

# [first string, end string, first message, end message]
Span = list[int]


class PiecewiseTranslator(SpecTranslator):
    """:class:`~specs_app.rst.html.SpecTranslator` recording a :data:`Span` per child of a section."""

    def __init__(self, document: nodes.document, diagnostics: list[Diagnostic]) -> None:
        super().__init__(document)
        self.diagnostics = diagnostics
        self.spans: dict[int, Span] = {}
        self._open: dict[int, tuple[int, int]] = {}
        self._skipped: set[int] = set()
        self._length = 0
        self.failed = False

    def _noted(self, node: nodes.Node) -> bool:
        return isinstance(node, nodes.Element) and isinstance(node.parent, nodes.section | nodes.document)

    def _check_reset(self) -> None:
        """The document title's departure empties the body: ranges noted before it mean nothing."""
        if len(self.body) < self._length:
            self._open.clear()
            self.spans.clear()
        self._length = len(self.body)

    def dispatch_visit(self, node: nodes.Node) -> Any:
        start = (len(self.body), len(self.diagnostics))
        try:
            return super().dispatch_visit(node)
        except nodes.SkipNode:
            self._note(node, start, skipped=True)
            raise
        finally:
            self._note(node, start, skipped=False)

    def dispatch_departure(self, node: nodes.Node) -> Any:
        try:
            return super().dispatch_departure(node)
        finally:
            self._note(node, None, skipped=False)

    def _note(self, node: nodes.Node, start: tuple[int, int] | None, *, skipped: bool) -> None:
        """Bookkeeping only: a failure here is noted (``failed``), never raised into the writer."""
        try:
            if skipped:  # visited, not departed: its range ends here
                if self._noted(node):
                    assert start is not None
                    self.spans[id(node)] = [start[0], len(self.body), start[1], len(self.diagnostics)]
                    self._skipped.add(id(node))
                return
            self._check_reset()
            if start is not None:  # after a visit
                if self._noted(node) and id(node) not in self._skipped:
                    self._open[id(node)] = start
                return
            opened = self._open.pop(id(node), None)
            if opened is not None:
                self.spans[id(node)] = [opened[0], len(self.body), opened[1], len(self.diagnostics)]
        except Exception:
            self.failed = True


@dataclass
class Block:
    """A section's (or the document's) HTML and writer messages: its own tags, and one item per child."""

    head: str
    head_messages: list[Diagnostic]
    # Per child, in order: its HTML and messages, or the child section's block.
    items: list[tuple[str, list[Diagnostic]] | Block]
    tail: str
    tail_messages: list[Diagnostic]

    def html(self, out: list[str]) -> None:
        out.append(self.head)
        for item in self.items:
            if isinstance(item, Block):
                item.html(out)
            else:
                out.append(item[0])
        out.append(self.tail)

    def messages(self, out: list[Diagnostic]) -> None:
        out.extend(self.head_messages)
        for item in self.items:
            if isinstance(item, Block):
                item.messages(out)
            else:
                out.extend(item[1])
        out.extend(self.tail_messages)

    def shift(self, line: int, delta: int, keep: set[int]) -> None:
        """Every line at or after ``line`` moves by ``delta``, except in the items ``keep`` holds (by id)."""
        self.head, self.head_messages = _shifted(self.head, self.head_messages, line, delta)
        self.tail, self.tail_messages = _shifted(self.tail, self.tail_messages, line, delta)
        for index, item in enumerate(self.items):
            if isinstance(item, Block):
                item.shift(line, delta, keep)
            elif id(item) not in keep:
                self.items[index] = _shifted(*item, line, delta)


def _shifted(html: str, messages: list[Diagnostic], line: int, delta: int) -> tuple[str, list[Diagnostic]]:
    if " data-line=" in html:
        html = _DATA_LINE.sub(
            lambda match: (
                match.group(0)
                if int(match.group(1)) < line
                else f' data-line="{int(match.group(1)) + delta}"'
            ),
            html,
        )
    return html, shift_messages(messages, line, delta)


def shift_messages(messages: list[Diagnostic], line: int, delta: int) -> list[Diagnostic]:
    return [
        Diagnostic.at(message.level, message.message, message.line + delta)
        if message.line is not None and message.line >= line
        else message
        for message in messages
    ]


def block_of(
    container: nodes.Element,
    body: list[str],
    messages: list[Diagnostic],
    spans: dict[int, list[int]],
    start: tuple[int, int],
    end: tuple[int, int],
    blocks: dict[int, Block],
) -> Block:
    """The :class:`Block` of ``container``, written to ``body[start[0]:end[0]]``.

    ``spans`` are :class:`PiecewiseTranslator`'s; each section's block goes
    into ``blocks`` by the section's id. Raises Abort if the children's
    ranges do not tile the container's.
    """
    items: list[tuple[str, list[Diagnostic]] | Block] = []
    first: tuple[int, int] | None = None
    position = end
    for child in container.children:
        span = spans.get(id(child))
        if span is None:
            if isinstance(container, nodes.document) and isinstance(child, nodes.title):
                continue  # the document title is written apart from the body
            raise Abort("an element of the body was not written where expected")
        here = (span[0], span[2])
        if first is None:
            first = here
        elif here != position:
            raise Abort("the body's elements do not follow each other")
        if isinstance(child, nodes.section):
            items.append(block_of(child, body, messages, spans, here, (span[1], span[3]), blocks))
        else:
            items.append(("".join(body[span[0] : span[1]]), messages[span[2] : span[3]]))
        position = (span[1], span[3])
    if first is None:
        first = position = end
    block = Block(
        head="".join(body[start[0] : first[0]]),
        head_messages=messages[start[1] : first[1]],
        items=items,
        tail="".join(body[position[0] : end[0]]),
        tail_messages=messages[position[1] : end[1]],
    )
    blocks[id(container)] = block
    return block


# --- sanitising element by element ---------------------------------------------------------------

# html5ever, under nh3, builds the same tree for an element's HTML alone as among its neighbours
# when its tags nest properly and no block starts inside an inline formatting element (which the
# parser would close and reopen across the block, possibly past the element's end).
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*>")
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")
)
_FORMATTING = frozenset(
    ("a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u")
)
_BLOCKS = frozenset(
    (
        *("address", "article", "aside", "blockquote", "caption", "colgroup", "dd", "details", "div", "dl"),
        *("dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody"),
        *("td", "tfoot", "th", "thead", "tr", "ul"),
    )
)
# Splits a section's own tags after sanitising them together; a character nh3 keeps as it is.
_MARK = "\ue000spec-portal-split\ue000"


class TagBalance:
    """Reads HTML piece after piece: are its tags, so far, as :func:`context_free` wants them?"""

    def __init__(self) -> None:
        self.open_tags: list[str] = []
        self.formatting = 0
        self.broken = False

    def feed(self, html: str) -> None:
        if "<!" in html or "<?" in html:
            self.broken = True
        for match in _TAG.finditer(html):
            if self.broken:
                return
            closing, name = match.group(1), match.group(2).lower()
            if name in _VOID:
                continue
            if closing:
                if not self.open_tags or self.open_tags[-1] != name:
                    self.broken = True
                    return
                self.open_tags.pop()
                self.formatting -= name in _FORMATTING
            else:
                if self.formatting and name in _BLOCKS:
                    self.broken = True
                    return
                self.open_tags.append(name)
                self.formatting += name in _FORMATTING

    @property
    def closed(self) -> bool:
        return not self.broken and not self.open_tags


def context_free(html: str) -> bool:
    """Whether ``html`` sanitises alone exactly as it does within the page: see :data:`_TAG` above."""
    balance = TagBalance()
    balance.feed(html)
    return balance.closed


class Sanitised:
    """The body's sanitised HTML, built from its elements', each sanitised once (see :func:`context_free`).

    An element whose HTML does not close what it opens (the first footnote of a
    list opens the list, the last closes it) is sanitised together with the
    elements that follow it, up to the one that closes it.
    """

    def __init__(self) -> None:
        self._elements: dict[str, str] = {}
        self._free: dict[str, bool] = {}
        self._tags: dict[tuple[str, str], tuple[str, str] | None] = {}

    def _context_free(self, html: str) -> bool:
        if html not in self._free:
            self._free[html] = context_free(html)
        return self._free[html]

    def element(self, html: str) -> str:
        """``html`` sanitised: the caller has seen that it is :func:`context_free`."""
        if html not in self._elements:
            self._elements[html] = sanitise(html)
        return self._elements[html]

    def tags(self, head: str, tail: str) -> tuple[str, str] | None:
        key = (head, tail)
        if key not in self._tags:
            clean = sanitise(head + _MARK + tail).split(_MARK)
            self._tags[key] = (clean[0], clean[1]) if len(clean) == 2 else None
        return self._tags[key]

    def block(self, block: Block) -> str | None:
        """The block's HTML sanitised piece by piece; None if a piece cannot be sanitised alone."""
        out: list[str] = []
        if not self._fill(block, out):
            return None
        return "".join(out)

    def _fill(self, block: Block, out: list[str]) -> bool:
        tags = self.tags(block.head, block.tail)
        if tags is None:
            return False
        head, tail = tags
        out.append(head)
        group: list[str] = []
        balance = TagBalance()
        for item in block.items:
            if isinstance(item, Block):
                if group or not self._fill(item, out):
                    return False
                continue
            if not group and self._context_free(item[0]):
                out.append(self.element(item[0]))
                continue
            if not group:
                balance = TagBalance()
            group.append(item[0])
            balance.feed(item[0])
            if balance.broken:
                return False
            if balance.closed:
                out.append(self.element(group[0] if len(group) == 1 else "".join(group)))
                group = []
        if group:
            return False
        out.append(tail)
        return True

    def forget_unused(self) -> None:
        """Drop every element sanitised so far: the next page sanitises what it holds again, once."""
        self._elements.clear()
        self._free.clear()
        self._tags.clear()

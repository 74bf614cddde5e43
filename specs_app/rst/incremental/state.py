"""One rendered text, kept in pieces so that an edit re-renders only the part it touched.

A :class:`State` is made from a whole render (:func:`render_recorded`, the
same render as :func:`~specs_app.rst.render.render_in_process`, recording as
it goes) and holds: the doctree, the boundaries where the parse can be cut
(:mod:`.recording`), the transforms' view of the document
(:mod:`.skeleton`), and the body HTML and messages per element.

:meth:`State.edit` renders a text that differs from the state's inside one
run of elements of one section (a paragraph, a list, a few of them): it
parses those lines again from the boundary before them
(:func:`~.recording.parse_unit`), runs the transforms on the skeleton with
the new elements in it, writes only those elements, puts them in place of
the old ones, and checks the gate on the updated doctree. It raises
:class:`~.recording.Abort`, before changing anything, when the result could
differ from a whole render:

- the edit touches a heading, the text before the first section, or a
  document-wide directive (contents, section numbering, roles, substitutions);
- the new elements register anything the old ones did not, in the same
  order (names, ids, targets, references, footnotes): the rest of the
  document would see the change;
- the edit merges with the element after it (checked at the next boundary);
- a target at either end would hand its name across the edit, anonymous
  references (paired by position in the whole text), or a footnote list
  that would open or close differently next to it;
- the part to parse again is over a quarter of the text (little to gain);
- the first time a run of elements is edited, the machinery is tried on the
  old text and must give exactly what the whole render gave (calibration).

Where the parse starts again matters: docutils decides where an element ends
by reading the line after it, so a piece starts at the last boundary reached
before any changed line was read, peeks included (:class:`~.recording.TrackedLines`).
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import MethodType, SimpleNamespace
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Parser
from docutils.statemachine import StateMachine, StringList

from ..gate_rules import GateRules
from ..html import sanitise
from ..parse import _transform, normalise
from ..render import _gate_findings, _title_of, render_in_process
from ..results import Diagnostic, Parsed, RenderResult
from .recording import (
    Abort,
    Boundary,
    Event,
    Piece,
    Recorder,
    RecordingDocument,
    RecordingParser,
    document_line,
    document_lines,
    new_recording_document,
    parse_unit,
    string_list,
)
from .skeleton import THIN, Skeleton, extract, is_internal_target, keep_for, tables_of, thin_child
from .writing import Block, PiecewiseTranslator, Sanitised, block_of, shift_messages

logger = logging.getLogger(__name__)

# Directives whose effect reaches past their own element: roles and the default role for the
# rest of the text, the document's title, meta data and page decorations.
DOCUMENT_WIDE = re.compile(
    r"^[ \t]*\.\.[ \t]+(?:default-role|role|title|meta|header|footer)[ \t]*::", re.IGNORECASE | re.MULTILINE
)
# How many boundaries past the edit a piece may run on to find one where the parse is as before,
# and how many lines past the last of them it may read ahead.
REACH = 3
LOOKAHEAD = 10
# A piece longer than this share of the text is rendered whole: little to gain, and with the first
# edit's check (twice the piece) and a fall-back, the render must stay well inside its time limit.
LARGEST_PART = 0.25


def _text_end(lines: StringList, past: int) -> Callable[[int | None], tuple[Any, Any]]:
    """How docutils places a message without a line once its parser has read the text.

    A whole render's reporter keeps asking the parse's state machine, which
    stopped ``past`` lines past the last one; the transforms' document here
    never had a state machine.
    """
    end: Any = SimpleNamespace(input_lines=lines, input_offset=0, line_offset=len(lines) + past)
    end.get_source_and_line = MethodType(StateMachine.get_source_and_line, end)
    return end.get_source_and_line


# --- recording a whole render -----------------------------------------------------------------------


class WholeRender:
    """Records one whole render: a :class:`~specs_app.rst.render.RenderRecorder`."""

    def __init__(self) -> None:
        self.document: RecordingDocument | None = None
        self.recorder: Recorder | None = None
        self.skeleton: Skeleton | None = None
        self.survives: dict[int, list[bool]] = {}
        self.parsed = 0
        self.transformed = 0
        self.translator: PiecewiseTranslator | None = None
        self.parser: RecordingParser | None = None
        self.end_position: tuple[Any, Any] = (None, None)

    def new_document(self) -> nodes.document:
        self.document = new_recording_document()
        self.recorder = Recorder(self.document)
        return self.document

    def new_parser(self) -> Parser:
        assert self.recorder is not None
        self.parser = RecordingParser(self.recorder)
        return self.parser

    def read(self, document: nodes.document) -> None:
        assert self.document is document and self.recorder is not None
        self.document.recording = False
        self.parsed = len(self.recorder.diagnostics)
        self.end_position = (document.current_source, document.current_line)
        if self.document.has_pending or self.document.failed:
            return
        try:
            self.skeleton = extract(self.document)
            for container in (document, *document.findall(nodes.section)):
                self.survives[id(container)] = [
                    not isinstance(child, nodes.system_message) for child in container.children
                ]
        except Exception:  # a bug here must never change the render: it goes on, unrecorded
            logger.exception("the incremental preview could not record a render")
            self.skeleton = None

    def write_body(self, document: nodes.document) -> str:
        assert self.recorder is not None
        self.transformed = len(self.recorder.diagnostics)
        self.translator = PiecewiseTranslator(document, self.recorder.diagnostics)
        document.walkabout(self.translator)
        return "".join(self.translator.body)


def render_recorded(text: str, rules: GateRules | None) -> tuple[RenderResult, State | None]:
    """:func:`~specs_app.rst.render.render_in_process`, and the :class:`State` to edit (or None)."""
    whole = WholeRender()
    result = render_in_process(text, rules=rules, recorder=whole)
    try:
        state = State.from_whole(normalise(text), whole, result)
    except Abort:
        state = None
    return result, state


# --- the state -----------------------------------------------------------------------------------------


@dataclass
class _Rendered:
    """A piece rendered in the document: what replaces the old piece's part of each output."""

    piece: Piece
    end: int  # index of the boundary it ends at; len(boundaries) for the end of the text
    items: list[tuple[str, list[Diagnostic]]]
    nodes_after: list[nodes.Node]  # the piece's elements after the transforms
    thin: list[nodes.Node]  # their skeleton, taken before the transforms
    thin_of: dict[int, nodes.Node]  # id(piece node) -> its copy in ``thin``
    transform_messages: list[Diagnostic]


@dataclass
class State:
    """A rendered text, in pieces; see the module's docstring."""

    text: str  # normalised
    lines: list[str]  # as an editor counts them: split at LF
    parsed_lines: list[str]  # as docutils reads them (string2lines): tabs expanded, right-stripped
    doctree: nodes.document
    title: str
    events: list[Event]
    changed_later: list[tuple[int, int]]
    boundaries: list[Boundary]
    parse_messages: list[Diagnostic]
    transform_messages: list[Diagnostic]
    body: Block
    blocks: dict[int, Block]  # id(section) -> its block
    survives: dict[int, list[bool]]  # id(section) -> per child as parsed: kept by the transforms?
    editable: set[int]  # ids of the sections an edit may be in
    skeleton: Skeleton
    calibrated: dict[tuple[int, int], bool] = field(default_factory=dict)
    # None: the body's HTML does not sanitise piece by piece as a whole (seen on the whole render).
    sanitised: Sanitised | None = None
    edits: int = 0
    # Set while an edit is taken in: a state left so by a failure is half one text, half another.
    broken: bool = False
    # Where the whole parse's state machine stopped, past the last line (see Piece.end_offset).
    end_offset: int = 0
    # The document's current source and line when the parse ended: the transforms give them to
    # the nodes they add without a line of their own.
    end_position: tuple[Any, Any] = (None, None)

    @classmethod
    def from_whole(cls, text: str, whole: WholeRender, result: RenderResult) -> State:
        document, recorder, translator = whole.document, whole.recorder, whole.translator
        if not result.complete or document is None or recorder is None or translator is None:
            raise Abort("the render is incomplete")
        if document.failed or translator.failed:
            raise Abort("the render could not be recorded")
        if whole.skeleton is None or DOCUMENT_WIDE.search(text):
            raise Abort("the text uses a directive that works on the whole document")
        if result.diagnostics != recorder.diagnostics:
            raise Abort("the render's messages are not the recorded ones")
        if next(document.findall(nodes.transition), None) is not None:
            raise Abort("transitions move between sections")
        body = translator.body
        messages = recorder.diagnostics[whole.transformed :]
        spans = {
            key: [span[0], span[1], span[2] - whole.transformed, span[3] - whole.transformed]
            for key, span in translator.spans.items()
        }
        blocks: dict[int, Block] = {}
        block = block_of(document, body, messages, spans, (0, 0), (len(body), len(messages)), blocks)
        assembled: list[str] = []
        block.html(assembled)
        if "".join(assembled) != "".join(body):
            raise Abort("the body does not split into its elements")
        editable = set()
        for section in document.findall(nodes.section):
            flags = whole.survives.get(id(section))
            if flags is not None and _kept_as_parsed(section, flags):
                editable.add(id(section))
        sanitised: Sanitised | None = Sanitised()
        assert sanitised is not None
        if sanitised.block(block) != result.html:
            sanitised = None
        _forget_tables(document)
        return cls(
            text=text,
            lines=text.split("\n"),
            parsed_lines=document_lines(text),
            doctree=document,
            title=_title_of(document),
            events=document.events,
            changed_later=document.changed_later,
            boundaries=recorder.boundaries,
            parse_messages=recorder.diagnostics[: whole.parsed],
            transform_messages=recorder.diagnostics[whole.parsed : whole.transformed],
            body=block,
            blocks=blocks,
            survives=whole.survives,
            editable=editable,
            skeleton=whole.skeleton,
            sanitised=sanitised,
            end_offset=whole.parser.end_offset if whole.parser is not None else 0,
            end_position=whole.end_position,
        )

    # -- results ------------------------------------------------------------------------------------

    def result(self, raw: str, rules: GateRules | None) -> RenderResult:
        """The render of the state's text (``raw`` as given), checked by ``rules``."""
        parsed = Parsed(self.doctree, [*self.parse_messages, *self.transform_messages])
        failures: list[Diagnostic] = []
        findings = None if rules is None else _gate_findings(raw, rules, parsed, failures)
        writer: list[Diagnostic] = []
        self.body.messages(writer)
        return RenderResult(
            html=self._html(),
            diagnostics=[*parsed.diagnostics, *writer, *failures],
            title=self.title,
            findings=findings,
            complete=not failures,
        )

    def _html(self) -> str:
        if self.sanitised is not None:
            clean = self.sanitised.block(self.body)
            if clean is not None:
                return clean
        raw: list[str] = []
        self.body.html(raw)
        return sanitise("".join(raw))

    # -- an edit ------------------------------------------------------------------------------------

    def edit(self, raw: str, text: str, rules: GateRules | None) -> RenderResult:
        """Render ``text`` (normalised; ``raw`` as given) from this state, and become its state.

        Raises :class:`Abort`, with the state unchanged, when the edit cannot be rendered apart.
        """
        if DOCUMENT_WIDE.search(text):
            raise Abort("the text uses a directive that works on the whole document")
        new_lines = text.split("\n")
        first, old_end, new_end = _changed(self.lines, new_lines)
        delta = new_end - old_end
        lines = [boundary.line for boundary in self.boundaries]
        # The last boundary the parser reached without having read a changed line, peeks included.
        start = bisect.bisect_left([boundary.furthest for boundary in self.boundaries], first) - 1
        if start < 0:
            raise Abort("the edit is before the first element")
        if id(self.boundaries[start].section) not in self.editable:
            raise Abort("the edit is outside the sections")
        after = bisect.bisect_left(lines, max(old_end, first) + 1, lo=start + 1)
        reach = self._end_line(after) - self.boundaries[start].line
        if reach > len(self.lines) * LARGEST_PART:
            raise Abort("the edit is in too large a part of the text to gain from rendering it apart")
        parsed_lines = [
            *self.parsed_lines[:first],
            *(document_line(line) for line in new_lines[first:new_end]),
            *self.parsed_lines[old_end:],
        ]
        if new_end == len(new_lines) and text.endswith("\n"):
            parsed_lines.pop()  # splitlines has no empty line after the last newline
        rendered = self._render(parsed_lines, text, start, range(after, after + REACH), delta)
        key = (self.boundaries[start].line, self._end_line(rendered.end))
        if key not in self.calibrated:
            self.calibrated[key] = self._calibrate(start, rendered.end)
        if not self.calibrated[key]:
            raise Abort("this part of the text does not render apart from the rest as a whole")
        self._commit(text, new_lines, start, rendered, delta)
        self.parsed_lines = parsed_lines
        return self.result(raw, rules)

    def _end_line(self, end: int) -> int:
        return self.boundaries[end].line if end < len(self.boundaries) else len(self.lines) + 1

    def _end_events(self, end: int) -> int:
        return self.boundaries[end].events if end < len(self.boundaries) else len(self.events)

    def _end_messages(self, end: int) -> int:
        return self.boundaries[end].diagnostics if end < len(self.boundaries) else len(self.parse_messages)

    def _end_position(self, piece: Piece, end_line: int, delta: int) -> tuple[Any, Any]:
        """The document's current source and line at the end of the whole parse of the edited text."""
        if piece.stop is None:
            return piece.document.current_source, piece.document.current_line
        source, line = self.end_position
        return source, line + delta if isinstance(line, int) and line >= end_line else line

    def _end_children(self, end: int, section: nodes.Element) -> int:
        if end < len(self.boundaries):
            boundary = self.boundaries[end]
            if boundary.section is not section:
                raise Abort("the piece ends in another section")
            return boundary.children
        return len(self.survives[id(section)])

    def _post(self, section: nodes.Element, child: int) -> int:
        """The index after the transforms of the child ``child`` has as parsed."""
        return sum(self.survives[id(section)][:child])

    def _render(self, document: list[str], text: str, start: int, ends: range, delta: int) -> _Rendered:
        """Parse from boundary ``start`` to a boundary in ``ends`` where the parse is as before; render it."""
        boundary = self.boundaries[start]
        section = boundary.section
        candidates = [index for index in ends if index < len(self.boundaries)]
        by_line = {self.boundaries[index].line + delta: index for index in candidates}
        if candidates and candidates[-1] == ends[-1]:
            last_line = self.boundaries[candidates[-1]].line + delta + LOOKAHEAD
        else:  # the text's end is among the ends
            last_line = len(document)

        def stop_at(piece_document: RecordingDocument, line: int) -> bool:
            index = by_line.get(line)
            if index is None:
                return False
            # At a boundary everything before it is parsed: different events stay different.
            if piece_document.events != self.events[boundary.events : self.boundaries[index].events]:
                raise Abort("the edit changes what the rest of the document refers to")
            return True

        piece = parse_unit(document, boundary, depth=1, stop_at=stop_at, last_line=last_line)
        if piece.stop is not None:
            end = by_line[piece.stop.line]
        elif candidates and candidates[-1] == ends[-1]:
            raise Abort("the edit runs into what follows it")
        else:
            end = len(self.boundaries)
            if piece.document.events != self.events[boundary.events :]:
                raise Abort("the edit changes what the rest of the document refers to")
        events = (boundary.events, self._end_events(end))
        if any(events[0] <= node < events[1] <= later for node, later in self.changed_later):
            raise Abort("a later part of the document changes an element of the piece")
        first_child, end_child = boundary.children, self._end_children(end, section)
        siblings = self.skeleton.copies_of_children(section)
        self._check_edges(siblings[:first_child], siblings[first_child:end_child], piece.children)

        thin_of: dict[int, nodes.Node] = {}
        keep = keep_for(piece.document, piece.children)
        thin = [thin_child(child, keep, thin_of) for child in piece.children]
        end_line = self._end_line(end)
        skeleton_document, container = self.skeleton.document(
            section=section,
            start=first_child,
            end=end_child,
            piece_nodes=piece.children,
            piece_tables=piece.document,
            events=events,
            shift=lambda line: line + delta if line >= end_line else line,
        )
        messages: list[Diagnostic] = []
        skeleton_document.reporter.attach_observer(
            lambda message: messages.append(Diagnostic.from_system_message(message))
        )
        past = self.end_offset if piece.stop is not None else piece.end_offset
        skeleton_document.reporter.get_source_and_line = _text_end(string_list(document), past)
        position = self._end_position(piece, end_line, delta)
        skeleton_document.current_source, skeleton_document.current_line = position
        _transform(text, skeleton_document, Parser())
        transformed = len(messages)
        after: list[nodes.Node] = [
            child
            for child in container.children
            if isinstance(child, nodes.Element)
            and not child.get(THIN)
            and not isinstance(child, nodes.section)
        ]
        kept = sum(1 for child in piece.children if not isinstance(child, nodes.system_message))
        if len(after) != kept or not _adjacent(container.children, after):
            raise Abort("the transforms moved the piece's elements")
        self._check_neighbours(section, first_child, end_child, after)
        translator = PiecewiseTranslator(skeleton_document, messages)
        translator.section_level = len(section.section_hierarchy())
        for child in after:
            child.walkabout(translator)
        items = []
        for child in after:
            span = translator.spans[id(child)]
            items.append(("".join(translator.body[span[0] : span[1]]), messages[span[2] : span[3]]))
        return _Rendered(
            piece=piece,
            end=end,
            items=items,
            nodes_after=after,
            thin=thin,
            thin_of=thin_of,
            transform_messages=messages[:transformed],
        )

    def _check_edges(self, before: list[nodes.Node], old: list[nodes.Node], new: list[nodes.Node]) -> None:
        """No name handed across the piece's edges, and nothing paired by position in the whole text."""
        for children in (old, new):
            for child in children:
                if any(reference.get("anonymous") for reference in child.findall(nodes.reference)):
                    raise Abort("anonymous references pair by position in the whole text")
            if is_internal_target(_last_node(children)):
                raise Abort("a target at the end of the piece names what follows it")
        if is_internal_target(_last_node(before[-1:])):
            raise Abort("a target before the piece names its first element")

    def _check_neighbours(
        self, section: nodes.Element, first_child: int, end_child: int, new: list[nodes.Node]
    ) -> None:
        """A footnote or citation list next to the piece opens and closes as before."""
        children = section.children
        first, end = self._post(section, first_child), self._post(section, end_child)
        old = children[first:end]
        previous = children[first - 1] if first else None
        following = children[end] if end < len(children) else None
        for neighbour, old_edge, new_edge in (
            (previous, old[0] if old else following, new[0] if new else following),
            (following, old[-1] if old else previous, new[-1] if new else previous),
        ):
            if isinstance(neighbour, nodes.footnote | nodes.citation) and isinstance(
                old_edge, type(neighbour)
            ) != isinstance(new_edge, type(neighbour)):
                raise Abort("a footnote list next to the piece would open or close elsewhere")

    def _calibrate(self, start: int, end: int) -> bool:
        """Whether the old text's piece ``start:end``, rendered apart, gives what the whole render gave."""
        try:
            rendered = self._render(self.parsed_lines, self.text, start, range(end, end + 1), 0)
        except Abort:
            return False
        if rendered.end != end:
            return False
        boundary = self.boundaries[start]
        section = boundary.section
        first = self._post(section, boundary.children)
        last = self._post(section, self._end_children(end, section))
        piece = rendered.piece
        stop = piece.stop.diagnostics if piece.stop else len(piece.recorder.diagnostics)
        return (
            rendered.items == self.blocks[id(section)].items[first:last]
            and rendered.transform_messages == self.transform_messages
            and piece.recorder.diagnostics[:stop]
            == self.parse_messages[boundary.diagnostics : self._end_messages(end)]
        )

    # -- taking the edit in -------------------------------------------------------------------------

    def _commit(self, text: str, new_lines: list[str], start: int, rendered: _Rendered, delta: int) -> None:
        self.broken = True
        self._take_in(text, new_lines, start, rendered, delta)
        self.broken = False

    def _take_in(self, text: str, new_lines: list[str], start: int, rendered: _Rendered, delta: int) -> None:
        boundary = self.boundaries[start]
        section = boundary.section
        piece = rendered.piece
        end = rendered.end
        end_line = self._end_line(end)
        events = (boundary.events, self._end_events(end))
        first_child, end_child = boundary.children, self._end_children(end, section)
        first, last = self._post(section, first_child), self._post(section, end_child)
        stop = piece.stop.diagnostics if piece.stop else len(piece.recorder.diagnostics)
        new_messages = piece.recorder.diagnostics[:stop]
        end_messages = self._end_messages(end)
        added_messages = len(new_messages) - (end_messages - boundary.diagnostics)
        added_children = len(piece.children) - (end_child - first_child)
        # The body's HTML and the writer's messages.
        items = list(rendered.items)
        self.blocks[id(section)].items[first:last] = items
        if delta:
            self.body.shift(end_line, delta, {id(item) for item in items})
        # The parse.
        self.parse_messages = [
            *self.parse_messages[: boundary.diagnostics],
            *new_messages,
            *shift_messages(self.parse_messages[end_messages:], end_line, delta),
        ]
        self.transform_messages = rendered.transform_messages
        inner = [
            Boundary(
                line=moment.line,
                furthest=moment.furthest,
                events=boundary.events + moment.events,
                diagnostics=boundary.diagnostics + moment.diagnostics,
                tables=moment.tables,
                title_styles=moment.title_styles,
                section=section,
                children=first_child + moment.children,
            )
            for moment in piece.recorder.boundaries
        ]
        later = self.boundaries[end:]
        read = piece.stop.furthest if piece.stop else -1
        for moment in later:
            moment.line += delta
            moment.furthest = max(moment.furthest + delta, read)
            moment.diagnostics += added_messages
            if moment.section is section:
                moment.children += added_children
        self.boundaries = [*self.boundaries[:start], *inner, *later]
        self.survives[id(section)][first_child:end_child] = [
            not isinstance(child, nodes.system_message) for child in piece.children
        ]
        # The transforms' view.
        self.skeleton.replace(
            section=section,
            start=first_child,
            end=end_child,
            thin=rendered.thin,
            thin_of=rendered.thin_of,
            piece_tables=piece.document,
            events=events,
        )
        if delta:
            self.skeleton.shift(end_line, delta, {id(node) for node in rendered.thin})
        # The doctree.
        for child in rendered.nodes_after:
            child.parent = section
        section.children[first:last] = rendered.nodes_after
        if delta:
            _shift_tree(self.doctree, end_line, delta, {id(child) for child in rendered.nodes_after})
        self.text, self.lines = text, new_lines
        self.end_position = self._end_position(piece, end_line, delta)
        if piece.stop is None:
            self.end_offset = piece.end_offset
        self.calibrated = {(boundary.line, end_line + delta): True}
        self.edits += 1
        if self.sanitised is not None and self.edits % 200 == 0:
            self.sanitised.forget_unused()


def _forget_tables(document: nodes.document) -> None:
    """Empty the doctree's tables of names and references: only the parse and the transforms read them,
    and edits do not keep them up to date, so they would only keep replaced nodes alive."""
    for name, value in tables_of(document).items():
        setattr(document, name, type(value)())
    document.reporter.observers = []


def _changed(old: list[str], new: list[str]) -> tuple[int, int, int]:
    """The first changed line and the ends of the changed runs in ``old`` and ``new`` (0-based)."""
    first = 0
    limit = min(len(old), len(new))
    while first < limit and old[first] == new[first]:
        first += 1
    old_end, new_end = len(old), len(new)
    while old_end > first and new_end > first and old[old_end - 1] == new[new_end - 1]:
        old_end -= 1
        new_end -= 1
    return first, old_end, new_end


def _last_node(children: list[nodes.Node]) -> nodes.Node | None:
    """The last node in document order among ``children`` that is not a system message or inside one."""
    last = None
    for child in children:
        for node in _in_order(child):
            last = node
    return last


def _in_order(node: nodes.Node) -> Iterator[nodes.Node]:
    if isinstance(node, nodes.system_message):
        return
    yield node
    if isinstance(node, nodes.Element):
        for child in node.children:
            yield from _in_order(child)


def _adjacent(children: list[nodes.Node], run: list[nodes.Node]) -> bool:
    if not run:
        return True
    first = next(index for index, child in enumerate(children) if child is run[0])
    return all(children[first + offset] is node for offset, node in enumerate(run))


def _kept_as_parsed(section: nodes.Element, flags: list[bool]) -> bool:
    """Whether the transforms kept the section's children as parsed (less the system messages)."""
    if section.parent is None or not any(child is section for child in section.parent.children):
        return False  # the title's section, which DocTitle took apart
    return sum(flags) == len(section.children)


def _shift_tree(tree: nodes.Node, line: int, delta: int, skip: set[int]) -> None:
    stack = [tree]
    while stack:
        node = stack.pop()
        if id(node) in skip:
            continue
        if node.line is not None and node.line >= line:
            node.line += delta
        if isinstance(node, nodes.Element):
            stack.extend(node.children)

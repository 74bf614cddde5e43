"""A docutils parse that records where a text can be cut, and a parse of one cut-out piece.

docutils parses a spec with one top-level state machine: every element a
section holds (a paragraph, a list, a table, a directive) starts on a line
where that machine's ``Body`` state begins a new transition. At that moment
everything before the line is parsed and nothing after it has been, and what
the rest of the parse depends on is small: the document's tables of names,
ids and references, the heading styles seen so far, and the section the
next element goes into. :class:`Recorder` notes that state at each such
line (a :class:`Boundary`) and every change the parse makes to the tables
(an *event*), in order.

:func:`parse_unit` then re-parses the lines between two boundaries of an
edited text, from the state recorded at the first: the same state machine
over the same document lines, started at the first line, stopped when
``Body`` reaches the second. Other parts of the document appear in its
tables as :data:`FOREIGN`, a stand-in node; any step that would read or
change a node outside the piece (a duplicate name, say) stops the piece
with :class:`Abort`, and the caller renders the whole text instead.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Parser, languages, roles, states
from docutils.statemachine import StateMachineWS, StringList, string2lines
from docutils.utils import new_reporter

from ..dialect import spec_dialect
from ..parse import new_settings
from ..results import Diagnostic

SOURCE = "<spec>"

# Stands for a node of the document outside the piece being parsed again.
FOREIGN = nodes.Element()


class Abort(BaseException):
    """The piece cannot be rendered apart from the rest of the document; render it all.

    A BaseException, so that no ``except Exception`` on the way (the dialect
    turns a failing directive into a message, for one) can swallow it.
    """


Event = tuple[Any, ...]


@dataclass(frozen=True)
class Tables:
    """What a parse reads of the document's tables: names, ids and counters, without the nodes."""

    ids: tuple[str, ...]
    duplicate_names: dict[str, bool]  # name -> True when no node holds it any more (a dupname)
    nametypes: dict[str, bool]
    nameids: dict[str, str | None]
    id_counter: dict[str, int]
    substitution_defs: tuple[str, ...]
    substitution_names: dict[str, str]


@dataclass
class Boundary:
    """A line where the top-level ``Body`` state begins, and the parse's state at that moment."""

    line: int  # 1-based
    # 0-based index of the furthest line the parser had read (peeks included) before loading this one
    furthest: int
    events: int  # events recorded before the moment
    diagnostics: int  # messages reported before the moment
    tables: Tables
    title_styles: tuple[Any, ...]
    section: nodes.Element  # where the next element goes: a section, or the document
    children: int  # how many children it has at the moment


class Furthest:
    """The furthest line (0-based) of the document docutils has read so far."""

    def __init__(self) -> None:
        self.line = -1


class TrackedLines(list[str]):
    """A list of document lines that tells :class:`Furthest` each line read from it, peeks included.

    docutils reads its input as ``StringList.data[index]`` (``get_text_block``
    and ``get_indented`` scan ahead that way without moving the parser) and
    hands nested parsers slices of it; ``items`` (the StringList's, kept in
    step with the data by docutils) gives each line's place in the document.
    Slicing copies lines without reading them, so it does not count.
    """

    def __init__(self, lines: list[str], items: list[tuple[Any, Any]], furthest: Furthest) -> None:
        super().__init__(lines)
        self.items = items
        self.furthest = furthest

    def _saw(self, index: int) -> None:
        try:
            source, offset = self.items[index]
        except IndexError:
            return
        if source == SOURCE and isinstance(offset, int) and offset > self.furthest.line:
            self.furthest.line = offset

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, slice):
            self._saw(index)
        return super().__getitem__(index)

    def _saw_all(self) -> None:
        if self:
            self._saw(len(self) - 1)

    def __iter__(self) -> Any:
        self._saw_all()
        return super().__iter__()

    def __contains__(self, item: object) -> bool:
        self._saw_all()
        return super().__contains__(item)

    def index(self, *args: Any) -> int:
        self._saw_all()
        return super().index(*args)

    def count(self, item: str) -> int:
        self._saw_all()
        return super().count(item)


class TrackedStringList(StringList):
    """A :class:`StringList` (and every slice of it) whose data is :class:`TrackedLines`."""

    furthest: Furthest

    def __init__(
        self,
        initlist: Any = None,
        source: Any = None,
        items: Any = None,
        parent: Any = None,
        parent_offset: Any = None,
    ) -> None:
        super().__init__(initlist, source, items, parent, parent_offset)
        self.furthest = parent.furthest if isinstance(parent, TrackedStringList) else Furthest()
        self.data = TrackedLines(self.data, self.items, self.furthest)

    def __setattr__(self, name: str, value: Any) -> None:
        # docutils re-binds items in a few places (sort); keep the data's view of them in step.
        super().__setattr__(name, value)
        data = self.__dict__.get("data")
        if name == "items" and isinstance(data, TrackedLines):
            data.items = value


def _describe(node: nodes.Node) -> tuple[Any, ...]:
    """What other parts of a document can see of ``node``: its type, ids, names and link."""
    if not isinstance(node, nodes.Element):
        return (type(node).__name__,)
    return (
        node.tagname,
        tuple(node["ids"]),
        tuple(node["names"]),
        tuple(node["dupnames"]),
        node.get("refuri"),
        node.get("refname"),
        node.get("refid"),
        bool(node.get("anonymous")),
    )


class RecordingDocument(nodes.document):
    """A document that records every change a parse makes to its tables.

    Recording stops when :attr:`recording` is set False (before the
    transforms, which change the tables too). In a piece's parse
    (``piece=True``) a step that touches a :data:`FOREIGN` node aborts.
    """

    def __init__(self, settings: Any, reporter: Any, *, piece: bool = False) -> None:
        super().__init__(settings, reporter, source=SOURCE)
        self.recording = True
        self.piece = piece
        self.events: list[Event] = []
        # id(node) -> (index of the first event about it, the node): keeps the nodes alive.
        self.registered: dict[int, tuple[int, nodes.Node]] = {}
        # (event index of a node's registration, event index of a later step that changed it)
        self.changed_later: list[tuple[int, int]] = []
        self.has_pending = False
        self.version = 0
        # Set when the recording itself failed: the render goes on as docutils' own, unrecorded.
        self.failed = False
        self.refused = ""

    # -- bookkeeping ----------------------------------------------------------------------------

    def _event(self, kind: str, node: nodes.Node | None, *detail: Any) -> None:
        if not self.recording:
            return
        try:
            self.version += 1
            if node is not None:
                self.registered.setdefault(id(node), (len(self.events), node))
                self.events.append((kind, _describe(node), *detail))
            else:
                self.events.append((kind, *detail))
        except Exception:  # a bug in the recording must never change what docutils does
            self.failed = True

    def _changed_later(self, old: nodes.Node | None) -> None:
        """Note that a step now changes ``old``, registered earlier (a duplicate name, say)."""
        if old is None or old is FOREIGN or not self.recording:
            return
        try:
            first = self.registration(old)
            if first is not None:
                self.changed_later.append((first, len(self.events)))
        except Exception:
            self.failed = True

    def registration(self, node: nodes.Node) -> int | None:
        entry = self.registered.get(id(node))
        return None if entry is None else entry[0]

    def tables(self) -> Tables:
        return Tables(
            ids=tuple(self.ids),
            duplicate_names={name: node is None for name, node in self.names.items()},
            nametypes=dict(self.nametypes),
            nameids=dict(self.nameids),
            id_counter=dict(self.id_counter),
            substitution_defs=tuple(self.substitution_defs),
            substitution_names=dict(self.substitution_names),
        )

    def seed(self, tables: Tables) -> None:
        """Start a piece's parse from ``tables``, every node in them a :data:`FOREIGN` stand-in."""
        self.ids = dict.fromkeys(tables.ids, FOREIGN)
        self.names = {
            name: None if duplicate else FOREIGN for name, duplicate in tables.duplicate_names.items()
        }
        self.nametypes = dict(tables.nametypes)
        self.nameids = dict(tables.nameids)  # type: ignore[arg-type]  # None marks a duplicate, as docutils does
        self.id_counter = Counter(tables.id_counter)
        self.substitution_defs = dict.fromkeys(tables.substitution_defs, FOREIGN)  # type: ignore[arg-type]
        self.substitution_names = dict(tables.substitution_names)

    def _refuse_in_piece(self, why: str) -> None:
        if self.piece and self.recording:
            self.refused = why  # in case something catches even a BaseException
            raise Abort(why)

    # -- the tables -----------------------------------------------------------------------------

    def set_id(
        self, node: nodes.Element, msgnode: nodes.Element | None = None, suggested_prefix: str = ""
    ) -> str:
        if any(self.ids.get(i) is FOREIGN for i in node["ids"]):
            self._refuse_in_piece("an id of the piece is used elsewhere in the document")
        result = super().set_id(node, msgnode, suggested_prefix)
        self._event("id", node)
        return result

    def set_duplicate_name(
        self, node: nodes.Element, name: str, msgnode: nodes.Element, explicit: bool
    ) -> None:
        old = self.names[name]
        if old is FOREIGN:
            self._refuse_in_piece("a name of the piece is also used elsewhere in the document")
        self._changed_later(old)
        super().set_duplicate_name(node, name, msgnode, explicit)
        self._event("duplicate", node, name, explicit, old is None)

    def note_implicit_target(self, target: nodes.Element, msgnode: nodes.Element | None = None) -> None:
        self._event("implicit", target)
        super().note_implicit_target(target, msgnode)

    def note_explicit_target(self, target: nodes.Element, msgnode: nodes.Element | None = None) -> None:
        self._event("explicit", target)
        super().note_explicit_target(target, msgnode)

    def note_refname(self, node: nodes.Element) -> None:
        self._event("refname", node)
        super().note_refname(node)

    def note_refid(self, node: nodes.Element) -> None:
        self._event("refid", node)
        super().note_refid(node)

    def note_indirect_target(self, target: nodes.target) -> None:
        self._event("indirect", target)
        super().note_indirect_target(target)

    def note_anonymous_target(self, target: nodes.target) -> None:
        self._refuse_in_piece("anonymous targets pair with references across the document")
        self._event("anonymous-target", target)
        super().note_anonymous_target(target)

    def note_autofootnote(self, footnote: nodes.footnote) -> None:
        self._event("autofootnote", footnote)
        super().note_autofootnote(footnote)

    def note_autofootnote_ref(self, ref: nodes.footnote_reference) -> None:
        self._event("autofootnote-ref", ref)
        super().note_autofootnote_ref(ref)

    def note_symbol_footnote(self, footnote: nodes.footnote) -> None:
        self._event("symbol-footnote", footnote)
        super().note_symbol_footnote(footnote)

    def note_symbol_footnote_ref(self, ref: nodes.footnote_reference) -> None:
        self._event("symbol-footnote-ref", ref)
        super().note_symbol_footnote_ref(ref)

    def note_footnote(self, footnote: nodes.footnote) -> None:
        self._event("footnote", footnote)
        super().note_footnote(footnote)

    def note_footnote_ref(self, ref: nodes.footnote_reference) -> None:
        self._event("footnote-ref", ref)
        super().note_footnote_ref(ref)

    def note_citation(self, citation: nodes.citation) -> None:
        self._event("citation", citation)
        super().note_citation(citation)

    def note_citation_ref(self, ref: nodes.citation_reference) -> None:
        self._event("citation-ref", ref)
        super().note_citation_ref(ref)

    def note_substitution_def(
        self, subdef: nodes.substitution_definition, def_name: str, msgnode: nodes.Element | None = None
    ) -> None:
        self._refuse_in_piece("substitutions are expanded across the document")
        name = nodes.whitespace_normalize_name(def_name)
        self._changed_later(self.substitution_defs.get(name))
        self._event("substitution", subdef, name)
        super().note_substitution_def(subdef, def_name, msgnode)

    def note_substitution_ref(self, subref: nodes.substitution_reference, refname: str) -> None:
        self._refuse_in_piece("substitutions are expanded across the document")
        self._event("substitution-ref", subref, refname)
        super().note_substitution_ref(subref, refname)

    def note_pending(self, pending: nodes.pending, priority: int | None = None) -> None:
        self._refuse_in_piece("a directive works on the whole document")
        if self.recording:
            self.has_pending = True
        self._event("pending", pending)
        super().note_pending(pending, priority)


# Visitors (the HTML writer, the transforms') dispatch on the class name.
RecordingDocument.__name__ = "document"
RecordingDocument.tagname = "document"


def new_recording_document(*, piece: bool = False) -> RecordingDocument:
    """A document for the spec, as :func:`docutils.utils.new_document` makes one, that records."""
    settings = new_settings()
    document = RecordingDocument(settings, new_reporter(SOURCE, settings), piece=piece)
    document.note_source(SOURCE, -1)
    return document


# --- the state machine -----------------------------------------------------------------------------


class _SectionsNoted:
    """A title state that records each section heading as an event (a piece may hold none)."""

    def section(self, title: str, source: str, style: Any, lineno: int, messages: list[Any]) -> None:
        document = self.document  # type: ignore[attr-defined]
        if isinstance(document, RecordingDocument):
            document._refuse_in_piece("a section heading")
            document._event("section", None, title, style)
        super().section(title, source, style, lineno, messages)  # type: ignore[misc]


class Text(_SectionsNoted, states.Text):  # the name is the state's key in the machine
    pass


class Line(_SectionsNoted, states.Line):
    pass


STATE_CLASSES = tuple(
    {"Text": Text, "Line": Line}.get(state_class.__name__, state_class)
    for state_class in states.state_classes
)

Moment = Callable[[int, int, nodes.Element, list[Any]], None]


class TopStateMachine(states.RSTStateMachine):
    """The top-level state machine, telling :attr:`moment` each line its ``Body`` state begins."""

    def __init__(self, moment: Moment, debug: bool = False) -> None:
        super().__init__(state_classes=STATE_CLASSES, initial_state="Body", debug=debug)
        self.moment = moment
        self.start_offset: int | None = None
        self.read_before = -1
        self._body = self.states["Body"]

    def check_line(self, context: Any, state: Any, transitions: Any = None) -> Any:
        if state is self._body:
            assert self.node is not None and self.memo is not None
            self.moment(self.abs_line_number(), self.read_before, self.node, self.memo.title_styles)
        return super().check_line(context, state, transitions)

    def next_line(self, n: int = 1) -> Any:
        if self.start_offset is not None:  # a piece starts part-way through the lines
            self.line_offset, self.start_offset = self.start_offset, None
        furthest = getattr(self.input_lines, "furthest", None)
        # What had been read before this line was loaded to be parsed (peeks at it included).
        self.read_before = furthest.line if furthest is not None else -1
        return super().next_line(n)

    def run_piece(
        self,
        lines: StringList,
        document: nodes.document,
        node: nodes.Element,
        title_styles: list[Any],
        first_line: int,
    ) -> None:
        """:meth:`RSTStateMachine.run` from ``first_line``, in ``node``, having seen ``title_styles``."""
        self.language = languages.get_language(document.settings.language_code, document.reporter)
        self.match_titles = True
        inliner = states.Inliner()
        inliner.init_customizations(document.settings)
        self.memo = SimpleNamespace(
            document=document,
            reporter=document.reporter,
            language=self.language,
            title_styles=title_styles,
            section_level=0,
            section_bubble_up_kludge=False,
            inliner=inliner,
        )
        self.document = document
        self.attach_observer(document.note_source)  # type: ignore[arg-type]  # docutils' stubs miss the (source, offset) form
        self.reporter = document.reporter
        self.node = node  # type: ignore[assignment]  # a section: docutils' stubs say document only
        self.start_offset = first_line - 2  # next_line adds one: the first line read is first_line
        try:
            StateMachineWS.run(self, lines, 0, input_source=document["source"])
        finally:
            self.node = self.memo = None
            self.observers = []  # run() clears them only when it ends normally


class RecordingParser(Parser):
    """docutils' RST parser (:meth:`Parser.parse` as in docutils 0.23) with the recording state machine."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.state_classes = STATE_CLASSES
        self._recorder = recorder
        # Where the parser stopped, past the last line: see Piece.end_offset.
        self.end_offset = 0

    def parse(self, inputstring: str, document: nodes.document) -> None:
        self.setup_parse(inputstring, document)
        self.document.settings.setdefault("tab_width", 8)
        self.document.settings.setdefault("syntax_highlight", "long")
        self.statemachine = TopStateMachine(self._recorder.moment, debug=document.reporter.debug_flag)
        inputlines = string2lines(inputstring, tab_width=document.settings.tab_width, convert_whitespace=True)
        for i, line in enumerate(inputlines):
            if len(line) > self.document.settings.line_length_limit:
                error = self.document.reporter.error(f"Line {i + 1} exceeds the line-length-limit.")
                self.document.append(error)
                break
        else:
            lines = string_list(inputlines)
            self.statemachine.run(lines, document, inliner=self.inliner)
            self.end_offset = self.statemachine.line_offset - len(lines)
        if "" in roles._roles:  # type: ignore[attr-defined]
            del roles._roles[""]  # type: ignore[attr-defined]
        self.finish_parse()


class Recorder:
    """Collects the boundaries and messages of one parse (a whole text's, or a piece's)."""

    def __init__(self, document: RecordingDocument, furthest: int = -1) -> None:
        self.document = document
        self.furthest = furthest  # read before the parse started
        self.boundaries: list[Boundary] = []
        self.diagnostics: list[Diagnostic] = []
        self._tables: Tables | None = None
        self._tables_version = -1
        document.reporter.attach_observer(self._report)

    def _report(self, message: nodes.system_message) -> None:
        self.diagnostics.append(Diagnostic.from_system_message(message))

    def moment(self, line: int, read_before: int, node: nodes.Element, title_styles: list[Any]) -> None:
        try:
            self._moment(line, read_before, node, title_styles)
        except Exception:  # a bug in the recording must never change what docutils does
            self.document.failed = True

    def _moment(self, line: int, read_before: int, node: nodes.Element, title_styles: list[Any]) -> None:
        document = self.document
        if not document.recording or (self.boundaries and self.boundaries[-1].line >= line):
            return  # a line read again after a correction: its first moment counts
        if document.version != self._tables_version:
            self._tables, self._tables_version = document.tables(), document.version
        assert self._tables is not None
        self.boundaries.append(
            Boundary(
                line=line,
                furthest=max(read_before, self.furthest),
                events=len(document.events),
                diagnostics=len(self.diagnostics),
                tables=self._tables,
                title_styles=tuple(title_styles),
                section=node,
                children=len(node.children),
            )
        )


# --- a piece --------------------------------------------------------------------------------------


@dataclass
class Piece:
    """A piece parsed again: its nodes, what it recorded, and the boundary it stopped at."""

    document: RecordingDocument
    section: nodes.Element  # the stand-in its nodes went into
    recorder: Recorder
    stop: Boundary | None  # None: it ran to the end of the text
    children: list[nodes.Node] = field(default_factory=list)
    # Where the parser stopped, past the text's last line, when it ran to the end: docutils gives
    # the transforms' and the writer's messages without a line the line the parser stopped at.
    end_offset: int = 0


class _Stop(Exception):
    pass


def document_lines(text: str) -> list[str]:
    """The text's lines as docutils reads them (tabs expanded, whitespace converted, stripped)."""
    return string2lines(text, tab_width=new_settings().tab_width, convert_whitespace=True)


def document_line(line: str) -> str:
    """One line of a normalised text as :func:`document_lines` has it (no form feed is left to convert)."""
    return line.expandtabs(new_settings().tab_width).rstrip()


def string_list(lines: list[str]) -> TrackedStringList:
    """``StringList(lines, SOURCE)``, tracking what is read of it (its items built in C, not in Python)."""
    return TrackedStringList(lines, items=list(zip(itertools.repeat(SOURCE), range(len(lines)))))


def _no_moment(line: int, read_before: int, node: nodes.Element, title_styles: list[Any]) -> None:
    pass


# Building a state machine compiles its states' transitions; pieces reuse idle ones.
_MACHINES: list[TopStateMachine] = []


def parse_unit(
    lines: list[str],
    start: Boundary,
    *,
    depth: int,
    stop_at: Callable[[RecordingDocument, int], bool],
    last_line: int,
) -> Piece:
    """Parse the document ``lines`` from ``start.line`` in the state recorded at ``start``.

    ``depth`` is how many sections enclose the element that starts there.
    At each later line where ``Body`` begins in the piece's section,
    ``stop_at(document, line)`` says whether the piece ends there. Going on past
    ``last_line`` aborts (the edit merged with what follows); so does anything
    that would touch the rest of the document.
    """
    document = new_recording_document(piece=True)
    document.seed(start.tables)
    recorder = Recorder(document, start.furthest)
    input_lines = string_list(lines)
    document.reporter.attach_observer(document.note_parse_message)
    parent: nodes.Element = document
    for _ in range(depth):
        section = nodes.section()
        parent += section
        parent = section
    stop: list[Boundary] = []

    def moment(line: int, read_before: int, node: nodes.Element, title_styles: list[Any]) -> None:
        if line > last_line:
            raise Abort("the edit runs into what follows it")
        if line > start.line and node is parent and stop_at(document, line):
            recorder.moment(line, read_before, node, title_styles)
            stop.append(recorder.boundaries.pop())
            raise _Stop
        recorder.moment(line, read_before, node, title_styles)

    machine = _MACHINES.pop() if _MACHINES else TopStateMachine(moment)
    machine.moment = moment
    end_offset = 0
    with spec_dialect():
        try:
            machine.run_piece(input_lines, document, parent, list(start.title_styles), start.line)
            end_offset = machine.line_offset - len(input_lines)
        except _Stop:
            pass
        finally:
            if "" in roles._roles:  # type: ignore[attr-defined]
                del roles._roles[""]  # type: ignore[attr-defined]
            machine.moment = _no_moment
            _MACHINES.append(machine)
    if document.refused:
        raise Abort(document.refused)
    if document.failed:
        raise Abort("the piece's parse could not be recorded")
    piece = Piece(
        document=document,
        section=parent,
        recorder=recorder,
        stop=stop[0] if stop else None,
        end_offset=end_offset,
    )
    piece.children = list(parent.children)
    return piece

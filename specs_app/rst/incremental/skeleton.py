"""The part of a doctree the docutils transforms need from the rest of a document: its skeleton.

After an edit, the piece parsed again has to go through the same transforms
as in a whole render: a reference in it is resolved against a target in
another section, its footnote lists references from everywhere, a target
nobody references any more is reported. A :class:`Skeleton` is a copy of the
doctree as parsed (before any transform) holding only what the transforms
look at: every section with its title, every element a section holds
(shallow, so its type and place are kept), and inside those the targets,
references, footnotes, citations and substitutions, the nodes the
document's tables point to, and the node each internal target passes its
name to; with those tables, pointing into the copy.

:meth:`Skeleton.document` builds a document from it for one render, with
the edited piece's real nodes in place of the old ones; the transforms run
on that small document and give what they would give on the whole text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from docutils.utils import new_reporter

from ..parse import new_settings
from .recording import FOREIGN, SOURCE, Abort, RecordingDocument

# The tables of a docutils document that hold nodes, by shape.
NODE_MAPS = ("ids", "names", "substitution_defs")
LIST_MAPS = ("refnames", "refids", "footnote_refs", "citation_refs")
NODE_LISTS = (
    "autofootnotes",
    "autofootnote_refs",
    "symbol_footnotes",
    "symbol_footnote_refs",
    "footnotes",
    "citations",
    "indirect_targets",
)
VALUES = (
    "nametypes",
    "nameids",
    "id_counter",
    "substitution_names",
    "autofootnote_start",
    "symbol_footnote_start",
)

# Copied whole: small, and read whole by the transforms or the messages they report.
_WHOLE = (
    nodes.reference,
    nodes.footnote_reference,
    nodes.citation_reference,
    nodes.substitution_definition,
    nodes.substitution_reference,
    nodes.label,
    nodes.title,
)
# Kept as they are, with whatever inside them is kept.
_KEPT = (nodes.target, nodes.footnote, nodes.citation)
# Marks the copies of the elements a section holds, so the edited piece's are told apart after the transforms.
THIN = "incremental-thin"
# Marks those of them the transforms have nothing to do with (a Python attribute, not written anywhere).
PLAIN = "incremental_plain"


def copy_node(node: nodes.Node) -> nodes.Node:
    """A detached copy of ``node`` without children: attributes, lines and docutils' own flags."""
    if isinstance(node, nodes.Text):
        text = nodes.Text(str(node))
        for name in ("source", "line"):
            if name in node.__dict__:
                setattr(text, name, node.__dict__[name])
        return text
    assert isinstance(node, nodes.Element)
    copy = object.__new__(type(node))
    state = dict(node.__dict__)
    state["attributes"] = {
        name: value[:] if isinstance(value, list) else value for name, value in node.attributes.items()
    }
    state["children"] = []
    state["parent"] = None
    state["_document"] = None
    copy.__dict__.update(state)
    return copy


def _attach(parent: nodes.Element, children: list[nodes.Node]) -> None:
    """Set ``children`` under ``parent`` as they are (no line or source filled in, unlike append)."""
    for child in children:
        child.parent = parent
    parent.children = children


def deep_copy(node: nodes.Node, copies: dict[int, nodes.Node]) -> nodes.Node:
    copy = copy_node(node)
    copies[id(node)] = copy
    if isinstance(node, nodes.Element):
        _attach(copy, [deep_copy(child, copies) for child in node.children])  # type: ignore[arg-type]
    return copy


def _next_nodes(target: nodes.target) -> Iterator[nodes.Node]:
    """The nodes PropagateTargets looks at after an internal target: the next one, past messages."""
    following = target.next_node(ascend=True)
    while following is not None:
        yield following
        if not isinstance(following, nodes.system_message):
            return
        following = following.next_node(ascend=True, descend=False)


def is_internal_target(node: nodes.Node | None) -> bool:
    """A block-level target without a link of its own: PropagateTargets hands its names on."""
    return (
        isinstance(node, nodes.target)
        and not isinstance(node.parent, nodes.TextElement)
        and not any(node.hasattr(name) for name in ("refid", "refuri", "refname"))
    )


@dataclass
class Skeleton:
    """The transforms' view of a parsed document: see the module's docstring."""

    root: nodes.document
    # id(real section or document) -> its copy here
    sections: dict[int, nodes.Element]
    tables: dict[str, Any]
    # id(node here) -> the event index of its registration in the parse
    registered: dict[int, int]

    def copies_of_children(self, section: nodes.Element) -> list[nodes.Node]:
        return list(self.sections[id(section)].children)

    def document(
        self,
        *,
        section: nodes.Element,
        start: int,
        end: int,
        piece_nodes: list[nodes.Node],
        piece_tables: RecordingDocument,
        events: tuple[int, int],
        shift: Callable[[int], int],
    ) -> tuple[nodes.document, nodes.Element]:
        """A document for the transforms, and the copy of ``section`` in it.

        It is this skeleton with ``piece_nodes`` as children ``start:end`` of
        ``section``; table entries registered by events ``events[0]:events[1]``
        (the old piece's) are the piece's own, from ``piece_tables``, in their
        order. Lines of the copies go through ``shift``.
        """
        settings = new_settings()
        document = nodes.document(settings, new_reporter(SOURCE, settings), source=SOURCE)
        document.note_source(SOURCE, -1)
        for name, value in self.root.attributes.items():
            document[name] = value[:] if isinstance(value, list) else value
        copies: dict[int, nodes.Node] = {id(self.root): document}
        target = self.sections[id(section)]
        container: list[nodes.Element] = []
        target_copy: list[nodes.Element | None] = [None]

        def copy(node: nodes.Node, parent: nodes.Element) -> None:
            if parent is not target_copy[0] and getattr(node, PLAIN, False) and parent is not document:
                return  # nothing for the transforms, and not beside the piece
            new = copy_node(node)
            copies[id(node)] = new
            if new.line:
                new.line = shift(new.line)
            new.parent = parent
            parent.children.append(new)
            if not isinstance(node, nodes.Element):
                return
            assert isinstance(new, nodes.Element)
            children = node.children
            if node is target:
                container.append(new)
                target_copy[0] = new
                for child in children[:start]:
                    copy(child, new)
                for child in piece_nodes:
                    child.parent = new
                    new.children.append(child)
                for child in children[end:]:
                    copy(child, new)
            else:
                for child in children:
                    copy(child, new)

        for child in self.root.children:
            copy(child, document)

        def outside(node: nodes.Node) -> nodes.Node:
            found = copies.get(id(node))
            if found is None:  # in a table, not in the tree
                found = copies[id(node)] = copy_node(node)
            return found

        tables = _translate(self.tables, self.registered, events, piece_tables, outside, lambda node: node)
        for name, value in tables.items():
            setattr(document, name, value)
        return document, container[0]

    def replace(
        self,
        *,
        section: nodes.Element,
        start: int,
        end: int,
        thin: list[nodes.Node],
        thin_of: dict[int, nodes.Node],
        piece_tables: RecordingDocument,
        events: tuple[int, int],
    ) -> None:
        """Take an edit in: ``thin`` (copies of the piece's elements) as children ``start:end`` there."""
        copy = self.sections[id(section)]
        for node in thin:
            node.parent = copy
        copy.children[start:end] = thin

        def inside(node: nodes.Node) -> nodes.Node:
            found = thin_of.get(id(node))
            if found is None:
                found = thin_of[id(node)] = copy_node(node)
            return found

        self.tables = _translate(
            self.tables, self.registered, events, piece_tables, lambda node: node, inside
        )
        first, last = events
        self.registered = {key: event for key, event in self.registered.items() if not first <= event < last}
        for key, (event, _) in piece_tables.registered.items():
            found = thin_of.get(key)
            if found is not None:
                self.registered[id(found)] = first + event

    def shift(self, line: int, delta: int, skip: set[int]) -> None:
        """Lines at or after ``line`` move by ``delta``, except in the subtrees ``skip`` holds (by id)."""
        seen: set[int] = set()
        stack: list[nodes.Node] = [self.root, *_table_nodes(self.tables)]
        while stack:
            node = stack.pop()
            if id(node) in seen or id(node) in skip:
                continue
            seen.add(id(node))
            if node.line is not None and node.line >= line:
                node.line += delta
            if isinstance(node, nodes.Element):
                stack.extend(node.children)


def _table_nodes(tables: dict[str, Any]) -> Iterator[nodes.Node]:
    for name in NODE_MAPS:
        yield from (node for node in tables[name].values() if node is not None)
    for name in LIST_MAPS:
        for values in tables[name].values():
            yield from values
    for name in NODE_LISTS:
        yield from tables[name]


def _translate(
    tables: dict[str, Any],
    registered: dict[int, int],
    events: tuple[int, int],
    piece: RecordingDocument,
    outside: Callable[[nodes.Node], nodes.Node],
    inside: Callable[[nodes.Node], nodes.Node],
) -> dict[str, Any]:
    """``tables`` with the old piece's entries (registered by ``events``) replaced by ``piece``'s, in order.

    Other entries go through ``outside``, the piece's through ``inside``.
    """
    first, last = events

    def in_piece(node: nodes.Node) -> bool:
        event = registered.get(id(node))
        if event is None:
            raise Abort("a table points to a node the parse did not register")
        return first <= event < last

    def node_list(name: str, old: list[nodes.Node], new: list[nodes.Node]) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        used = 0
        for node in old:
            if in_piece(node):
                if used >= len(new):
                    raise Abort(f"the piece's {name} table differs")
                result.append(inside(new[used]))
                used += 1
            else:
                result.append(outside(node))
        if used != len(new):
            raise Abort(f"the piece's {name} table differs")
        return result

    result: dict[str, Any] = {}
    for name in NODE_MAPS:
        piece_table: dict[str, Any] = getattr(piece, name)
        table: dict[str, Any] = {}
        own = 0
        for key, node in tables[name].items():
            if node is None:
                table[key] = None
            elif in_piece(node):
                replacement = piece_table.get(key)
                if replacement is None or replacement is FOREIGN:
                    raise Abort(f"the piece's {name} table differs")
                table[key] = inside(replacement)
                own += 1
            else:
                table[key] = outside(node)
        if own != sum(1 for node in piece_table.values() if node is not None and node is not FOREIGN):
            raise Abort(f"the piece's {name} table differs")
        result[name] = table
    for name in LIST_MAPS:
        piece_lists: dict[str, list[nodes.Node]] = getattr(piece, name)
        if not set(piece_lists) <= set(tables[name]):
            raise Abort(f"the piece's {name} table differs")
        result[name] = {
            key: node_list(name, values, piece_lists.get(key, [])) for key, values in tables[name].items()
        }
    for name in NODE_LISTS:
        result[name] = node_list(name, tables[name], getattr(piece, name))
    for name in VALUES:
        value = tables[name]
        result[name] = type(value)(value) if isinstance(value, dict) else value
    return result


def tables_of(document: nodes.document) -> dict[str, Any]:
    """The document's tables that hold nodes."""
    return {name: getattr(document, name) for name in (*NODE_MAPS, *LIST_MAPS, *NODE_LISTS)}


def keep_for(document: nodes.document, roots: Iterable[nodes.Node]) -> set[int]:
    """Ids of the nodes under ``roots`` a skeleton must hold besides the usual: those in the tables, and
    the node each internal target hands its names to."""
    keep = {id(node) for node in _table_nodes(tables_of(document)) if node is not FOREIGN}
    for root in roots:
        for target in root.findall(nodes.target):
            if is_internal_target(target):
                keep.update(id(node) for node in _next_nodes(target))
    return keep


def extract(document: RecordingDocument) -> Skeleton:
    """The skeleton of ``document``, just parsed (before any transform)."""
    keep = keep_for(document, [document])
    copies: dict[int, nodes.Node] = {}
    sections: dict[int, nodes.Element] = {}
    root = _container(document, keep, copies, sections)
    assert isinstance(root, nodes.document)
    tables: dict[str, Any] = {}

    def copied(node: nodes.Node) -> nodes.Node:
        copy = copies.get(id(node))
        if copy is None:
            copy = copies[id(node)] = copy_node(node)
        return copy

    for name in NODE_MAPS:
        tables[name] = {
            key: None if node is None else copied(node) for key, node in getattr(document, name).items()
        }
    for name in LIST_MAPS:
        tables[name] = {
            key: [copied(node) for node in values] for key, values in getattr(document, name).items()
        }
    for name in NODE_LISTS:
        tables[name] = [copied(node) for node in getattr(document, name)]
    for name in VALUES:
        value = getattr(document, name)
        tables[name] = type(value)(value) if isinstance(value, dict) else value
    registered: dict[int, int] = {}
    for key, (event, _) in document.registered.items():
        copy = copies.get(key)
        if copy is not None:
            registered[id(copy)] = event
    return Skeleton(root=root, sections=sections, tables=tables, registered=registered)


def _container(
    node: nodes.Element, keep: set[int], copies: dict[int, nodes.Node], sections: dict[int, nodes.Element]
) -> nodes.Element:
    """A copy of a document or section: its title whole, each other element shallow, its sections again."""
    copy = copy_node(node)
    assert isinstance(copy, nodes.Element)
    if isinstance(node, nodes.document):
        copy = object.__new__(nodes.document)
        copy.__dict__.update({"attributes": dict(node.attributes), "children": [], "parent": None})
        copy.__dict__.update({"rawsource": "", "tagname": "document", "_document": None})
    copies[id(node)] = copy
    sections[id(node)] = copy
    children: list[nodes.Node] = []
    for child in node.children:
        if isinstance(child, nodes.section):
            children.append(_container(child, keep, copies, sections))
        elif isinstance(child, nodes.title):
            title = deep_copy(child, copies)
            assert isinstance(title, nodes.Element)
            title[THIN] = True
            children.append(title)
        else:
            children.append(thin_child(child, keep, copies))
    _attach(copy, children)
    return copy


def thin_child(node: nodes.Node, keep: set[int], copies: dict[int, nodes.Node]) -> nodes.Node:
    """The copy of an element a section holds: itself, marked, with what the transforms need inside.

    One that holds nothing the transforms look at is marked :data:`PLAIN`: only
    the edited section needs it (for its place among its siblings).
    """
    if isinstance(node, _WHOLE):
        copy = deep_copy(node, copies)
    else:
        copy = copy_node(node)
        copies[id(node)] = copy
        if isinstance(node, nodes.Element):
            assert isinstance(copy, nodes.Element)
            _attach(copy, _inside(node, keep, copies))
    if isinstance(copy, nodes.Element):
        copy[THIN] = True
        if not copy.children and not isinstance(node, _KEPT) and id(node) not in keep:
            setattr(copy, PLAIN, True)
    return copy


def _inside(node: nodes.Element, keep: set[int], copies: dict[int, nodes.Node]) -> list[nodes.Node]:
    kept: list[nodes.Node] = []
    for child in node.children:
        if isinstance(child, nodes.Text):
            continue
        if isinstance(child, _WHOLE):
            kept.append(deep_copy(child, copies))
            continue
        assert isinstance(child, nodes.Element)
        inner = _inside(child, keep, copies)
        if inner or isinstance(child, _KEPT) or id(child) in keep:
            copy = copy_node(child)
            assert isinstance(copy, nodes.Element)
            copies[id(child)] = copy
            _attach(copy, inner)
            kept.append(copy)
    return kept

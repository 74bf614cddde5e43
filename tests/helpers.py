"""Helpers the tests share: the corpus beside the clone, signed-in clients, a small HTML tree."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

CINDER_TEMPLATE = CORPUS / "cinder-specs" / "specs" / "template.rst"

MANILA_TEMPLATE = CORPUS / "manila-specs" / "specs" / "template.rst"


def corpus_path(*parts: str) -> Path:
    """A path in ../shared/corpus; the calling test skips when the corpus is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"the spec corpus is not at {CORPUS} (CI always has it beside the clone)")
    return CORPUS.joinpath(*parts)


def corpus_specs(project: str) -> list[Path]:
    """Every spec file of a corpus repository (not its template), sorted."""
    root = CORPUS / f"{project}-specs" / "specs"
    return (
        sorted(path for path in root.glob("**/*.rst") if path.name != "template.rst") if root.is_dir() else []
    )


def client_for(user, password):
    """A separate browser signed in as ``user``, for tests with two people at once."""
    from django.test import Client

    browser = Client()
    assert browser.login(username=user.get_username(), password=password)
    return browser


class HTMLNode:
    """An element of a parsed page: tag, attributes, children, parent."""

    def __init__(self, tag: str, attrs: dict[str, str | None], parent: HTMLNode | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[HTMLNode | str] = []

    def iter(self):
        for child in self.children:
            if isinstance(child, HTMLNode):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[HTMLNode]:
        """Elements with ``tag`` whose attributes contain the given values (``class_`` for class)."""
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if all(
                value in (node.attrs.get(name.rstrip("_")) or "").split()
                or node.attrs.get(name.rstrip("_")) == value
                for name, value in attrs.items()
            ):
                found.append(node)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> HTMLNode | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text for child in self.children)

    @property
    def visible_text(self) -> str:
        """The text a sighted reader sees: without ``visually-hidden`` labels meant for screen readers."""
        return "".join(
            child
            if isinstance(child, str)
            else ""
            if "visually-hidden" in (child.attrs.get("class") or "").split()
            else child.visible_text
            for child in self.children
        )


_VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


def html_tree(content: bytes | str) -> HTMLNode:
    """A page's element tree, good enough for tests to ask what contains what."""
    from html.parser import HTMLParser

    root = HTMLNode("#document", {}, None)

    class Builder(HTMLParser):
        current = root

        def handle_starttag(self, tag, attrs):
            node = HTMLNode(tag, dict(attrs), self.current)
            self.current.children.append(node)
            if tag not in _VOID_ELEMENTS:
                self.current = node

        def handle_startendtag(self, tag, attrs):
            self.current.children.append(HTMLNode(tag, dict(attrs), self.current))

        def handle_endtag(self, tag):
            node = self.current
            while node is not root and node.tag != tag:
                node = node.parent
            if node is not root:
                self.current = node.parent

        def handle_data(self, data):
            self.current.children.append(data)

    builder = Builder(convert_charrefs=True)
    builder.feed(content.decode() if isinstance(content, bytes) else content)
    builder.close()
    return root

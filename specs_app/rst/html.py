"""Write a spec's doctree as safe HTML5 whose block elements carry their source line.

Two layers, each enough on its own for the case it is written for:

1. :class:`SpecTranslator` writes HTML5 with ``data-line`` on block elements;
   it unlinks links that are not http, https, mailto or relative and leaves
   out images that are not http or https, with a diagnostic for each; it
   keeps only the CSS classes docutils itself uses (an author's ``:class:``
   could otherwise borrow the application's own styles), never embeds or
   measures an image file, and writes no comments or raw markup.
2. :func:`sanitise` runs the result through nh3 with an allow-list of tags,
   attributes, classes and URL schemes, so nothing else reaches a browser.
"""

from __future__ import annotations

import re
from typing import Any

import nh3
from docutils import nodes
from docutils.writers import html5_polyglot

from .dialect import DIAGRAM_DIRECTIVES

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})

# Classes docutils (and this dialect) put on elements, and nothing else.
ALLOWED_CLASSES = frozenset(
    {
        # admonitions
        "admonition",
        "admonition-title",
        "attention",
        "caution",
        "danger",
        "error",
        "hint",
        "important",
        "note",
        "tip",
        "warning",
        "seealso",
        "todo",
        # literal text and code
        "code",
        "literal",
        "literal-block",
        "pre",
        "docutils",
        "doctest",
        "doctest-block",
        "math",
        "xref",
        "toctree",
        "diagram",
        *DIAGRAM_DIRECTIVES,
        "ln",
        # lists, fields, options
        "simple",
        "arabic",
        "loweralpha",
        "upperalpha",
        "lowerroman",
        "upperroman",
        "field-list",
        "field-odd",
        "field-even",
        "colon",
        "classifier",
        "option-list",
        "option",
        "docinfo",
        # footnotes, citations, references
        "footnote",
        "footnote-list",
        "footnote-reference",
        "citation",
        "citation-list",
        "citation-reference",
        "brackets",
        "superscript",
        "label",
        "fn-bracket",
        "backrefs",
        "reference",
        "external",
        "internal",
        "image-reference",
        "title-reference",
        "problematic",
        "target",
        # tables
        "table",
        "head",
        "stub",
        "colwidths-auto",
        "colwidths-given",
        "borderless",
        "booktabs",
        "align-left",
        "align-center",
        "align-right",
        "align-top",
        "align-middle",
        "align-bottom",
        # other body elements
        "topic",
        "topic-title",
        "sidebar",
        "sidebar-title",
        "sidebar-subtitle",
        "rubric",
        "epigraph",
        "highlights",
        "pull-quote",
        "attribution",
        "compound",
        "compound-first",
        "compound-middle",
        "compound-last",
        "container",
        "line-block",
        "line",
        "figure",
        "caption",
        "legend",
        "contents",
        "local",
        "auto-toc",
        "sectnum",
        "toc-backref",
        "section-subtitle",
        "subtitle",
        "transition",
        "abbreviation",
        "acronym",
    }
)
_LANGUAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#._-]{0,39}\Z")
# Code languages whose class survives sanitising (as "language-python"): what
# specs use, and what Sphinx highlights most. Others render the same, unclassed.
CODE_LANGUAGES = frozenset(
    {
        "apache",
        "bash",
        "c",
        "c++",
        "cfg",
        "console",
        "cpp",
        "css",
        "csv",
        "diff",
        "docker",
        "dockerfile",
        "go",
        "html",
        "http",
        "ini",
        "java",
        "javascript",
        "js",
        "jinja",
        "json",
        "json5",
        "make",
        "makefile",
        "mysql",
        "nginx",
        "none",
        "perl",
        "php",
        "powershell",
        "psql",
        "pycon",
        "python",
        "python3",
        "pytb",
        "rest",
        "rst",
        "ruby",
        "rust",
        "sh",
        "shell",
        "shell-session",
        "sql",
        "text",
        "toml",
        "ts",
        "typescript",
        "udiff",
        "xml",
        "yaml",
        "yml",
    }
)
CODE_LANGUAGE_CLASSES = frozenset(f"language-{language}" for language in CODE_LANGUAGES)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers ignore these in a URL: "java\tscript:" is "javascript:".
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")
# The ARIA roles docutils' HTML5 writer sets.
_ROLES = frozenset(
    {
        "doc-footnote",
        "doc-noteref",
        "doc-backlink",
        "doc-biblioentry",
        "doc-biblioref",
        "doc-toc",
        "doc-abstract",
        "doc-dedication",
        "heading",
        "list",
    }
)


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in ``url``, lower-cased; None for a relative URL."""
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", url))
    return match.group(1).lower() if match else None


def link_is_allowed(url: str) -> bool:
    scheme = url_scheme(url)
    return scheme is None or scheme in LINK_SCHEMES


def image_is_allowed(url: str) -> bool:
    """Only absolute http(s) images: a relative one would request the application's own URLs."""
    return url_scheme(url) in IMAGE_SCHEMES


def _shorten(url: str, limit: int = 60) -> str:
    return url if len(url) <= limit else url[: limit - 3] + "..."


def _mark_language(node: nodes.Element) -> None:
    """Record a code block's language apart from its classes.

    docutils puts the language in the classes (``code python``), where it is
    indistinguishable from an author's ``:class:``; it is written back as
    ``language-python``, the HTML convention, which cannot clash with a style.
    """
    classes = node["classes"]
    if len(classes) > 1 and classes[0] == "code" and _LANGUAGE.match(classes[1]):
        node["language"] = classes.pop(1).lower()


class SpecTranslator(html5_polyglot.HTMLTranslator):
    """docutils' HTML5 translator with source lines, a class allow-list and no file access."""

    def __init__(self, document: nodes.document) -> None:
        super().__init__(document)
        self.image_loading = "link"  # never "embed", whatever the settings say
        self._last_lined: nodes.Node | None = None
        self._unlinked: set[int] = set()

    def starttag(
        self, node: Any, tagname: str, suffix: str = "\n", empty: bool = False, **attributes: Any
    ) -> str:
        if not isinstance(node, nodes.Element):
            return super().starttag(node, tagname, suffix, empty, **attributes)
        if node is not self._last_lined:
            self._last_lined = node  # only an element's first tag gets its line
            if _is_block(node):
                line = node.line or source_line(node)
                if line:
                    attributes["data-line"] = line
        language = node.attributes.get("language")
        if language:
            attributes["classes"] = [*attributes.get("classes", ()), f"language-{language}"]
        classes = node["classes"]
        if not classes or ALLOWED_CLASSES.issuperset(classes):
            return super().starttag(node, tagname, suffix, empty, **attributes)
        node["classes"] = [name for name in classes if name in ALLOWED_CLASSES]
        try:
            return super().starttag(node, tagname, suffix, empty, **attributes)
        finally:
            node["classes"] = classes

    def visit_reference(self, node: nodes.reference) -> None:
        url = node.get("refuri")
        if url is None or link_is_allowed(url):
            super().visit_reference(node)
            return
        self.document.reporter.warning(
            f'Link removed: "{_shorten(url)}" is not an http, https or mailto address.', base_node=node
        )
        self._unlinked.add(id(node))
        self.body.append(self.starttag(node, "span", ""))

    def depart_reference(self, node: nodes.reference) -> None:
        if id(node) in self._unlinked:
            self.body.append("</span>")
        else:
            super().depart_reference(node)

    def visit_literal_block(self, node: nodes.literal_block) -> None:
        _mark_language(node)
        super().visit_literal_block(node)

    def visit_literal(self, node: nodes.literal) -> None:
        _mark_language(node)
        super().visit_literal(node)

    def read_size_with_PIL(self, node: nodes.image) -> None:
        """Never open an image file to measure it."""
        return None

    def visit_image(self, node: nodes.image) -> None:
        url = node.get("uri", "")
        if not image_is_allowed(url):
            self.document.reporter.warning(
                f'Image removed: "{_shorten(url)}" is not an http or https address.', base_node=node
            )
            raise nodes.SkipNode
        node["loading"] = "lazy" if node.get("loading") == "lazy" else "link"
        super().visit_image(node)

    def visit_comment(self, node: nodes.comment, sub: object = None) -> None:  # sub: the base's signature
        raise nodes.SkipNode

    def visit_raw(self, node: nodes.raw) -> None:
        raise nodes.SkipNode


_NOT_BLOCKS = (nodes.Inline, nodes.document, nodes.colspec)


def _is_block(node: nodes.Element) -> bool:
    if isinstance(node, nodes.image):
        return not isinstance(node.parent, nodes.TextElement)
    return not isinstance(node, _NOT_BLOCKS)


def source_line(node: nodes.Element) -> int | None:
    """The 1-based source line a block starts on: its own, its first descendant's, or its parent's.

    Table rows and cells, field names and a few generated elements have no
    line of their own; the first line inside them is where they start, and
    an element with no line inside (a footnote's label, an admonition's
    generated title) starts where its parent does.
    """
    if node.line:
        return node.line
    for descendant in node.findall(nodes.Element, include_self=False):
        if descendant.line:
            return descendant.line
    parent = node.parent
    if parent is None or isinstance(parent, nodes.document):
        return None
    return source_line(parent)


_TAGS = frozenset(
    {
        "a",
        "abbr",
        "acronym",
        "aside",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "img",
        "ins",
        "kbd",
        "li",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "tt",
        "ul",
        "var",
    }
)
_ATTRIBUTES = {
    "*": {"id", "data-line", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "style"},
    "col": {"style", "span"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "abbr": {"title"},
    "acronym": {"title"},
}


_CLEANER = nh3.Cleaner(
    tags=set(_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
    allowed_classes={
        tag: set(ALLOWED_CLASSES | CODE_LANGUAGE_CLASSES) if tag in ("pre", "code") else set(ALLOWED_CLASSES)
        for tag in _TAGS
    },
    tag_attribute_values={tag: {"role": set(_ROLES)} for tag in ("a", "aside", "div", "nav", "p", "span")}
    | {"img": {"loading": {"lazy"}}},
    url_schemes=set(LINK_SCHEMES),
    filter_style_properties={"width", "height"},
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)


def sanitise(html: str) -> str:
    """``html`` with only allowed tags, attributes, classes and http/https/mailto URLs."""
    return _CLEANER.clean(html)


def write_body(document: nodes.document) -> str:
    """The document's body as (unsanitised) HTML5, title and subtitle left out."""
    translator = SpecTranslator(document)
    document.walkabout(translator)
    return "".join(translator.body)

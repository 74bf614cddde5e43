"""The reStructuredText dialect SpecPortal accepts: docutils, made safe, plus Sphinx stand-ins.

docutils keeps its directives and roles in process-wide dictionaries, and a
document can change them (``.. role::`` and ``.. default-role::`` register
roles for every later document in the process). :func:`spec_dialect` installs
this dialect for the length of one parse and then puts the dictionaries back
exactly as they were, so no document sees another's roles and nothing outside
SpecPortal (Django's admindocs also uses docutils) sees ours.

What the dialect changes:

- ``include``, ``raw`` (directive and role), ``csv-table`` with ``:file:`` or
  ``:url:`` never read anything: they say so in a diagnostic instead. The
  safety settings already disable them; these stand-ins make that not depend
  on a setting alone, and give the author a clear reason.
- ``image`` and ``figure`` with ``:loading: embed`` are linked instead (the
  HTML writer reads an embedded image's file even with file insertion off).
- Sphinx roles (``:doc:``, ``:ref:`` ...) render as literal text, Sphinx's
  ``code-block`` options are accepted, and diagram directives (``graphviz``,
  ``seqdiag`` ...) show their source, so real specs preview without errors.
- Every directive's first node carries the directive's own line: docutils
  gives some of them the line of their content, or the line after it.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.directives.body import CodeBlock
from docutils.parsers.rst.directives.images import Figure, Image
from docutils.parsers.rst.directives.tables import CSVTable
from docutils.parsers.rst.languages import en

FILE_INCLUSION_DISABLED = "File inclusion is disabled here"
RAW_DISABLED = "Raw HTML is disabled here"
EMBEDDING_DISABLED = "Embedding images is disabled here"

# docutils' registries are process-wide; one parse at a time may swap them.
_REGISTRY_LOCK = threading.RLock()


def _with_directive_line(directive_class: type[Directive]) -> type[Directive]:
    """``directive_class`` whose first output node starts at the directive's line.

    The HTML carries each block's source line (``data-line``); a code block,
    an epigraph or a parsed literal would otherwise point at its content or
    past it.
    """

    def run(self: Directive) -> list[nodes.Node]:
        result = super(wrapper, self).run()
        for node in result:
            if isinstance(node, nodes.Element) and not isinstance(node, nodes.system_message | nodes.pending):
                node.line = self.lineno
                break
        return result

    wrapper = type(directive_class.__name__, (directive_class,), {"run": run, "__module__": __name__})
    return wrapper


class _AnyOption(dict):
    """An option spec that accepts every option: stand-ins ignore Sphinx options they do not use."""

    def __missing__(self, key: str) -> Callable[[str | None], str | None]:
        return directives.unchanged

    def __bool__(self) -> bool:  # docutils parses options only when the spec is truthy
        return True


class SafeInclude(Directive):
    """``include`` that reads nothing and says why."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = _AnyOption()
    has_content = False

    def run(self) -> list[nodes.Node]:
        return [
            self.state.document.reporter.warning(
                f'{FILE_INCLUSION_DISABLED}: "{self.arguments[0]}" was not included.',
                line=self.lineno,
            )
        ]


class SafeRaw(Directive):
    """``raw`` that passes nothing through and reads no file or URL."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = _AnyOption()
    has_content = True

    def run(self) -> list[nodes.Node]:
        source = self.options.get("file") or self.options.get("url")
        reason = f'; "{source}" was not read' if source else ""
        return [
            self.state.document.reporter.warning(
                f'{RAW_DISABLED}: the "raw" directive was ignored{reason}.', line=self.lineno
            )
        ]


def safe_raw_role(
    role: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """The ``raw`` role, and every role derived from it, shows its text as written."""
    message = inliner.reporter.warning(
        f'{RAW_DISABLED}: the "{role}" role passes raw markup through, so it was ignored.', line=lineno
    )
    return [inliner.problematic(rawtext, rawtext, message)], [message]


safe_raw_role.options = {"format": directives.unchanged}  # type: ignore[attr-defined]


class SafeCSVTable(CSVTable):
    """``csv-table`` that builds tables from its content only, never from a file or URL."""

    def run(self) -> list[nodes.Node]:
        source = self.options.get("file") or self.options.get("url")
        if source:
            return [
                self.state.document.reporter.warning(
                    f'{FILE_INCLUSION_DISABLED}: the table data in "{source}" was not read.', line=self.lineno
                )
            ]
        return super().run()


def _link_instead_of_embedding(directive: Image) -> None:
    if directive.options.get("loading") == "embed":
        directive.options["loading"] = "link"
        directive.state.document.reporter.warning(
            f'{EMBEDDING_DISABLED}: "{directive.arguments[0]}" is linked instead.', line=directive.lineno
        )


class SafeImage(Image):
    """``image`` that never asks the writer to read the image file."""

    def run(self) -> list[nodes.Node]:
        _link_instead_of_embedding(self)
        return super().run()


class SafeFigure(Figure):
    """``figure`` that never asks the writer to read the image file."""

    def run(self) -> list[nodes.Node]:
        _link_instead_of_embedding(self)
        return super().run()


class SphinxCodeBlock(CodeBlock):
    """docutils' ``code`` that also accepts the options Sphinx's ``code-block`` takes.

    ``:linenos:`` and ``:lineno-start:`` number the lines; ``:caption:``,
    ``:emphasize-lines:``, ``:dedent:`` and ``:force:`` only matter to Sphinx's
    output and are ignored here, rather than failing the preview.
    """

    option_spec = {
        **CodeBlock.option_spec,
        "linenos": directives.flag,
        "lineno-start": int,
        "emphasize-lines": directives.unchanged,
        "caption": directives.unchanged,
        "dedent": directives.unchanged,
        "force": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        if "linenos" in self.options or "lineno-start" in self.options:
            self.options.setdefault("number-lines", self.options.get("lineno-start", 1))
        for sphinx_only in ("linenos", "lineno-start", "emphasize-lines", "caption", "dedent", "force"):
            self.options.pop(sphinx_only, None)
        return super().run()


class DiagramSource(Directive):
    """A Sphinx diagram directive (``graphviz``, ``seqdiag`` ...) shown as its source text.

    Drawing needs the diagram tools, which a preview must not run; the
    source is what an author edits anyway. A diagram read from a file is
    not shown, with a diagnostic saying so.
    """

    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = _AnyOption()
    has_content = True

    def run(self) -> list[nodes.Node]:
        if not self.content:
            where = f' "{self.arguments[0]}"' if self.arguments else ""
            return [
                self.state.document.reporter.warning(
                    f'{FILE_INCLUSION_DISABLED}: the "{self.name}" diagram{where} is not shown.',
                    line=self.lineno,
                )
            ]
        text = "\n".join(self.content)
        node = nodes.literal_block(text, text, classes=["diagram", self.name])
        node.line = self.lineno
        return [node]


class SphinxAdmonition(Directive):
    """Sphinx's ``seealso`` and ``todo``: a titled admonition."""

    titles = {"seealso": "See also", "todo": "Todo"}
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content)
        node = nodes.admonition(text, classes=[self.name])
        node += nodes.title("", self.titles[self.name])
        if self.arguments:
            node += nodes.paragraph("", "", *self.state.inline_text(self.arguments[0], self.lineno)[0])
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class SphinxHighlight(Directive):
    """Sphinx's ``highlight`` (the default code language): nothing to show in a preview."""

    required_arguments = 1
    option_spec = _AnyOption()

    def run(self) -> list[nodes.Node]:
        return []


# Sphinx's own pattern; docutils marks backslash-escaped characters with \x00.
_EXPLICIT_TITLE = re.compile(r"^(?P<title>.+?)\s*(?<!\x00)<(?P<target>[^<]*?)>$", re.DOTALL)


def sphinx_reference_role(
    role: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """A Sphinx cross-reference (``:doc:``, ``:ref:`` ...) as literal text.

    The target lives in the Sphinx project, not in this document, so it
    cannot be a link here. ``Title <target>`` shows the title, as Sphinx does.
    """
    match = _EXPLICIT_TITLE.match(text)
    shown = nodes.unescape(match.group("title") if match else text)
    return [nodes.literal(rawtext, shown, classes=["xref"])], []


SPHINX_REFERENCE_ROLES = (
    "doc",
    "ref",
    "numref",
    "term",
    "any",
    "download",
    "envvar",
    "option",
    "program",
    "command",
    "file",
    "samp",
    "guilabel",
    "menuselection",
    "manpage",
    "abbr",
    "kbd",
    "class",
    "func",
    "meth",
    "mod",
    "attr",
    "exc",
    "obj",
    "data",
    "const",
    "py:class",
    "py:func",
    "py:meth",
    "py:mod",
    "py:attr",
    "py:exc",
    "py:obj",
    "py:data",
    "py:const",
)
DIAGRAM_DIRECTIVES = ("graphviz", "digraph", "graph", "seqdiag", "blockdiag", "actdiag", "nwdiag", "uml")
_REPLACEMENTS: dict[str, type[Directive]] = {
    "include": SafeInclude,
    "raw": SafeRaw,
    "csv-table": SafeCSVTable,
    "image": SafeImage,
    "figure": SafeFigure,
    "code": SphinxCodeBlock,
    **{name: DiagramSource for name in DIAGRAM_DIRECTIVES},
    "seealso": SphinxAdmonition,
    "todo": SphinxAdmonition,
    "highlight": SphinxHighlight,
}


def _build_directives() -> dict[str, type[Directive]]:
    """Every English directive name mapped to its (safe, line-correcting) class."""
    canonical: dict[str, type[Directive]] = {}
    for name, (module_name, class_name) in directives._directive_registry.items():
        directive_class = _REPLACEMENTS.get(name)
        if directive_class is None:
            module = importlib.import_module(f"docutils.parsers.rst.directives.{module_name}")
            directive_class = getattr(module, class_name)
        canonical[name] = _with_directive_line(directive_class)
    for name, directive_class in _REPLACEMENTS.items():
        canonical.setdefault(name, _with_directive_line(directive_class))
    table = dict(canonical)
    for local_name, canonical_name in en.directives.items():
        if canonical_name in canonical:
            table[local_name] = canonical[canonical_name]
    return table


def _build_roles() -> dict[str, Callable[..., Any]]:
    table: dict[str, Callable[..., Any]] = {name: sphinx_reference_role for name in SPHINX_REFERENCE_ROLES}
    table["raw"] = safe_raw_role
    return table


DIRECTIVES = _build_directives()
ROLES = _build_roles()


@contextmanager
def spec_dialect() -> Iterator[None]:
    """Parse in SpecPortal's dialect; docutils' registries are restored afterwards.

    Holds a process-wide lock: docutils cannot keep two dialects apart in one
    process, and parsing is CPU-bound under the GIL anyway.
    """
    with _REGISTRY_LOCK:
        saved_roles = dict(roles._roles)
        saved_directives = dict(directives._directives)
        roles._roles.update(ROLES)
        directives._directives.update(DIRECTIVES)
        try:
            yield
        finally:
            roles._roles.clear()
            roles._roles.update(saved_roles)
            directives._directives.clear()
            directives._directives.update(saved_directives)

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
- Sphinx's ``toctree`` lists its entries as literal text, and its
  ``literalinclude`` reads nothing, like ``include``.
- Every directive's first node carries the directive's own line: docutils
  gives some of them the line of their content, or the line after it.
- Every directive and role of the dialect sees its name in lower case, as
  docutils looks it up (``.. TODO::`` is ``todo``), and a bug in one of them
  is a diagnostic at its line, with its source shown, instead of a failed
  render.
"""

from __future__ import annotations

import functools
import importlib
import re
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

from docutils import ApplicationError, nodes
from docutils.parsers.rst import Directive, DirectiveError, directives, roles
from docutils.parsers.rst.directives.body import CodeBlock
from docutils.parsers.rst.directives.images import Figure, Image
from docutils.parsers.rst.directives.tables import CSVTable
from docutils.parsers.rst.languages import en
from docutils.statemachine import StateMachineError

FILE_INCLUSION_DISABLED = "File inclusion is disabled here"
RAW_DISABLED = "Raw HTML is disabled here"
EMBEDDING_DISABLED = "Embedding images is disabled here"

# docutils' registries are process-wide; one parse at a time may swap them.
_REGISTRY_LOCK = threading.RLock()
# The registries themselves: private, so not in docutils' stubs; never rebound, only changed in place.
_ROLES_IN_USE: dict[str, Any] = roles._roles  # type: ignore[attr-defined]
_DIRECTIVES_IN_USE: dict[str, Any] = directives._directives  # type: ignore[attr-defined]


# Exceptions docutils raises on purpose while a directive runs, and handles
# itself: a directive's own error, the state machine's control flow, and the
# limits the renderer reports on (too deep, too large).
_DOCUTILS_FLOW = (DirectiveError, ApplicationError, StateMachineError, EOFError, RecursionError, MemoryError)


def dialect_directive(directive_class: type[Directive]) -> type[Directive]:
    """``directive_class`` as the dialect runs it: by its canonical name, at its own line, never crashing.

    - docutils finds a directive by its name in lower case but hands it the
      name as written (``.. TODO::``); the directive sees the lower-case name,
      so code that looks something up by its name works however it is spelt.
    - The HTML carries each block's source line (``data-line``); a code block,
      an epigraph or a parsed literal would otherwise point at its content or
      past it, so the first output node gets the directive's line.
    - A bug in a directive (any exception docutils does not raise on purpose)
      costs that directive only: its source is shown as written, with a
      severe diagnostic at its line, and the rest of the document renders.
      A failure inside a directive nested in it is left to that directive
      or, if it is not the dialect's, to the renderer, which reports its line.
    """

    def run(self: Directive) -> Sequence[nodes.Node]:
        self.name = self.name.lower()
        try:
            result = directive_class.run(self)  # the wrapper's one base: what super() would call
        except _DOCUTILS_FLOW:
            raise
        except Exception as error:
            if not _raised_in(self, error):  # a directive nested in this one: not this one's to hide
                raise
            return _failed_directive(self, error)
        for node in result:
            if isinstance(node, nodes.Element) and not isinstance(node, nodes.system_message | nodes.pending):
                node.line = self.lineno
                break
        return result

    wrapper = type(directive_class.__name__, (directive_class,), {"run": run, "__module__": __name__})
    return wrapper


def _raised_in(directive: Directive, error: Exception) -> bool:
    """Whether ``directive`` is the innermost directive that was running when ``error`` was raised."""
    for frame, _ in reversed(list(traceback.walk_tb(error.__traceback__))):
        owner = frame.f_locals.get("self")
        if isinstance(owner, Directive):
            return owner is directive
    return False


def _failed_directive(directive: Directive, error: Exception) -> list[nodes.Node]:
    source = nodes.literal_block(directive.block_text, directive.block_text)
    source.line = directive.lineno
    message = directive.state.document.reporter.severe(
        f'The "{directive.name}" directive could not be rendered ({type(error).__name__}: {error}); '
        "it is shown as written.",
        line=directive.lineno,
    )
    return [source, message]


def dialect_role(role_function: Callable[..., Any]) -> Callable[..., Any]:
    """``role_function`` as the dialect runs it: by its lower-case name, never crashing.

    Same reasons as :func:`dialect_directive`: docutils passes the role's
    name as written (``:DOC:``), and a bug in a role costs only that role.
    """

    @functools.wraps(role_function)
    def run(
        role: str,
        rawtext: str,
        text: str,
        lineno: int,
        inliner: Any,
        options: dict[str, Any] | None = None,
        content: list[str] | None = None,
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        try:
            return role_function(role.lower(), rawtext, text, lineno, inliner, options, content)
        except _DOCUTILS_FLOW:
            raise
        except Exception as error:
            message = inliner.reporter.severe(
                f'The "{role.lower()}" role could not be rendered ({type(error).__name__}: {error}); '
                "it is shown as written.",
                line=lineno,
            )
            return [inliner.problematic(rawtext, rawtext, message)], [message]

    return run


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

    def run(self) -> Sequence[nodes.table | nodes.system_message]:
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

    def run(self) -> Sequence[nodes.Node]:
        _link_instead_of_embedding(self)
        return super().run()


class SafeFigure(Figure):
    """``figure`` that never asks the writer to read the image file."""

    def run(self) -> Sequence[nodes.Node]:
        _link_instead_of_embedding(self)
        return super().run()


class SphinxCodeBlock(CodeBlock):
    """docutils' ``code`` that also accepts the options Sphinx's ``code-block`` takes.

    ``:linenos:`` and ``:lineno-start:`` number the lines; ``:caption:``,
    ``:emphasize-lines:``, ``:dedent:`` and ``:force:`` only matter to Sphinx's
    output and are ignored here, rather than failing the preview.
    """

    # Not CodeBlock's type: its stub has converters return str | list[str]; flag returns None, int an int.
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
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


class SphinxToctree(Directive):
    """Sphinx's ``toctree``: its entries as a list of literal text.

    The documents it lists live in the Sphinx project, not in this text, so
    they cannot be links here (as with ``:doc:``); an index page still shows
    what it lists. ``Title <target>`` shows the title, as Sphinx does.
    """

    option_spec = _AnyOption()
    has_content = True

    def run(self) -> list[nodes.Node]:
        entries = [
            (self.content_offset + index + 1, entry.strip())
            for index, entry in enumerate(self.content)
            if entry.strip()
        ]
        if not entries:
            return []
        listing = nodes.bullet_list(classes=["toctree"])
        for line, entry in entries:
            match = _EXPLICIT_TITLE.match(entry)
            shown = match.group("title") if match else entry
            paragraph = nodes.paragraph("", "", nodes.literal(entry, shown, classes=["xref"]))
            paragraph.line = line
            item = nodes.list_item("", paragraph)
            item.line = line
            listing += item
        listing.line = self.lineno
        return [listing]


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
    "toctree": SphinxToctree,
    # Sphinx's include of a file as a code block: reads a file, like include.
    "literalinclude": SafeInclude,
}


def _build_directives() -> dict[str, type[Directive]]:
    """Every English directive name mapped to its (safe, line-correcting) class."""
    canonical: dict[str, type[Directive]] = {}
    for name, (module_name, class_name) in directives._directive_registry.items():  # type: ignore[attr-defined]
        directive_class = _REPLACEMENTS.get(name)
        if directive_class is None:
            module = importlib.import_module(f"docutils.parsers.rst.directives.{module_name}")
            directive_class = getattr(module, class_name)
        canonical[name] = dialect_directive(directive_class)
    for name, directive_class in _REPLACEMENTS.items():
        canonical.setdefault(name, dialect_directive(directive_class))
    table = dict(canonical)
    for local_name, canonical_name in en.directives.items():
        if canonical_name in canonical:
            table[local_name] = canonical[canonical_name]
    return table


def _build_roles() -> dict[str, Callable[..., Any]]:
    """Every English role name mapped to its (safe, case-proof) function.

    docutils' own roles are included, not left to docutils: its ``code`` role
    takes the name as written for a language (``:CODE:`` would be code in
    the language "CODE").
    """
    docutils_roles: dict[str, Callable[..., Any]] = roles._role_registry  # type: ignore[attr-defined]
    canonical = {name: docutils_roles[name] for name in set(en.roles.values()) if name in docutils_roles}
    canonical["raw"] = safe_raw_role
    canonical.update({name: sphinx_reference_role for name in SPHINX_REFERENCE_ROLES})
    table = {name: dialect_role(role_function) for name, role_function in canonical.items()}
    for local_name, canonical_name in en.roles.items():
        if canonical_name in table:
            table.setdefault(local_name, table[canonical_name])
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
        saved_roles = dict(_ROLES_IN_USE)
        saved_directives = dict(_DIRECTIVES_IN_USE)
        _ROLES_IN_USE.update(ROLES)
        _DIRECTIVES_IN_USE.update(DIRECTIVES)
        try:
            yield
        finally:
            _ROLES_IN_USE.clear()
            _ROLES_IN_USE.update(saved_roles)
            _DIRECTIVES_IN_USE.clear()
            _DIRECTIVES_IN_USE.update(saved_directives)

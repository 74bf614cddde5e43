"""docutils transforms that make the doctree of a spec safe to expand and true to its source.

- :class:`SubstitutionBudget` stops substitutions that expand exponentially
  (``.. |a2| replace:: |a1| |a1|`` twenty times over takes seconds to
  minutes) before docutils expands them, with one precise diagnostic.
- :class:`DocTitleOnly` promotes the first heading to the document title but
  never promotes a lone section to a subtitle: that would hide the section's
  heading from the HTML body and from the gate's title checks.
- :class:`LinedAdmonitions` keeps a note's or warning's line when docutils
  turns it into a generic admonition for HTML.
- :func:`correct_heading_lines` moves each heading's line from its underline,
  where docutils puts it, to its first line (the overline, if any), the line
  :mod:`specs_app.rst.document` numbers sections by.
"""

from __future__ import annotations

from docutils import languages, nodes
from docutils.readers import standalone
from docutils.transforms import Transform, frontmatter, references, writer_aux
from docutils.writers import html5_polyglot

# Elements all substitutions of a document may produce together. A real spec
# uses a handful; the exponential attack needs millions.
SUBSTITUTION_BUDGET = 20_000


class SubstitutionBudget(Transform):
    """Leave substitution references unexpanded once their total expansion exceeds the budget.

    Runs just before docutils' Substitutions transform. The size of every
    definition is computed with its nested references expanded (memoised,
    so in linear time); references are then charged in document order, and
    those past the budget become problematic text with one error message.
    """

    default_priority = references.Substitutions.default_priority - 1

    def apply(self) -> None:
        definitions = self.document.substitution_defs
        if not definitions:  # nothing to expand (undefined references are docutils' to report)
            return
        normalised = self.document.substitution_names
        sizes: dict[str, int] = {}

        def key_of(reference: nodes.Element) -> str | None:
            name = reference["refname"]
            return name if name in definitions else normalised.get(name.lower())

        def size_of(key: str, visiting: frozenset[str]) -> int:
            if key in sizes:
                return sizes[key]
            if key in visiting:  # circular: docutils reports it
                return 0
            definition = definitions[key]
            size = 1
            for node in definition.findall(nodes.Element):
                size += 1
                if isinstance(node, nodes.substitution_reference):
                    nested = key_of(node)
                    if nested is not None:
                        size += size_of(nested, visiting | {key})
                if size > SUBSTITUTION_BUDGET:
                    break
            sizes[key] = min(size, SUBSTITUTION_BUDGET + 1)
            return sizes[key]

        spent = 0
        message: nodes.system_message | None = None
        for reference in list(self.document.findall(nodes.substitution_reference)):
            key = key_of(reference)
            if key is None:
                continue
            spent += size_of(key, frozenset())
            if spent <= SUBSTITUTION_BUDGET:
                continue
            if message is None:
                message = self.document.reporter.error(
                    f'Substitutions expand too much here: "|{reference["refname"]}|" and the ones after it '
                    f"would produce more than {SUBSTITUTION_BUDGET:,} elements, "
                    "so they were left as written.",
                    base_node=reference,
                )
                self.document.set_id(message)
            problematic = nodes.problematic(reference.rawsource, reference.rawsource, refid=message["ids"][0])
            reference.replace_self(problematic)


class DocTitleOnly(frontmatter.DocTitle):
    """Promote the document title, never a subtitle."""

    def promote_subtitle(self, node: nodes.Element) -> bool:
        return False


class SpecReader(standalone.Reader):
    """The standalone reader with SpecPortal's transforms swapped in."""

    def get_transforms(self) -> list[type[Transform]]:
        swapped: dict[type[Transform], type[Transform]] = {frontmatter.DocTitle: DocTitleOnly}
        transforms = [swapped.get(transform, transform) for transform in super().get_transforms()]
        return [*transforms, SubstitutionBudget]


class LinedAdmonitions(writer_aux.Admonitions):
    """docutils' Admonitions transform, keeping each admonition's line.

    It replaces a ``note`` with a generic ``admonition`` node and drops the
    line on the way. This is its ``apply`` with the line carried over.
    """

    def apply(self) -> None:
        language = languages.get_language(self.document.settings.language_code, self.document.reporter)
        # Admonition is a category mixin, not a Node class: look at each element (as findall would).
        for node in self.document.findall(nodes.Element):
            if not isinstance(node, nodes.Admonition):
                continue
            node_name = node.__class__.__name__
            node["classes"].append(node_name)
            if not isinstance(node, nodes.admonition):
                admonition = nodes.admonition(node.rawsource, *node.children, **node.attributes)
                admonition.source, admonition.line = node.source, node.line
                admonition.insert(0, nodes.title("", language.labels[node_name]))
                node.replace_self(admonition)


class SpecWriter(html5_polyglot.Writer):
    """The HTML5 writer as a component of the transforms: its own, with admonition lines kept."""

    def get_transforms(self) -> list[type[Transform]]:
        swapped: dict[type[Transform], type[Transform]] = {writer_aux.Admonitions: LinedAdmonitions}
        return [swapped.get(transform, transform) for transform in super().get_transforms()]


def _is_adornment(line: str) -> bool:
    stripped = line.rstrip()
    return bool(stripped) and not stripped[0].isalnum() and stripped == stripped[0] * len(stripped)


def correct_heading_lines(document: nodes.document, lines: list[str]) -> None:
    """Give each section and heading the 1-based line its heading starts on.

    docutils records the underline's line. A heading is one text line under
    an optional overline, so it starts one line above the underline, or two
    when the line two above is the same adornment (the overline). Sections
    only nest in the document and in sections, so only those are visited.
    """
    containers: list[nodes.Element] = [document]
    while containers:
        container = containers.pop()
        for child in container.children:
            if isinstance(child, nodes.section):
                containers.append(child)
                if child.children and isinstance(child[0], nodes.title):
                    _move_to_heading_start(child, child[0], lines)
            elif isinstance(child, nodes.title) and container is document:
                _move_to_heading_start(None, child, lines)


def _move_to_heading_start(section: nodes.section | None, title: nodes.Element, lines: list[str]) -> None:
    underline = title.line
    if not underline or not 2 <= underline <= len(lines) or not _is_adornment(lines[underline - 1]):
        return
    first = underline - 1
    if underline >= 3 and lines[underline - 3].rstrip() == lines[underline - 1].rstrip():
        first = underline - 2
    title.line = first
    if section is not None:
        section.line = first

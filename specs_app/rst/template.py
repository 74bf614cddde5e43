"""Parse an OpenStack ``*-specs`` template into a tree of sections with guidance.

A template is itself a spec: its title is an example, its introduction tells
authors how to use it, and each section's body is the guidance an author reads
before writing that section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .document import HeadingStyle, body_text, split

_RELEASE_TEMPLATE_NAME = re.compile(r"(?:^|/)(?P<release>[\w.-]+)-template\.rst\Z")


@dataclass
class TemplateNode:
    title: str
    level: int
    style: HeadingStyle
    guidance: str  # the template's body for this section, as RST
    order: int  # position among all sections, in document order
    children: list[TemplateNode] = field(default_factory=list)

    def walk(self) -> Iterator[TemplateNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ParsedTemplate:
    example_title: str
    intro_guidance: str  # the notes before the first section
    sections: list[TemplateNode]  # top-level sections, each with its children

    def walk(self) -> Iterator[TemplateNode]:
        for section in self.sections:
            yield from section.walk()

    def top_level_titles(self) -> list[str]:
        return [section.title for section in self.sections]


class TemplateError(ValueError):
    """The text is not a usable template."""


def parse_template(text: str) -> ParsedTemplate:
    """Read a template's section tree; raise :class:`TemplateError` if it has none."""
    document = split(text)
    if not document.sections:
        raise TemplateError("The template has no sections under its title.")
    top_level: list[TemplateNode] = []
    open_parents: list[TemplateNode] = []
    for order, section in enumerate(document.sections):
        node = TemplateNode(
            title=section.title,
            level=section.level,
            style=section.style,
            guidance=body_text(section.body),
            order=order,
        )
        while open_parents and open_parents[-1].level >= node.level:
            open_parents.pop()
        if open_parents:
            open_parents[-1].children.append(node)
        else:
            top_level.append(node)
        open_parents.append(node)
    return ParsedTemplate(
        example_title=document.title,
        intro_guidance=body_text(document.intro),
        sections=top_level,
    )


def release_from_filename(path: str) -> str | None:
    """``rocky-template.rst`` names a template for the rocky release."""
    match = _RELEASE_TEMPLATE_NAME.search(path)
    return match.group("release") if match else None

"""Split a spec's .rst text into its parts and assemble the parts back.

The contract the rest of SpecPortal relies on: ``assemble(split(text)) == text``
byte for byte, for any text. Splitting only decides where the cuts go; every
character ends up in exactly one part, so a spec imported here and exported
again shows no diff in its repository.

A heading is found the way docutils finds one (a text line at column 0 under a
blank line, with an underline of one punctuation character, optionally with a
matching overline); levels follow docutils' rule too: adornment styles rank in
the order they first appear. The first heading is the document title.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

# docutils accepts any of these as section adornment.
ADORNMENT_CHARACTERS = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

_ADORNMENT_LINE = re.compile(rf"([{re.escape(ADORNMENT_CHARACTERS)}])\1*\Z")
# Lines that docutils reads as another body element before it considers a
# section title, so they can never be a heading's text.
_NOT_TITLE_TEXT = re.compile(
    r"""(
        \.\.(\s|\Z)            # explicit markup: comments, directives, targets
      | [-*+\u2022\u2023\u2043](\s|\Z)   # bullet list item
      | :[^:\s][^:]*:(\s|\Z)   # field list item
      | \|(\s|\Z)              # line block
      | >>>\s                  # doctest block
      | [+|]                   # grid table
    )""",
    re.VERBOSE,
)
# Underlines shorter than this are ordinary text when shorter than the title.
_SHORTEST_ACCEPTED_SHORT_UNDERLINE = 4


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced editor, as docutils measures a title.

    East Asian wide and fullwidth characters take two columns and combining
    marks none (``docutils.utils.column_width``), so a heading adorned by
    ``len`` would be too short for docutils under a Chinese or Japanese title.
    """
    return sum(
        0 if unicodedata.combining(character) else 2 if unicodedata.east_asian_width(character) in "WF" else 1
        for character in text
    )


@dataclass(frozen=True)
class HeadingStyle:
    """How a heading is adorned: its character, and whether it has an overline."""

    character: str
    overline: bool = False

    def adorn(self, title: str) -> str:
        """The canonical heading text for ``title`` in this style."""
        rule = self.character * max(display_width(title), 1)
        lines = [rule, title, rule] if self.overline else [title, rule]
        return "\n".join(lines) + "\n"


TITLE_STYLE = HeadingStyle("=", overline=True)
# The style each section level gets in a spec written here (the template's).
DEFAULT_LEVEL_STYLES = (HeadingStyle("="), HeadingStyle("-"), HeadingStyle("*"), HeadingStyle("~"))


@dataclass(frozen=True)
class Heading:
    title: str
    style: HeadingStyle
    source: str  # the heading's lines exactly as written, newlines included
    first_line: int  # 1-based line of the heading's first line (overline or text)

    @property
    def line_count(self) -> int:
        return 3 if self.style.overline else 2


@dataclass(frozen=True)
class Section:
    """A heading and the text under it up to the next heading of any level."""

    title: str
    level: int  # 1 for top-level sections, 2 for their subsections, ...
    style: HeadingStyle
    heading: str
    body: str
    first_line: int = 0  # where the heading starts in the assembled text

    @property
    def body_first_line(self) -> int:
        return self.first_line + self.heading.count("\n")

    def retitled(self, title: str) -> Section:
        return replace(self, title=title, heading=self.style.adorn(title))


@dataclass(frozen=True)
class Document:
    """A spec as text parts: prologue, title heading, introduction, sections."""

    prologue: str = ""  # before the title: the licence comment
    title: str = ""
    title_heading: str = ""
    intro: str = ""  # between the title and the first section
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def title_style(self) -> HeadingStyle:
        return heading_style(self.title_heading) if self.title_heading else TITLE_STYLE


def heading_style(heading_source: str) -> HeadingStyle:
    """The style of a heading from its source lines."""
    lines = heading_source.split("\n")
    if _ADORNMENT_LINE.match(lines[0].rstrip()) and len(lines) > 3:
        return HeadingStyle(lines[0].rstrip()[0], overline=True)
    return HeadingStyle(lines[1].rstrip()[0])


def _split_lines(text: str) -> list[str]:
    """Lines with their newline; only LF ends a line, so CRs stay in the text."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _is_adornment(line: str) -> bool:
    return bool(_ADORNMENT_LINE.match(line))


def _could_be_title_text(line: str) -> bool:
    return bool(line.strip()) and not _is_adornment(line.strip()) and not _NOT_TITLE_TEXT.match(line.lstrip())


def _underline_fits(title: str, underline: str) -> bool:
    return len(underline) >= display_width(title) or len(underline) >= _SHORTEST_ACCEPTED_SHORT_UNDERLINE


def find_headings(text: str) -> list[Heading]:
    """Every section heading in ``text``, in order."""
    lines = [line.rstrip() for line in _split_lines(text)]
    raw = _split_lines(text)
    headings: list[Heading] = []
    index = 0
    previous_blank = True
    while index < len(lines):
        line = lines[index]
        heading = None
        if previous_blank and line and not line[0].isspace():
            heading = _heading_at(lines, raw, index)
        if heading is not None:
            headings.append(heading)
            index += heading.line_count
            previous_blank = True  # a title needs no blank line after it
            continue
        previous_blank = not line.strip()
        index += 1
    return headings


def _heading_at(lines: list[str], raw: list[str], index: int) -> Heading | None:
    line = lines[index]
    following = lines[index + 1] if index + 1 < len(lines) else ""
    if _is_adornment(line) and index + 2 < len(lines):
        title = following.strip()
        underline = lines[index + 2]
        if title and _could_be_title_text(title) and underline == line and len(line) >= display_width(title):
            return Heading(title, HeadingStyle(line[0], True), "".join(raw[index : index + 3]), index + 1)
        return None
    if (
        _could_be_title_text(line)
        and following
        and _is_adornment(following)
        and _underline_fits(line, following)
    ):
        return Heading(line, HeadingStyle(following[0]), "".join(raw[index : index + 2]), index + 1)
    return None


def split(text: str) -> Document:
    """Cut ``text`` into prologue, title, introduction and sections."""
    headings = find_headings(text)
    raw = _split_lines(text)
    if not headings:
        return Document(prologue=text)

    def text_between(start_line: int, end_line: int) -> str:
        return "".join(raw[start_line - 1 : end_line - 1])

    title, *section_headings = headings
    level_of: dict[HeadingStyle, int] = {}
    for heading in section_headings:
        level_of.setdefault(heading.style, len(level_of) + 1)

    ends = [heading.first_line for heading in section_headings] + [len(raw) + 1]
    sections = tuple(
        Section(
            title=heading.title,
            level=level_of[heading.style],
            style=heading.style,
            heading=heading.source,
            body=text_between(heading.first_line + heading.line_count, end),
            first_line=heading.first_line,
        )
        for heading, end in zip(section_headings, ends[1:], strict=True)
    )
    return Document(
        prologue=text_between(1, title.first_line),
        title=title.title,
        title_heading=title.source,
        intro=text_between(title.first_line + title.line_count, ends[0]),
        sections=sections,
    )


def assemble(document: Document) -> str:
    """The .rst text of ``document``; the inverse of :func:`split`."""
    parts = [document.prologue, document.title_heading, document.intro]
    for section in document.sections:
        parts.append(section.heading)
        parts.append(section.body)
    return "".join(parts)


def with_line_numbers(document: Document) -> Document:
    """``document`` with each section's ``first_line`` set from its position."""
    line = 1 + sum(part.count("\n") for part in (document.prologue, document.title_heading, document.intro))
    sections = []
    for section in document.sections:
        sections.append(replace(section, first_line=line))
        line += section.heading.count("\n") + section.body.count("\n")
    return replace(document, sections=tuple(sections))


def normalise_newlines(text: str) -> str:
    """Browsers submit textareas with CRLF; a spec written here uses LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_edited_text(text: str) -> str:
    """Text an author typed here, as git wants it: LF endings, no trailing blanks.

    Only text edited in SpecPortal passes through this; imported text keeps its
    bytes and the gate reports what it departs from.
    """
    return "\n".join(line.rstrip(" \t") for line in normalise_newlines(text).split("\n"))


def body_text(raw_body: str) -> str:
    """What an author edits: the body without the blank lines around it."""
    return raw_body.strip("\n")


def edit_body(raw_body: str, new_text: str, *, last: bool = False) -> str:
    """Put ``new_text`` in place of a body, keeping the spacing around it.

    An unchanged text keeps its raw bytes, so saving a form does not rewrite an
    imported spec. A changed one keeps the blank lines it had before and after,
    with at least one blank line before the next heading so that heading stays
    a heading.
    """
    if normalise_newlines(new_text).strip("\n") == body_text(raw_body):
        return raw_body
    new_text = clean_edited_text(new_text).strip("\n")
    if new_text == body_text(raw_body):
        return raw_body
    if not new_text:
        return "" if last else "\n"
    stripped_start = raw_body.lstrip("\n")
    leading = raw_body[: len(raw_body) - len(stripped_start)] or "\n"
    trailing = raw_body[len(raw_body.rstrip("\n")) :]
    minimum_trailing = "\n" if last else "\n\n"
    if len(trailing) < len(minimum_trailing):
        trailing = minimum_trailing
    return leading + new_text + trailing


@dataclass(frozen=True)
class LineLocation:
    """Where a line of the assembled text falls: a section, or the preamble."""

    section_index: int | None  # None: prologue, title or introduction
    section_title: str
    line_in_section: int  # 1-based, counting from the section's heading


def locate_line(document: Document, line: int) -> LineLocation:
    """Map a 1-based line of ``assemble(document)`` to its section."""
    located = LineLocation(None, "", line)
    for index, section in enumerate(with_line_numbers(document).sections):
        if section.first_line > line:
            break
        located = LineLocation(index, section.title, line - section.first_line + 1)
    return located

"""Where an author edits each top-level section of a spec: shared by the incremental preview's test and bench.

``tests/rst/test_incremental_preview.py`` proves on the corpus that an edit of
each section renders as a whole render; ``bench/bench_preview.py`` times the
same edits.
"""

from __future__ import annotations

from specs_app.rst.document import split, with_line_numbers


def section_edits(text: str) -> list[int]:
    """For each top-level section in turn, the line (0-based) an author adds a word to.

    Its body's first line of prose (from a letter or digit); in a section without
    one, its body's last line; none in an empty section. The sections are
    :func:`~specs_app.rst.document.split`'s, which the corpus tests hold to
    docutils' own.
    """
    lines = text.split("\n")
    sections = with_line_numbers(split(text)).sections
    headings = {
        section.first_line - 1 + offset
        for section in sections
        for offset in range(section.heading.count("\n"))
    }
    edits = []
    for index, section in enumerate(sections):
        if section.level != 1:
            continue
        after = [other.first_line for other in sections[index + 1 :] if other.level == 1]
        end = after[0] - 1 if after else len(lines)
        body = [
            number
            for number in range(section.body_first_line - 1, end)
            if lines[number].strip() and number not in headings
        ]
        prose = [number for number in body if lines[number][0].isalnum()]
        if prose or body:
            edits.append((prose or body[-1:])[0])
    return edits


def add_word(text: str, line: int, word: str = "word") -> str:
    """``text`` with ``word`` added at the end of ``line`` (0-based), before a final ``::``."""
    lines = text.split("\n")
    stripped = lines[line].rstrip()
    if stripped.endswith("::"):  # keep the literal block that follows a literal block
        lines[line] = f"{stripped[:-2].rstrip()} {word}::"
    else:
        lines[line] = f"{stripped} {word}"
    return "\n".join(lines)

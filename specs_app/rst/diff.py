"""Per-section differences between two revisions of a spec, for the compare page.

Plain Python over texts. Sections pair up by title (a spec's headings are its
structure); the text before the first section is "Introduction". Each pair
gets line-level hunks for a unified view and row pairs for a side-by-side view;
unchanged sections say so and are folded by the page.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from . import document

CONTEXT_LINES = 3
INTRODUCTION = "Introduction"


@dataclass(frozen=True)
class Line:
    kind: str  # "context", "added", "removed"
    old_number: int | None
    new_number: int | None
    text: str


@dataclass(frozen=True)
class Row:
    """One row of the side-by-side view: old line and new line (either may be missing)."""

    kind: str  # "context", "changed", "added", "removed"
    old_number: int | None
    old_text: str | None
    new_number: int | None
    new_text: str | None


@dataclass
class Hunk:
    lines: list[Line] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


@dataclass
class SectionDiff:
    title: str
    status: str  # "unchanged", "changed", "added", "removed"
    hunks: list[Hunk] = field(default_factory=list)
    added: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"


@dataclass(frozen=True)
class _Part:
    title: str
    text: str
    first_line: int  # 1-based line of the part in its revision


def _parts(text: str) -> list[_Part]:
    parts = document.with_line_numbers(document.split(text))
    intro = parts.prologue + parts.title_heading + parts.intro
    found = [_Part(INTRODUCTION, intro, 1)]
    for section in parts.sections:
        found.append(_Part(section.title, section.heading + section.body, section.first_line))
    return found


def _pair(old: list[_Part], new: list[_Part]) -> list[tuple[_Part | None, _Part | None]]:
    """Pair sections by title, in the new revision's order, with removed ones where they were."""
    unmatched_old: dict[str, list[_Part]] = {}
    for part in old:
        unmatched_old.setdefault(part.title, []).append(part)
    pairs: list[tuple[_Part | None, _Part | None]] = []
    for part in new:
        candidates = unmatched_old.get(part.title)
        pairs.append((candidates.pop(0) if candidates else None, part))
    used = {id(old_part) for old_part, _ in pairs if old_part is not None}
    for index, part in enumerate(old):
        if id(part) in used:
            continue
        # Put a removed section after the pair holding its predecessor.
        position = 0
        for pair_index, (old_part, _) in enumerate(pairs):
            if old_part is not None and old.index(old_part) < index:
                position = pair_index + 1
        pairs.insert(position, (part, None))
    return pairs


def _hunks(old: _Part | None, new: _Part | None) -> tuple[list[Hunk], int, int]:
    old_lines = old.text.rstrip("\n").splitlines() if old else []
    new_lines = new.text.rstrip("\n").splitlines() if new else []
    old_first = old.first_line if old else 1
    new_first = new.first_line if new else 1
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    hunks, added, removed = [], 0, 0
    for group in matcher.get_grouped_opcodes(CONTEXT_LINES):
        hunk = Hunk()
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for offset in range(i2 - i1):
                    number_old, number_new = old_first + i1 + offset, new_first + j1 + offset
                    text = old_lines[i1 + offset]
                    hunk.lines.append(Line("context", number_old, number_new, text))
                    hunk.rows.append(Row("context", number_old, text, number_new, text))
                continue
            for offset in range(i2 - i1):
                hunk.lines.append(Line("removed", old_first + i1 + offset, None, old_lines[i1 + offset]))
            for offset in range(j2 - j1):
                hunk.lines.append(Line("added", None, new_first + j1 + offset, new_lines[j1 + offset]))
            removed += i2 - i1
            added += j2 - j1
            for offset in range(max(i2 - i1, j2 - j1)):
                has_old, has_new = i1 + offset < i2, j1 + offset < j2
                kind = "changed" if has_old and has_new else ("removed" if has_old else "added")
                hunk.rows.append(
                    Row(
                        kind,
                        old_first + i1 + offset if has_old else None,
                        old_lines[i1 + offset] if has_old else None,
                        new_first + j1 + offset if has_new else None,
                        new_lines[j1 + offset] if has_new else None,
                    )
                )
        hunks.append(hunk)
    return hunks, added, removed


def compare(old_text: str, new_text: str) -> list[SectionDiff]:
    """Every section of either text, with what changed between them."""
    result = []
    for old, new in _pair(_parts(old_text), _parts(new_text)):
        either = new or old
        assert either is not None  # _pair never pairs nothing with nothing
        title = either.title
        # The blank lines before the next heading move with the headings around a section.
        if old is not None and new is not None and old.text.rstrip("\n") == new.text.rstrip("\n"):
            result.append(SectionDiff(title, "unchanged"))
            continue
        hunks, added, removed = _hunks(old, new)
        status = "added" if old is None else "removed" if new is None else "changed"
        result.append(SectionDiff(title, status, hunks, added, removed))
    return result

"""Per-section differences between two revisions of a spec, for the compare page.

Plain Python over texts. Sections pair up by title (a spec's headings are its
structure); the text before the first section is "Introduction". Each pair
gets line-level hunks for a unified view and row pairs for a side-by-side view;
unchanged sections say so and are folded by the page. Within a block of changed
lines, an old line and a new line alike enough pair up and carry word-level
segments (``worddiff``); the others are shown whole.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from . import document, worddiff
from .worddiff import Segment

CONTEXT_LINES = 3
INTRODUCTION = "Introduction"
# Lines sharing less than this (by words) are rewritten, not edited: their word diff is noise.
PAIRING_SIMILARITY = 0.5
# Beyond this many old x new lines in one changed block, pair lines in order instead of searching.
PAIRING_SEARCH_LIMIT = 2500


@dataclass(frozen=True)
class Line:
    kind: str  # "context", "added", "removed"
    old_number: int | None
    new_number: int | None
    text: str
    # This line's side of its word diff with the paired line; None when it has no pair.
    segments: tuple[Segment, ...] | None = None


@dataclass(frozen=True)
class Row:
    """One row of the side-by-side view: old line and new line (either may be missing)."""

    kind: str  # "context", "changed", "added", "removed"
    old_number: int | None
    old_text: str | None
    new_number: int | None
    new_text: str | None
    old_segments: tuple[Segment, ...] | None = None
    new_segments: tuple[Segment, ...] | None = None


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


def _similarity(old: str, new: str) -> float:
    matcher = difflib.SequenceMatcher(None, worddiff.tokens(old), worddiff.tokens(new), autojunk=False)
    if matcher.real_quick_ratio() < PAIRING_SIMILARITY or matcher.quick_ratio() < PAIRING_SIMILARITY:
        return 0.0
    return matcher.ratio()


def _line_pairs(old_lines: list[str], new_lines: list[str]) -> list[tuple[int, int]]:
    """Which old and new lines of a changed block are edits of each other, in order (indices)."""
    if not old_lines or not new_lines:
        return []
    if len(old_lines) * len(new_lines) > PAIRING_SEARCH_LIMIT:
        candidates = zip(range(len(old_lines)), range(len(new_lines)), strict=False)
        return [
            (i, j) for i, j in candidates if _similarity(old_lines[i], new_lines[j]) >= PAIRING_SIMILARITY
        ]
    # The order-keeping pairing with the most similarity in all (a weighted longest common subsequence).
    rows, columns = len(old_lines), len(new_lines)
    best = [[0.0] * (columns + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(columns - 1, -1, -1):
            score = _similarity(old_lines[i], new_lines[j])
            paired = best[i + 1][j + 1] + score if score >= PAIRING_SIMILARITY else 0.0
            best[i][j] = max(best[i + 1][j], best[i][j + 1], paired)
    pairs, i, j = [], 0, 0
    while i < rows and j < columns:
        if best[i][j] == best[i + 1][j]:
            i += 1
        elif best[i][j] == best[i][j + 1]:
            j += 1
        else:
            pairs.append((i, j))
            i, j = i + 1, j + 1
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
            removed += i2 - i1
            added += j2 - j1
            _add_changed_block(hunk, old_lines[i1:i2], new_lines[j1:j2], old_first + i1, new_first + j1)
        hunks.append(hunk)
    return hunks, added, removed


def _add_changed_block(
    hunk: Hunk, old_lines: list[str], new_lines: list[str], old_first: int, new_first: int
) -> None:
    """Removed then added lines for the unified view; rows for the side-by-side one, paired lines level."""
    pairs = _line_pairs(old_lines, new_lines)
    old_segments: dict[int, tuple[Segment, ...]] = {}
    new_segments: dict[int, tuple[Segment, ...]] = {}
    for i, j in pairs:
        segments = worddiff.word_diff(old_lines[i], new_lines[j])
        old_segments[i] = tuple(worddiff.old_side(segments))
        new_segments[j] = tuple(worddiff.new_side(segments))
    for i, text in enumerate(old_lines):
        hunk.lines.append(Line("removed", old_first + i, None, text, old_segments.get(i)))
    for j, text in enumerate(new_lines):
        hunk.lines.append(Line("added", None, new_first + j, text, new_segments.get(j)))
    # Unpaired lines between two pairs (or the block's ends) share rows in order, shown whole.
    i = j = 0
    for pair_i, pair_j in [*pairs, (len(old_lines), len(new_lines))]:
        for offset in range(max(pair_i - i, pair_j - j)):
            has_old, has_new = i + offset < pair_i, j + offset < pair_j
            kind = "changed" if has_old and has_new else ("removed" if has_old else "added")
            hunk.rows.append(
                Row(
                    kind,
                    old_first + i + offset if has_old else None,
                    old_lines[i + offset] if has_old else None,
                    new_first + j + offset if has_new else None,
                    new_lines[j + offset] if has_new else None,
                )
            )
        if pair_i < len(old_lines):
            hunk.rows.append(
                Row(
                    "changed",
                    old_first + pair_i,
                    old_lines[pair_i],
                    new_first + pair_j,
                    new_lines[pair_j],
                    old_segments[pair_i],
                    new_segments[pair_j],
                )
            )
        i, j = pair_i + 1, pair_j + 1


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

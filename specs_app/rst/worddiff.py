"""Word-level differences inside one changed line or passage, for diff pages and suggestions.

Plain Python. Texts split into words, runs of whitespace and single punctuation
marks, so joining the "equal" and "delete" segments gives back the old text
exactly and joining "equal" and "insert" gives the new one.
"""

from __future__ import annotations

import difflib
import re

EQUAL = "equal"
INSERT = "insert"
DELETE = "delete"

Segment = tuple[str, str]

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Words, whitespace runs and punctuation marks of text; they join back to text."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """(op, text) segments turning old into new; op is "equal", "delete" or "insert".

    Within each change the deletion comes before the insertion, and a change never
    sits next to another change: a lone space between two edits is folded into
    them, so "a b c" -> "x y c" reads as one replacement, not two.
    """
    old_tokens, new_tokens = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    raw: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            raw.append((EQUAL, "".join(old_tokens[i1:i2])))
            continue
        if i2 > i1:
            raw.append((DELETE, "".join(old_tokens[i1:i2])))
        if j2 > j1:
            raw.append((INSERT, "".join(new_tokens[j1:j2])))
    return _merge(_fold_gaps(raw))


def _fold_gaps(segments: list[Segment]) -> list[Segment]:
    """Make whitespace-only equal runs between two changes part of the change on both sides."""
    folded: list[Segment] = []
    for index, (op, text) in enumerate(segments):
        inner = 0 < index < len(segments) - 1
        if (
            op == EQUAL
            and inner
            and text.isspace()
            and EQUAL not in (segments[index - 1][0], segments[index + 1][0])
        ):
            folded.append((DELETE, text))
            folded.append((INSERT, text))
        else:
            folded.append((op, text))
    return folded


def _merge(segments: list[Segment]) -> list[Segment]:
    """Collapse each run of changes into one deletion then one insertion, dropping empty text."""
    merged: list[Segment] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            merged.append((DELETE, "".join(deleted)))
        if inserted:
            merged.append((INSERT, "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for op, text in segments:
        if not text:
            continue
        if op == DELETE:
            deleted.append(text)
        elif op == INSERT:
            inserted.append(text)
        else:
            flush()
            if merged and merged[-1][0] == EQUAL:
                merged[-1] = (EQUAL, merged[-1][1] + text)
            else:
                merged.append((EQUAL, text))
    flush()
    return merged


def old_side(segments: list[Segment]) -> list[Segment]:
    """The segments that make up the old text (for the left column of a side-by-side view)."""
    return [segment for segment in segments if segment[0] != INSERT]


def new_side(segments: list[Segment]) -> list[Segment]:
    """The segments that make up the new text (for the right column of a side-by-side view)."""
    return [segment for segment in segments if segment[0] != DELETE]


def side_text(segments: list[Segment]) -> str:
    return "".join(text for _, text in segments)

"""Comment anchors: find a quoted range in a spec's text, and carry it to the next revision.

An anchor is a W3C text-quote selector (the exact quote, with up to 32
characters of context either side) plus character offsets into one revision's
.rst text. Plain Python over strings: no Django here.

Carrying an anchor to a new revision tries, in order:

1. *exact*: map the offsets through the diff (diff-match-patch ``diff_main`` +
   ``xIndex``) and accept if the new text there is still the quote. This keeps
   a quote that appears twice on the occurrence it was made on.
2. *moved*: the quote occurs verbatim elsewhere in the same section (a
   paragraph moved, text reflowed around it). With several occurrences, the
   context (prefix/suffix) must single one out, else the anchor is not moved.
3. *fuzzy*: ``match_main`` finds an approximate match near the mapped offset
   in the same section, the matched text is at least ``FUZZY_MIN_SIMILARITY``
   like the quote and its surroundings agree with the quote's context.
4. otherwise *outdated*: the comment stays on the revision it was made on.

A comment on a whole section is not a quote: it follows its section by title
(see ``carry``, the one rule every carried comment goes through).

Being conservative is the point: a comment shown beside the wrong text is
worse than one marked outdated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from diff_match_patch import diff_match_patch

from . import document

CONTEXT_CHARACTERS = 32
# How far (in lines) the quote may sit from the lines the browser reported:
# data-line is the first line of a block, and docutils is off by one at times.
LINE_SLACK = 2
# A fuzzy match must be at least this similar to the quote (difflib ratio), and its
# surroundings at least this similar to the quote's context: a similar sentence
# elsewhere ("mentions the volume twice" for "copies the volume twice") is another text.
FUZZY_MIN_SIMILARITY = 0.85
FUZZY_MIN_CONTEXT = 0.5
# A quote this short is accepted away from its old place only when its context agrees.
SHORT_QUOTE = 16
# Inline markup the rendered text hides: *emphasis*, ``literals``, `links`_, |subs|, \escapes.
_INLINE_MARKUP = r"[*`_|\\]*"


class State:
    EXACT = "exact"
    MOVED = "moved"
    FUZZY = "fuzzy"
    OUTDATED = "outdated"


@dataclass(frozen=True)
class Quote:
    """A text-quote selector with its offsets in one text."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Placement:
    """Where an anchor landed in a text, and how it got there."""

    state: str
    start: int | None = None
    end: int | None = None

    @property
    def found(self) -> bool:
        return self.state != State.OUTDATED


# Small text helpers


def line_of(text: str, offset: int) -> int:
    """The 1-based line that character ``offset`` of ``text`` is on."""
    return text.count("\n", 0, max(0, offset)) + 1


def line_range(text: str, start: int, end: int) -> tuple[int, int]:
    """The first and last line of ``text[start:end]``."""
    return line_of(text, start), line_of(text, max(start, end - 1))


def line_offsets(text: str, first_line: int, last_line: int) -> tuple[int, int] | None:
    """Offsets of lines ``first_line``..``last_line`` (1-based, inclusive), without the final newline."""
    lines = text.split("\n")
    if first_line < 1 or last_line < first_line or first_line > len(lines):
        return None
    last_line = min(last_line, len(lines))
    start = sum(len(line) + 1 for line in lines[: first_line - 1])
    end = start + sum(len(line) + 1 for line in lines[first_line - 1 : last_line]) - 1
    return start, end


def quote_at(text: str, start: int, end: int) -> Quote:
    """The selector for ``text[start:end]``: the quote and its context."""
    return Quote(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARACTERS) : start],
        suffix=text[end : end + CONTEXT_CHARACTERS],
    )


@dataclass(frozen=True)
class SectionSpan:
    """A section's heading and body as a character range of the assembled text."""

    index: int | None  # None: the prologue, title and introduction
    title: str
    start: int
    end: int


def section_spans(text: str) -> list[SectionSpan]:
    """Every section of ``text`` as a character range, the introduction first."""
    parts = document.split(text)
    position = len(parts.prologue) + len(parts.title_heading) + len(parts.intro)
    spans = [SectionSpan(None, "", 0, position)]
    for index, section in enumerate(parts.sections):
        length = len(section.heading) + len(section.body)
        spans.append(SectionSpan(index, section.title, position, position + length))
        position += length
    return spans


def section_at(spans: list[SectionSpan], offset: int) -> SectionSpan:
    for span in spans:
        if span.start <= offset < span.end:
            return span
    return spans[-1]


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How well the text around ``start:end`` agrees with a quote's context, 0..1."""
    before = text[max(0, start - len(prefix)) : start]
    after = text[end : end + len(suffix)]
    scores = [
        SequenceMatcher(None, before, prefix, autojunk=False).ratio() if prefix else 1.0,
        SequenceMatcher(None, after, suffix, autojunk=False).ratio() if suffix else 1.0,
    ]
    return sum(scores) / 2


# Finding a reader's selection in the source


def _selection_pattern(selected: str) -> re.Pattern[str] | None:
    """A pattern for rendered text in the RST source it came from.

    Whitespace matches any run of whitespace (the renderer joins wrapped lines),
    and inline markup characters may sit between any two characters.
    """
    words = selected.split()
    if not words:
        return None
    parts = [_INLINE_MARKUP.join(re.escape(character) for character in word) for word in words]
    return re.compile((_INLINE_MARKUP + r"\s+" + _INLINE_MARKUP).join(parts))


def locate_selection(
    text: str,
    selected: str,
    *,
    prefix: str = "",
    suffix: str = "",
    line_start: int | None = None,
    line_end: int | None = None,
) -> Quote | None:
    """Where a reader's selection (rendered text, or source text) is in ``text``.

    Only occurrences on or near lines ``line_start``..``line_end`` count; among
    several there, the one whose surroundings best match ``prefix`` and
    ``suffix`` wins. The returned quote is the source text, markup included.
    """
    pattern = _selection_pattern(selected)
    if pattern is None:
        return None
    candidates = []
    for match in pattern.finditer(text):
        first, last = line_range(text, match.start(), match.end())
        if line_start is not None and last < line_start - LINE_SLACK:
            continue
        if line_end is not None and first > line_end + LINE_SLACK:
            continue
        candidates.append(match)
    if not candidates:
        return None
    best = max(
        candidates,
        key=lambda match: _context_score(
            text, match.start(), match.end(), prefix[-CONTEXT_CHARACTERS:], suffix[:CONTEXT_CHARACTERS]
        ),
    )
    return quote_at(text, best.start(), best.end())


# Carrying an anchor to the next revision


def _matcher() -> diff_match_patch:
    matcher = diff_match_patch()
    matcher.Diff_Timeout = 2.0
    # A quote may have moved within its section; look that far around the old place.
    matcher.Match_Distance = 5000
    # 0 demands a perfect match, 1 accepts anything; similarity is checked again below.
    matcher.Match_Threshold = 0.35
    matcher.Match_MaxBits = 32
    return matcher


def diff(old_text: str, new_text: str) -> list[tuple[int, str]]:
    """The character diff that maps offsets from ``old_text`` to ``new_text``."""
    matcher = _matcher()
    diffs = matcher.diff_main(old_text, new_text)
    matcher.diff_cleanupSemantic(diffs)
    return diffs


def reanchor(
    quote: Quote,
    old_text: str,
    new_text: str,
    *,
    diffs: list[tuple[int, str]] | None = None,
) -> Placement:
    """Where ``quote`` (made on ``old_text``) belongs in ``new_text``, if anywhere."""
    if not quote.exact:
        return Placement(State.OUTDATED)
    matcher = _matcher()
    diffs = diffs if diffs is not None else diff(old_text, new_text)
    mapped_start = matcher.diff_xIndex(diffs, quote.start)
    mapped_end = mapped_start + len(quote.exact)
    if new_text[mapped_start:mapped_end] == quote.exact:
        return Placement(State.EXACT, mapped_start, mapped_end)

    old_spans = section_spans(old_text)
    new_spans = section_spans(new_text)
    old_section = section_at(old_spans, quote.start)
    same_title = [span for span in new_spans if span.index is not None and span.title == old_section.title]
    if old_section.index is None:
        region = new_spans[0]
    elif len(same_title) == 1:
        region = same_title[0]
    else:  # the section is gone, renamed or ambiguous: nothing is "the same section"
        return Placement(State.OUTDATED)

    # A quote that was not unique in its section needs its context to move.
    repeated = old_text.count(quote.exact, old_section.start, old_section.end) > 1
    moved = _find_moved(quote, new_text, region, repeated=repeated)
    if moved is not None:
        return moved
    fuzzy = _find_fuzzy(quote, new_text, region, mapped_start, matcher)
    if fuzzy is not None:
        return fuzzy
    return Placement(State.OUTDATED)


@dataclass(frozen=True)
class Anchor:
    """Where a comment sits in one text, as ``carry`` needs it.

    ``section_title`` is set for a comment on a whole section, None for a passage.
    """

    state: str
    start: int | None = None
    end: int | None = None
    section_title: str | None = None


def carry(
    old_text: str,
    new_text: str,
    anchor: Anchor,
    *,
    diffs: list[tuple[int, str]] | None = None,
    new_spans: list[SectionSpan] | None = None,
) -> Placement:
    """Where ``anchor`` (on ``old_text``) lands in ``new_text``.

    Whenever and however a comment reaches a later revision, it is placed here,
    so its place depends only on the two texts. An outdated anchor stays
    outdated: it is not guessed back from a later text. A section comment is
    about the section, not its wording, so it takes the whole section of the
    same title, exact, however much the section was rewritten (outdated when
    that title is gone or repeated). A passage is found by ``reanchor``.
    ``diffs`` and ``new_spans`` save work when many anchors share two texts.
    """
    if anchor.state == State.OUTDATED or anchor.start is None or anchor.end is None:
        return Placement(State.OUTDATED)
    if anchor.section_title is not None:
        spans = new_spans if new_spans is not None else section_spans(new_text)
        same = [span for span in spans if span.index is not None and span.title == anchor.section_title]
        if len(same) != 1:
            return Placement(State.OUTDATED)
        return Placement(State.EXACT, same[0].start, same[0].end)
    return reanchor(quote_at(old_text, anchor.start, anchor.end), old_text, new_text, diffs=diffs)


def _find_moved(quote: Quote, text: str, region: SectionSpan, *, repeated: bool) -> Placement | None:
    occurrences = []
    position = text.find(quote.exact, region.start, region.end)
    while position != -1 and position + len(quote.exact) <= region.end:
        occurrences.append(position)
        position = text.find(quote.exact, position + 1, region.end)
    if not occurrences:
        return None
    scored = sorted(
        (
            (_context_score(text, start, start + len(quote.exact), quote.prefix, quote.suffix), start)
            for start in occurrences
        ),
        reverse=True,
    )
    best_score, best_start = scored[0]
    if len(scored) > 1 and scored[1][0] >= best_score - 0.05:
        return None  # two places fit equally well: refuse to guess
    if (len(quote.exact) < SHORT_QUOTE or repeated) and best_score < 0.6:
        return None
    return Placement(State.MOVED, best_start, best_start + len(quote.exact))


def _find_fuzzy(
    quote: Quote, text: str, region: SectionSpan, near: int, matcher: diff_match_patch
) -> Placement | None:
    if len(quote.exact) < SHORT_QUOTE:
        return None  # a short quote that changed is another text
    section_text = text[region.start : region.end]
    local_near = min(max(near - region.start, 0), len(section_text))
    head = quote.exact[: matcher.Match_MaxBits]
    start = matcher.match_main(section_text, head, local_near)
    if start == -1:
        return None
    tail = quote.exact[-matcher.Match_MaxBits :]
    end_guess = start + len(quote.exact) - len(tail)
    tail_start = matcher.match_main(section_text, tail, end_guess)
    end = tail_start + len(tail) if tail_start != -1 and tail_start >= start else start + len(quote.exact)
    end = min(end, len(section_text))
    candidate = section_text[start:end]
    similarity = SequenceMatcher(None, candidate, quote.exact, autojunk=False).ratio()
    if similarity < FUZZY_MIN_SIMILARITY:
        return None
    start, end = region.start + start, region.start + end
    if _context_score(text, start, end, quote.prefix, quote.suffix) < FUZZY_MIN_CONTEXT:
        return None
    return Placement(State.FUZZY, start, end)

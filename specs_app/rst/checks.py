"""The specs repository's gate, run on the author's text while they write.

Every ``*-specs`` repository runs checks in CI before a spec can merge: the
section titles against the template, 79 columns, no trailing spaces, and so on.
Authors otherwise learn about a wrong title or a long line only from a failed
job after review has started. This module runs the same checks live.

The checks are data, not code: each project's repository differs (cinder's
historical title test did not exempt literal blocks; doc8 also wants valid RST,
no tabs and a final newline; some repositories allow optional or extra
sections), so :class:`GateRules` says what a project enforces and
:func:`check_gate` applies it. doc8 and restructuredtext-lint are deliberately
not run: they read files named by the input (see DESIGN.md, "Checks").

The doctree is the preview's (:func:`specs_app.rst.parse.parse`, the one
parse of a spec): same dialect, same limits, same line numbers. Titles are read
from it exactly as the historical tests read them (the section title's
``rawsource``; the document title promoted by ``doctitle_xform`` is not a
section; top-level sections are the document's direct section children),
except that a lone section is never promoted to a subtitle (the verdicts on
the whole corpus are the same either way), so a spec the gate passes passes
the repository's test too.

Invalid RST: docutils messages of level 3 and up (error, severe) fail by
default; warnings (level 2) are notices. doc8 fails on warnings too
(``CheckValidity.WARN_LEVELS`` is 2, 3, 4), but a warning such as a short
title underline still renders as meant, and cinder's own test never parsed for
errors at all; a project that gates with doc8 sets ``rst_error_level=2``.
Messages only plain docutils gives (Sphinx roles and directives it does not
know) are ignored by name, as doc8 ignores them in its Sphinx mode.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from docutils import nodes

from .gate_rules import ERROR, WARNING, GateRules
from .literal_blocks import doc8_exempt_lines, lines_after_double_colon, literal_block_lines
from .parse import parse
from .results import Diagnostic, Finding, GateResult, Parsed, Severity

__all__ = [
    "RULE_IDS",
    "Finding",
    "GateResult",
    "Severity",
    "check_gate",
]

# Maps a docutils line number to the gate's line number.
LineMapper = Callable[[int | None], int | None]

# Rule ids, stable: the UI and the API key help texts and filters on them.
TITLE_MISSING = "title.missing"
TITLE_EXTRA = "title.extra"
TITLE_CASE = "title.case"
TITLE_LEVEL = "title.level"
TITLE_DUPLICATE = "title.duplicate"
SUBSECTION_MISSING = "subsection.missing"
LINE_TOO_LONG = "line.too-long"
WHITESPACE_TRAILING = "whitespace.trailing"
WHITESPACE_TAB = "whitespace.tab"
WHITESPACE_CARRIAGE_RETURN = "whitespace.carriage-return"
FILE_FINAL_NEWLINE = "file.final-newline"
RST_ERROR = "rst.error"
RST_WARNING = "rst.warning"
RST_UNPARSABLE = "rst.unparsable"
CHARACTER_ZERO_WIDTH_SPACE = "character.zero-width-space"
SUBSECTION_EXTRA = "subsection.extra"
HEADER_LICENSE = "header.license"
HEADER_TRACKER_LINK = "header.tracker-link"
CONTENT_EMPTY = "content.empty"

RULE_IDS: tuple[str, ...] = (
    TITLE_MISSING,
    TITLE_EXTRA,
    TITLE_CASE,
    TITLE_LEVEL,
    TITLE_DUPLICATE,
    SUBSECTION_MISSING,
    LINE_TOO_LONG,
    WHITESPACE_TRAILING,
    WHITESPACE_TAB,
    WHITESPACE_CARRIAGE_RETURN,
    FILE_FINAL_NEWLINE,
    RST_ERROR,
    RST_WARNING,
    RST_UNPARSABLE,
    CHARACTER_ZERO_WIDTH_SPACE,
    SUBSECTION_EXTRA,
    HEADER_LICENSE,
    HEADER_TRACKER_LINK,
    CONTENT_EMPTY,
)


def check_gate(
    text: str,
    rules: GateRules,
    *,
    parsed: Parsed | None = None,
    doctree: nodes.document | None = None,
    diagnostics: Sequence[Diagnostic] | None = None,
) -> GateResult:
    """Check ``text`` against ``rules``; findings are sorted by line.

    Pass ``parsed``, the preview's :func:`~specs_app.rst.parse.parse` of the
    same text, to avoid parsing twice (the preview runs this on every pause in
    typing); a parse that failed is an ``rst.unparsable`` finding at the line
    it failed on. A ``doctree`` and ``diagnostics`` from elsewhere also do,
    if their line numbers count LF-ended lines as ``parse`` does; a doctree
    without diagnostics is searched for the system messages still in it.
    Given neither, the text is parsed here only if a rule needs it.
    """
    lines = _lines(text)
    findings: list[Finding] = []
    findings.extend(_line_findings(lines, rules))
    findings.extend(_final_newline_findings(text, lines, rules))
    findings.extend(_header_findings(lines, rules))
    if rules.needs_doctree:
        if doctree is None:
            outcome = _parse(text) if parsed is None else _outcome(parsed)
            if isinstance(outcome, Finding):
                findings.append(outcome)
                return _result(findings)
            doctree, diagnostics = outcome
        elif diagnostics is None:
            diagnostics = _diagnostics_in(doctree)
        to_line = _line_mapper(len(lines))
        if rules.checks_titles:
            findings.extend(_title_findings(_outline(doctree, lines, to_line), doctree, rules))
            findings.extend(_empty_findings(doctree))
        if rules.check_rst_errors:
            findings.extend(_rst_findings(diagnostics or (), rules, to_line))
    return _result(findings)


def _result(findings: list[Finding]) -> GateResult:
    return GateResult(findings=sorted(findings, key=lambda finding: finding.line or 0))


# --- lines -----------------------------------------------------------------


def _lines(text: str) -> list[str]:
    """The text's lines as the historical tests saw them: split on LF only.

    A final newline ends the last line rather than starting an empty one.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _line_findings(lines: list[str], rules: GateRules) -> Iterator[Finding]:
    literal_lines: set[int] | None = None
    for index, raw in enumerate(lines):
        number = index + 1
        line = raw[:-1] if raw.endswith("\r") else raw
        if rules.check_carriage_returns and "\r" in raw:
            yield Finding(
                WHITESPACE_CARRIAGE_RETURN,
                number,
                f"Line {number} contains a carriage return; use Unix line endings (LF only).",
            )
        if rules.check_tabs and "\t" in (_indentation(line) if rules.tabs_in_indentation_only else line):
            yield Finding(WHITESPACE_TAB, number, f"Line {number} contains a tab; use spaces instead.")
        if rules.check_trailing_whitespace and line and line[-1] in rules.trailing_whitespace_characters:
            yield Finding(WHITESPACE_TRAILING, number, f"Line {number} ends with whitespace; remove it.")
        if rules.check_zero_width_space and ZERO_WIDTH_SPACE in line:
            yield Finding(
                CHARACTER_ZERO_WIDTH_SPACE,
                number,
                f"Line {number} contains a zero-width space (U+200B); remove it.",
            )
        if (
            rules.check_line_length
            and len(line) > rules.max_line_length
            and not _exempt_by_content(line, rules)
        ):
            if rules.exempt_literal_blocks:
                if literal_lines is None:  # worked out only when a line is too long
                    literal_lines = _literal_lines(lines, rules)
                if index in literal_lines:
                    continue
            yield Finding(
                LINE_TOO_LONG,
                number,
                f"Line {number} is {len(line)} characters long; the limit is {rules.max_line_length}.",
            )


ZERO_WIDTH_SPACE = "\u200b"
# nova's test: one run of non-whitespace after the indentation (``re.match`` anchors the start).
_UNBROKEN = re.compile(r"\s*[^\s]+")


def _indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _literal_lines(lines: list[str], rules: GateRules) -> set[int]:
    if rules.literal_block_style == "after-double-colon":
        # nova's test reads files in text mode, so it never sees a CR at a line's end.
        return lines_after_double_colon([line.removesuffix("\r") for line in lines])
    if rules.literal_block_style == "doc8":
        return doc8_exempt_lines(lines, rules.literal_directives)
    return literal_block_lines(lines, rules.literal_directives)


def _exempt_by_content(line: str, rules: GateRules) -> bool:
    if rules.exempt_url_lines and ("http://" in line or "https://" in line):
        return True
    return rules.exempt_unbroken_lines and _UNBROKEN.fullmatch(line) is not None


def _header_findings(lines: list[str], rules: GateRules) -> Iterator[Finding]:
    """Ironic's checks of the lines above the spec: its licence text and its tracker link."""
    if rules.required_header_text:
        header = "".join(itertools.takewhile(lambda line: not line.startswith("="), lines))
        if rules.required_header_text not in header.replace("\r", ""):
            yield Finding(
                HEADER_LICENSE,
                1,
                "The licence comment above the title is missing or altered; it must read "
                f'"{rules.required_header_text.strip()}".',
            )
    if rules.tracker_link_prefixes:
        yield from _tracker_link_findings(lines, rules)


def _tracker_link_findings(lines: list[str], rules: GateRules) -> Iterator[Finding]:
    for number, raw in enumerate(lines, start=1):
        line = raw.removesuffix("\r")
        if any(prefix in line for prefix in rules.tracker_link_prefixes):
            return
        if rules.blueprint_link_prefix and rules.blueprint_link_prefix in line:
            if not line.endswith(rules.blueprint_name):
                yield Finding(
                    HEADER_TRACKER_LINK,
                    number,
                    f"Line {number} links a blueprint whose name is not the file's "
                    f'("{rules.blueprint_name}"); rename one to match the other.',
                )
            return
        if rules.tracker_link_before and line.startswith(rules.tracker_link_before):
            break
    where = f' before "{rules.tracker_link_before}"' if rules.tracker_link_before else ""
    yield Finding(
        HEADER_TRACKER_LINK,
        None,
        f"No link to the spec's bug{where}: add a line with its URL ({rules.tracker_link_prefixes[0]}...).",
    )


def _final_newline_findings(text: str, lines: list[str], rules: GateRules) -> Iterator[Finding]:
    if rules.check_final_newline and text and not text.endswith("\n"):
        yield Finding(
            FILE_FINAL_NEWLINE,
            len(lines),
            f"The file does not end with a newline; add one after line {len(lines)}.",
        )


# --- parsing ---------------------------------------------------------------


ParseOutcome = tuple[nodes.document, list[Diagnostic]] | Finding


def _parse(text: str) -> ParseOutcome:
    """The doctree and messages of ``text``; a text that cannot be parsed is a finding."""
    return _outcome(parse(text))


def _outcome(parsed: Parsed) -> ParseOutcome:
    if not parsed.complete:
        failures = [diagnostic for diagnostic in parsed.diagnostics if diagnostic.level >= ERROR]
        last = failures[-1] if failures else None
        return _unparsable(last.message if last else "", last.line if last else None)
    return parsed.doctree, list(parsed.diagnostics)


def _unparsable(reason: str, line: int | None = None) -> Finding:
    because = f" ({reason.rstrip('.')})" if reason else ""
    where = f" at line {line}" if line else ""
    return Finding(
        RST_UNPARSABLE,
        line,
        f"The text could not be parsed as reStructuredText{where}{because}; "
        "its titles and markup were not checked.",
    )


def _diagnostics_in(doctree: nodes.document) -> list[Diagnostic]:
    return [Diagnostic.from_system_message(message) for message in doctree.findall(nodes.system_message)]


def _line_mapper(line_count: int) -> LineMapper:
    """Keep a docutils line number inside the text (messages at the end can point past it)."""

    def to_line(docutils_line: int | None) -> int | None:
        if docutils_line is None:
            return None
        return min(max(docutils_line, 1), max(line_count, 1))

    return to_line


# --- titles ----------------------------------------------------------------


@dataclass(frozen=True)
class _Heading:
    """A section of the doctree: its title as the historical tests read it."""

    title: str
    line: int | None  # the title's line
    children: tuple[_Heading, ...]
    parent: str | None  # the enclosing section's title; None at the top level

    def walk(self) -> Iterator[_Heading]:
        yield self
        for child in self.children:
            yield from child.walk()


def _outline(doctree: nodes.document, lines: Sequence[str], to_line: LineMapper) -> tuple[_Heading, ...]:
    return _sections_under(doctree, None, lines, to_line)


def _sections_under(
    node: nodes.Element, parent: str | None, lines: Sequence[str], to_line: LineMapper
) -> tuple[_Heading, ...]:
    headings = []
    for child in node.children:
        if isinstance(child, nodes.section):
            title = _section_title(child)
            line = _title_line(lines, to_line(child.line), title)
            headings.append(_Heading(title, line, _sections_under(child, title, lines, to_line), parent))
    return tuple(headings)


def _title_line(lines: Sequence[str], section_line: int | None, title: str) -> int | None:
    """The line of a section's title text, near the line docutils gave the section.

    docutils gives a section its underline's line; a doctree from the preview
    may have it moved to the heading's first line (the overline, if any). The
    title text is the nearby line that reads as the title.
    """
    if section_line is None:
        return None
    for candidate in (section_line - 1, section_line, section_line + 1):
        if 1 <= candidate <= len(lines) and lines[candidate - 1].strip() == title:
            return candidate
    return max(section_line - 1, 1)


def _section_title(section: nodes.section) -> str:
    for child in section.children:
        if isinstance(child, nodes.title):
            return child.rawsource
    return ""


def _title_findings(
    outline: tuple[_Heading, ...], doctree: nodes.document, rules: GateRules
) -> Iterator[Finding]:
    """Titles against the template: the top level, then each required subsection list."""
    if not rules.top_level_titles and not rules.check_top_level_titles:
        yield from _subsection_findings(outline, {}, rules, set())
        yield from _closed_subsection_findings(outline, {}, rules)
        return
    allowed = set(rules.top_level_titles) | set(rules.optional_top_level_titles)
    present = {heading.title for heading in outline}
    yield from _duplicate_findings(outline)
    unmatched = [heading for heading in outline if heading.title not in allowed]
    unmatched_ids = {id(heading) for heading in unmatched}
    consumed: set[int] = set()
    stand_ins: dict[str, _Heading] = {}  # required title -> its case-mismatched heading
    for heading in unmatched:
        wanted = _case_match(heading.title, allowed - present - set(stand_ins))
        if wanted is not None:
            consumed.add(id(heading))
            stand_ins[wanted] = heading
            severity: Severity = "error"
            if wanted not in rules.top_level_titles and rules.allow_extra_top_level:
                severity = "notice"
            yield Finding(
                TITLE_CASE,
                heading.line,
                f'Section "{heading.title}" should be titled "{wanted}" (titles are case-sensitive).',
                severity,
            )
    for title in rules.top_level_titles:
        if title not in present and title not in stand_ins:
            yield _missing_top_level(title, outline)
    yield from _subsection_findings(outline, stand_ins, rules, consumed, unmatched)
    yield from _closed_subsection_findings(outline, stand_ins, rules)
    for index, heading in enumerate(outline):
        if id(heading) in unmatched_ids and id(heading) not in consumed:
            yield _extra(heading, is_first=index == 0, has_document_title=_has_title(doctree), rules=rules)


# What a section holds besides its text: an empty section has nothing but these.
_NOT_CONTENT = (nodes.title, nodes.section, nodes.comment, nodes.system_message, nodes.target)


def _empty_findings(doctree: nodes.document) -> Iterator[Finding]:
    """A spec whose every section is empty: the headings pass the title checks, but it says nothing.

    A new spec is the template's headings with nothing under them; without
    this, the gate would pass it and it could be submitted and approved as is.
    """
    sections = list(doctree.findall(nodes.section))
    if sections and all(
        all(isinstance(child, _NOT_CONTENT) for child in section.children) for section in sections
    ):
        yield Finding(
            CONTENT_EMPTY,
            None,
            "Every section is empty: write the spec (at least the problem and the proposed change) "
            "before submitting it.",
        )


def _duplicate_findings(outline: tuple[_Heading, ...]) -> Iterator[Finding]:
    first_line: dict[str, int | None] = {}
    for heading in outline:
        if heading.title in first_line:
            where = f" (first at line {first_line[heading.title]})" if first_line[heading.title] else ""
            yield Finding(
                TITLE_DUPLICATE,
                heading.line,
                f'Section "{heading.title}" appears more than once{where}; consider merging them.',
                "notice",
            )
        else:
            first_line[heading.title] = heading.line


def _case_match(title: str, candidates: Iterable[str]) -> str | None:
    folded = title.casefold()
    return next((candidate for candidate in sorted(candidates) if candidate.casefold() == folded), None)


def _missing_top_level(title: str, outline: tuple[_Heading, ...]) -> Finding:
    deeper = next(
        (heading for top in outline for heading in top.walk() if heading.parent and heading.title == title),
        None,
    )
    if deeper is not None:
        return Finding(
            TITLE_LEVEL,
            deeper.line,
            f'Section "{title}" is a subsection of "{deeper.parent}" here; '
            "the template has it as a top-level section.",
        )
    return Finding(TITLE_MISSING, None, f'Missing section "{title}" (the template requires it).')


def _extra(heading: _Heading, *, is_first: bool, has_document_title: bool, rules: GateRules) -> Finding:
    """An unexpected top-level section, explained by what it most likely is."""
    severity: Severity = "notice" if rules.allow_extra_top_level else "error"
    if is_first and not has_document_title:
        return Finding(
            TITLE_EXTRA,
            heading.line,
            f'"{heading.title}" is at the same level as the spec\'s sections, so docutils does not '
            'take it as the title; adorn the title differently (for example with "=" above and below).',
            severity,
        )
    template_parent = _template_parent(heading.title, rules)
    if template_parent is not None:
        return Finding(
            TITLE_EXTRA if rules.allow_extra_top_level else TITLE_LEVEL,
            heading.line,
            f'Section "{heading.title}" is a top-level section here; the template has it as a subsection '
            f'of "{template_parent}".',
            severity,
        )
    if rules.allow_extra_top_level:
        return Finding(
            TITLE_EXTRA,
            heading.line,
            f'Section "{heading.title}" is not in the template (extra sections are allowed).',
            "notice",
        )
    return Finding(
        TITLE_EXTRA,
        heading.line,
        f'Section "{heading.title}" is not in the template; only the template\'s top-level sections '
        "are allowed.",
    )


def _template_parent(title: str, rules: GateRules) -> str | None:
    for subsections in (rules.required_subsections, rules.optional_subsections):
        for parent, children in subsections.items():
            if title in children:
                return parent
    return None


def _has_title(doctree: nodes.document) -> bool:
    return bool(doctree.children) and isinstance(doctree.children[0], nodes.title)


def _subsection_findings(
    outline: tuple[_Heading, ...],
    stand_ins: Mapping[str, _Heading],
    rules: GateRules,
    consumed: set[int],
    top_level_extras: Sequence[_Heading] = (),
) -> Iterator[Finding]:
    """Each required subsection directly under its parent; extra ones are fine."""
    for parent_title, required in rules.required_subsections.items():
        parents = [heading for heading in outline if heading.title == parent_title]
        if not parents and parent_title in stand_ins:
            parents = [stand_ins[parent_title]]
        if not parents:
            continue  # the missing parent is reported; its children would only repeat it
        children = [child for parent in parents for child in parent.children]
        titles = {child.title for child in children}
        for title in required:
            if title not in titles:
                yield _missing_subsection(title, parents[0], children, outline, top_level_extras, consumed)


def _closed_subsection_findings(
    outline: tuple[_Heading, ...], stand_ins: Mapping[str, _Heading], rules: GateRules
) -> Iterator[Finding]:
    """Subsections of a closed section that the template does not list there, or that repeat."""
    for parent_title in rules.closed_subsections:
        parents = [heading for heading in outline if heading.title == parent_title]
        if not parents and parent_title in stand_ins:
            parents = [stand_ins[parent_title]]
        allowed = rules.required_subsections.get(parent_title, ())
        seen: set[str] = set()
        for child in (child for parent in parents for child in parent.children):
            if child.title in allowed and child.title not in seen:
                seen.add(child.title)
                continue
            if child.title in allowed:
                why = "appears more than once"
            elif allowed:
                why = "is not allowed there; it may only have " + ", ".join(f'"{title}"' for title in allowed)
            else:
                why = "is not allowed there; it may have no subsections"
            message = f'Section "{parent_title}": subsection "{child.title}" {why}.'
            yield Finding(SUBSECTION_EXTRA, child.line, message)


def _missing_subsection(
    title: str,
    parent: _Heading,
    children: Sequence[_Heading],
    outline: tuple[_Heading, ...],
    top_level_extras: Sequence[_Heading],
    consumed: set[int],
) -> Finding:
    near = _case_match(title, [child.title for child in children])
    if near is not None:
        line = next(child.line for child in children if child.title == near)
        return Finding(
            TITLE_CASE, line, f'Section "{near}" should be titled "{title}" (titles are case-sensitive).'
        )
    for heading in top_level_extras:
        if heading.title == title and id(heading) not in consumed:
            consumed.add(id(heading))
            return Finding(
                TITLE_LEVEL,
                heading.line,
                f'Section "{title}" is a top-level section here; the template has it as a subsection '
                f'of "{parent.title}".',
            )
    elsewhere = next(
        (heading for top in outline for heading in top.walk() if heading.parent and heading.title == title),
        None,
    )
    message = f'Section "{parent.title}" is missing its subsection "{title}" (the template requires it).'
    if elsewhere is not None and elsewhere.line is not None:
        message += f' There is one at line {elsewhere.line} under "{elsewhere.parent}"; move it.'
    return Finding(SUBSECTION_MISSING, parent.line, message)


# --- docutils messages -----------------------------------------------------


@lru_cache(maxsize=32)
def _ignored(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def _rst_findings(
    diagnostics: Iterable[Diagnostic], rules: GateRules, to_line: LineMapper
) -> Iterator[Finding]:
    ignored = _ignored(rules.rst_ignored_messages)
    for diagnostic in diagnostics:
        if diagnostic.level < WARNING:
            continue
        if ignored is not None and ignored.match(diagnostic.message):
            continue
        text = " ".join(diagnostic.message.split())
        line = to_line(diagnostic.line)
        where = f"Line {line}: " if line else ""
        if diagnostic.level >= rules.rst_error_level:
            yield Finding(RST_ERROR, line, f"{where}invalid reStructuredText: {text}")
        elif rules.rst_warnings_as_notices:  # below the failing level: worth knowing, not blocking
            kind = "warning" if diagnostic.level == WARNING else "problem"
            yield Finding(RST_WARNING, line, f"{where}reStructuredText {kind}: {text}", "notice")

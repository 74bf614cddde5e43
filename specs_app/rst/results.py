"""What a render, a parse or a gate check hands back: plain values, shared by every module of rst/.

This module imports nothing from ``specs_app.rst``, so any module there can
use these types without importing another's machinery (the worker, the
sandbox and the gate all pass them around).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Literal

from docutils import nodes

SEVERITIES = {1: "info", 2: "warning", 3: "error", 4: "severe"}

Severity = Literal["error", "notice"]


@dataclass(frozen=True)
class Diagnostic:
    """One message about the text, at a 1-based line of it when docutils knows the line."""

    level: int  # 1 info, 2 warning, 3 error, 4 severe (docutils' levels)
    severity: str
    line: int | None
    message: str

    @classmethod
    def at(cls, level: int, message: str, line: int | None = None) -> Diagnostic:
        return cls(level, SEVERITIES[level], line, message)

    @classmethod
    def from_system_message(cls, message: nodes.system_message) -> Diagnostic:
        """docutils' message without its echo of the source (the line number points at it)."""
        level = min(max(int(message["level"]), 1), 4)
        first = message.children[0] if message.children else None
        text = first.astext() if isinstance(first, nodes.paragraph) else message.astext()
        line = message.get("line")
        return cls.at(level, text, int(line) if line else None)


@dataclass(frozen=True)
class Finding:
    """One thing the gate found, with a message the author can act on."""

    rule: str
    line: int | None  # 1-based line of the text; None for the whole file
    message: str
    severity: Severity = "error"


@dataclass(frozen=True)
class GateResult:
    """The verdict: the gate passes when no finding is an error."""

    findings: list[Finding]

    @property
    def passed(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "error"]

    @property
    def notices(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "notice"]


def source_html(text: str) -> str:
    """``text`` shown as written, escaped: what a preview shows when the renderer fails on it.

    Built here by hand rather than by the HTML writer, which is what failed;
    escaping everything makes it safe without the sanitiser.
    """
    shown = text.replace("\r\n", "\n")
    return f'<pre class="literal-block" data-line="1">{html.escape(shown, quote=False)}</pre>\n'


@dataclass(frozen=True)
class RenderResult:
    """A rendered spec: sanitised body HTML, its diagnostics, and its title as text.

    ``complete`` is False when the text was refused or the render stopped
    (too large, too deep, too slow, the renderer failed): the diagnostics
    say why, and the caller should not cache the result as the text's HTML.
    A refused or stopped text has empty HTML; a text the renderer failed on
    has its source, escaped, so the preview never goes blank.
    """

    html: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    title: str = ""
    complete: bool = True
    # The gate's findings on the same doctree, when the render was asked to check.
    findings: list[Finding] | None = None

    @property
    def worst_level(self) -> int:
        """The highest diagnostic level, 0 when there are none."""
        return max((diagnostic.level for diagnostic in self.diagnostics), default=0)

    def to_json(self) -> dict[str, Any]:
        return {
            "html": self.html,
            "title": self.title,
            "complete": self.complete,
            "diagnostics": [[d.level, d.line, d.message] for d in self.diagnostics],
            "findings": None
            if self.findings is None
            else [[f.rule, f.line, f.message, f.severity] for f in self.findings],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RenderResult:
        return cls(
            html=str(data["html"]),
            title=str(data["title"]),
            complete=bool(data["complete"]),
            diagnostics=[
                Diagnostic.at(int(level), str(message), None if line is None else int(line))
                for level, line, message in data["diagnostics"]
            ],
            findings=None
            if data.get("findings") is None
            else [
                Finding(str(rule), None if line is None else int(line), str(message), severity)
                for rule, line, message, severity in data["findings"]
            ],
        )

    @classmethod
    def failed(cls, diagnostic: Diagnostic) -> RenderResult:
        """A text that was refused or stopped: nothing rendered, and why."""
        return cls(html="", diagnostics=[diagnostic], complete=False)

    @classmethod
    def crashed(
        cls,
        text: str,
        diagnostics: list[Diagnostic],
        *,
        title: str = "",
        findings: list[Finding] | None = None,
    ) -> RenderResult:
        """A text the renderer failed on: its source as written, and the diagnostics saying where."""
        return cls(
            html=source_html(text), diagnostics=diagnostics, title=title, complete=False, findings=findings
        )


@dataclass(frozen=True)
class Parsed:
    """A parsed and transformed doctree, ready to write as HTML, with its diagnostics."""

    doctree: nodes.document
    diagnostics: list[Diagnostic] = field(default_factory=list)
    complete: bool = True

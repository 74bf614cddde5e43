"""A spec as a ``git format-patch`` mbox, ready for ``git am`` in its specs repository.

Plain Python, no Django: the caller supplies the author, date, title, commit
message, path and file content. The patch adds a new file; it does not know
what the repository already holds.

Mail headers follow what ``git format-patch`` writes: non-ASCII author names
and subjects are RFC 2047 encoded words, the body is 8-bit UTF-8 and says so,
so ``git am`` restores both exactly.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from datetime import datetime
from email.header import Header
from email.utils import format_datetime, formataddr

# git's own format-patch writes this date on the mbox "From" line, always.
MBOX_DATE = "Mon Sep 17 00:00:00 2001"
SIGNATURE = "SpecPortal"
MESSAGE_WIDTH = 72
# Paths git writes unquoted in diff headers; ours are specs/<release>/<slug>.rst.
_PLAIN_PATH = re.compile(r"\A[A-Za-z0-9._+-]+(/[A-Za-z0-9._+-]+)*\Z")
# Lines git mailinfo reads as the end of the message or as in-body headers.
_PATCH_BREAK = re.compile(r"\A(---\s|---\Z|diff -|Index: )")
_IN_BODY_HEADER = re.compile(r"\A(From|Subject|Date):")
_URL_ONLY = re.compile(r"\A<?https?://\S+>?(`_)?(\s+\[\d+\])?\Z")
_LABEL_ONLY = re.compile(r"\A[^\s:][^:]*:\Z")


def blob_sha1(content: bytes) -> str:
    """The object name git gives a file with ``content`` (``git hash-object``)."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def _subject(title: str) -> str:
    # git keeps "[PATCH]" outside the encoded word; mailinfo strips it either way.
    if title.isascii():
        return f"Subject: [PATCH] {title}"
    return "Subject: [PATCH] " + Header(title, "utf-8", header_name="Subject: [PATCH]").encode(linesep="\n")


def whitespace_problems(text: str) -> list[str]:
    """What ``git diff --check`` and the gate would object to in ``text``, in words.

    Used to report on a file, never to change it: an imported spec keeps its bytes.
    """
    problems = []
    lines = text.split("\n")
    if "\r" in text:
        problems.append(f"{text.count(chr(13)):,} carriage returns (Windows line ends)")
    trailing = [number for number, line in enumerate(lines, 1) if line.rstrip("\r") != line.rstrip()]
    if trailing:
        problems.append(
            f"{len(trailing):,} line{'s' if len(trailing) > 1 else ''} ending in spaces or tabs "
            f"(first: line {trailing[0]})"
        )
    if text and not text.endswith("\n"):
        problems.append("no newline at the end of the file")
    elif text.endswith("\n\n"):
        blank = len(text) - len(text.rstrip("\n")) - 1
        problems.append(f"{blank} blank line{'s' if blank > 1 else ''} at the end of the file")
    return problems


def _summary_lines(paragraph: str) -> list[str]:
    return textwrap.wrap(
        " ".join(paragraph.split()), width=MESSAGE_WIDTH, break_long_words=False, break_on_hyphens=False
    )


def summary_paragraph(rst_text: str) -> str:
    """The first prose paragraph of ``rst_text``, wrapped at 72 columns.

    Skipped: paragraphs that are only links or a label such as "Blueprint
    link:", explicit markup (comments, directives, targets), and indented
    blocks, which make poor commit message prose.
    """
    for paragraph in re.split(r"\n[ \t]*\n", rst_text.replace("\r\n", "\n")):
        lines = [line for line in paragraph.split("\n") if line.strip()]
        if not lines or lines[0].startswith((" ", "\t", "..")):
            continue
        if all(_URL_ONLY.match(line.strip()) or _LABEL_ONLY.match(line.strip()) for line in lines):
            continue
        return "\n".join(_summary_lines(" ".join(lines)))
    return ""


def commit_message(*, summary: str, blueprint: str) -> str:
    """The message body: the summary, then OpenStack's ``Implements:`` line."""
    parts = [summary.strip()] if summary.strip() else []
    parts.append(f"Implements: blueprint {blueprint}")
    return "\n\n".join(parts)


def _safe_message(message: str) -> str:
    """The message with lines git mailinfo would misread indented by one space.

    A line starting with "---", "diff -" or "Index: " would end the message
    early; "From:", "Subject:" or "Date:" at the top would override the
    headers.
    """
    lines = message.strip("\n").split("\n")
    safe = []
    for index, line in enumerate(lines):
        if _PATCH_BREAK.match(line) or (index == 0 and _IN_BODY_HEADER.match(line)):
            line = " " + line
        safe.append(line.rstrip())
    return "\n".join(safe)


def _diffstat(path: str, added: int) -> str:
    graph = "+" * min(added, max(1, 72 - len(path)))
    return (
        f" {path} | {added} {graph}\n"
        f" 1 file changed, {added} insertion{'' if added == 1 else 's'}(+)\n"
        f" create mode 100644 {path}\n"
    )


def _hunk(content: str) -> tuple[str, int]:
    lines = content.split("\n")
    final_newline = content.endswith("\n")
    if final_newline:
        lines.pop()
    count = len(lines)
    header = "@@ -0,0 +1 @@" if count == 1 else f"@@ -0,0 +1,{count} @@"
    body = "".join(f"+{line}\n" for line in lines)
    if not final_newline:
        body += "\\ No newline at end of file\n"
    return f"{header}\n{body}", count


def format_patch(
    *,
    author_name: str,
    author_email: str,
    date: datetime,
    title: str,
    message: str,
    path: str,
    content: str,
) -> str:
    """An mbox with one commit adding ``path`` with ``content``, as git format-patch writes it.

    ``date`` must be timezone-aware. ``message`` is the commit message body
    (the title is the subject). Content with carriage returns does not survive
    ``git am``, which strips them unless run with ``--keep-cr``.
    """
    if not _PLAIN_PATH.match(path) or ".." in path.split("/"):
        raise ValueError(f"Not a plain relative path: {path!r}")
    if date.tzinfo is None:
        raise ValueError("The patch date must be timezone-aware.")
    title = " ".join(title.split())
    encoded = content.encode("utf-8")
    blob = blob_sha1(encoded)
    message = _safe_message(message)
    # Stands in for the commit's name, which only exists once git am commits;
    # git am ignores it, but the same spec gives the same line.
    commit = hashlib.sha1(f"{title}\0{message}\0{path}\0{blob}".encode()).hexdigest()
    hunk, added = _hunk(content) if content else ("", 0)
    headers = [
        f"From {commit} {MBOX_DATE}",
        # formataddr quotes and, for a non-ASCII name, encodes it as git does.
        f"From: {formataddr((author_name, author_email), charset='utf-8')}",
        f"Date: {format_datetime(date)}",
        _subject(title),
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: 8bit",
    ]
    diff = [
        f"diff --git a/{path} b/{path}\n",
        "new file mode 100644\n",
        f"index 0000000..{blob}\n",
    ]
    if content:
        diff += ["--- /dev/null\n", f"+++ b/{path}\n", hunk]
    return (
        "\n".join(headers)
        + "\n\n"
        + message
        + "\n---\n"
        + _diffstat(path, added)
        + "\n"
        + "".join(diff)
        + f"-- \n{SIGNATURE}\n\n"
    )

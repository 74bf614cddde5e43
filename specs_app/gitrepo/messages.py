"""The commit message OpenStack's specs repositories expect, with a stable Gerrit Change-Id.

Plain Python, no Django. Gerrit finds the change a commit updates by its
``Change-Id:`` trailer, so a spec keeps one Change-Id for life: every later
revision then updates the same review instead of opening a new one.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import textwrap
from collections.abc import Sequence

SUBJECT_WIDTH = 49  # "under 50 characters", as OpenStack's commit message guide says
BODY_WIDTH = 72
CHANGE_ID = re.compile(r"\AI[0-9a-f]{40}\Z")
# What authors write in "REST API impact" when there is none.
_NO_IMPACT = re.compile(r"\A\W*(none|n/?a|no(ne)? (impact|change)s?)\b", re.IGNORECASE)


def new_change_id(seed: str) -> str:
    """A fresh Gerrit Change-Id (``I`` and 40 hex digits), as Gerrit's commit-msg hook makes."""
    return "I" + hashlib.sha1(f"{seed}\0{secrets.token_hex(16)}".encode()).hexdigest()


def subject_line(title: str, width: int = SUBJECT_WIDTH) -> str:
    """``title`` on one line, cut at a word boundary to at most ``width`` characters."""
    words = " ".join(title.split())
    if len(words) <= width:
        return words
    head = words[: width + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else ""
    # A cut that would leave less than half the room used is worse than cutting a word.
    return (cut if len(cut) >= width // 2 else words[:width]).rstrip(" ,;:-")


def has_api_impact(rest_api_section: str | None) -> bool:
    """A "REST API impact" section that says more than "None" means the change is ``APIImpact``."""
    if rest_api_section is None:
        return False
    text = " ".join(rest_api_section.split())
    return bool(text) and not _NO_IMPACT.match(text)


def commit_message(
    *,
    title: str,
    summary: str,
    blueprint: str,
    change_id: str,
    api_impact: bool = False,
    co_authors: Sequence[str] = (),
) -> str:
    """Subject, body, then OpenStack's and Gerrit's trailers in the last paragraph.

    ``co_authors`` are "Name <email>" strings, one ``Co-authored-by:`` each.
    """
    if not CHANGE_ID.match(change_id):
        raise ValueError(f"{change_id!r} is not a Gerrit Change-Id (I and 40 hex digits).")
    paragraphs = [subject_line(title)]
    body = textwrap.fill(
        " ".join(summary.split()), width=BODY_WIDTH, break_long_words=False, break_on_hyphens=False
    )
    if body:
        paragraphs.append(body)
    if api_impact:
        paragraphs.append("APIImpact")
    trailers = [f"Implements: blueprint {blueprint}"]
    trailers += [f"Co-authored-by: {person}" for person in co_authors]
    trailers.append(f"Change-Id: {change_id}")
    paragraphs.append("\n".join(trailers))
    return "\n\n".join(paragraphs) + "\n"

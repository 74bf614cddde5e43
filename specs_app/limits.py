"""How large a spec may be, and so how large a request or a file carrying one may be.

One rule: the RST engine's :data:`~specs_app.rst.safety.MAX_SPEC_CHARACTERS`.
Every other size here is derived from it, so that any text within that limit
is accepted by every way in (API bodies, page forms, uploaded files) and none
refuses a legal spec another accepts. No Django settings or models are read:
``specportal/settings.py`` imports this module for Django's own body limit.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError

from specs_app.rst.safety import MAX_SPEC_CHARACTERS

__all__ = [
    "MAX_REQUEST_BYTES",
    "MAX_SPEC_CHARACTERS",
    "MAX_SPEC_FILE_BYTES",
    "SpecTooLarge",
    "check_file_size",
    "check_spec_size",
    "request_size_error",
]

# UTF-8 takes at most four bytes a character.
MAX_SPEC_FILE_BYTES = MAX_SPEC_CHARACTERS * 4

# The costliest way to carry one character in a request is 12 bytes: a character
# outside the BMP escaped by JSON as a surrogate pair ("\ud83d\ude00"), or
# form-encoded as four percent-escaped bytes ("%F0%9F%98%80"). The rest is room
# for the other fields, field names, headings and multipart framing.
REQUEST_OVERHEAD_BYTES = 64 * 1024
MAX_REQUEST_BYTES = MAX_SPEC_CHARACTERS * 12 + REQUEST_OVERHEAD_BYTES


class SpecTooLarge(ValidationError):
    """A text or file over the limit: the API answers 413, a page shows it on its form."""


def check_spec_size(text: str, *, what: str = "The text") -> str:
    """``text`` if it is within the limit, else :class:`SpecTooLarge` saying by how much."""
    if len(text) > MAX_SPEC_CHARACTERS:
        raise SpecTooLarge(
            f"{what} is {len(text):,} characters long; the limit is {MAX_SPEC_CHARACTERS:,} characters.",
            code="too_long",
        )
    return text


def check_file_size(size: int) -> None:
    """Refuse, before decoding it, a file too large to hold a spec within the limit."""
    if size > MAX_SPEC_FILE_BYTES:
        raise SpecTooLarge(
            f"The file is {size:,} bytes; a spec file may have at most {MAX_SPEC_FILE_BYTES:,} bytes "
            f"({MAX_SPEC_CHARACTERS:,} characters of UTF-8).",
            code="too_long",
        )


def request_size_error(meta: Mapping[str, str]) -> str | None:
    """Why a request's declared body is refused unread, or None when it is within the limit."""
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_REQUEST_BYTES:
        return f"The request body is {length:,} bytes; the limit is {MAX_REQUEST_BYTES:,}."
    return None

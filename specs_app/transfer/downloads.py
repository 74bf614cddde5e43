"""The one way a spec's file leaves SpecPortal, for the pages and the API alike.

What a download carries is ``exporting.exported_text``: for a spec in review,
approved, merged or implemented, its latest revision. The authors' working
draft, which may have changed since, is a separate download (``draft``) under
its own file name, so the two are never taken for one another.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from specs_app.models import Spec
from specs_app.transfer import exporting

_YES = ("1", "true", "yes")
_NO = ("", "0", "false", "no")


def file_download(content: str, *, content_type: str, filename: str) -> HttpResponse:
    """``content`` as a UTF-8 attachment named ``filename``, byte for byte."""
    response = HttpResponse(content.encode("utf-8"), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def wants_draft(value: str | None) -> bool:
    """The ``draft`` query parameter: absent or 0 for the exported text, 1 for the working draft."""
    given = (value or "").strip().lower()
    if given in _YES:
        return True
    if given in _NO:
        return False
    message = (
        f"Give draft=1 for the working draft, or leave it out for the exported text; not “{given[:20]}”."
    )
    raise ValidationError({"draft": message})


def draft_filename(spec: Spec) -> str:
    return f"{spec.slug}.working-draft.rst"


def spec_rst_download(spec: Spec, *, draft: bool = False) -> HttpResponse:
    """The spec's ``.rst``: the exported text, or (``draft``) the working draft as its authors left it."""
    if draft:
        return file_download(spec.text(), content_type="text/x-rst", filename=draft_filename(spec))
    return file_download(
        exporting.exported_text(spec), content_type="text/x-rst", filename=f"{spec.slug}.rst"
    )


def spec_patch_download(spec: Spec) -> HttpResponse:
    """A ``git am`` patch adding the spec's exported text at its repository path."""
    return file_download(
        exporting.spec_patch(spec=spec), content_type="text/x-patch", filename=f"{spec.slug}.patch"
    )

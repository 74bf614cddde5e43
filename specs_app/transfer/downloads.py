"""The one way a spec's file leaves SpecPortal, for the pages and the API alike."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def file_download(content: str, *, content_type: str, filename: str) -> HttpResponse:
    """``content`` as a UTF-8 attachment named ``filename``, byte for byte."""
    response = HttpResponse(content.encode("utf-8"), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response

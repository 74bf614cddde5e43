"""One size limit: every endpoint taking spec text accepts the largest legal spec, and not one character more.

The limit is ``rst.safety.MAX_SPEC_CHARACTERS``; the request body limit is derived from it
(``specs_app.limits``). The worst case for a body is a character outside the BMP, which JSON
escapes as a surrogate pair: 12 bytes for one character.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from specs_app.limits import MAX_REQUEST_BYTES, MAX_SPEC_FILE_BYTES
from specs_app.models import Spec
from specs_app.rst.safety import MAX_SPEC_CHARACTERS

ASTRAL = "\U0001f600"  # four bytes in UTF-8, twelve escaped in JSON
HEAD = "=========\nBig spec\n=========\n\nProblem description\n===================\n\n"


def _filled(prefix: str, length: int, character: str) -> str:
    """``prefix`` and then an RST comment filled with ``character`` to exactly ``length`` characters.

    A comment renders quickly, so the render endpoint answers well within its time limit.
    """
    parts, size = [prefix, "..\n"], len(prefix) + 3
    while size < length:
        room = length - size
        part = "   " + character * min(60, room - 4) + "\n" if room >= 5 else "\n" * room
        parts.append(part)
        size += len(part)
    text = "".join(parts)
    assert len(text) == length
    return text


def _spec_text(length: int, character: str) -> str:
    return _filled(HEAD, length, character)


def _json(client, method: str, url: str, payload: dict):
    # ensure_ascii: every character outside ASCII escaped, the costliest way to send it.
    body = json.dumps(payload, ensure_ascii=True).encode()
    return client.generic(method, url, body, content_type="application/json"), len(body)


def _put_text(client, spec: Spec, length: int, character: str):
    text = _spec_text(length, character)
    return _json(client, "PUT", f"/api/v1/specs/{spec.pk}/text/", {"text": text, "version": spec.version})


def _section_write(method: str):
    def write(client, spec: Spec, length: int, character: str):
        section = spec.sections.get(title="Use Cases")
        text = _filled("", length, character)
        url = f"/api/v1/specs/{spec.pk}/sections/{section.pk}/"
        return _json(client, method, url, {"text": text, "version": section.version})

    return write


def _patch_intro(client, spec: Spec, length: int, character: str):
    intro = _filled("", length, character)
    return _json(client, "PATCH", f"/api/v1/specs/{spec.pk}/", {"intro": intro, "version": spec.version})


def _render(client, spec: Spec, length: int, character: str):
    text = _spec_text(length, character)
    return _json(client, "POST", "/api/v1/render/", {"text": text, "project": "cinder"})


def _import(client, spec: Spec, length: int, character: str):
    content = _spec_text(length, character).encode()
    upload = SimpleUploadedFile("big-spec.rst", content, content_type="text/x-rst")
    response = client.post(
        "/api/v1/projects/cinder/import/", {"file": upload, "release": "2026.1"}, format="multipart"
    )
    return response, len(content)


ENDPOINTS = {
    "PUT text": _put_text,
    "PUT section": _section_write("PUT"),
    "PATCH section": _section_write("PATCH"),
    "PATCH spec intro": _patch_intro,
    "POST render": _render,
    "POST import": _import,
}
CHARACTERS = {"ascii": "x", "astral": ASTRAL}


@pytest.mark.parametrize("character", CHARACTERS.values(), ids=CHARACTERS.keys())
@pytest.mark.parametrize("send", ENDPOINTS.values(), ids=ENDPOINTS.keys())
def test_every_endpoint_accepts_the_largest_legal_spec(api_as, alice, spec, send, character):
    response, sent = send(api_as(alice), spec, MAX_SPEC_CHARACTERS, character)

    assert response.status_code in {200, 201}, response.content[:300]
    if character == ASTRAL:
        assert sent >= MAX_SPEC_CHARACTERS * (3.5 if send is _import else 11)


@pytest.mark.parametrize("character", CHARACTERS.values(), ids=CHARACTERS.keys())
@pytest.mark.parametrize("send", ENDPOINTS.values(), ids=ENDPOINTS.keys())
def test_every_endpoint_refuses_one_character_more_with_413(api_as, alice, spec, send, character):
    version = Spec.objects.get(pk=spec.pk).version

    response, _ = send(api_as(alice), spec, MAX_SPEC_CHARACTERS + 1, character)

    assert response.status_code == 413
    message = response.json()["message"]
    assert f"{MAX_SPEC_CHARACTERS:,} characters" in message
    assert "at most" in message or "the limit is" in message
    assert Spec.objects.get(pk=spec.pk).version == version
    assert not Spec.objects.filter(slug="big-spec").exists()


def test_the_limits_are_derived_from_the_one_spec_limit():
    from django.conf import settings

    assert MAX_SPEC_FILE_BYTES == MAX_SPEC_CHARACTERS * 4
    assert MAX_REQUEST_BYTES >= MAX_SPEC_CHARACTERS * 12
    # Django's own limit on form bodies is the same, so the editor's pages take a legal spec too.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == MAX_REQUEST_BYTES


def test_a_body_over_the_request_limit_is_refused_unread(api_as, alice, spec):
    body = b'{"text": "' + b"x" * (MAX_REQUEST_BYTES + 1) + b'", "version": 1}'

    response = api_as(alice).generic("POST", "/api/v1/render/", body, content_type="application/json")

    assert response.status_code == 413
    assert f"the limit is {MAX_REQUEST_BYTES:,}" in response.json()["message"]

"""/api/v1/projects/<slug>/import/: upload an .rst file; the answer is the import report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from specs_app.models import Spec

SPEC = """\
..
 This work is licensed under a Creative Commons Attribution 3.0 Unported
 License.

==================
Backups to the sky
==================

https://blueprints.launchpad.net/cinder/+spec/sky-backup

Problem description
===================

Backups stay on the ground.

Proposed change
===============

Send them up.
"""


def _upload(name: str = "sky-backup.rst", content: bytes = SPEC.encode()) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/x-rst")


def _post(client, **data):
    data.setdefault("file", _upload())
    data.setdefault("release", "2026.1")
    return client.post("/api/v1/projects/cinder/import/", data, format="multipart")


def test_it_imports_a_file_and_reports(api_as, alice, project):
    response = _post(api_as(alice))

    assert response.status_code == 201, response.json()
    report = response.json()
    assert report["outcome"] == "imported"
    assert report["spec"]["slug"] == "sky-backup"
    assert "Use Cases" in " ".join(report["missing_sections"]) or report["missing_sections"]
    assert Spec.objects.get(slug="sky-backup").text() == SPEC


def test_it_replaces_only_when_asked(api_as, alice, project):
    client = api_as(alice)
    _post(client)
    changed = SPEC.replace("Send them up.", "Send them higher.").encode()

    refused = _post(client, file=_upload(content=changed))
    replaced = _post(client, file=_upload(content=changed), replace="true")

    assert refused.status_code == 400
    assert "replace" in refused.json()["message"]
    assert replaced.status_code == 200
    assert replaced.json()["outcome"] == "replaced"


def test_it_requires_auth(api, project):
    assert _post(api).status_code == 401


def test_it_forbids_replacing_someone_elses_spec(api_as, alice, bob, project):
    _post(api_as(alice))

    response = _post(api_as(bob), file=_upload(content=SPEC.replace("up.", "away.").encode()), replace="true")

    assert response.status_code == 403


def test_it_refuses_a_non_utf8_file(api_as, alice, project):
    response = _post(api_as(alice), file=_upload(content="Titre\n=====\n\nété\n".encode("latin-1")))

    assert response.status_code == 400
    assert "UTF-8" in response.json()["message"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"file": "not a file"}, "file"),
        ({"release": ""}, "release"),
        ({"file": SimpleUploadedFile("empty.rst", b"")}, "file"),
        ({"replace": "perhaps"}, "replace"),
    ],
)
def test_it_refuses_bad_fields(api_as, alice, project, data, field):
    response = _post(api_as(alice), **data)

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_it_refuses_a_binary_file(api_as, alice, project):
    response = _post(api_as(alice), file=_upload(content=b"\x00\x01\x02" * 100))

    assert response.status_code == 400


def test_it_refuses_an_oversized_file_with_413(api_as, alice, project):
    response = _post(api_as(alice), file=_upload(content=b"x" * 900_000))

    assert response.status_code == 413


def test_it_answers_404_for_an_unknown_project(api_as, alice, project):
    response = api_as(alice).post("/api/v1/projects/nowhere/import/", {"file": _upload(), "release": "r"})

    assert response.status_code == 404


def test_it_refuses_json(api_as, alice, project):
    response = api_as(alice).post("/api/v1/projects/cinder/import/", {"release": "r"}, format="json")

    assert response.status_code == 415


def test_it_throttles_imports(api_as, alice, project, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    # DRF reads the rates once, when it loads the throttle; lower them for this test.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"import": "2/min"})
    client = api_as(alice)

    answers = [_post(client, file=_upload(name=f"spec-{n}.rst")).status_code for n in range(3)]

    assert answers == [201, 201, 429]

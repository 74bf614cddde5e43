"""/api/v1/specs/<spec>/export.rst and export.patch: the file and a git patch, as downloads."""

from __future__ import annotations


def test_it_exports_the_rst_file(api, spec):
    response = api.get(f"/api/v1/specs/{spec.pk}/export.rst")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-rst; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="multi-attach.rst"'
    assert response.content.decode() == spec.text()


def test_it_exports_the_rst_file_when_asked_for_its_type(api, spec):
    response = api.get("/api/v1/specs/cinder/multi-attach/export.rst", HTTP_ACCEPT="text/x-rst")

    assert response.status_code == 200
    assert response.content.decode() == spec.text()


def test_it_exports_a_patch(api, spec):
    response = api.get("/api/v1/specs/cinder/multi-attach/export.patch")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-patch; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="multi-attach.patch"'
    patch = response.content.decode()
    assert patch.startswith("From ")
    assert "specs/2026.1/multi-attach.rst" in patch


def test_it_answers_404_as_json_for_an_unknown_spec(api, spec):
    response = api.get("/api/v1/specs/cinder/nothing/export.rst", HTTP_ACCEPT="text/x-rst")

    assert response.status_code == 404
    assert b'"message"' in response.content

"""The OpenAPI schema generates cleanly; the docs page works offline."""

from __future__ import annotations

import io
import re

from django.core.management import call_command


def test_it_generates_the_schema_without_warnings(db, tmp_path):
    schema = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema), stderr=io.StringIO())

    text = schema.read_text()
    for path in (
        "/api/v1/specs/{id}/text/",
        "/api/v1/specs/{project_slug}/{spec_slug}/gate/",
        "/api/v1/projects/{slug}/import/",
    ):
        assert path in text


def test_it_serves_the_schema(client, db):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert b"openapi: 3" in response.content


def test_the_docs_reference_only_local_files(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "https://" not in html and "http://" not in html
    assert "/static/drf_spectacular_sidecar/" in html


def test_it_documents_what_a_patch_still_requires(db, tmp_path):
    schema = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(schema), "--format", "openapi-json", stderr=io.StringIO())
    import json

    components = json.loads(schema.read_text())["components"]["schemas"]

    assert components["PatchedSpecUpdateRequest"]["required"] == ["version"]
    assert components["PatchedSectionWriteRequest"]["required"] == ["text", "version"]
    assert components["ImportRequest"]["properties"]["file"]["format"] == "binary"

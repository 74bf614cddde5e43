"""POST /api/v1/render/: the editor's live preview, its diagnostics and the gate."""

import pytest

from specs_app.preview import preview as preview_module
from specs_app.rst.safety import MAX_SPEC_CHARACTERS

URL = "/api/v1/render/"


@pytest.fixture
def template_text(project):
    return project.templates.get(release="").source


@pytest.fixture
def passing_text(template_text):
    # The template itself fails only on one over-long line.
    long_line = "Describe any potential impact upon Cinder's Active/Active HA support.  Some of the"
    return template_text.replace(
        long_line, "Describe any potential impact upon Cinder's Active/Active HA\nsupport."
    )


def post(client, **payload):
    return client.post(URL, payload, content_type="application/json")


def test_it_renders_html_with_source_lines(alice_client, project):
    response = post(alice_client, text="Title\n=====\n\nA paragraph.\n", project="cinder")
    assert response.status_code == 200
    assert '<p data-line="4">A paragraph.</p>' in response.json()["html"]


def test_it_passes_a_spec_that_follows_the_template(alice_client, project, passing_text):
    gate = post(alice_client, text=passing_text, project="cinder").json()["gate"]
    assert gate == {"passed": True, "findings": []}


def test_it_fails_the_template_on_its_long_line(alice_client, project, template_text):
    gate = post(alice_client, text=template_text, project="cinder").json()["gate"]
    assert gate["passed"] is False
    [finding] = gate["findings"]
    assert (finding["rule"], finding["line"]) == ("line.too-long", 184)
    assert finding["section"] == "Active/Active HA impact"


def test_it_maps_a_diagnostic_to_its_section_and_line(alice_client, project, passing_text):
    text = passing_text.replace(
        "What use cases does this address?", "What use cases does this address? *unclosed emphasis"
    )
    body = post(alice_client, text=text, project="cinder").json()
    [warning] = [d for d in body["diagnostics"] if "emphasis" in d["message"].lower()]
    assert warning["section"] == "Use Cases"
    assert warning["line_in_section"] == 4  # heading, underline, blank line, then the text
    assert text.split("\n")[warning["line"] - 1].startswith("What use cases")


def test_it_never_reads_server_files(alice_client, project):
    body = post(alice_client, text=".. include:: /etc/passwd\n", project="cinder").json()
    assert "root:" not in body["html"]
    assert body["diagnostics"], "the refused include must be reported"


def test_it_caches_by_the_text(alice_client, project, monkeypatch):
    calls = []
    real_render = preview_module.render

    def counting_render(text, **kwargs):
        calls.append(text)
        return real_render(text, **kwargs)

    monkeypatch.setattr(preview_module, "render", counting_render)
    first = post(alice_client, text="Cached text.\n", project="cinder").json()
    second = post(alice_client, text="Cached text.\n", project="cinder").json()
    post(alice_client, text="Other text.\n", project="cinder")
    assert first == second
    assert calls == ["Cached text.\n", "Other text.\n"]


def test_it_requires_a_signed_in_user(client, project):
    response = post(client, text="x", project="cinder")
    assert response.status_code in (401, 403)
    assert "message" in response.json()


def test_it_refuses_an_unknown_project(alice_client, project):
    response = post(alice_client, text="x", project="nova")
    assert response.status_code == 404
    assert response.json()["message"]


def test_it_refuses_a_missing_text_with_a_field_error(alice_client, project):
    response = post(alice_client, project="cinder")
    assert response.status_code == 400
    assert "text" in response.json()["errors"]


def test_it_refuses_malformed_json(alice_client, project):
    response = alice_client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["message"]


def test_it_refuses_an_oversized_text_with_413(alice_client, project):
    response = post(alice_client, text="x" * (MAX_SPEC_CHARACTERS + 1), project="cinder")
    assert response.status_code == 413
    assert "limit" in response.json()["message"]


def test_it_refuses_get(alice_client, project):
    assert alice_client.get(URL).status_code == 405


def test_it_refuses_text_that_is_not_valid_unicode(alice_client, project):
    response = alice_client.post(
        URL, '{"text": "broken \\ud800 text", "project": "cinder"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "surrogate" in response.json()["errors"]["text"][0]

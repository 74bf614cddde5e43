"""/api/v1/specs/<spec>/gate/: the gate's findings, run in the render sandbox."""

from __future__ import annotations

from specs_app.authoring import services
from specs_app.models import SpecSection
from specs_app.preview import preview
from specs_app.rst.safety import MAX_SPEC_CHARACTERS


def test_it_reports_the_findings_of_a_new_spec(api, spec):
    response = api.get(f"/api/v1/specs/{spec.pk}/gate/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"passed", "findings"}
    assert isinstance(body["passed"], bool)
    for finding in body["findings"]:
        assert {"rule", "line", "message", "severity"} <= set(finding)


def test_it_finds_a_long_line(api, spec, alice):
    section = spec.sections.get(title="Use Cases")
    services.update_section(actor=alice, section=section, base_version=1, text="word " * 30)

    response = api.get("/api/v1/specs/cinder/multi-attach/gate/")

    assert response.status_code == 200
    assert response.json()["passed"] is False
    assert "line.too-long" in {finding["rule"] for finding in response.json()["findings"]}


def test_it_renders_a_text_that_fails_once(api, spec, monkeypatch):
    calls = []
    real_render = preview.render

    def counting_render(text, **kwargs):
        calls.append(text)
        return real_render(text, **kwargs)

    monkeypatch.setattr(preview, "render", counting_render)
    # Written past the services' limits: a text the renderer refuses, as it would one it had to stop.
    too_long = "x" * (MAX_SPEC_CHARACTERS + 1) + "\n"
    SpecSection.objects.filter(spec=spec, title="Use Cases").update(body=too_long)

    response = api.get(f"/api/v1/specs/{spec.pk}/gate/")

    assert response.status_code == 200
    assert response.json()["passed"] is False
    assert [finding["rule"] for finding in response.json()["findings"]] == ["rst.unparsable"]
    assert len(calls) == 1, "one request, one render"


def test_it_answers_404_for_an_unknown_spec(api, spec):
    assert api.get("/api/v1/specs/cinder/nothing/gate/").status_code == 404


def test_it_refuses_writes(api_as, alice, spec):
    response = api_as(alice).post(f"/api/v1/specs/{spec.pk}/gate/", {}, format="json")

    assert response.status_code == 405
    assert set(response.json()) == {"message", "errors"}

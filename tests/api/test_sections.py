"""/api/v1/specs/<spec>/sections/: read a section, write it with its version."""

from __future__ import annotations

import pytest

from specs_app.authoring import services
from specs_app.models import Spec
from specs_app.rst.safety import MAX_SPEC_CHARACTERS


def _url(spec, section=None) -> str:
    base = f"/api/v1/specs/{spec.pk}/sections/"
    return f"{base}{section.pk}/" if section else base


@pytest.fixture
def use_cases(spec):
    return spec.sections.get(title="Use Cases")


def test_it_lists_a_specs_sections_in_order(api, spec):
    response = api.get(_url(spec))

    assert response.status_code == 200
    assert [item["position"] for item in response.json()] == list(range(spec.sections.count()))
    assert response.json()[0]["title"] == "Problem description"


def test_it_reads_a_section_by_spec_name(api, spec, use_cases):
    response = api.get(f"/api/v1/specs/cinder/multi-attach/sections/{use_cases.pk}/")

    assert response.status_code == 200
    assert response.json()["title"] == "Use Cases"
    assert response.json()["version"] == 1
    assert response.json()["required"] is True


def test_it_answers_404_for_a_section_of_another_spec(api, spec, project, alice):
    other = services.create_spec(
        actor=alice,
        project=project,
        title="Other",
        release="2026.1",
        blueprint_url="https://blueprints.launchpad.net/cinder/+spec/other",
    )
    section = other.sections.first()

    assert api.get(_url(spec, section)).status_code == 404


@pytest.mark.parametrize("method", ["put", "patch"])
def test_it_writes_a_section_with_its_version(api_as, alice, spec, use_cases, method):
    response = getattr(api_as(alice), method)(
        _url(spec, use_cases), {"text": "An operator attaches a volume twice.", "version": 1}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["text"] == "An operator attaches a volume twice."
    assert response.json()["version"] == 2
    assert "An operator attaches a volume twice." in Spec.objects.get(pk=spec.pk).text()
    assert Spec.objects.get(pk=spec.pk).version == spec.version + 1


def test_it_refuses_stale_section_write_with_409(api_as, alice, spec, use_cases):
    services.update_section(actor=alice, section=use_cases, base_version=1, text="Theirs.")

    response = api_as(alice).put(_url(spec, use_cases), {"text": "Mine.", "version": 1}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["current"] == {f"section-{use_cases.pk}": "Theirs."}
    assert body["current_version"] == Spec.objects.get(pk=spec.pk).version
    assert set(body) == {"message", "errors", "current", "current_version"}
    use_cases.refresh_from_db()
    assert use_cases.text == "Theirs."


def test_it_requires_auth_for_writes(api, spec, use_cases):
    response = api.put(_url(spec, use_cases), {"text": "x", "version": 1}, format="json")

    assert response.status_code == 401


def test_it_forbids_non_authors(api_as, bob, spec, use_cases):
    response = api_as(bob).put(_url(spec, use_cases), {"text": "x", "version": 1}, format="json")

    assert response.status_code == 403
    use_cases.refresh_from_db()
    assert use_cases.text == ""


def test_it_lets_co_authors_write(api_as, carol, co_authored_spec):
    section = co_authored_spec.sections.get(title="Use Cases")

    response = api_as(carol).patch(
        _url(co_authored_spec, section), {"text": "Carol's.", "version": 1}, format="json"
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"version": 1}, "text"),
        ({"text": "x"}, "version"),
        ({"text": "x", "version": "one"}, "version"),
        ({"text": "x", "version": 0}, "version"),
        ({"text": 5, "version": 1}, None),
        ({"text": {"a": 1}, "version": 1}, "text"),
        ({"text": None, "version": 1}, "text"),
        ({"text": "x", "version": 10**30}, None),
    ],
)
def test_it_refuses_wrong_types_by_field(api_as, alice, spec, use_cases, body, field):
    response = api_as(alice).put(_url(spec, use_cases), body, format="json")

    if field is None:  # coerced or otherwise handled, but never a 500
        assert response.status_code in {200, 400, 409}
    else:
        assert response.status_code == 400
        assert field in response.json()["errors"]


def test_it_refuses_text_over_the_limit_with_413(api_as, alice, spec, use_cases):
    response = api_as(alice).put(
        _url(spec, use_cases), {"text": "x" * (MAX_SPEC_CHARACTERS + 1), "version": 1}, format="json"
    )

    assert response.status_code == 413
    assert "limit" in response.json()["message"]

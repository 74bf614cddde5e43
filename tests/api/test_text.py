"""/api/v1/specs/<spec>/text/ and services_text.replace_spec_text: the whole .rst at once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from specs_app.authoring import services
from specs_app.authoring.services import EditConflict
from specs_app.authoring.text import replace_spec_text
from specs_app.models import Spec


def _edited(spec: Spec, old: str, new: str) -> str:
    text = spec.text()
    assert old in text
    return text.replace(old, new, 1)


def _with_use_cases(spec: Spec, body: str) -> str:
    return _edited(spec, "Use Cases\n=========\n", f"Use Cases\n=========\n\n{body}\n")


# The service


def test_it_replaces_the_text_and_keeps_untouched_sections(spec, alice):
    before = {section.title: (section.pk, section.version) for section in spec.sections.all()}
    text = _with_use_cases(spec, "Attach one volume to two servers.")

    replace_spec_text(actor=alice, spec=spec, text=text, base_version=spec.version)

    spec = Spec.objects.get(pk=spec.pk)
    assert spec.text() == text
    assert spec.version == 2
    after = {section.title: (section.pk, section.version) for section in spec.sections.all()}
    assert after["Use Cases"] == (before["Use Cases"][0], before["Use Cases"][1] + 1)
    assert after["Proposed change"] == before["Proposed change"]


def test_it_maps_sections_to_the_template_by_title(spec, alice):
    text = _edited(spec, "Use Cases\n=========\n", "Use cases\n=========\n") + "\nNotes\n=====\n\nExtra.\n"

    replace_spec_text(actor=alice, spec=spec, text=text, base_version=spec.version)

    sections = {section.title: section for section in Spec.objects.get(pk=spec.pk).sections.all()}
    assert sections["Use cases"].template_section.title == "Use Cases"
    assert sections["Notes"].template_section is None
    assert Spec.objects.get(pk=spec.pk).text() == text


def test_it_accepts_a_new_title(spec, alice):
    text = _edited(spec, "\nVolume multi-attach\n", "\nVolume MULTI-ATTACH\n")

    replace_spec_text(actor=alice, spec=spec, text=text, base_version=1)

    assert Spec.objects.get(pk=spec.pk).title == "Volume MULTI-ATTACH"


def test_it_refuses_a_stale_version_and_writes_nothing(spec, alice):
    current = spec.text()
    services.update_spec(
        actor=alice, spec=spec, base_version=1, title="Moved on", release="2026.1", intro="", sections={}
    )

    with pytest.raises(EditConflict) as conflict:
        replace_spec_text(actor=alice, spec=spec, text=current + "\nMore.\n", base_version=1)

    assert conflict.value.current_version == 2
    assert conflict.value.conflicts[0].current == Spec.objects.get(pk=spec.pk).text()


def test_it_changes_nothing_for_the_same_text(spec, alice):
    replace_spec_text(actor=alice, spec=spec, text=spec.text(), base_version=1)

    assert Spec.objects.get(pk=spec.pk).version == 1


def test_it_forbids_non_authors(spec, bob):
    with pytest.raises(PermissionDenied):
        replace_spec_text(actor=bob, spec=spec, text=spec.text() + "x\n", base_version=1)


@pytest.mark.parametrize("text", ["", "   \n", "no title here\n", "Title\n=====\n\x00\n"])
def test_it_refuses_text_that_is_not_a_spec(spec, alice, text):
    with pytest.raises(ValidationError) as error:
        replace_spec_text(actor=alice, spec=spec, text=text, base_version=1)

    assert "text" in error.value.message_dict
    assert Spec.objects.get(pk=spec.pk).version == 1


# The endpoint


def test_it_reads_the_text_with_its_version(api, spec):
    response = api.get("/api/v1/specs/cinder/multi-attach/text/")

    assert response.status_code == 200
    assert response.json() == {"text": spec.text(), "version": 1, "path": "specs/2026.1/multi-attach.rst"}


def test_it_pushes_the_text(api_as, alice, spec):
    text = _with_use_cases(spec, "Pushed.")

    response = api_as(alice).put(
        f"/api/v1/specs/{spec.pk}/text/", {"text": text, "version": 1}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["text"] == text
    assert response.json()["version"] == 2


def test_it_refuses_a_stale_push_with_409_and_the_current_text(api_as, alice, spec):
    text = _with_use_cases(spec, "Mine.")
    services.update_section(
        actor=alice, section=spec.sections.get(title="Use Cases"), base_version=1, text="Theirs."
    )

    response = api_as(alice).put(
        f"/api/v1/specs/{spec.pk}/text/", {"text": text, "version": 1}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["current"] == {"text": Spec.objects.get(pk=spec.pk).text()}
    assert response.json()["current_version"] == 2


def test_it_requires_auth_for_writes(api, spec):
    assert (
        api.put(f"/api/v1/specs/{spec.pk}/text/", {"text": "x", "version": 1}, format="json").status_code
        == 401
    )


def test_it_forbids_non_authors_to_push(api_as, bob, spec):
    response = api_as(bob).put(
        f"/api/v1/specs/{spec.pk}/text/", {"text": spec.text() + "x\n", "version": 1}, format="json"
    )

    assert response.status_code == 403


def test_it_refuses_an_untitled_push_by_field(api_as, alice, spec):
    response = api_as(alice).put(
        f"/api/v1/specs/{spec.pk}/text/", {"text": "plain words\n", "version": 1}, format="json"
    )

    assert response.status_code == 400
    assert "text" in response.json()["errors"]

"""Starting a spec: title, blueprint URL and release."""

from __future__ import annotations

from django.urls import reverse

from specs_app.models import Spec
from tests.helpers import html_tree

URL = reverse("specs:spec-create", kwargs={"project_slug": "cinder"})
GOOD = {
    "title": "Awesome thing",
    "blueprint_url": "https://blueprints.launchpad.net/cinder/+spec/awesome-thing",
    "release": "2026.1",
}


def _field_errors(response, name: str) -> list[str]:
    page = html_tree(response.content)
    field = page.find(**{"id": f"id_{name}"})
    block = next(node for node in field.ancestors() if "field" in (node.attrs.get("class") or "").split())
    return [p.text for p in block.find_all("p", class_="field__error")]


def test_it_requires_login(client, project):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_it_requires_login_to_post(client, project):
    response = client.post(URL, GOOD)

    assert response.status_code == 302
    assert not Spec.objects.exists()


def test_it_shows_the_form(alice_client, project):
    page = html_tree(alice_client.get(URL).content)

    for name in ("title", "blueprint_url", "release"):
        field = page.find(**{"id": f"id_{name}"})
        assert field is not None, name
        assert page.find("label", **{"for": f"id_{name}"}) is not None
    assert "awesome-thing" in page.find("p", id="id_blueprint_url_helptext").text


def test_it_creates_the_spec_and_redirects_to_the_editor(alice_client, alice, project):
    response = alice_client.post(URL, GOOD)

    spec = Spec.objects.get(project=project, slug="awesome-thing")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "specs:spec-edit", kwargs={"project_slug": "cinder", "spec_slug": "awesome-thing"}
    )
    assert spec.title == "Awesome thing"
    assert spec.release == "2026.1"
    assert spec.owner == alice
    assert spec.sections.count() == 20


def test_it_rejects_a_missing_title(alice_client, project):
    response = alice_client.post(URL, {**GOOD, "title": "  "})

    assert response.status_code == 200
    assert _field_errors(response, "title") == [
        "Give the spec a title: the blueprint's title, in a few words."
    ]
    assert not Spec.objects.exists()


def test_it_rejects_malformed_blueprint_url(alice_client, project):
    response = alice_client.post(URL, {**GOOD, "blueprint_url": "https://example.org/awesome-thing"})

    errors = _field_errors(response, "blueprint_url")
    assert len(errors) == 1
    assert "Enter a Launchpad blueprint URL" in errors[0]
    assert not Spec.objects.exists()


def test_it_keeps_the_authors_input_on_error(alice_client, project):
    response = alice_client.post(URL, {**GOOD, "blueprint_url": "not a url"})

    page = html_tree(response.content)
    assert page.find("input", name="title").attrs["value"] == "Awesome thing"
    assert page.find("input", name="blueprint_url").attrs["value"] == "not a url"


def test_it_rejects_duplicate_slug(alice_client, spec):
    response = alice_client.post(
        URL, {**GOOD, "blueprint_url": "https://blueprints.launchpad.net/cinder/+spec/multi-attach"}
    )

    errors = _field_errors(response, "blueprint_url")
    assert errors == ["Cinder already has a spec named “multi-attach”: each blueprint has one spec."]
    assert Spec.objects.filter(slug="multi-attach").count() == 1


def test_it_rejects_a_missing_release(alice_client, project):
    response = alice_client.post(URL, {**GOOD, "release": ""})

    assert _field_errors(response, "release") == ["Name the release the spec targets, such as 2026.1."]


def test_it_rejects_a_malformed_release(alice_client, project):
    response = alice_client.post(URL, {**GOOD, "release": "../etc"})

    assert _field_errors(response, "release"), "the model's validation error is not on the release field"
    assert not Spec.objects.exists()


def test_it_suggests_the_latest_release(alice_client, spec):
    page = html_tree(alice_client.get(URL).content)

    assert page.find("input", name="release").attrs["value"] == "2026.1"


def test_it_returns_404_for_an_unknown_project(alice_client, db):
    assert alice_client.get(reverse("specs:spec-create", kwargs={"project_slug": "nova"})).status_code == 404


def test_it_rejects_put(alice_client, project):
    assert alice_client.put(URL).status_code == 405

"""A spec's page: the rendered text, its metadata and what the reader may do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from specs_app.authoring import services
from tests.helpers import client_for, html_tree


def _url(spec) -> str:
    return reverse("specs:spec-detail", kwargs={"project_slug": spec.project.slug, "spec_slug": spec.slug})


def _write(spec, title: str, text: str) -> None:
    section = spec.sections.get(title=title)
    services.update_section(actor=spec.owner, section=section, base_version=section.version, text=text)


def _buttons(response) -> dict[str, str]:
    page = html_tree(response.content)
    actions = page.find("div", class_="page-header__actions")
    return {a.text.strip(): a.attrs["href"] for a in actions.find_all("a")}


def test_it_renders_the_whole_spec(client, spec):
    _write(spec, "Problem description", "Volumes attach to *one* instance only.")
    _write(spec, "Alternatives", "Clone the volume::\n\n    cinder create --source-volid X")

    response = client.get(_url(spec))

    assert response.status_code == 200
    document = html_tree(response.content).find("article", class_="spec-document")
    html = "".join(str(child) for child in document.children)
    assert "Problem description" in document.text
    assert "Alternatives" in document.text
    assert "Volumes attach to" in document.text
    assert document.find("em").text == "one"
    assert document.find("pre").text.strip() == "cinder create --source-volid X"
    assert "https://blueprints.launchpad.net/cinder/+spec/multi-attach" in document.text
    assert html  # the article is not empty


def test_it_shows_the_title_and_metadata(client, co_authored_spec):
    spec = co_authored_spec
    page = html_tree(client.get(_url(spec)).content)

    assert page.find("h1").text.strip() == "Volume multi-attach"
    meta = page.find("dl", class_="meta")
    pairs = dict(
        zip((dt.text.strip() for dt in meta.find_all("dt")), (dd for dd in meta.find_all("dd")), strict=True)
    )
    assert pairs["Status"].text.strip() == "Draft"
    assert pairs["Release"].text.strip() == "2026.1"
    assert pairs["Owner"].text.strip() == "alice"
    assert pairs["Co-authors"].text.strip() == "carol"
    assert (
        pairs["Blueprint"].find("a").attrs["href"]
        == "https://blueprints.launchpad.net/cinder/+spec/multi-attach"
    )
    assert pairs["File"].text.strip() == "specs/2026.1/multi-attach.rst"
    assert pairs["Version"].text.strip() == str(spec.version)


def test_it_lists_the_sections_and_marks_empty_ones(client, spec):
    _write(spec, "Use Cases", "Operators share a volume between two instances.")

    items = html_tree(client.get(_url(spec)).content).find("ol", class_="outline").find_all("li")

    assert len(items) == 20
    by_title = {item.text.split(" empty")[0].strip(): item for item in items}
    assert "outline__item--empty" not in by_title["Use Cases"].attrs["class"]
    assert "outline__item--empty" in by_title["Problem description"].attrs["class"]
    assert "outline__item--level-2" in by_title["Alternatives"].attrs["class"]


def test_it_renders_without_raw_html(client, spec):
    _write(spec, "Problem description", ".. raw:: html\n\n   <script>alert('x')</script>\n\n<b>bold</b>")

    content = client.get(_url(spec)).content.decode()

    assert "<script>alert" not in content
    assert "<b>bold</b>" not in content
    assert "&lt;b&gt;bold&lt;/b&gt;" in content


def test_it_shows_edit_button_to_the_owner(alice_client, spec):
    assert _buttons(alice_client.get(_url(spec)))["Edit"] == reverse(
        "specs:spec-edit", kwargs={"project_slug": "cinder", "spec_slug": "multi-attach"}
    )


def test_it_shows_edit_button_to_a_co_author(co_authored_spec, carol, password):
    assert "Edit" in _buttons(client_for(carol, password).get(_url(co_authored_spec)))


def test_it_shows_edit_button_to_staff(spec, staff, password):
    assert "Edit" in _buttons(client_for(staff, password).get(_url(spec)))


def test_it_hides_edit_button_from_other_users(bob_client, spec):
    assert "Edit" not in _buttons(bob_client.get(_url(spec)))


def test_it_hides_edit_button_from_anonymous_readers(client, spec):
    response = client.get(_url(spec))

    assert response.status_code == 200
    assert "Edit" not in _buttons(response)


def test_it_links_the_downloads(client, spec):
    buttons = _buttons(client.get(_url(spec)))
    names = {"project_slug": "cinder", "spec_slug": "multi-attach"}

    assert buttons["Download .rst"] == reverse("specs:spec-export-rst", kwargs=names)
    assert buttons["Download patch"] == reverse("specs:spec-export-patch", kwargs=names)
    assert client.get(buttons["Download .rst"]).status_code == 200


def test_it_shows_the_gate_verdict(client, in_review):
    spec = in_review
    gate = html_tree(client.get(_url(spec)).content).find("section", class_="gate-panel")

    assert gate is not None
    assert "Gate passes" in gate.text


def test_it_shows_a_gate_verdict_when_there_is_one(rf, spec):
    from django.template.loader import render_to_string

    html = render_to_string(
        "specs_app/authoring/gate.html",
        {
            "gate": {
                "passed": False,
                "findings": [
                    {"rule": "line-length", "line": 12, "message": "Line too long", "severity": "error"}
                ],
            }
        },
    )

    assert "Gate fails" in html
    assert "Line 12" in html and "Line too long" in html and "line-length" in html


def test_it_resolves_spec_names_with_dots(client, project, alice):
    spec = services.create_spec(
        actor=alice,
        project=project,
        title="VMDK via oslo.vmware",
        release="2026.1",
        blueprint_url="https://blueprints.launchpad.net/cinder/+spec/vmdk-oslo.vmware",
    )

    response = client.get(_url(spec))

    assert response.status_code == 200
    assert "VMDK via oslo.vmware" in response.content.decode()


@pytest.mark.parametrize("project_slug, spec_slug", [("cinder", "nope"), ("nova", "multi-attach")])
def test_it_returns_404_for_an_unknown_spec(client, spec, project_slug, spec_slug):
    response = client.get(
        reverse("specs:spec-detail", kwargs={"project_slug": project_slug, "spec_slug": spec_slug})
    )

    assert response.status_code == 404


def test_it_rejects_post(alice_client, spec):
    assert alice_client.post(_url(spec)).status_code == 405


def test_it_explains_a_text_that_could_not_be_rendered(client, spec, monkeypatch):
    from specs_app.preview import preview
    from specs_app.rst.results import Diagnostic, RenderResult

    monkeypatch.setattr(
        preview,
        "render",
        lambda text, **kwargs: RenderResult.failed(Diagnostic.at(4, "Rendering took too long")),
    )
    _write(spec, "Testing", "A text this test's renderer refuses.")

    first = client.get(_url(spec)).content.decode()
    monkeypatch.undo()
    second = client.get(_url(spec)).content.decode()

    assert "This text could not be rendered: Rendering took too long" in first
    assert "could not be rendered" not in second, "a failed render was cached"

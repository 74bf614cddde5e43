"""The spec editor: one field per section, guidance beside it, safe against stale saves."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from specs_app.authoring import services
from specs_app.models import Spec, SpecSection
from tests.helpers import client_for, html_tree


def _url(spec) -> str:
    return reverse("specs:spec-edit", kwargs={"project_slug": spec.project.slug, "spec_slug": spec.slug})


def _section(spec, title: str) -> SpecSection:
    return spec.sections.get(title=title)


def _form_data(response) -> dict[str, str]:
    """What a browser without JavaScript would submit from the editor page, as it stands."""
    form = html_tree(response.content).find("form", id="spec-form")
    data = {}
    for field in form.find_all("input"):
        if (
            field.attrs.get("type") in {"submit", "button"}
            or "readonly" in field.attrs
            or not field.attrs.get("name")
        ):
            continue
        data[field.attrs["name"]] = field.attrs.get("value") or ""
    for field in form.find_all("textarea"):
        if "readonly" in field.attrs:
            continue
        text = field.text
        data[field.attrs["name"]] = text[1:] if text.startswith("\n") else text  # as browsers read it
    return data


def _field_block(page, name: str):
    return page.find("div", **{"data-field": name})


# Who may edit


def test_it_requires_login(client, spec):
    response = client.get(_url(spec))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={_url(spec)}"


def test_it_requires_login_to_save(client, spec):
    section = _section(spec, "Use Cases")
    response = client.post(_url(spec), {"version": spec.version, "title": "Hijacked", "release": "2026.1"})

    assert response.status_code == 302
    assert Spec.objects.get(pk=spec.pk).title == "Volume multi-attach"
    assert SpecSection.objects.get(pk=section.pk).body == section.body


def test_it_forbids_non_authors(bob_client, spec):
    response = bob_client.get(_url(spec))

    assert response.status_code == 403
    page = html_tree(response.content)
    assert "Only the spec's owner, its co-authors and staff can edit it." in page.find("p", role="alert").text
    assert page.find("form", id="spec-form") is None


def test_it_forbids_non_authors_to_save(alice, bob, password, spec):
    data = _form_data(client_for(alice, password).get(_url(spec)))
    data[f"section-{_section(spec, 'Use Cases').pk}"] = "Bob was here."

    response = client_for(bob, password).post(_url(spec), data)

    assert response.status_code == 403
    assert "Bob was here" not in Spec.objects.get(pk=spec.pk).text()


def test_it_forbids_non_authors_to_preview(alice, bob, password, spec):
    data = _form_data(client_for(alice, password).get(_url(spec)))

    response = client_for(bob, password).post(_url(spec), {**data, "action": "preview"})

    assert response.status_code == 403


def test_it_allows_the_owner(alice_client, spec):
    response = alice_client.get(_url(spec))

    assert response.status_code == 200
    assert html_tree(response.content).find("form", id="spec-form") is not None


def test_it_allows_co_author(co_authored_spec, carol, password):
    spec = co_authored_spec
    browser = client_for(carol, password)
    data = _form_data(browser.get(_url(spec)))
    data[f"section-{_section(spec, 'Use Cases').pk}"] = "Carol's use case."

    response = browser.post(_url(spec), data)

    assert response.status_code == 302
    assert _section(spec, "Use Cases").text == "Carol's use case."


def test_it_allows_staff(spec, staff, password):
    browser = client_for(staff, password)
    data = _form_data(browser.get(_url(spec)))
    data["title"] = "Volume multi-attach, revised"

    response = browser.post(_url(spec), data)

    assert response.status_code == 302
    assert Spec.objects.get(pk=spec.pk).title == "Volume multi-attach, revised"


# The form


def test_it_shows_one_field_per_section_in_document_order(alice_client, spec):
    page = html_tree(alice_client.get(_url(spec)).content)

    names = [t.attrs["name"] for t in page.find("form", id="spec-form").find_all("textarea")]
    expected = [f"section-{section.pk}" for section in spec.sections.order_by("position")]
    assert names == ["intro", *expected]
    labels = [page.find("label", **{"for": f"id_{name}"}).text.strip() for name in expected]
    assert labels == [section.title for section in spec.sections.order_by("position")]


def test_it_nests_subsections_inside_their_parent(alice_client, spec):
    page = html_tree(alice_client.get(_url(spec)).content)

    def parent_section(title):
        textarea = page.find("textarea", name=f"section-{_section(spec, title).pk}")
        blocks = [n for n in textarea.ancestors() if "spec-section" in (n.attrs.get("class") or "").split()]
        return blocks[1].find("label").text.strip() if len(blocks) > 1 else None

    assert parent_section("Alternatives") == "Proposed change"
    assert parent_section("Developer impact") == "Proposed change"
    assert parent_section("Work Items") == "Implementation"
    assert parent_section("Proposed change") is None
    assert parent_section("Testing") is None
    group = page.find("div", **{"aria-label": "Subsections of Proposed change"})
    assert len(group.find_all("textarea")) == 10


def test_it_shows_guidance_beside_each_field(alice_client, spec):
    page = html_tree(alice_client.get(_url(spec)).content)

    for section in spec.sections.select_related("template_section"):
        block = _field_block(page, f"section-{section.pk}")
        guidance = block.find("details", class_="guidance")
        if not section.template_section.guidance:  # "Implementation" only heads its subsections
            assert guidance is None
            continue
        assert guidance is not None, section.title
        assert "open" not in guidance.attrs, "guidance starts collapsed"
        first_words = re.search(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", section.template_section.guidance).group()
        assert first_words in " ".join(guidance.text.split()), section.title
    problem = _field_block(page, f"section-{_section(spec, 'Problem description').pk}")
    assert "A detailed description of the problem" in problem.find("p").text


def test_it_renders_guidance_as_html(alice_client, spec):
    page = html_tree(alice_client.get(_url(spec)).content)

    work_items = _field_block(page, f"section-{_section(spec, 'Work Items').pk}").find(
        "details", class_="guidance"
    )
    assert work_items.find("ul") is not None or work_items.find("p") is not None
    assert "::" not in work_items.text.split("\n")[0]


def test_it_shows_the_introduction_with_the_templates_notes(alice_client, spec):
    page = html_tree(alice_client.get(_url(spec)).content)

    intro = _field_block(page, "intro")
    assert "https://blueprints.launchpad.net/cinder/+spec/multi-attach" in intro.find("textarea").text
    notes = intro.find("details", class_="guidance")
    assert "Some notes about using this template" in notes.text
    assert notes.find("ul") is not None


def test_it_shows_title_and_release(alice_client, spec):
    page = html_tree(alice_client.get(_url(spec)).content)

    assert page.find("input", name="title").attrs["value"] == "Volume multi-attach"
    assert page.find("input", name="release").attrs["value"] == "2026.1"


def test_it_carries_versions_in_hidden_fields(alice_client, spec):
    section = _section(spec, "Testing")
    services.update_section(actor=spec.owner, section=section, base_version=1, text="Unit tests.")

    data = _form_data(alice_client.get(_url(spec)))

    assert data["version"] == str(Spec.objects.get(pk=spec.pk).version)
    assert data[f"section-{section.pk}-version"] == "2"
    assert data[f"section-{_section(spec, 'Use Cases').pk}-version"] == "1"


def test_it_points_the_live_preview_at_the_editors_preview_endpoint(alice_client, spec):
    response = alice_client.get(_url(spec))
    page = html_tree(response.content)

    # The browser sends the fields; the server assembles the spec (no assembly data in the page).
    assert page.find("form", id="spec-form").attrs["data-preview-url"] == _url(spec) + "preview/"
    assert page.find("script", id="preview-source") is None
    assert any(s.attrs.get("src", "").endswith("specs_app/js/editor.js") for s in page.find_all("script"))
    assert page.find("div", id="preview") is not None


# Saving


def test_it_saves_and_redirects_to_the_spec(alice_client, spec):
    data = _form_data(alice_client.get(_url(spec)))
    data[f"section-{_section(spec, 'Problem description').pk}"] = "Volumes attach to one instance only."
    data["intro"] = data["intro"] + "\n\nWhy we do this."

    response = alice_client.post(_url(spec), data, follow=True)

    assert response.redirect_chain == [(spec.get_absolute_url(), 302)]
    assert "Saved your changes." in response.content.decode()
    saved = Spec.objects.get(pk=spec.pk)
    assert (
        "Problem description\n===================\n\nVolumes attach to one instance only.\n\n" in saved.text()
    )
    assert "Why we do this." in saved.intro
    assert saved.version == spec.version + 1


def test_it_works_without_javascript(alice_client, spec):
    """A plain form post of the page as served saves, and its Preview button renders."""
    page = alice_client.get(_url(spec))
    form = html_tree(page.content).find("form", id="spec-form")
    assert form.attrs["method"] == "post"
    assert form.attrs["action"] == _url(spec)
    actions = {b.attrs.get("value") for b in form.find_all("button", type="submit")}
    assert {"save", "preview"} <= actions
    data = _form_data(page)
    data[f"section-{_section(spec, 'Testing').pk}"] = "Tempest covers *attach* twice."

    preview = alice_client.post(_url(spec), {**data, "action": "preview"})
    assert preview.status_code == 200
    pane = html_tree(preview.content).find("div", id="preview")
    assert pane.find("em").text == "attach"
    assert "Tempest covers" in pane.text
    assert _section(spec, "Testing").text == "", "a preview saves nothing"
    kept = html_tree(preview.content).find("textarea", name=f"section-{_section(spec, 'Testing').pk}")
    assert "Tempest covers *attach* twice." in kept.text

    saved = alice_client.post(_url(spec), {**data, "action": "save"})
    assert saved.status_code == 302
    assert _section(spec, "Testing").text == "Tempest covers *attach* twice."


def test_it_keeps_the_bytes_of_an_unchanged_save(alice_client, spec):
    before = Spec.objects.get(pk=spec.pk).text()

    response = alice_client.post(_url(spec), _form_data(alice_client.get(_url(spec))))

    assert response.status_code == 302
    after = Spec.objects.get(pk=spec.pk)
    assert after.text() == before
    assert after.version == spec.version


def test_it_accepts_crlf_from_browsers(alice_client, spec):
    data = _form_data(alice_client.get(_url(spec)))
    name = f"section-{_section(spec, 'Dependencies').pk}"
    data[name] = "* one\r\n* two"

    alice_client.post(_url(spec), data)

    assert _section(spec, "Dependencies").text == "* one\n* two"


def test_it_shows_errors_and_keeps_the_text(alice_client, spec):
    data = _form_data(alice_client.get(_url(spec)))
    data["title"] = ""
    name = f"section-{_section(spec, 'Use Cases').pk}"
    data[name] = "My unsaved use case."

    response = alice_client.post(_url(spec), data)

    page = html_tree(response.content)
    assert response.status_code == 200
    assert "A spec needs a title." in _field_block(page, "title").text
    assert "My unsaved use case." in page.find("textarea", name=name).text
    assert _section(spec, "Use Cases").text == ""


def test_it_shows_a_service_validation_error(alice_client, spec):
    data = _form_data(alice_client.get(_url(spec)))
    data["release"] = "not a release!"

    response = alice_client.post(_url(spec), data)

    assert response.status_code == 200
    assert "Use letters, digits" in _field_block(html_tree(response.content), "release").text
    assert Spec.objects.get(pk=spec.pk).release == "2026.1"


# Stale saves


@pytest.fixture
def stale_page(alice_client, co_authored_spec, carol, password):
    """Alice opens the editor; then carol saves "Problem description"."""
    spec = co_authored_spec
    page = alice_client.get(_url(spec))
    section = _section(spec, "Problem description")
    services.update_section(
        actor=carol, section=section, base_version=section.version, text="Carol's problem."
    )
    return spec, _form_data(page)


def test_it_rejects_stale_edit(alice_client, stale_page):
    spec, data = stale_page
    name = f"section-{_section(spec, 'Problem description').pk}"
    data[name] = "Alice's problem."

    response = alice_client.post(_url(spec), data)

    assert response.status_code == 409
    assert _section(spec, "Problem description").text == "Carol's problem."


def test_it_keeps_the_users_text_on_conflict(alice_client, stale_page):
    spec, data = stale_page
    section = _section(spec, "Problem description")
    name = f"section-{section.pk}"
    data[name] = "Alice's problem."
    data[f"section-{_section(spec, 'Use Cases').pk}"] = "Alice's use case."
    data["title"] = "Alice's title"

    response = alice_client.post(_url(spec), data)

    page = html_tree(response.content)
    notice = page.find("div", id="conflict-notice")
    assert "Someone else saved this spec while you were editing it" in notice.text
    assert "Problem description" in notice.text
    block = _field_block(page, name)
    assert "editor-field--conflict" in block.attrs["class"]
    assert block.find("textarea", name=name).text.strip() == "Alice's problem."
    current = block.find("textarea", id=f"{name}-current")
    assert "readonly" in current.attrs
    assert current.text.strip() == "Carol's problem."
    resubmit = _form_data(response)
    assert resubmit[f"section-{_section(spec, 'Use Cases').pk}"] == "Alice's use case."
    assert resubmit["title"] == "Alice's title"
    assert resubmit[f"{name}-version"] == str(section.version)
    assert resubmit["version"] == str(Spec.objects.get(pk=spec.pk).version)


def test_it_saves_the_authors_merge_after_a_conflict(alice_client, stale_page):
    spec, data = stale_page
    name = f"section-{_section(spec, 'Problem description').pk}"
    data[name] = "Alice's problem."
    conflict_page = alice_client.post(_url(spec), data)
    merged = _form_data(conflict_page)
    merged[name] = "Alice's problem, and Carol's."

    response = alice_client.post(_url(spec), merged)

    assert response.status_code == 302
    assert _section(spec, "Problem description").text == "Alice's problem, and Carol's."


def test_it_keeps_another_authors_save_to_a_section_it_did_not_touch(alice_client, stale_page):
    spec, data = stale_page
    data[f"section-{_section(spec, 'Use Cases').pk}"] = "Alice's use case."

    response = alice_client.post(_url(spec), data)

    assert response.status_code == 302
    assert _section(spec, "Problem description").text == "Carol's problem."
    assert _section(spec, "Use Cases").text == "Alice's use case."


def test_it_shows_a_title_conflict_side_by_side(alice_client, co_authored_spec, carol, password):
    spec = co_authored_spec
    data = _form_data(alice_client.get(_url(spec)))
    carols = _form_data(client_for(carol, password).get(_url(spec)))
    client_for(carol, password).post(_url(spec), {**carols, "title": "Carol's title"})
    data["title"] = "Alice's title"

    response = alice_client.post(_url(spec), data)

    block = _field_block(html_tree(response.content), "title")
    assert response.status_code == 409
    assert block.find("input", name="title").attrs["value"] == "Alice's title"
    assert block.find("input", id="title-current").attrs["value"] == "Carol's title"


def test_it_keeps_text_for_sections_the_spec_no_longer_has(alice_client, spec):
    data = _form_data(alice_client.get(_url(spec)))
    gone = _section(spec, "References")
    data[f"section-{gone.pk}"] = "My references."
    data[f"section-{_section(spec, 'Testing').pk}"] = "My tests."
    gone.delete()  # as if the spec had been replaced by an import meanwhile

    response = alice_client.post(_url(spec), data)

    page = html_tree(response.content)
    assert response.status_code == 200
    assert page.find("div", id="orphaned-texts").find("textarea").text.strip() == "My references."
    assert "My tests." in page.find("textarea", name=f"section-{_section(spec, 'Testing').pk}").text
    assert _section(spec, "Testing").text == "", "nothing is saved until the author has seen it"


# Other requests


def test_it_returns_404_for_an_unknown_spec(alice_client, spec):
    url = reverse("specs:spec-edit", kwargs={"project_slug": "cinder", "spec_slug": "nope"})

    assert alice_client.get(url).status_code == 404


def test_it_rejects_delete(alice_client, spec):
    assert alice_client.delete(_url(spec)).status_code == 405
    assert Spec.objects.filter(pk=spec.pk).exists()

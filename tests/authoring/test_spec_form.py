"""The editor form is built from the spec's sections, whichever template they came from."""

from __future__ import annotations

import pytest

from specs_app.authoring import services
from specs_app.authoring.forms import SpecEditForm, text_digest
from specs_app.authoring.selectors import spec_detail
from tests.helpers import CINDER_TEMPLATE, MANILA_TEMPLATE, corpus_path, html_tree

CINDER_PROPOSED_CHANGE = [
    "Alternatives",
    "Data model impact",
    "REST API impact",
    "Security impact",
    "Active/Active HA impact",
    "Notifications impact",
    "Other end user impact",
    "Performance Impact",
    "Other deployer impact",
    "Developer impact",
]
MANILA_PROPOSED_CHANGE = [
    "Alternatives",
    "Data model impact",
    "REST API impact",
    "Driver impact",
    "Security impact",
    "Notifications impact",
    "Other end user impact",
    "Performance Impact",
    "Other deployer impact",
    "Developer impact",
]
TOP_LEVEL = [
    "Problem description",
    "Use Cases",
    "Proposed change",
    "Implementation",
    "Dependencies",
    "Testing",
    "Documentation Impact",
    "References",
]


def _spec_from(template_path, slug, alice):
    source = corpus_path(*template_path.relative_to(template_path.parents[2]).parts).read_text(
        encoding="utf-8"
    )
    project = services.create_project(name=slug.title(), slug=slug, template_source=source)
    services.create_spec(
        actor=alice,
        project=project,
        title="A spec",
        release="2026.1",
        blueprint_url=f"https://blueprints.launchpad.net/{slug}/+spec/a-spec",
    )
    return spec_detail(project_slug=slug, spec_slug="a-spec")


CASES = [
    pytest.param(CINDER_TEMPLATE, "cinder", CINDER_PROPOSED_CHANGE, [], id="cinder"),
    pytest.param(MANILA_TEMPLATE, "manila", MANILA_PROPOSED_CHANGE, ["Diagram Tool References"], id="manila"),
]


@pytest.mark.parametrize("template_path, slug, proposed_change, references", CASES)
def test_it_has_a_field_per_section_in_template_order(
    db, alice, template_path, slug, proposed_change, references
):
    spec = _spec_from(template_path, slug, alice)
    form = SpecEditForm(spec=spec)

    titles = [node.title for node in form.section_fields()]
    expected = [
        *TOP_LEVEL[:3],
        *proposed_change,
        "Implementation",
        "Assignee(s)",
        "Work Items",
        *TOP_LEVEL[4:],
        *references,
    ]
    assert titles == expected
    text_fields = [name for name in form.fields if name.startswith("section-") and name.count("-") == 1]
    assert text_fields == [f"section-{section.pk}" for section in spec.sections.all()]


@pytest.mark.parametrize("template_path, slug, proposed_change, references", CASES)
def test_it_nests_subsections(db, alice, template_path, slug, proposed_change, references):
    form = SpecEditForm(spec=_spec_from(template_path, slug, alice))

    tree = {node.title: [child.title for child in node.children] for node in form.section_tree()}
    assert list(tree) == TOP_LEVEL
    assert tree["Proposed change"] == proposed_change
    assert tree["Implementation"] == ["Assignee(s)", "Work Items"]
    assert tree["References"] == references
    assert tree["Problem description"] == []


@pytest.mark.parametrize("template_path, slug, proposed_change, references", CASES)
def test_it_has_guidance_for_each_section(db, alice, template_path, slug, proposed_change, references):
    form = SpecEditForm(spec=_spec_from(template_path, slug, alice))

    guidance = {node.title: node.guidance_html for node in form.section_fields()}
    assert guidance["Implementation"] == ""  # the template leaves it to its subsections
    assert all(html for title, html in guidance.items() if title != "Implementation"), guidance
    assert "problem" in guidance["Problem description"]
    assert "<ul" in guidance["Dependencies"]
    assert "Some notes about using this template" in form.intro_guidance_html()
    assert f"https://blueprints.launchpad.net/{slug}/+spec/example" in form.intro_guidance_html()


@pytest.mark.parametrize("template_path, slug, proposed_change, references", CASES)
def test_it_renders_every_section_in_the_page(
    client, alice, password, template_path, slug, proposed_change, references
):
    spec = _spec_from(template_path, slug, alice)
    client.login(username="alice", password=password)

    page = html_tree(client.get(f"/p/{slug}/a-spec/edit/").content)

    labels = [label.text.strip() for label in page.find_all("label", class_="editor-field__label")]
    assert labels[:3] == ["Title", "Release", "Introduction"]
    assert labels[3:] == [section.title for section in spec.sections.all()]
    group = page.find("div", **{"aria-label": "Subsections of Proposed change"})
    assert [lab.text.strip() for lab in group.find_all("label")] == proposed_change


def test_manila_has_driver_impact_guidance(db, alice):
    form = SpecEditForm(spec=_spec_from(MANILA_TEMPLATE, "manila", alice))

    driver = next(node for node in form.section_fields() if node.title == "Driver impact")
    assert "ShareDriver" in driver.guidance_html


def test_it_marks_sections_the_template_lacks(spec):
    section = spec.sections.last()
    section.template_section = None
    section.save()

    form = SpecEditForm(spec=spec)

    last = list(form.section_fields())[-1]
    assert not last.in_template
    assert last.guidance_html == ""


def test_it_nests_deeper_levels_under_the_nearest_shallower_section(spec):
    sections = list(spec.sections.all())
    sections[1].level = 3  # "Use Cases" as if it were a subsection of "Problem description"

    tree = SpecEditForm(spec=spec, sections=sections).section_tree()

    assert tree[0].title == "Problem description"
    assert [child.title for child in tree[0].children] == ["Use Cases"]


def test_it_sends_only_the_fields_the_author_changed(spec):
    sections = list(spec.sections.all())
    data = {
        "version": spec.version,
        "title": spec.title,
        "title-digest": text_digest(spec.title),
        "release": spec.release,
        "release-digest": text_digest(spec.release),
        "intro": "A new introduction.",
        "intro-digest": text_digest("https://blueprints.launchpad.net/cinder/+spec/multi-attach"),
    }
    for section in sections:
        data[f"section-{section.pk}"] = ""
        data[f"section-{section.pk}-version"] = section.version
        data[f"section-{section.pk}-digest"] = text_digest("")
    data[f"section-{sections[2].pk}"] = "Changed."

    form = SpecEditForm(data, spec=spec)

    assert form.is_valid(), form.errors
    arguments = form.update_arguments()
    assert list(arguments["sections"]) == [sections[2].pk]
    assert arguments["sections"][sections[2].pk].text == "Changed."
    assert arguments["intro"] == "A new introduction."
    assert arguments["title"] == spec.title


def test_it_treats_a_field_without_its_digest_as_changed(spec):
    sections = list(spec.sections.all())
    data = {"version": spec.version, "title": "New title", "release": "2026.1", "intro": ""}
    for section in sections:
        data[f"section-{section.pk}"] = ""
        data[f"section-{section.pk}-version"] = section.version

    form = SpecEditForm(data, spec=spec)

    assert form.is_valid(), form.errors
    arguments = form.update_arguments()
    assert list(arguments["sections"]) == [section.pk for section in sections]
    assert arguments["title"] == "New title"


def test_it_requires_each_sections_version(spec):
    section = spec.sections.first()
    data = {"version": spec.version, "title": "T", "release": "2026.1", "intro": ""}
    data[f"section-{section.pk}"] = ""
    data[f"section-{section.pk}-version"] = section.version

    form = SpecEditForm(data, spec=spec)

    assert not form.is_valid()
    assert f"section-{spec.sections.last().pk}-version" in form.errors
    assert "reload the page" in form.non_field_errors()[0]


def test_text_digest_ignores_newline_style_and_edge_blank_lines():
    assert text_digest("a\r\nb\n\n") == text_digest("\na\nb")
    assert text_digest("a b") != text_digest("a  b")


def test_it_renders_each_guidance_text_once(spec, monkeypatch):
    from django.core.cache import cache

    from specs_app.preview import preview

    cache.clear()
    rendered = []
    real_render = preview.render

    def counting_render(text, **kwargs):
        rendered.append(text)
        return real_render(text, **kwargs)

    monkeypatch.setattr(preview, "render", counting_render)

    first = [node.guidance_html for node in SpecEditForm(spec=spec).section_fields()]
    count = len(rendered)
    second = [node.guidance_html for node in SpecEditForm(spec=spec).section_fields()]

    assert count == len({s.guidance for s in spec.template.sections.all() if s.guidance})
    assert len(rendered) == count, "the second form rendered guidance again"
    assert first == second

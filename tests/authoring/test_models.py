"""The models: a spec's text is assembled from its parts and splits back into them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from specs_app.authoring import services
from specs_app.models import Project, Spec, SpecSection, SpecTemplate, TemplateSection
from specs_app.rst import document as rst_document


def _write(spec, title, text):
    section = spec.sections.get(title=title)
    services.update_section(actor=spec.owner, section=section, base_version=section.version, text=text)


def test_it_assembles_the_spec_text_from_its_parts(spec):
    _write(spec, "Use Cases", "Share a volume.")

    text = spec.text()

    assert text.startswith(spec.prologue)
    assert "===================\nVolume multi-attach\n===================\n" in text
    assert "\nUse Cases\n=========\n\nShare a volume.\n\n" in text
    assert text.endswith("References\n==========\n")


def test_it_splits_back_into_the_same_parts(spec):
    _write(spec, "Use Cases", "Share a volume.")
    _write(spec, "Work Items", "* one\n* two")

    document = rst_document.split(spec.text())

    assert document == rst_document.with_line_numbers(spec.as_document())
    assert document.title == spec.title
    assert document.prologue == spec.prologue
    assert document.intro == spec.intro
    assert [(s.title, s.level, s.heading, s.body) for s in document.sections] == [
        (s.title, s.level, s.heading, s.body) for s in spec.sections.all()
    ]
    assert rst_document.assemble(document) == spec.text()


def test_as_document_uses_the_given_sections(spec):
    sections = list(spec.sections.all())[:2]

    document = spec.as_document(sections)

    assert [s.title for s in document.sections] == ["Problem description", "Use Cases"]


def test_section_text_is_the_body_without_surrounding_blank_lines(spec):
    section = spec.sections.get(title="Testing")
    section.body = "\n\nSome tests.\n\n\n"

    assert section.text == "Some tests."


def test_slugs_are_unique_per_project(spec, alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        Spec.objects.create(
            project=spec.project,
            template=spec.template,
            title="Again",
            slug=spec.slug,
            release="2026.1",
            owner=alice,
        )


def test_the_same_slug_is_fine_in_another_project(spec, alice):
    manila = services.create_project(name="Manila", slug="manila")

    other = services.create_spec(
        actor=alice,
        project=manila,
        title="Multi-attach for shares",
        release="2026.1",
        blueprint_url="https://blueprints.launchpad.net/manila/+spec/multi-attach",
    )

    assert other.slug == spec.slug


def test_section_positions_are_unique_per_spec(spec):
    with pytest.raises(IntegrityError), transaction.atomic():
        SpecSection.objects.create(spec=spec, title="Extra", heading="Extra\n=====\n", position=0)


def test_one_template_per_project_and_release(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        SpecTemplate.objects.create(project=project, release="", source="x")


def test_template_section_orders_are_unique(project):
    template = project.templates.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        TemplateSection.objects.create(template=template, title="Again", level=1, order=0)


def test_project_slugs_are_unique(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(name="Cinder again", slug="cinder")


def test_spec_path_and_urls(spec):
    assert spec.path == "specs/2026.1/multi-attach.rst"
    assert spec.get_absolute_url() == "/p/cinder/multi-attach/"
    assert spec.project.get_absolute_url() == reverse("specs:spec-list", kwargs={"project_slug": "cinder"})
    assert str(spec) == "Volume multi-attach"


def test_template_filename_names_its_release(project):
    template = project.templates.get()

    assert template.filename == "template.rst"
    template.release = "rocky"
    assert template.filename == "rocky-template.rst"


def test_template_sections_keep_heading_styles(project):
    sections = list(project.templates.get().sections.all())

    assert sections[0].style == rst_document.HeadingStyle("=")
    assert next(s for s in sections if s.title == "Alternatives").style == rst_document.HeadingStyle("-")
    assert next(s for s in sections if s.title == "Alternatives").parent.title == "Proposed change"

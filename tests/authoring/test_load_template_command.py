"""`manage.py load_template PATH --project SLUG [--release NAME] [--optional TITLE]`."""

from __future__ import annotations

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from specs_app.models import Project, SpecTemplate
from tests.helpers import corpus_path


def _load(*args) -> str:
    out = StringIO()
    call_command("load_template", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.fixture
def cinder_template():
    return corpus_path("cinder-specs", "specs", "template.rst")


def test_it_creates_the_project_and_loads_the_default_template(db, cinder_template):
    output = _load(cinder_template, "--project", "cinder")

    project = Project.objects.get(slug="cinder")
    template = SpecTemplate.objects.get(project=project)
    assert project.name == "Cinder"
    assert template.release == ""
    assert template.source == cinder_template.read_text(encoding="utf-8")
    assert template.sections.count() == 20
    assert template.sections.filter(parent=None).count() == 8
    assert "8 top-level sections, 20 in all" in output
    assert "(new project)" in output


def test_it_loads_into_an_existing_project(project, cinder_template):
    output = _load(cinder_template, "--project", "cinder")

    assert "(new project)" not in output
    assert Project.objects.count() == 1
    assert project.templates.count() == 1


def test_it_reads_the_release_from_the_file_name(db, cinder_template, tmp_path):
    rocky = tmp_path / "rocky-template.rst"
    shutil.copy(cinder_template, rocky)

    output = _load(rocky, "--project", "cinder")

    assert SpecTemplate.objects.get(project__slug="cinder").release == "rocky"
    assert "the rocky template" in output


def test_it_takes_the_release_from_the_option(db, cinder_template, tmp_path):
    rocky = tmp_path / "rocky-template.rst"
    shutil.copy(cinder_template, rocky)

    _load(rocky, "--project", "cinder", "--release", "stein")

    assert SpecTemplate.objects.get(project__slug="cinder").release == "stein"


def test_it_marks_optional_sections(db, cinder_template):
    _load(cinder_template, "--project", "cinder", "--optional", "Use Cases", "--optional", "References")

    sections = SpecTemplate.objects.get(project__slug="cinder").sections
    assert set(sections.filter(required=False).values_list("title", flat=True)) == {"Use Cases", "References"}
    assert sections.filter(required=True).count() == 18


def test_it_loads_manila_with_its_extra_sections(db):
    _load(corpus_path("manila-specs", "specs", "template.rst"), "--project", "manila")

    titles = set(SpecTemplate.objects.get(project__slug="manila").sections.values_list("title", flat=True))
    assert {"Driver impact", "Diagram Tool References"} <= titles


def test_it_fails_clearly_for_a_missing_file(db, tmp_path):
    missing = tmp_path / "nope.rst"

    with pytest.raises(CommandError, match=r"Cannot read .*nope\.rst"):
        _load(missing, "--project", "cinder")


def test_it_fails_clearly_for_a_file_that_is_not_utf8(db, tmp_path):
    binary = tmp_path / "template.rst"
    binary.write_bytes(b"\xff\xfe\x00broken")

    with pytest.raises(CommandError, match="Cannot read"):
        _load(binary, "--project", "cinder")


def test_it_fails_clearly_for_a_file_without_sections(db, tmp_path):
    empty = tmp_path / "template.rst"
    empty.write_text("=====\nTitle\n=====\n\nOnly an introduction.\n", encoding="utf-8")

    with pytest.raises(CommandError, match="The template has no sections under its title"):
        _load(empty, "--project", "cinder")
    assert not SpecTemplate.objects.exists()


def test_it_requires_a_project(db, cinder_template):
    with pytest.raises(CommandError, match="--project"):
        _load(cinder_template)

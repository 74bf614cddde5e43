"""A project's gate follows its repository's preset, or its own settings without one."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from specs_app.authoring import services
from specs_app.models import Project
from specs_app.rst.gate_profiles import GATE_PRESETS
from tests.helpers import corpus_path

# A prose line of 100 columns: over cinder's limit; glance's gate (doc8 without D001) has none.
LONG_LINE = " ".join(["word"] * 20) + "\n"


def _rules(api, spec) -> set[str]:
    response = api.get(f"/api/v1/specs/{spec.pk}/gate/")
    assert response.status_code == 200, response.content
    return {finding["rule"] for finding in response.json()["findings"]}


def _with_long_line(spec, alice):
    section = spec.sections.get(title="Problem description")
    services.update_section(actor=alice, section=section, base_version=section.version, text=LONG_LINE)


def test_without_a_preset_the_projects_own_line_limit_applies(api, spec, alice):
    _with_long_line(spec, alice)

    assert "line.too-long" in _rules(api, spec)


def test_with_a_preset_the_repositorys_own_checks_apply(api, spec, alice):
    Project.objects.filter(pk=spec.project_id).update(gate_preset="glance")
    _with_long_line(spec, alice)

    assert "line.too-long" not in _rules(api, spec)


def test_the_preset_is_chosen_when_the_project_is_created(db):
    project = services.create_project(name="Glance", slug="glance", gate_preset="glance")

    assert Project.objects.get(pk=project.pk).gate_preset == "glance"


def test_it_refuses_a_preset_that_does_not_exist(db):
    with pytest.raises(ValidationError) as refused:
        services.create_project(name="Nowhere", slug="nowhere", gate_preset="nowhere")

    assert "gate_preset" in refused.value.message_dict
    assert not Project.objects.filter(slug="nowhere").exists()


def test_every_preset_can_be_chosen(db):
    for name in GATE_PRESETS:
        services.create_project(name=name.capitalize(), slug=f"p-{name}", gate_preset=name)

    assert set(Project.objects.values_list("gate_preset", flat=True)) == set(GATE_PRESETS)


def test_the_api_shows_a_projects_preset(api, project):
    Project.objects.filter(pk=project.pk).update(gate_preset="cinder")

    assert api.get(f"/api/v1/projects/{project.slug}/").json()["gate_preset"] == "cinder"


def test_import_specs_creates_the_project_with_the_preset_it_is_given(db):
    call_command(
        "import_specs",
        str(corpus_path("manila-specs")),
        "--project",
        "manila",
        "--preset",
        "manila",
        stdout=StringIO(),
    )

    assert Project.objects.get(slug="manila").gate_preset == "manila"


def test_import_specs_refuses_an_unknown_preset(db):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("import_specs", "/nonexistent", "--project", "x", "--preset", "nowhere")

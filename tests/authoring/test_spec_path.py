"""Where a new spec's file goes: the project's path pattern, shown before the file exists."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from specs_app.authoring import services
from specs_app.models import Project
from specs_app.rst.gate_profiles import GATE_PRESETS
from tests.helpers import html_tree

BLUEPRINT = "https://blueprints.launchpad.net/nova/+spec/awesome-thing"


@pytest.fixture
def nova(db) -> Project:
    return services.create_project(name="Nova", slug="nova", gate_preset="nova")


def _create_url(project: Project) -> str:
    return reverse("specs:spec-create", kwargs={"project_slug": project.slug})


def _shown_path(response) -> str:
    return html_tree(response.content).find(id="spec-file-path").find("code").text


class TestPathPattern:
    def test_a_project_takes_its_presets_pattern(self, nova):
        assert nova.spec_path_pattern == "specs/{release}/approved/{name}.rst"
        assert nova.spec_path_pattern == GATE_PRESETS["nova"].spec_path_pattern

    def test_a_project_without_preset_puts_specs_in_release_folders(self, project):
        assert project.spec_path_pattern == "specs/{release}/{name}.rst"

    def test_a_new_spec_goes_where_the_pattern_says(self, nova, alice):
        spec = services.create_spec(
            actor=alice, project=nova, title="Awesome thing", release="2026.1", blueprint_url=BLUEPRINT
        )
        assert spec.path == "specs/2026.1/approved/awesome-thing.rst"
        assert (spec.name, spec.slug) == ("awesome-thing", "awesome-thing")

    def test_changing_the_release_moves_a_drafts_file(self, nova, alice):
        spec = services.create_spec(
            actor=alice, project=nova, title="Awesome thing", release="2026.1", blueprint_url=BLUEPRINT
        )
        services.update_spec(
            actor=alice,
            spec=spec,
            base_version=spec.version,
            title=spec.title,
            release="2026.2",
            intro=spec.intro,
            sections={},
        )
        spec.refresh_from_db()
        assert spec.path == "specs/2026.2/approved/awesome-thing.rst"

    @pytest.mark.parametrize(
        ("pattern", "problem"),
        [
            ("specs/{release}/spec.rst", "must contain {name}"),
            ("specs/{release}/{name}.txt", "must end in .rst"),
            ("../{name}.rst", "without “..”"),
            ("/srv/{name}.rst", "without “..”"),
            ("specs/{component}/{name}.rst", "{component} cannot"),
        ],
    )
    def test_it_refuses_a_pattern_that_cannot_place_a_spec(self, project, pattern, problem):
        project.spec_path_pattern = pattern
        with pytest.raises(ValidationError) as error:
            project.full_clean()
        assert problem in " ".join(error.value.message_dict["spec_path_pattern"])

    def test_a_namesake_in_another_release_points_to_re_proposing(self, spec, alice):
        with pytest.raises(ValidationError) as error:
            services.create_spec(
                actor=alice,
                project=spec.project,
                title="Again",
                release="2027.1",
                blueprint_url=spec.blueprint_url,
            )
        message = " ".join(error.value.message_dict["blueprint_url"])
        assert "for 2026.1; re-propose it for 2027.1 from its page" in message


class TestNewSpecPage:
    def test_it_shows_the_pattern_before_anything_is_typed(self, client, alice, password, nova):
        client.login(username="alice", password=password)
        assert _shown_path(client.get(_create_url(nova))) == "specs/<release>/approved/<name>.rst"

    def test_it_fills_in_what_the_author_gave_when_the_form_comes_back(self, client, alice, password, nova):
        client.login(username="alice", password=password)
        response = client.post(
            _create_url(nova), {"title": "", "blueprint_url": BLUEPRINT, "release": "2026.1"}
        )
        assert response.status_code == 200
        assert _shown_path(response) == "specs/2026.1/approved/awesome-thing.rst"

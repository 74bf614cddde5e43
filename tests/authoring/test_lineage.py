"""A blueprint's lineage (its project's specs of one name), oldest release first; the release offered next."""

from __future__ import annotations

import pytest

from specs_app import paths
from specs_app.authoring import selectors, services
from specs_app.authoring.reproposal import repropose_spec

BLUEPRINT = "https://blueprints.launchpad.net/cinder/+spec/{}"


@pytest.fixture
def zed_spec(project, alice):
    return services.create_spec(
        actor=alice,
        project=project,
        title="Shared pools",
        release="zed",
        blueprint_url=BLUEPRINT.format("pools"),
    )


def test_it_orders_a_lineage_by_release_not_by_creation(zed_spec, alice, bob):
    later = repropose_spec(actor=alice, spec=zed_spec, release="2024.1")
    earlier = repropose_spec(actor=bob, spec=zed_spec, release="2023.2")
    backlog = repropose_spec(actor=bob, spec=later, release="backlog")

    lineage = selectors.lineage(later)

    assert [spec.release for spec in lineage] == ["zed", "2023.2", "2024.1", "backlog"]
    assert [spec.pk for spec in lineage] == [zed_spec.pk, earlier.pk, later.pk, backlog.pk]
    assert selectors.lineage(zed_spec) == lineage


def test_other_blueprints_and_other_projects_are_not_in_it(zed_spec, spec, alice):
    manila = services.create_project(name="Manila", slug="manila")
    services.create_spec(
        actor=alice,
        project=manila,
        title="Shared pools",
        release="2023.1",
        blueprint_url=BLUEPRINT.format("pools"),
    )

    assert selectors.lineage(zed_spec) == [zed_spec]


def test_it_reads_a_lineage_in_one_query(zed_spec, alice, django_assert_num_queries):
    for release in ("2023.1", "2023.2", "2024.1"):
        repropose_spec(actor=alice, spec=zed_spec, release=release)

    with django_assert_num_queries(1):
        lineage = selectors.lineage(zed_spec)
        assert [spec.owner.get_username() for spec in lineage] == ["alice"] * 4
        assert {spec.project.slug for spec in lineage} == {"cinder"}


class TestReleaseOffered:
    def test_it_offers_openstacks_next_release_when_the_project_knows_no_later_one(self, spec):
        assert selectors.repropose_releases(spec, [spec]) == ["2026.2"]

    def test_it_skips_releases_the_lineage_has(self, spec, alice):
        repropose_spec(actor=alice, spec=spec, release="2026.2")

        assert selectors.repropose_releases(spec, selectors.lineage(spec)) == ["2027.1"]

    def test_it_offers_the_projects_later_releases_first(self, spec, project, alice):
        services.load_template(project=project, source=spec.template.source, release="2027.1")
        services.create_spec(
            actor=alice,
            project=project,
            title="Other",
            release="2026.2",
            blueprint_url=BLUEPRINT.format("other"),
        )

        assert selectors.repropose_releases(spec, [spec]) == ["2026.2", "2027.1"]

    def test_it_offers_no_folder_that_is_not_a_release(self, spec, project, alice):
        services.create_spec(
            actor=alice,
            project=project,
            title="Later",
            release="backlog",
            blueprint_url=BLUEPRINT.format("b"),
        )

        assert selectors.repropose_releases(spec, [spec]) == ["2026.2"]


@pytest.mark.parametrize(
    ("release", "following"),
    [("juno", "kilo"), ("zed", "2023.1"), ("2023.1", "2023.2"), ("2026.2", "2027.1"), ("backlog", "")],
)
def test_the_release_after(release, following):
    assert paths.next_release(release) == following

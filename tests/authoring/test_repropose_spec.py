"""repropose_spec: a copy of a spec for another release, linked to it, refused where it makes no sense."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from specs_app.authoring import services
from specs_app.authoring.reproposal import repropose_spec
from specs_app.models import Spec, SpecStatus
from specs_app.transfer.importing import import_spec
from tests.helpers import corpus_path
from tests.review_world import PROBLEM, PROPOSAL, write


@pytest.fixture
def written(spec, alice):
    return write(spec, alice, problem_description=PROBLEM, proposed_change=PROPOSAL)


def _refusal(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.message_dict["release"])


class TestCopy:
    def test_it_makes_a_draft_for_the_new_release_at_the_patterns_path(self, written, alice):
        new = repropose_spec(actor=alice, spec=written, release="2026.2")

        assert new.pk != written.pk
        assert (new.name, new.release, new.status) == ("multi-attach", "2026.2", SpecStatus.DRAFT)
        assert new.path == "specs/2026.2/multi-attach.rst"
        assert new.slug == "multi-attach-2026.2"
        assert new.proposed_from == written
        assert new.owner == alice
        assert new.version == 1

    def test_it_copies_the_text(self, written, alice):
        new = repropose_spec(actor=alice, spec=written, release="2026.2")

        # The same template for both releases: the copy is the same file.
        assert new.text() == written.text()
        assert (new.title, new.blueprint_url) == (written.title, written.blueprint_url)
        assert new.sections.get(title="Problem description").text == PROBLEM.strip()

    def test_it_links_each_section_to_the_new_releases_template(self, written, alice, project):
        newer = services.load_template(project=project, source=written.template.source, release="2026.2")
        new = repropose_spec(actor=alice, spec=written, release="2026.2")

        assert new.template == newer
        linked = {section.template_section.template_id for section in new.sections.all()}
        assert linked == {newer.pk}

    def test_it_leaves_the_earlier_spec_as_it_was(self, written, alice):
        before = (written.text(), written.version, written.status, written.path)

        repropose_spec(actor=alice, spec=written, release="2026.2")

        written = Spec.objects.get(pk=written.pk)
        assert (written.text(), written.version, written.status, written.path) == before

    def test_someone_else_re_proposing_keeps_the_authors_as_co_authors(
        self, co_authored_spec, bob, alice, carol
    ):
        new = repropose_spec(actor=bob, spec=co_authored_spec, release="2026.2")

        assert new.owner == bob
        assert set(new.co_authors.all()) == {alice, carol}

    def test_the_owner_re_proposing_is_not_their_own_co_author(self, co_authored_spec, alice, carol):
        new = repropose_spec(actor=alice, spec=co_authored_spec, release="2026.2")

        assert list(new.co_authors.all()) == [carol]


def test_a_spec_lite_stays_a_spec_lite(project, alice):
    lite = corpus_path("glance-specs", "specs", "spec-lite-template.rst").read_text(encoding="utf-8")
    services.load_template(project=project, source=lite, variant="spec-lite")
    text = corpus_path(
        "glance-specs", "specs", "ussuri", "approved", "glance", "spec-lite-deprecate-checksum.rst"
    )
    earlier = import_spec(
        actor=alice, project=project, source=text.read_bytes(), release="ussuri", filename=text.name
    ).spec

    new = repropose_spec(actor=alice, spec=earlier, release="victoria")

    assert new.template.variant == "spec-lite"
    assert new.text() == earlier.text()


class TestPermission:
    def test_an_anonymous_visitor_cannot(self, written):
        with pytest.raises(PermissionDenied):
            repropose_spec(actor=AnonymousUser(), spec=written, release="2026.2")
        assert Spec.objects.count() == 1

    def test_anyone_signed_in_can(self, written, bob):
        assert repropose_spec(actor=bob, spec=written, release="2026.2").owner == bob


class TestRefusals:
    def test_it_refuses_the_specs_own_release(self, written, alice):
        with pytest.raises(ValidationError) as error:
            repropose_spec(actor=alice, spec=written, release="2026.1")

        assert (
            _refusal(error) == "This spec is already proposed for 2026.1; re-propose it for another release."
        )
        assert Spec.objects.count() == 1

    def test_it_refuses_a_release_the_lineage_already_has(self, written, alice, bob):
        repropose_spec(actor=alice, spec=written, release="2026.2")

        with pytest.raises(ValidationError) as error:
            repropose_spec(actor=bob, spec=written, release=" 2026.2 ")

        assert _refusal(error) == (
            "“multi-attach” already has a spec for 2026.2: “Volume multi-attach” "
            "(draft, specs/2026.2/multi-attach.rst). Edit that one instead."
        )
        assert Spec.objects.count() == 2

    def test_it_refuses_an_earlier_openstack_release(self, written, alice):
        with pytest.raises(ValidationError) as error:
            repropose_spec(actor=alice, spec=written, release="zed")

        assert _refusal(error) == "zed comes before 2026.1: re-propose a spec for a later release."

    @pytest.mark.parametrize("release", ["", "   ", "../etc", "two words", "x" * 51])
    def test_it_refuses_a_release_that_is_no_name(self, written, alice, release):
        with pytest.raises(ValidationError) as error:
            repropose_spec(actor=alice, spec=written, release=release)

        assert "Name the release to re-propose the spec for" in _refusal(error)
        assert Spec.objects.count() == 1

    def test_it_refuses_when_the_path_pattern_puts_both_in_one_file(self, written, alice, project):
        project.spec_path_pattern = "specs/approved/{name}.rst"
        project.save()
        Spec.objects.filter(pk=written.pk).update(path="specs/approved/multi-attach.rst")

        with pytest.raises(ValidationError) as error:
            repropose_spec(actor=alice, spec=written, release="2026.2")

        assert _refusal(error).startswith(
            "specs/approved/multi-attach.rst is already “Volume multi-attach” (2026.1): "
            "the project's path pattern specs/approved/{name}.rst puts both there."
        )
        assert Spec.objects.count() == 1

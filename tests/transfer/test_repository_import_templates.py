"""Templates found in a repository, and which one each spec follows (``selectors.template_for``)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from specs_app.authoring import services
from specs_app.authoring.selectors import looks_like_spec_lite, template_for
from specs_app.models import RepositoryFile, Spec, SpecTemplate
from specs_app.transfer.repository import Outcome, import_repository
from tests.transfer.test_repository_import import TEMPLATE, spec
from tests.transfer.test_repository_import_layout import tree

LITE_TEMPLATE = """\
============================
Spec Lite: <Your Title Here>
============================

:problem: <What is the driver to make the change.>

:solution: <High level description what needs to get done.>
"""

LITE_SPEC = """\
Lite Spec: Stop taking new tasks
--------------------------------

:problem: A node going down should finish its tasks first.

:solution: A stop file.
"""


def template_text(release: str) -> str:
    """A template with a section only this release's has."""
    return TEMPLATE + f"\n{release} impact\n{'=' * (len(release) + 7)}\n\nNew in {release}.\n"


def templates_of(project) -> dict[tuple[str, str], str]:
    return {(t.release, t.variant): t.path for t in SpecTemplate.objects.filter(project=project)}


def followed(project) -> dict[str, str]:
    """Each spec's path -> its template's path ("" for one loaded by hand)."""
    return dict(Spec.objects.filter(project=project).values_list("path", "template__path"))


@pytest.fixture
def project(db):
    return services.create_project(name="Nova", slug="nova", template_source=TEMPLATE)


@pytest.mark.django_db
class TestReleaseTemplates:
    def test_each_spec_follows_its_releases_template(self, tmp_path, project, alice):
        tree(
            tmp_path,
            {
                "specs/kilo-template.rst": template_text("kilo"),
                "specs/2025.1-template.rst": template_text("2025.1"),
                "specs/kilo/approved/a.rst": spec(),
                "specs/2025.1/implemented/b.rst": spec(),
                "specs/liberty/approved/c.rst": spec(),
            },
        )
        report = import_repository(actor=alice, project=project, root=tmp_path)

        assert report.templates == 2
        assert templates_of(project) == {
            ("", ""): "",
            ("kilo", ""): "specs/kilo-template.rst",
            ("2025.1", ""): "specs/2025.1-template.rst",
        }
        assert followed(project) == {
            "specs/kilo/approved/a.rst": "specs/kilo-template.rst",
            "specs/2025.1/implemented/b.rst": "specs/2025.1-template.rst",
            # No liberty template: the project's default.
            "specs/liberty/approved/c.rst": "",
        }
        b = Spec.objects.get(name="b")
        assert b.sections.get().template_section.template.release == "2025.1"

    def test_a_stand_in_template_leads_to_the_file_it_stands_in_for(self, tmp_path, project, alice):
        # nova: specs/backlog-template.rst holds "2027.1-template.rst"; release folders hold
        # ../../<release>-template.rst.
        tree(
            tmp_path,
            {
                "specs/2027.1-template.rst": template_text("2027.1"),
                "specs/backlog-template.rst": "2027.1-template.rst",
                "specs/2027.1/approved/2027.1-template.rst": "../../2027.1-template.rst",
                "specs/backlog/approved/idea.rst": spec(),
                "specs/2027.1/approved/plan.rst": spec(),
            },
        )
        report = import_repository(actor=alice, project=project, root=tmp_path)

        assert report.failed == 0
        assert set(
            RepositoryFile.objects.filter(kind=RepositoryFile.Kind.STAND_IN).values_list("path", flat=True)
        ) == {"specs/backlog-template.rst", "specs/2027.1/approved/2027.1-template.rst"}
        assert followed(project) == {
            "specs/backlog/approved/idea.rst": "specs/2027.1-template.rst",
            "specs/2027.1/approved/plan.rst": "specs/2027.1-template.rst",
        }


@pytest.mark.django_db
class TestFolderTemplates:
    def test_a_folders_stand_ins_lead_to_the_repositorys_template(self, tmp_path, project, alice):
        # glance: every specs/<release>/approved/<component>/template.rst is ../../../template.rst.
        tree(
            tmp_path,
            {
                "specs/template.rst": TEMPLATE,
                "specs/rocky-template.rst": template_text("rocky"),
                "specs/rocky/approved/glance/template.rst": "../../../template.rst",
                "specs/rocky/approved/glance/a.rst": spec(),
                "specs/rocky/approved/glance_store/b.rst": spec(),
            },
        )
        import_repository(actor=alice, project=project, root=tmp_path)
        assert followed(project) == {
            # The folder's template stands in for specs/template.rst: that one, not rocky's.
            "specs/rocky/approved/glance/a.rst": "specs/template.rst",
            "specs/rocky/approved/glance_store/b.rst": "specs/rocky-template.rst",
        }

    def test_a_real_folder_template_is_its_releases_and_a_second_one_is_kept_as_a_file(
        self, tmp_path, project, alice
    ):
        tree(
            tmp_path,
            {
                "specs/template.rst": TEMPLATE,
                "specs/rocky/approved/glance/template.rst": template_text("glance"),
                "specs/rocky/approved/glance_store/template.rst": template_text("store"),
                "specs/rocky/approved/glance/a.rst": spec(),
            },
        )
        report = import_repository(actor=alice, project=project, root=tmp_path)

        assert templates_of(project) == {
            ("", ""): "specs/template.rst",
            ("rocky", ""): "specs/rocky/approved/glance/template.rst",
        }
        second = RepositoryFile.objects.get(path="specs/rocky/approved/glance_store/template.rst")
        assert second.note == "another rocky template; specs follow specs/rocky/approved/glance/template.rst"
        assert report.failed == 0
        assert followed(project) == {
            "specs/rocky/approved/glance/a.rst": "specs/rocky/approved/glance/template.rst"
        }


@pytest.mark.django_db
class TestSpecLite:
    @pytest.fixture
    def glance(self, tmp_path):
        return tree(
            tmp_path,
            {
                "specs/template.rst": TEMPLATE,
                "specs/spec-lite-template.rst": LITE_TEMPLATE,
                "specs/rocky/approved/glance/spec-lite-template.rst": "../../../spec-lite-template.rst",
                # glance's xena python-glanceclient: its lite template stands in for the standard one.
                "specs/xena/approved/client/spec-lite-template.rst": "../../../template.rst",
                "specs/rocky/approved/glance/stop-file.rst": LITE_SPEC,
                "specs/rocky/approved/glance/full.rst": spec(),
                "specs/xena/approved/client/lite.rst": LITE_SPEC,
                "specs/untargeted/glance/lite.rst": LITE_SPEC,
            },
        )

    def test_a_spec_lite_follows_the_spec_lite_template_and_others_the_standard_one(
        self, glance, project, alice
    ):
        report = import_repository(actor=alice, project=project, root=glance)

        assert report.failed == 0
        lite = SpecTemplate.objects.get(project=project, variant="spec-lite")
        assert (lite.release, lite.path, lite.sections.count()) == ("", "specs/spec-lite-template.rst", 0)
        assert followed(project) == {
            "specs/rocky/approved/glance/stop-file.rst": "specs/spec-lite-template.rst",
            "specs/rocky/approved/glance/full.rst": "specs/template.rst",
            "specs/xena/approved/client/lite.rst": "specs/template.rst",
            "specs/untargeted/glance/lite.rst": "specs/spec-lite-template.rst",
        }
        stop_file = next(result for result in report.results if result.path.endswith("stop-file.rst"))
        assert (stop_file.outcome, stop_file.missing_sections) == (Outcome.IMPORTED, ())
        assert Spec.objects.get(path="specs/rocky/approved/glance/stop-file.rst").text() == LITE_SPEC

    def test_a_spec_lite_is_a_title_and_a_field_list_without_sections(self):
        assert looks_like_spec_lite(LITE_SPEC)
        assert not looks_like_spec_lite(spec())
        assert not looks_like_spec_lite(":problem: no title\n")

    def test_only_a_variant_template_may_have_no_sections(self, project):
        with pytest.raises(ValidationError, match="no sections"):
            services.load_template(project=project, source=LITE_TEMPLATE, release="rocky")
        template = services.load_template(project=project, source=LITE_TEMPLATE, variant="spec-lite")
        assert (template.release, template.variant, template.path) == ("", "spec-lite", "")


@pytest.mark.django_db
class TestTemplateFor:
    def test_a_release_without_its_own_follows_the_default(self, project):
        assert template_for(project, release="kilo", path="specs/kilo/a.rst", text=spec()) == (
            project.templates.get(release="")
        )

    def test_a_release_template_loaded_by_hand_comes_before_the_default(self, project):
        kilo = services.load_template(project=project, source=template_text("kilo"), release="kilo")
        assert template_for(project, release="kilo", path="specs/kilo/a.rst") == kilo
        assert template_for(project, release="kilo") == kilo

    def test_without_a_default_the_newest_releases_template(self, project):
        project.templates.all().delete()
        services.load_template(project=project, source=template_text("zed"), release="zed")
        newest = services.load_template(project=project, source=template_text("2023.1"), release="2023.1")
        assert template_for(project, release="abandoned", path="specs/abandoned/a.rst") == newest

    def test_a_spec_lite_without_a_lite_template_follows_the_standard_one(self, project):
        assert template_for(project, release="kilo", text=LITE_SPEC) == project.templates.get(release="")


@pytest.mark.django_db
class TestTemplatesThatCannotBeLoaded:
    @pytest.mark.parametrize(
        ("content", "reason"),
        [
            (
                b"=====\nTitle\n=====\n\nNo sections.\n",
                "The kilo template cannot be loaded: The template has no",
            ),
            (
                b"Titre\n=====\n\nD\xe9j\xe0\n",
                "The kilo template is not UTF-8 text. The file is kept as it is.",
            ),
            (TEMPLATE.replace("\n", "\r\n").encode(), "The kilo template has carriage returns"),
        ],
    )
    def test_it_is_kept_as_a_file_and_reported(self, tmp_path, project, alice, content, reason):
        tree(tmp_path, {"specs/kilo-template.rst": content, "specs/kilo/a.rst": spec()})

        report = import_repository(actor=alice, project=project, root=tmp_path)

        assert [(result.path, result.reason[: len(reason)]) for result in report.failures] == [
            ("specs/kilo-template.rst", reason)
        ]
        kept = RepositoryFile.objects.get(path="specs/kilo-template.rst")
        assert (kept.kind, bytes(kept.content)) == (RepositoryFile.Kind.OTHER, content)
        # The spec still comes in, following the default template.
        assert followed(project) == {"specs/kilo/a.rst": ""}

    def test_a_template_imported_before_stays_when_its_file_breaks(self, tmp_path, project, alice):
        tree(tmp_path, {"specs/kilo-template.rst": template_text("kilo"), "specs/kilo/a.rst": spec()})
        import_repository(actor=alice, project=project, root=tmp_path)
        (tmp_path / "specs/kilo-template.rst").write_bytes(b"\xff broken")

        report = import_repository(actor=alice, project=project, root=tmp_path)

        assert report.failures[0].reason == (
            "The kilo template is not UTF-8 text. Nova keeps the template imported from it before."
        )
        assert not RepositoryFile.objects.filter(path="specs/kilo-template.rst").exists()
        assert project.templates.get(release="kilo").source == template_text("kilo")

"""``import_repository``: every file of a specs repository lands somewhere, once, with a report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from specs_app.authoring import services
from specs_app.models import RepositoryFile, Spec, SpecStatus, SpecTemplate
from specs_app.transfer.repository import Outcome, import_repository
from tests.transfer.test_repository_import_layout import tree

TEMPLATE = """\
=======
Example
=======

How to use this template.

Problem description
===================

What is wrong.

Proposed change
===============

What to do.
"""


def spec(title: str = "A spec", body: str = "Text.") -> str:
    rule = "=" * len(title)
    return f"{rule}\n{title}\n{rule}\n\nProblem description\n===================\n\n{body}\n"


@pytest.fixture
def project(db):
    """A project whose default template is the repository's, loaded by hand."""
    return services.create_project(name="Cinder", slug="cinder", template_source=TEMPLATE)


@pytest.fixture
def staff_importer(django_user_model):
    return django_user_model.objects.create_user("importer-staff", is_staff=True)


@pytest.fixture
def checkout(tmp_path) -> Path:
    return tree(
        tmp_path / "project-specs",
        {
            "specs/template.rst": TEMPLATE,
            "specs/zed/approved/tags.rst": spec("Tags"),
            "specs/zed/implemented/quotas.rst": spec("Quotas"),
            "specs/2023.1/approved/tags.rst": spec("Tags again"),
            "specs/2023.2/tags.rst": spec("Tags, third time"),
            "specs/abandoned/old-idea.rst": spec("Old idea"),
            "specs/zed/index.rst": "Zed\n===\n",
            "specs/zed/redirects": "approved/quotas.rst implemented/quotas.rst\n",
        },
    )


def run(actor, project, root, **kwargs):
    return import_repository(actor=actor, project=project, root=root, **kwargs)


@pytest.mark.django_db
class TestImportRepository:
    def test_every_file_lands_as_a_spec_a_template_or_a_repository_file(self, checkout, project, alice):
        report = run(alice, project, checkout)

        assert (report.imported, report.templates, report.kept, report.failed) == (5, 1, 2, 0)
        assert report.summary() == (
            "cinder: 8 files: imported 5, replaced 0, unchanged 0, kept 2, templates 1, failed 0"
        )
        stored = {
            *Spec.objects.values_list("path", flat=True),
            *SpecTemplate.objects.exclude(path="").values_list("path", flat=True),
            *RepositoryFile.objects.values_list("path", flat=True),
        }
        walked = {
            str(path.relative_to(checkout)) for path in (checkout / "specs").rglob("*") if path.is_file()
        }
        assert stored == walked
        assert RepositoryFile.objects.get(path="specs/zed/redirects").kind == RepositoryFile.Kind.REDIRECTS

    def test_a_spec_keeps_its_path_and_bytes_and_is_named_after_its_file(self, checkout, project, alice):
        run(alice, project, checkout)
        quotas = Spec.objects.get(path="specs/zed/implemented/quotas.rst")
        assert (quotas.name, quotas.slug, quotas.release) == ("quotas", "quotas", "zed")
        assert quotas.text() == (checkout / quotas.path).read_text()

    def test_the_folder_gives_the_status_and_a_file_in_the_repository_is_merged(
        self, checkout, project, alice
    ):
        run(alice, project, checkout)
        statuses = dict(Spec.objects.values_list("path", "status"))
        assert statuses == {
            "specs/zed/approved/tags.rst": SpecStatus.MERGED,
            "specs/zed/implemented/quotas.rst": SpecStatus.IMPLEMENTED,
            "specs/2023.1/approved/tags.rst": SpecStatus.MERGED,
            "specs/2023.2/tags.rst": SpecStatus.MERGED,
            "specs/abandoned/old-idea.rst": SpecStatus.ABANDONED,
        }

    def test_re_proposals_form_a_lineage_and_the_first_proposal_gets_the_bare_name(
        self, checkout, project, alice
    ):
        run(alice, project, checkout)
        zed, first, second = (
            Spec.objects.get(path=path)
            for path in (
                "specs/zed/approved/tags.rst",
                "specs/2023.1/approved/tags.rst",
                "specs/2023.2/tags.rst",
            )
        )
        # zed is older than 2023.1 though it sorts after it by name.
        assert (zed.slug, first.slug, second.slug) == ("tags", "tags-2023.1", "tags-2023.2")
        assert {zed.name, first.name, second.name} == {"tags"}
        assert (zed.proposed_from, first.proposed_from, second.proposed_from) == (None, zed, first)

    def test_importing_twice_changes_nothing(self, checkout, project, alice):
        run(alice, project, checkout)
        before = list(Spec.objects.values_list("pk", "version", "updated_at").order_by("pk"))
        files_before = list(RepositoryFile.objects.values_list("pk", "updated_at").order_by("pk"))

        report = run(alice, project, checkout)

        assert report.unchanged == len(report.results) == 8
        assert list(Spec.objects.values_list("pk", "version", "updated_at").order_by("pk")) == before
        assert list(RepositoryFile.objects.values_list("pk", "updated_at").order_by("pk")) == files_before

    def test_progress_is_called_for_each_file(self, checkout, project, alice):
        calls = []
        run(alice, project, checkout, progress=lambda done, total, path: calls.append((done, total, path)))
        assert [(done, total) for done, total, _ in calls] == [(number, 8) for number in range(1, 9)]
        assert calls[0][2] == "specs/zed/index.rst"
        assert calls[-1][2] == "specs/abandoned/old-idea.rst"

    def test_anonymous_users_may_not_import(self, checkout, project):
        with pytest.raises(PermissionDenied):
            run(AnonymousUser(), project, checkout)


@pytest.mark.django_db
class TestFilesThatAreNoSpecs:
    def test_a_real_symlink_is_kept_as_a_link_not_a_second_spec(self, checkout, project, alice):
        os.symlink("../zed/implemented/quotas.rst", checkout / "specs/2023.1/quotas.rst")
        run(alice, project, checkout)
        link = RepositoryFile.objects.get(path="specs/2023.1/quotas.rst")
        assert (link.kind, bytes(link.content)) == (
            RepositoryFile.Kind.LINK,
            b"../zed/implemented/quotas.rst",
        )
        assert Spec.objects.filter(name="quotas").count() == 1

    def test_a_stand_in_is_kept_not_imported(self, checkout, project, alice):
        tree(checkout, {"specs/2023.2/quotas.rst": "../zed/implemented/quotas.rst\n"})
        report = run(alice, project, checkout)
        stand_in = RepositoryFile.objects.get(path="specs/2023.2/quotas.rst")
        assert stand_in.kind == RepositoryFile.Kind.STAND_IN
        assert stand_in.note == "a stand-in for specs/zed/implemented/quotas.rst"
        assert not Spec.objects.filter(path="specs/2023.2/quotas.rst").exists()
        assert report.failed == 0

    def test_an_executable_file_keeps_its_bit(self, checkout, project, alice):
        tree(checkout, {"specs/zed/tool.sh": "#!/bin/sh\n"})
        (checkout / "specs/zed/tool.sh").chmod(0o755)
        run(alice, project, checkout)
        assert RepositoryFile.objects.get(path="specs/zed/tool.sh").executable
        assert not RepositoryFile.objects.get(path="specs/zed/index.rst").executable

    def test_an_executable_spec_keeps_its_bit_and_losing_it_is_a_change(self, checkout, project, alice):
        (checkout / "specs/zed/approved/tags.rst").chmod(0o755)
        run(alice, project, checkout)
        assert Spec.objects.get(path="specs/zed/approved/tags.rst").executable
        assert not Spec.objects.get(path="specs/zed/implemented/quotas.rst").executable
        (checkout / "specs/zed/approved/tags.rst").chmod(0o644)
        run(alice, project, checkout)
        assert not Spec.objects.get(path="specs/zed/approved/tags.rst").executable

    def test_a_spec_that_cannot_be_imported_is_kept_with_the_reason_and_the_rest_come_in(
        self, checkout, project, alice
    ):
        (checkout / "specs/zed/latin.rst").write_bytes("Ajouté\n======\n".encode("latin-1"))
        (checkout / "specs/zed/untitled.rst").write_text("Just a paragraph.\n")
        report = run(alice, project, checkout)

        failures = {result.path: result.reason for result in report.failures}
        assert set(failures) == {"specs/zed/latin.rst", "specs/zed/untitled.rst"}
        assert failures["specs/zed/latin.rst"].startswith("The file is not UTF-8 text")
        assert failures["specs/zed/untitled.rst"].startswith("The file has no title")
        kept = RepositoryFile.objects.get(path="specs/zed/latin.rst")
        assert (kept.kind, bytes(kept.content)) == (
            RepositoryFile.Kind.UNIMPORTED,
            (checkout / "specs/zed/latin.rst").read_bytes(),
        )
        assert kept.note == failures["specs/zed/latin.rst"]
        assert report.imported == 5

    def test_a_spec_fixed_later_replaces_its_kept_copy(self, checkout, project, alice):
        (checkout / "specs/zed/untitled.rst").write_text("Just a paragraph.\n")
        run(alice, project, checkout)
        (checkout / "specs/zed/untitled.rst").write_text(spec("Titled now"))

        report = run(alice, project, checkout)

        assert [result.outcome for result in report.results if result.path == "specs/zed/untitled.rst"] == [
            Outcome.IMPORTED
        ]
        assert not RepositoryFile.objects.filter(path="specs/zed/untitled.rst").exists()


@pytest.mark.django_db
class TestChangedFiles:
    def test_a_changed_spec_is_a_failure_without_replace(self, checkout, project, alice):
        run(alice, project, checkout)
        (checkout / "specs/2023.2/tags.rst").write_text(spec("Tags, third time", "Changed."))

        report = run(alice, project, checkout)

        assert [(result.path, result.reason) for result in report.failures] == [
            (
                "specs/2023.2/tags.rst",
                "Cinder already has specs/2023.2/tags.rst (“Tags, third time”), with other text than "
                "this file. Import with “replace” to overwrite it.",
            )
        ]
        assert "Text." in Spec.objects.get(path="specs/2023.2/tags.rst").text()
        assert not RepositoryFile.objects.filter(path="specs/2023.2/tags.rst").exists()

    def test_replace_replaces_a_changed_spec_and_bumps_its_version(self, checkout, project, alice):
        run(alice, project, checkout)
        (checkout / "specs/2023.2/tags.rst").write_text(spec("Tags, third time", "Changed."))

        report = run(alice, project, checkout, replace=True)

        assert report.replaced == 1
        assert report.unchanged == 7
        tags = Spec.objects.get(path="specs/2023.2/tags.rst")
        assert (tags.version, tags.slug) == (2, "tags-2023.2")
        assert "Changed." in tags.text()

    def test_replace_needs_the_specs_edit_permission(self, checkout, project, alice, bob):
        run(alice, project, checkout)
        (checkout / "specs/2023.2/tags.rst").write_text(spec("Tags, third time", "Changed."))

        report = run(bob, project, checkout, replace=True)

        assert [result.path for result in report.failures] == ["specs/2023.2/tags.rst"]
        assert "only its owner, its co-authors and staff may replace it" in report.failures[0].reason

    def test_a_changed_repository_file_is_replaced_only_by_staff_or_core_reviewers(
        self, checkout, project, alice, staff_importer
    ):
        run(alice, project, checkout)
        (checkout / "specs/zed/index.rst").write_text("Zed specs\n=========\n")

        without = run(alice, project, checkout)
        assert without.failures[0].reason == (
            "specs/zed/index.rst differs from the file imported before. Import with “replace” to update it."
        )
        refused = run(alice, project, checkout, replace=True)
        assert "only staff and Cinder's core reviewers may replace it" in refused.failures[0].reason
        assert bytes(RepositoryFile.objects.get(path="specs/zed/index.rst").content) == b"Zed\n===\n"

        project.core_reviewers.add(alice)
        assert run(alice, project, checkout, replace=True).replaced == 1
        assert (
            bytes(RepositoryFile.objects.get(path="specs/zed/index.rst").content) == b"Zed specs\n=========\n"
        )

    def test_a_changed_template_is_replaced_only_with_replace_by_staff(
        self, checkout, project, alice, staff_importer
    ):
        run(alice, project, checkout)
        changed = TEMPLATE.replace("What to do.", "What to do, and how.")
        (checkout / "specs/template.rst").write_text(changed)

        assert run(alice, project, checkout, replace=True).failures[0].path == "specs/template.rst"
        report = run(staff_importer, project, checkout, replace=True)

        assert [(result.path, result.outcome) for result in report.results if result.kind == "template"] == [
            ("specs/template.rst", Outcome.REPLACED)
        ]
        assert project.templates.get(release="").source == changed

    def test_a_template_loaded_by_hand_becomes_the_repositorys_when_the_text_is_the_same(
        self, checkout, project, alice
    ):
        report = run(alice, project, checkout)
        template = project.templates.get(release="")
        assert template.path == "specs/template.rst"
        assert [result.outcome for result in report.results if result.kind == "template"] == [
            Outcome.TEMPLATE
        ]

    def test_a_template_loaded_by_hand_and_followed_by_no_spec_becomes_the_repositorys(self, checkout, alice):
        bundled = services.create_project(name="Bundled", slug="bundled")

        report = run(alice, bundled, checkout)

        assert report.failed == 0
        template = bundled.templates.get()
        assert (template.source, template.path) == (TEMPLATE, "specs/template.rst")

    def test_a_template_loaded_by_hand_with_other_text_stays_and_the_file_is_kept_meanwhile(
        self, checkout, alice, staff_importer
    ):
        bundled = services.create_project(name="Bundled", slug="bundled")
        source = bundled.templates.get().source
        services.create_spec(actor=alice, project=bundled, title="Written here", release="zed", slug="here")

        report = run(alice, bundled, checkout)

        assert report.failures[0].path == "specs/template.rst"
        assert "Import with “replace” to update it." in report.failures[0].reason
        assert bundled.templates.get().source == source
        kept = RepositoryFile.objects.get(project=bundled, path="specs/template.rst")
        assert (kept.kind, bytes(kept.content)) == (RepositoryFile.Kind.OTHER, TEMPLATE.encode())

        run(staff_importer, bundled, checkout, replace=True)
        assert bundled.templates.get().source == TEMPLATE
        assert not RepositoryFile.objects.filter(project=bundled, path="specs/template.rst").exists()

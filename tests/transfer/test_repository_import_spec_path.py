"""``import_spec(path=...)``: a file's repository path is its identity; without one, its name is."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from specs_app.models import Spec, SpecStatus
from specs_app.transfer import importing
from tests.transfer.test_import import SAMPLE


def at(actor, project, path: str, text: str = SAMPLE, **kwargs):
    release = path.split("/")[1]
    return importing.import_spec(
        actor=actor, project=project, source=text, release=release, path=path, **kwargs
    )


@pytest.mark.django_db
class TestImportAtAPath:
    def test_the_path_names_the_spec_and_its_folder_gives_the_status(self, project, alice):
        report = at(alice, project, "specs/kilo/implemented/nfs-backup.rst")
        spec = report.spec
        assert (spec.name, spec.slug, spec.path, spec.release) == (
            "nfs-backup",
            "nfs-backup",
            "specs/kilo/implemented/nfs-backup.rst",
            "kilo",
        )
        assert spec.status == SpecStatus.IMPLEMENTED
        assert at(alice, project, "specs/liberty/nfs-backup.rst").spec.status == SpecStatus.MERGED

    def test_the_same_name_at_another_path_is_a_re_proposal_not_a_clash(self, project, alice):
        kilo = at(alice, project, "specs/kilo/nfs-backup.rst").spec
        liberty = at(alice, project, "specs/liberty/nfs-backup.rst").spec
        assert (liberty.slug, liberty.name, liberty.proposed_from) == (
            "nfs-backup-liberty",
            "nfs-backup",
            kilo,
        )

    def test_an_older_release_imported_later_is_not_a_re_proposal_of_a_newer_one(self, project, alice):
        at(alice, project, "specs/liberty/nfs-backup.rst")
        assert at(alice, project, "specs/kilo/nfs-backup.rst").spec.proposed_from is None

    def test_the_same_bytes_at_the_same_path_change_nothing(self, project, alice):
        first = at(alice, project, "specs/kilo/nfs-backup.rst").spec
        again = at(alice, project, "specs/kilo/nfs-backup.rst")
        assert again.unchanged
        assert (again.spec.pk, Spec.objects.get(pk=first.pk).version) == (first.pk, 1)

    def test_other_bytes_at_the_path_need_replace(self, project, alice):
        at(alice, project, "specs/kilo/nfs-backup.rst")
        changed = SAMPLE.replace("Add a driver.", "Add two drivers.")
        with pytest.raises(ValidationError, match=r"already has specs/kilo/nfs-backup\.rst"):
            at(alice, project, "specs/kilo/nfs-backup.rst", changed)
        report = at(alice, project, "specs/kilo/nfs-backup.rst", changed, replace=True)
        assert report.replaced
        assert (report.spec.version, report.spec.text()) == (2, changed)

    @pytest.mark.parametrize("path", ["/specs/kilo/a.rst", "specs/../kilo/a.rst", "specs/kilo/a.txt"])
    def test_it_refuses_a_path_outside_the_repository_or_not_an_rst_file(self, project, alice, path):
        with pytest.raises(ValidationError, match="is not a spec's place in a repository"):
            importing.import_spec(actor=alice, project=project, source=SAMPLE, release="kilo", path=path)

    def test_without_a_path_the_name_is_the_identity_as_before(self, project, alice):
        importing.import_spec(
            actor=alice, project=project, source=SAMPLE, release="kilo", filename="nfs-backup.rst"
        )
        with pytest.raises(ValidationError, match="already has a spec named “nfs-backup”"):
            importing.import_spec(
                actor=alice, project=project, source=SAMPLE, release="liberty", filename="nfs-backup.rst"
            )
        spec = Spec.objects.get()
        assert (spec.path, spec.status) == ("specs/kilo/nfs-backup.rst", SpecStatus.DRAFT)

"""``manage.py export_specs DIR --project SLUG``: a project's repository tree, with a report.

The corpus round trip (import, export into a clone, ``git status`` clean) is
``test_repository_round_trip.py``.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from specs_app.authoring import services
from specs_app.models import RepositoryFile, Spec


def export(*args: str) -> str:
    out = StringIO()
    call_command("export_specs", *args, stdout=out)
    return out.getvalue()


class TestExportSpecs:
    def test_it_writes_every_spec_at_its_repository_path(self, tmp_path, spec, project, alice):
        other = services.create_spec(
            actor=alice, project=project, title="Odd", release="kilo", slug="vmdk-oslo.vmware"
        )
        Spec.objects.filter(pk=other.pk).update(path="specs/kilo/approved/vmdk-oslo.vmware.rst")

        output = export(str(tmp_path), "--project", "cinder")

        assert (tmp_path / "specs/2026.1/multi-attach.rst").read_bytes() == spec.text().encode("utf-8")
        assert (tmp_path / "specs/kilo/approved/vmdk-oslo.vmware.rst").read_bytes() == other.text().encode(
            "utf-8"
        )
        assert f"Exported 2 files of cinder to {tmp_path}: 2 new, 0 changed, 0 unchanged." in output
        assert "  specs: 2 (2 new)" in output
        assert "whitespace" not in output

    def test_it_writes_the_repositorys_other_files_and_counts_them_by_kind(self, tmp_path, spec):
        RepositoryFile.objects.create(
            project=spec.project, path="specs/2026.1/redirects", kind="redirects", content=b"a b\n"
        )

        output = export(str(tmp_path), "--project", "cinder")

        assert (tmp_path / "specs/2026.1/redirects").read_bytes() == b"a b\n"
        assert "  redirects files: 1 (1 new)" in output

    def test_a_second_export_reports_unchanged_and_changed_files(self, tmp_path, spec):
        export(str(tmp_path), "--project", "cinder")
        assert "0 new, 0 changed, 1 unchanged" in export(str(tmp_path), "--project", "cinder")
        (tmp_path / "specs" / "2026.1" / "multi-attach.rst").write_text("edited elsewhere\n")
        assert "0 new, 1 changed, 0 unchanged" in export(str(tmp_path), "--project", "cinder")
        assert (tmp_path / "specs" / "2026.1" / "multi-attach.rst").read_text() == spec.text()

    def test_it_names_the_specs_git_would_flag(self, tmp_path, spec):
        section = spec.sections.order_by("position").first()
        section.body = "trailing space \n"
        section.save()

        output = export(str(tmp_path), "--project", "cinder")

        assert "1 specs have whitespace git would flag (kept as they are" in output
        assert f"  {spec.path}: 1 line ending in spaces or tabs" in output

    def test_an_unknown_project_is_an_error(self, tmp_path, db):
        with pytest.raises(CommandError, match="No project “nope”"):
            export(str(tmp_path), "--project", "nope")

    def test_a_path_outside_the_folder_is_an_error_and_nothing_is_written(self, tmp_path, spec):
        RepositoryFile.objects.create(project=spec.project, path="../escape", content=b"x")

        with pytest.raises(CommandError, match=re.escape("Refusing to export '../escape'")):
            export(str(tmp_path / "out"), "--project", "cinder")

        assert not (tmp_path / "out").exists()
        assert not (tmp_path / "escape").exists()

    def test_a_file_given_as_the_folder_is_an_error(self, tmp_path, spec):
        (tmp_path / "file").write_text("")

        with pytest.raises(CommandError, match="is not a folder"):
            export(str(tmp_path / "file"), "--project", "cinder")

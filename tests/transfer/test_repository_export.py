"""``export_repository``: every spec, template and kept file of a project, at its repository path."""

from __future__ import annotations

import os
import stat

from specs_app.models import RepositoryFile, SpecTemplate
from specs_app.transfer.exporting import SPEC, TEMPLATE, export_repository, exported_text


def keep(project, path: str, kind: str, content: bytes, *, executable: bool = False) -> RepositoryFile:
    return RepositoryFile.objects.create(
        project=project, path=path, kind=kind, content=content, executable=executable
    )


def executable(path) -> bool:
    return bool(path.stat().st_mode & stat.S_IXUSR)


class TestExportRepository:
    def test_it_writes_each_spec_at_its_repository_path_with_its_exact_text(self, tmp_path, spec):
        report = export_repository(project=spec.project, root=tmp_path)

        written = tmp_path / "specs" / "2026.1" / "multi-attach.rst"
        assert written.read_bytes() == exported_text(spec).encode("utf-8")
        assert report.count(kind=SPEC, outcome="new") == 1

    def test_carriage_returns_and_a_missing_final_newline_are_written_as_stored(self, tmp_path, spec):
        section = spec.sections.order_by("position").last()
        section.body = "Windows line\r\nends, no final newline"
        section.save()

        report = export_repository(project=spec.project, root=tmp_path)

        content = (tmp_path / spec.path).read_bytes()
        assert content.endswith(b"Windows line\r\nends, no final newline")
        assert content == spec.text().encode("utf-8")
        [(path, problems)] = report.not_git_ready
        assert path == spec.path
        assert any("carriage return" in problem for problem in problems)
        assert any("no newline at the end" in problem for problem in problems)

    def test_a_template_with_a_path_is_written_and_one_without_is_not(self, tmp_path, project):
        SpecTemplate.objects.filter(project=project).update(path="specs/template.rst")
        SpecTemplate.objects.create(project=project, release="kilo", source="Kilo\n====\n\nA\n-\n")
        default = SpecTemplate.objects.get(project=project, release="")

        report = export_repository(project=project, root=tmp_path)

        assert (tmp_path / "specs" / "template.rst").read_bytes() == default.source.encode("utf-8")
        assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()] == [
            "specs/template.rst"
        ]
        assert report.count(kind=TEMPLATE) == 1

    def test_kept_files_come_back_byte_for_byte(self, tmp_path, project):
        keep(project, "specs/kilo/index.rst", "index", b"Kilo\n====\n\n.. toctree::\n")
        keep(project, "specs/2026.2/redirects", "redirects", b"old.html new.html\n")
        keep(project, "specs/juno/picture.png", "other", bytes(range(256)))
        keep(project, "specs/2023.1/approved/template.rst", "stand_in", b"../../template.rst")

        report = export_repository(project=project, root=tmp_path)

        assert (tmp_path / "specs/kilo/index.rst").read_bytes() == b"Kilo\n====\n\n.. toctree::\n"
        assert (tmp_path / "specs/2026.2/redirects").read_bytes() == b"old.html new.html\n"
        assert (tmp_path / "specs/juno/picture.png").read_bytes() == bytes(range(256))
        assert (tmp_path / "specs/2023.1/approved/template.rst").read_bytes() == b"../../template.rst"
        assert report.count(outcome="new") == 4
        assert {kind: report.count(kind=kind) for kind in ("index", "redirects", "other", "stand_in")} == {
            "index": 1,
            "redirects": 1,
            "other": 1,
            "stand_in": 1,
        }

    def test_a_link_is_written_as_a_symbolic_link_to_its_target(self, tmp_path, project):
        keep(project, "specs/template.rst", "other", b"Template\n")
        keep(project, "specs/2023.1/approved/template.rst", "link", b"../../template.rst")

        export_repository(project=project, root=tmp_path)

        link = tmp_path / "specs/2023.1/approved/template.rst"
        assert link.is_symlink()
        assert os.readlink(link) == "../../template.rst"
        assert link.read_bytes() == b"Template\n"

    def test_an_executable_file_is_made_executable_and_others_are_not(self, tmp_path, project):
        keep(project, "tools/check.sh", "other", b"#!/bin/sh\n", executable=True)
        keep(project, "tools/readme.txt", "other", b"text\n")

        export_repository(project=project, root=tmp_path)

        assert executable(tmp_path / "tools/check.sh")
        assert not executable(tmp_path / "tools/readme.txt")

    def test_a_second_export_changes_nothing_and_reports_every_file_unchanged(self, tmp_path, spec):
        keep(spec.project, "specs/template.rst", "link", b"../template.rst")
        keep(spec.project, "tools/run", "other", b"#!/bin/sh\n", executable=True)
        export_repository(project=spec.project, root=tmp_path)
        before = {p: (p.lstat().st_mtime_ns, p.lstat().st_mode) for p in tmp_path.rglob("*")}

        report = export_repository(project=spec.project, root=tmp_path)

        assert report.count(outcome="unchanged") == report.total == 3
        assert {p: (p.lstat().st_mtime_ns, p.lstat().st_mode) for p in tmp_path.rglob("*")} == before

    def test_files_that_differ_are_rewritten_and_reported_changed(self, tmp_path, spec):
        keep(spec.project, "specs/link.rst", "link", b"target.rst")
        keep(spec.project, "tools/run", "other", b"#!/bin/sh\n", executable=True)
        export_repository(project=spec.project, root=tmp_path)
        (tmp_path / spec.path).write_text("edited elsewhere\n")
        (tmp_path / "specs/link.rst").unlink()
        (tmp_path / "specs/link.rst").symlink_to("elsewhere.rst")
        (tmp_path / "tools/run").chmod(0o644)

        report = export_repository(project=spec.project, root=tmp_path)

        assert report.count(outcome="changed") == 3
        assert (tmp_path / spec.path).read_text() == spec.text()
        assert os.readlink(tmp_path / "specs/link.rst") == "target.rst"
        assert executable(tmp_path / "tools/run")

    def test_a_file_where_a_link_was_replaces_the_link_not_what_it_points_to(self, tmp_path, spec):
        outside = tmp_path / "outside.rst"
        outside.write_text("not the export's\n")
        root = tmp_path / "repository"
        (root / "specs" / "2026.1").mkdir(parents=True)
        (root / spec.path).symlink_to(outside)

        report = export_repository(project=spec.project, root=root)

        assert not (root / spec.path).is_symlink()
        assert (root / spec.path).read_text() == spec.text()
        assert outside.read_text() == "not the export's\n"
        assert report.count(kind=SPEC, outcome="changed") == 1

    def test_files_it_does_not_know_are_left_alone(self, tmp_path, spec):
        (tmp_path / "README.rst").write_text("the repository's own\n")

        export_repository(project=spec.project, root=tmp_path)

        assert (tmp_path / "README.rst").read_text() == "the repository's own\n"

    def test_the_report_names_each_kind_with_its_outcomes(self, tmp_path, spec):
        keep(spec.project, "specs/index.rst", "index", b"Specs\n")
        export_repository(project=spec.project, root=tmp_path)
        (tmp_path / "specs/index.rst").write_text("Changed\n")

        lines = export_repository(project=spec.project, root=tmp_path).lines("cinder")

        assert lines[0] == f"Exported 2 files of cinder to {tmp_path}: 0 new, 1 changed, 1 unchanged."
        assert "  specs: 1 (1 unchanged)" in lines
        assert "  index pages: 1 (1 changed)" in lines

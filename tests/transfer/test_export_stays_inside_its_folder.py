"""A repository export never writes outside its folder, nor into its ``.git``, and says why it refuses."""

from __future__ import annotations

import re

import pytest

from specs_app.models import RepositoryFile, Spec
from specs_app.transfer.exporting import ExportError, export_repository


def keep(project, path: str, content: bytes = b"x\n", kind: str = "other") -> None:
    RepositoryFile.objects.create(project=project, path=path, kind=kind, content=content)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/etc/passwd", "absolute path"),
        ("../outside.rst", "climbs out"),
        ("specs/../../outside.rst", "climbs out"),
        ("specs//double.rst", "not a plain relative path"),
        ("specs/./dot.rst", "not a plain relative path"),
        (".git/hooks/post-checkout", "inside .git"),
        ("specs/.GIT/config", "inside .git"),
        ("specs/back\\slash.rst", "not a usable file name"),
    ],
)
def test_it_refuses_a_path_that_could_land_elsewhere(tmp_path, project, path, reason):
    root = tmp_path / "repository"
    keep(project, "specs/fine.rst")
    keep(project, path)

    with pytest.raises(ExportError, match=reason) as refused:
        export_repository(project=project, root=root)

    assert repr(path) in str(refused.value)
    # Every path is checked before anything is written.
    assert not root.exists() or not any(root.rglob("*"))
    assert not (tmp_path / "outside.rst").exists()


def test_it_refuses_a_spec_path_that_climbs_out(tmp_path, spec):
    Spec.objects.filter(pk=spec.pk).update(path="../escaped.rst")

    with pytest.raises(ExportError, match="climbs out"):
        export_repository(project=spec.project, root=tmp_path / "repository")

    assert not (tmp_path / "escaped.rst").exists()


def test_it_refuses_to_write_through_a_folder_that_links_out_of_the_root(tmp_path, project):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "repository"
    (root / "specs").mkdir(parents=True)
    (root / "specs" / "kilo").symlink_to(outside, target_is_directory=True)
    keep(project, "specs/index.rst")
    keep(project, "specs/kilo/spec.rst")

    with pytest.raises(ExportError, match="symbolic link leading out of"):
        export_repository(project=project, root=root)

    assert not any(outside.iterdir())
    # Refused before anything was written, the files that were fine included.
    assert not (root / "specs" / "index.rst").exists()


def test_a_folder_where_a_file_goes_is_an_error(tmp_path, project):
    (tmp_path / "specs" / "kilo").mkdir(parents=True)
    keep(project, "specs/kilo")

    with pytest.raises(ExportError, match="is a folder"):
        export_repository(project=project, root=tmp_path)


def test_a_link_the_export_writes_is_not_written_through(tmp_path, project):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "repository"
    keep(project, "specs/current", str(outside).encode(), kind="link")
    keep(project, "specs/current/spec.rst")

    with pytest.raises(ExportError, match="is a file and also a folder"):
        export_repository(project=project, root=root)

    assert not any(outside.iterdir())


def test_two_different_files_at_one_path_are_refused(tmp_path, spec):
    keep(spec.project, spec.path, b"another text\n", kind="unimported")

    with pytest.raises(ExportError, match=re.escape(f"{spec.path} is both")):
        export_repository(project=spec.project, root=tmp_path)


def test_the_same_file_kept_twice_is_written_once(tmp_path, spec):
    keep(spec.project, spec.path, spec.text().encode(), kind="unimported")

    report = export_repository(project=spec.project, root=tmp_path)

    assert report.total == 1
    assert (tmp_path / spec.path).read_text() == spec.text()

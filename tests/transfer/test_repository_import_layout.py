"""Which file of a specs repository is what: ``transfer.layout.scan`` (plain Python, no database)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from specs_app.transfer.layout import Kind, scan


def tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (repository path -> text or bytes) under ``root``."""
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def by_path(root: Path) -> dict:
    return {file.path: file for file in scan(root).files}


SPEC = "=====\nA spec\n=====\n\nProblem description\n===================\n\nText.\n"


class TestKinds:
    def test_it_tells_specs_templates_and_the_files_kept_as_they_are(self, tmp_path):
        tree(
            tmp_path,
            {
                "specs/template.rst": SPEC,
                "specs/kilo/index.rst": "Kilo\n====\n",
                "specs/kilo/redirects": "old.rst new.rst\n",
                "specs/kilo/nfs-backup.rst": SPEC,
                "specs/kilo/.placeholder": "",
                "specs/kilo/diagram.png": b"\x89PNG\r\n",
                "specs/deadlines.rst": SPEC,
            },
        )
        kinds = {path: file.kind for path, file in by_path(tmp_path).items()}
        assert kinds == {
            "specs/template.rst": Kind.TEMPLATE,
            "specs/kilo/index.rst": Kind.INDEX,
            "specs/kilo/redirects": Kind.REDIRECTS,
            "specs/kilo/nfs-backup.rst": Kind.SPEC,
            "specs/kilo/.placeholder": Kind.OTHER,
            "specs/kilo/diagram.png": Kind.OTHER,
            # A page beside the release folders is no release's spec.
            "specs/deadlines.rst": Kind.OTHER,
        }

    def test_a_one_line_relative_path_to_an_existing_file_is_a_stand_in(self, tmp_path):
        tree(
            tmp_path,
            {
                "specs/template.rst": SPEC,
                "specs/juno/example.rst": "../template.rst",
                "specs/juno/approved/glance/template.rst": "../../../template.rst\n\n",
                "specs/juno/gone.rst": "../missing.rst",
            },
        )
        files = by_path(tmp_path)
        example = files["specs/juno/example.rst"]
        assert (example.kind, example.target, example.content) == (
            Kind.STAND_IN,
            "specs/template.rst",
            b"../template.rst",
        )
        assert files["specs/juno/approved/glance/template.rst"].kind == Kind.STAND_IN
        # Pointing at nothing, it is an (unimportable) spec like any other, not a stand-in.
        assert files["specs/juno/gone.rst"].kind == Kind.SPEC

    def test_symbolic_links_are_links_never_followed(self, tmp_path):
        tree(tmp_path, {"specs/mitaka/approved/swift.rst": SPEC})
        (tmp_path / "specs/newton").mkdir()
        os.symlink("../mitaka/approved/swift.rst", tmp_path / "specs/newton/swift.rst")
        os.symlink("../mitaka/approved", tmp_path / "specs/newton/approved")
        files = by_path(tmp_path)
        assert files["specs/newton/swift.rst"].kind == Kind.LINK
        assert files["specs/newton/swift.rst"].content == b"../mitaka/approved/swift.rst"
        assert files["specs/newton/approved"].kind == Kind.LINK
        assert files["specs/newton/approved"].content == b"../mitaka/approved"
        # The folder behind the link is not walked a second time.
        assert [path for path in files if path.endswith("swift.rst")] == [
            "specs/mitaka/approved/swift.rst",
            "specs/newton/swift.rst",
        ]

    def test_it_records_the_executable_bit(self, tmp_path):
        tree(tmp_path, {"specs/kilo/run.sh": "#!/bin/sh\n", "specs/kilo/a.rst": SPEC})
        (tmp_path / "specs/kilo/run.sh").chmod(0o755)
        files = by_path(tmp_path)
        assert files["specs/kilo/run.sh"].executable
        assert not files["specs/kilo/a.rst"].executable

    def test_it_accepts_the_specs_folder_itself(self, tmp_path):
        tree(tmp_path, {"specs/kilo/a.rst": SPEC})
        assert list(by_path(tmp_path / "specs")) == ["specs/kilo/a.rst"]


class TestReleases:
    @pytest.mark.parametrize(
        ("path", "release"),
        [
            ("specs/kilo/a.rst", "kilo"),  # cinder, manila
            ("specs/2025.1/approved/a.rst", "2025.1"),  # nova
            ("specs/2025.1/implemented/a.rst", "2025.1"),
            ("specs/rocky/approved/glance/a.rst", "rocky"),  # glance
            ("specs/rocky/approved/glance/image-import/a.rst", "rocky"),  # deeper nesting
            ("specs/backlog/approved/a.rst", "backlog"),  # folders that are no release act as one
            ("specs/untargeted/glance/a.rst", "untargeted"),
        ],
    )
    def test_the_release_is_the_folder_under_specs(self, tmp_path, path, release):
        tree(tmp_path, {"specs/juno/other.rst": SPEC, path: SPEC})
        assert by_path(tmp_path)[path].release == release

    def test_in_keystones_layout_the_release_is_under_the_component(self, tmp_path):
        tree(
            tmp_path,
            {
                "specs/keystone/ocata/a.rst": SPEC,
                "specs/keystone/pike/b.rst": SPEC,
                "specs/keystone/backlog/c.rst": SPEC,
                "specs/keystonemiddleware/ocata/d.rst": SPEC,
                "specs/keystonemiddleware/untargeted/e.rst": SPEC,
            },
        )
        layout = scan(tmp_path)
        assert layout.release_depth == 1
        releases = {file.path: file.release for file in layout.files}
        assert releases == {
            "specs/keystone/backlog/c.rst": "backlog",
            "specs/keystone/ocata/a.rst": "ocata",
            "specs/keystone/pike/b.rst": "pike",
            "specs/keystonemiddleware/ocata/d.rst": "ocata",
            "specs/keystonemiddleware/untargeted/e.rst": "untargeted",
        }

    def test_specs_come_oldest_release_first_after_templates_and_kept_files(self, tmp_path):
        tree(
            tmp_path,
            {
                "specs/2023.1/a.rst": SPEC,
                "specs/zed/a.rst": SPEC,
                "specs/backlog/a.rst": SPEC,
                "specs/zed-template.rst": SPEC,
                "specs/zed/index.rst": "Zed\n===\n",
            },
        )
        order = [file.path for file in scan(tmp_path).in_import_order()]
        assert order == [
            "specs/zed/index.rst",
            "specs/zed-template.rst",
            "specs/zed/a.rst",
            "specs/2023.1/a.rst",
            "specs/backlog/a.rst",
        ]


class TestTemplates:
    @pytest.mark.parametrize(
        ("path", "release", "variant"),
        [
            ("specs/template.rst", "", ""),
            ("specs/kilo-template.rst", "kilo", ""),
            ("specs/2025.1-template.rst", "2025.1", ""),
            # backlog is a folder where specs live, so a release here.
            ("specs/backlog-template.rst", "backlog", ""),
            ("specs/spec-lite-template.rst", "", "spec-lite"),
            ("specs/2025.1-spec-lite-template.rst", "2025.1", "spec-lite"),
            ("specs/kilo/template.rst", "kilo", ""),
            ("specs/kilo/approved/glance/spec-lite-template.rst", "kilo", "spec-lite"),
        ],
    )
    def test_name_and_folder_give_its_release_and_variant(self, tmp_path, path, release, variant):
        tree(tmp_path, {"specs/backlog/a.rst": SPEC, "specs/kilo/b.rst": SPEC, path: SPEC})
        template = by_path(tmp_path)[path]
        assert (template.kind, template.release, template.variant) == (Kind.TEMPLATE, release, variant)

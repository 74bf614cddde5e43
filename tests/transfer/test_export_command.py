"""``manage.py export_specs``: a project's specs written back as a specs/ tree."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from specs_app.authoring import services
from tests.helpers import CORPUS, corpus_path
from tests.transfer.test_roundtrip_corpus import release_specs


def export(*args: str) -> str:
    out = StringIO()
    call_command("export_specs", *args, stdout=out)
    return out.getvalue()


def import_repository(name: str) -> None:
    call_command("import_specs", str(corpus_path(f"{name}-specs")), "--project", name, stdout=StringIO())


class TestExportSpecs:
    def test_it_writes_every_spec_to_specs_release_slug(self, tmp_path, spec, project, alice):
        other = services.create_spec(
            actor=alice, project=project, title="Odd", release="kilo", slug="vmdk-oslo.vmware"
        )
        output = export(str(tmp_path), "--project", "cinder")
        assert (tmp_path / "specs" / "2026.1" / "multi-attach.rst").read_bytes() == spec.text().encode(
            "utf-8"
        )
        assert (tmp_path / "specs" / "kilo" / "vmdk-oslo.vmware.rst").read_bytes() == other.text().encode(
            "utf-8"
        )
        assert "Exported 2 specs of cinder" in output
        assert "2 new, 0 changed, 0 unchanged" in output
        assert "whitespace" not in output

    def test_a_second_export_reports_unchanged_and_changed_files(self, tmp_path, spec):
        export(str(tmp_path), "--project", "cinder")
        assert "0 new, 0 changed, 1 unchanged" in export(str(tmp_path), "--project", "cinder")
        (tmp_path / "specs" / "2026.1" / "multi-attach.rst").write_text("edited elsewhere\n")
        assert "0 new, 1 changed, 0 unchanged" in export(str(tmp_path), "--project", "cinder")
        assert (tmp_path / "specs" / "2026.1" / "multi-attach.rst").read_text() == spec.text()

    def test_an_unknown_project_is_an_error(self, tmp_path, db):
        with pytest.raises(CommandError, match="No project “nope”"):
            export(str(tmp_path), "--project", "nope")

    @pytest.mark.parametrize("name", ["cinder", "manila"])
    def test_importing_the_corpus_then_exporting_gives_identical_files(self, tmp_path, db, name):
        corpus_path(f"{name}-specs")
        import_repository(name)
        output = export(str(tmp_path), "--project", name)

        exported = {path.relative_to(tmp_path).as_posix(): path for path in tmp_path.rglob("*.rst")}
        originals = {
            path.relative_to(CORPUS / f"{name}-specs").as_posix(): path for path in release_specs(name)
        }
        # A project holds one spec of a name: where a later release reuses a name
        # (cinder's nvme-agent.rst), the import keeps the first and reports the other.
        first_of_name: dict[str, str] = {}
        for relative in sorted(originals):
            first_of_name.setdefault(relative.rsplit("/", 1)[1], relative)
        assert set(exported) == set(first_of_name.values())
        for relative, path in exported.items():
            assert path.read_bytes() == originals[relative].read_bytes(), relative
        assert f"Exported {len(exported)} specs of {name}" in output

"""``manage.py import_specs``: a whole specs repository, file by file, with a report."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from specs_app.authoring import services
from specs_app.models import Project, Spec
from tests.helpers import corpus_path
from tests.transfer.test_import import SAMPLE
from tests.transfer.test_roundtrip_corpus import release_specs


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_specs", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def repository(tmp_path) -> Path:
    """A small specs repository: two good specs, a Latin-1 one, an index and its template."""
    specs = tmp_path / "cinder-specs" / "specs"
    (specs / "kilo").mkdir(parents=True)
    (specs / "liberty").mkdir()
    (specs / "template.rst").write_bytes(settings.DEFAULT_TEMPLATE_PATH.read_bytes())
    (specs / "kilo" / "nfs-backup.rst").write_text(SAMPLE, encoding="utf-8")
    (specs / "kilo" / "latin.rst").write_bytes(SAMPLE.replace("Add a driver.", "Ajouté.").encode("latin-1"))
    (specs / "liberty" / "index.rst").write_text("Liberty\n=======\n\n.. toctree::\n", encoding="utf-8")
    (specs / "liberty" / "vmdk-oslo.vmware.rst").write_text(
        SAMPLE.replace("nfs-backup", "vmdk-oslo.vmware"), encoding="utf-8"
    )
    return tmp_path / "cinder-specs"


@pytest.mark.django_db
class TestImportSpecs:
    def test_it_imports_each_spec_and_reports_progress_and_a_summary(self, repository, project):
        output = run(str(repository), "--project", "cinder")
        lines = output.splitlines()
        assert "[1/4] kilo/latin.rst ... FAILED: The file is not UTF-8 text" in lines[0]
        assert lines[1] == (
            "[2/4] kilo/nfs-backup.rst ... imported (missing: Proposed change > Data model impact, "
            "Proposed change > REST API impact, Proposed change > Security impact, "
            "Proposed change > Active/Active HA impact, Proposed change > Notifications impact, "
            "Proposed change > Other end user impact, Proposed change > Performance Impact, "
            "Proposed change > Other deployer impact, Proposed change > Developer impact; "
            "extra: Proposed change > Cinder-client impact)"
        )
        assert lines[2] == "[3/4] liberty/index.rst ... skipped (not a spec)"
        assert lines[3].startswith("[4/4] liberty/vmdk-oslo.vmware.rst ... imported")
        assert "Could not import:" in output
        assert "  kilo/latin.rst: The file is not UTF-8 text" in output
        assert lines[-1] == "cinder: imported 2, replaced 0, skipped 1, failed 1 of 4 files."
        assert Spec.objects.get(slug="nfs-backup").text() == SAMPLE
        assert Spec.objects.get(slug="vmdk-oslo.vmware").release == "liberty"

    def test_it_accepts_the_specs_folder_itself(self, repository, project):
        output = run(str(repository / "specs"), "--project", "cinder")
        assert "imported 2" in output

    def test_owner_defaults_to_a_system_user_who_cannot_sign_in(self, repository, project):
        run(str(repository), "--project", "cinder")
        owner = Spec.objects.get(slug="nfs-backup").owner
        assert owner.username == "importer"
        assert not owner.has_usable_password()

    def test_owner_can_be_given(self, repository, project, alice):
        run(str(repository), "--project", "cinder", "--owner", "alice")
        assert Spec.objects.get(slug="nfs-backup").owner == alice

    def test_an_unknown_owner_is_an_error(self, repository, project):
        with pytest.raises(CommandError, match="No user named “nobody”"):
            run(str(repository), "--project", "cinder", "--owner", "nobody")

    def test_a_missing_project_is_created_with_the_repositorys_template(self, repository, db):
        output = run(str(repository), "--project", "newproject")
        project = Project.objects.get(slug="newproject")
        assert "Created project “newproject”" in output
        assert project.templates.get(release="").source == settings.DEFAULT_TEMPLATE_PATH.read_text()
        assert project.specs.count() == 2

    def test_it_uses_the_projects_template_for_the_release(self, repository, project):
        kilo = services.load_template(project=project, source=project.templates.get().source, release="kilo")
        run(str(repository), "--project", "cinder")
        assert Spec.objects.get(slug="nfs-backup").template == kilo
        assert Spec.objects.get(slug="vmdk-oslo.vmware").template.release == ""

    def test_a_second_run_skips_unchanged_specs_and_succeeds(self, repository, project):
        run(str(repository), "--project", "cinder")
        output = run(str(repository), "--project", "cinder")
        assert "[2/4] kilo/nfs-backup.rst ... skipped (unchanged)" in output
        assert output.splitlines()[-1] == "cinder: imported 0, replaced 0, skipped 3, failed 1 of 4 files."

    def test_a_changed_spec_fails_without_replace_and_is_replaced_with_it(self, repository, project):
        run(str(repository), "--project", "cinder")
        path = repository / "specs" / "kilo" / "nfs-backup.rst"
        path.write_text(SAMPLE.replace("Add a driver.", "Add two drivers."), encoding="utf-8")
        output = run(str(repository), "--project", "cinder")
        assert "kilo/nfs-backup.rst ... FAILED: Cinder already has a spec named “nfs-backup”" in output
        output = run(str(repository), "--project", "cinder", "--replace")
        assert "[2/4] kilo/nfs-backup.rst ... replaced" in output
        assert Spec.objects.get(slug="nfs-backup").text() == path.read_text(encoding="utf-8")

    def test_replace_needs_the_owners_edit_permission(self, repository, project, alice, bob):
        run(str(repository), "--project", "cinder", "--owner", "alice")
        path = repository / "specs" / "kilo" / "nfs-backup.rst"
        path.write_text(SAMPLE.replace("Add a driver.", "Add two drivers."), encoding="utf-8")
        output = run(str(repository), "--project", "cinder", "--owner", "bob", "--replace")
        assert (
            "kilo/nfs-backup.rst ... FAILED: “NFS backup driver for Cinder” exists and only its owner"
            in output
        )

    def test_strict_fails_when_any_file_fails(self, repository, project):
        with pytest.raises(CommandError, match="imported 2, replaced 0, skipped 1, failed 1"):
            run(str(repository), "--project", "cinder", "--strict")
        # Strict only changes the exit status: the good files are in.
        assert Spec.objects.count() == 2

    def test_it_fails_when_nothing_could_be_imported(self, repository, project):
        for path in (repository / "specs").glob("*/*.rst"):
            path.write_bytes(b"\xff\xfe not utf-8")
        with pytest.raises(CommandError, match="imported 0, replaced 0, skipped 1, failed 3"):
            run(str(repository), "--project", "cinder")

    def test_a_folder_without_specs_is_an_error(self, tmp_path, project):
        with pytest.raises(CommandError, match="No specs found"):
            run(str(tmp_path), "--project", "cinder")
        with pytest.raises(CommandError, match="is not a folder"):
            run(str(tmp_path / "absent"), "--project", "cinder")

    def test_it_imports_the_cinder_corpus(self, db):
        root = corpus_path("cinder-specs")
        output = run(str(root), "--project", "cinder")
        files = release_specs("cinder")
        # Two releases have an nvme-agent.rst; a project has one spec of a name.
        assert (
            output.splitlines()[-1]
            == f"cinder: imported {len(files) - 1}, replaced 0, skipped 0, failed 1 of {len(files)} files."
        )
        assert (
            "xena/nvme-agent.rst ... FAILED: Cinder already has a spec named “nvme-agent” (wallaby" in output
        )
        assert (
            "kilo/nfs-backup.rst ... imported (missing: Proposed change > Active/Active HA impact)" in output
        )
        assert get_user_model().objects.get(username="importer").owned_specs.count() == len(files) - 1

"""``manage.py import_specs``: a whole specs repository, file by file, with a report."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from specs_app.authoring import services
from specs_app.models import Project, RepositoryFile, Spec
from tests.helpers import corpus_path
from tests.transfer.test_import import SAMPLE

MISSING = (
    "missing: Proposed change > Data model impact, Proposed change > REST API impact, "
    "Proposed change > Security impact, Proposed change > Active/Active HA impact, "
    "Proposed change > Notifications impact, Proposed change > Other end user impact, "
    "Proposed change > Performance Impact, Proposed change > Other deployer impact, "
    "Proposed change > Developer impact; extra: Proposed change > Cinder-client impact"
)


def run(*args: str, stdout=None) -> str:
    out = stdout or StringIO()
    call_command("import_specs", *args, stdout=out)
    return out.getvalue()


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


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
    def test_it_imports_each_file_and_reports_progress_and_a_summary(self, repository, project):
        output = run(str(repository), "--project", "cinder")
        lines = output.splitlines()
        assert lines[0] == "[1/5] specs/liberty/index.rst ... kept (an index page)"
        assert lines[1] == "[2/5] specs/template.rst ... template (default template)"
        assert lines[2].startswith("[3/5] specs/kilo/latin.rst ... FAILED: The file is not UTF-8 text")
        assert lines[3] == f"[4/5] specs/kilo/nfs-backup.rst ... imported ({MISSING})"
        assert lines[4].startswith("[5/5] specs/liberty/vmdk-oslo.vmware.rst ... imported")
        assert lines[5] == "Could not import 1 file:"
        assert lines[6].startswith("  specs/kilo/latin.rst: The file is not UTF-8 text")
        assert lines[-1] == (
            "cinder: 5 files: imported 2, replaced 0, unchanged 0, kept 1, templates 1, failed 1."
        )
        assert Spec.objects.get(slug="nfs-backup").text() == SAMPLE
        assert Spec.objects.get(slug="vmdk-oslo.vmware").release == "liberty"

    def test_a_file_that_fails_is_kept_as_it_is_with_the_reason(self, repository, project):
        run(str(repository), "--project", "cinder")
        kept = RepositoryFile.objects.get(path="specs/kilo/latin.rst")
        assert kept.kind == RepositoryFile.Kind.UNIMPORTED
        assert bytes(kept.content) == (repository / "specs" / "kilo" / "latin.rst").read_bytes()
        assert kept.note.startswith("The file is not UTF-8 text")

    def test_it_accepts_the_specs_folder_itself(self, repository, project):
        output = run(str(repository / "specs"), "--project", "cinder")
        assert "imported 2," in output
        assert Spec.objects.get(slug="nfs-backup").path == "specs/kilo/nfs-backup.rst"

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
        assert "Created project “newproject” with the repository's template" in output
        template = project.templates.get(release="")
        assert template.source == settings.DEFAULT_TEMPLATE_PATH.read_text()
        assert template.path == "specs/template.rst"
        assert project.specs.count() == 2

    def test_a_missing_project_takes_the_preset_its_folder_is_named_after(self, repository, db):
        output = run(str(repository), "--project", "newproject")
        assert "Using the cinder gate preset: the folder is named after openstack/cinder-specs" in output
        assert Project.objects.get(slug="newproject").gate_preset == "cinder"

    def test_a_branch_archives_folder_name_names_the_preset_too(self, repository, db):
        renamed = repository.rename(repository.with_name("nova-specs-master"))
        run(str(renamed / "specs"), "--project", "newproject")
        assert Project.objects.get(slug="newproject").gate_preset == "nova"

    def test_a_given_preset_sets_the_gate_and_the_path_pattern(self, repository, db):
        output = run(str(repository), "--project", "newproject", "--preset", "nova")
        project = Project.objects.get(slug="newproject")
        assert (project.gate_preset, project.spec_path_pattern) == (
            "nova",
            "specs/{release}/approved/{name}.rst",
        )
        assert "new specs go to specs/{release}/approved/{name}.rst" in output
        assert "Using the" not in output

    def test_an_empty_preset_means_none(self, repository, db):
        run(str(repository), "--project", "newproject", "--preset", "")
        assert Project.objects.get(slug="newproject").gate_preset == ""

    def test_without_template_rst_a_new_project_starts_from_the_newest_release_template(self, tmp_path, db):
        specs = tmp_path / "specs"
        (specs / "kilo").mkdir(parents=True)
        template = settings.DEFAULT_TEMPLATE_PATH.read_text()
        (specs / "juno-template.rst").write_text(template.replace("Use Cases", "Use cases"))
        (specs / "kilo-template.rst").write_text(template)
        (specs / "kilo" / "nfs-backup.rst").write_text(SAMPLE)
        run(str(tmp_path), "--project", "newproject")
        project = Project.objects.get(slug="newproject")
        assert project.templates.get(release="").source == template
        assert Spec.objects.get(slug="nfs-backup").template.path == "specs/kilo-template.rst"

    def test_it_uses_the_projects_template_for_the_release(self, repository, project):
        kilo = services.load_template(project=project, source=project.templates.get().source, release="kilo")
        run(str(repository), "--project", "cinder")
        assert Spec.objects.get(slug="nfs-backup").template == kilo
        assert Spec.objects.get(slug="vmdk-oslo.vmware").template.release == ""

    def test_a_second_run_changes_nothing_and_succeeds(self, repository, project):
        run(str(repository), "--project", "cinder")
        versions = dict(Spec.objects.values_list("slug", "version"))
        output = run(str(repository), "--project", "cinder")
        assert "[4/5] specs/kilo/nfs-backup.rst ... unchanged" in output
        assert output.splitlines()[-1] == (
            "cinder: 5 files: imported 0, replaced 0, unchanged 4, kept 0, templates 0, failed 1."
        )
        assert dict(Spec.objects.values_list("slug", "version")) == versions

    def test_a_changed_spec_fails_without_replace_and_is_replaced_with_it(self, repository, project):
        run(str(repository), "--project", "cinder")
        path = repository / "specs" / "kilo" / "nfs-backup.rst"
        path.write_text(SAMPLE.replace("Add a driver.", "Add two drivers."), encoding="utf-8")
        output = run(str(repository), "--project", "cinder")
        assert (
            "specs/kilo/nfs-backup.rst ... FAILED: Cinder already has specs/kilo/nfs-backup.rst "
            "(“NFS backup driver for Cinder”), with other text than this file. "
            "Import with “replace” to overwrite it." in output
        )
        output = run(str(repository), "--project", "cinder", "--replace")
        assert f"[4/5] specs/kilo/nfs-backup.rst ... replaced ({MISSING})" in output
        spec = Spec.objects.get(slug="nfs-backup")
        assert spec.text() == path.read_text(encoding="utf-8")
        assert spec.version == 2

    def test_replace_needs_the_owners_edit_permission(self, repository, project, alice, bob):
        run(str(repository), "--project", "cinder", "--owner", "alice")
        path = repository / "specs" / "kilo" / "nfs-backup.rst"
        path.write_text(SAMPLE.replace("Add a driver.", "Add two drivers."), encoding="utf-8")
        output = run(str(repository), "--project", "cinder", "--owner", "bob", "--replace")
        assert (
            "specs/kilo/nfs-backup.rst ... FAILED: “NFS backup driver for Cinder” exists and only its owner"
            in output
        )

    def test_strict_fails_when_any_file_fails(self, repository, project):
        with pytest.raises(
            CommandError, match="imported 2, replaced 0, unchanged 0, kept 1, templates 1, failed 1"
        ):
            run(str(repository), "--project", "cinder", "--strict")
        # Strict only changes the exit status: the good files are in.
        assert Spec.objects.count() == 2

    def test_it_fails_when_no_spec_could_be_imported(self, repository, project):
        for path in (repository / "specs").glob("*/*.rst"):
            if path.name != "index.rst":
                path.write_bytes(b"\xff\xfe not utf-8")
        with pytest.raises(
            CommandError, match="imported 0, replaced 0, unchanged 0, kept 1, templates 1, failed 3"
        ):
            run(str(repository), "--project", "cinder")

    def test_a_folder_without_specs_is_an_error(self, tmp_path, project):
        with pytest.raises(CommandError, match="No specs found"):
            run(str(tmp_path), "--project", "cinder")
        with pytest.raises(CommandError, match="is not a folder"):
            run(str(tmp_path / "absent"), "--project", "cinder")

    def test_on_a_terminal_it_shows_a_progress_bar_instead_of_a_line_per_file(self, repository, project):
        output = run(str(repository), "--project", "cinder", stdout=Terminal())
        assert "\r[" in output
        assert "5/5 specs/liberty/vmdk-oslo.vmware.rst" in output
        assert "[5/5] specs/liberty/vmdk-oslo.vmware.rst ... imported" not in output
        assert "  specs/kilo/latin.rst: The file is not UTF-8 text" in output
        assert output.splitlines()[-1].startswith("cinder: 5 files: imported 2")

    def test_it_imports_the_cinder_corpus(self, db):
        output = run(str(corpus_path("cinder-specs")), "--project", "cinder")
        # 188 specs, specs/template.rst and four .placeholder files.
        assert output.splitlines()[-1] == (
            "cinder: 193 files: imported 188, replaced 0, unchanged 0, kept 4, templates 1, failed 0."
        )
        # Two releases have an nvme-agent.rst: two specs of one lineage.
        wallaby, xena = Spec.objects.filter(name="nvme-agent").order_by("release")
        assert (wallaby.slug, xena.slug) == ("nvme-agent", "nvme-agent-xena")
        assert xena.proposed_from == wallaby
        assert (
            "specs/kilo/nfs-backup.rst ... imported (missing: Proposed change > Active/Active HA impact)"
            in output
        )

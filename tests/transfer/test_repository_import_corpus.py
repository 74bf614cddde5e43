"""The four corpus repositories (cinder-, manila-, nova-, glance-specs in ../shared/corpus), imported whole.

Each repository is imported once per test module by a module-scoped fixture
(nova's 874 files take longest: ``--durations`` shows the fixture's setup),
then a second time; the tests read both reports and the database. Each is
skipped with the reason when its folder is absent.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from specs_app import paths
from specs_app.authoring import services
from specs_app.authoring.selectors import looks_like_spec_lite
from specs_app.models import Project, RepositoryFile, Spec, SpecStatus
from specs_app.transfer.repository import Outcome, RepositoryImportReport, import_repository
from tests.helpers import CORPUS, corpus_path

ABSENT = f"the spec corpus is not at {CORPUS} (it lives beside the clone in ../shared/corpus)"


@dataclass(frozen=True)
class Expected:
    specs: int
    templates: int
    kept: int
    names: int
    statuses: dict[str, int]


# What each repository's specs/ holds, measured on the corpus.
EXPECTED = {
    # 188 specs (nvme-agent.rst in wallaby and xena); template.rst; four .placeholder files.
    "cinder": Expected(188, 1, 4, 187, {"merged": 188}),
    # template.rst; specs_deadlines.rst beside the releases, .gitignore, .gitkeep, two .placeholder.
    "manila": Expected(67, 1, 5, 67, {"merged": 67}),
    # 26 <release>-template.rst; 28 redirects, 5 template stand-ins, abandoned/index.rst, .gitignore.
    "nova": Expected(813, 26, 35, 568, {"implemented": 432, "merged": 377, "abandoned": 4}),
    # template.rst and spec-lite-template.rst; 118 stand-ins, 67 index pages, 4 JSON examples,
    # an .inc file and lite-specs.rst beside the releases.
    "glance": Expected(159, 2, 191, 148, {"merged": 124, "implemented": 35}),
}


def walk(root: Path) -> dict[str, Path]:
    """Every file and symbolic link under root/specs, by repository path."""
    found = {}
    for folder, folders, files in os.walk(root / "specs"):
        for name in files + [name for name in folders if os.path.islink(os.path.join(folder, name))]:
            path = Path(folder, name)
            found[path.relative_to(root).as_posix()] = path
    return found


@dataclass
class Imported:
    name: str
    project: Project
    first: RepositoryImportReport
    second: RepositoryImportReport
    files: dict[str, Path]


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(
            name, marks=[] if (CORPUS / f"{name}-specs").is_dir() else [pytest.mark.skip(reason=ABSENT)]
        )
        for name in EXPECTED
    ],
)
def repository(request, django_db_setup, django_db_blocker):
    """The repository imported twice into a new project with its preset, as ``import_specs`` does."""
    name = request.param
    root = corpus_path(f"{name}-specs")
    with django_db_blocker.unblock():
        from django.contrib.auth import get_user_model

        actor = get_user_model().objects.create_user(f"corpus-importer-{name}", is_staff=True)
        project = services.create_project(name=f"Corpus {name}", slug=f"corpus-{name}", gate_preset=name)
        first = import_repository(actor=actor, project=project, root=root)
        second = import_repository(actor=actor, project=project, root=root)
    yield Imported(name, project, first, second, walk(root))
    with django_db_blocker.unblock():
        # Specs first: a template is protected while a spec follows it.
        Spec.objects.filter(project=project).delete()
        project.delete()
        actor.delete()


def expected_template(name: str, spec: Spec) -> str:
    """The path of the template a corpus spec must follow ("" for the project's default)."""
    if name == "nova":
        if spec.release == "abandoned":
            return ""  # nova has no specs/template.rst nor an abandoned template
        # specs/backlog-template.rst is a stand-in for 2027.1-template.rst.
        return (
            "specs/2027.1-template.rst" if spec.release == "backlog" else f"specs/{spec.release}-template.rst"
        )
    if name == "glance" and looks_like_spec_lite(spec.text()):
        # xena's python-glanceclient and glance_store folders: the spec-lite template there
        # stands in for the standard one.
        standard = spec.path.startswith(
            ("specs/xena/approved/python-glanceclient/", "specs/xena/approved/glance_store/")
        )
        return "specs/template.rst" if standard else "specs/spec-lite-template.rst"
    return "specs/template.rst"


@pytest.mark.django_db
class TestCorpusRepository:
    def test_every_file_under_specs_lands_as_a_spec_a_template_or_a_repository_file(self, repository):
        project = repository.project
        stored = [
            *Spec.objects.filter(project=project).values_list("path", flat=True),
            *project.templates.exclude(path="").values_list("path", flat=True),
            *RepositoryFile.objects.filter(project=project).values_list("path", flat=True),
        ]
        assert sorted(stored) == sorted(repository.files)
        assert sorted(result.path for result in repository.first.results) == sorted(repository.files)

    def test_nothing_fails_and_the_counts_are_the_repositorys(self, repository):
        report, expected = repository.first, EXPECTED[repository.name]
        assert [(result.path, result.reason) for result in report.failures] == []
        assert (report.imported, report.templates, report.kept) == (
            expected.specs,
            expected.templates,
            expected.kept,
        )
        specs = Spec.objects.filter(project=repository.project)
        assert specs.values("name").distinct().count() == expected.names
        assert Counter(specs.values_list("status", flat=True)) == expected.statuses

    def test_each_file_is_stored_byte_for_byte(self, repository):
        project = repository.project
        for spec in Spec.objects.filter(project=project).prefetch_related("sections"):
            assert spec.text().encode("utf-8") == repository.files[spec.path].read_bytes(), spec.path
        for template in project.templates.exclude(path=""):
            assert template.source.encode("utf-8") == repository.files[template.path].read_bytes()
        for kept in RepositoryFile.objects.filter(project=project):
            file = repository.files[kept.path]
            if kept.kind == RepositoryFile.Kind.LINK:
                assert bytes(kept.content) == os.fsencode(os.readlink(file))
            else:
                assert bytes(kept.content) == file.read_bytes(), kept.path
                assert kept.executable == os.access(file, os.X_OK)

    def test_the_status_comes_from_the_folder(self, repository):
        for path, status in Spec.objects.filter(project=repository.project).values_list("path", "status"):
            assert status == (paths.status_for_path(path) or SpecStatus.MERGED), path

    def test_each_spec_follows_the_template_of_its_release_and_folder(self, repository):
        specs = Spec.objects.filter(project=repository.project).select_related("template")
        for spec in specs.prefetch_related("sections"):
            assert spec.template.path == expected_template(repository.name, spec), spec.path

    def test_a_re_proposal_links_the_latest_earlier_release(self, repository):
        specs = list(Spec.objects.filter(project=repository.project).select_related("proposed_from"))
        by_name: dict[str, list[Spec]] = {}
        for spec in specs:
            by_name.setdefault(spec.name, []).append(spec)
        for spec in specs:
            before = paths.release_key(spec.release)
            earlier = [paths.release_key(other.release) for other in by_name[spec.name]]
            latest = max((key for key in earlier if key < before), default=None)
            found = spec.proposed_from
            assert (paths.release_key(found.release) if found else None) == latest, spec.path

    def test_a_second_import_changes_nothing(self, repository):
        second = repository.second
        assert second.unchanged == len(second.results) == len(repository.files)


@pytest.mark.skipif(not (CORPUS / "glance-specs").is_dir(), reason=ABSENT)
@pytest.mark.django_db
def test_a_real_symbolic_link_in_a_copy_of_glance_is_kept_as_a_link(tmp_path, alice):
    """glance's specs/kilo/example.rst is git's stand-in for a link; in this copy it is the link."""
    source = corpus_path("glance-specs", "specs")
    specs = tmp_path / "glance-specs" / "specs"
    shutil.copytree(source / "kilo", specs / "kilo")
    shutil.copy(source / "template.rst", specs / "template.rst")
    (specs / "kilo" / "example.rst").unlink()
    os.symlink("../template.rst", specs / "kilo" / "example.rst")
    project = services.create_project(
        name="Glance", slug="glance", template_source=None, gate_preset="glance"
    )

    report = import_repository(actor=alice, project=project, root=specs.parent)

    link = RepositoryFile.objects.get(project=project, path="specs/kilo/example.rst")
    assert (link.kind, bytes(link.content)) == (RepositoryFile.Kind.LINK, b"../template.rst")
    assert not Spec.objects.filter(project=project, name="example").exists()
    # Every other kilo .rst but index.rst is a spec.
    assert report.imported == len(list((specs / "kilo").glob("*.rst"))) - 2
    assert report.failed == 0
    assert [result.outcome for result in report.results if result.path == "specs/kilo/example.rst"] == [
        Outcome.KEPT
    ]

"""Corpus repositories as git checkouts in a temporary folder: imported, emptied and exported back.

:func:`round_trip` copies ``../shared/corpus/<name>-specs`` to a temporary
folder, makes it a git repository (real git, one commit), imports it with
``import_repository`` into a project with the repository's gate preset,
deletes ``specs/`` and exports the project back into the checkout; on the way
it keeps what the gate needs of each imported spec. Everything
the import wrote to the database is rolled back at the end; the folders stay
for the session, and each repository is done once per test process, so the
round trip, the repositories' own tests and the file counts share one import
of nova's 813 specs.

Shared by ``test_repository_round_trip.py``, ``test_repository_own_tests.py`` and
``test_gate_on_imported_specs.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import CORPUS, corpus_path

# The repositories of ../shared/corpus, by the name of their gate preset.
CORPUS_REPOSITORIES: tuple[str, ...] = ("cinder", "manila", "nova", "glance")
ABSENT = f"the spec corpus is not at {CORPUS} (it lives beside the clone in ../shared/corpus)"

# git as the tests need it: no user or system configuration (autocrlf, hooks,
# templates) can change what is committed or what ``status`` says.
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "SpecPortal tests",
    "GIT_AUTHOR_EMAIL": "tests@specportal.invalid",
    "GIT_COMMITTER_NAME": "SpecPortal tests",
    "GIT_COMMITTER_EMAIL": "tests@specportal.invalid",
}


def repository_params(names: tuple[str, ...] = CORPUS_REPOSITORIES) -> list[Any]:
    """``names`` as pytest parameters, each skipped with the reason when its corpus folder is absent."""
    return [
        pytest.param(
            name,
            id=name,
            marks=[] if (CORPUS / f"{name}-specs" / "specs").is_dir() else [pytest.mark.skip(reason=ABSENT)],
        )
        for name in names
    ]


def git(root: Path, *args: str) -> str:
    """``git -C root args``: its output; a failure fails the test with git's message."""
    done = subprocess.run(
        ["git", "-c", "core.autocrlf=false", "-c", "core.hooksPath=/dev/null", *args],
        cwd=root,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"git {' '.join(args)} failed in {root}:\n{done.stderr}"
    return done.stdout


def copy_repository(name: str, destination: Path) -> Path:
    """A writable copy of the corpus repository ``name`` at ``destination``, links copied as links.

    Files are created one by one in sorted path order, the order an export
    writes them in, so that a folder lists its entries in the same order in
    the copy and in an exported tree: the repositories' tests walk ``glob``
    results in that order and stop at the first failing file.
    """
    source = corpus_path(f"{name}-specs")
    for relative in files_under(source, ""):
        copied, target = source / relative, destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if copied.is_symlink():
            target.symlink_to(os.readlink(copied))
        else:
            shutil.copyfile(copied, target)
            # git keeps the executable bit; the corpus's read-only modes would keep specs/ from being deleted.
            target.chmod(0o755 if os.access(copied, os.X_OK) else 0o644)
    return destination


def files_under(root: Path, folder: str = "specs") -> list[str]:
    """Every file and link under ``root/folder`` (all of ``root`` for ""), as repository paths, sorted."""
    found = []
    for directory, folders, files in os.walk(root / folder if folder else root):
        # A link to a folder is an entry of its own in git, not a folder to walk.
        links = [name for name in folders if os.path.islink(os.path.join(directory, name))]
        for name in [*files, *links]:
            found.append(Path(directory, name).relative_to(root).as_posix())
    return sorted(found)


@dataclass(frozen=True)
class ImportedSpec:
    """What the gate of an imported spec depends on, kept after the import is rolled back."""

    release: str
    text: str
    template_release: str
    template_source: str


@dataclass(frozen=True)
class RoundTrip:
    name: str
    original: Path  # a copy of the corpus repository, untouched
    exported: Path  # a git checkout of it whose specs/ was deleted and exported again
    original_files: tuple[str, ...]  # what specs/ held before the export
    import_report: Any
    export_report: Any
    import_seconds: float
    export_seconds: float
    # Each imported spec as the gate sees it, by path.
    specs: dict[str, ImportedSpec]
    # Files the import did not make specs (templates, links, stand-ins, index pages...), by path: their kind.
    not_specs: dict[str, str]


_DONE: dict[str, RoundTrip] = {}


def round_trip(name: str, tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    """The round trip of the corpus repository ``name`` (done once per test process).

    Call it from a test that has the ``db`` fixture: the import runs in the test database.
    """
    if name not in _DONE:
        _DONE[name] = _round_trip(name, tmp_path_factory)
    return _DONE[name]


def _round_trip(name: str, tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    from django.db import transaction

    from specs_app.transfer.exporting import export_repository

    work = tmp_path_factory.mktemp(f"{name}-specs")
    original = copy_repository(name, work / "original")
    exported = copy_repository(name, work / "exported")
    git(exported, "init", "--quiet", "--initial-branch=main")
    git(exported, "add", "--all")
    git(exported, "commit", "--quiet", "--message", f"{name}-specs as in the corpus")
    original_files = tuple(files_under(exported))
    with transaction.atomic():
        project, actor = _project_and_importer(name, exported)
        started = time.perf_counter()
        import_report = _import(actor=actor, project=project, root=exported)
        imported = time.perf_counter()
        shutil.rmtree(exported / "specs")
        export_report = export_repository(project=project, root=exported)
        export_seconds = time.perf_counter() - imported
        specs = _imported_specs(project)
        not_specs = {
            **{
                path: "template" for path in project.templates.exclude(path="").values_list("path", flat=True)
            },
            **dict(project.repository_files.values_list("path", "kind")),
        }
        # Only the files are kept: the next test that asks for them finds the database as it expects.
        transaction.set_rollback(True)
    return RoundTrip(
        name=name,
        original=original,
        exported=exported,
        original_files=original_files,
        import_report=import_report,
        export_report=export_report,
        import_seconds=imported - started,
        export_seconds=export_seconds,
        specs=specs,
        not_specs=not_specs,
    )


def _imported_specs(project: Any) -> dict[str, ImportedSpec]:
    from specs_app.transfer.exporting import specs_with_sections

    return {
        spec.path: ImportedSpec(
            release=spec.release,
            text=spec.text(),
            template_release=spec.template.release,
            template_source=spec.template.source,
        )
        for spec in specs_with_sections(project).select_related("template")
    }


def _project_and_importer(name: str, root: Path) -> tuple[Any, Any]:
    """A project with the repository's gate preset and, as ``import_specs`` makes one, its template."""
    from django.contrib.auth import get_user_model

    from specs_app.authoring import services

    actor = get_user_model().objects.create_user(f"{name}-importer", is_staff=True)
    template = root / "specs" / "template.rst"
    project = services.create_project(
        name=f"{name.capitalize()} round trip",
        slug=f"{name}-round-trip",
        gate_preset=name,
        template_source=template.read_text(encoding="utf-8") if template.is_file() else None,
    )
    return project, actor


def _import(**arguments: Any) -> Any:
    from specs_app.transfer.repository import import_repository

    return import_repository(**arguments)

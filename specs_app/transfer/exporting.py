"""Specs out of SpecPortal: one spec's file and ``git am`` patch, or a project's whole repository tree.

:func:`export_repository` writes every spec at its repository path, every
template that has one and every kept repository file (``index.rst``,
``redirects``, stand-ins, symbolic links, ...) byte for byte, so exporting
into a checkout of the repository a project was imported from leaves
``git status`` clean.
"""

from __future__ import annotations

import os
import stat
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.db.models import Prefetch, QuerySet

from specs_app.authoring.blueprints import blueprint_name
from specs_app.models import Project, RepositoryFile, Spec, SpecSection
from specs_app.review import selectors as review_selectors
from specs_app.rst import document as rst_document
from specs_app.rst import patch as rst_patch
from specs_app.rst.patch import whitespace_problems
from specs_app.transfer.importing import is_blueprint_url

# What an exported file is, for the report: a spec, a template, or a RepositoryFile kind.
SPEC = "spec"
TEMPLATE = "template"
KINDS: tuple[str, ...] = (SPEC, TEMPLATE, *RepositoryFile.Kind.values)
KIND_NAMES: dict[str, str] = {
    SPEC: "specs",
    TEMPLATE: "templates",
    RepositoryFile.Kind.LINK: "symbolic links",
    RepositoryFile.Kind.STAND_IN: "stand-ins",
    RepositoryFile.Kind.INDEX: "index pages",
    RepositoryFile.Kind.REDIRECTS: "redirects files",
    RepositoryFile.Kind.UNIMPORTED: "files not imported as specs",
    RepositoryFile.Kind.OTHER: "other files",
}
OUTCOMES: tuple[str, ...] = ("new", "changed", "unchanged")
# The specs git would flag that a report names one by one; the rest are counted.
NOT_GIT_READY_SHOWN = 10
_EXECUTABLE = stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH


def specs_with_sections(project: Project | None = None) -> QuerySet[Spec]:
    """Specs (a project's, or all) with what their text and patch need fetched up front."""
    specs = Spec.objects.all() if project is None else Spec.objects.filter(project=project)
    return (
        specs.select_related("owner", "project")
        .prefetch_related(Prefetch("sections", queryset=SpecSection.objects.order_by("position")))
        .order_by("release", "slug")
    )


def exported_text(spec: Spec) -> str:
    """The text that leaves SpecPortal for ``spec``: its file in an export and in its patch.

    The one place that decides it, so the repository export and the patch agree. A spec
    in review, approved, merged or implemented leaves as its latest revision, the text
    reviewed and approved, not the working draft its authors may have changed since
    (``review_selectors.revision_of_record``); a draft or abandoned spec as its working draft.
    """
    revision = review_selectors.revision_of_record(spec)
    return revision.text if revision is not None else spec.text()


def spec_commit_message(spec: Spec, document: rst_document.Document | None = None) -> str:
    """The commit message body: a summary from the introduction, then the blueprint.

    The blueprint named is the one the spec links (which may differ from the
    file's name in imported specs); a spec without a link names its own slug.
    """
    if document is None:
        document = rst_document.split(exported_text(spec))
    summary = rst_patch.summary_paragraph(document.intro)
    if not summary and document.sections:
        summary = rst_patch.summary_paragraph(document.sections[0].body)
    blueprint = spec.slug
    if spec.blueprint_url and is_blueprint_url(spec.blueprint_url):
        blueprint = blueprint_name(spec.blueprint_url)
    return rst_patch.commit_message(summary=summary, blueprint=blueprint)


def spec_patch(*, spec: Spec) -> str:
    """A ``git format-patch`` mbox adding the spec's file at its repository path.

    The patch creates the file; a spec that already exists in the repository
    needs a modifying diff, which this does not make.
    """
    owner = spec.owner
    name = owner.get_full_name().strip() or owner.get_username()
    # git am refuses a patch without an author address; .invalid never resolves.
    email = owner.email or f"{owner.get_username()}@specportal.invalid"
    text = exported_text(spec)
    document = rst_document.split(text)
    return rst_patch.format_patch(
        author_name=name,
        author_email=email,
        date=spec.updated_at,
        title=document.title or spec.title,
        message=spec_commit_message(spec, document),
        path=spec.path,
        content=text,
    )


# --- the whole repository ----------------------------------------------------------------------------


class ExportError(Exception):
    """An export that would write outside its folder, or two different files at one path."""


@dataclass
class ExportReport:
    """What an export wrote: files by kind and outcome, and the specs git would flag."""

    root: Path
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, outcome) -> files
    # Specs whose whitespace ``git diff --check`` objects to, with the problems in words.
    not_git_ready: list[tuple[str, list[str]]] = field(default_factory=list)

    def count(self, *, kind: str | None = None, outcome: str | None = None) -> int:
        return sum(
            number
            for (its_kind, its_outcome), number in self.counts.items()
            if kind in (None, its_kind) and outcome in (None, its_outcome)
        )

    @property
    def total(self) -> int:
        return self.count()

    def lines(self, project: str) -> list[str]:
        """The report in words, for a person reading the command's output."""
        outcomes = ", ".join(f"{self.count(outcome=outcome):,} {outcome}" for outcome in OUTCOMES)
        lines = [f"Exported {self.total:,} files of {project} to {self.root}: {outcomes}."]
        for kind in KINDS:
            if self.count(kind=kind):
                by_outcome = ", ".join(
                    f"{self.count(kind=kind, outcome=outcome):,} {outcome}"
                    for outcome in OUTCOMES
                    if self.count(kind=kind, outcome=outcome)
                )
                lines.append(f"  {KIND_NAMES[kind]}: {self.count(kind=kind):,} ({by_outcome})")
        if self.not_git_ready:
            # Reported, not fixed: an imported spec keeps its bytes (the gate says what to fix).
            lines.append(
                f"{len(self.not_git_ready):,} specs have whitespace git would flag "
                "(kept as they are; the gate reports them):"
            )
            shown = self.not_git_ready[:NOT_GIT_READY_SHOWN]
            lines.extend(f"  {path}: {'; '.join(problems)}" for path, problems in shown)
            if len(self.not_git_ready) > len(shown):
                lines.append(f"  and {len(self.not_git_ready) - len(shown):,} more")
        return lines


@dataclass(frozen=True)
class _File:
    path: str
    kind: str
    content: bytes  # a link's target, for a link
    link: bool = False
    # True/False: set or clear the executable bits; None: leave an existing file's mode alone.
    executable: bool | None = None


def export_repository(*, project: Project, root: Path) -> ExportReport:
    """Write ``project``'s repository under ``root``: its specs, templates and kept files.

    Every path is checked before anything is written: one that is absolute,
    climbs out with ``..``, enters ``.git`` or is claimed twice with different
    contents stops the export with :class:`ExportError`; so does a folder on
    the way that is a symbolic link leading out of ``root``. Files already
    there are compared and rewritten only if they differ; files the project
    does not know are left alone.
    """
    report = ExportReport(root=root)
    files = _planned(_project_files(project, report))
    root.mkdir(parents=True, exist_ok=True)
    real_root = root.resolve()
    # All checked first: a refusal leaves the folder as it was.
    destinations = [(planned, _destination(real_root, root, planned)) for planned in files]
    for planned, destination in destinations:
        destination.parent.mkdir(parents=True, exist_ok=True)
        if planned.link:
            outcome = _write_link(destination, os.fsdecode(planned.content))
        else:
            outcome = _write_file(destination, planned)
        report.counts[planned.kind, outcome] += 1
    return report


def _project_files(project: Project, report: ExportReport) -> Iterator[_File]:
    for spec in specs_with_sections(project):
        text = exported_text(spec)
        problems = whitespace_problems(text)
        if problems:
            report.not_git_ready.append((spec.path, problems))
        yield _File(spec.path, SPEC, text.encode("utf-8"), executable=spec.executable)
    for template in project.templates.exclude(path="").order_by("path"):
        yield _File(template.path, TEMPLATE, template.source.encode("utf-8"))
    for kept in RepositoryFile.objects.filter(project=project).order_by("path"):
        link = kept.kind == RepositoryFile.Kind.LINK
        yield _File(
            kept.path, kept.kind, bytes(kept.content), link=link, executable=None if link else kept.executable
        )


def _planned(files: Iterable[_File]) -> list[_File]:
    """The files to write, each path checked, once; refuses two different files at one path."""
    by_path: dict[str, _File] = {}
    for planned in files:
        _check_relative(planned.path)
        earlier = by_path.get(planned.path)
        if earlier is None:
            by_path[planned.path] = planned
        elif (earlier.content, earlier.link) != (planned.content, planned.link):
            raise ExportError(
                f"Refusing to export: {planned.path} is both a {KIND_NAMES[earlier.kind]} entry and a "
                f"{KIND_NAMES[planned.kind]} entry, with different contents."
            )
    folders = {str(parent) for path in by_path for parent in PurePosixPath(path).parents}
    clashes = sorted(folders & by_path.keys())
    if clashes:
        raise ExportError(
            f"Refusing to export: {clashes[0]} is a file and also a folder holding other files."
        )
    return [by_path[path] for path in sorted(by_path)]


def _check_relative(path: str) -> None:
    """Refuse a repository path that could land outside the export's folder, or in its ``.git``."""
    pure = PurePosixPath(path)
    if not path or "\0" in path or "\\" in path:
        problem = "is not a usable file name"
    elif pure.is_absolute():
        problem = "is an absolute path; repository paths are relative"
    elif ".." in pure.parts:
        problem = "climbs out of the repository with “..”"
    elif str(pure) != path or "." in path.split("/"):
        problem = "is not a plain relative path (empty or “.” parts)"
    elif any(part.lower() == ".git" for part in pure.parts):
        problem = "is inside .git, which an export never writes"
    else:
        return
    raise ExportError(f"Refusing to export {path!r}: it {problem}.")


def _destination(real_root: Path, root: Path, planned: _File) -> Path:
    """Where ``planned`` goes under ``real_root``, through no symbolic link that leads out of it.

    The export's own links never lead there: none of them is a folder of another file.
    """
    folder = (real_root / planned.path).parent.resolve()
    if not folder.is_relative_to(real_root):
        raise ExportError(
            f"Refusing to export {planned.path}: its folder is a symbolic link leading out of {root} "
            f"(to {folder})."
        )
    destination = folder / PurePosixPath(planned.path).name
    if destination.is_dir() and not destination.is_symlink():
        raise ExportError(f"Cannot export {planned.path}: {destination} is a folder.")
    return destination


def _write_link(destination: Path, target: str) -> str:
    if destination.is_symlink():
        if os.readlink(destination) == target:
            return "unchanged"
        outcome = "changed"
    else:
        outcome = "changed" if destination.exists() else "new"
    temporary = _temporary_name(destination)
    try:
        os.symlink(target, temporary)
        os.replace(temporary, destination)  # replaces the old file or link itself, never what it points to
    finally:
        temporary.unlink(missing_ok=True)
    return outcome


def _write_file(destination: Path, planned: _File) -> str:
    mode: int | None = None
    if destination.is_symlink():
        outcome = "changed"
    elif destination.exists():
        mode = stat.S_IMODE(destination.stat().st_mode)
        if destination.read_bytes() == planned.content:
            wanted = _mode(mode, planned.executable)
            if wanted == mode:
                return "unchanged"
            destination.chmod(wanted)
            return "changed"
        outcome = "changed"
    else:
        outcome = "new"
    temporary = _temporary_name(destination)
    try:
        # A new file, so the process's umask gives it the usual mode; then the old file's, if any.
        with open(temporary, "xb") as handle:
            handle.write(planned.content)
        base = mode if mode is not None else stat.S_IMODE(temporary.stat().st_mode)
        temporary.chmod(_mode(base, planned.executable))
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)
    return outcome


def _mode(mode: int, executable: bool | None) -> int:
    if executable is None:
        return mode
    if executable:
        # Executable for whoever may read it, as git checks out a file of mode 100755.
        return mode | ((mode & (stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)) >> 2)
    return mode & ~_EXECUTABLE


def _temporary_name(destination: Path) -> Path:
    return destination.with_name(f".{destination.name}.{uuid.uuid4().hex}.export")

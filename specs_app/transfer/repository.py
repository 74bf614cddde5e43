"""A whole specs repository into a project: every file under ``specs/``, each where it belongs.

:func:`import_repository` walks a checkout (see :mod:`specs_app.transfer.layout`
for which file is what) and stores every file so that exporting the project
writes the same tree back, byte for byte:

- specs become specs (:func:`importing.import_spec` with the file's path as its identity);
- templates become the project's templates (``authoring.services.load_template``),
  each with its repository path, release and variant;
- everything else is kept as a :class:`~specs_app.models.RepositoryFile`: symbolic
  links (as links), stand-ins, index pages, redirects, images, JSON, placeholders.

A file that cannot land where it belongs (a spec that is not UTF-8 or has no
title, a template that does not parse) is kept as a repository file too, with
the reason, and reported as failed: nothing is lost. Each file is written in
its own transaction, so one bad file does not stop the rest. A file already
imported with the same bytes is left alone ("unchanged"): importing twice
changes nothing. One whose bytes changed is replaced only with ``replace``,
and only by someone allowed to: a spec's editors; for templates and the other
files, staff and the project's core reviewers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from specs_app.authoring import permissions, services
from specs_app.models import Project, RepositoryFile, Spec, SpecTemplate
from specs_app.review.rules import is_core_reviewer
from specs_app.rst import document as rst_document
from specs_app.transfer import importing
from specs_app.transfer.layout import Kind, LayoutFile, scan

Progress = Callable[[int, int, str], None]
_FILES_PER_COMMIT = 100


class Outcome(StrEnum):
    IMPORTED = "imported"  # a new spec
    REPLACED = "replaced"  # a spec, template or file whose bytes changed, overwritten
    UNCHANGED = "unchanged"  # already there with these very bytes; nothing written
    KEPT = "kept"  # a new repository file (link, stand-in, index, redirects, other)
    TEMPLATE = "template"  # a new template, or one loaded by hand now taken from the repository
    FAILED = "failed"


@dataclass(frozen=True)
class FileResult:
    """What became of one file of the repository."""

    path: str  # the repository path
    outcome: Outcome
    kind: str  # what the file is: "spec", "template", or a RepositoryFile kind
    reason: str = ""  # why, in words: a failure's cause, what a kept file is, notes
    missing_sections: tuple[str, ...] = ()  # a spec's template sections it lacks
    extra_sections: tuple[str, ...] = ()  # a spec's sections its template lacks
    spec_id: int | None = None
    template_id: int | None = None


@dataclass
class RepositoryImportReport:
    """Every file's result, counted by outcome."""

    project: Project
    results: list[FileResult] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(result.outcome.value for result in self.results)

    @property
    def imported(self) -> int:
        return self.counts[Outcome.IMPORTED]

    @property
    def replaced(self) -> int:
        return self.counts[Outcome.REPLACED]

    @property
    def unchanged(self) -> int:
        return self.counts[Outcome.UNCHANGED]

    @property
    def kept(self) -> int:
        return self.counts[Outcome.KEPT]

    @property
    def templates(self) -> int:
        return self.counts[Outcome.TEMPLATE]

    @property
    def failed(self) -> int:
        return self.counts[Outcome.FAILED]

    @property
    def failures(self) -> list[FileResult]:
        return [result for result in self.results if result.outcome is Outcome.FAILED]

    def summary(self) -> str:
        """One line: "nova: 874 files: imported 813, replaced 0, unchanged 0, kept 35, ..."."""
        counts = self.counts
        return (
            f"{self.project.slug}: {len(self.results):,} files: imported {counts[Outcome.IMPORTED]:,}, "
            f"replaced {counts[Outcome.REPLACED]:,}, unchanged {counts[Outcome.UNCHANGED]:,}, "
            f"kept {counts[Outcome.KEPT]:,}, templates {counts[Outcome.TEMPLATE]:,}, "
            f"failed {counts[Outcome.FAILED]:,}"
        )


def import_repository(
    *,
    actor: User,
    project: Project,
    root: Path,
    replace: bool = False,
    progress: Progress | None = None,
    on_result: Callable[[int, int, FileResult], None] | None = None,
) -> RepositoryImportReport:
    """Import every file under ``root``'s ``specs/`` (``root`` is a checkout or its ``specs/`` folder).

    Files kept as they are come first, then templates, then specs, oldest
    release first (see ``Layout.in_import_order``). ``progress(done, total,
    path)`` is called after each file; ``on_result(done, total, result)`` too,
    with what became of it.
    """
    if not permissions.can_create_spec(actor, project):
        raise PermissionDenied("Sign in to import a repository.")
    if not root.is_dir():
        raise ValidationError(f"{root} is not a folder.", code="not_a_folder")
    files = scan(root).in_import_order()
    report = RepositoryImportReport(project=project)
    for start in range(0, len(files), _FILES_PER_COMMIT):
        # Each file has its own savepoint; committing a batch at a time spares a disk sync per file.
        with transaction.atomic():
            for done, file in enumerate(files[start : start + _FILES_PER_COMMIT], start + 1):
                result = _import_file(actor=actor, project=project, file=file, replace=replace)
                report.results.append(result)
                if on_result is not None:
                    on_result(done, len(files), result)
                if progress is not None:
                    progress(done, len(files), file.path)
    return report


def _import_file(*, actor: User, project: Project, file: LayoutFile, replace: bool) -> FileResult:
    try:
        if file.kind is Kind.SPEC:
            return _import_spec(actor=actor, project=project, file=file, replace=replace)
        if file.kind is Kind.TEMPLATE:
            return _import_template(actor=actor, project=project, file=file, replace=replace)
        return _keep(
            actor=actor, project=project, file=file, kind=file.kind.value, note=file.what, replace=replace
        )
    except (ValidationError, PermissionDenied) as error:
        return FileResult(file.path, Outcome.FAILED, file.kind.value, _message(error))


def _message(error: ValidationError | PermissionDenied) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


# Specs


def _import_spec(*, actor: User, project: Project, file: LayoutFile, replace: bool) -> FileResult:
    try:
        with transaction.atomic():
            report = importing.import_spec(
                actor=actor,
                project=project,
                source=file.content,
                release=file.release,
                path=file.path,
                replace=replace,
            )
            if not report.unchanged:
                # What was kept at this path before (the file, when it could not be imported) is the spec now.
                RepositoryFile.objects.filter(project=project, path=file.path).delete()
            if report.spec.executable != file.executable:
                Spec.objects.filter(pk=report.spec.pk).update(executable=file.executable)
    except (ValidationError, PermissionDenied) as error:
        reason = _message(error)
        if not Spec.objects.filter(project=project, path=file.path).exists():
            # Nothing holds the path: keep the file, with why it is not a spec here.
            _keep(actor=actor, project=project, file=file, kind=RepositoryFile.Kind.UNIMPORTED, note=reason)
        return FileResult(file.path, Outcome.FAILED, Kind.SPEC.value, reason)
    notes = [note for note in report.notes if note != importing.UNCHANGED_NOTE]
    return FileResult(
        file.path,
        Outcome(report.outcome),
        Kind.SPEC.value,
        " ".join(notes),
        missing_sections=tuple(report.missing_sections),
        extra_sections=tuple(report.extra_sections),
        spec_id=report.spec.pk,
    )


# Templates


def may_change_repository(actor: User, project: Project) -> bool:
    """Who may change a project's templates and repository files: staff and its core reviewers."""
    return actor.is_authenticated and (actor.is_staff or is_core_reviewer(actor, project))


@transaction.atomic
def _import_template(*, actor: User, project: Project, file: LayoutFile, replace: bool) -> FileResult:
    """Load a template file as the project's template for its release and variant.

    A second file for the same release and variant (another folder's) is
    kept as a repository file: the first one, nearest ``specs/``, is the
    template. A file whose bytes a template cannot give back (not UTF-8,
    carriage returns, no sections) is kept as a file and reported as failed,
    and so is one that would change a template loaded by hand, which specs
    already follow, without ``replace``.
    """
    label = _template_label(file)
    try:
        text = file.content.decode("utf-8")
    except UnicodeDecodeError:
        return _kept_instead(actor, project, file, f"The {label} is not UTF-8 text.")
    if rst_document.normalise_newlines(text) != text:
        reason = f"The {label} has carriage returns, which a template does not keep."
        return _kept_instead(actor, project, file, reason)
    keyed = SpecTemplate.objects.filter(project=project, release=file.release, variant=file.variant).first()
    outcome = Outcome.TEMPLATE
    if keyed is not None and keyed.path and keyed.path != file.path:
        note = f"another {label}; specs follow {keyed.path}"
        return _keep(
            actor=actor,
            project=project,
            file=file,
            kind=RepositoryFile.Kind.OTHER,
            note=note,
            replace=replace,
        )
    if keyed is not None and keyed.source == text and keyed.path == file.path:
        return FileResult(file.path, Outcome.UNCHANGED, Kind.TEMPLATE.value, label, template_id=keyed.pk)
    # A template loaded by hand that no spec follows yet simply becomes the repository's.
    adopted = keyed is not None and not keyed.path and not keyed.specs.exists()
    if keyed is not None and keyed.source != text and not adopted:
        try:
            _check_may_replace(actor, project, file, replace, what=f"{project.name}'s {label}")
        except (ValidationError, PermissionDenied) as error:
            if keyed.path:
                raise  # the template holds the path: it stays as it was
            return _kept_instead(actor, project, file, _message(error))
        outcome = Outcome.REPLACED
    try:
        template = services.load_template(
            project=project, source=text, release=file.release, variant=file.variant, path=file.path
        )
    except ValidationError as error:
        reason = f"The {label} cannot be loaded: {_message(error)}"
        return _kept_instead(actor, project, file, reason)
    RepositoryFile.objects.filter(project=project, path=file.path).delete()
    return FileResult(file.path, outcome, Kind.TEMPLATE.value, label, template_id=template.pk)


def _template_label(file: LayoutFile) -> str:
    variant = f" {file.variant}" if file.variant else ""
    return f"{file.release or 'default'}{variant} template"


def _kept_instead(actor: User, project: Project, file: LayoutFile, reason: str) -> FileResult:
    """A template file that cannot be the template: kept as a file, reported as failed.

    Unless the template imported from it before holds its path: that one stays.
    """
    if SpecTemplate.objects.filter(project=project, path=file.path).exists():
        reason += f" {project.name} keeps the template imported from it before."
    else:
        reason += " The file is kept as it is."
        _keep(actor=actor, project=project, file=file, kind=RepositoryFile.Kind.OTHER, note=reason)
    return FileResult(file.path, Outcome.FAILED, Kind.TEMPLATE.value, reason)


# Files kept as they are


def _check_may_replace(actor: User, project: Project, file: LayoutFile, replace: bool, *, what: str) -> None:
    if not replace:
        raise ValidationError(
            f"{file.path} differs from {what} imported before. Import with “replace” to update it.",
            code="exists",
        )
    if not may_change_repository(actor, project):
        raise PermissionDenied(
            f"{file.path} differs from {what} imported before; only staff and {project.name}'s core "
            "reviewers may replace it."
        )


@transaction.atomic
def _keep(
    *, actor: User, project: Project, file: LayoutFile, kind: str, note: str, replace: bool | None = None
) -> FileResult:
    """Store ``file`` as a repository file of ``kind``, byte for byte.

    ``replace`` None: the copy kept of a file that failed, which follows the file without asking.
    """
    if Spec.objects.filter(project=project, path=file.path).exists():
        raise ValidationError(
            f"{file.path} is a spec of {project.name}, and the repository now has "
            f"{file.what or 'another file'} there. Delete the spec to take the file.",
            code="exists",
        )
    if SpecTemplate.objects.filter(project=project, path=file.path).exists():
        raise ValidationError(
            f"{file.path} is one of {project.name}'s templates, and the repository now has "
            f"{file.what or 'another file'} there.",
            code="exists",
        )
    existing = RepositoryFile.objects.select_for_update().filter(project=project, path=file.path).first()
    wanted = (kind, file.content, file.executable, note)
    if existing is not None:
        if (existing.kind, bytes(existing.content), existing.executable, existing.note) == wanted:
            return FileResult(file.path, Outcome.UNCHANGED, kind, note)
        # A copy kept for a failure is SpecPortal's own: it follows the file without asking.
        parked = replace is None or existing.kind == RepositoryFile.Kind.UNIMPORTED
        if not parked and (bytes(existing.content), existing.executable) != (file.content, file.executable):
            _check_may_replace(actor, project, file, bool(replace), what="the file")
    stored = existing or RepositoryFile(project=project, path=file.path)
    stored.kind, stored.content, stored.executable, stored.note = wanted
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError as error:
        raise ValidationError(
            f"{file.path} was stored by another import while this one ran; import again.", code="exists"
        ) from error
    return FileResult(file.path, Outcome.KEPT if existing is None else Outcome.REPLACED, kind, note)

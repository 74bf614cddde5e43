"""A specs repository uploaded as an archive, imported: the one code path of the page and the API.

``archives`` unpacks the upload into a temporary folder, safely; ``repository``
imports that folder as ``manage.py import_specs`` imports a checkout. The two
steps are separate so that the page can refuse a bad archive with a 4xx before
it starts streaming the import's progress (see ``progress``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from specs_app.authoring import permissions
from specs_app.models import Project, Spec
from specs_app.transfer import archives
from specs_app.transfer.repository import FileResult, Outcome, RepositoryImportReport, import_repository

OnResult = Callable[[int, int, FileResult], None]

# The outcomes in the order a report lists them, with what each means to a person.
OUTCOMES: dict[Outcome, str] = {
    Outcome.IMPORTED: "new specs",
    Outcome.REPLACED: "specs, templates or files updated from the repository",
    Outcome.UNCHANGED: "already here with the same bytes",
    Outcome.TEMPLATE: "templates",
    Outcome.KEPT: "files kept as they are: links, index pages, redirects, images",
    Outcome.FAILED: "could not be imported (kept as files, with the reason)",
}


@dataclass(frozen=True)
class RepositoryUpload:
    repository: str  # the archive's name for it: "cinder-specs-master"
    report: RepositoryImportReport


@dataclass(frozen=True)
class ReportRow:
    """One file of the report, with the spec it became (if it is one)."""

    result: FileResult
    spec: Spec | None


@dataclass(frozen=True)
class OutcomeGroup:
    outcome: Outcome
    meaning: str
    rows: list[ReportRow]


def check_may_import(actor: User, project: Project) -> None:
    """Who may create specs in a project may import a repository into it (replacing asks for more)."""
    if not permissions.can_create_spec(actor, project):
        raise PermissionDenied(f"You cannot create specs in {project.name}, so you cannot import into it.")


@contextmanager
def unpacked_upload(
    *, actor: User, project: Project, upload: IO[bytes], filename: str, size: int
) -> Iterator[archives.UnpackedRepository]:
    """The uploaded repository, unpacked into a temporary folder removed on leaving."""
    # Both refused before a byte of the upload is read.
    check_may_import(actor, project)
    archives.check_upload_size(size)
    with archives.unpacked_repository(upload, filename=filename) as unpacked:
        yield unpacked


def import_unpacked(
    *,
    actor: User,
    project: Project,
    unpacked: archives.UnpackedRepository,
    replace: bool = False,
    on_result: OnResult | None = None,
) -> RepositoryUpload:
    report = import_repository(
        actor=actor, project=project, root=unpacked.root, replace=replace, on_result=on_result
    )
    return RepositoryUpload(repository=unpacked.name, report=report)


def import_upload(
    *, actor: User, project: Project, upload: IO[bytes], filename: str, size: int, replace: bool = False
) -> RepositoryUpload:
    """Unpack and import an uploaded repository archive; its temporary folder is gone afterwards."""
    with unpacked_upload(
        actor=actor, project=project, upload=upload, filename=filename, size=size
    ) as unpacked:
        return import_unpacked(actor=actor, project=project, unpacked=unpacked, replace=replace)


def report_rows(report: RepositoryImportReport) -> list[ReportRow]:
    """The report's files in its order, each with its spec, fetched in one query."""
    ids = [result.spec_id for result in report.results if result.spec_id is not None]
    specs = Spec.objects.select_related("project").only("slug", "title", "path", "project__slug").in_bulk(ids)
    return [
        ReportRow(result, specs.get(result.spec_id) if result.spec_id is not None else None)
        for result in report.results
    ]


def report_groups(report: RepositoryImportReport) -> list[OutcomeGroup]:
    """Every outcome, empty ones included, with its files (and their specs) in the report's order."""
    rows = report_rows(report)
    return [
        OutcomeGroup(outcome, meaning, [row for row in rows if row.result.outcome is outcome])
        for outcome, meaning in OUTCOMES.items()
    ]

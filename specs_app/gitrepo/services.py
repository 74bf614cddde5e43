"""A project's specs repository: connect it, pull what upstream merged, commit and push specs.

Writes follow services.py's conventions (keyword-only typed arguments,
permission checks). git itself runs outside database transactions: a push
that the remote refuses leaves every spec as it was, with git's message kept
on the spec so nothing is lost and the author sees why.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from specs_app.authoring import permissions
from specs_app.authoring.blueprints import blueprint_name
from specs_app.gitrepo import messages
from specs_app.gitrepo.git import Author, Credentials, GitError, Repository
from specs_app.models import Project, RepositoryConnection, Spec, SpecStatus, SpecUpstream
from specs_app.review import rules
from specs_app.rst import patch as rst_patch
from specs_app.transfer import layout
from specs_app.transfer.exporting import exported_text
from specs_app.transfer.importing import import_spec
from specs_app.transfer.repository import import_repository

REST_API_SECTION = "rest api impact"


class PushRefused(ValidationError):
    """The remote refused the commit; the message is git's (or the remote's hook's)."""


def credentials_for(project: Project) -> Credentials:
    """The deploy key or token git uses for ``project``: from settings, never from the database.

    ``SPECPORTAL_GIT_CREDENTIALS`` maps a project's slug (or ``"*"`` for every project) to
    ``{"ssh_key": "/path/to/deploy-key"}`` or ``{"http_token": "..."}``; see the README.
    """
    configured = getattr(settings, "SPECPORTAL_GIT_CREDENTIALS", {})
    chosen = configured.get(project.slug) or configured.get("*") or {}
    return Credentials(ssh_key=chosen.get("ssh_key", ""), http_token=chosen.get("http_token", ""))


def working_copy(project: Project) -> Repository:
    return Repository(Path(settings.SPECPORTAL_GIT_DIR) / project.slug, credentials=credentials_for(project))


def can_manage_repository(user: User, project: Project) -> bool:
    return user.is_authenticated and (user.is_staff or rules.is_core_reviewer(user, project))


@transaction.atomic
def connect_repository(
    *,
    actor: User,
    project: Project,
    url: str,
    branch: str = "master",
    push_target: str = RepositoryConnection.PushTarget.REVIEW,
) -> RepositoryConnection:
    """Connect ``project`` to the git repository at ``url`` (checked by fetching ``branch``)."""
    if not can_manage_repository(actor, project):
        raise PermissionDenied("Only core reviewers and staff connect a project to its repository.")
    url, branch = url.strip(), branch.strip()
    if not url or not branch:
        raise ValidationError("Give the repository's URL and the branch its specs are merged to.")
    try:
        working_copy(project).fetch(url, branch)
    except GitError as error:
        raise ValidationError(f"git could not fetch {branch} from {url}: {error}") from error
    connection, _ = RepositoryConnection.objects.update_or_create(
        project=project, defaults={"url": url, "branch": branch, "push_target": push_target}
    )
    connection.full_clean()
    return connection


def _author(user: User) -> Author:
    name = user.get_full_name().strip() or user.get_username()
    return Author(name, user.email or f"{user.get_username()}@specportal.invalid")


def _api_impact(spec: Spec) -> bool:
    for section in spec.sections.all():
        if section.title.strip().casefold() == REST_API_SECTION:
            return messages.has_api_impact(section.text)
    return False


def _blueprint(spec: Spec) -> str:
    try:
        return blueprint_name(spec.blueprint_url) if spec.blueprint_url else spec.name
    except ValidationError:
        return spec.name


def commit_message(spec: Spec, change_id: str) -> str:
    """The commit OpenStack expects for ``spec``: subject, summary, blueprint, APIImpact, Change-Id."""
    document = spec.as_document()
    summary = rst_patch.summary_paragraph(document.intro)
    if not summary and document.sections:
        summary = rst_patch.summary_paragraph(document.sections[0].body)
    return messages.commit_message(
        title=spec.title,
        summary=summary,
        blueprint=_blueprint(spec),
        change_id=change_id,
        api_impact=_api_impact(spec),
        co_authors=[f"{author.name} <{author.email}>" for author in map(_author, spec.co_authors.all())],
    )


def can_publish(user: User, spec: Spec) -> bool:
    """Authors propose their drafts for review; a merged spec is pushed by whoever may merge."""
    if spec.status in (SpecStatus.APPROVED, SpecStatus.MERGED):
        return rules.can_merge(user, spec) or user.is_staff
    return permissions.can_edit_spec(user, spec)


def publish_spec(*, actor: User, spec: Spec) -> SpecUpstream:
    """One commit writing the spec's file at its path on upstream's branch, pushed where the project says.

    Every commit of a spec carries the same Change-Id, so Gerrit sees each push
    as a new patch set of one change.
    """
    connection = RepositoryConnection.objects.filter(project=spec.project).first()
    if connection is None:
        raise ValidationError(f"{spec.project.name} is not connected to a git repository yet.")
    if not can_publish(actor, spec):
        raise PermissionDenied("Only the spec's authors propose it, and only those who may merge push it.")
    upstream, _ = SpecUpstream.objects.get_or_create(spec=spec)
    if not upstream.change_id:
        upstream.change_id = messages.new_change_id(f"{spec.project.slug}/{spec.path}")
        upstream.save(update_fields=["change_id"])
    content = exported_text(spec).encode("utf-8")
    repository = working_copy(spec.project)
    try:
        head = repository.fetch(connection.url, connection.branch)
        commit = repository.commit_file(
            parent=head,
            path=spec.path,
            content=content,
            author=_author(spec.owner),
            committer=Author(settings.SPECPORTAL_GIT_COMMITTER_NAME, settings.SPECPORTAL_GIT_COMMITTER_EMAIL),
            message=commit_message(spec, upstream.change_id),
        )
        result = repository.push(connection.url, commit, connection.push_ref)
    except GitError as error:
        upstream.push_message = f"Refused: {error}"
        upstream.save(update_fields=["push_message"])
        raise PushRefused(f"The repository refused the push of {spec.path}: {error}") from error
    upstream.pushed_commit, upstream.pushed_ref, upstream.push_message = commit, result.ref, result.message
    if connection.push_target == RepositoryConnection.PushTarget.BRANCH:
        # On the branch itself, the commit is upstream now: the spec matches it.
        upstream.commit, upstream.blob = commit, rst_patch.blob_sha1(content)
        upstream.matched_version = spec.version
    upstream.save()
    return upstream


# --- pulling what upstream merged ---------------------------------------------------------------

UPSTREAM_USERNAME = "upstream"


@dataclass
class SyncResult:
    path: str
    outcome: str  # imported, updated, conflict, kept (edited here), removed upstream, failed ...
    reason: str = ""


@dataclass
class SyncReport:
    commit: str
    results: list[SyncResult] = field(default_factory=list)
    imported_summary: str = ""

    def count(self, outcome: str) -> int:
        return sum(result.outcome == outcome for result in self.results)

    def summary(self) -> str:
        conflicts = self.count("conflict")
        parts = [f"Synced with upstream commit {self.commit[:12]}", self.imported_summary]
        if conflicts:
            parts.append(f"{conflicts} spec{'s' if conflicts > 1 else ''} changed here and upstream")
        return "; ".join(part for part in parts if part) + "."

    def as_json(self) -> dict[str, Any]:
        return {"commit": self.commit, "results": [asdict(result) for result in self.results]}


def upstream_account() -> User:
    """The account that owns specs first seen upstream; nobody signs in as it.

    Staff, because a sync brings in what the repository merged whoever wrote it: the
    repository is where merged text is decided.
    """
    user, created = User.objects.get_or_create(
        username=UPSTREAM_USERNAME, defaults={"is_staff": True, "first_name": "Upstream"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def sync_project(*, project: Project, progress: Callable[[int, int, str], None] | None = None) -> SyncReport:
    """Fetch the branch and bring in what was merged upstream, never overwriting an edit made here.

    A spec upstream changed while it was also edited here keeps its text; upstream's
    text is kept beside it as a conflict, for a person to choose.
    """
    connection = RepositoryConnection.objects.filter(project=project).first()
    if connection is None:
        raise ValidationError(f"{project.name} is not connected to a git repository yet.")
    repository = working_copy(project)
    head = repository.fetch(connection.url, connection.branch)
    blobs = repository.files(head, layout.SPECS_FOLDER)
    report = SyncReport(commit=head)
    with tempfile.TemporaryDirectory(prefix="specportal-sync-") as checkout_dir:
        checkout = Path(checkout_dir)
        repository.checkout(head, checkout)
        to_import = _set_aside_local_edits(project, head, blobs, checkout, report)
        imported = import_repository(
            actor=upstream_account(), project=project, root=checkout, replace=True, progress=progress
        )
    report.imported_summary = imported.summary()
    for result in imported.results:
        if result.outcome not in ("unchanged", "kept"):
            report.results.append(SyncResult(result.path, result.outcome, result.reason))
    _record_matches(project, head, {path: blobs[path] for path in to_import if path in blobs})
    gone = set(
        SpecUpstream.objects.filter(spec__project=project)
        .exclude(commit="")
        .values_list("spec__path", flat=True)
    ) - set(blobs)
    report.results += [
        SyncResult(path, "removed upstream", "Kept here; the file is no longer in the repository.")
        for path in sorted(gone)
    ]
    RepositoryConnection.objects.filter(pk=connection.pk).update(synced_commit=head, synced_at=timezone.now())
    return report


def _set_aside_local_edits(
    project: Project, head: str, blobs: dict[str, str], checkout: Path, report: SyncReport
) -> list[str]:
    """Remove from the checkout every spec the import must not touch; the paths left to import."""
    specs = {spec.path: spec for spec in Spec.objects.filter(project=project).select_related("upstream")}
    to_import = []
    for path, blob in blobs.items():
        spec = specs.get(path)
        if spec is None:
            to_import.append(path)
            continue
        state = SpecUpstream.objects.filter(spec=spec).first()
        ours = rst_patch.blob_sha1(spec.text().encode("utf-8"))
        if ours == blob:
            to_import.append(path)  # the same text: the import finds it unchanged
            continue
        if state is not None and state.blob == blob:
            # Upstream has not moved since we last matched it: the difference is an edit made here.
            (checkout / path).unlink()
            continue
        if state is not None and state.matched_version == spec.version and not state.in_conflict:
            to_import.append(path)  # changed upstream only: take it
            continue
        # Changed on both sides (or never matched, so which side changed is unknown): keep both.
        theirs = (checkout / path).read_bytes().decode("utf-8", "replace")
        SpecUpstream.objects.update_or_create(
            spec=spec, defaults={"conflict_text": theirs, "conflict_commit": head}
        )
        (checkout / path).unlink()
        report.results.append(
            SyncResult(
                path, "conflict", "Changed here and upstream; both texts are kept until someone chooses."
            )
        )
    return to_import


def _record_matches(project: Project, head: str, blobs: dict[str, str]) -> None:
    """Specs whose text is now upstream's: remember the commit, blob and version they match."""
    for spec in Spec.objects.filter(project=project, path__in=blobs).prefetch_related("sections"):
        if rst_patch.blob_sha1(spec.text().encode("utf-8")) != blobs[spec.path]:
            continue  # the import could not take upstream's text; its report says why
        SpecUpstream.objects.update_or_create(
            spec=spec,
            defaults={
                "commit": head,
                "blob": blobs[spec.path],
                "matched_version": spec.version,
                "conflict_text": "",
                "conflict_commit": "",
            },
        )


@transaction.atomic
def resolve_conflict(*, actor: User, spec: Spec, keep: str) -> Spec:
    """End a conflict: ``keep="upstream"`` takes upstream's text, ``keep="ours"`` keeps this one.

    Keeping ours makes the next push replace upstream's text with it.
    """
    if not permissions.can_edit_spec(actor, spec):
        raise PermissionDenied("Only the spec's owner, its co-authors and staff choose between the texts.")
    state = SpecUpstream.objects.select_for_update().filter(spec=spec).first()
    if state is None or not state.in_conflict:
        raise ValidationError("This spec has no conflict with upstream to resolve.")
    theirs = state.conflict_text.encode("utf-8")
    if keep == "upstream":
        report = import_spec(
            actor=actor,
            project=spec.project,
            source=theirs,
            release=spec.release,
            filename=spec.path.rsplit("/", 1)[-1],
            path=spec.path,
            replace=True,
        )
        spec = report.spec
        state.matched_version = spec.version
    elif keep != "ours":
        raise ValidationError("Choose which text to keep: upstream's or this one.")
    state.commit, state.blob = state.conflict_commit, rst_patch.blob_sha1(theirs)
    state.conflict_text, state.conflict_commit = "", ""
    state.save()
    return spec

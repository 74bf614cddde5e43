"""Bring in what a project's repository merged: ``manage.py sync_repo --project SLUG``.

Runs the sync here, in the foreground (the Sync button queues the same work
for the background worker). ``--url`` connects the project first.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from specs_app.gitrepo import services
from specs_app.gitrepo.git import GitError
from specs_app.models import Project, RepositoryConnection


class Command(BaseCommand):
    help = "Fetch a project's specs repository and bring in the specs merged there."

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="Project slug.")
        parser.add_argument("--url", help="Connect the project to this repository first.")
        parser.add_argument("--branch", default="master", help="With --url: the branch (default: master).")

    def handle(self, *args, project: str, url: str | None, branch: str, **options):
        target = Project.objects.filter(slug=project).first()
        if target is None:
            raise CommandError(f"No project “{project}”.")
        if url:
            RepositoryConnection.objects.update_or_create(
                project=target, defaults={"url": url, "branch": branch}
            )
        width = 0

        def progress(done: int, total: int, path: str) -> None:
            nonlocal width
            width = width or len(str(total))
            if self.stdout.isatty() or done == total:
                self.stdout.write(f"\r[{done:>{width}}/{total}] {path[:60]:<60}", ending="")
                self.stdout.flush()

        try:
            report = services.sync_project(project=target, progress=progress)
        except (ValidationError, GitError) as error:
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            raise CommandError(message) from error
        self.stdout.write("")
        for result in report.results:
            self.stdout.write(
                f"{result.path}: {result.outcome}" + (f" ({result.reason})" if result.reason else "")
            )
        self.stdout.write(self.style.SUCCESS(report.summary()))

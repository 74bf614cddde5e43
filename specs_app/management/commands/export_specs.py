"""Write a project's repository tree: ``manage.py export_specs DIR --project SLUG``.

Every spec goes to DIR/<its repository path> with exactly its text (UTF-8,
newlines as stored), with the templates and the repository's other files
(index pages, redirects, stand-ins, symbolic links) the import kept, so
exporting over a clone of the repository the specs were imported from shows
no diff. See ``specs_app.transfer.exporting.export_repository``.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from specs_app.models import Project
from specs_app.transfer import exporting


class Command(BaseCommand):
    help = "Export a project's specs, templates and repository files to DIR, each at its repository path."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="The repository's root (a clone, or a new folder).")
        parser.add_argument("--project", required=True, help="Project slug.")

    def handle(self, *args, directory: Path, project: str, **options):
        target = Project.objects.filter(slug=project).first()
        if target is None:
            raise CommandError(f"No project “{project}”.")
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        try:
            report = exporting.export_repository(project=target, root=directory)
        except exporting.ExportError as error:
            raise CommandError(str(error)) from error
        first, *rest = report.lines(target.slug)
        self.stdout.write(self.style.SUCCESS(first))
        for line in rest:
            self.stdout.write(line)

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from specs_app.authoring import services
from specs_app.models import Project
from specs_app.rst.template import release_from_filename


class Command(BaseCommand):
    help = "Load a specs template (template.rst or <release>-template.rst) into a project."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--project", required=True, help="Project slug; created when missing.")
        parser.add_argument("--release", help="Release the template is for (default: from the file name).")
        parser.add_argument(
            "--optional",
            action="append",
            default=[],
            metavar="TITLE",
            help="A section title the gate does not require (repeatable).",
        )

    def handle(self, *args, path: Path, project: str, release: str | None, optional: list[str], **options):
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        release = release if release is not None else (release_from_filename(str(path)) or "")
        try:
            # One transaction: a file that is no template leaves no empty project behind.
            with transaction.atomic():
                target, created = Project.objects.get_or_create(
                    slug=project, defaults={"name": project.capitalize()}
                )
                template = services.load_template(
                    project=target, source=source, release=release, optional_titles=optional
                )
        except ValidationError as error:
            raise CommandError(f"{path}: {' '.join(error.messages)}") from error
        sections = template.sections.count()
        top = template.sections.filter(parent=None).count()
        what = f"the {release} template" if release else "the default template"
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {what} of {target.slug}{' (new project)' if created else ''}: "
                f"{top} top-level sections, {sections} in all."
            )
        )

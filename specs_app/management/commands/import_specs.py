"""Import a specs repository's specs: ``manage.py import_specs DIR --project SLUG``.

Each file is imported on its own (its own transaction), so one bad file is
reported and the rest still come in.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from specs_app.authoring import services
from specs_app.models import Project
from specs_app.rst.gate_profiles import GATE_PRESETS
from specs_app.transfer import importing

SYSTEM_USERNAME = "importer"
# Files in a release folder that are not specs.
NOT_SPECS = {"index.rst", "template.rst"}


def specs_root(directory: Path) -> Path:
    """The specs/ folder: DIR/specs for a repository root, or DIR itself."""
    return directory / "specs" if (directory / "specs").is_dir() else directory


def spec_files(root: Path) -> list[Path]:
    """specs/<release>/*.rst, in release then name order (one level deep, as the corpus is)."""
    return sorted(path for path in root.glob("*/*.rst") if path.is_file())


class Command(BaseCommand):
    help = (
        "Import every spec of a specs repository (DIR/specs/<release>/*.rst) into a project, byte for byte."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="A specs repository, or its specs/ folder.")
        parser.add_argument(
            "--project",
            required=True,
            help="Project slug. A missing project is created with the repository's specs/template.rst.",
        )
        parser.add_argument(
            "--owner",
            help=f"Username that owns the imported specs (default: a system user “{SYSTEM_USERNAME}”).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace specs of the same name (the owner must be able to edit them).",
        )
        parser.add_argument("--strict", action="store_true", help="Exit with an error if any file fails.")
        parser.add_argument(
            "--preset",
            default="",
            choices=["", *GATE_PRESETS],
            help="For a project this creates: the repository whose own checks its gate reproduces.",
        )

    def handle(
        self,
        *args,
        directory: Path,
        project: str,
        owner: str | None,
        replace: bool,
        strict: bool,
        preset: str,
        **options,
    ):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        root = specs_root(directory)
        files = spec_files(root)
        if not files:
            raise CommandError(f"No specs found: expected {root}/<release>/<name>.rst files.")
        actor = self._owner(owner)
        target = self._project(project, root, preset)

        counts = {"imported": 0, "replaced": 0, "skipped": 0, "failed": 0}
        failures: list[str] = []
        unchanged = 0
        width = len(str(len(files)))
        for number, path in enumerate(files, 1):
            name = path.relative_to(root).as_posix()
            prefix = f"[{number:>{width}}/{len(files)}] {name} ..."
            if path.name in NOT_SPECS or path.name.endswith("-template.rst"):
                counts["skipped"] += 1
                self.stdout.write(f"{prefix} skipped (not a spec)")
                continue
            try:
                report = importing.import_spec(
                    actor=actor,
                    project=target,
                    source=path.read_bytes(),
                    release=path.parent.name,
                    filename=path.name,
                    replace=replace,
                )
            except (ValidationError, PermissionDenied, OSError) as error:
                message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                counts["failed"] += 1
                failures.append(f"{name}: {message}")
                self.stdout.write(f"{prefix} " + self.style.ERROR(f"FAILED: {message}"))
                continue
            if report.unchanged:
                counts["skipped"] += 1
                unchanged += 1
                self.stdout.write(f"{prefix} skipped (unchanged)")
                continue
            counts[report.outcome] += 1
            details = [f"missing: {', '.join(report.missing_sections)}"] if report.missing_sections else []
            if report.extra_sections:
                details.append(f"extra: {', '.join(report.extra_sections)}")
            self.stdout.write(f"{prefix} {report.outcome}" + (f" ({'; '.join(details)})" if details else ""))

        summary = (
            f"{target.slug}: imported {counts['imported']}, replaced {counts['replaced']}, "
            f"skipped {counts['skipped']}, failed {counts['failed']} of {len(files)} files."
        )
        if failures:
            self.stdout.write("Could not import:")
            for failure in failures:
                self.stdout.write(f"  {failure}")
        # A re-run that finds every spec already imported is a success, not a failure.
        if not (counts["imported"] + counts["replaced"] + unchanged) or (strict and failures):
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary) if not failures else self.style.WARNING(summary))

    def _owner(self, username: str | None):
        users = get_user_model()
        if username:
            try:
                return users.objects.get(username=username)
            except users.DoesNotExist as error:
                raise CommandError(f"No user named “{username}”.") from error
        user, created = users.objects.get_or_create(username=SYSTEM_USERNAME)
        if created:
            # A system account: it owns imported specs but nobody signs in as it.
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def _project(self, slug: str, root: Path, preset: str = "") -> Project:
        project = Project.objects.filter(slug=slug).first()
        if project is not None:
            return project
        template = root / "template.rst"
        try:
            source = template.read_text(encoding="utf-8") if template.is_file() else None
            project = services.create_project(
                name=slug.capitalize(), slug=slug, template_source=source, gate_preset=preset
            )
        except (ValidationError, UnicodeDecodeError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError(f"Cannot create project “{slug}”: {' '.join(messages)}") from error
        where = template if source is not None else "the bundled default template"
        self.stdout.write(f"Created project “{slug}” with {where}.")
        return project

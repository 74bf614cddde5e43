"""Import a whole specs repository: ``manage.py import_specs REPO_DIR --project SLUG``.

Every file under ``specs/`` lands somewhere (``transfer.repository.import_repository``):
specs, templates (found by the repository's own layout), and the files kept as
they are. One bad file is reported and the rest still come in; running it again
changes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from specs_app import paths
from specs_app.authoring import services
from specs_app.models import Project
from specs_app.rst.gate_profiles import GATE_PRESETS
from specs_app.transfer import layout
from specs_app.transfer.repository import FileResult, Outcome, import_repository

SYSTEM_USERNAME = "importer"


def preset_for(directory: Path) -> str:
    """The preset whose repository names the folder (``nova-specs``, ``nova-specs-master``), or ""."""
    folder = directory.resolve()
    if folder.name == layout.SPECS_FOLDER and not (folder / layout.SPECS_FOLDER).is_dir():
        folder = folder.parent
    for name, profile in GATE_PRESETS.items():
        repository = profile.repository.rsplit("/", 1)[-1]
        if folder.name == repository or folder.name.startswith(f"{repository}-"):
            return name
    return ""


def default_template(found: layout.Layout) -> str | None:
    """The template a new project starts with: ``specs/template.rst``, else the newest release's."""
    in_specs = [file for file in found.of_kind(layout.Kind.TEMPLATE) if not file.variant and not file.folders]
    default = [file for file in in_specs if not file.release]
    newest_first = sorted(
        (file for file in in_specs if file.release),
        key=lambda file: paths.release_key(file.release),
        reverse=True,
    )
    for file in [*default, *newest_first]:
        try:
            return file.content.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return None


def describe(result: FileResult) -> str:
    """An outcome as the per-file line shows it."""
    if result.outcome is Outcome.FAILED:
        return f"FAILED: {result.reason}"
    details = []
    if result.missing_sections:
        details.append(f"missing: {', '.join(result.missing_sections)}")
    if result.extra_sections:
        details.append(f"extra: {', '.join(result.extra_sections)}")
    if result.kind != layout.Kind.SPEC and result.reason:
        details.append(result.reason)
    return result.outcome.value + (f" ({'; '.join(details)})" if details else "")


class ProgressBar:
    """One line, redrawn in place: a bar, files done of all, the current file."""

    def __init__(self, stream: Any):
        self.stream = stream
        self.width = shutil.get_terminal_size((100, 20)).columns

    def __call__(self, done: int, total: int, path: str) -> None:
        filled = 30 * done // total if total else 30
        line = f"[{'#' * filled}{'.' * (30 - filled)}] {done:>{len(str(total))}}/{total} {path}"
        self.stream.write("\r" + line[: self.width - 1].ljust(self.width - 1), ending="")
        if done == total:
            self.stream.write("")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import a whole specs repository (its specs/ folder, at any depth) into a project: specs, "
        "templates and every other file, byte for byte. Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="A specs repository checkout, or its specs/ folder.")
        parser.add_argument(
            "--project",
            required=True,
            help="Project slug. A missing project is created with the repository's default template.",
        )
        parser.add_argument(
            "--owner",
            help=f"Username that owns the imported specs (default: a system user “{SYSTEM_USERNAME}”).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace specs, templates and files whose bytes changed since the last import.",
        )
        parser.add_argument("--strict", action="store_true", help="Exit with an error if any file fails.")
        parser.add_argument(
            "--preset",
            default=None,
            choices=["", *GATE_PRESETS],
            help="For a project this creates: the repository whose own checks its gate reproduces "
            "(default: the one the folder is named after, such as nova-specs).",
        )

    def handle(
        self,
        *args: Any,
        directory: Path,
        project: str,
        owner: str | None,
        replace: bool,
        strict: bool,
        preset: str | None,
        **options: Any,
    ) -> None:
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        found = layout.scan(directory)
        if not found.of_kind(layout.Kind.SPEC, layout.Kind.TEMPLATE):
            raise CommandError(
                f"No specs found: expected {layout.specs_folder(directory)}/<release>/<name>.rst files."
            )
        actor = self._owner(owner)
        target = self._project(project, directory, found, preset)

        failures: list[FileResult] = []
        tty = self.stdout.isatty()

        def each_file(done: int, total: int, result: FileResult) -> None:
            if result.outcome is Outcome.FAILED:
                failures.append(result)
            if not tty:
                line = f"[{done:>{len(str(total))}}/{total}] {result.path} ... {describe(result)}"
                self.stdout.write(line if result.outcome is not Outcome.FAILED else self.style.ERROR(line))

        try:
            report = import_repository(
                actor=actor,
                project=target,
                root=directory,
                replace=replace,
                progress=ProgressBar(self.stdout) if tty else None,
                on_result=each_file,
            )
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError(" ".join(messages)) from error

        if failures:
            self.stdout.write(f"Could not import {len(failures):,} file{'s' if len(failures) > 1 else ''}:")
            for failure in failures:
                self.stdout.write(f"  {failure.path}: {failure.reason}")
        summary = report.summary() + "."
        specs_in = sum(
            result.kind == layout.Kind.SPEC and result.outcome is not Outcome.FAILED
            for result in report.results
        )
        # A re-run that finds every spec already imported is a success; one where none could be is not.
        if (failures and not specs_in) or (strict and failures):
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary) if not failures else self.style.WARNING(summary))

    def _owner(self, username: str | None) -> User:
        users = get_user_model()
        if username:
            try:
                return users.objects.get(username=username)
            except users.DoesNotExist as error:
                raise CommandError(f"No user named “{username}”.") from error
        # A system account: it owns imported specs but nobody signs in as it. Staff, because
        # whoever runs this command has the server: --replace may update templates too.
        user, created = users.objects.get_or_create(username=SYSTEM_USERNAME, defaults={"is_staff": True})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def _project(self, slug: str, directory: Path, found: layout.Layout, preset: str | None) -> Project:
        project = Project.objects.filter(slug=slug).first()
        if project is not None:
            if preset:
                self.stdout.write(
                    f"“{slug}” exists; --preset applies to a project this creates, so it is unused."
                )
            return project
        if preset is None:
            preset = preset_for(directory)
            if preset:
                repository = GATE_PRESETS[preset].repository
                self.stdout.write(
                    f"Using the {preset} gate preset: the folder is named after {repository} "
                    "(give --preset to choose another, --preset '' for none)."
                )
        source = default_template(found)
        try:
            project = services.create_project(
                name=slug.capitalize(), slug=slug, template_source=source, gate_preset=preset
            )
        except ValidationError as error:
            raise CommandError(f"Cannot create project “{slug}”: {' '.join(error.messages)}") from error
        where = "the repository's template" if source is not None else "the bundled default template"
        self.stdout.write(
            f"Created project “{slug}” with {where}; new specs go to {project.spec_path_pattern}."
        )
        return project

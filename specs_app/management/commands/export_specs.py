"""Write a project's specs as a specs/ tree: ``manage.py export_specs DIR --project SLUG``.

Each spec goes to DIR/specs/<release>/<slug>.rst with exactly its text
(UTF-8, newlines as stored), so exporting over a clone of the repository the
specs were imported from shows no diff.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from specs_app.models import Project
from specs_app.rst.patch import whitespace_problems
from specs_app.transfer import exporting


class Command(BaseCommand):
    help = "Export every spec of a project to DIR/specs/<release>/<slug>.rst."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Where to write; specs/ is created inside it.")
        parser.add_argument("--project", required=True, help="Project slug.")

    def handle(self, *args, directory: Path, project: str, **options):
        target = Project.objects.filter(slug=project).first()
        if target is None:
            raise CommandError(f"No project “{project}”.")
        root = (directory / "specs").resolve()
        counts = {"new": 0, "changed": 0, "unchanged": 0}
        not_git_ready = []
        for spec in exporting.specs_with_sections(target):
            destination = (directory / spec.path).resolve()
            # Names are validated, but a path outside the tree is never written.
            if root not in destination.parents:
                raise CommandError(f"Refusing to write {spec.path} outside {root}.")
            text = spec.text()
            content = text.encode("utf-8")
            if whitespace_problems(text):
                not_git_ready.append(spec.path)
            if not destination.exists():
                counts["new"] += 1
            elif destination.read_bytes() == content:
                counts["unchanged"] += 1
                continue
            else:
                counts["changed"] += 1
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(content)
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {total} specs of {target.slug} to {root}: {counts['new']} new, "
                f"{counts['changed']} changed, {counts['unchanged']} unchanged."
            )
        )
        if not_git_ready:
            # Reported, not fixed: an imported spec keeps its bytes (the gate says what to fix).
            self.stdout.write(
                f"{len(not_git_ready)} specs have whitespace git would flag "
                f"(kept as they are; the gate reports them): {', '.join(not_git_ready[:5])}"
                + (f" and {len(not_git_ready) - 5} more" if len(not_git_ready) > 5 else "")
            )

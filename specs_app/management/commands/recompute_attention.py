"""Apply the attention-set rules afresh to every spec: ``manage.py recompute_attention``.

The review services keep each spec's set on every event; this gives specs that
predate the attention set (or were changed outside the services, or whose
project's core reviewers changed) theirs. Handed-on turns are kept.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from specs_app.models import Spec
from specs_app.review import attention


class Command(BaseCommand):
    help = "Recompute whose turn it is (the attention set) on every spec, or on one project's."

    def add_arguments(self, parser):
        parser.add_argument("--project", metavar="SLUG", help="Only this project's specs.")

    def handle(self, *args, project: str | None = None, **options):
        specs = Spec.objects.select_related("project", "owner").defer("search_vector")
        if project:
            specs = specs.filter(project__slug=project)
        count = attention.recompute_all(list(specs))
        self.stdout.write(f"Recomputed the attention set of {count} spec{'s' if count != 1 else ''}.")

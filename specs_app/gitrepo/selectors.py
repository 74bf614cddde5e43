"""Reads about a project's repository."""

from __future__ import annotations

from django.db.models import QuerySet

from specs_app.models import Project, Spec


def conflicted_specs(project: Project) -> QuerySet[Spec]:
    """Specs that upstream changed while they were edited here, waiting for someone to choose."""
    return (
        Spec.objects.filter(project=project, upstream__isnull=False)
        .exclude(upstream__conflict_commit="")
        .select_related("upstream")
    )

"""Reads that join, aggregate or filter; views and the API use these."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from specs_app.authoring import search as full_text
from specs_app.models import Project, Spec, SpecSection, SpecTemplate


def project_list() -> QuerySet[Project]:
    return Project.objects.annotate(spec_count=Count("specs")).order_by("name")


def template_for_release(project: Project, release: str) -> SpecTemplate | None:
    """The project's template for ``release``, or its default one."""
    templates = {template.release: template for template in project.templates.all()}
    return templates.get(release) or templates.get("")


def free_slug(project: Project, name: str, release: str, *, exclude_pk: int | None = None) -> str:
    """A spec address unused in ``project``: ``name``, else ``name-release``, else numbered."""
    taken = set(
        Spec.objects.filter(project=project, slug__startswith=name)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    for candidate in (name, f"{name}-{release}"):
        if candidate not in taken:
            return candidate
    number = 2
    while f"{name}-{release}-{number}" in taken:
        number += 1
    return f"{name}-{release}-{number}"


def spec_list(*, project: Project) -> QuerySet[Spec]:
    """The project's specs, newest first, with what a list shows fetched up front.

    Filtered, searched and ordered for a page by ``specs_app.authoring.filters``.
    """
    specs = Spec.objects.filter(project=project).select_related("project", "owner")
    # The search vector is the largest column and only the database reads it.
    return specs.defer("search_vector").order_by("-updated_at", "-pk")


def search_specs(
    *, query: str, project: Project | None = None, limit: int = 50
) -> list[full_text.SearchResult]:
    """Specs matching ``query``, best first, each with ``rank`` and ``snippet_html``."""
    return full_text.search_specs(query=query, project=project, limit=limit)


def spec_filter_choices(project: Project) -> dict[str, list[str]]:
    """The releases and owners a project's spec list can be filtered by."""
    specs = Spec.objects.filter(project=project)
    return {
        "releases": sorted(set(specs.values_list("release", flat=True)), reverse=True),
        "owners": sorted(set(specs.values_list("owner__username", flat=True))),
    }


def spec_detail(*, project_slug: str, spec_slug: str) -> Spec:
    """A spec with its project, template, owner, co-authors and sections."""
    return (
        Spec.objects.select_related("project", "template", "owner")
        .prefetch_related(
            "co_authors",
            Prefetch(
                "sections",
                queryset=SpecSection.objects.select_related("template_section").order_by("position"),
            ),
        )
        .get(project__slug=project_slug, slug=spec_slug)
    )

"""Reads that join, aggregate or filter; views and the API use these."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from django.db.models import Count, Prefetch, QuerySet

from specs_app import paths
from specs_app.authoring import search as full_text
from specs_app.authoring.filters import SpecFilter
from specs_app.models import Project, RepositoryFile, Spec, SpecSection, SpecTemplate
from specs_app.rst import document as rst_document
from specs_app.transfer.layout import TEMPLATE_FILENAME, resolve


def project_list() -> QuerySet[Project]:
    return Project.objects.annotate(spec_count=Count("specs")).order_by("name")


def template_for_release(project: Project, release: str) -> SpecTemplate | None:
    """The project's standard template for ``release``, or its default one (variants aside)."""
    templates = {template.release: template for template in project.templates.all() if not template.variant}
    return templates.get(release) or templates.get("")


# A field at the start of a line: ":problem: ..." (a spec lite is a field list).
_FIELD = re.compile(r"^:[^:\s][^:]*:(\s|$)", re.MULTILINE)
# Stand-ins that lead to further stand-ins are followed this far, no further (a loop ends).
_MOST_STAND_IN_HOPS = 8


def looks_like_spec_lite(text: str) -> bool:
    """A spec lite (glance's): a title and a field list, no sections."""
    if not _FIELD.search(text):
        return False
    document = rst_document.split(text)
    return bool(document.title) and not document.sections and bool(_FIELD.search(document.intro))


def template_for(project: Project, *, release: str, path: str = "", text: str = "") -> SpecTemplate | None:
    """The template a spec at ``path`` for ``release`` follows: the one place that chooses it.

    A spec lite (see :func:`looks_like_spec_lite`) follows a "lite" variant
    (``spec-lite-template.rst``) where the project has one, any other spec the
    standard template. Nearest first:

    1. a template file in the spec's folder or one above it under ``specs/``
       (``<release>-template.rst`` or ``template.rst``; ``spec-lite-template.rst``
       for the variant), loaded as a template or a stand-in for one, followed
       to the file it stands in for (glance's per-folder templates);
    2. ``specs/<release>-template.rst``, or a stand-in there (nova's
       ``backlog-template.rst`` holds "2027.1-template.rst");
    3. the release's template, else the project's default: for the standard
       template, :func:`template_for_release`.

    A project without a default falls back to its newest release's template.
    """
    # Rows, not models: an import asks once per spec, and only the chosen one is fetched whole.
    rows = list(project.templates.order_by().values_list("pk", "release", "variant", "path"))
    by_path = {row_path: pk for pk, _, _, row_path in rows if row_path}
    by_name = {(row_release, variant): pk for pk, row_release, variant, _ in rows}
    stand_ins = {
        stand_in: bytes(target).decode("utf-8", errors="replace").strip()
        for stand_in, target in RepositoryFile.objects.filter(
            project=project, kind=RepositoryFile.Kind.STAND_IN, path__endswith=TEMPLATE_FILENAME
        )
        .order_by()
        .values_list("path", "content")
    }

    def file_in(folders: list[str], names: list[str]) -> int | None:
        """The template the first of ``names`` found in ``folders`` is, or stands in for."""
        for file_path in (f"{folder}/{name}" for folder in folders for name in names):
            for _ in range(_MOST_STAND_IN_HOPS):
                if file_path in by_path:
                    return by_path[file_path]
                if file_path not in stand_ins:
                    break
                file_path = resolve(file_path, stand_ins[file_path])
        return None

    folders = str(PurePosixPath(path).parent).split("/") if path else []
    # The spec's folder first, then each folder above it, but not "specs/" itself.
    below_root = ["/".join(folders[:end]) for end in range(len(folders), 1, -1)]
    lite = sorted({variant for _, _, variant, _ in rows if "lite" in variant})
    if lite and not looks_like_spec_lite(text):
        lite = []
    for variant in [*lite, ""]:
        stem = f"{variant}-{TEMPLATE_FILENAME}" if variant else TEMPLATE_FILENAME
        found = file_in(below_root, [f"{release}-{stem}", stem]) or file_in(
            folders[:1], [f"{release}-{stem}"]
        )
        if variant and found is None:
            found = by_name.get((release, variant)) or by_name.get(("", variant))
        if found is not None:
            return SpecTemplate.objects.get(pk=found)
    if release_or_default := template_for_release(project, release):
        return release_or_default
    standard = [(paths.release_key(row_release), pk) for pk, row_release, variant, _ in rows if not variant]
    return SpecTemplate.objects.get(pk=max(standard)[1]) if standard else None


def free_slug(project: Project, name: str, release: str, *, exclude_pk: int | None = None) -> str:
    """A spec address unused in ``project``: ``name``, else ``name-release``, else numbered."""
    namesakes = Spec.objects.filter(project=project, slug__startswith=name)
    if exclude_pk is not None:
        namesakes = namesakes.exclude(pk=exclude_pk)
    taken = set(namesakes.values_list("slug", flat=True))
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


def site_search(*, query: str) -> QuerySet[Spec]:
    """Every project's specs matching ``query``, best first.

    The filter set and order of ``GET /api/v1/specs/?search=``, so the /search/ page
    ranks as the API does; the caller takes the snippets of the page it shows
    (``full_text.snippets``), as the API does.
    """
    specs = Spec.objects.select_related("project", "owner").defer("search_vector")
    return SpecFilter({"search": query}, queryset=specs).qs


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


def lineage(spec: Spec) -> list[Spec]:
    """Every release's spec of ``spec``'s blueprint in its project (its name), oldest release first."""
    specs = (
        Spec.objects.filter(project_id=spec.project_id, name=spec.name)
        .select_related("owner")
        .defer("search_vector")
    )
    found = sorted(specs, key=lambda item: (paths.release_key(item.release), item.created_at, item.pk))
    for item in found:
        item.project = spec.project  # one project: no join, no query per spec
    return found


def repropose_releases(spec: Spec, lineage_specs: list[Spec]) -> list[str]:
    """The releases to offer a re-proposal of ``spec`` for, the first one the default.

    Those of the project's releases (its templates' and specs') after the spec's that
    its lineage lacks, oldest first; without any, OpenStack's next release it lacks.
    """
    taken = {item.release for item in lineage_specs}
    # One query; without the models' default orderings, which SQLite refuses in a UNION.
    templates = SpecTemplate.objects.filter(project_id=spec.project_id).order_by().values_list("release")
    specs = Spec.objects.filter(project_id=spec.project_id).order_by().values_list("release")
    known = {release for (release,) in templates.union(specs)}
    after = paths.release_key(spec.release)

    def is_later(release: str) -> bool:
        key = paths.release_key(release)
        # "backlog" and other folders that are no release are not offered after a real release.
        return bool(release) and key > after and (key[0] < 2 or after[0] == 2)

    later = sorted(filter(is_later, known - taken), key=paths.release_key)
    if later:
        return later
    candidate = paths.next_release(spec.release)
    while candidate in taken:
        candidate = paths.next_release(candidate)
    return [candidate] if candidate else []

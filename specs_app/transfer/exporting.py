"""Specs out of SpecPortal: the file at its repository path, and a ``git am`` patch adding it."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from specs_app.authoring.blueprints import blueprint_name
from specs_app.models import Project, Spec, SpecSection
from specs_app.rst import patch as rst_patch
from specs_app.transfer.importing import is_blueprint_url


def specs_with_sections(project: Project | None = None) -> QuerySet[Spec]:
    """Specs (a project's, or all) with what their text and patch need fetched up front."""
    specs = Spec.objects.all() if project is None else Spec.objects.filter(project=project)
    return (
        specs.select_related("owner", "project")
        .prefetch_related(Prefetch("sections", queryset=SpecSection.objects.order_by("position")))
        .order_by("release", "slug")
    )


def spec_commit_message(spec: Spec) -> str:
    """The commit message body: a summary from the introduction, then the blueprint.

    The blueprint named is the one the spec links (which may differ from the
    file's name in imported specs); a spec without a link names its own slug.
    """
    document = spec.as_document()
    summary = rst_patch.summary_paragraph(document.intro)
    if not summary and document.sections:
        summary = rst_patch.summary_paragraph(document.sections[0].body)
    blueprint = spec.slug
    if spec.blueprint_url and is_blueprint_url(spec.blueprint_url):
        blueprint = blueprint_name(spec.blueprint_url)
    return rst_patch.commit_message(summary=summary, blueprint=blueprint)


def spec_patch(*, spec: Spec) -> str:
    """A ``git format-patch`` mbox adding the spec's file to its specs repository.

    The patch creates ``specs/<release>/<slug>.rst``; a spec that already
    exists in the repository needs a modifying diff, which this does not make.
    """
    owner = spec.owner
    name = owner.get_full_name().strip() or owner.get_username()
    # git am refuses a patch without an author address; .invalid never resolves.
    email = owner.email or f"{owner.get_username()}@specportal.invalid"
    return rst_patch.format_patch(
        author_name=name,
        author_email=email,
        date=spec.updated_at,
        title=spec.title,
        message=spec_commit_message(spec),
        path=spec.path,
        content=spec.text(),
    )

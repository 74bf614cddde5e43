"""Every write to SpecPortal's data. Views, forms and the API call these.

Each service takes keyword-only, typed arguments, checks permissions itself,
validates, and runs in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from specs_app import paths
from specs_app.authoring import permissions
from specs_app.authoring.blueprints import blueprint_name
from specs_app.authoring.selectors import template_for_release
from specs_app.limits import check_spec_size
from specs_app.models import Project, Spec, SpecSection, SpecStatus, SpecTemplate, TemplateSection
from specs_app.preview.gate import gate_rules
from specs_app.rst import document as rst_document
from specs_app.rst.gate_profiles import GATE_PRESETS
from specs_app.rst.template import ParsedTemplate, TemplateError, TemplateNode, parse_template


@dataclass(frozen=True)
class SectionEdit:
    """An author's new text for a section, and the section version it started from."""

    text: str
    base_version: int


@dataclass(frozen=True)
class Conflict:
    """A field someone else changed after the author started editing it."""

    field: str  # "title", "intro", "release" or "section-<id>"
    label: str
    yours: str
    current: str


class EditConflict(Exception):
    """A save based on a stale version; nothing was written."""

    def __init__(self, conflicts: list[Conflict], current_version: int):
        self.conflicts = conflicts
        self.current_version = current_version
        names = ", ".join(conflict.label for conflict in conflicts)
        super().__init__(
            f"Someone else changed this spec while you were editing it ({names}). "
            "Your text is kept: compare it with the current text and save again."
        )


# Projects and templates


@transaction.atomic
def create_project(
    *,
    name: str,
    slug: str,
    description: str = "",
    template_source: str | None = None,
    gate_preset: str = "",
    spec_path_pattern: str = "",
) -> Project:
    """A project, with the given template (or the bundled cinder one) as its default.

    ``gate_preset`` names the specs repository whose own checks its gate reproduces
    (``GATE_PRESETS``); empty, the gate follows the project's own settings. New specs
    go where ``spec_path_pattern`` says, by default where the preset's repository puts them.
    """
    if not spec_path_pattern:
        preset = GATE_PRESETS.get(gate_preset)
        spec_path_pattern = preset.spec_path_pattern if preset else paths.DEFAULT_SPEC_PATH_PATTERN
    project = Project(
        name=name,
        slug=slug,
        description=description,
        gate_preset=gate_preset,
        spec_path_pattern=spec_path_pattern,
    )
    project.full_clean()
    project.save()
    if template_source is None:
        from django.conf import settings

        template_source = settings.DEFAULT_TEMPLATE_PATH.read_text(encoding="utf-8")
    load_template(project=project, source=template_source)
    return project


def _template_paths(parsed: ParsedTemplate) -> Iterable[tuple[tuple[str, ...], TemplateNode]]:
    def walk(
        nodes: list[TemplateNode], prefix: tuple[str, ...]
    ) -> Iterator[tuple[tuple[str, ...], TemplateNode]]:
        for node in nodes:
            path = (*prefix, node.title)
            yield path, node
            yield from walk(node.children, path)

    return walk(parsed.sections, ())


@transaction.atomic
def load_template(
    *,
    project: Project,
    source: str,
    release: str = "",
    variant: str = "",
    path: str = "",
    optional_titles: Iterable[str] = (),
) -> SpecTemplate:
    """Load (or reload) a project's template for ``release`` ("" for its default).

    ``variant`` names another kind of spec the release has a template for
    (glance's "spec-lite"); such a template may be a field list without
    sections. ``path`` is where the template lives in the specs repository;
    a reload without one keeps the path the template has.

    Reloading keeps the sections that still exist, matched by their title path,
    so specs written against the template stay linked to them.
    """
    source = rst_document.normalise_newlines(source)
    check_spec_size(source, what="The template")
    try:
        parsed = parse_template(source)
    except TemplateError as error:
        document = rst_document.split(source)
        if not variant or not document.title or document.sections:
            raise ValidationError(str(error), code="invalid_template") from error
        parsed = ParsedTemplate(
            example_title=document.title, intro_guidance=rst_document.body_text(document.intro), sections=[]
        )
    optional = set(optional_titles)

    template, _ = SpecTemplate.objects.get_or_create(
        project=project, release=release, variant=variant, defaults={"source": source, "path": path}
    )
    template.source = source
    if path:
        template.path = path
    template.full_clean()
    template.save()

    existing: dict[tuple[str, ...], TemplateSection] = {}
    by_id: dict[int | None, TemplateSection] = {section.pk: section for section in template.sections.all()}
    for section in by_id.values():
        titles, parent = [section.title], by_id.get(section.parent_id)
        while parent is not None:
            titles.insert(0, parent.title)
            parent = by_id.get(parent.parent_id)
        existing[tuple(titles)] = section

    # Orders are unique per template: move the kept rows out of the way first.
    template.sections.update(order=F("order") + 100_000)
    kept: dict[tuple[str, ...], TemplateSection] = {}
    for title_path, node in _template_paths(parsed):
        section = existing.get(title_path) or TemplateSection(template=template)
        section.parent = kept.get(title_path[:-1])
        section.title = node.title
        section.level = node.level
        section.adornment = node.style.character
        section.overline = node.style.overline
        section.order = node.order
        section.guidance = node.guidance
        section.required = node.title not in optional
        section.save()
        kept[title_path] = section
    template.sections.exclude(pk__in=[section.pk for section in kept.values()]).delete()
    return template


# Specs


def _initial_intro(blueprint_url: str) -> str:
    return f"\n{blueprint_url}\n\n" if blueprint_url else "\n"


@transaction.atomic
def create_spec(
    *,
    actor: User,
    project: Project,
    title: str,
    release: str,
    blueprint_url: str = "",
    slug: str = "",
) -> Spec:
    """A new spec following the project's template for ``release``, every section empty."""
    if not permissions.can_create_spec(actor, project):
        raise PermissionDenied("Sign in to write a spec.")
    title = title.strip()
    if blueprint_url:
        try:
            slug = blueprint_name(blueprint_url)
        except ValidationError as error:
            raise ValidationError({"blueprint_url": error.messages}) from error
    if not slug:
        raise ValidationError({"blueprint_url": "Give the spec's blueprint URL; it names the spec's file."})
    namesake = Spec.objects.filter(project=project, name=slug).order_by("-created_at").first()
    if namesake is not None:
        message = f"{project.name} already has a spec named “{slug}”: each blueprint has one spec"
        if namesake.release != release.strip():
            message += f" (for {namesake.release}; re-propose it for {release.strip()} from its page)"
        raise ValidationError({"blueprint_url": message + "."})
    template = template_for_release(project, release)
    if template is None:
        raise ValidationError(f"{project.name} has no template yet; load one first.")
    release = release.strip()
    path = paths.spec_path(project.spec_path_pattern, release=release, name=slug)
    _check_title_fits(title, gate_rules(project, template, release=release, path=path).max_line_length)

    spec = Spec(
        project=project,
        template=template,
        title=title,
        slug=slug,
        name=slug,
        path=path,
        blueprint_url=blueprint_url.strip(),
        release=release,
        owner=actor,
        prologue=rst_document.split(template.source).prologue,
        title_heading=rst_document.TITLE_STYLE.adorn(title),
        intro=_initial_intro(blueprint_url.strip()),
    )
    spec.full_clean()
    spec.save()
    template_sections = list(template.sections.order_by("order"))
    SpecSection.objects.bulk_create(
        SpecSection(
            spec=spec,
            template_section=section,
            title=section.title,
            level=section.level,
            heading=section.style.adorn(section.title),
            body="" if position == len(template_sections) - 1 else "\n",
            position=position,
        )
        for position, section in enumerate(template_sections)
    )
    return spec


def _check_title_fits(title: str, max_line_length: int) -> None:
    """Refuse a title whose line (and so its adornment) the gate would fail as too long.

    Measured in columns, as the adornment is: a Chinese or Japanese character takes two.
    """
    width = rst_document.display_width(title)
    if width > max_line_length:
        raise ValidationError(
            {
                "title": f"The title is {width} columns wide; the project's gate allows "
                f"{max_line_length} per line. Shorten it."
            },
            code="title_too_long",
        )


def _changed(value: str, current: str) -> bool:
    return rst_document.normalise_newlines(value).strip() != rst_document.normalise_newlines(current).strip()


@transaction.atomic
def update_spec(
    *,
    actor: User,
    spec: Spec,
    base_version: int,
    title: str,
    release: str,
    intro: str,
    sections: Mapping[int, SectionEdit],
) -> Spec:
    """Save an author's edit of a whole spec, refusing it if it is based on stale text.

    A section conflicts when someone saved it after the author loaded it and the
    author's text differs from what is there now; the title, release and
    introduction when the spec changed at all since and they differ. On a
    conflict nothing is written and :class:`EditConflict` carries both texts.
    """
    spec = Spec.objects.select_for_update().get(pk=spec.pk)
    if not permissions.can_edit_spec(actor, spec):
        raise PermissionDenied("Only the spec's owner, its co-authors and staff can edit it.")
    title = title.strip()
    intro = rst_document.normalise_newlines(intro)
    # The API's co-author-only update passes through here too, changing no text.
    if sections or title != spec.title or release.strip() != spec.release or _changed(intro, spec.intro):
        permissions.ensure_text_editable(spec)
    current_sections = {section.pk: section for section in spec.sections.order_by("position")}
    unknown = set(sections) - set(current_sections)
    if unknown:
        raise ValidationError("The form names sections this spec does not have; reload the page.")
    for edit in sections.values():
        check_spec_size(edit.text, what="A section")
    check_spec_size(intro, what="The introduction")

    conflicts: list[Conflict] = []
    if base_version != spec.version:
        for field, label, yours, current in (
            ("title", "Title", title, spec.title),
            ("release", "Release", release, spec.release),
            ("intro", "Introduction", intro, rst_document.body_text(spec.intro)),
        ):
            if _changed(yours, current):
                conflicts.append(Conflict(field, label, yours, current))
    for section_id, edit in sections.items():
        section = current_sections[section_id]
        if edit.base_version != section.version and _changed(edit.text, section.text):
            conflicts.append(Conflict(f"section-{section_id}", section.title, edit.text, section.text))
    if conflicts:
        raise EditConflict(conflicts, spec.version)

    edited = edited_document(
        spec=spec,
        sections=list(current_sections.values()),
        title=title,
        intro=intro,
        texts={section_id: edit.text for section_id, edit in sections.items()},
    )
    changed = False
    if title != spec.title:
        spec.title = title
        spec.title_heading = edited.title_heading
        changed = True
    if release.strip() != spec.release:
        spec.release = release.strip()
        spec.path = paths.spec_path(spec.project.spec_path_pattern, release=spec.release, name=spec.name)
        changed = True
    if edited.intro != spec.intro:
        spec.intro = edited.intro
        changed = True

    changed_sections = []
    for section, part in zip(current_sections.values(), edited.sections, strict=True):
        if part.body != section.body:
            section.body = part.body
            section.version += 1
            changed_sections.append(section)
    if changed_sections:
        SpecSection.objects.bulk_update(changed_sections, ["body", "version"])
        changed = True
    if changed:
        spec.version += 1
        spec.full_clean()
        spec.save()
    return spec


def edited_document(
    *, spec: Spec, sections: Sequence[SpecSection], title: str, intro: str, texts: Mapping[int, str]
) -> rst_document.Document:
    """The spec's text parts with an author's edit applied, as :func:`update_spec` stores them.

    ``sections`` are the spec's, in order; ``texts`` the new text of those edited, by id.
    The editor's previews assemble the text they render with this too, so a preview
    shows what saving writes. Nothing is checked or written here.
    """
    title = title.strip()
    document = spec.as_document(list(sections))
    last_id = sections[-1].pk if sections else None

    def edited(section: SpecSection, part: rst_document.Section) -> rst_document.Section:
        if section.pk not in texts:
            return part
        return replace(
            part, body=rst_document.edit_body(section.body, texts[section.pk], last=section.pk == last_id)
        )

    return replace(
        document,
        title=title,
        title_heading=document.title_heading if title == spec.title else document.title_style.adorn(title),
        intro=rst_document.edit_body(spec.intro, intro),
        sections=tuple(
            edited(section, part) for section, part in zip(sections, document.sections, strict=True)
        ),
    )


@transaction.atomic
def update_section(*, actor: User, section: SpecSection, base_version: int, text: str) -> SpecSection:
    """Save one section's body; refuse it with both texts if the section moved on."""
    section = SpecSection.objects.select_for_update().select_related("spec").get(pk=section.pk)
    spec = section.spec
    if not permissions.can_edit_spec(actor, spec):
        raise PermissionDenied("Only the spec's owner, its co-authors and staff can edit it.")
    permissions.ensure_text_editable(spec)
    check_spec_size(text, what="The section")
    if base_version != section.version:
        raise EditConflict(
            [Conflict(f"section-{section.pk}", section.title, text, section.text)], spec.version
        )
    is_last = not spec.sections.filter(position__gt=section.position).exists()
    new_body = rst_document.edit_body(section.body, text, last=is_last)
    if new_body != section.body:
        section.body = new_body
        section.version += 1
        section.save(update_fields=["body", "version"])
        Spec.objects.filter(pk=spec.pk).update(version=F("version") + 1)
    return section


@transaction.atomic
def set_co_authors(*, actor: User, spec: Spec, co_authors: Iterable[User]) -> Spec:
    if not permissions.can_edit_spec(actor, spec):
        raise PermissionDenied("Only the spec's owner, its co-authors and staff can change its authors.")
    spec.co_authors.set([user for user in co_authors if user.pk != spec.owner_id])
    return spec


def ensure_status(spec: Spec, *allowed: SpecStatus) -> None:
    if spec.status not in allowed:
        names = " or ".join(SpecStatus(status).label.lower() for status in allowed)
        raise ValidationError(f"This spec is {spec.get_status_display().lower()}; it must be {names}.")


@transaction.atomic
def delete_spec(*, actor: User, spec: Spec) -> None:
    """Remove a spec with its sections (and its reviews and comments)."""
    if not permissions.can_delete_spec(actor, spec):
        raise PermissionDenied("Only the spec's owner and staff can delete it.")
    spec.delete()

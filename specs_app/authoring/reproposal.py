"""Re-propose a spec for another release: the next link of its blueprint's lineage.

OpenStack re-proposes a spec in every release it slips to: the file is copied to
the new release's folder and brought in line with that release's template. Here
the copy is a new spec of the same name (the lineage key) linked to the earlier
one (``proposed_from``), so its page can show where it came from and the reviews
it had there. The earlier spec is left as it is: its release's folder keeps it.

Its sections follow the new release's template: each template section takes the
earlier spec's body of the same title path (matched as an import matches them,
``transfer.importing.match_sections``), sections the template adds start empty
(the editor shows their guidance), and the earlier spec's own extra sections stay
after the section they followed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from specs_app import paths
from specs_app.authoring import permissions
from specs_app.authoring.selectors import free_slug, template_for
from specs_app.models import NAME_PATTERN, Spec, SpecSection, TemplateSection
from specs_app.rst import document as rst_document
from specs_app.transfer.importing import match_sections

_RELEASE = re.compile(rf"\A{NAME_PATTERN}\Z")
_MAX_RELEASE = 50  # Spec.release's max_length
HISTORY_TITLE = "History"
# A row of a list-table as nova's History sections write them: "* - Train", then "  - Reproposed".
_ROW_START = re.compile(r"(?P<indent> *)\* - (?P<cell>.*)")
HISTORY_NOTE = "Reproposed"


@transaction.atomic
def repropose_spec(*, actor: User, spec: Spec, release: str) -> Spec:
    """A copy of ``spec`` for ``release`` in that release's template, owned by ``actor``.

    Anyone who may write specs in the project may re-propose one; the earlier
    spec's owner and co-authors become the copy's co-authors. Refused for the
    spec's own release, a release the lineage already has a spec for, and a
    named release before the spec's.
    """
    project = spec.project
    if not permissions.can_create_spec(actor, project):
        raise PermissionDenied("Sign in to re-propose a spec.")
    # Locked: two re-proposals of one spec for one release must not both pass the checks below.
    spec = Spec.objects.select_for_update().get(pk=spec.pk)
    release = _checked_release(spec, release)
    path = paths.spec_path(project.spec_path_pattern, release=release, name=spec.name)
    sections = list(spec.sections.order_by("position"))
    # The template a file at that path follows: a spec lite stays one.
    template = template_for(
        project, release=release, path=path, text=rst_document.assemble(spec.as_document(sections))
    )
    if template is None:
        raise ValidationError(f"{project.name} has no template yet; load one first.", code="no_template")
    taken = Spec.objects.filter(project=project, path=path).first()
    if taken is not None:
        raise ValidationError(
            {
                "release": f"{path} is already “{taken.title}” ({taken.release}): the project's path "
                f"pattern {project.spec_path_pattern} puts both there. Change the pattern to "
                "include {release}, or move that spec."
            },
            code="path_taken",
        )

    old_sections = [section.as_document_section() for section in sections]
    template_sections = list(template.sections.order_by("order"))
    new_spec = Spec(
        project=project,
        template=template,
        title=spec.title,
        slug=free_slug(project, spec.name, release),
        name=spec.name,
        path=path,
        proposed_from=spec,
        blueprint_url=spec.blueprint_url,
        release=release,
        owner=actor,
        prologue=spec.prologue,
        title_heading=spec.title_heading,
        intro=_spaced(spec.intro, last=not old_sections and not template_sections),
    )
    new_spec.full_clean(validate_constraints=False)
    try:
        # A savepoint: a re-proposal from another spec of the lineage may take the path meanwhile.
        with transaction.atomic():
            new_spec.save()
    except IntegrityError as error:
        raise ValidationError(
            {"release": f"{project.name} got a spec at {path} meanwhile; reload the page and try again."},
            code="exists",
        ) from error
    # Whoever wrote the earlier spec keeps writing this one.
    authors = (spec.owner, *spec.co_authors.all())
    new_spec.co_authors.set([author for author in authors if author.pk != actor.pk])

    carried = carry_sections(old_sections, template_sections, release=release)
    SpecSection.objects.bulk_create(
        SpecSection(
            spec=new_spec,
            template_section=section.template_section,
            title=section.title,
            level=section.level,
            heading=section.heading,
            body=section.body,
            position=position,
        )
        for position, section in enumerate(carried)
    )
    return new_spec


def _checked_release(spec: Spec, release: str) -> str:
    release = release.strip()
    if not release or len(release) > _MAX_RELEASE or not _RELEASE.match(release):
        raise ValidationError(
            {
                "release": "Name the release to re-propose the spec for, such as “2026.2” or “zed” "
                f"(letters, digits, dots, dashes, underscores or plus signs, at most {_MAX_RELEASE})."
            },
            code="invalid_release",
        )
    if release == spec.release:
        raise ValidationError(
            {"release": f"This spec is already proposed for {release}; re-propose it for another release."},
            code="same_release",
        )
    existing = Spec.objects.filter(project_id=spec.project_id, name=spec.name, release=release).first()
    if existing is not None:
        raise ValidationError(
            {
                "release": f"“{spec.name}” already has a spec for {release}: “{existing.title}” "
                f"({existing.get_status_display().lower()}, {existing.path}). Edit that one instead."
            },
            code="release_taken",
        )
    old_key, new_key = paths.release_key(spec.release), paths.release_key(release)
    # Only releases both known to be OpenStack's can be compared; other names are taken as given.
    if old_key[0] < 2 and new_key[0] < 2 and new_key < old_key:
        raise ValidationError(
            {"release": f"{release} comes before {spec.release}: re-propose a spec for a later release."},
            code="earlier_release",
        )
    return release


# Carrying sections into the new template (plain values, no database)


@dataclass(frozen=True)
class CarriedSection:
    template_section: TemplateSection | None
    title: str
    level: int
    heading: str
    body: str


def carry_sections(
    old: Sequence[rst_document.Section], template_sections: Sequence[TemplateSection], *, release: str
) -> list[CarriedSection]:
    """The earlier spec's sections laid out along the new template, in its order.

    A template section takes the body of the earlier section with its title path
    (its own heading kept when the title is the template's, else retitled in the
    same style); one the earlier spec lacks is empty. An earlier section the
    template lacks follows the section it followed, after that section's new
    subsections, so it does not adopt them.
    """
    match = match_sections(old, template_sections)
    source_of = {template_section.pk: index for index, template_section in match.template_sections.items()}
    styles = _level_styles(old, template_sections)

    laid_out: list[tuple[int | None, CarriedSection]] = []  # (index among the earlier sections, section)
    for template_section in sorted(template_sections, key=lambda section: section.order):
        index = source_of.get(template_section.pk)
        title, level = template_section.title, template_section.level
        if index is None:
            heading, body = styles[level].adorn(title), ""
        else:
            part = old[index]
            heading = part.heading if part.title == title else part.style.adorn(title)
            body = part.body
            if title == HISTORY_TITLE:
                body = history_with_row(body, release) or body
        laid_out.append((index, CarriedSection(template_section, title, level, heading, body)))

    for index, part in enumerate(old):
        if index in match.template_sections:
            continue
        position = 0
        if index > 0:
            position = next(at for at, (source, _) in enumerate(laid_out) if source == index - 1) + 1
            while position < len(laid_out) and laid_out[position][1].level > part.level:
                position += 1
        extra = CarriedSection(None, part.title, part.level, part.heading, part.body)
        laid_out.insert(position, (index, extra))

    sections = [section for _, section in laid_out]
    return [
        replace(section, body=_spaced(section.body, last=position == len(sections) - 1))
        for position, section in enumerate(sections)
    ]


def _level_styles(
    old: Sequence[rst_document.Section], template_sections: Sequence[TemplateSection]
) -> dict[int, rst_document.HeadingStyle]:
    """The heading style of each level: the earlier spec's, else the template's, never one used twice.

    RST tells levels apart by their adornment alone, so a new section adorned like
    another level of the earlier spec would change the document's structure.
    """
    styles: dict[int, rst_document.HeadingStyle] = {}
    for part in old:
        styles.setdefault(part.level, part.style)
    used = set(styles.values())
    for template_section in sorted(template_sections, key=lambda section: section.level):
        if template_section.level in styles:
            continue
        candidates = [template_section.style, *rst_document.DEFAULT_LEVEL_STYLES]
        style = next((candidate for candidate in candidates if candidate not in used), template_section.style)
        styles[template_section.level] = style
        used.add(style)
    return styles


def _spaced(body: str, *, last: bool) -> str:
    """A body moved to another place: a blank line before the next heading, one newline at the end."""
    text = body.rstrip("\n")
    if not text.strip():
        return "" if last else "\n"
    if last:
        return text + "\n"
    trailing = body[len(text) :]
    return text + (trailing if len(trailing) >= 2 else "\n\n")


def history_with_row(body: str, release: str) -> str | None:
    """A History section's body with a row for ``release`` added to its table.

    Only when the body ends with a list-table row of two one-line cells (as
    nova's template writes it); any other shape is left to the author (None).
    """
    text = body.rstrip("\n")
    lines = text.split("\n")
    if len(lines) < 2:
        return None
    row = _ROW_START.fullmatch(lines[-2])
    if row is None or not lines[-1].startswith(row["indent"] + "  - "):
        return None
    label = release[:1].upper() + release[1:]
    listed = {found["cell"].strip().casefold() for line in lines if (found := _ROW_START.fullmatch(line))}
    if label.casefold() in listed:
        return body
    indent = row["indent"]
    return f"{text}\n{indent}* - {label}\n{indent}  - {HISTORY_NOTE}{body[len(text) :]}"

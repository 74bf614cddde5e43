"""Replace a whole spec's text at once: what ``specportal push`` and the API's text endpoint do.

The text is split the way an import splits a file and its sections are linked
to the template's by title with the import's own matching
(:func:`importing.match_sections`), so a pushed spec and an imported
one agree. Like an import, the text is stored as given (fidelity beats
normalisation: see DESIGN.md); the gate reports what departs from the rules.

Sections keep their rows, and so their ids and versions, where a section of
the same title is still there: a section whose body did not change keeps its
version, so a concurrent one-section edit elsewhere is not refused needlessly.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from specs_app.authoring import permissions
from specs_app.authoring.services import Conflict, EditConflict
from specs_app.limits import SpecTooLarge
from specs_app.models import Spec, SpecSection
from specs_app.rst import document as rst_document
from specs_app.transfer.importing import decode_spec_file, match_sections

# CharFields: their max_length is always set (the cast says so to the type checker).
_MAX_TITLE = cast(int, Spec._meta.get_field("title").max_length)
_MAX_SECTION_TITLE = cast(int, SpecSection._meta.get_field("title").max_length)


def _check_titles(document: rst_document.Document) -> None:
    if not document.title:
        raise ValidationError(
            {"text": "The text has no title: a spec starts (after its licence comment) with a title."},
            code="no_title",
        )
    if len(document.title) > _MAX_TITLE:
        raise ValidationError({"text": f"The title is longer than {_MAX_TITLE} characters."}, code="too_long")
    for section in document.sections:
        if len(section.title) > _MAX_SECTION_TITLE:
            raise ValidationError(
                {
                    "text": f"The section title “{section.title[:60]}…” is longer than "
                    f"{_MAX_SECTION_TITLE} characters."
                },
                code="too_long",
            )


@transaction.atomic
def replace_spec_text(*, actor: User, spec: Spec, text: str, base_version: int) -> Spec:
    """Make ``text`` the spec's whole .rst text, if the spec is still at ``base_version``.

    A stale ``base_version`` is refused with :class:`EditConflict` carrying the
    current text, and nothing is written. Pushing the text the spec already has
    changes nothing (and does not bump its version).
    """
    spec = Spec.objects.select_for_update().select_related("template").get(pk=spec.pk)
    if not permissions.can_edit_spec(actor, spec):
        raise PermissionDenied("Only the spec's owner, its co-authors and staff can edit it.")
    permissions.ensure_text_editable(spec)
    try:
        text = decode_spec_file(text)
    except SpecTooLarge:
        raise  # kept as it is, so the API answers 413
    except ValidationError as error:
        raise ValidationError({"text": error.messages}) from error
    current_sections = list(spec.sections.order_by("position"))
    current_text = spec.as_document(current_sections)
    if base_version != spec.version:
        raise EditConflict(
            [Conflict("text", "The spec", text, rst_document.assemble(current_text))], spec.version
        )
    if rst_document.assemble(current_text) == text:
        return spec

    document = rst_document.split(text)
    _check_titles(document)
    match = match_sections(document.sections, list(spec.template.sections.all()))

    spec.prologue = document.prologue
    spec.title = document.title
    spec.title_heading = document.title_heading
    spec.intro = document.intro
    spec.version += 1
    spec.full_clean()
    spec.save()

    # Reuse rows by title, in order; positions are unique, so move the old ones out of the way first.
    spec.sections.update(position=F("position") + 100_000)
    unused: dict[str, list[SpecSection]] = {}
    for section in current_sections:
        unused.setdefault(section.title, []).append(section)
    kept: list[SpecSection] = []
    created: list[SpecSection] = []
    for position, new in enumerate(document.sections):
        candidates = unused.get(new.title)
        row = candidates.pop(0) if candidates else SpecSection(spec=spec, version=1)
        if row.pk is not None and row.body != new.body:
            row.version += 1
        row.template_section = match.template_sections.get(position)
        row.title = new.title
        row.level = new.level
        row.heading = new.heading
        row.body = new.body
        row.position = position
        (kept if row.pk is not None else created).append(row)
    leftover = [section.pk for sections in unused.values() for section in sections]
    SpecSection.objects.filter(pk__in=leftover).delete()
    SpecSection.objects.bulk_update(
        kept, ["template_section", "title", "level", "heading", "body", "position", "version"]
    )
    SpecSection.objects.bulk_create(created)
    return spec

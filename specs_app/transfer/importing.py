"""Specs in and out of a specs repository: import an .rst file, export files and patches.

The promise (see DESIGN.md, "The one idea"): an imported spec's ``text()`` is
the imported file byte for byte, so exporting it back into its repository
shows no diff. Import therefore stores every part raw and never tidies the
author's text; what departs from the template or from git's whitespace rules
is reported, not rewritten.

Import is a write and follows services.py's conventions (keyword-only typed
arguments, permission checks, one transaction). Export only reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from specs_app import paths
from specs_app.authoring import permissions
from specs_app.authoring.blueprints import blueprint_name
from specs_app.authoring.selectors import free_slug, template_for
from specs_app.limits import check_file_size, check_spec_size
from specs_app.models import NAME_PATTERN, Project, Spec, SpecSection, SpecStatus, TemplateSection
from specs_app.rst import document as rst_document
from specs_app.rst import patch as rst_patch

# Blueprint links as they appear in running text; blueprints.BLUEPRINT_URL is
# the anchored form used to validate one.
_BLUEPRINT_LINK = re.compile(
    rf"https?://blueprints\.launchpad\.net/(?P<project>{NAME_PATTERN})/\+spec/(?P<name>{NAME_PATTERN})"
)
_NAME = re.compile(rf"\A{NAME_PATTERN}\Z")
# Model field sizes: checked up front so PostgreSQL never sees an overlong value
# (SQLite would store it silently and the two databases would disagree). All are
# CharFields, whose max_length is always set (the cast says so to the type checker).
_MAX_TITLE = cast(int, Spec._meta.get_field("title").max_length)
_MAX_SLUG = cast(int, Spec._meta.get_field("slug").max_length)
_MAX_SECTION_TITLE = cast(int, SpecSection._meta.get_field("title").max_length)
_MAX_URL = cast(int, Spec._meta.get_field("blueprint_url").max_length)
_MAX_PATH = cast(int, Spec._meta.get_field("path").max_length)

PATH_SEPARATOR = " > "
UNCHANGED_NOTE = "The spec already has exactly this text; nothing changed."
_CHOSEN_HERE = ["project", "template", "owner", "proposed_from"]


@dataclass
class ImportReport:
    """What an import did and what the file departs from."""

    spec: Spec
    created: bool  # a new spec
    replaced: bool  # an existing spec's text was replaced
    # Template sections the file lacks, as title paths ("Implementation > Work Items").
    # A missing section's own subsections are not listed again.
    missing_sections: list[str] = field(default_factory=list)
    # The file's sections the template lacks, kept where they are.
    extra_sections: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        """The spec already had exactly this text; nothing was written."""
        return not self.created and not self.replaced

    @property
    def outcome(self) -> str:
        return "imported" if self.created else "replaced" if self.replaced else "unchanged"


def decode_spec_file(source: bytes | str) -> str:
    """The text of an uploaded or read file, or a ValidationError saying why not."""
    if isinstance(source, bytes):
        # Refused before decoding: a file this large cannot be within the character limit.
        check_file_size(len(source))
        try:
            text = source.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError(
                f"The file is not UTF-8 text (the byte at offset {error.start:,} is not valid UTF-8). "
                "Save it as UTF-8 and import it again.",
                code="not_utf8",
            ) from error
    else:
        text = source
    check_spec_size(text, what="The file")
    if not text.strip():
        raise ValidationError("The file is empty.", code="empty")
    # PostgreSQL text cannot hold NUL, and no RST file contains one: it is binary.
    if "\x00" in text:
        raise ValidationError(
            "The file contains NUL bytes: it is a binary file, not an .rst spec.", code="binary"
        )
    return text


def _loose(title: str) -> str:
    """Titles compared ignoring case and whitespace: "Use cases" matches "Use Cases"."""
    return "".join(title.split()).casefold()


@dataclass
class _Node:
    index: int  # position among the file's sections
    section: rst_document.Section
    children: list[_Node] = field(default_factory=list)


def _section_tree(sections: Sequence[rst_document.Section]) -> list[_Node]:
    """The file's sections nested by level, as parse_template nests a template's."""
    roots: list[_Node] = []
    open_parents: list[_Node] = []
    for index, section in enumerate(sections):
        node = _Node(index, section)
        while open_parents and open_parents[-1].section.level >= section.level:
            open_parents.pop()
        (open_parents[-1].children if open_parents else roots).append(node)
        open_parents.append(node)
    return roots


@dataclass
class SectionMatch:
    """Which template section each of the file's sections is, and what is missing."""

    template_sections: dict[int, TemplateSection]  # file section index -> template section
    missing: list[TemplateSection]
    paths: dict[int, str]  # file section index -> its title path


def match_sections(
    sections: Sequence[rst_document.Section], template_sections: Sequence[TemplateSection]
) -> SectionMatch:
    """Map the file's sections to the template's by title, at the same nesting.

    Among siblings, exact titles are matched first and case- and
    whitespace-insensitive ones second, so "Use cases" only takes "Use Cases"
    when no sibling spells it exactly. A subsection is looked for only among
    the subsections of the template section its parent matched; under an extra
    section nothing matches.
    """
    children: dict[int | None, list[TemplateSection]] = {}
    for section in sorted(template_sections, key=lambda item: item.order):
        children.setdefault(section.parent_id, []).append(section)

    matched: dict[int, TemplateSection] = {}
    missing: list[TemplateSection] = []
    paths: dict[int, str] = {}

    def match_group(nodes: list[_Node], candidates: list[TemplateSection], prefix: str) -> None:
        claimed: set[int] = set()
        for key in (str, _loose):
            for node in nodes:
                if node.index in matched:
                    continue
                for candidate in candidates:
                    if candidate.pk not in claimed and key(candidate.title) == key(node.section.title):
                        matched[node.index] = candidate
                        claimed.add(candidate.pk)
                        break
        for node in nodes:
            paths[node.index] = prefix + node.section.title
            template_section = matched.get(node.index)
            below = children.get(template_section.pk, []) if template_section else []
            match_group(node.children, below, paths[node.index] + PATH_SEPARATOR)
        missing.extend(candidate for candidate in candidates if candidate.pk not in claimed)

    match_group(_section_tree(sections), children.get(None, []), "")
    missing.sort(key=lambda section: section.order)
    return SectionMatch(matched, missing, paths)


def _template_path(section: TemplateSection, by_id: dict[int, TemplateSection]) -> str:
    titles = [section.title]
    parent_id = section.parent_id
    while parent_id is not None and (parent := by_id.get(parent_id)) is not None:
        titles.insert(0, parent.title)
        parent_id = parent.parent_id
    return PATH_SEPARATOR.join(titles)


def find_blueprint_url(text: str, *, project_slug: str = "") -> str:
    """The first Launchpad blueprint link in ``text``, preferring the project's own."""
    links = []
    for match in _BLUEPRINT_LINK.finditer(text):
        # A link ending a sentence ("…/+spec/foo.") keeps the full stop otherwise.
        name = match.group("name").rstrip(".")
        url = f"https://blueprints.launchpad.net/{match.group('project')}/+spec/{name}"
        if len(url) <= _MAX_URL and is_blueprint_url(url):
            links.append((match.group("project"), url))
    for link_project, url in links:
        if link_project == project_slug:
            return url
    return links[0][1] if links else ""


def is_blueprint_url(url: str) -> bool:
    try:
        blueprint_name(url)
    except ValidationError:
        return False
    return True


def _slug_for(filename: str, blueprint_url: str, notes: list[str]) -> str:
    """The spec's name: the file's, else its blueprint's.

    The file name comes first because it is the spec's identity in its
    repository: in the corpus 108 of 255 specs are named differently from
    their blueprint and six share one blueprint, so naming them after it would
    move or merge files on export.
    """
    stem = PurePosixPath(filename.replace("\\", "/")).name.removesuffix(".rst") if filename else ""
    blueprint = blueprint_name(blueprint_url) if blueprint_url else ""
    if stem and _NAME.match(stem) and len(stem) <= _MAX_SLUG:
        if blueprint and blueprint != stem:
            notes.append(f"Named “{stem}” after the file; its blueprint is “{blueprint}”.")
        return stem
    if blueprint and len(blueprint) <= _MAX_SLUG:
        if stem:
            notes.append(
                f"The file name “{filename}” is not a spec name; named it “{blueprint}” after its blueprint."
            )
        return blueprint
    raise ValidationError(
        "Cannot name the spec: name the file after its blueprint (letters, digits, dots, dashes, "
        f"underscores or plus signs, at most {_MAX_SLUG} characters, ending in .rst), "
        "or link the blueprint in the introduction.",
        code="no_name",
    )


def _check_lengths(document: rst_document.Document) -> None:
    if len(document.title) > _MAX_TITLE:
        raise ValidationError(
            f"The title is {len(document.title)} characters long; the limit is {_MAX_TITLE}.", code="too_long"
        )
    for section in document.sections:
        if len(section.title) > _MAX_SECTION_TITLE:
            raise ValidationError(
                f"The section title “{section.title[:60]}…” is {len(section.title)} characters long; "
                f"the limit is {_MAX_SECTION_TITLE}.",
                code="too_long",
            )


def _validated(spec: Spec) -> None:
    """full_clean, with each message naming its field (the caller may show none).

    The related objects are the import's own choices, already fetched, so
    their existence is not checked again (a query each, per file).
    """
    try:
        spec.full_clean(exclude=_CHOSEN_HERE, validate_constraints=False)
    except ValidationError as error:
        messages = [
            # full_clean names the model's own fields (a reverse relation has no verbose_name).
            f"{str(getattr(Spec._meta.get_field(name), 'verbose_name', name)).capitalize()}: {message}"
            if name != "__all__"
            else message
            for name, field_messages in error.message_dict.items()
            for message in field_messages
        ]
        raise ValidationError(messages, code="invalid") from error


@transaction.atomic
def import_spec(
    *,
    actor: User,
    project: Project,
    source: bytes | str,
    release: str,
    filename: str = "",
    replace: bool = False,
    path: str = "",
) -> ImportReport:
    """Import an existing .rst spec into ``project`` for ``release``, byte for byte.

    Without ``path`` the spec is named after ``filename`` (else after the
    blueprint linked in its introduction), and that name is its identity: a
    spec of the same name is the one it replaces. With ``path``, the file's
    place in the specs repository is its identity and names it; a new spec at
    a path gets a free address (``authoring.selectors.free_slug``), the status
    its folder gives it (merged outside any status folder: the file is in the
    repository), and, when an earlier release has a spec of its name, that
    one as the spec it re-proposes.

    Its sections are linked to its template's by title; sections the template
    lacks are kept where they are, and template sections the file lacks are
    reported, not added. An existing spec is only replaced when ``replace`` is
    given and ``actor`` may edit it; importing the very text it already has
    changes nothing.
    """
    if not permissions.can_create_spec(actor, project):
        raise PermissionDenied("Sign in to import a spec.")
    text = decode_spec_file(source)
    release = release.strip()
    if not release or not _NAME.match(release):
        raise ValidationError(
            "Name the release the spec is for, such as “kilo” or “2026.1” (letters, digits, dots, "
            "dashes, underscores or plus signs).",
            code="invalid_release",
        )
    if path:
        _check_repository_path(path)
    document = rst_document.split(text)
    if not document.title:
        raise ValidationError(
            "The file has no title: a spec starts (after its licence comment) with a title "
            "adorned with = above and below, followed by its sections.",
            code="no_title",
        )
    _check_lengths(document)

    notes: list[str] = []
    blueprint_url = find_blueprint_url(document.intro, project_slug=project.slug)
    if not blueprint_url:
        notes.append("The introduction links no Launchpad blueprint.")
    name = _slug_for(filename or PurePosixPath(path).name, blueprint_url, notes)
    spec_path = path or paths.spec_path(project.spec_path_pattern, release=release, name=name)
    template = template_for(project, release=release, path=spec_path, text=text)
    if template is None:
        raise ValidationError(f"{project.name} has no template yet; load one first.", code="no_template")

    template_sections = list(template.sections.all())
    by_id = {section.pk: section for section in template_sections}
    match = match_sections(document.sections, template_sections)
    missing = [_template_path(section, by_id) for section in match.missing]
    extra = [
        match.paths[index] for index in range(len(document.sections)) if index not in match.template_sections
    ]
    if not document.sections and not template_sections:
        notes.append("A spec lite: a field list without sections, as its template.")
    elif not document.sections:
        notes.append("The file has no sections under its title (a spec-lite?).")
    notes.extend(_misplaced_notes(document, match, by_id))
    notes.extend(f"Kept as written: {problem}." for problem in rst_patch.whitespace_problems(text))

    specs = Spec.objects.select_for_update().filter(project=project)
    existing = specs.filter(path=path).first() if path else specs.filter(slug=name).first()
    if existing is not None and (path or existing.release == release) and existing.text() == text:
        notes.append(UNCHANGED_NOTE)
        return ImportReport(
            existing,
            created=False,
            replaced=False,
            missing_sections=missing,
            extra_sections=extra,
            notes=notes,
        )
    if existing is not None and not replace:
        raise ValidationError(_exists_message(project, existing, path=path, name=name), code="exists")
    if existing is not None and not permissions.can_edit_spec(actor, existing):
        raise PermissionDenied(
            f"“{existing.title}” exists and only its owner, its co-authors and staff may replace it."
        )
    if existing is not None and not path:
        # An upload replaces a working text; merged text changes only with a new change, or when
        # the repository itself (an import or sync by path) says it changed.
        permissions.ensure_text_editable(existing)

    if existing is not None:
        spec = existing
        spec.version += 1
    elif path:
        spec = Spec(
            project=project,
            slug=free_slug(project, name, release),
            name=name,
            owner=actor,
            status=paths.status_for_path(path) or SpecStatus.MERGED,
            proposed_from=_earlier_proposal(project, name, release),
        )
    else:
        spec = Spec(project=project, slug=name, name=name, owner=actor)
    # Identity by name: the spec goes where its (maybe new) release puts it.
    spec.path = path or paths.spec_path(project.spec_path_pattern, release=release, name=spec.name)
    spec.template = template
    spec.title = document.title
    spec.release = release
    spec.blueprint_url = blueprint_url
    spec.prologue = document.prologue
    spec.title_heading = document.title_heading
    spec.intro = document.intro
    _validated(spec)
    try:
        # A savepoint: two uploads of the same new file race to the unique name.
        with transaction.atomic():
            spec.save()
    except IntegrityError as error:
        raise ValidationError(
            f"{project.name} got a spec named “{spec.slug}” or at {spec.path} while this file was being "
            "imported; try again.",
            code="exists",
        ) from error
    if existing is not None:
        # The old sections go: the new text may have other sections in another order.
        existing.sections.all().delete()
    SpecSection.objects.bulk_create(
        SpecSection(
            spec=spec,
            template_section=match.template_sections.get(position),
            title=section.title,
            level=section.level,
            heading=section.heading,
            body=section.body,
            position=position,
        )
        for position, section in enumerate(document.sections)
    )
    return ImportReport(
        spec,
        created=existing is None,
        replaced=existing is not None,
        missing_sections=missing,
        extra_sections=extra,
        notes=notes,
    )


def _check_repository_path(path: str) -> None:
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path or not path.endswith(".rst"):
        raise ValidationError(
            f"“{path}” is not a spec's place in a repository: a relative path ending in .rst, without “..”.",
            code="invalid_path",
        )
    if len(path) > _MAX_PATH:
        raise ValidationError(
            f"The path {path[:60]}… is {len(path)} characters long; the limit is {_MAX_PATH}.",
            code="too_long",
        )


def _exists_message(project: Project, existing: Spec, *, path: str, name: str) -> str:
    if path:
        return (
            f"{project.name} already has {path} (“{existing.title}”), with other text than this file. "
            "Import with “replace” to overwrite it."
        )
    return (
        f"{project.name} already has a spec named “{name}” ({existing.release}: “{existing.title}”). "
        "Import with “replace” to overwrite it, or rename the file."
    )


def _earlier_proposal(project: Project, name: str, release: str) -> Spec | None:
    """The latest spec of ``name`` for a release before ``release``: the one a new spec re-proposes."""
    before = paths.release_key(release)
    earlier = [
        spec
        for spec in Spec.objects.filter(project=project, name=name).only("pk", "release")
        if paths.release_key(spec.release) < before
    ]
    return max(earlier, key=lambda spec: (paths.release_key(spec.release), spec.pk), default=None)


def _misplaced_notes(
    document: rst_document.Document, match: SectionMatch, by_id: dict[int, TemplateSection]
) -> Iterator[str]:
    """Point out an extra section that is a missing one at another nesting level."""
    missing = {_loose(section.title): section for section in match.missing}
    for index, section in enumerate(document.sections):
        if index in match.template_sections:
            continue
        template_section = missing.get(_loose(section.title))
        if template_section is not None:
            expected = _template_path(template_section, by_id)
            yield f"“{match.paths[index]}” is where the template has “{expected}”; kept it where it is."


# Export

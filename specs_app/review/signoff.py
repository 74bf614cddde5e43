"""Section sign-off: which sections of a revision still need a +1 from the groups that own them.

A project names owners for sections (``SectionOwner``: "Security impact" by the
security group). A section with owners needs, from each owning group, a +1 or
+2 by a member who is not one of the spec's authors, on the revision under
review and still counting (a new revision resets it, as it resets every vote).
A section written as "None" needs none. The approval rule
(``selectors.approval_status``) refuses approval while any sign-off is missing;
the spec and revision pages show each owned section's status.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import User as Account

from specs_app.models import Project, Revision, SectionOwner, Spec, TemplateSection, Vote
from specs_app.review import selectors as review_selectors

# What authors write in a section that does not apply: "None", "None.", "none" (and nothing else).
_NONE = re.compile(r"[\W_]*none[\W_]*", re.IGNORECASE)


def says_none(text: str) -> bool:
    """Whether a section's whole text is "None" (spaces and punctuation aside)."""
    return bool(_NONE.fullmatch(text))


def title_key(title: str) -> str:
    """How section titles are compared: case and spacing aside."""
    return " ".join(title.split()).casefold()


@dataclass(frozen=True)
class GroupSignoff:
    group: str
    # The members (none of them an author) whose +1 or +2 on the revision counts now.
    signed_by: tuple[str, ...] = ()

    @property
    def signed(self) -> bool:
        return bool(self.signed_by)


@dataclass(frozen=True)
class SectionSignoff:
    """One owned section of a revision and whose sign-off it has or lacks."""

    section_title: str
    groups: tuple[GroupSignoff, ...]
    # False when the revision has no section of that title: there is nothing to sign off.
    in_spec: bool = True
    # The section is written as "None": it needs no sign-off.
    says_none: bool = False

    @property
    def waiting_for(self) -> list[str]:
        """The owning groups whose sign-off is still needed."""
        if not self.in_spec or self.says_none:
            return []
        return [group.group for group in self.groups if not group.signed]

    @property
    def needed(self) -> bool:
        return bool(self.waiting_for)

    @property
    def kind(self) -> str:
        """For the page's badge: ``absent``, ``none``, ``signed`` or ``needed``."""
        if not self.in_spec:
            return "absent"
        if self.says_none:
            return "none"
        return "needed" if self.needed else "signed"

    @property
    def status(self) -> str:
        if not self.in_spec:
            return "not in this spec"
        if self.says_none:
            return "not needed (None)"
        signed = ", ".join(
            f"{', '.join(group.signed_by)} ({group.group})" for group in self.groups if group.signed
        )
        if not self.needed:
            return f"signed off by {signed}"
        waiting = "needs sign-off from " + _either(self.waiting_for)
        return f"{waiting}; signed off by {signed}" if signed else waiting


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class _Section:
    title: str
    # The section's body and everything under it (subsections' headings included).
    text: str


def _sections(spec: Spec, revision: Revision | None) -> list[_Section]:
    """The revision's sections (the working draft's when there is none), each with its whole text."""
    if revision is not None:
        rows = [(part["title"], part["level"], part["heading"], part["body"]) for part in revision.sections]
    else:
        rows = [(part.title, part.level, part.heading, part.body) for part in spec.sections.all()]
    found = []
    for index, (title, level, _heading, body) in enumerate(rows):
        parts = [body]
        for _title, sub_level, sub_heading, sub_body in rows[index + 1 :]:
            if sub_level <= level:
                break
            parts += [sub_heading, sub_body]
        found.append(_Section(title, "\n".join(parts)))
    return found


def section_signoffs(
    spec: Spec,
    revision: Revision | None,
    *,
    votes: list[review_selectors.CurrentVote] | None = None,
    owners: list[SectionOwner] | None = None,
) -> list[SectionSignoff]:
    """Each owned section of ``revision`` (the working draft when None) and its sign-offs, in order.

    A vote signs off when it counts now and was given on ``revision``, so an
    earlier revision (whose votes a new one reset) has none. ``votes``: the
    spec's current votes when the caller has them. At most six queries (four
    with ``votes``), whatever the number of sections, groups and reviews.
    """
    owners = owners if owners is not None else section_owners(spec.project)
    if not owners:
        return []
    groups_by_title: dict[str, list[SectionOwner]] = defaultdict(list)
    for owner in owners:
        groups_by_title[title_key(owner.section_title)].append(owner)

    signers: dict[int, list[Account]] = {}
    if revision is not None:
        votes = votes if votes is not None else review_selectors.current_votes(spec)
        authors = {spec.owner_id, *(author.pk for author in spec.co_authors.all())}
        approving = [
            vote.reviewer
            for vote in votes
            if vote.vote >= Vote.PLUS_ONE
            and vote.revision_number == revision.number
            and not vote.sticky
            and vote.reviewer.pk not in authors
        ]
        signers = _members(approving, {owner.group_id for owner in owners})

    def signoff(title: str, owned: list[SectionOwner], section: _Section | None) -> SectionSignoff:
        groups = tuple(
            GroupSignoff(
                owner.group.name,
                tuple(sorted(person.get_username() for person in signers.get(owner.group_id, []))),
            )
            for owner in sorted(owned, key=lambda owner: owner.group.name)
        )
        if section is None:
            return SectionSignoff(title, groups, in_spec=False)
        return SectionSignoff(title, groups, says_none=says_none(section.text))

    found = []
    seen = set()
    for section in _sections(spec, revision):
        key = title_key(section.title)
        if key in groups_by_title and key not in seen:
            seen.add(key)
            found.append(signoff(section.title, groups_by_title[key], section))
    for key, owned in groups_by_title.items():
        if key not in seen:
            found.append(signoff(owned[0].section_title, owned, None))
    return found


def _members(people: list[Account], group_ids: set[int]) -> dict[int, list[Account]]:
    """Which of ``people`` belong to each group, by group id (one query)."""
    if not people or not group_ids:
        return {}
    by_pk = {person.pk: person for person in people}
    memberships = Account.groups.through.objects.filter(group_id__in=group_ids, user_id__in=by_pk)
    members: dict[int, list[Account]] = defaultdict(list)
    for group_id, user_id in memberships.values_list("group_id", "user_id"):
        members[group_id].append(by_pk[user_id])
    return members


def missing_signoffs(signoffs: list[SectionSignoff]) -> list[str]:
    """What approval still needs, in the approval rule's words: one line per section."""
    return [
        f"a +1 on {signoff.section_title} from a member of {_either(signoff.waiting_for)} "
        "(or the section written as None)"
        for signoff in signoffs
        if signoff.needed
    ]


# The project's owners


def section_owners(project: Project) -> list[SectionOwner]:
    return list(SectionOwner.objects.filter(project=project).select_related("group"))


@dataclass(frozen=True)
class TemplateTitle:
    title: str
    # Where the template has it: "Proposed change / Security impact".
    path: str


def template_titles(project: Project) -> list[TemplateTitle]:
    """The headings of the project's default template (its first standard one), in order."""
    template = project.templates.filter(variant="").order_by("release").first()
    if template is None:
        return []
    rows = list(TemplateSection.objects.filter(template=template).order_by("order"))
    by_pk = {row.pk: row for row in rows}
    titles = []
    for row in rows:
        path = [row.title]
        parent = by_pk.get(row.parent_id) if row.parent_id else None
        while parent is not None:
            path.insert(0, parent.title)
            parent = by_pk.get(parent.parent_id) if parent.parent_id else None
        titles.append(TemplateTitle(row.title, " / ".join(path)))
    return titles

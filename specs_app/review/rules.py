"""Who may do what in a review. The review services call these; views only use them to hide buttons.

Kept beside ``permissions.py`` (which covers writing specs) so that the review
rules read in one place.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from specs_app.authoring.permissions import User, can_edit_spec
from specs_app.models import Attention, Comment, Project, Review, SectionOwner, Spec, Vote

OPEN_VOTES = (Vote.MINUS_ONE, Vote.ZERO, Vote.PLUS_ONE)
CORE_VOTES = (Vote.BLOCK, Vote.APPROVE)


def is_core_reviewer(user: User, project: Project) -> bool:
    if not user.is_authenticated:
        return False
    return project.core_reviewers.filter(pk=user.pk).exists()


def is_author(user: User, spec: Spec) -> bool:
    if not user.is_authenticated:
        return False
    # Through ``all()``: the spec page has the co-authors prefetched, so no query there.
    return spec.owner_id == user.pk or any(author.pk == user.pk for author in spec.co_authors.all())


def can_submit(user: User, spec: Spec) -> bool:
    """The owner, co-authors and staff submit revisions: the same people who edit."""
    return can_edit_spec(user, spec)


def can_abandon(user: User, spec: Spec) -> bool:
    """Authors and staff, and core reviewers (who clean up stale specs)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or is_author(user, spec) or is_core_reviewer(user, spec.project)


can_restore = can_abandon


def can_approve(user: User, spec: Spec) -> bool:
    """A core reviewer who is not one of the spec's authors: nobody approves their own spec."""
    return is_core_reviewer(user, spec.project) and not is_author(user, spec)


def approve_refusal(user: User, spec: Spec) -> str:
    """Why a core reviewer who wrote ``spec`` may not approve it ("" for anyone else: not a core reviewer)."""
    if is_core_reviewer(user, spec.project) and is_author(user, spec):
        return "You are an author of this spec, so you cannot approve it: " + approval_rule(spec.project)
    return ""


def approval_rule(project: Project) -> str:
    """The project's approval rule in words, as the spec page and refusals explain it."""
    needed = project.required_core_approvals
    reviewers = "a core reviewer" if needed == 1 else f"{needed} core reviewers"
    threads = ", every thread resolved" if project.approval_requires_resolved_threads else ""
    return (
        f"approval takes a +2 from {reviewers} other than the spec's authors, no -2{threads}"
        f"{_signoff_rule(project)}; then a core reviewer who is not an author approves it."
    )


def _signoff_rule(project: Project) -> str:
    """The sections the project's groups sign off, as a clause of the approval rule ("" for none)."""
    owners: dict[str, list[str]] = {}
    for owner in SectionOwner.objects.filter(project=project).select_related("group"):
        owners.setdefault(owner.section_title, []).append(owner.group.name)
    if not owners:
        return ""
    each = "; ".join(f"{title} by {' and '.join(groups)}" for title, groups in owners.items())
    return (
        f", and each owned section signed off with a +1 from a member of its group ({each}) "
        'unless it is written as "None"'
    )


def can_manage_section_owners(user: User, project: Project) -> bool:
    """Staff and the project's core reviewers say which groups sign off which sections."""
    return user.is_authenticated and (user.is_staff or is_core_reviewer(user, project))


def can_reopen(user: User, spec: Spec) -> bool:
    """Starting a new change on a merged spec: the people who edit it."""
    return can_edit_spec(user, spec)


def can_merge(user: User, spec: Spec) -> bool:
    return user.is_authenticated and (user.is_staff or is_core_reviewer(user, spec.project))


def can_comment(user: User, spec: Spec) -> bool:
    return user.is_authenticated


def can_resolve(user: User, thread: Comment) -> bool:
    """The thread's opener, or a core reviewer who is not an author of the spec, settles a thread.

    The authors answer a reviewer's thread; they do not close it themselves.
    """
    if not user.is_authenticated:
        return False
    return thread.author_id == user.pk or settles_threads(user, thread.spec)


def settles_threads(user: User, spec: Spec) -> bool:
    """Whether ``user`` may resolve anyone's thread on ``spec``: a core reviewer who is not its author."""
    return is_core_reviewer(user, spec.project) and not is_author(user, spec)


RESOLVE_REFUSAL = (
    "Only the comment's author and the project's core reviewers (other than the spec's authors) "
    "can resolve or reopen it; answer it with a reply instead."
)


def can_verify(user: User, thread: Comment) -> bool:
    """Only a thread's opener confirms a resolution someone else made (Review Board's "verifying")."""
    return user.is_authenticated and thread.author_id == user.pk


def needs_verification(user: User, thread: Comment) -> bool:
    """Whether ``user`` resolving ``thread`` leaves it for its opener to verify rather than resolved."""
    return thread.requires_verification and thread.author_id != user.pk


def allowed_votes(user: User, spec: Spec) -> tuple[int, ...]:
    """-1, 0, +1 for anyone signed in; -2 and +2 for core reviewers, but no +2 on their own spec."""
    if not user.is_authenticated:
        return ()
    if not is_core_reviewer(user, spec.project):
        return tuple(OPEN_VOTES)
    votes = {*OPEN_VOTES, *CORE_VOTES}
    if is_author(user, spec):
        votes.discard(Vote.APPROVE)
    return tuple(sorted(votes))


def vote_refusal(user: User, spec: Spec, vote: int) -> str:
    """Why ``user`` may not give ``vote`` (one not in ``allowed_votes``)."""
    if vote == Vote.APPROVE and is_core_reviewer(user, spec.project):
        return "You are an author of this spec, so you cannot +2 it: " + approval_rule(spec.project)
    return f"Only {spec.project.name}'s core reviewers can vote {vote:+d}."


def takes_part(user: User, spec: Spec) -> bool:
    """Whether ``user`` takes part in the spec's review, and so may hand its turn on.

    Its authors, the project's core reviewers, staff, anyone it waits for and
    anyone who published a review or a comment on it. One query (the spec page asks).
    """
    if not user.is_authenticated:
        return False
    if user.is_staff or spec.owner_id == user.pk:
        return True
    part = (
        Exists(Spec.co_authors.through.objects.filter(spec=OuterRef("pk"), user=user))
        | Exists(Project.core_reviewers.through.objects.filter(project=OuterRef("project"), user=user))
        | Exists(Attention.objects.filter(spec=OuterRef("pk"), user=user))
        | Exists(Review.objects.filter(spec=OuterRef("pk"), reviewer=user))
        | Exists(Comment.objects.filter(spec=OuterRef("pk"), author=user, review__isnull=False))
    )
    return Spec.objects.filter(part, pk=spec.pk).exists()


TAKE_PART_REFUSAL = (
    "Only the people taking part in this spec's review (its authors, reviewers and the project's "
    "core reviewers) can hand its turn on."
)

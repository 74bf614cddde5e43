"""Who may do what in a review. The review services call these; views only use them to hide buttons.

Kept beside ``permissions.py`` (which covers writing specs) so that the review
rules read in one place.
"""

from __future__ import annotations

from specs_app.authoring.permissions import User, can_edit_spec
from specs_app.models import Comment, Project, Spec, Vote

OPEN_VOTES = (Vote.MINUS_ONE, Vote.ZERO, Vote.PLUS_ONE)
CORE_VOTES = (Vote.BLOCK, Vote.APPROVE)


def is_core_reviewer(user: User, project: Project) -> bool:
    if not user.is_authenticated:
        return False
    return project.core_reviewers.filter(pk=user.pk).exists()


def is_author(user: User, spec: Spec) -> bool:
    if not user.is_authenticated:
        return False
    return spec.owner_id == user.pk or spec.co_authors.filter(pk=user.pk).exists()


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
    return is_core_reviewer(user, spec.project)


def can_merge(user: User, spec: Spec) -> bool:
    return user.is_authenticated and (user.is_staff or is_core_reviewer(user, spec.project))


def can_comment(user: User, spec: Spec) -> bool:
    return user.is_authenticated


def can_resolve(user: User, thread: Comment) -> bool:
    """The thread's author, the spec's owner or a core reviewer settles a thread."""
    if not user.is_authenticated:
        return False
    spec = thread.spec
    return thread.author_id == user.pk or spec.owner_id == user.pk or is_core_reviewer(user, spec.project)


def allowed_votes(user: User, project: Project) -> tuple[int, ...]:
    if not user.is_authenticated:
        return ()
    if is_core_reviewer(user, project):
        return tuple(sorted((*OPEN_VOTES, *CORE_VOTES)))
    return tuple(OPEN_VOTES)

"""Reads of the review workflow: revisions, votes, threads, approval, the dashboard.

Each read takes a fixed number of queries however many revisions, reviews and
comments a spec has; pages list hundreds of comments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from specs_app.models import (
    AnchorState,
    Comment,
    CommentAnchor,
    CommentKind,
    Notification,
    Review,
    Revision,
    Spec,
    SpecStatus,
    ThreadState,
    Vote,
)

# Whoever asks: a signed-in account or an anonymous visitor.
User = Account | AnonymousUser


def latest_revision(spec: Spec) -> Revision | None:
    return spec.revisions.order_by("-number").first()


def revision_by_number(spec: Spec, number: int) -> Revision:
    """The spec's revision ``number``; raises ``Revision.DoesNotExist``."""
    return Revision.objects.select_related("author").get(spec=spec, number=number)


def revision_list(spec: Spec) -> list[Revision]:
    """The spec's revisions, newest first, without their (long) texts."""
    return list(spec.revisions.select_related("author").defer("text", "sections").order_by("-number"))


# Votes and approval


@dataclass(frozen=True)
class CurrentVote:
    reviewer: Account
    vote: int
    revision_number: int
    # A -2 given on an earlier revision: it counts until its author changes it.
    sticky: bool

    @property
    def label(self) -> str:
        return f"{self.vote:+d}" if self.vote else "0"


def _reviews(spec: Spec) -> list[Review]:
    return list(
        Review.objects.filter(spec=spec).select_related("reviewer", "revision").order_by("published_at", "pk")
    )


def current_votes(
    spec: Spec, *, latest: Revision | None = None, reviews: list[Review] | None = None
) -> list[CurrentVote]:
    """The votes that count now: each reviewer's last review on the latest revision, or a standing -2."""
    latest = latest if latest is not None else latest_revision(spec)
    if latest is None:
        return []
    reviews = reviews if reviews is not None else _reviews(spec)
    last_by_reviewer: dict[int, Review] = {}
    for review in reviews:
        last_by_reviewer[review.reviewer_id] = review
    votes = []
    for review in last_by_reviewer.values():
        on_latest = review.revision_id == latest.pk
        if on_latest or review.vote == Vote.BLOCK:
            votes.append(
                CurrentVote(review.reviewer, review.vote, review.revision.number, sticky=not on_latest)
            )
    return sorted(votes, key=lambda vote: (-abs(vote.vote), vote.reviewer.get_username()))


def current_vote(spec: Spec, user: User, *, votes: list[CurrentVote] | None = None) -> int:
    """The user's vote that counts now (0 when none): what publishing without a vote keeps."""
    if not user.is_authenticated:
        return Vote.ZERO
    votes = votes if votes is not None else current_votes(spec)
    return next((vote.vote for vote in votes if vote.reviewer.pk == user.pk), Vote.ZERO)


def unresolved_threads(spec: Spec) -> QuerySet[Comment]:
    return Comment.objects.filter(
        spec=spec, parent__isnull=True, review__isnull=False, state=ThreadState.OPEN
    )


@dataclass(frozen=True)
class ApprovalStatus:
    ready: bool
    missing: list[str]
    votes: list[CurrentVote]
    unresolved: int


def approval_status(
    spec: Spec, *, votes: list[CurrentVote] | None = None, unresolved: int | None = None
) -> ApprovalStatus:
    """Whether a core reviewer may approve the spec now, and if not, what is missing."""
    votes = votes if votes is not None else current_votes(spec)
    unresolved = unresolved if unresolved is not None else unresolved_threads(spec).count()
    missing = []
    if spec.status != SpecStatus.IN_REVIEW:
        missing.append(f"the spec must be in review (it is {spec.get_status_display().lower()})")
    if not any(vote.vote == Vote.APPROVE for vote in votes):
        missing.append("a +2 from a core reviewer")
    blockers = [vote.reviewer.get_username() for vote in votes if vote.vote == Vote.BLOCK]
    if blockers:
        missing.append("no -2 (given by " + ", ".join(blockers) + ")")
    if spec.project.approval_requires_resolved_threads and unresolved:
        missing.append(f"{unresolved} unresolved thread{'s' if unresolved != 1 else ''} to resolve")
    return ApprovalStatus(ready=not missing, missing=missing, votes=votes, unresolved=unresolved)


def last_reviewed_revision(spec: Spec, user: User) -> Revision | None:
    """The revision the user last voted on, to show them what changed since."""
    if not user.is_authenticated:
        return None
    review = (
        Review.objects.filter(spec=spec, reviewer=user)
        .select_related("revision")
        .order_by("-published_at", "-pk")
        .first()
    )
    return review.revision if review else None


# Threads


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)
    # Where the thread sits in the revision shown; None for a comment on the whole spec.
    anchor: CommentAnchor | None = None

    @property
    def outdated(self) -> bool:
        return self.anchor is not None and self.anchor.state == AnchorState.OUTDATED

    @property
    def line(self) -> int | None:
        return self.anchor.line_start if self.anchor is not None else None

    @property
    def resolved(self) -> bool:
        return self.comment.state == ThreadState.RESOLVED


def threads(spec: Spec, *, viewer: User, revision: Revision | None) -> list[Thread]:
    """The threads a viewer sees on ``revision``: published ones and the viewer's drafts.

    Passages and sections are placed by their anchor on ``revision``; a thread
    started on a later revision is left out, one that could not be carried
    comes back outdated. Three queries, whatever the number of comments.
    """
    visible = Q(review__isnull=False)
    if viewer.is_authenticated:
        visible |= Q(author=viewer)
    comments = list(
        Comment.objects.filter(visible, spec=spec)
        .select_related("author", "revision", "resolved_by")
        .order_by("created_at", "pk")
    )
    placed = {}
    if revision is not None:
        placed = {
            row.comment_id: row for row in CommentAnchor.objects.filter(revision=revision, comment__spec=spec)
        }
    by_root: dict[int, Thread] = {}
    for comment in comments:
        if comment.parent_id is None:
            by_root[comment.pk] = Thread(comment, anchor=placed.get(comment.pk))
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in by_root:
            by_root[comment.parent_id].replies.append(comment)
    shown = [
        thread
        for thread in by_root.values()
        if thread.comment.kind == CommentKind.GENERAL or thread.anchor is not None or revision is None
    ]
    return sorted(shown, key=lambda thread: (thread.line is None, thread.line or 0, thread.comment.pk))


def draft_count(spec: Spec, viewer: User) -> int:
    if not viewer.is_authenticated:
        return 0
    return Comment.objects.filter(spec=spec, author=viewer, review__isnull=True).count()


# Dashboard and notifications


@dataclass
class DashboardRow:
    spec: Spec
    unresolved: int = 0
    unresolved_by_section: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Dashboard:
    my_specs: list[DashboardRow]
    to_review: list[DashboardRow]


def specs_to_review(user: Account) -> QuerySet[Spec]:
    """Specs in review that wait for the user's vote on their latest revision.

    The user is a core reviewer of the project, or has commented or voted on
    the spec; their own specs are not in the list.
    """
    latest = Revision.objects.filter(spec=OuterRef("spec")).order_by("-number").values("pk")[:1]
    voted_on_latest = Review.objects.filter(spec=OuterRef("pk"), reviewer=user, revision=Subquery(latest))
    involved = (
        Q(project__core_reviewers=user)
        | Q(pk__in=Comment.objects.filter(author=user, review__isnull=False).values("spec"))
        | Q(pk__in=Review.objects.filter(reviewer=user).values("spec"))
    )
    candidates = Spec.objects.filter(involved, status=SpecStatus.IN_REVIEW).exclude(owner=user).values("pk")
    return (
        Spec.objects.filter(pk__in=candidates)
        .exclude(Exists(voted_on_latest))
        .select_related("project", "owner")
        .order_by("-updated_at")
    )


def my_specs(user: Account) -> QuerySet[Spec]:
    authored = Spec.objects.filter(Q(owner=user) | Q(co_authors=user)).values("pk")
    return Spec.objects.filter(pk__in=authored).select_related("project", "owner").order_by("-updated_at")


def dashboard(user: Account) -> Dashboard:
    mine = list(my_specs(user))
    waiting = list(specs_to_review(user))
    open_threads = (
        Comment.objects.filter(
            spec__in=[spec.pk for spec in {*mine, *waiting}],
            parent__isnull=True,
            review__isnull=False,
            state=ThreadState.OPEN,
        )
        .values("spec_id", "section_title")
        .annotate(count=Count("pk"))
        .order_by("spec_id", "section_title")
    )
    by_spec: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for group in open_threads:
        by_spec[group["spec_id"]].append((group["section_title"] or "Whole spec", group["count"]))

    def row(spec: Spec) -> DashboardRow:
        sections = by_spec.get(spec.pk, [])
        return DashboardRow(spec, sum(count for _, count in sections), sections)

    return Dashboard(my_specs=[row(spec) for spec in mine], to_review=[row(spec) for spec in waiting])


def notification_list(user: Account) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor", "spec__project")


def unread_notification_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# The REST API's reads (specs_app.api.review)


def published_reviews(spec: Spec) -> QuerySet[Review]:
    """The spec's published reviews, oldest first, each with the number of comments it published."""
    return (
        Review.objects.filter(spec=spec)
        .select_related("reviewer", "revision")
        .annotate(comment_count=Count("comments"))
        .order_by("published_at", "pk")
    )


def visible_comment(spec: Spec, comment_id: int, *, viewer: User) -> Comment:
    """One comment of the spec the viewer may see: published, or their own draft.

    Raises ``Comment.DoesNotExist`` for any other (someone else's draft is not there for them).
    """
    visible = Q(review__isnull=False)
    if viewer.is_authenticated:
        visible |= Q(author=viewer)
    return (
        Comment.objects.filter(visible, spec=spec, pk=comment_id)
        .select_related("spec__project", "author", "revision", "resolved_by", "parent")
        .get()
    )

"""Reads of the review workflow: revisions, votes, threads, approval, the dashboard.

Each read takes a fixed number of queries however many revisions, reviews and
comments a spec has; pages list hundreds of comments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from specs_app.models import (
    AnchorState,
    Attention,
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

if TYPE_CHECKING:
    from specs_app.review.signoff import SectionSignoff
    from specs_app.review.suggestions import SuggestionCheck

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


# Where a spec stands for its latest revision: reviewers read it and downloads carry it, not
# the working draft its authors may have changed since (a merged spec's text is locked anyway).
REVISION_STATUSES = (SpecStatus.IN_REVIEW, SpecStatus.APPROVED, SpecStatus.MERGED, SpecStatus.IMPLEMENTED)


def revision_of_record(spec: Spec) -> Revision | None:
    """The revision under review, approved or merged; None where the working draft is the spec's text.

    A draft or abandoned spec, and one imported as merged without any revision, has none.
    """
    if spec.status not in REVISION_STATUSES:
        return None
    return latest_revision(spec)


@dataclass(frozen=True)
class ShownText:
    """The text the spec page shows, and which it is."""

    text: str
    # The revision shown; None when the working draft is shown.
    revision: Revision | None
    # The revision that stands for the spec (see ``revision_of_record``), shown or not.
    of_record: Revision | None
    # The working draft differs from ``of_record``: the authors changed it since submitting.
    draft_changed: bool

    @property
    def is_draft(self) -> bool:
        return self.revision is None


def shown_text(spec: Spec, *, draft: bool = False) -> ShownText:
    """The revision of record, or (asked for with ``draft``, or when there is none) the working draft."""
    record = revision_of_record(spec)
    working = spec.text()
    if record is None:
        return ShownText(working, revision=None, of_record=None, draft_changed=False)
    changed = working != record.text
    if draft and changed:
        return ShownText(working, revision=None, of_record=record, draft_changed=True)
    return ShownText(record.text, revision=record, of_record=record, draft_changed=changed)


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
        Review.objects.filter(spec=spec)
        .select_related("reviewer", "revision")
        .defer("revision__text", "revision__sections")  # read per review, shown by number
        .order_by("published_at", "pk")
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
    """Published threads not resolved: open ones, and resolved ones their opener has yet to verify."""
    return Comment.objects.filter(spec=spec, parent__isnull=True, review__isnull=False).exclude(
        state=ThreadState.RESOLVED
    )


@dataclass(frozen=True)
class ApprovalStatus:
    ready: bool
    missing: list[str]
    votes: list[CurrentVote]
    unresolved: int
    # The +2s that count: from core reviewers other than the spec's authors.
    approvers: list[Account] = field(default_factory=list)
    required: int = 1


def approval_status(
    spec: Spec,
    *,
    votes: list[CurrentVote] | None = None,
    unresolved: int | None = None,
    signoffs: list[SectionSignoff] | None = None,
) -> ApprovalStatus:
    """Whether a core reviewer may approve the spec now, and if not, what is missing.

    The project's rule (``review.rules.approval_rule``): a +2 from
    ``required_core_approvals`` core reviewers other than the spec's authors,
    no -2, (per project) every thread resolved, and each owned section signed
    off by its groups (``review.signoff``). An author's own +2, or one from
    someone no longer a core reviewer, does not count. ``signoffs``: the
    latest revision's, when the caller has them.
    """
    # Here, not at the top: the sign-off module reads votes through this one.
    from specs_app.review import signoff

    votes = votes if votes is not None else current_votes(spec)
    if signoffs is None:
        signoffs = signoff.section_signoffs(spec, latest_revision(spec), votes=votes)
    unresolved = unresolved if unresolved is not None else unresolved_threads(spec).count()
    project = spec.project
    required = project.required_core_approvals
    authors = {spec.owner_id, *(author.pk for author in spec.co_authors.all())}
    cores = set(project.core_reviewers.values_list("pk", flat=True))
    approvers = [
        vote.reviewer
        for vote in votes
        if vote.vote == Vote.APPROVE and vote.reviewer.pk in cores and vote.reviewer.pk not in authors
    ]
    missing = []
    if spec.status != SpecStatus.IN_REVIEW:
        missing.append(f"the spec must be in review (it is {spec.get_status_display().lower()})")
    if len(approvers) < required:
        reviewers = "a core reviewer" if required == 1 else f"{required} core reviewers"
        names = ", ".join(person.get_username() for person in approvers)
        so_far = f"{len(approvers)} so far" + (f": {names}" if names else "")
        missing.append(f"a +2 from {reviewers} other than the spec's authors ({so_far})")
        available = len(cores - authors)
        if available < required:
            missing.append(
                f"{required - available} more core reviewer{'s' if required - available != 1 else ''} in "
                f"{project.name}: it has {available} besides the spec's authors (an administrator adds them)"
            )
    blockers = [vote.reviewer.get_username() for vote in votes if vote.vote == Vote.BLOCK]
    if blockers:
        missing.append("no -2 (given by " + ", ".join(blockers) + ")")
    if spec.project.approval_requires_resolved_threads and unresolved:
        missing.append(f"{unresolved} unresolved thread{'s' if unresolved != 1 else ''} to resolve")
    missing += signoff.missing_signoffs(signoffs)
    return ApprovalStatus(
        ready=not missing,
        missing=missing,
        votes=votes,
        unresolved=unresolved,
        approvers=approvers,
        required=required,
    )


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
    # The passage's text in the revision shown (it may differ from the quote made on an older
    # one): the page highlights it. Empty unless an inline comment is placed on that revision.
    passage: str = ""
    # Whether its suggested edit applies to the working draft now: set by the pages that offer
    # to apply it (``suggestions.check_suggestions``); None for a plain comment.
    suggestion: SuggestionCheck | None = None

    @property
    def outdated(self) -> bool:
        return self.anchor is not None and self.anchor.state == AnchorState.OUTDATED

    @property
    def line(self) -> int | None:
        return self.anchor.line_start if self.anchor is not None else None

    @property
    def resolved(self) -> bool:
        return self.comment.state == ThreadState.RESOLVED

    @property
    def is_open(self) -> bool:
        return self.comment.state == ThreadState.OPEN

    @property
    def verifying(self) -> bool:
        """Resolved by someone other than its opener, who has yet to verify it."""
        return self.comment.state == ThreadState.VERIFYING


def _passage(comment: Comment, anchor: CommentAnchor | None, revision: Revision | None) -> str:
    if revision is None or anchor is None or comment.kind != CommentKind.INLINE:
        return ""
    if anchor.start is None or anchor.end is None:  # outdated: not on this revision
        return ""
    return revision.text[anchor.start : anchor.end]


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
        .select_related("author", "revision", "resolved_by", "suggestion_applied_by")
        # Each comment's revision comes with it: its text and sections (JSON) once a comment were
        # most of the query's time, and read and decoded for nothing (the threads show its number).
        .defer("revision__text", "revision__sections")
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
            anchor = placed.get(comment.pk)
            by_root[comment.pk] = Thread(comment, anchor=anchor, passage=_passage(comment, anchor, revision))
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


# The dashboard's lists, each paginated on its own: ``?<name>_page=`` (bookmarkable).
DASHBOARD_SECTIONS = ("turn", "review", "mine")
DASHBOARD_PAGE_SIZE = 20


@dataclass
class DashboardRow:
    spec: Spec
    unresolved: int = 0
    unresolved_by_section: list[tuple[str, int]] = field(default_factory=list)
    # The spec's newest review, its message shown beside the spec.
    latest_review: Review | None = None
    # The viewer's turn on the spec (why, since when); None when it does not wait for them.
    turn: Attention | None = None
    # Everyone the spec waits for, longest-waiting first (see ``review.attention``).
    waiting_for: list[Attention] = field(default_factory=list)


@dataclass
class Dashboard:
    my_specs: list[DashboardRow]
    to_review: list[DashboardRow]
    # Specs waiting for the viewer, longest-waiting first.
    your_turn: list[DashboardRow] = field(default_factory=list)
    # Each list's page (of specs), by its name in ``DASHBOARD_SECTIONS``.
    pages: dict[str, Page] = field(default_factory=dict)


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


def _turn_first(specs: QuerySet[Spec], user: Account) -> QuerySet[Spec]:
    """``specs`` with those waiting for ``user`` on top, the rest in their order."""
    waits = Attention.objects.filter(spec=OuterRef("pk"), user=user)
    return specs.annotate(user_turn=Exists(waits)).order_by("-user_turn", "-updated_at", "-pk")


def dashboard(user: Account, *, pages: dict[str, str | None] | None = None) -> Dashboard:
    """The user's dashboard: whose turn, what to review, their own specs, each list one page of them.

    ``pages`` are the page numbers asked for, by section; a number that is not
    one gives the first page, one past the end the last. A fixed number of
    queries however many specs the lists have.
    """
    pages = pages or {}

    def page_of(name: str, items: QuerySet) -> Page:
        return Paginator(items, DASHBOARD_PAGE_SIZE).get_page(pages.get(name))

    turns = page_of(
        "turn",
        Attention.objects.filter(user=user)
        .select_related("spec__project", "spec__owner")
        .defer("spec__search_vector")
        .order_by("since", "pk"),
    )
    waiting = page_of("review", _turn_first(specs_to_review(user).defer("search_vector"), user))
    mine = page_of("mine", _turn_first(my_specs(user).defer("search_vector"), user))
    turn_specs = [turn.spec for turn in turns.object_list]
    ids = {spec.pk for spec in [*turn_specs, *waiting.object_list, *mine.object_list]}
    open_threads = (
        # Unresolved: open, or awaiting their opener's verification.
        Comment.objects.filter(spec__in=ids, parent__isnull=True, review__isnull=False)
        .exclude(state=ThreadState.RESOLVED)
        .values("spec_id", "section_title")
        .annotate(count=Count("pk"))
        .order_by("spec_id", "section_title")
    )
    by_spec: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for group in open_threads:
        by_spec[group["spec_id"]].append((group["section_title"] or "Whole spec", group["count"]))

    newest = latest_reviews(list(ids))
    turns_by_spec: dict[int, list[Attention]] = defaultdict(list)
    for turn in Attention.objects.filter(spec__in=ids).select_related("user").order_by("since", "pk"):
        turns_by_spec[turn.spec_id].append(turn)

    def row(spec: Spec) -> DashboardRow:
        sections = by_spec.get(spec.pk, [])
        waits = turns_by_spec.get(spec.pk, [])
        return DashboardRow(
            spec,
            sum(count for _, count in sections),
            sections,
            newest.get(spec.pk),
            turn=next((turn for turn in waits if turn.user_id == user.pk), None),
            waiting_for=waits,
        )

    return Dashboard(
        my_specs=[row(spec) for spec in mine.object_list],
        to_review=[row(spec) for spec in waiting.object_list],
        your_turn=[row(spec) for spec in turn_specs],
        pages={"turn": turns, "review": waiting, "mine": mine},
    )


def notification_list(user: Account, *, unread: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first; only those not yet read when ``unread``."""
    notifications = Notification.objects.filter(recipient=user)
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.select_related("actor", "spec__project", "review__revision")


def notification_of(user: Account, notification_id: int) -> Notification:
    """One of the user's own notifications; raises ``Notification.DoesNotExist`` for anyone else's."""
    return Notification.objects.select_related("actor", "spec__project").get(
        recipient=user, pk=notification_id
    )


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
        .defer("revision__text", "revision__sections")  # read per review, shown by number
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


# Review history: every published review, kept when a new revision resets the votes


class Standing:
    """Whether a review's vote counts now, and if not, why."""

    COUNTS = "counts"
    # The reviewer published a later review on the same revision.
    REPLACED = "replaced"
    # On an earlier revision than the latest: votes reset when a revision is submitted (a -2
    # stands until its reviewer votes again).
    RESET = "reset"


@dataclass(frozen=True)
class HistoryEntry:
    review: Review  # with ``comment_count``, the comments it published
    standing: str  # a ``Standing``

    @property
    def counts(self) -> bool:
        return self.standing == Standing.COUNTS


@dataclass(frozen=True)
class RevisionReviews:
    """A revision and the reviews published on it, oldest first."""

    revision: Revision
    entries: list[HistoryEntry]


def review_history(spec: Spec, *, first: int | None = None, last: int | None = None) -> list[RevisionReviews]:
    """Who voted what on which revision, with their messages; revisions newest first.

    ``first`` and ``last`` keep revisions in that range of numbers. Two
    queries, however many revisions and reviews.
    """
    revisions = revision_list(spec)
    reviews = list(published_reviews(spec))
    standing = _standings(spec, reviews, latest=revisions[0] if revisions else None)
    by_revision: dict[int, list[HistoryEntry]] = defaultdict(list)
    for review in reviews:
        by_revision[review.revision_id].append(HistoryEntry(review, standing[review.pk]))
    return [
        RevisionReviews(revision, by_revision.get(revision.pk, []))
        for revision in revisions
        if (first is None or revision.number >= first) and (last is None or revision.number <= last)
    ]


def review_standings(spec: Spec, *, reviews: list[Review] | None = None) -> dict[int, str]:
    """Each published review's ``Standing``, by review id (``reviews``: all the spec's, if read already)."""
    reviews = reviews if reviews is not None else list(published_reviews(spec))
    return _standings(spec, reviews, latest=latest_revision(spec))


def _standings(spec: Spec, reviews: list[Review], *, latest: Revision | None) -> dict[int, str]:
    """``reviews`` (all the spec's, oldest first): whether each one's vote counts now, by id."""
    counting = {vote.reviewer.pk for vote in current_votes(spec, latest=latest, reviews=reviews)}
    newest = {(review.reviewer_id, review.revision_id): review.pk for review in reviews}
    newest_by_reviewer = {review.reviewer_id: review.pk for review in reviews}
    standings = {}
    for review in reviews:
        if newest_by_reviewer[review.reviewer_id] == review.pk and review.reviewer_id in counting:
            standings[review.pk] = Standing.COUNTS
        elif newest[review.reviewer_id, review.revision_id] != review.pk:
            standings[review.pk] = Standing.REPLACED
        else:
            standings[review.pk] = Standing.RESET
    return standings


def latest_reviews(spec_ids: list[int]) -> dict[int, Review]:
    """Each spec's newest published review, by spec id, in one query."""
    newest = Review.objects.filter(spec=OuterRef("spec")).order_by("-published_at", "-pk").values("pk")[:1]
    reviews = Review.objects.filter(spec_id__in=spec_ids, pk=Subquery(newest)).select_related(
        "reviewer", "revision"
    )
    return {review.spec_id: review for review in reviews}


# A lineage's earlier releases (specs_app.authoring.selectors.lineage)


@dataclass(frozen=True)
class ReviewSummary:
    """How a spec's review went: its revisions and the votes standing on the latest."""

    revision_count: int
    latest: Revision | None
    votes: list[CurrentVote]


def review_summaries(specs: list[Spec]) -> dict[int, ReviewSummary]:
    """Each spec's review summary, by spec id: two queries however many specs and reviews."""
    revisions: dict[int, list[Revision]] = defaultdict(list)
    for revision in Revision.objects.filter(spec__in=specs).defer("text", "sections").order_by("number"):
        revisions[revision.spec_id].append(revision)
    reviews: dict[int, list[Review]] = defaultdict(list)
    for review in (
        Review.objects.filter(spec__in=specs)
        .select_related("reviewer", "revision")
        .defer("revision__text", "revision__sections")
        .order_by("published_at", "pk")
    ):
        reviews[review.spec_id].append(review)
    summaries = {}
    for spec in specs:
        latest = revisions[spec.pk][-1] if revisions[spec.pk] else None
        votes = current_votes(spec, latest=latest, reviews=reviews[spec.pk]) if latest else []
        summaries[spec.pk] = ReviewSummary(len(revisions[spec.pk]), latest, votes)
    return summaries

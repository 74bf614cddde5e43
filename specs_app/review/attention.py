"""Whose turn it is on a spec: its attention set (Gerrit's), kept by the review services on every event.

The rules, from the spec's state (``expected``):

- In review, revision N. The *reviewers* are everyone other than the authors
  who published a review or a comment on the spec, on any revision; while
  nobody has, the project's core reviewers stand in. Each reviewer who has not
  published a review of revision N waits ("new revision N to review").
- The authors (owner and co-authors) wait after a negative vote on revision N
  ("-1 from bob"), and for open threads whose last published word is a
  reviewer's and came after revision N was submitted ("2 unresolved threads"):
  submitting a new revision answers what came before it.
- A thread's opener waits once an author has answered it last and the opener
  has not published anything since ("the authors answered 1 of your threads"),
  and while someone else's resolution of it awaits their verification.
- The project's core reviewers (not the authors) who have not reviewed
  revision N wait when it has positive votes, no negative one and no open
  thread ("ready for core review"); all of them once it can be approved.
- Approved: the core reviewers, to merge it. Draft, merged, abandoned,
  implemented: it waits for nobody.

``refresh`` applies the rules after an event, Gerrit's way: whoever acted
leaves the set unless the rules still want them (an author who answered one
thread of three), people are added when the rules name them, and someone the
turn was handed to (``hand_turn``) keeps it until they act or the spec closes.
Anyone in the set keeps the time they were first added (``since``): the
dashboard lists the longest-waiting first. Removing yourself (``leave_turn``)
holds until the next event on the spec, when the rules apply again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from specs_app.models import Attention, Comment, Review, Revision, Spec, SpecStatus, ThreadState
from specs_app.review import notifications
from specs_app.review import rules as can
from specs_app.review import selectors as review_selectors

# The statuses in which a spec waits for someone; any other clears its set.
WAITING_STATUSES = (SpecStatus.IN_REVIEW, SpecStatus.APPROVED)
# How a handed-on turn's reason starts: such a row outlives the rules until its person acts.
HANDED_ON = "handed on by "
MAX_REASON_CHARACTERS = Attention._meta.get_field("reason").max_length or 200
# What a person may add to "handed on by alice: ..." (the rest of the reason is the names).
MAX_HAND_ON_NOTE = 150


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _clip(text: str) -> str:
    return text if len(text) <= MAX_REASON_CHARACTERS else text[: MAX_REASON_CHARACTERS - 1] + "…"


def _from(vote: review_selectors.CurrentVote) -> str:
    return f"{vote.label} from {vote.reviewer.get_username()}"


@dataclass
class _Wanted:
    """Who the rules want, each with their reasons in the order the rules gave them."""

    users: dict[int, User] = field(default_factory=dict)
    reasons: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, user: User, reason: str) -> None:
        if not user.is_active:
            return
        self.users.setdefault(user.pk, user)
        if reason not in self.reasons[user.pk]:
            self.reasons[user.pk].append(reason)

    def reason(self, user_id: int) -> str:
        return _clip("; ".join(self.reasons[user_id]))


def expected(spec: Spec) -> dict[int, tuple[User, str]]:
    """Whom ``spec`` waits for by the rules (see the module), by user id, with the reason in words."""
    wanted = _Wanted()
    authors = notifications.authors_of(spec)
    author_ids = {author.pk for author in authors}
    cores = [user for user in spec.project.core_reviewers.all() if user.pk not in author_ids]
    if spec.status == SpecStatus.APPROVED:
        for core in cores:
            wanted.add(core, "approved: ready to merge")
    elif spec.status == SpecStatus.IN_REVIEW:
        latest = review_selectors.latest_revision(spec)
        if latest is not None:
            _in_review(spec, latest, authors, cores, wanted)
    return {user_id: (user, wanted.reason(user_id)) for user_id, user in wanted.users.items()}


def _in_review(spec: Spec, latest: Revision, authors: list[User], cores: list[User], wanted: _Wanted) -> None:
    author_ids = {author.pk for author in authors}
    reviews = list(Review.objects.filter(spec=spec).select_related("reviewer").order_by("published_at", "pk"))
    comments = list(
        Comment.objects.filter(spec=spec, review__isnull=False)
        .select_related("author", "review")
        .order_by("review__published_at", "pk")
    )
    last_published: dict[int, datetime] = {}
    for review in reviews:
        last_published[review.reviewer_id] = review.published_at

    # Reviewers: a new revision waits for each one who has not reviewed it.
    reviewers: dict[int, User] = {}
    for person in [*(review.reviewer for review in reviews), *(comment.author for comment in comments)]:
        if person.pk not in author_ids:
            reviewers.setdefault(person.pk, person)
    if not reviewers:
        reviewers = {core.pk: core for core in cores}
    reviewed_latest = {review.reviewer_id for review in reviews if review.revision_id == latest.pk}
    to_review = f"new revision {latest.number} to review" if latest.number > 1 else "revision 1 to review"
    for person in reviewers.values():
        if person.pk not in reviewed_latest:
            wanted.add(person, to_review)

    # Votes on this revision that ask the authors for changes.
    votes = review_selectors.current_votes(spec, latest=latest, reviews=reviews)
    against = [_from(vote) for vote in votes if vote.vote < 0 and not vote.sticky]
    for_authors = [", ".join(against)] if against else []

    # Open threads: whoever spoke last is waited on by the other side.
    threads: dict[int, list[Comment]] = defaultdict(list)
    for comment in comments:
        threads[comment.parent_id or comment.pk].append(comment)
    open_threads = 0
    unanswered = 0
    answered_for: dict[int, int] = defaultdict(int)
    openers: dict[int, User] = {}
    to_verify: dict[int, int] = defaultdict(int)
    for thread_id, thread in threads.items():
        root = next((comment for comment in thread if comment.pk == thread_id), None)
        if root is not None and root.state == ThreadState.VERIFYING:
            to_verify[root.author_id] += 1
            openers[root.author_id] = root.author
        if root is None or root.state != ThreadState.OPEN:
            continue
        open_threads += 1
        last = thread[-1]
        assert last.review is not None  # published comments only
        if last.author_id not in author_ids:
            if last.review.published_at > latest.created_at:
                unanswered += 1
        elif root.author_id not in author_ids:
            opener_spoke = last_published.get(root.author_id)
            if opener_spoke is None or last.review.published_at > opener_spoke:
                answered_for[root.author_id] += 1
                openers[root.author_id] = root.author
    if unanswered:
        for_authors.append(_plural(unanswered, "unresolved thread"))
    for author in authors:
        for reason in for_authors:
            wanted.add(author, reason)
    for opener_id, count in answered_for.items():
        wanted.add(openers[opener_id], f"the authors answered {count} of your threads")
    for opener_id, count in to_verify.items():
        wanted.add(openers[opener_id], f"{_plural(count, 'resolution')} of your threads to verify")

    # Core reviewers: once the others like it and nothing is open.
    unresolved = open_threads + sum(to_verify.values())
    status = review_selectors.approval_status(spec, votes=votes, unresolved=unresolved)
    if status.ready:
        for core in cores:
            wanted.add(core, "ready to approve")
    elif any(vote.vote > 0 for vote in votes) and all(vote.vote >= 0 for vote in votes) and not unresolved:
        liked = ", ".join(_from(vote) for vote in votes if vote.vote > 0)
        for core in cores:
            if core.pk not in reviewed_latest:
                wanted.add(core, f"{liked}, no open threads: ready for core review")


@transaction.atomic
def refresh(spec: Spec, *, actor: User | None = None) -> None:
    """Bring the spec's set up to date after ``actor`` acted (see the module for how)."""
    rows = {row.user_id: row for row in Attention.objects.select_for_update().filter(spec=spec)}
    if spec.status not in WAITING_STATUSES:
        Attention.objects.filter(spec=spec).delete()
        return
    wanted = expected(spec)
    actor_id = actor.pk if actor is not None else None
    gone = [
        row.pk
        for user_id, row in rows.items()
        if user_id not in wanted and (user_id == actor_id or not row.reason.startswith(HANDED_ON))
    ]
    if gone:
        Attention.objects.filter(pk__in=gone).delete()
    changed = []
    for user_id, (_, reason) in wanted.items():
        row = rows.get(user_id)
        if row is not None and row.reason != reason:
            row.reason = reason
            changed.append(row)
    if changed:
        Attention.objects.bulk_update(changed, ["reason"])
    Attention.objects.bulk_create(
        [
            Attention(spec=spec, user=user, reason=reason)
            for user_id, (user, reason) in wanted.items()
            if user_id not in rows
        ]
    )


def recompute_all(specs: list[Spec] | None = None) -> int:
    """Apply the rules afresh to every spec (or the given ones), as if after an event by nobody."""
    specs = specs if specs is not None else list(Spec.objects.select_related("project", "owner"))
    for spec in specs:
        refresh(spec)
    return len(specs)


# Reads


def waiting_for(spec: Spec) -> list[Attention]:
    """The spec's set, longest-waiting first."""
    return list(Attention.objects.filter(spec=spec).select_related("user").order_by("since", "pk"))


def candidates(spec: Spec) -> list[User]:
    """Whom the spec page offers to hand the turn to: the authors, its reviewers and core reviewers.

    The API takes any active account.
    """
    return list(
        get_user_model()
        .objects.filter(
            Q(pk=spec.owner_id)
            | Q(pk__in=spec.co_authors.values("pk"))
            | Q(pk__in=spec.project.core_reviewers.values("pk"))
            | Q(pk__in=Review.objects.filter(spec=spec).values("reviewer"))
            | Q(pk__in=Comment.objects.filter(spec=spec, review__isnull=False).values("author")),
            is_active=True,
        )
        .order_by("username")
    )


# Writes


def _open(spec: Spec) -> None:
    if spec.status not in WAITING_STATUSES:
        raise ValidationError(
            f"This spec is {spec.get_status_display().lower()}: it waits for nobody.", code="closed"
        )


def _person(username_or_user: User | str, what: str) -> User:
    if isinstance(username_or_user, User):
        if not username_or_user.is_active:
            raise ValidationError({what: f"{username_or_user.get_username()}'s account is not active."})
        return username_or_user
    account = get_user_model().objects.filter(username=username_or_user, is_active=True).first()
    if account is None:
        raise ValidationError({what: f"There is no active account named “{username_or_user[:50]}”."})
    return account


@transaction.atomic
def hand_turn(
    *,
    actor: User,
    spec: Spec,
    to_user: User | str,
    from_user: User | str | None = None,
    reason: str = "",
) -> Attention:
    """Give ``to_user`` the turn on ``spec``, taking it from ``from_user`` (if given).

    Anyone taking part in the review (``rules.takes_part``) may hand anyone's
    turn on to any active account. The new person is told (a "your turn"
    notification), unless they handed it to themselves.
    """
    spec = Spec.objects.select_for_update().select_related("project", "owner").get(pk=spec.pk)
    if not can.takes_part(actor, spec):
        raise PermissionDenied(can.TAKE_PART_REFUSAL)
    _open(spec)
    to_user = _person(to_user, "to")
    giver = _person(from_user, "from") if from_user not in (None, "") else None
    note = " ".join(reason.split())
    if len(note) > MAX_HAND_ON_NOTE:
        raise ValidationError({"reason": f"A reason is limited to {MAX_HAND_ON_NOTE} characters."})
    if giver is not None and giver.pk == to_user.pk:
        raise ValidationError({"to": "Hand the turn to someone else than the person it is taken from."})
    if Attention.objects.filter(spec=spec, user=to_user).exists():
        raise ValidationError({"to": f"It is already {to_user.get_username()}'s turn on this spec."})
    if giver is not None:
        Attention.objects.filter(spec=spec, user=giver).delete()
    text = _clip(f"{HANDED_ON}{actor.get_username()}" + (f": {note}" if note else ""))
    turn = Attention.objects.create(spec=spec, user=to_user, reason=text)
    notifications.turn_handed(spec, actor=actor, recipient=to_user, reason=text)
    return turn


@transaction.atomic
def leave_turn(*, actor: User, spec: Spec) -> None:
    """Take yourself out of the spec's set (until the next event on it, when the rules apply again)."""
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in first.")
    deleted, _ = Attention.objects.filter(spec=spec, user=actor).delete()
    if not deleted:
        raise ValidationError("It is not your turn on this spec.", code="not_waiting")

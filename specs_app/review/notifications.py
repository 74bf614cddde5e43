"""Telling people about a spec's review: one notification per person per action, and an email.

Each action (a new revision, a published review or reply, a thread resolved or
reopened, the spec approved, merged, abandoned or restored) tells the people it
concerns (the spec's authors, the thread's participants, its reviewers), never
the person who acted. The in-app list gets every notification; the email goes
to those whose settings ask for it (``AccountSettings``). The review services
call these inside their transaction and the emails go out once it commits, so
a refused action sends nothing. Emails link with absolute URLs built from
``settings.SITE_URL``: unlike a page, an email has no request to take the host from.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from specs_app.accounts import selectors as account_selectors
from specs_app.models import Comment, CommentKind, EmailNotifications, Notification, Review, Revision, Spec
from specs_app.review import selectors as review_selectors

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[SpecPortal] "
# How much of a comment an email quotes; the page has the rest.
QUOTED_CHARACTERS = 500

# What each workflow action (a key of ``workflow.TRANSITIONS`` other than submit) did, in words.
STATUS_VERBS = {
    "approve": "approved",
    "merge": "merged",
    "abandon": "abandoned",
    "restore": "restored",
    "reopen": "started a new change on",
}


def absolute_url(path: str) -> str:
    """``path`` (a site path such as ``/p/cinder/x/``) on the site's address, for an email."""
    return settings.SITE_URL + path


def notification_path(notification: Notification) -> str:
    """The page a notification opens: its own, or its spec's when it names none."""
    return notification.url or notification.spec.get_absolute_url()


# An email's link opens the page itself, readable, with this parameter naming the notification:
# the page opened by its recipient, signed in, marks it read (``review.middleware``).
LINK_PARAMETER = "notification"


def email_link(notification: Notification) -> str:
    """The absolute URL an email gives for ``notification``: its page, marking it read when opened."""
    parts = urlsplit(notification_path(notification))
    query = "&".join(part for part in (parts.query, f"{LINK_PARAMETER}={notification.pk}") if part)
    return absolute_url(urlunsplit(parts._replace(query=query)))


@dataclass(frozen=True)
class Message:
    """What one person is told: the notification's line, the email's text and the page to open."""

    kind: str
    subject: str
    body: str
    path: str
    review: Review | None = None


def _concerned(users: Iterable[User], *, actor: User) -> list[User]:
    """Each active user once, in order, without the actor."""
    seen: dict[int, User] = {}
    for user in users:
        if user.pk != actor.pk and user.is_active:
            seen.setdefault(user.pk, user)
    return list(seen.values())


def _deliver(spec: Spec, actor: User, messages: dict[User, Message]) -> list[Notification]:
    """Record a notification per person and queue their emails (sent once the transaction commits)."""
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            actor=actor,
            spec=spec,
            review=message.review,
            kind=message.kind,
            message=_line(message.subject),
            url=message.path,
        )
        for user, message in messages.items()
    )
    # bulk_create returns them in order, with their ids on PostgreSQL and SQLite.
    sent_to = dict(zip(messages, notifications, strict=True))
    preferences = account_selectors.email_preferences(messages)
    # They get it in their daily digest (review/digest.py) instead.
    digest_readers = account_selectors.digest_readers(messages)
    authors = {user.pk for user in authors_of(spec)}
    emails = [
        EmailMessage(
            subject=SUBJECT_PREFIX + _line(message.subject),
            body=f"{message.body}\n\n{email_link(sent_to[user])}\n\n{email_signature()}",
            to=[user.email],
        )
        for user, message in messages.items()
        if user.email
        and user.pk not in digest_readers
        and wants_email(preferences[user.pk], is_author=user.pk in authors)
    ]
    if emails:
        transaction.on_commit(lambda: _send(emails))
    return notifications


def email_signature() -> str:
    """The end of every email: where to choose what SpecPortal emails you."""
    return f"-- \nChoose what SpecPortal emails you: {absolute_url(reverse('specs:account-settings'))}\n"


def wants_email(preference: str, *, is_author: bool) -> bool:
    """Whether a notification is emailed under ``preference`` (all, my specs, none)."""
    if preference == EmailNotifications.NONE:
        return False
    return preference == EmailNotifications.ALL or is_author


def _send(emails: list[EmailMessage]) -> None:
    # The action is done and committed: a mail server's refusal is logged, not the person's error.
    try:
        get_connection().send_messages(emails)
    except Exception:
        logger.exception("Could not send %d notification email(s)", len(emails))


def _line(text: str) -> str:
    """One line of at most the notification's length."""
    line = " ".join(text.split())
    limit = Notification._meta.get_field("message").max_length
    assert limit is not None  # a CharField's
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _excerpt(text: str) -> str:
    text = text.strip()
    return text if len(text) <= QUOTED_CHARACTERS else text[: QUOTED_CHARACTERS - 1] + "…"


def _spec_path(spec: Spec, fragment: str = "") -> str:
    return spec.get_absolute_url() + (f"#{fragment}" if fragment else "")


def _same_to_all(users: Iterable[User], message: Message) -> dict[User, Message]:
    return dict.fromkeys(users, message)


# Who is concerned


def authors_of(spec: Spec) -> list[User]:
    return [spec.owner, *spec.co_authors.all()]


def reviewers_of(spec: Spec) -> list[User]:
    """Everyone who reviewed or commented on the spec before, and the project's core reviewers."""
    User = get_user_model()
    published_commenters = Comment.objects.filter(spec=spec, review__isnull=False).values("author")
    voters = Review.objects.filter(spec=spec).values("reviewer")
    core = spec.project.core_reviewers.values("pk")
    return list(User.objects.filter(Q(pk__in=published_commenters) | Q(pk__in=voters) | Q(pk__in=core)))


def participants_of(thread_ids: Iterable[int]) -> list[User]:
    """Whoever wrote a published comment or reply in the threads."""
    ids = list(thread_ids)
    comments = Comment.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids), review__isnull=False)
    return [comment.author for comment in comments.select_related("author").order_by("created_at", "pk")]


def _where(comment: Comment) -> str:
    """Where a comment is, in words: its revision, section and lines as made."""
    place = f"revision {comment.revision.number}"
    if comment.kind == CommentKind.GENERAL:
        return f"{place}, the whole spec"
    if comment.section_title:
        place += f", {comment.section_title}"
    if comment.kind == CommentKind.INLINE and comment.line_start:
        place += f", line {comment.line_start}"
    return place


def _comment_text(comment: Comment) -> str:
    thread = comment.parent or comment
    lines = [f"On {_where(thread)}:"]
    if thread.kind == CommentKind.INLINE and thread.quote:
        lines.append("> " + _excerpt(thread.quote).replace("\n", "\n> "))
    if comment.parent is not None:
        lines.append(f"In reply to {comment.parent.author.get_username()}: {_excerpt(comment.parent.body)}")
    lines.append(_excerpt(comment.body))
    return "\n".join(lines)


# The actions


def revision_submitted(revision: Revision) -> list[Notification]:
    spec = revision.spec
    subject = f"{revision.author.get_username()} submitted revision {revision.number} of {spec.title}"
    body = subject + (f"\n\n{revision.message}" if revision.message else "")
    path = revision.get_absolute_url()
    if revision.number > 1:
        compare = reverse(
            "specs:revision-compare", kwargs={"project_slug": spec.project.slug, "spec_slug": spec.slug}
        )
        path = f"{compare}?old={revision.number - 1}&new={revision.number}"
    recipients = _concerned([*reviewers_of(spec), *authors_of(spec)], actor=revision.author)
    message = Message(Notification.Kind.REVISION_SUBMITTED, subject, body, path)
    return _deliver(spec, revision.author, _same_to_all(recipients, message))


def _vote_unchanged(review: Review) -> bool:
    """Whether the review's vote is the one its reviewer had counting before it."""
    earlier = list(review_selectors.published_reviews(review.spec).exclude(pk=review.pk))
    votes = review_selectors.current_votes(review.spec, latest=review.revision, reviews=earlier)
    return review_selectors.current_vote(review.spec, review.reviewer, votes=votes) == review.vote


def review_published(review: Review) -> list[Notification]:
    """The spec's authors and everyone in a thread the review replied in; each told once.

    A review that only posts replies (the vote as it was, no message, no new
    thread) says so, instead of announcing the reviewer's vote again.
    """
    spec, reviewer = review.spec, review.reviewer
    who = reviewer.get_username()
    comments = list(
        review.comments.select_related("revision", "parent__author", "parent__revision").order_by(
            "created_at", "pk"
        )
    )
    replied_threads = list(dict.fromkeys(comment.parent_id for comment in comments if comment.parent_id))
    new_threads = any(comment.parent_id is None for comment in comments)
    only_replies = bool(replied_threads) and not (
        new_threads or review.message or not _vote_unchanged(review)
    )
    thread_count = f"{len(replied_threads)} thread{'s' if len(replied_threads) != 1 else ''}"
    if only_replies:
        to_authors = f"{who} replied in {thread_count} on {spec.title}"
    else:
        to_authors = (
            f"{who} reviewed {spec.title} (revision {review.revision.number}): {review.get_vote_display()}"
        )
    to_participants = f"{who} replied in a thread you are in on {spec.title}"

    details = []
    if not only_replies:
        details.append(f"Vote: {review.get_vote_display()} on revision {review.revision.number}")
    if review.message:
        details += ["", review.message]
    for comment in comments:
        details += ["", _comment_text(comment)]
    body = "\n".join(details)
    path = _spec_path(spec, f"thread-{replied_threads[0]}" if only_replies else f"review-{review.pk}")

    authors = _concerned(authors_of(spec), actor=reviewer)
    participants = _concerned(participants_of(replied_threads), actor=reviewer)
    author_kind = Notification.Kind.REPLIED if only_replies else Notification.Kind.REVIEW_PUBLISHED
    messages = {
        user: Message(author_kind, to_authors, f"{to_authors}\n\n{body}".rstrip(), path, review)
        for user in authors
    }
    for user in participants:
        messages.setdefault(
            user,
            Message(
                Notification.Kind.REPLIED,
                to_participants,
                f"{to_participants}\n\n{body}".rstrip(),
                path,
                review,
            ),
        )
    return _deliver(spec, reviewer, messages)


def thread_state_changed(
    thread: Comment, *, actor: User, resolved: bool, verified: bool = False
) -> list[Notification]:
    """The spec's authors and the thread's participants, when someone resolves or reopens it.

    ``verified``: its opener confirmed a resolution someone else made.
    """
    spec = thread.spec
    verb = ("verified the resolution of" if verified else "resolved") if resolved else "reopened"
    subject = f"{actor.get_username()} {verb} {thread.author.get_username()}'s thread on {spec.title}"
    body = f"{subject}\n\n{_comment_text(thread)}"
    kind = Notification.Kind.THREAD_RESOLVED if resolved else Notification.Kind.THREAD_REOPENED
    recipients = _concerned([*authors_of(spec), *participants_of([thread.pk])], actor=actor)
    message = Message(kind, subject, body, _spec_path(spec, f"thread-{thread.pk}"))
    return _deliver(spec, actor, _same_to_all(recipients, message))


def resolution_to_verify(thread: Comment, *, actor: User) -> list[Notification]:
    """Someone resolved a thread whose opener asked to verify it: the opener is asked to, the
    spec's authors and the other participants are told it waits for them."""
    spec = thread.spec
    opener = thread.author.get_username()
    path = _spec_path(spec, f"thread-{thread.pk}")
    ask = f"{actor.get_username()} resolved your thread on {spec.title}: verify the resolution or reopen it"
    told = f"{actor.get_username()} resolved {opener}'s thread on {spec.title}; {opener} verifies it"
    messages = {
        user: Message(Notification.Kind.THREAD_RESOLVED, told, f"{told}\n\n{_comment_text(thread)}", path)
        for user in _concerned([*authors_of(spec), *participants_of([thread.pk])], actor=actor)
    }
    if thread.author.pk != actor.pk and thread.author.is_active:
        messages[thread.author] = Message(
            Notification.Kind.VERIFY_RESOLUTION, ask, f"{ask}\n\n{_comment_text(thread)}", path
        )
    return _deliver(spec, actor, messages)


def status_changed(spec: Spec, *, actor: User, action: str) -> list[Notification]:
    """The spec's authors and reviewers, when it is approved, merged, abandoned, restored or reopened."""
    # An action added to the workflow table without a verb here is still told, in its own name.
    subject = f"{actor.get_username()} {STATUS_VERBS.get(action, action + ' on')} {spec.title}"
    body = f"{subject}\n\nIt is now {spec.get_status_display().lower()}."
    recipients = _concerned([*authors_of(spec), *reviewers_of(spec)], actor=actor)
    message = Message(Notification.Kind.STATUS_CHANGED, subject, body, _spec_path(spec))
    return _deliver(spec, actor, _same_to_all(recipients, message))


def suggestion_applied(spec: Spec, threads: list[Comment], *, actor: User) -> list[Notification]:
    """The spec's authors and the threads' participants, when suggested edits are applied to the draft.

    Several suggestions applied together are one action: each person is told once.
    """
    who = actor.get_username()
    if len(threads) == 1:
        subject = f"{who} applied {threads[0].author.get_username()}'s suggestion on {spec.title}"
    else:
        subject = f"{who} applied {len(threads)} suggestions on {spec.title}"
    details = []
    for thread in threads:
        details += [
            "",
            f"On {_where(thread)}:",
            "- " + _excerpt(thread.quote).replace("\n", "\n- "),
            "+ " + _excerpt(thread.suggestion or "").replace("\n", "\n+ "),
        ]
    body = "\n".join([subject, *details])
    recipients = _concerned(
        [*authors_of(spec), *participants_of(thread.pk for thread in threads)], actor=actor
    )
    message = Message(
        Notification.Kind.SUGGESTION_APPLIED, subject, body, _spec_path(spec, f"thread-{threads[0].pk}")
    )
    return _deliver(spec, actor, _same_to_all(recipients, message))


def turn_handed(spec: Spec, *, actor: User, recipient: User, reason: str) -> list[Notification]:
    """The person someone handed the turn on ``spec`` to (nobody when they handed it to themselves)."""
    subject = f"Your turn on {spec.title}: {reason}"
    body = f"{actor.get_username()} handed you the turn on {spec.title}.\n\n{reason}"
    message = Message(Notification.Kind.YOUR_TURN, subject, body, _spec_path(spec, "attention"))
    return _deliver(spec, actor, _same_to_all(_concerned([recipient], actor=actor), message))

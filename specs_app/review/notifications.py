"""Telling people about reviews: a Notification row each, and one email per event.

The review services call these inside their transaction; the email goes out
only once the transaction commits, so a refused action never sends mail.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q

from specs_app.models import Comment, Notification, Review, Revision, Spec


def _recipients(users: Iterable[User], *, actor: User) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        if user.pk != actor.pk and user.is_active:
            seen.setdefault(user.pk, user)
    return list(seen.values())


def _notify(
    *,
    spec: Spec,
    actor: User,
    recipients: list[User],
    kind: str,
    subject: str,
    body: str,
    url: str,
) -> list[Notification]:
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, actor=actor, spec=spec, kind=kind, message=subject, url=url)
        for user in recipients
    )
    addresses = sorted({user.email for user in recipients if user.email})
    if addresses:
        # One message per event, every recipient in Bcc: nobody's address is shown to the others.
        message = EmailMessage(subject=f"[SpecPortal] {subject}", body=f"{body}\n\n{url}\n", bcc=addresses)
        transaction.on_commit(lambda: message.send(fail_silently=True))
    return notifications


def authors_of(spec: Spec) -> list[User]:
    return [spec.owner, *spec.co_authors.all()]


def reviewers_of(spec: Spec) -> list[User]:
    """Everyone who reviewed or commented on the spec before, and the project's core reviewers."""
    User = get_user_model()
    published_commenters = Comment.objects.filter(spec=spec, review__isnull=False).values("author")
    voters = Review.objects.filter(spec=spec).values("reviewer")
    core = spec.project.core_reviewers.values("pk")
    return list(User.objects.filter(Q(pk__in=published_commenters) | Q(pk__in=voters) | Q(pk__in=core)))


def review_published(review: Review, *, comment_count: int, url: str) -> list[Notification]:
    spec = review.spec
    who = review.reviewer.get_username()
    subject = f"{who} reviewed {spec.title} (revision {review.revision.number}): {review.get_vote_display()}"
    lines = [subject, ""]
    if review.message:
        lines += [review.message, ""]
    if comment_count:
        lines.append(f"{comment_count} comment{'s' if comment_count != 1 else ''}.")
    return _notify(
        spec=spec,
        actor=review.reviewer,
        recipients=_recipients(authors_of(spec), actor=review.reviewer),
        kind=Notification.Kind.REVIEW_PUBLISHED,
        subject=subject,
        body="\n".join(lines),
        url=url,
    )


def revision_submitted(revision: Revision, *, url: str) -> list[Notification]:
    spec = revision.spec
    subject = f"{revision.author.get_username()} submitted revision {revision.number} of {spec.title}"
    body = subject + (f"\n\n{revision.message}" if revision.message else "")
    recipients = _recipients([*reviewers_of(spec), *authors_of(spec)], actor=revision.author)
    return _notify(
        spec=spec,
        actor=revision.author,
        recipients=recipients,
        kind=Notification.Kind.REVISION_SUBMITTED,
        subject=subject,
        body=body,
        url=url,
    )

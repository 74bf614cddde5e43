"""The daily digest: one email a day with a person's notifications, instead of one per event.

People who chose it (``AccountSettings.daily_digest``) still get every
notification in the app; ``notifications._deliver`` leaves their emails out,
and ``manage.py send_digests`` (run daily, see README.md) sends each of them
one email with everything since their last digest, grouped by spec, then
stamps those notifications ``digested_at``. What the email preference (all,
my specs, none) or a missing address leaves out is stamped too, so a later
change of preference does not bring old news, and a second run sends nothing.
Turning the digest on stamps what came before (it was emailed one by one).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from specs_app.accounts import selectors as account_selectors
from specs_app.models import AccountSettings, Notification, Spec
from specs_app.review.notifications import (
    SUBJECT_PREFIX,
    absolute_url,
    email_link,
    email_signature,
    wants_email,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestRun:
    """What one run did: emails sent, and notifications stamped (emailed or left out by preference)."""

    emails: int = 0
    notifications: int = 0
    failed: int = 0


def _is_author(user: User, spec: Spec) -> bool:
    return spec.owner_id == user.pk or any(co_author.pk == user.pk for co_author in spec.co_authors.all())


def _grouped(notifications: list[Notification]) -> dict[Spec, list[Notification]]:
    """Notifications by spec, specs in the order of their first notification, each oldest first."""
    groups: dict[Spec, list[Notification]] = {}
    for notification in notifications:
        groups.setdefault(notification.spec, []).append(notification)
    return groups


def _subject(count: int, specs: int) -> str:
    return (
        f"{SUBJECT_PREFIX}Your daily digest: {count} notification{'s' if count != 1 else ''} "
        f"on {specs} spec{'s' if specs != 1 else ''}"
    )


def _body(groups: dict[Spec, list[Notification]]) -> str:
    lines = ["What happened on your specs since your last digest:"]
    for spec, notifications in groups.items():
        lines += ["", f"{spec.title} ({spec.project.name}, {spec.get_status_display().lower()})"]
        lines.append(absolute_url(spec.get_absolute_url()))
        for notification in notifications:
            when = timezone.localtime(notification.created_at).strftime("%Y-%m-%d %H:%M")
            lines.append(f"- {when} {notification.message}")
            if notification.url:
                lines.append(f"  {email_link(notification)}")
    return "\n".join(lines) + "\n\n" + email_signature()


def digest_email(*, user: User, notifications: list[Notification]) -> EmailMessage:
    """The digest email of ``notifications`` (oldest first) for ``user``."""
    groups = _grouped(notifications)
    return EmailMessage(
        subject=_subject(len(notifications), len(groups)), body=_body(groups), to=[user.email]
    )


def send_digest(*, user: User, until: datetime) -> tuple[int, int]:
    """Send ``user`` their digest of what came before ``until``; (emails sent, notifications stamped).

    The rows are locked while the email goes out, so two runs at once cannot both send them;
    if the mail server refuses, nothing is stamped and the next run tries again.
    """
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(recipient=user, digested_at__isnull=True, created_at__lte=until)
            .select_related("spec__project", "spec__owner")
            .prefetch_related("spec__co_authors")
            .order_by("created_at", "pk")
        )
        if not pending:
            return 0, 0
        preference = account_selectors.email_preferences([user])[user.pk]
        emailed = [
            notification
            for notification in pending
            if wants_email(preference, is_author=_is_author(user, notification.spec))
        ]
        sent = 0
        if emailed and user.email:
            get_connection().send_messages([digest_email(user=user, notifications=emailed)])
            sent = 1
        Notification.objects.filter(pk__in=[notification.pk for notification in pending]).update(
            digested_at=timezone.now()
        )
    return sent, len(pending)


def send_digests(*, until: datetime | None = None) -> DigestRun:
    """Send every digest due: one email per person who chose the digest and has news since their last."""
    until = until or timezone.now()
    readers = get_user_model().objects.filter(
        is_active=True,
        pk__in=AccountSettings.objects.filter(daily_digest=True).values("user_id"),
        notifications__digested_at__isnull=True,
    )
    emails = stamped = failed = 0
    for user in readers.distinct().order_by("pk"):
        try:
            sent, count = send_digest(user=user, until=until)
        except Exception:
            # One person's refused address must not keep the others' digests back.
            logger.exception("Could not send the daily digest to %s", user.get_username())
            failed += 1
            continue
        emails += sent
        stamped += count
    return DigestRun(emails=emails, notifications=stamped, failed=failed)

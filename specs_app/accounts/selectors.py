"""Reads of people's own settings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from django.contrib.auth.models import User

from specs_app.models import AccountSettings, EmailNotifications


def account_settings(user: User) -> AccountSettings:
    """The user's settings: their row, or an unsaved one with the defaults."""
    return AccountSettings.objects.filter(user=user).first() or AccountSettings(user=user)


class ChosenSettings(TypedDict):
    email: str
    email_notifications: str
    daily_digest: bool


def chosen_settings(user: User) -> ChosenSettings:
    """What the settings page and the API show as the user's choices: their address and email options."""
    current = account_settings(user)
    return {
        "email": user.email,
        "email_notifications": current.email_notifications,
        "daily_digest": current.daily_digest,
    }


def email_preferences(users: Iterable[User]) -> dict[int, str]:
    """Each user's email preference by id, in one query; the default for those without a row."""
    ids = [user.pk for user in users]
    chosen = dict(
        AccountSettings.objects.filter(user_id__in=ids).values_list("user_id", "email_notifications")
    )
    return {pk: chosen.get(pk, EmailNotifications.ALL) for pk in ids}


def digest_readers(users: Iterable[User]) -> set[int]:
    """The ids of those among ``users`` who chose one email a day instead of one per event."""
    ids = [user.pk for user in users]
    return set(
        AccountSettings.objects.filter(user_id__in=ids, daily_digest=True).values_list("user_id", flat=True)
    )

"""Writes of people's own settings: their email address and what to email them about."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from specs_app.models import AccountSettings, EmailNotifications, Notification
from specs_app.review import digest


@transaction.atomic
def update_account_settings(
    *, actor: User, email: str, email_notifications: str, daily_digest: bool | None = None
) -> AccountSettings:
    """Set the actor's email address (empty: none, so no email) and their email preference.

    ``daily_digest``: one email a day instead of one per event (None leaves the choice as it is).
    """
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in to change your settings.")
    email = User.objects.normalize_email(email.strip())
    errors = {}
    longest = User._meta.get_field("email").max_length
    assert longest is not None  # a CharField's
    if len(email) > longest:
        errors["email"] = f"An email address has at most {longest} characters."
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = f"“{email}” is not an email address, such as name@example.org."
    if email_notifications not in EmailNotifications.values:
        errors["email_notifications"] = "Choose all, only your specs, or no email."
    if errors:
        raise ValidationError(errors)
    if actor.email != email:
        actor.email = email
        actor.save(update_fields=["email"])
    was_digesting = AccountSettings.objects.filter(user=actor, daily_digest=True).exists()
    chosen: dict[str, object] = {"email_notifications": email_notifications}
    if daily_digest is not None:
        chosen["daily_digest"] = daily_digest
    account, _ = AccountSettings.objects.update_or_create(user=actor, defaults=chosen)
    if account.daily_digest and not was_digesting:
        # What came before the choice was emailed one by one: the first digest starts from now.
        Notification.objects.filter(recipient=actor, digested_at__isnull=True).update(
            digested_at=timezone.now()
        )
    elif was_digesting and not account.daily_digest:
        # What was waiting for the next digest goes now, as a last one: no later run would send it.
        # robust: a refusing mail server is logged and the settings are saved all the same.
        until = timezone.now()
        transaction.on_commit(lambda: digest.send_digest(user=actor, until=until), robust=True)
    return account

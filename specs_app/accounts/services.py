"""Writes of people's own settings: their email address and what to email them about."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction

from specs_app.models import AccountSettings, EmailNotifications


@transaction.atomic
def update_account_settings(*, actor: User, email: str, email_notifications: str) -> AccountSettings:
    """Set the actor's email address (empty: none, so no email) and their email preference."""
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
    account, _ = AccountSettings.objects.update_or_create(
        user=actor, defaults={"email_notifications": email_notifications}
    )
    return account

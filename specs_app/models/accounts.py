"""A person's own settings (their email address itself is on Django's user)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class EmailNotifications(models.TextChoices):
    ALL = "all", "Everything on specs I take part in"
    MY_SPECS = "my_specs", "Only specs I own or co-author"
    NONE = "none", "No email"


class AccountSettings(models.Model):
    """Whom to email about what. A person without a row has the defaults.

    The preference covers email only: the in-app notifications list always
    has everything, so nothing is lost by turning email off.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_settings"
    )
    email_notifications = models.CharField(
        max_length=10, choices=EmailNotifications.choices, default=EmailNotifications.ALL
    )
    # One email a day with everything since the last one, instead of an email per event.
    daily_digest = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "account settings"

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_notifications_display()}"

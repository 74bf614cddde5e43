"""The account settings form: the page's fields; the service validates and saves."""

from __future__ import annotations

from django import forms

from specs_app.models import EmailNotifications


class AccountSettingsForm(forms.Form):
    email = forms.CharField(
        required=False,
        label="Email address",
        max_length=254,
        help_text="Where notifications are sent. Leave it empty to get none by email.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    email_notifications = forms.ChoiceField(
        label="Email me about",
        choices=EmailNotifications.choices,
        widget=forms.RadioSelect,
        help_text="Notifications are always listed in SpecPortal; this chooses which are also emailed.",
    )
    daily_digest = forms.BooleanField(
        required=False,
        label="Send me one email a day instead of one per event",
        help_text="The day's notifications in one email, grouped by spec.",
    )

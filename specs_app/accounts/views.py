"""The account settings page: your email address and what to email you about."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from specs_app.accounts import selectors, services
from specs_app.accounts.forms import AccountSettingsForm
from specs_app.authoring.forms import add_service_errors
from specs_app.http import AuthenticatedHttpRequest


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AccountSettingsForm(request.POST or None, initial=dict(selectors.chosen_settings(request.user)))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_account_settings(
                actor=request.user,
                email=form.cleaned_data["email"],
                email_notifications=form.cleaned_data["email_notifications"],
                daily_digest=form.cleaned_data["daily_digest"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved your settings.")
            return redirect("specs:account-settings")
    return render(
        request, "specs_app/accounts/settings.html", {"form": form}, status=400 if form.errors else 200
    )

"""The settings page for API tokens: create one (its key shown once), revoke one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from specs_app.authoring.forms import add_service_errors
from specs_app.http import AuthenticatedHttpRequest
from specs_app.models import ApiToken
from specs_app.tokens import services as services_tokens


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text="Where you will use it, such as “laptop” or “CI”.",
        error_messages={"required": "Name the token, so you can tell it apart later."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    new_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, new_key = services_tokens.create_api_token(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=request.user),
        "new_key": new_key,
        "api_url": request.build_absolute_uri("/"),
    }
    # The key is in this page only: keep it out of every cache.
    response = render(
        request, "specs_app/tokens/api_tokens.html", context, status=400 if form.errors else 200
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services_tokens.revoke_api_token(actor=request.user, token=token)
    messages.success(request, f"Revoked “{token.name}”: requests with its key are refused from now on.")
    return redirect("specs:api-tokens")

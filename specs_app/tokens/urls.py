"""API tokens, on the signed-in person's settings."""

from django.urls import path

from specs_app.tokens import views

urlpatterns = [
    path("settings/tokens/", views.api_tokens, name="api-tokens"),
    path("settings/tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api-token-revoke"),
]

"""The signed-in person's account settings."""

from django.urls import path

from specs_app.accounts import views

urlpatterns = [
    path("settings/account/", views.account_settings, name="account-settings"),
]

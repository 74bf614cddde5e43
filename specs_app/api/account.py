"""The caller's own settings: their email address and what SpecPortal emails them.

The settings page's selector and service (``specs_app.accounts``): the same
choices, the same checks and the same messages. A PATCH leaves out what it does
not change; the service validates the whole choice, as the page sends it.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from specs_app.accounts import selectors as account_selectors
from specs_app.accounts import services as account_services
from specs_app.api.common import WRITE_ERRORS, BodyLimitMixin, error_responses, signed_in_user
from specs_app.api.review_serializers import JSONStringField
from specs_app.models import EmailNotifications

EMAIL_HELP = "Where notifications are emailed; empty for no email."
PREFERENCE_HELP = "Which notifications are emailed: all, only those on your specs, or none."
DIGEST_HELP = "One email a day, grouped by spec, instead of one per event."


class AccountSettingsSerializer(serializers.Serializer):
    email = serializers.CharField(allow_blank=True, help_text=EMAIL_HELP)
    email_notifications = serializers.ChoiceField(
        choices=EmailNotifications.choices, help_text=PREFERENCE_HELP
    )
    daily_digest = serializers.BooleanField(help_text=DIGEST_HELP)


class AccountSettingsChangeSerializer(serializers.Serializer):
    # Parsed as text only: the accounts service says what is wrong with an address or a choice.
    email = JSONStringField(required=False, allow_blank=True, help_text=EMAIL_HELP)
    email_notifications = JSONStringField(
        required=False, help_text=f"{PREFERENCE_HELP} One of: {', '.join(EmailNotifications.values)}."
    )
    daily_digest = serializers.BooleanField(required=False, help_text=DIGEST_HELP)


class AccountSettingsView(BodyLimitMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Read your settings",
        responses={200: AccountSettingsSerializer, **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        return Response(
            AccountSettingsSerializer(account_selectors.chosen_settings(signed_in_user(request))).data
        )

    @extend_schema(
        summary="Change your settings",
        description=(
            "As the account settings page does; fields left out stay as they are. "
            "An address that is not one, or an unknown choice, is a 400 saying so."
        ),
        request=AccountSettingsChangeSerializer,
        responses={200: AccountSettingsSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request) -> Response:
        user = signed_in_user(request)
        form = AccountSettingsChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        chosen = {**account_selectors.chosen_settings(user), **form.validated_data}  # the rest as they are
        account_services.update_account_settings(
            actor=user,
            email=chosen["email"],
            email_notifications=chosen["email_notifications"],
            daily_digest=form.validated_data.get("daily_digest"),
        )
        return Response(AccountSettingsSerializer(account_selectors.chosen_settings(user)).data)

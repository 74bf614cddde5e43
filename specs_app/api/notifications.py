"""The caller's notifications: list them, mark one or all read.

The same selectors and service as the notifications page (``review.selectors``,
``review.services.mark_notifications_read``): what the page counts as unread the
API does too. Each notification's ``url`` is absolute, built as the emails build
theirs (``review.notifications.absolute_url``).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from specs_app.api.common import READ_ERRORS, WRITE_ERRORS, BodyLimitMixin, error_responses, signed_in_user
from specs_app.api.fields import ObjectUrlField
from specs_app.api.pagination import Pagination
from specs_app.models import Notification
from specs_app.review import notifications
from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services

NOTIFICATION_ID = OpenApiParameter(
    "notification_id", int, OpenApiParameter.PATH, description="One of your notifications' id."
)
LIST_ERRORS = {**READ_ERRORS, **error_responses(401, 403)}


class NotificationSpecSerializer(serializers.Serializer):
    """The spec a notification is about, named as the spec list names it."""

    id = serializers.IntegerField()
    project = serializers.CharField(source="project.slug")
    slug = serializers.CharField()
    title = serializers.CharField()
    url = ObjectUrlField("api:spec-detail", arguments={"pk": "pk"}, help_text="The spec in the API.")
    html_url = ObjectUrlField(
        "specs:spec-detail",
        arguments={"project_slug": "project.slug", "spec_slug": "slug"},
        help_text="The spec's page.",
    )


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Notification.Kind.choices)
    message = serializers.CharField(help_text="What happened, in one line.")
    spec = NotificationSpecSerializer()
    actor = serializers.CharField(
        source="actor.username", allow_null=True, help_text="Who acted; null once their account is gone."
    )
    url = serializers.SerializerMethodField(help_text="The page to open, absolute (as in the emails).")
    read = serializers.SerializerMethodField(help_text="Whether you have read it.")
    read_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    def get_url(self, notification: Notification) -> str:
        return notifications.absolute_url(notifications.notification_path(notification))

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class NotificationQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False, default=False, help_text="Only the notifications you have not read yet."
    )


class MarkedReadSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many were unread and are now read.")


class SignedInMixin(BodyLimitMixin):
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]


@extend_schema_view(
    get=extend_schema(
        summary="List your notifications, newest first",
        description=(
            "The notifications page's list: what happened on specs you author, review or "
            "commented on. `?unread=true` for those not yet read."
        ),
        parameters=[NotificationQuerySerializer],
        responses={200: NotificationSerializer(many=True), **LIST_ERRORS},
    )
)
class NotificationListView(SignedInMixin, generics.ListAPIView):
    serializer_class = NotificationSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Notification]:
        query = NotificationQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return review_selectors.notification_list(
            signed_in_user(self.request), unread=query.validated_data["unread"]
        )


class NotificationReadView(SignedInMixin, APIView):
    @extend_schema(
        operation_id="api_v1_notification_read",
        summary="Mark one of your notifications read",
        description="As opening it on the notifications page does. Anyone else's is a 404.",
        parameters=[NOTIFICATION_ID],
        request=None,
        responses={200: NotificationSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, notification_id: int) -> Response:
        user = signed_in_user(request)
        try:
            notification = review_selectors.notification_of(user, notification_id)
        except Notification.DoesNotExist as error:
            raise Http404("You have no such notification.") from error
        review_services.mark_notifications_read(actor=user, notification_ids=[notification.pk])
        notification.refresh_from_db(fields=["read_at"])
        return Response(NotificationSerializer(notification).data)


class NotificationsReadView(SignedInMixin, APIView):
    @extend_schema(
        operation_id="api_v1_notifications_read_all",
        summary="Mark all your notifications read",
        description="As the notifications page's button does; answers how many were unread.",
        request=None,
        responses={200: MarkedReadSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        count = review_services.mark_notifications_read(actor=signed_in_user(request))
        return Response(MarkedReadSerializer({"count": count}).data)

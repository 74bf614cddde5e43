"""What every API view shares: the body limit, finding a spec by id or name, error answers.

Errors are reshaped by ``errors.exception_handler``. A spec is addressed by its id or by
``<project>/<slug>`` (see urls.py); both reach the same views.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from specs_app.api import serializers as s
from specs_app.api.errors import PayloadTooLarge
from specs_app.limits import request_size_error
from specs_app.models import Spec

# The mixins below are only ever mixed into API views: to the type checker they are views.
if TYPE_CHECKING:
    _View = APIView
else:
    _View = object


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The error answers an operation can give, all in the one error shape."""
    descriptions = {
        400: "The request is not valid; ``errors`` says why, by field.",
        401: "Not signed in: send ``Authorization: Token <key>``.",
        403: "Signed in, but not allowed to do this.",
        404: "No such object.",
        409: "Someone else changed it since the version you sent; nothing was written.",
        413: "The body or the text is too large.",
        429: "Too many requests; wait and try again.",
    }
    return {
        code: OpenApiResponse(
            s.ConflictSerializer if code == 409 else s.ErrorSerializer, description=descriptions[code]
        )
        for code in codes
    }


READ_ERRORS = error_responses(400, 404)


WRITE_ERRORS = error_responses(400, 401, 403, 404, 413)


class SpecSchema(AutoSchema):
    """Operation ids for the ``<project>/<slug>`` form of a spec's address end in ``_by_name``."""

    def get_operation_id(self) -> str:
        operation_id = super().get_operation_id()
        return f"{operation_id}_by_name" if "{project_slug}" in self.path else operation_id


class BodyLimitMixin(_View):
    """Refuse a body over the one size limit (``limits.MAX_REQUEST_BYTES``) before reading it."""

    def initial(self, request: Request, *args, **kwargs) -> None:
        message = request_size_error(request.META)
        if message:
            raise PayloadTooLarge(message)
        super().initial(request, *args, **kwargs)


class SpecLookupMixin(_View):
    """Find the spec a URL names, by ``pk`` or by ``project_slug`` and ``spec_slug``."""

    schema = SpecSchema()

    def spec_queryset(self) -> QuerySet[Spec]:
        return Spec.objects.select_related("project", "owner", "template")

    def get_spec(self, queryset: QuerySet[Spec] | None = None) -> Spec:
        queryset = self.spec_queryset() if queryset is None else queryset
        if "pk" in self.kwargs:
            return get_object_or_404(queryset, pk=int(self.kwargs["pk"]))
        return get_object_or_404(
            queryset, project__slug=self.kwargs["project_slug"], slug=self.kwargs["spec_slug"]
        )


def signed_in_user(request: Request) -> User:
    """The user behind a write, which the view's permissions let through only when signed in."""
    user = request.user
    if not isinstance(user, User):  # a view without the permission: refuse, as the permission would
        raise NotAuthenticated()
    return user


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any other path under the API: a 404 in the API's error shape, not an HTML page."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise NotFound("No such API endpoint.")

    def get(self, request: Request, *args, **kwargs) -> Response:
        raise NotFound("No such API endpoint.")

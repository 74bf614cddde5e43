"""What every API view shares: the body limit, finding a spec by id or name, error answers.

Errors are reshaped by ``errors.exception_handler``. A spec is addressed by its id or by
``<project>/<slug>`` (see urls.py); both reach the same views.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from specs_app.api import serializers as s
from specs_app.api.errors import PayloadTooLarge
from specs_app.models import Spec
from specs_app.rst.safety import MAX_SPEC_CHARACTERS

# A JSON body carrying a spec of the largest size, every character escaped
# (\uXXXX), plus room for the other fields. Checked before anything is parsed.
MAX_BODY_BYTES = MAX_SPEC_CHARACTERS * 6 + 64 * 1024


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


class BodyLimitMixin:
    """Refuse a body over the size limit from its Content-Length, before reading it."""

    max_body_bytes = MAX_BODY_BYTES

    def initial(self, request: Request, *args, **kwargs) -> None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.max_body_bytes:
            raise PayloadTooLarge(
                f"The request body is {length:,} bytes; the limit is {self.max_body_bytes:,}."
            )
        super().initial(request, *args, **kwargs)


class SpecLookupMixin:
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


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any other path under the API: a 404 in the API's error shape, not an HTML page."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise NotFound("No such API endpoint.")

    def get(self, request: Request, *args, **kwargs) -> Response:
        raise NotFound("No such API endpoint.")

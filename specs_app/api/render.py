"""POST /api/v1/render/: the live preview of a whole spec, with diagnostics and the gate."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from specs_app.api.errors import PayloadTooLarge
from specs_app.api.fields import SpecTextField
from specs_app.models import Project
from specs_app.preview.preview import preview_for_project
from specs_app.rst.safety import MAX_SPEC_CHARACTERS

# JSON escaping can double a text's size; anything larger is refused unread.
MAX_REQUEST_BYTES = 4 * MAX_SPEC_CHARACTERS + 10_000


class RenderRequestSerializer(serializers.Serializer):
    text = SpecTextField()
    project = serializers.SlugField(help_text="The project whose gate applies.")
    release = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)


class LocatedSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()
    severity = serializers.CharField()
    section = serializers.CharField(allow_null=True, help_text="The section the line falls in.")
    line_in_section = serializers.IntegerField(allow_null=True, help_text="1 is the section's heading.")


class DiagnosticSerializer(LocatedSerializer):
    level = serializers.IntegerField(help_text="docutils' level: 1 info, 2 warning, 3 error, 4 severe.")


class FindingSerializer(LocatedSerializer):
    rule = serializers.CharField()


class GateSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    findings = FindingSerializer(many=True)


class RenderResponseSerializer(serializers.Serializer):
    html = serializers.CharField(help_text="Sanitised HTML; block elements carry data-line.")
    complete = serializers.BooleanField(help_text="False when the text was refused or the render stopped.")
    diagnostics = DiagnosticSerializer(many=True)
    gate = GateSerializer(allow_null=True)


def refuse_oversized_request(request: Request) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_REQUEST_BYTES:
        raise PayloadTooLarge(f"The request body is {length:,} bytes; the limit is {MAX_REQUEST_BYTES:,}.")


class RenderView(APIView):
    """Render RST safely and check it against a project's gate."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "render"

    @extend_schema(
        request=RenderRequestSerializer,
        responses={
            200: RenderResponseSerializer,
            400: OpenApiResponse(description="Missing or malformed fields."),
            404: OpenApiResponse(description="No such project."),
            413: OpenApiResponse(description="The text is over the size limit."),
        },
    )
    def post(self, request: Request) -> Response:
        refuse_oversized_request(request)
        serializer = RenderRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        text = serializer.validated_data["text"]
        if len(text) > MAX_SPEC_CHARACTERS:
            raise PayloadTooLarge(
                f"The text is {len(text):,} characters long; the limit is {MAX_SPEC_CHARACTERS:,}."
            )
        project = get_object_or_404(Project, slug=serializer.validated_data["project"])
        payload = preview_for_project(
            text=text, project=project, release=serializer.validated_data["release"]
        )
        return Response(payload)

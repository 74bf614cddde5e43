"""POST /api/v1/render/: the live preview of a whole spec, with diagnostics and the gate."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from specs_app.api.common import BodyLimitMixin
from specs_app.api.fields import SpecTextField
from specs_app.limits import check_spec_size
from specs_app.models import Project
from specs_app.preview.preview import preview_for_project


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


class RenderView(BodyLimitMixin, APIView):
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
        serializer = RenderRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        text = check_spec_size(serializer.validated_data["text"])
        project = get_object_or_404(Project, slug=serializer.validated_data["project"])
        payload = preview_for_project(
            text=text, project=project, release=serializer.validated_data["release"]
        )
        return Response(payload)

"""A spec's file and patch for download, and importing a file into a project."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from specs_app.api import serializers as s
from specs_app.api.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    BodyLimitMixin,
    SpecLookupMixin,
    error_responses,
    signed_in_user,
)
from specs_app.limits import check_file_size
from specs_app.models import Project
from specs_app.transfer import exporting, importing
from specs_app.transfer.downloads import file_download


class TextRenderer(renderers.BaseRenderer):
    """Lets a client ask for the file's type; an error still comes as JSON text."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode("utf-8")
        return renderers.JSONRenderer().render(data)


class RstRenderer(TextRenderer):
    media_type = "text/x-rst"
    format = "rst"


class PatchRenderer(TextRenderer):
    media_type = "text/x-patch"
    format = "patch"


class SpecExportRstView(BodyLimitMixin, SpecLookupMixin, APIView):
    renderer_classes = [renderers.JSONRenderer, RstRenderer]

    @extend_schema(
        summary="Download the spec's .rst file",
        responses={(200, "text/x-rst"): OpenApiTypes.STR, **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> HttpResponse:
        spec = self.get_spec(exporting.specs_with_sections())
        return file_download(spec.text(), content_type="text/x-rst", filename=f"{spec.slug}.rst")


class SpecExportPatchView(BodyLimitMixin, SpecLookupMixin, APIView):
    renderer_classes = [renderers.JSONRenderer, PatchRenderer]

    @extend_schema(
        summary="Download a git format-patch adding the spec's file",
        description="An mbox for ``git am``, creating specs/<release>/<slug>.rst.",
        responses={(200, "text/x-patch"): OpenApiTypes.STR, **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> HttpResponse:
        spec = self.get_spec(exporting.specs_with_sections())
        return file_download(
            exporting.spec_patch(spec=spec),
            content_type="text/x-patch",
            filename=f"{spec.slug}.patch",
        )


class ProjectImportView(BodyLimitMixin, APIView):
    parser_classes = [MultiPartParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "import"

    @extend_schema(
        summary="Import a .rst spec file into a project",
        description=(
            "The spec keeps the file's text byte for byte; the report lists what departs from the template."
        ),
        request={"multipart/form-data": s.ImportSerializer},
        responses={
            201: OpenApiResponse(s.ImportReportSerializer, description="A new spec."),
            200: OpenApiResponse(
                s.ImportReportSerializer, description="An existing spec replaced, or unchanged."
            ),
            **WRITE_ERRORS,
            **error_responses(429),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        project = get_object_or_404(Project, slug=slug)
        form = s.ImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        check_file_size(upload.size)
        report = importing.import_spec(
            actor=signed_in_user(request),
            project=project,
            source=upload.read(),
            release=form.validated_data["release"],
            filename=upload.name or "",
            replace=form.validated_data["replace"],
        )
        data = {
            "outcome": report.outcome,
            "created": report.created,
            "replaced": report.replaced,
            "spec": report.spec,
            "missing_sections": report.missing_sections,
            "extra_sections": report.extra_sections,
            "notes": report.notes,
        }
        return Response(
            s.ImportReportSerializer(data).data,
            status=status.HTTP_201_CREATED if report.created else status.HTTP_200_OK,
        )

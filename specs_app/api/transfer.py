"""A spec's file and patch for download, and importing a file or a whole repository into a project."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, renderers, status
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
from specs_app.api.errors import PayloadTooLarge
from specs_app.limits import check_file_size
from specs_app.models import Project
from specs_app.transfer import archives, downloads, exporting, importing, uploads


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
        description=(
            "A spec in review, approved, merged or implemented comes as its latest revision; a draft "
            "or abandoned one as its working draft. ``draft=1`` gives the working draft whatever the "
            "status, named ``<slug>.working-draft.rst``."
        ),
        parameters=[
            OpenApiParameter(
                "draft", OpenApiTypes.STR, enum=["1", "0"], description="1: the authors' working draft."
            )
        ],
        responses={(200, "text/x-rst"): OpenApiTypes.STR, **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> HttpResponse:
        spec = self.get_spec(exporting.specs_with_sections())
        draft = downloads.wants_draft(request.query_params.get("draft"))
        return downloads.spec_rst_download(spec, draft=draft)


class SpecExportPatchView(BodyLimitMixin, SpecLookupMixin, APIView):
    renderer_classes = [renderers.JSONRenderer, PatchRenderer]

    @extend_schema(
        summary="Download a git format-patch adding the spec's file",
        description="An mbox for ``git am``, creating specs/<release>/<slug>.rst.",
        responses={(200, "text/x-patch"): OpenApiTypes.STR, **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> HttpResponse:
        return downloads.spec_patch_download(self.get_spec(exporting.specs_with_sections()))


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


class ProjectRepositoryImportView(APIView):
    """The same import as the page's and ``manage.py import_specs``'s, from an uploaded archive."""

    parser_classes = [MultiPartParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "import"

    def initial(self, request: Request, *args, **kwargs) -> None:
        # An archive's limit, not a spec's (BodyLimitMixin): refused before the body is read.
        message = archives.request_size_error(request.META)
        if message:
            raise PayloadTooLarge(message)
        super().initial(request, *args, **kwargs)

    @extend_schema(
        summary="Import a whole specs repository, uploaded as an archive",
        description=(
            "Every file under the archive's specs/ folder is imported at its repository path: specs byte "
            "for byte, templates as the project's templates, links, index pages and redirects kept as "
            "they are. The archive is unpacked safely: members outside the repository (absolute paths, "
            "``..``, links leading out) are refused, and so is an archive over the limits of size and "
            "number of files (413). Importing the same archive again changes nothing (every file "
            "``unchanged``). 201 when at least one spec was created, else 200."
        ),
        request={"multipart/form-data": s.RepositoryImportSerializer},
        responses={
            201: OpenApiResponse(s.RepositoryImportReportSerializer, description="New specs imported."),
            200: OpenApiResponse(
                s.RepositoryImportReportSerializer,
                description="No new spec: all replaced, unchanged or failed.",
            ),
            **WRITE_ERRORS,
            **error_responses(429),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        project = get_object_or_404(Project, slug=slug)
        form = s.RepositoryImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["archive"]
        try:
            result = uploads.import_upload(
                actor=signed_in_user(request),
                project=project,
                upload=upload,
                filename=upload.name or "",
                size=upload.size,
                replace=form.validated_data["replace"],
            )
        except archives.ArchiveTooLarge as error:
            raise PayloadTooLarge(" ".join(error.messages)) from error
        except archives.ArchiveRefused as error:
            raise exceptions.ValidationError({"archive": error.messages}) from error
        report = result.report
        data = {
            "repository": result.repository,
            "project": project.slug,
            "summary": report.summary(),
            "counts": {outcome: report.counts[outcome] for outcome in s.REPOSITORY_OUTCOMES},
            "files": [
                {
                    "path": row.result.path,
                    "outcome": row.result.outcome.value,
                    "kind": row.result.kind,
                    "reason": row.result.reason,
                    "missing_sections": row.result.missing_sections,
                    "extra_sections": row.result.extra_sections,
                    "spec": row.spec,
                }
                for row in uploads.report_rows(report)
            ],
        }
        return Response(
            s.RepositoryImportReportSerializer(data).data,
            status=status.HTTP_201_CREATED if report.imported else status.HTTP_200_OK,
        )

"""The REST API's views: parse the request, call one service, shape the answer.

Every write goes through the same service functions as the browser pages, so
permissions and validation have one code path; errors are reshaped by
``errors.exception_handler``. A spec is addressed by its id or by
``<project>/<slug>`` (see urls.py); both reach the same views.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import filters, mixins, renderers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .. import preview, selectors, services, services_text, services_transfer
from .. import search as full_text
from ..downloads import file_download
from ..models import Project, Spec, SpecSection, SpecTemplate
from ..rst.document import body_text
from ..rst.safety import MAX_SPEC_CHARACTERS
from . import serializers as s
from .errors import PayloadTooLarge
from .filters import SpecFilter, TemplateFilter
from .pagination import Pagination
from .render import GateSerializer

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


# Projects and templates


@extend_schema_view(
    list=extend_schema(
        summary="List projects", responses={200: s.ProjectSerializer(many=True), **READ_ERRORS}
    ),
    retrieve=extend_schema(summary="Read a project", responses={200: s.ProjectSerializer, **READ_ERRORS}),
)
class ProjectViewSet(BodyLimitMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ProjectSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Project]:
        return selectors.project_list()


@extend_schema_view(
    list=extend_schema(
        summary="List templates", responses={200: s.TemplateSerializer(many=True), **READ_ERRORS}
    ),
    retrieve=extend_schema(
        summary="Read a template with its sections",
        responses={200: s.TemplateDetailSerializer, **READ_ERRORS},
    ),
)
class TemplateViewSet(BodyLimitMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"[0-9]{1,18}"
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = TemplateFilter

    def get_queryset(self) -> QuerySet[SpecTemplate]:
        templates = SpecTemplate.objects.select_related("project").order_by("project__slug", "release")
        if self.action == "retrieve":
            templates = templates.prefetch_related(
                Prefetch("sections", queryset=selectors.TemplateSection.objects.order_by("order"))
            )
        return templates

    def get_serializer_class(self):
        return s.TemplateDetailSerializer if self.action == "retrieve" else s.TemplateSerializer


# Specs


@extend_schema_view(
    list=extend_schema(summary="List specs", responses={200: s.SpecListSerializer(many=True), **READ_ERRORS}),
    create=extend_schema(
        summary="Create a spec",
        description="A new spec following its project's template for the release, every section empty.",
        request=s.SpecCreateSerializer,
        responses={201: s.SpecDetailSerializer, **WRITE_ERRORS},
    ),
    retrieve=extend_schema(summary="Read a spec", responses={200: s.SpecDetailSerializer, **READ_ERRORS}),
    update=extend_schema(
        summary="Replace a spec's metadata",
        request=s.SpecUpdateSerializer,
        responses={200: s.SpecDetailSerializer, **WRITE_ERRORS, **error_responses(409)},
    ),
    partial_update=extend_schema(
        summary="Change some of a spec's metadata",
        request=s.SpecUpdateSerializer,
        responses={200: s.SpecDetailSerializer, **WRITE_ERRORS, **error_responses(409)},
    ),
    destroy=extend_schema(
        summary="Delete a spec (its owner or staff)", responses={204: None, **WRITE_ERRORS}
    ),
)
class SpecViewSet(BodyLimitMixin, SpecLookupMixin, viewsets.ModelViewSet):
    parser_classes = [JSONParser]
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = SpecFilter
    ordering_fields = ["updated_at", "created_at", "title", "slug", "release", "status"]

    @property
    def ordering(self) -> list[str]:
        """The default order: best match first when searching (see SpecFilter), else newest."""
        if self._search_terms():
            return ["-search_rank", "-updated_at", "-pk"]
        return ["-updated_at", "-pk"]

    def _search_terms(self) -> str:
        request = getattr(self, "request", None)
        return request.query_params.get("search", "").strip() if request is not None else ""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        terms = self._search_terms()
        if terms and page is not None:
            marked = full_text.snippets((spec.pk for spec in page), terms)
            for spec in page:
                spec.snippet = marked.get(spec.pk, "")
        return page

    def get_queryset(self) -> QuerySet[Spec]:
        specs = Spec.objects.select_related("project", "owner").prefetch_related("co_authors")
        # The search vector is the largest column and only the database reads it.
        return specs.defer("search_vector")

    def get_serializer_class(self):
        return s.SpecListSerializer if self.action == "list" else s.SpecDetailSerializer

    def get_object(self) -> Spec:
        return self.get_spec(self._detail_queryset())

    def _detail_queryset(self) -> QuerySet[Spec]:
        return self.get_queryset().prefetch_related(
            Prefetch("sections", queryset=SpecSection.objects.order_by("position"))
        )

    def _detail(self, spec: Spec, status_code: int = status.HTTP_200_OK) -> Response:
        spec = self._detail_queryset().get(pk=spec.pk)
        return Response(
            s.SpecDetailSerializer(spec, context=self.get_serializer_context()).data, status=status_code
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        form = s.SpecCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        spec = services.create_spec(actor=request.user, **form.validated_data)
        return self._detail(spec, status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        spec = self.get_spec()
        form = s.SpecUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        form.is_valid(raise_exception=True)
        data = form.validated_data
        with transaction.atomic():
            spec = services.update_spec(
                actor=request.user,
                spec=spec,
                base_version=data["version"],
                title=data.get("title", spec.title),
                release=data.get("release", spec.release),
                intro=data.get("intro", body_text(spec.intro)),
                sections={},
            )
            if "co_authors" in data:
                services.set_co_authors(actor=request.user, spec=spec, co_authors=data["co_authors"])
        return self._detail(spec)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        services.delete_spec(actor=request.user, spec=self.get_spec())
        return Response(status=status.HTTP_204_NO_CONTENT)


# One section of a spec


@extend_schema_view(
    list=extend_schema(
        summary="List a spec's sections", responses={200: s.SectionSerializer(many=True), **READ_ERRORS}
    ),
    retrieve=extend_schema(summary="Read a section", responses={200: s.SectionSerializer, **READ_ERRORS}),
    update=extend_schema(
        summary="Write a section's text",
        description="Refused with 409 and the current text when the section changed since ``version``.",
        request=s.SectionWriteSerializer,
        responses={200: s.SectionSerializer, **WRITE_ERRORS, **error_responses(409)},
    ),
    partial_update=extend_schema(
        summary="Write a section's text",
        request=s.SectionWriteSerializer,
        responses={200: s.SectionSerializer, **WRITE_ERRORS, **error_responses(409)},
    ),
)
class SpecSectionViewSet(
    BodyLimitMixin,
    SpecLookupMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.SectionSerializer
    pagination_class = None
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[SpecSection]:
        spec = self.get_spec()
        return spec.sections.select_related("template_section").order_by("position")

    def get_object(self) -> SpecSection:
        return get_object_or_404(self.get_queryset(), pk=int(self.kwargs["section_id"]))

    def update(self, request: Request, *args, **kwargs) -> Response:
        section = self.get_object()
        form = s.SectionWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.update_section(
            actor=request.user,
            section=section,
            base_version=form.validated_data["version"],
            text=form.validated_data["text"],
        )
        return Response(s.SectionSerializer(self.get_object()).data)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        return self.update(request, *args, **kwargs)


# Gate, whole text, export, import


class SpecGateView(BodyLimitMixin, SpecLookupMixin, APIView):
    @extend_schema(
        summary="Check a spec against its project's gate",
        description=(
            "The specs repository's checks: titles against the template, line length, whitespace, RST errors."
        ),
        responses={200: GateSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> Response:
        spec = self.get_spec(services_transfer.specs_with_sections().select_related("template"))
        return Response(GateSerializer(preview.spec_gate(spec)).data)


class SpecTextView(BodyLimitMixin, SpecLookupMixin, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Read a spec's whole .rst text with its version",
        responses={200: s.SpecTextSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> Response:
        spec = self.get_spec(services_transfer.specs_with_sections())
        return Response(
            s.SpecTextSerializer({"text": spec.text(), "version": spec.version, "path": spec.path}).data
        )

    @extend_schema(
        summary="Replace a spec's whole .rst text",
        description=(
            "Splits the text into sections, matched to the template by title as an import does. "
            "Refused with 409 and the current text when the spec changed since ``version``."
        ),
        request=s.SpecTextWriteSerializer,
        responses={200: s.SpecTextSerializer, **WRITE_ERRORS, **error_responses(409)},
    )
    def put(self, request: Request, **kwargs) -> Response:
        spec = self.get_spec()
        form = s.SpecTextWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        spec = services_text.replace_spec_text(
            actor=request.user,
            spec=spec,
            text=form.validated_data["text"],
            base_version=form.validated_data["version"],
        )
        spec = services_transfer.specs_with_sections().get(pk=spec.pk)
        return Response(
            s.SpecTextSerializer({"text": spec.text(), "version": spec.version, "path": spec.path}).data
        )


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
        spec = self.get_spec(services_transfer.specs_with_sections())
        return file_download(spec.text(), content_type="text/x-rst", filename=f"{spec.slug}.rst")


class SpecExportPatchView(BodyLimitMixin, SpecLookupMixin, APIView):
    renderer_classes = [renderers.JSONRenderer, PatchRenderer]

    @extend_schema(
        summary="Download a git format-patch adding the spec's file",
        description="An mbox for ``git am``, creating specs/<release>/<slug>.rst.",
        responses={(200, "text/x-patch"): OpenApiTypes.STR, **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> HttpResponse:
        spec = self.get_spec(services_transfer.specs_with_sections())
        return file_download(
            services_transfer.spec_patch(spec=spec),
            content_type="text/x-patch",
            filename=f"{spec.slug}.patch",
        )


class ProjectImportView(BodyLimitMixin, APIView):
    parser_classes = [MultiPartParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "import"
    # A file of the largest size, plus the multipart framing and the other fields.
    max_body_bytes = services_transfer.MAX_SPEC_BYTES + 64 * 1024

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
        if upload.size > services_transfer.MAX_SPEC_BYTES:
            raise PayloadTooLarge(
                f"The file is {upload.size:,} bytes; "
                f"a spec file may have at most {services_transfer.MAX_SPEC_BYTES:,}."
            )
        report = services_transfer.import_spec(
            actor=request.user,
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


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any other path under the API: a 404 in the API's error shape, not an HTML page."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise NotFound("No such API endpoint.")

    def get(self, request: Request, *args, **kwargs) -> Response:
        raise NotFound("No such API endpoint.")

"""Specs, their sections, their whole text and their gate: parse, call one service, answer.

Every write goes through the same service functions as the browser pages, so
permissions and validation have one code path.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from specs_app.api import list_cache
from specs_app.api import serializers as s
from specs_app.api.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    BodyLimitMixin,
    SpecLookupMixin,
    error_responses,
    signed_in_user,
)
from specs_app.api.pagination import Pagination
from specs_app.api.render import GateSerializer
from specs_app.authoring import search as full_text
from specs_app.authoring import services
from specs_app.authoring import text as services_text
from specs_app.authoring.filters import SpecFilter
from specs_app.models import Attention, Spec, SpecSection
from specs_app.preview import preview
from specs_app.rst.document import body_text
from specs_app.transfer import exporting


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
    # Without ?ordering=, SpecFilter's order: best match first when searching, else newest.
    ordering_fields = ["updated_at", "created_at", "title", "slug", "release", "status"]

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
        specs = Spec.objects.prefetch_related(
            "co_authors", Prefetch("attention", queryset=Attention.objects.select_related("user"))
        )
        # Joined to both its project and owner, SQLite's planner reads a list of specs from the
        # small tables' side and then sorts every spec; with the owner fetched apart, the page
        # is read off the recency index.
        if connection.vendor == "sqlite":
            specs = specs.select_related("project").prefetch_related("owner")
        else:
            specs = specs.select_related("project", "owner")
        # The search vector is the largest column and only the database reads it.
        return specs.defer("search_vector")

    def get_serializer_class(self):
        return s.SpecListSerializer if self.action == "list" else s.SpecDetailSerializer

    def list(self, request: Request, *args, **kwargs) -> Response:
        return list_cache.cached_list(
            request,
            fields=tuple(s.SpecListSerializer.Meta.fields),
            build=lambda: super(SpecViewSet, self).list(request, *args, **kwargs),
        )

    def get_object(self) -> Spec:
        return self.get_spec(self._detail_queryset())

    def http_method_not_allowed(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        # "specs/<project>/<name>/" also matches a sub-resource of a spec that does not exist
        # ("specs/null/publish/"): that is a 404, as for any other method, not a 405.
        if "project_slug" in self.kwargs:
            self.get_spec()
        return super().http_method_not_allowed(request, *args, **kwargs)

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
        spec = services.create_spec(actor=signed_in_user(request), **form.validated_data)
        return self._detail(spec, status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        spec = self.get_spec()
        form = s.SpecUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        form.is_valid(raise_exception=True)
        data = form.validated_data
        with transaction.atomic():
            spec = services.update_spec(
                actor=signed_in_user(request),
                spec=spec,
                base_version=data["version"],
                title=data.get("title", spec.title),
                release=data.get("release", spec.release),
                intro=data.get("intro", body_text(spec.intro)),
                sections={},
            )
            if "co_authors" in data:
                services.set_co_authors(
                    actor=signed_in_user(request), spec=spec, co_authors=data["co_authors"]
                )
        return self._detail(spec)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        services.delete_spec(actor=signed_in_user(request), spec=self.get_spec())
        return Response(status=status.HTTP_204_NO_CONTENT)


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
            actor=signed_in_user(request),
            section=section,
            base_version=form.validated_data["version"],
            text=form.validated_data["text"],
        )
        return Response(s.SectionSerializer(self.get_object()).data)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        return self.update(request, *args, **kwargs)


class SpecGateView(BodyLimitMixin, SpecLookupMixin, APIView):
    @extend_schema(
        summary="Check a spec against its project's gate",
        description=(
            "The specs repository's checks: titles against the template, line length, whitespace, RST errors."
        ),
        responses={200: GateSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> Response:
        spec = self.get_spec(exporting.specs_with_sections().select_related("template"))
        return Response(GateSerializer(preview.spec_gate(spec)).data)


class SpecTextView(BodyLimitMixin, SpecLookupMixin, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Read a spec's whole .rst text with its version",
        responses={200: s.SpecTextSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> Response:
        spec = self.get_spec(exporting.specs_with_sections())
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
            actor=signed_in_user(request),
            spec=spec,
            text=form.validated_data["text"],
            base_version=form.validated_data["version"],
        )
        spec = exporting.specs_with_sections().get(pk=spec.pk)
        return Response(
            s.SpecTextSerializer({"text": spec.text(), "version": spec.version, "path": spec.path}).data
        )

"""Projects and their templates: read only."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from specs_app.api import serializers as s
from specs_app.api.common import READ_ERRORS, BodyLimitMixin
from specs_app.api.filters import TemplateFilter
from specs_app.api.pagination import Pagination
from specs_app.authoring import selectors
from specs_app.models import Project, SpecTemplate, TemplateSection


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
                Prefetch("sections", queryset=TemplateSection.objects.order_by("order"))
            )
        return templates

    def get_serializer_class(self):
        return s.TemplateDetailSerializer if self.action == "retrieve" else s.TemplateSerializer

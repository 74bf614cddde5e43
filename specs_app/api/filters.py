"""What the spec list can be filtered by: ``?project=&status=&release=&owner=&search=``."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from ..models import Spec, SpecStatus, SpecTemplate


class SpecFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", help_text="A project's slug.")
    status = django_filters.ChoiceFilter(choices=SpecStatus.choices)
    release = django_filters.CharFilter(help_text="A release name, such as 2026.1.")
    owner = django_filters.CharFilter(field_name="owner__username", help_text="The owner's username.")
    search = django_filters.CharFilter(
        method="filter_search", help_text="Words in the title or the file name."
    )

    class Meta:
        model = Spec
        fields = ["project", "status", "release", "owner", "search"]

    def filter_search(self, queryset: QuerySet[Spec], name: str, value: str) -> QuerySet[Spec]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(slug__icontains=value))


class TemplateFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", help_text="A project's slug.")

    class Meta:
        model = SpecTemplate
        fields = ["project"]

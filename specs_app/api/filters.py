"""What the spec list can be filtered by: ``?project=&status=&release=&owner=&search=``."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet

from specs_app.authoring import search as full_text
from specs_app.models import Spec, SpecStatus, SpecTemplate


class SpecFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        # An empty ?status= is no status at all; saying so beats listing every spec.
        if self.data.get("status", None) == "":
            choices = ", ".join(value for value, _ in SpecStatus.choices)
            self.add_error("status", f"Give a status ({choices}), or leave the parameter out.")
        return cleaned


class SpecFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", help_text="A project's slug.")
    status = django_filters.ChoiceFilter(choices=SpecStatus.choices)
    release = django_filters.CharFilter(help_text="A release name, such as 2026.1.")
    owner = django_filters.CharFilter(field_name="owner__username", help_text="The owner's username.")
    search = django_filters.CharFilter(
        method="filter_search",
        help_text=(
            "Words in the title, the file name, the section titles or the text. "
            "Results come best match first (unless `ordering` is given), each with a `snippet`."
        ),
    )

    class Meta:
        model = Spec
        fields = ["project", "status", "release", "owner", "search"]
        form = SpecFilterForm

    def filter_search(self, queryset: QuerySet[Spec], name: str, value: str) -> QuerySet[Spec]:
        value = value.strip()
        if not value:
            return queryset
        return full_text.filter_specs(queryset, value)


class TemplateFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", help_text="A project's slug.")

    class Meta:
        model = SpecTemplate
        fields = ["project"]

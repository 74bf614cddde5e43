"""What a list of specs can be filtered by, for the spec list page and ``GET /api/v1/specs/``.

``?project=&status=&release=&owner=&waiting_for=&search=``: one set of filters, one
validation and one order, so the page and the API list the same specs for
the same query. The API refuses a query it cannot apply (400, the form's
messages per parameter); the page shows the same messages and lists as if
the refused filter were not given.
"""

from __future__ import annotations

from collections.abc import Iterable

import django_filters
from django import forms
from django.db.models import QuerySet

from specs_app.authoring import search as full_text
from specs_app.models import Spec, SpecStatus

# The order when no other is asked for: best match first when searching, else newest.
SEARCH_ORDER = ("-search_rank", "-updated_at", "-pk")
RECENT_ORDER = ("-updated_at", "-pk")


class SpecFilterForm(forms.Form):
    # Whether someone signed in asks (``SpecFilter.form`` says), for ``waiting_for=me``.
    signed_in = False

    def clean(self):
        cleaned = super().clean()
        # An empty ?status= is no status at all; saying so beats listing every spec.
        if self.data.get("status", None) == "":
            choices = ", ".join(value for value, _ in SpecStatus.choices)
            self.add_error("status", f"Give a status ({choices}), or leave the parameter out.")
        if (self.cleaned_data.get("waiting_for") or "").strip() == "me" and not self.signed_in:
            self.add_error("waiting_for", "Sign in to list the specs waiting for you, or give a username.")
        return cleaned


class SpecFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", help_text="A project's slug.")
    status = django_filters.ChoiceFilter(choices=SpecStatus.choices, empty_label="Any status")
    release = django_filters.CharFilter(help_text="A release name, such as 2026.1.")
    owner = django_filters.CharFilter(field_name="owner__username", help_text="The owner's username.")
    waiting_for = django_filters.CharFilter(
        label="Waiting for",
        method="filter_waiting_for",
        help_text="Specs whose turn is this person's (its attention set): a username, or `me` for yours.",
    )
    search = django_filters.CharFilter(
        label="Search",
        method="filter_search",
        help_text=(
            "Words in the title, the file name, the section titles or the text. "
            "Results come best match first (unless `ordering` is given), each with a `snippet`."
        ),
    )

    class Meta:
        model = Spec
        fields = ["project", "status", "release", "owner", "waiting_for", "search"]
        form = SpecFilterForm

    @property
    def form(self) -> forms.Form:
        form = super().form
        # "me" needs someone signed in, and the form alone does not know who asks.
        if isinstance(form, SpecFilterForm):
            form.signed_in = self._asker() is not None
        return form

    def _asker(self):
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None

    def filter_waiting_for(self, queryset: QuerySet[Spec], name: str, value: str) -> QuerySet[Spec]:
        value = value.strip()
        if not value:
            return queryset
        user = self._asker() if value == "me" else None
        if user is not None:
            return queryset.filter(attention__user=user)
        return queryset.filter(attention__user__username=value)

    def filter_search(self, queryset: QuerySet[Spec], name: str, value: str) -> QuerySet[Spec]:
        value = value.strip()
        if not value:
            return queryset
        return full_text.filter_specs(queryset, value)

    def filter_queryset(self, queryset: QuerySet[Spec]) -> QuerySet[Spec]:
        specs = super().filter_queryset(queryset)
        return specs.order_by(*(SEARCH_ORDER if self.search_terms() else RECENT_ORDER))

    def search_terms(self) -> str:
        """The search applied, or "" (none, or refused)."""
        return (self.form.cleaned_data.get("search") or "").strip() if self.is_bound else ""


class ProjectSpecFilter(SpecFilter):
    """A project's spec list page: the URL names the project, and releases and owners are offered."""

    def __init__(
        self, data=None, *args, releases: Iterable[str] = (), owners: Iterable[str] = (), **kwargs
    ) -> None:
        super().__init__(data, *args, **kwargs)
        del self.filters["project"]
        self.form.fields["release"].widget = forms.Select(
            choices=[("", "Any release"), *((release, release) for release in releases)]
        )
        self.form.fields["owner"].widget = forms.Select(
            choices=[("", "Anyone"), *((owner, owner) for owner in owners)]
        )

"""The site-wide search page, /search/?search=: every project's specs, ranked as the API ranks them."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from specs_app.authoring import search as full_text
from specs_app.authoring import selectors
from specs_app.authoring.pagination import CountingPaginator

# As many as a page of GET /api/v1/specs/ by default.
RESULTS_PER_PAGE = 20


class SiteSearchForm(forms.Form):
    search = forms.CharField(
        required=False,
        label="Search specs",
        max_length=full_text.MAX_QUERY_LENGTH,
        error_messages={
            "max_length": "A search has at most %(limit_value)d characters (this one has %(show_value)d)."
        },
    )


@require_GET
def site_search(request: HttpRequest) -> HttpResponse:
    form = SiteSearchForm(request.GET)
    query = form.cleaned_data["search"] if form.is_valid() else ""
    page, results = None, []
    if query:
        page = CountingPaginator(selectors.site_search(query=query), RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        marked = full_text.snippets((spec.pk for spec in page.object_list), query)
        results = [(spec, marked.get(spec.pk, "")) for spec in page.object_list]
    return render(
        request,
        "specs_app/authoring/search.html",
        {"form": form, "query": query, "page": page, "results": results},
        status=400 if form.errors else 200,
    )

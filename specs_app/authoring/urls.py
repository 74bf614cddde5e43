"""Projects, spec lists and the spec pages: read, create, edit."""

from django.urls import path

from specs_app.authoring import lineage_views, search_views, views
from specs_app.converters import SPEC

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("search/", search_views.site_search, name="search"),
    path("p/<slug:project_slug>/", views.spec_list, name="spec-list"),
    path("p/<slug:project_slug>/new/", views.spec_create, name="spec-create"),
    path(f"{SPEC}/", views.spec_detail, name="spec-detail"),
    path(f"{SPEC}/edit/", views.spec_edit, name="spec-edit"),
    path(f"{SPEC}/edit/preview/", views.SpecEditPreviewView.as_view(), name="spec-edit-preview"),
    path(f"{SPEC}/repropose/", lineage_views.spec_repropose, name="spec-repropose"),
    path(f"{SPEC}/releases/compare/", lineage_views.lineage_compare, name="lineage-compare"),
]

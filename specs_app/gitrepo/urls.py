"""Routes for a project's git repository; included into the "specs" namespace."""

from django.urls import path, re_path

from specs_app.gitrepo import views
from specs_app.models import NAME_PATTERN

_SPEC = rf"^p/(?P<project_slug>[-a-zA-Z0-9_]+)/(?P<spec_slug>{NAME_PATTERN})"

urlpatterns = [
    path("p/<slug:project_slug>/repository/", views.repository, name="repository"),
    path("p/<slug:project_slug>/repository/sync/", views.sync, name="repository-sync"),
    path("p/<slug:project_slug>/repository/jobs/<int:job_id>/", views.sync_job, name="sync-job"),
    re_path(rf"{_SPEC}/publish/$", views.publish, name="spec-publish"),
    re_path(rf"{_SPEC}/upstream/$", views.spec_upstream, name="spec-upstream"),
]

"""The REST API's routes, under /api/v1/ in the "api" namespace.

A spec is addressed two ways, both reaching the same views:
``specs/<id>/...`` and ``specs/<project>/<slug>/...`` (the CLI's ``PROJECT/SLUG``).
The id form is tried first, so a project whose slug is all digits cannot use
the name form for specs named like a sub-resource ("gate", "text", ...).

To add a resource under a spec (reviews, comments, revisions), add one line
to ``SPEC_RESOURCES`` below, e.g.
``*spec_routes("reviews/", ReviewViewSet.as_view({"get": "list", "post": "create"}), "spec-reviews")``:
it gets both forms of address, and ``SpecLookupMixin.get_spec()`` finds the spec.
"""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from specs_app.api import (
    account,
    attention,
    common,
    lineage,
    notifications,
    projects,
    repository,
    signoff,
    specs,
    transfer,
)
from specs_app.api import review as rv
from specs_app.api.render import RenderView
from specs_app.models import NAME_PATTERN

app_name = "api"

router = DefaultRouter()
router.register("projects", projects.ProjectViewSet, basename="project")
router.register("templates", projects.TemplateViewSet, basename="template")

_ID = r"(?P<pk>[0-9]{1,18})"
_NAME = rf"(?P<project_slug>[-a-zA-Z0-9_]+)/(?P<spec_slug>{NAME_PATTERN})"
_SECTION = r"(?P<section_id>[0-9]{1,18})"


def spec_routes(suffix: str, view, name: str) -> list:
    """``view`` at ``specs/<id>/<suffix>`` as ``name`` and at ``specs/<project>/<slug>/<suffix>``
    as ``<name>-by-name``."""
    return [
        re_path(rf"^specs/{_ID}/{suffix}$", view, name=name),
        re_path(rf"^specs/{_NAME}/{suffix}$", view, name=f"{name}-by-name"),
    ]


spec_list = specs.SpecViewSet.as_view({"get": "list", "post": "create"})
spec_detail = specs.SpecViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)
section_list = specs.SpecSectionViewSet.as_view({"get": "list"})
section_detail = specs.SpecSectionViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update"}
)

SPEC_RESOURCES = [
    *spec_routes("sections/", section_list, "spec-section-list"),
    *spec_routes(rf"sections/{_SECTION}/", section_detail, "spec-section-detail"),
    *spec_routes("gate/", specs.SpecGateView.as_view(), "spec-gate"),
    *spec_routes("text/", specs.SpecTextView.as_view(), "spec-text"),
    *spec_routes("lineage/", lineage.LineageView.as_view(), "spec-lineage"),
    *spec_routes("repropose/", lineage.ReproposeView.as_view(), "spec-repropose"),
    *spec_routes("upstream/", repository.SpecUpstreamView.as_view(), "spec-upstream"),
    *spec_routes("upstream/resolve/", repository.SpecResolveView.as_view(), "spec-upstream-resolve"),
    *spec_routes("publish/", repository.SpecPublishView.as_view(), "spec-publish"),
    *spec_routes(r"export\.rst", transfer.SpecExportRstView.as_view(), "spec-export-rst"),
    *spec_routes(r"export\.patch", transfer.SpecExportPatchView.as_view(), "spec-export-patch"),
    # Review: revisions, comments, reviews and the workflow actions.
    *spec_routes("revisions/", rv.RevisionListView.as_view(), "spec-revision-list"),
    *spec_routes("revisions/diff/", rv.RevisionDiffView.as_view(), "spec-revision-diff"),
    *spec_routes(rf"revisions/{rv.NUMBER}/", rv.RevisionDetailView.as_view(), "spec-revision-detail"),
    *spec_routes("comments/", rv.CommentListView.as_view(), "spec-comment-list"),
    *spec_routes(rf"comments/{rv.COMMENT}/", rv.CommentDetailView.as_view(), "spec-comment-detail"),
    *spec_routes(rf"comments/{rv.COMMENT}/reply/", rv.CommentReplyView.as_view(), "spec-comment-reply"),
    *spec_routes(rf"comments/{rv.COMMENT}/resolve/", rv.CommentResolveView.as_view(), "spec-comment-resolve"),
    *spec_routes(rf"comments/{rv.COMMENT}/reopen/", rv.CommentReopenView.as_view(), "spec-comment-reopen"),
    *spec_routes(rf"comments/{rv.COMMENT}/verify/", rv.CommentVerifyView.as_view(), "spec-comment-verify"),
    *spec_routes("signoffs/", signoff.SignoffView.as_view(), "spec-signoffs"),
    *spec_routes("suggestions/apply/", rv.SuggestionsApplyView.as_view(), "spec-suggestions-apply"),
    *spec_routes("reviews/", rv.ReviewListView.as_view(), "spec-reviews"),
    *spec_routes("attention/", attention.AttentionView.as_view(), "spec-attention"),
    *spec_routes("submit/", rv.SubmitView.as_view(), "spec-submit"),
    *spec_routes("abandon/", rv.AbandonView.as_view(), "spec-abandon"),
    *spec_routes("restore/", rv.RestoreView.as_view(), "spec-restore"),
    *spec_routes("approve/", rv.ApproveView.as_view(), "spec-approve"),
    *spec_routes("merge/", rv.MergeView.as_view(), "spec-merge"),
    *spec_routes("reopen/", rv.ReopenView.as_view(), "spec-reopen"),
]

urlpatterns: list = [
    path("render/", RenderView.as_view(), name="render"),
    path("projects/<slug:slug>/import/", transfer.ProjectImportView.as_view(), name="project-import"),
    path(
        "projects/<slug:slug>/import-repository/",
        transfer.ProjectRepositoryImportView.as_view(),
        name="project-import-repository",
    ),
    path("projects/<slug:slug>/repository/", repository.RepositoryView.as_view(), name="project-repository"),
    path(
        "projects/<slug:slug>/section-owners/",
        signoff.SectionOwnersView.as_view(),
        name="project-section-owners",
    ),
    path("projects/<slug:slug>/sync/", repository.SyncView.as_view(), name="project-sync"),
    path(
        "projects/<slug:slug>/sync/<int:job_id>/", repository.SyncJobView.as_view(), name="project-sync-job"
    ),
    path("notifications/", notifications.NotificationListView.as_view(), name="notification-list"),
    path("notifications/read/", notifications.NotificationsReadView.as_view(), name="notifications-read"),
    path(
        "notifications/<int:notification_id>/read/",
        notifications.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path("account/settings/", account.AccountSettingsView.as_view(), name="account-settings"),
    path("specs/", spec_list, name="spec-list"),
    *SPEC_RESOURCES,
    *spec_routes("", spec_detail, "spec-detail"),
    path("", include(router.urls)),
    # Last: anything else under /api/v1/ is a 404 in the API's error shape.
    re_path(r"^[\s\S]*$", common.NotFoundView.as_view(), name="not-found"),
]

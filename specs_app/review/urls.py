"""The review pages: under each spec, and the signed-in person's own."""

from django.urls import path

from specs_app.converters import SPEC
from specs_app.review import views as review_views

urlpatterns = [
    path("dashboard/", review_views.dashboard, name="dashboard"),
    path("notifications/", review_views.notification_list, name="notification-list"),
    path("notifications/read/", review_views.notifications_read, name="notifications-read"),
    path("notifications/<int:notification_id>/", review_views.notification_open, name="notification-open"),
    path(f"{SPEC}/review/comments/", review_views.comment_create, name="comment-create"),
    path(f"{SPEC}/review/comments/<int:comment_id>/reply/", review_views.comment_reply, name="comment-reply"),
    path(f"{SPEC}/review/comments/<int:comment_id>/edit/", review_views.comment_edit, name="comment-edit"),
    path(
        f"{SPEC}/review/comments/<int:comment_id>/delete/",
        review_views.comment_delete,
        name="comment-delete",
    ),
    path(
        f"{SPEC}/review/comments/<int:comment_id>/<slug:state>/",
        review_views.comment_state,
        name="comment-state",
    ),
    path(f"{SPEC}/review/publish/", review_views.review_publish, name="review-publish"),
    # Before the workflow actions' catch-all: "attention" is not one of them.
    path(f"{SPEC}/review/attention/", review_views.attention_hand, name="attention-hand"),
    path(f"{SPEC}/review/attention/leave/", review_views.attention_leave, name="attention-leave"),
    path(f"{SPEC}/review/suggestions/apply/", review_views.suggestions_apply, name="suggestions-apply"),
    path(f"{SPEC}/review/<slug:action>/", review_views.spec_action, name="spec-action"),
    path(f"{SPEC}/revisions/compare/", review_views.revision_compare, name="revision-compare"),
    path(f"{SPEC}/revisions/<int:number>/", review_views.revision_detail, name="revision-detail"),
]

# A project's pages: before the spec pages, so "section-owners" is never taken for a spec's name.
project_urlpatterns = [
    path("p/<slug:project_slug>/section-owners/", review_views.section_owners, name="section-owners"),
    path(
        "p/<slug:project_slug>/section-owners/<int:owner_id>/delete/",
        review_views.section_owner_delete,
        name="section-owner-delete",
    ),
]

"""The review pages, added to the "specs" namespace by urls.py: under each spec, and the user's own."""

from django.urls import path

from . import review_views

_SPEC = "p/<slug:project_slug>/<specname:spec_slug>"

urlpatterns = [
    path("dashboard/", review_views.dashboard, name="dashboard"),
    path("notifications/", review_views.notification_list, name="notification-list"),
    path("notifications/read/", review_views.notifications_read, name="notifications-read"),
    path(f"{_SPEC}/review/comments/", review_views.comment_create, name="comment-create"),
    path(
        f"{_SPEC}/review/comments/<int:comment_id>/reply/", review_views.comment_reply, name="comment-reply"
    ),
    path(
        f"{_SPEC}/review/comments/<int:comment_id>/delete/",
        review_views.comment_delete,
        name="comment-delete",
    ),
    path(
        f"{_SPEC}/review/comments/<int:comment_id>/<slug:state>/",
        review_views.comment_state,
        name="comment-state",
    ),
    path(f"{_SPEC}/review/publish/", review_views.review_publish, name="review-publish"),
    path(f"{_SPEC}/review/<slug:action>/", review_views.spec_action, name="spec-action"),
    path(f"{_SPEC}/revisions/compare/", review_views.revision_compare, name="revision-compare"),
    path(f"{_SPEC}/revisions/<int:number>/", review_views.revision_detail, name="revision-detail"),
]

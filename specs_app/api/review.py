"""The review API: revisions and their differences, comments, reviews and the workflow actions.

Reads go through ``review_selectors`` (a fixed number of queries however many
revisions, reviews or comments a spec has); every write calls one
``review_services`` function, the same the browser pages call, so permissions
and validation have one code path. Refusals become the API's error shape
(``errors.exception_handler``): ``PermissionDenied`` 403, ``ValidationError`` 400.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from specs_app.api import review_serializers as rs
from specs_app.api import serializers as s
from specs_app.api.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    BodyLimitMixin,
    SpecLookupMixin,
    error_responses,
    signed_in_user,
)
from specs_app.models import Comment, Revision, Spec
from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from specs_app.review import suggestions, workflow
from specs_app.rst import diff as rst_diff

NUMBER = r"(?P<number>[0-9]{1,9})"
COMMENT = r"(?P<comment_id>[0-9]{1,18})"

COMMENT_ID = OpenApiParameter("comment_id", int, OpenApiParameter.PATH, description="A comment's id.")
REVISION_NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH, description="A revision's number.")

# ``specs/<project>/submit/`` (a spec id that is not a number) is the address of a spec named
# "submit", whose page takes no POST.
POST_ERRORS = {
    **WRITE_ERRORS,
    405: OpenApiResponse(
        s.ErrorSerializer, description="Not this method here: the address is another spec's page."
    ),
}


class ReviewApiView(BodyLimitMixin, SpecLookupMixin, APIView):
    parser_classes = [JSONParser]

    def handle_exception(self, exc: Exception) -> Response:
        # A service reads the spec or comment afresh (locked): someone may have deleted it
        # since this request found it.
        if isinstance(exc, ObjectDoesNotExist):
            exc = NotFound("It was deleted meanwhile.")
        return super().handle_exception(exc)

    def query(self, serializer_class: type[rs.serializers.Serializer]) -> dict:
        form = serializer_class(data=self.request.query_params)
        # DRF takes ``?state=`` for an absent optional parameter; here it is a mistake.
        # (BindingDict's stub iterates fields; DRF's BindingDict iterates their names.)
        blank: list[str] = [name for name in form.fields if self.request.query_params.get(name) == ""]  # type: ignore[call-overload,misc]
        if blank:
            raise ValidationError({name: "Give a value, or leave the parameter out." for name in blank})
        form.is_valid(raise_exception=True)
        return form.validated_data

    def body(self, serializer_class: type[rs.serializers.Serializer]) -> dict:
        form = serializer_class(data=self.request.data)
        form.is_valid(raise_exception=True)
        return form.validated_data

    def comment(self, spec: Spec) -> Comment:
        try:
            return review_selectors.visible_comment(
                spec, int(self.kwargs["comment_id"]), viewer=self.request.user
            )
        except Comment.DoesNotExist as error:
            raise Http404("No such comment on this spec.") from error


def _revision(spec: Spec, number: int, field: str) -> Revision:
    """Revision ``number`` of the spec; a number it does not have is a bad ``field``."""
    try:
        return review_selectors.revision_by_number(spec, number)
    except Revision.DoesNotExist as error:
        raise ValidationError({field: f"This spec has no revision {number}."}) from error


# Revisions


class RevisionListView(ReviewApiView):
    @extend_schema(
        summary="List a spec's revisions, newest first",
        responses={200: rs.RevisionSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> Response:
        spec = self.get_spec()
        return Response(rs.RevisionSerializer(review_selectors.revision_list(spec), many=True).data)


class RevisionDetailView(ReviewApiView):
    @extend_schema(
        summary="Read one revision: its .rst text and its sections as submitted",
        parameters=[REVISION_NUMBER],
        responses={200: rs.RevisionDetailSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, number: str, **kwargs) -> Response:
        spec = self.get_spec()
        try:
            revision = review_selectors.revision_by_number(spec, int(number))
        except Revision.DoesNotExist as error:
            raise Http404(f"This spec has no revision {int(number)}.") from error
        return Response(rs.RevisionDetailSerializer(revision).data)


class RevisionDiffView(ReviewApiView):
    @extend_schema(
        summary="What changed between two revisions, section by section",
        description=(
            "Sections pair up by title; each changed one has unified-diff hunks with the lines' "
            "numbers in either revision's .rst; a line edited (not rewritten) has its changed words. "
            "An unknown revision number is a 400."
        ),
        parameters=[rs.DiffQuerySerializer],
        responses={200: rs.RevisionDiffSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> Response:
        numbers = self.query(rs.DiffQuerySerializer)
        spec = self.get_spec()
        old = _revision(spec, numbers["old"], "old")
        new = _revision(spec, numbers["new"], "new")
        data = {"old": old.number, "new": new.number, "sections": rst_diff.compare(old.text, new.text)}
        return Response(rs.RevisionDiffSerializer(data).data)


# Comments


def _thread_data(thread: review_selectors.Thread, revision: Revision | None, context: dict) -> dict:
    data = dict(rs.CommentSerializer(thread.comment, context=context).data)
    anchor = None
    if thread.anchor is not None and revision is not None:
        thread.anchor.revision = revision  # the revision shown: no query per thread
        anchor = rs.AnchorSerializer(thread.anchor).data
    data["anchor"] = anchor
    data["replies"] = rs.ReplySerializer(thread.replies, many=True).data
    return data


class CommentListView(ReviewApiView):
    @extend_schema(
        summary="List a spec's comment threads, placed on a revision",
        description=(
            "Published threads and the caller's own drafts, with their replies, placed on the "
            "given revision (default: the latest): ``anchor`` has the lines there, or says the "
            "passage is outdated. A thread started on a later revision is left out."
        ),
        parameters=[rs.CommentQuerySerializer],
        responses={200: rs.ThreadListSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> Response:
        query = self.query(rs.CommentQuerySerializer)
        spec = self.get_spec()
        revision: Revision | None
        if "revision" in query:
            revision = _revision(spec, query["revision"], "revision")
        else:
            revision = review_selectors.latest_revision(spec)
        threads = review_selectors.threads(spec, viewer=request.user, revision=revision)
        if "state" in query:
            threads = [thread for thread in threads if thread.comment.state == query["state"]]
        # Every suggestion checked against the draft at once, not one by one.
        context = {"suggestions": suggestions.check_suggestions(spec, [thread.comment for thread in threads])}
        data = {
            "revision": revision.number if revision else None,
            "path": spec.path,
            "threads": [_thread_data(thread, revision, context) for thread in threads],
        }
        return Response(data)

    @extend_schema(
        summary="Add a draft comment",
        description=(
            "On the whole spec; on a section (``section_index``); on source lines "
            "(``line_start``..``line_end``); or on a passage (``quote``, with ``prefix`` and "
            "``suffix`` to tell repeats apart, found near the lines when given). The comment is a "
            "draft, seen only by its author, until they publish a review. Comments are taken "
            "while the spec is in review. On a passage or lines, ``suggestion`` proposes text to "
            "put in its place (a suggested edit, which the authors apply)."
        ),
        request=rs.CommentCreateSerializer,
        responses={201: rs.CommentSerializer, **POST_ERRORS},
    )
    def post(self, request: Request, **kwargs) -> Response:
        data = self.body(rs.CommentCreateSerializer)
        spec = self.get_spec()
        quote = data.get("quote", "")
        selection = None
        if "line_start" in data:
            line_start = data["line_start"]
            selection = review_services.Selection(
                line_start=line_start,
                line_end=data.get("line_end", line_start),
                quote=quote,
                prefix=data.get("prefix", ""),
                suffix=data.get("suffix", ""),
            )
        elif "line_end" in data:
            raise ValidationError({"line_start": "Give the first line as well as the last."})
        elif "quote" in data:
            if not quote.strip():
                raise ValidationError({"quote": "Give the passage to comment on, or its lines."})
            # No lines: anywhere in the revision.
            selection = review_services.Selection(
                line_start=1,
                line_end=rs.MAX_NUMBER,
                quote=quote,
                prefix=data.get("prefix", ""),
                suffix=data.get("suffix", ""),
            )
        comment = review_services.add_comment(
            actor=signed_in_user(request),
            spec=spec,
            body=data["body"],
            revision_number=data.get("revision"),
            section_index=data.get("section_index"),
            selection=selection,
            suggestion=data.get("suggestion"),
            requires_verification=data["requires_verification"],
        )
        return Response(rs.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentDetailView(ReviewApiView):
    @extend_schema(
        summary="Edit one of your draft comments' text",
        description="Only its author, and only while it is a draft: a published comment is a 400.",
        parameters=[COMMENT_ID],
        request=rs.CommentEditSerializer,
        responses={200: rs.CommentSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, **kwargs) -> Response:
        data = self.body(rs.CommentEditSerializer)
        spec = self.get_spec()
        comment = review_services.edit_draft_comment(
            actor=signed_in_user(request), comment=self.comment(spec), body=data["body"]
        )
        comment = review_selectors.visible_comment(spec, comment.pk, viewer=request.user)
        return Response(rs.CommentSerializer(comment).data)

    @extend_schema(
        summary="Delete one of your draft comments",
        parameters=[COMMENT_ID],
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, **kwargs) -> Response:
        comment = self.comment(self.get_spec())
        review_services.delete_draft_comment(actor=signed_in_user(request), comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentReplyView(ReviewApiView):
    @extend_schema(
        summary="Reply in a comment's thread (a draft until you publish a review)",
        parameters=[COMMENT_ID],
        request=rs.ReplyCreateSerializer,
        responses={201: rs.CommentSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, **kwargs) -> Response:
        data = self.body(rs.ReplyCreateSerializer)
        comment = self.comment(self.get_spec())
        reply = review_services.reply_to_comment(
            actor=signed_in_user(request), comment=comment, body=data["body"]
        )
        return Response(rs.CommentSerializer(reply).data, status=status.HTTP_201_CREATED)


class _ThreadStateView(ReviewApiView):
    service = staticmethod(review_services.resolve_thread)

    def post(self, request: Request, **kwargs) -> Response:
        comment = self.comment(self.get_spec())
        thread = self.service(actor=signed_in_user(request), comment=comment)
        thread = review_selectors.visible_comment(thread.spec, thread.pk, viewer=request.user)
        return Response(rs.CommentSerializer(thread).data)


class CommentResolveView(_ThreadStateView):
    service = staticmethod(review_services.resolve_thread)

    @extend_schema(
        summary="Resolve a published thread",
        description=(
            "The comment's author, or a core reviewer who is not one of the spec's authors; "
            "a reply resolves its thread. A thread whose opener asked to verify its resolution "
            "(``requires_verification``) resolved by anyone else becomes ``verifying`` until they "
            "verify it."
        ),
        parameters=[COMMENT_ID],
        request=None,
        responses={200: rs.CommentSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, **kwargs) -> Response:
        return super().post(request, **kwargs)


class CommentReopenView(_ThreadStateView):
    service = staticmethod(review_services.reopen_thread)

    @extend_schema(
        summary="Reopen a resolved thread",
        description="The comment's author, or a core reviewer who is not one of the spec's authors.",
        parameters=[COMMENT_ID],
        request=None,
        responses={200: rs.CommentSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, **kwargs) -> Response:
        return super().post(request, **kwargs)


class CommentVerifyView(_ThreadStateView):
    service = staticmethod(review_services.verify_thread)

    @extend_schema(
        summary="Verify the resolution of your thread",
        description=(
            "Only the thread's opener, and only while it is ``verifying`` (resolved by someone else "
            "after they asked to verify it): the thread is resolved. To refuse the resolution, reopen it."
        ),
        parameters=[COMMENT_ID],
        request=None,
        responses={200: rs.CommentSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, **kwargs) -> Response:
        return super().post(request, **kwargs)


class SuggestionsApplyView(ReviewApiView):
    @extend_schema(
        summary="Apply suggested edits to the working draft, as one edit",
        description=(
            "The spec's owner, co-authors and staff (403 for anyone else). Every suggestion is "
            "found in the working draft; all apply, as one new version, or none does: a stale "
            "``version`` is a 409 with the current text, and so is a suggestion whose text has "
            "changed since it was made (the message says what the draft reads there). "
            "Suggestions that change overlapping text, or a thread that is no applicable "
            "suggestion, are a 400. Each applied thread is resolved."
        ),
        request=rs.SuggestionsApplySerializer,
        responses={200: rs.SuggestionsAppliedSerializer, **POST_ERRORS, **error_responses(409)},
    )
    def post(self, request: Request, **kwargs) -> Response:
        data = self.body(rs.SuggestionsApplySerializer)
        spec = suggestions.apply_suggestions(
            actor=signed_in_user(request),
            spec=self.get_spec(),
            thread_ids=data["threads"],
            expected_version=data["version"],
        )
        return Response(
            rs.SuggestionsAppliedSerializer(
                {"version": spec.version, "threads": list(dict.fromkeys(data["threads"]))}
            ).data
        )


# Reviews


class ReviewListView(ReviewApiView):
    @extend_schema(
        summary="List a spec's published reviews, oldest first",
        description=(
            "Every review stays listed when a new revision resets the votes; `standing` says "
            "whether its vote counts now."
        ),
        responses={200: rs.ReviewSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> Response:
        spec = self.get_spec()
        reviews = list(review_selectors.published_reviews(spec))
        context = {"standing": review_selectors.review_standings(spec, reviews=reviews)}
        return Response(rs.ReviewSerializer(reviews, many=True, context=context).data)

    @extend_schema(
        summary="Publish a review of the latest revision, with all your draft comments",
        description=(
            "-1, 0 and +1 are open to anyone signed in; -2 and +2 to the project's core reviewers "
            "(403 for anyone else), but not +2 on a spec they are an author of. Without `vote` the "
            "reviewer's current vote is kept, so replies "
            "do not reset it. A review with no vote, message or comment is refused."
        ),
        request=rs.ReviewCreateSerializer,
        responses={201: rs.ReviewSerializer, **POST_ERRORS},
    )
    def post(self, request: Request, **kwargs) -> Response:
        data = self.body(rs.ReviewCreateSerializer)
        spec = self.get_spec()
        review = review_services.publish_review(
            actor=signed_in_user(request), spec=spec, vote=data.get("vote"), message=data["message"]
        )
        review = review_selectors.published_reviews(spec).get(pk=review.pk)
        return Response(rs.ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


# The workflow: each answers with the spec's new status


def _status(spec: Spec) -> Response:
    latest = review_selectors.latest_revision(spec)
    return Response(
        rs.SpecStatusSerializer({"status": spec.status, "revision": latest.number if latest else None}).data
    )


ACTION_RESPONSES = {200: rs.SpecStatusSerializer, **POST_ERRORS}


class WorkflowActionView(ReviewApiView):
    """The workflow action ``action`` (a key of ``workflow.TRANSITIONS``), answering with the new status."""

    action: str

    def post(self, request: Request, **kwargs) -> Response:
        step = workflow.TRANSITIONS[self.action]
        message = self.body(rs.SubmitSerializer)["message"] if step.takes_message else ""
        spec = review_services.take_action(
            actor=signed_in_user(request), spec=self.get_spec(), action=step.action, message=message
        )
        return _status(spec)


# One class per address, for its documentation; what each does is in the table.


@extend_schema_view(
    post=extend_schema(
        summary="Submit the working draft as the next revision",
        description=(
            "The owner, co-authors and staff; puts the spec in review. Refused when nothing changed "
            "since the last revision."
        ),
        request=rs.SubmitSerializer,
        responses=ACTION_RESPONSES,
    )
)
class SubmitView(WorkflowActionView):
    action = "submit"


@extend_schema_view(
    post=extend_schema(
        summary="Abandon the spec",
        description="Its authors, staff and the project's core reviewers.",
        request=None,
        responses=ACTION_RESPONSES,
    )
)
class AbandonView(WorkflowActionView):
    action = "abandon"


@extend_schema_view(
    post=extend_schema(
        summary="Restore an abandoned spec",
        description="Back in review if it was ever submitted, else a draft.",
        request=None,
        responses=ACTION_RESPONSES,
    )
)
class RestoreView(WorkflowActionView):
    action = "restore"


@extend_schema_view(
    post=extend_schema(
        summary="Approve the latest revision",
        description=(
            "A core reviewer who is not one of the spec's authors (an author is refused with a 403 "
            "saying so), once it has a +2 from the project's ``required_core_approvals`` core reviewers "
            "other than its authors, no -2, (where the project asks) no unresolved thread, and every "
            "owned section signed off (``signoffs/``); a 400 says what is missing."
        ),
        request=None,
        responses=ACTION_RESPONSES,
    )
)
class ApproveView(WorkflowActionView):
    action = "approve"


@extend_schema_view(
    post=extend_schema(
        summary="Mark an approved spec merged",
        description="The project's core reviewers and staff.",
        request=None,
        responses=ACTION_RESPONSES,
    )
)
class MergeView(WorkflowActionView):
    action = "merge"


@extend_schema_view(
    post=extend_schema(
        summary="Start a new change on a merged spec",
        description=(
            "Its authors and staff. A merged spec's text is locked (edits are a 400 saying so); this "
            "makes it a draft again, with its revisions and threads kept, to edit and submit."
        ),
        request=None,
        responses=ACTION_RESPONSES,
    )
)
class ReopenView(WorkflowActionView):
    action = "reopen"

"""Whose turn it is on a spec (its attention set): read it, hand the turn on, take yourself out.

Every write calls one ``review.attention`` service, the same the spec page's
forms call: permissions and validation have one code path.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from specs_app.api import review_serializers as rs
from specs_app.api import serializers as s
from specs_app.api.common import READ_ERRORS, WRITE_ERRORS, signed_in_user
from specs_app.api.review import POST_ERRORS, ReviewApiView
from specs_app.models import Spec
from specs_app.review import attention


def _set(spec: Spec) -> Response:
    return Response(s.AttentionSerializer(attention.waiting_for(spec), many=True).data)


class AttentionView(ReviewApiView):
    @extend_schema(
        summary="Whose turn it is on the spec",
        description=(
            "Everyone the spec waits for, longest-waiting first, each with the reason in words. "
            "The review services keep it (Gerrit's attention set): reviewers after a new revision, "
            "the authors after a -1 or an unanswered thread, core reviewers once it has +1s and no "
            "open thread; a merged or abandoned spec waits for nobody."
        ),
        responses={200: s.AttentionSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> Response:
        return _set(self.get_spec())

    @extend_schema(
        summary="Hand the turn on",
        description=(
            "Give `to` (any active account) the turn, taking it from `from` when given. Open to the "
            "people taking part in the review: its authors, reviewers, the project's core reviewers "
            "and staff (403 for anyone else). The new person is notified. Answers with the set."
        ),
        request=rs.HandTurnSerializer,
        responses={200: s.AttentionSerializer(many=True), **POST_ERRORS},
    )
    def post(self, request: Request, **kwargs) -> Response:
        data = self.body(rs.HandTurnSerializer)
        spec = self.get_spec()
        attention.hand_turn(
            actor=signed_in_user(request),
            spec=spec,
            to_user=data["to"],
            from_user=data["from"] or None,
            reason=data["reason"],
        )
        return _set(spec)

    @extend_schema(
        summary="Take yourself out of the set",
        description=(
            "Until the next event on the spec, when the rules apply again. A 400 when it is not your turn."
        ),
        request=None,
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, **kwargs) -> Response:
        attention.leave_turn(actor=signed_in_user(request), spec=self.get_spec())
        return Response(status=status.HTTP_204_NO_CONTENT)

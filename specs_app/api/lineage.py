"""A spec's lineage (its blueprint's spec in every release) and re-proposing it for another release.

The write calls ``authoring.reproposal.repropose_spec``, as the spec page does.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from specs_app.api import serializers as s
from specs_app.api.common import READ_ERRORS, BodyLimitMixin, SpecLookupMixin, signed_in_user
from specs_app.api.review import POST_ERRORS
from specs_app.authoring import selectors
from specs_app.authoring.reproposal import repropose_spec
from specs_app.models import Spec, SpecSection


class LineageView(BodyLimitMixin, SpecLookupMixin, APIView):
    @extend_schema(
        summary="List every release's spec of this spec's blueprint, oldest release first",
        description="The project's specs of the same name (file name), one per release it was proposed for.",
        responses={200: s.LineageEntrySerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> Response:
        spec = self.get_spec()
        return Response(s.LineageEntrySerializer(selectors.lineage(spec), many=True).data)


class ReproposeView(BodyLimitMixin, SpecLookupMixin, APIView):
    parser_classes = [JSONParser]

    def handle_exception(self, exc: Exception) -> Response:
        # The service reads the spec afresh (locked): someone may have deleted it since it was found.
        if isinstance(exc, Spec.DoesNotExist):
            exc = NotFound("It was deleted meanwhile.")
        return super().handle_exception(exc)

    @extend_schema(
        summary="Re-propose a spec for another release",
        description=(
            "A new draft spec of the same name for ``release``, in that release's template: each section "
            "keeps its text, sections the template adds are empty, and ``proposed_from`` links this spec. "
            "Refused (400) for the spec's own release and for a release the lineage already has."
        ),
        request=s.ReproposeSerializer,
        responses={201: s.SpecDetailSerializer, **POST_ERRORS},
    )
    def post(self, request: Request, **kwargs) -> Response:
        spec = self.get_spec()
        form = s.ReproposeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        new_spec = repropose_spec(
            actor=signed_in_user(request), spec=spec, release=form.validated_data["release"]
        )
        detail = (
            Spec.objects.select_related("project", "owner")
            .prefetch_related(
                "co_authors", Prefetch("sections", queryset=SpecSection.objects.order_by("position"))
            )
            .get(pk=new_spec.pk)
        )
        return Response(s.SpecDetailSerializer(detail).data, status=status.HTTP_201_CREATED)

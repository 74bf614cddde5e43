"""Section sign-off over the API: a spec's owned sections and their sign-offs; a project's owners.

Reads go through ``review.signoff``; the one write (replacing a project's
owners) calls ``review_services.set_section_owners``, as the page does.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from specs_app.api.common import READ_ERRORS, WRITE_ERRORS, BodyLimitMixin, SpecLookupMixin, signed_in_user
from specs_app.api.review_serializers import JSONStringField
from specs_app.models import Project, SectionOwner
from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from specs_app.review import signoff

SIGNOFF_KINDS = ["needed", "signed", "none", "absent"]


class GroupSignoffSerializer(serializers.Serializer):
    group = serializers.CharField(help_text="The owning group's name.")
    signed_by = serializers.ListField(
        child=serializers.CharField(),
        help_text="Members (not authors) whose +1 or +2 on the revision counts now; empty: not signed off.",
    )


class SectionSignoffSerializer(serializers.Serializer):
    section_title = serializers.CharField()
    groups = GroupSignoffSerializer(many=True)
    sign_off = serializers.ChoiceField(
        source="kind",
        choices=SIGNOFF_KINDS,
        help_text=(
            "``needed``: a group's sign-off is missing; ``signed``: every group signed it off; "
            '``none``: written as "None", needs none; ``absent``: the spec has no such section.'
        ),
    )
    needed = serializers.BooleanField(help_text="Whether approval waits for this section's sign-off.")
    waiting_for = serializers.ListField(
        child=serializers.CharField(), help_text="The groups still to sign off."
    )
    status = serializers.CharField(help_text="The status in words, as the spec page shows it.")


class SignoffsSerializer(serializers.Serializer):
    revision = serializers.IntegerField(
        allow_null=True, help_text="The revision under review; null: the working draft (not submitted yet)."
    )
    signoffs = SectionSignoffSerializer(many=True, help_text="Each section the project's groups own.")


class SignoffView(BodyLimitMixin, SpecLookupMixin, APIView):
    @extend_schema(
        summary="Which owned sections of the spec are signed off",
        description=(
            "Each section a group of the project owns (``projects/<slug>/section-owners/``) with its "
            "sign-off on the latest revision: a +1 or +2 from a member who is not an author, still "
            'counting (a new revision resets it). A section written as "None" needs none. '
            "Approval waits for every ``needed`` section."
        ),
        responses={200: SignoffsSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs) -> Response:
        spec = self.get_spec()
        revision = review_selectors.latest_revision(spec)
        data = {"revision": revision.number if revision else None}
        data["signoffs"] = signoff.section_signoffs(spec, revision)  # type: ignore[assignment]
        return Response(SignoffsSerializer(data).data)


class SectionOwnerSerializer(serializers.Serializer):
    # Blank or spaced titles go to the service, which says what it wants.
    section_title = JSONStringField(
        allow_blank=True,
        trim_whitespace=False,
        max_length=SectionOwner._meta.get_field("section_title").max_length,
        help_text="The section's title, matched whatever its case (any heading level).",
    )
    group = serializers.SlugRelatedField(
        slug_field="name",
        queryset=Group.objects.all(),
        help_text="The group whose members sign it off, by name.",
        error_messages={
            "does_not_exist": "There is no group named “{value}”; an administrator creates groups.",
            "invalid": "Name the group with a string.",
        },
    )


class SectionOwnersSerializer(serializers.Serializer):
    owners = SectionOwnerSerializer(many=True, help_text="Every (section, group) pair of the project.")


class SectionOwnersView(BodyLimitMixin, APIView):
    parser_classes = [JSONParser]

    def project(self) -> Project:
        return get_object_or_404(Project, slug=self.kwargs["slug"])

    @extend_schema(
        summary="Which groups sign off which sections of the project's specs",
        responses={200: SectionOwnersSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, slug: str) -> Response:
        owners = signoff.section_owners(self.project())
        return Response(SectionOwnersSerializer({"owners": owners}).data)

    @extend_schema(
        summary="Replace the project's section owners",
        description=(
            "Staff and the project's core reviewers (403 for anyone else). The list replaces every "
            "owner; an empty list removes them all. A title matching one of the template's headings "
            "(or another owner's) whatever its case takes that spelling; an unknown group is a 400."
        ),
        request=SectionOwnersSerializer,
        responses={200: SectionOwnersSerializer, **WRITE_ERRORS},
    )
    def put(self, request: Request, slug: str) -> Response:
        actor, project = signed_in_user(request), self.project()
        form = SectionOwnersSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        owners = review_services.set_section_owners(
            actor=actor,
            project=project,
            owners=[(owner["section_title"], owner["group"]) for owner in form.validated_data["owners"]],
        )
        return Response(SectionOwnersSerializer({"owners": owners}).data)

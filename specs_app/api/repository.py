"""A project's git repository over the API: connect, sync (a background job), push a spec, conflicts."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from specs_app.api.common import READ_ERRORS, WRITE_ERRORS, BodyLimitMixin, SpecLookupMixin, signed_in_user
from specs_app.api.errors import Conflict
from specs_app.gitrepo import jobs, services
from specs_app.models import Project, RepositoryConnection, SpecUpstream, SyncJob


class ConnectionSerializer(serializers.ModelSerializer):
    push_ref = serializers.CharField(read_only=True)

    class Meta:
        model = RepositoryConnection
        fields = ["url", "branch", "push_target", "push_ref", "synced_commit", "synced_at"]
        read_only_fields = ["push_ref", "synced_commit", "synced_at"]


class SyncJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = SyncJob
        fields = [
            "id",
            "state",
            "done",
            "total",
            "current_path",
            "message",
            "report",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class UpstreamSerializer(serializers.ModelSerializer):
    in_conflict = serializers.BooleanField(read_only=True)

    class Meta:
        model = SpecUpstream
        fields = [
            "change_id",
            "commit",
            "matched_version",
            "in_conflict",
            "conflict_commit",
            "conflict_text",
            "pushed_commit",
            "pushed_ref",
            "push_message",
        ]
        read_only_fields = fields


class ResolveSerializer(serializers.Serializer):
    keep = serializers.ChoiceField(choices=["upstream", "ours"], help_text="Whose text the spec keeps.")


class _ProjectView(BodyLimitMixin, APIView):
    parser_classes = [JSONParser]

    def project(self) -> Project:
        return get_object_or_404(Project, slug=self.kwargs["slug"])


class RepositoryView(_ProjectView):
    @extend_schema(
        summary="The project's git repository", responses={200: ConnectionSerializer, **READ_ERRORS}
    )
    def get(self, request: Request, slug: str) -> Response:
        connection = get_object_or_404(RepositoryConnection, project=self.project())
        return Response(ConnectionSerializer(connection).data)

    @extend_schema(
        summary="Connect the project to its git repository",
        description="Core reviewers and staff. The branch is fetched first: a URL git cannot fetch is a 400.",
        request=ConnectionSerializer,
        responses={200: ConnectionSerializer, **WRITE_ERRORS},
    )
    def put(self, request: Request, slug: str) -> Response:
        form = ConnectionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        connection = services.connect_repository(
            actor=signed_in_user(request), project=self.project(), **form.validated_data
        )
        return Response(ConnectionSerializer(connection).data)


class SyncView(_ProjectView):
    @extend_schema(
        summary="Sync the project with its repository",
        description=(
            "Core reviewers and staff. Queues a background job and answers 202 with it; follow it at "
            "``sync/<id>/``. A sync already queued or running is answered instead of a new one."
        ),
        request=None,
        responses={202: SyncJobSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, slug: str) -> Response:
        job = jobs.start_sync(actor=signed_in_user(request), project=self.project())
        job.refresh_from_db()
        return Response(SyncJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class SyncJobView(_ProjectView):
    @extend_schema(summary="A sync's progress and outcome", responses={200: SyncJobSerializer, **READ_ERRORS})
    def get(self, request: Request, slug: str, job_id: int) -> Response:
        job = get_object_or_404(SyncJob, pk=job_id, project__slug=slug)
        return Response(SyncJobSerializer(job).data)


class SpecUpstreamView(BodyLimitMixin, SpecLookupMixin, APIView):
    @extend_schema(
        summary="What the repository holds of the spec",
        description="The commit it matches, its Change-Id, its last push, upstream's text in a conflict.",
        responses={200: UpstreamSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, **kwargs: object) -> Response:
        state = get_object_or_404(SpecUpstream, spec=self.get_spec())
        return Response(UpstreamSerializer(state).data)


class SpecPublishView(BodyLimitMixin, SpecLookupMixin, APIView):
    @extend_schema(
        summary="Commit the spec and push it",
        description=(
            "One commit writing the spec's file at its path, with the spec's Change-Id, pushed to "
            "``refs/for/<branch>`` or the branch as the project says. Authors push a draft; whoever may "
            "merge pushes an approved or merged spec. A push the remote refuses is a 409 with git's message."
        ),
        request=None,
        responses={200: UpstreamSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, **kwargs: object) -> Response:
        try:
            state = services.publish_spec(actor=signed_in_user(request), spec=self.get_spec())
        except services.PushRefused as error:
            raise Conflict(" ".join(error.messages)) from error
        return Response(UpstreamSerializer(state).data)


class SpecResolveView(BodyLimitMixin, SpecLookupMixin, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Choose between this text and upstream's",
        description="The spec's authors and staff.",
        request=ResolveSerializer,
        responses={200: UpstreamSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, **kwargs: object) -> Response:
        form = ResolveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        spec = services.resolve_conflict(
            actor=signed_in_user(request), spec=self.get_spec(), keep=form.validated_data["keep"]
        )
        return Response(UpstreamSerializer(SpecUpstream.objects.get(spec=spec)).data)

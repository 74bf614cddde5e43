"""What the review API reads and returns: revisions, diffs, comments, reviews, the spec's status.

Serializers only parse and shape; every write goes through ``review.services``,
which checks permissions and validates (a bad vote, a quote that is not there).
"""

from __future__ import annotations

from functools import cached_property

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from specs_app.models import AnchorState, CommentKind, SpecStatus, ThreadState, Vote
from specs_app.review import suggestions

# Larger numbers than any revision, line or section has; keeps them within the database's integers.
MAX_NUMBER = 2_147_483_647


class JSONStringField(serializers.CharField):
    """A JSON string, and only that: DRF's CharField would take 5 for "5"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class JSONIntegerField(serializers.IntegerField):
    """A JSON integer, and only that: DRF's IntegerField would take "5" and 5.0."""

    def to_internal_value(self, data):
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


def _number(**kwargs) -> serializers.IntegerField:
    """A number in a query string."""
    kwargs.setdefault("max_value", MAX_NUMBER)
    return serializers.IntegerField(**kwargs)


def _body_number(**kwargs) -> JSONIntegerField:
    """A number in a JSON body."""
    kwargs.setdefault("max_value", MAX_NUMBER)
    return JSONIntegerField(**kwargs)


def _body_text(**kwargs) -> JSONStringField:
    """Text in a JSON body, kept as written (the services trim and check it)."""
    kwargs.setdefault("allow_blank", True)
    kwargs.setdefault("trim_whitespace", False)
    return JSONStringField(**kwargs)


def _username(source: str, **kwargs) -> serializers.CharField:
    return serializers.CharField(source=f"{source}.username", read_only=True, **kwargs)


# Revisions


class RevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    author = _username("author")
    message = serializers.CharField(help_text="What the authors said when they submitted it.")
    created_at = serializers.DateTimeField()


class RevisionSectionSerializer(serializers.Serializer):
    title = serializers.CharField()
    level = serializers.IntegerField()
    heading = serializers.CharField(help_text="The heading's lines exactly as written.")
    body = serializers.CharField(help_text="The section's text under its heading.")
    first_line = serializers.IntegerField(help_text="The heading's first line in the revision's .rst.")


class RevisionDetailSerializer(RevisionSerializer):
    text = serializers.CharField(help_text="The revision's whole .rst text.")
    sections = RevisionSectionSerializer(many=True)


class DiffQuerySerializer(serializers.Serializer):
    old = _number(min_value=1, help_text="The earlier revision's number.")
    new = _number(min_value=1, help_text="The later revision's number.")


class WordSegmentSerializer(serializers.Serializer):
    """One (op, text) segment of ``rst.worddiff``: its texts join back to the line."""

    op = serializers.ChoiceField(choices=["equal", "delete", "insert"])
    text = serializers.CharField()

    def to_representation(self, instance: tuple[str, str]) -> dict:
        op, text = instance
        return {"op": op, "text": text}


class DiffLineSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["context", "added", "removed"], source="kind")
    old_number = serializers.IntegerField(allow_null=True, help_text="The line in the old revision.")
    new_number = serializers.IntegerField(allow_null=True, help_text="The line in the new revision.")
    text = serializers.CharField(allow_blank=True)
    words = WordSegmentSerializer(
        many=True,
        allow_null=True,
        source="segments",
        help_text=(
            "For a removed or added line that is an edit of a line on the other side: its text in "
            "segments, the changed words marked (delete on a removed line, insert on an added one). "
            "Null for other lines."
        ),
    )


class DiffHunkSerializer(serializers.Serializer):
    lines = DiffLineSerializer(many=True)


class SectionDiffSerializer(serializers.Serializer):
    title = serializers.CharField()
    change = serializers.ChoiceField(choices=["unchanged", "changed", "added", "removed"], source="status")
    added = serializers.IntegerField(help_text="Lines added.")
    removed = serializers.IntegerField(help_text="Lines removed.")
    hunks = DiffHunkSerializer(many=True, help_text="Unified diff hunks, three lines of context.")


class RevisionDiffSerializer(serializers.Serializer):
    old = serializers.IntegerField()
    new = serializers.IntegerField()
    sections = SectionDiffSerializer(many=True, help_text="Every section of either revision, by title.")


# Comments


class CommentQuerySerializer(serializers.Serializer):
    revision = _number(
        min_value=1, required=False, help_text="Place the threads on this revision (default: the latest)."
    )
    state = serializers.ChoiceField(
        choices=ThreadState.choices,
        required=False,
        help_text="Only open, only resolved, or only resolved threads awaiting their opener's verification.",
    )


class AnchorSerializer(serializers.Serializer):
    revision = serializers.IntegerField(source="revision.number")
    placement = serializers.ChoiceField(
        source="state",
        choices=AnchorState.choices,
        help_text="Found exactly, moved, approximately, or outdated (not found in this revision).",
    )
    line_start = serializers.IntegerField(allow_null=True, help_text="First line in that revision's .rst.")
    line_end = serializers.IntegerField(allow_null=True, help_text="Last line in that revision's .rst.")
    section_index = serializers.IntegerField(allow_null=True)


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    # A field named like Field.parent: DRF's metaclass moves declared fields out of the class.
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="parent_id", allow_null=True, help_text="The thread it replies in."
    )
    author = _username("author")
    body = serializers.CharField()
    draft = serializers.BooleanField(
        source="is_draft", help_text="Seen only by its author until they publish a review."
    )
    kind = serializers.ChoiceField(choices=CommentKind.choices)
    revision = serializers.IntegerField(source="revision.number", help_text="The revision it was made on.")
    section_index = serializers.IntegerField(allow_null=True)
    section_title = serializers.CharField(allow_blank=True)
    line_start = serializers.IntegerField(
        allow_null=True, help_text="First line, in the revision it was made on."
    )
    line_end = serializers.IntegerField(
        allow_null=True, help_text="Last line, in the revision it was made on."
    )
    quote = serializers.CharField(allow_blank=True, help_text="The passage commented on, as in the source.")
    state = serializers.ChoiceField(
        choices=ThreadState.choices,
        help_text=(
            "The thread's state: ``verifying`` is resolved by someone other than its opener, who "
            "asked to verify it (it counts as unresolved until they do)."
        ),
    )
    requires_verification = serializers.BooleanField(
        help_text="Its opener verifies any resolution by someone else (``verify/``)."
    )
    resolved_by = _username("resolved_by", allow_null=True)
    created_at = serializers.DateTimeField()
    # A suggested edit (review.suggestions). Context ``suggestions`` (thread id to SuggestionCheck)
    # saves checking a list's suggestions one by one.
    suggestion = serializers.CharField(
        allow_null=True, help_text="Replacement text suggested for ``quote``; null for a plain comment."
    )
    applied = serializers.SerializerMethodField(help_text="Whether the suggestion was applied to the draft.")
    applied_at = serializers.DateTimeField(source="suggestion_applied_at", allow_null=True)
    applied_by = _username("suggestion_applied_by", allow_null=True)
    applicable = serializers.SerializerMethodField(
        help_text=(
            "Whether the suggestion applies cleanly to the working draft now (the quoted text is "
            "still there, unchanged); null for a plain comment."
        )
    )
    applicable_reason = serializers.SerializerMethodField(
        help_text="Why it does not apply (changed text, applied already, a draft); empty when it does."
    )

    def get_applied(self, comment) -> bool:
        return comment.suggestion_applied_at is not None

    def _check(self, comment) -> suggestions.SuggestionCheck | None:
        if not comment.is_suggestion:
            return None
        given = self.context.get("suggestions", {})
        if comment.pk in given:
            return given[comment.pk]
        # One comment alone (created, edited, resolved): checked once for both fields.
        if comment.pk not in self._own_checks:
            self._own_checks.update(suggestions.check_suggestions(comment.spec, [comment]))
        return self._own_checks[comment.pk]

    @cached_property
    def _own_checks(self) -> dict[int, suggestions.SuggestionCheck]:
        return {}

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_applicable(self, comment) -> bool | None:
        check = self._check(comment)
        return None if check is None else check.applicable

    def get_applicable_reason(self, comment) -> str:
        check = self._check(comment)
        return "" if check is None else check.reason


class ReplySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = _username("author")
    body = serializers.CharField()
    draft = serializers.BooleanField(source="is_draft")
    created_at = serializers.DateTimeField()


class ThreadSerializer(CommentSerializer):
    anchor = AnchorSerializer(
        allow_null=True, help_text="Where the thread sits in the revision shown; null on the whole spec."
    )
    replies = ReplySerializer(many=True)


class ThreadListSerializer(serializers.Serializer):
    revision = serializers.IntegerField(allow_null=True, help_text="The revision the anchors are on.")
    path = serializers.CharField(help_text="The spec's file in its specs repository.")
    threads = ThreadSerializer(many=True)


class CommentCreateSerializer(serializers.Serializer):
    """A draft comment: on the whole spec, a section, source lines, or a quoted passage."""

    body = _body_text()
    revision = _body_number(
        min_value=1, required=False, help_text="The revision to comment on (default: the latest)."
    )
    section_index = _body_number(min_value=0, required=False, help_text="Comment on this section.")
    line_start = _body_number(min_value=1, required=False, help_text="Comment on lines line_start..line_end.")
    line_end = _body_number(min_value=1, required=False, help_text="The last line (default: line_start).")
    quote = _body_text(
        required=False,
        help_text="Comment on this passage, found near line_start..line_end (anywhere when no lines).",
    )
    prefix = _body_text(required=False, help_text="Text just before the quote.")
    suffix = _body_text(required=False, help_text="Text just after the quote.")
    requires_verification = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "You verify any resolution of the thread by someone else: it waits in ``verifying`` "
            "for you to verify or reopen it."
        ),
    )
    suggestion = _body_text(
        required=False,
        allow_null=True,
        help_text=(
            "Suggest this text in place of the passage (a comment on a passage or lines only; empty "
            "suggests deleting it). The spec's authors apply it to the working draft."
        ),
    )


class ReplyCreateSerializer(serializers.Serializer):
    body = _body_text()


class CommentEditSerializer(serializers.Serializer):
    body = _body_text(help_text="The draft's new text.")


class SuggestionsApplySerializer(serializers.Serializer):
    threads = serializers.ListField(
        child=_body_number(min_value=1),
        allow_empty=False,
        max_length=500,
        help_text="The suggestions' thread ids: applied together, as one edit.",
    )
    version = _body_number(min_value=1, help_text="The spec's version you read (see its text/ endpoint).")


class SuggestionsAppliedSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The spec's version after the edit.")
    threads = serializers.ListField(child=serializers.IntegerField(), help_text="The threads applied.")


# Reviews


@extend_schema_field({"type": "integer", "enum": list(Vote.values)})
class VoteField(serializers.Field):
    """A vote, a JSON integer. The review service checks it (and says which values the reviewer may
    give); anything but an integer goes to it as a vote it refuses in its words (None would mean
    "keep my vote")."""

    def to_internal_value(self, data):
        return data if isinstance(data, int) and not isinstance(data, bool) else "not a vote"

    def to_representation(self, value) -> int:
        return int(value)


STANDINGS = ["counts", "replaced", "reset"]


class ReviewSerializer(serializers.Serializer):
    """A published review. Context ``standing`` (review id to ``Standing``) says whose vote counts;
    a review missing from it was just published, and counts."""

    id = serializers.IntegerField()
    reviewer = _username("reviewer")
    vote = VoteField()
    message = serializers.CharField(allow_blank=True)
    revision = serializers.IntegerField(source="revision.number", help_text="The revision reviewed.")
    comment_count = serializers.IntegerField(help_text="The comments published with the review.")
    published_at = serializers.DateTimeField()
    standing = serializers.SerializerMethodField(
        help_text=(
            "Whether the vote counts now: `counts`; `replaced` by the reviewer's later review of "
            "the same revision; `reset` by a newer revision (a -2 stands until changed). "
            "Every review stays listed."
        )
    )

    @extend_schema_field(serializers.ChoiceField(choices=STANDINGS))
    def get_standing(self, review) -> str:
        return self.context.get("standing", {}).get(review.pk, "counts")


class ReviewCreateSerializer(serializers.Serializer):
    vote = VoteField(
        required=False,
        help_text=(
            "-1, 0 or +1; -2 and +2 for the project's core reviewers. "
            "Left out, the reviewer's current vote is kept (0 when they have none)."
        ),
    )
    message = _body_text(required=False, default="")


# The workflow


class SubmitSerializer(serializers.Serializer):
    message = _body_text(required=False, default="", help_text="What changed.")


class SpecStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SpecStatus.choices, help_text="The spec's status now.")
    revision = serializers.IntegerField(allow_null=True, help_text="The spec's latest revision.")


# Whose turn (the attention set)


class HandTurnSerializer(serializers.Serializer):
    to = _body_text(allow_blank=False, help_text="The username of the person to hand the turn to.")
    reason = _body_text(required=False, default="", help_text="Why, in a few words (optional).")


# ``from`` is a Python keyword: the field cannot be declared in the class body.
HandTurnSerializer._declared_fields["from"] = _body_text(
    required=False,
    default="",
    help_text="The username of the person whose turn it was, taken out of the set (optional).",
)

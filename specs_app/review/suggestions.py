"""Suggested edits: a reviewer's replacement text for a passage, applied by the authors in one click.

A suggestion is an inline thread with ``Comment.suggestion`` set (made by
``services.add_comment``, a draft until its review is published). Applying it
puts the replacement in place of the thread's quote in the *working draft*,
where the passage is found by carrying the thread's anchor on the latest
revision to the draft (``rst.anchors.carry``, the same rule every comment
follows) and then checking that the exact quoted text is still there. Text that
changed since is never overwritten: the suggestion says so and cannot be
applied. Several suggestions apply as one edit of the draft (one new version),
all or none, through ``authoring.text.replace_spec_text`` and its version check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from diff_match_patch import diff_match_patch
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from specs_app.authoring import permissions
from specs_app.authoring import text as authoring_text
from specs_app.authoring.services import Conflict, EditConflict
from specs_app.limits import SpecTooLarge, check_spec_size
from specs_app.models import Comment, CommentAnchor, CommentKind, Revision, Spec, ThreadState
from specs_app.review import attention, notifications
from specs_app.rst import anchors
from specs_app.rst import document as rst_document

# How much of the text now in a suggestion's place a refusal quotes.
QUOTED_CHARACTERS = 80

CHANGED = "The text this suggestion replaces has changed since"


def clean_suggestion(suggestion: str | None, *, kind: str) -> str | None:
    """The replacement text as stored (None: a plain comment), or a ``ValidationError`` saying why not.

    Only a passage has text to replace. The replacement is kept as written (an
    empty one deletes the passage) and is held to the one size limit.
    """
    if suggestion is None:
        return None
    if kind != CommentKind.INLINE:
        raise ValidationError(
            {"suggestion": "Only a comment on a selected passage can suggest replacement text for it."},
            code="not_inline",
        )
    try:
        return check_spec_size(rst_document.normalise_newlines(suggestion), what="The suggested text")
    except SpecTooLarge as error:
        # Still the limit's own error (the API answers 413), now naming the field.
        raise SpecTooLarge({"suggestion": error.messages}, code="too_long") from error


@dataclass(frozen=True)
class SuggestionCheck:
    """Whether a suggestion applies to the working draft now, and where; ``reason`` says why not."""

    applicable: bool
    reason: str = ""
    start: int | None = None
    end: int | None = None
    # Changed text, rather than a suggestion that is applied, a draft or not one at all.
    changed: bool = False


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTED_CHARACTERS else text[: QUOTED_CHARACTERS - 1] + "…"


def _changed(detail: str) -> SuggestionCheck:
    return SuggestionCheck(False, f"{CHANGED}: {detail}", changed=True)


def _check(
    thread: Comment,
    *,
    latest: Revision,
    anchor: CommentAnchor | None,
    draft: str,
    diffs: list[tuple[int, str]],
    spans: list[anchors.SectionSpan],
) -> SuggestionCheck:
    if not thread.is_suggestion or thread.kind != CommentKind.INLINE or thread.parent_id is not None:
        return SuggestionCheck(False, "This comment suggests no replacement text.")
    if thread.suggestion_applied_at is not None:
        by = thread.suggestion_applied_by.get_username() if thread.suggestion_applied_by else "someone"
        return SuggestionCheck(False, f"Already applied by {by}.")
    if thread.is_draft:
        return SuggestionCheck(
            False, "This suggestion is a draft: it can be applied once its review is published."
        )
    if anchor is None or anchor.start is None or anchor.end is None:
        return _changed(f"the passage is not in revision {latest.number}.")
    if latest.text[anchor.start : anchor.end] != thread.quote:
        return _changed(
            f"revision {latest.number} reads “{_excerpt(latest.text[anchor.start : anchor.end])}”."
        )
    placement = anchors.carry(
        latest.text,
        draft,
        anchors.Anchor(state=anchor.state, start=anchor.start, end=anchor.end),
        diffs=diffs,
        new_spans=spans,
    )
    if not placement.found or placement.start is None or placement.end is None:
        # Where the passage went, by the diff alone: what the author wrote in its place.
        mapper = diff_match_patch()
        start, end = mapper.diff_xIndex(diffs, anchor.start), mapper.diff_xIndex(diffs, anchor.end)
        if end <= start:
            return _changed("the passage is no longer in the working draft.")
        return _changed(f"the working draft reads “{_excerpt(draft[start:end])}” in its place.")
    if draft[placement.start : placement.end] != thread.quote:
        return _changed(f"the working draft reads “{_excerpt(draft[placement.start : placement.end])}”.")
    return SuggestionCheck(True, start=placement.start, end=placement.end)


def check_suggestions(
    spec: Spec, threads: Iterable[Comment], *, draft: str | None = None
) -> dict[int, SuggestionCheck]:
    """Whether each suggestion among ``threads`` (first comments) applies to the working draft, by id.

    Two queries and one diff of the latest revision against the draft, however many threads.
    """
    suggested = [thread for thread in threads if thread.is_suggestion]
    if not suggested:
        return {}
    latest = spec.revisions.order_by("-number").first()
    if latest is None:  # a suggestion is made on a revision: none means it was never submitted
        return {thread.pk: SuggestionCheck(False, "This spec has no revision.") for thread in suggested}
    draft = spec.text() if draft is None else draft
    placed = {
        row.comment_id: row
        for row in CommentAnchor.objects.filter(
            revision=latest, comment__in=[thread.pk for thread in suggested]
        )
    }
    diffs = anchors.diff(latest.text, draft)
    spans = anchors.section_spans(draft)
    return {
        thread.pk: _check(
            thread, latest=latest, anchor=placed.get(thread.pk), draft=draft, diffs=diffs, spans=spans
        )
        for thread in suggested
    }


class SuggestionChanged(EditConflict):
    """Suggestions whose text changed since they were made: nothing was applied (an API 409)."""

    def __init__(self, refused: list[tuple[Comment, SuggestionCheck]], draft: str, current_version: int):
        conflicts = [
            Conflict(
                f"thread-{thread.pk}",
                f"The text suggestion {thread.pk} replaces",
                thread.suggestion or "",
                draft,
            )
            for thread, _ in refused
        ]
        super().__init__(conflicts, current_version)
        self.refused = refused
        reasons = " ".join(f"Suggestion {thread.pk}: {check.reason}" for thread, check in refused)
        # Replaces EditConflict's own message, which is about a stale version.
        self.args = (f"{reasons} Nothing was applied: edit the draft by hand, or reply in the thread.",)


def _refuse_stale(spec: Spec, expected_version: int, draft: str) -> None:
    if expected_version != spec.version:
        raise EditConflict([Conflict("text", "The spec", draft, draft)], spec.version)


@transaction.atomic
def apply_suggestions(*, actor: User, spec: Spec, thread_ids: Sequence[int], expected_version: int) -> Spec:
    """Apply the suggestions of ``thread_ids`` to the working draft as one edit, if it is still
    at ``expected_version``; returns the spec at its new version.

    Only the people who may edit the spec apply. A stale version is an
    ``EditConflict``; a suggestion whose text changed since is a
    ``SuggestionChanged``; suggestions that change overlapping text, or a thread
    that is no applicable suggestion, a ``ValidationError``. In each case
    nothing is written. Each applied thread is marked so, and resolved: the
    text it asked for is now the draft's (so no verification by its opener is
    needed). One notification per person for the whole action.
    """
    spec = Spec.objects.select_for_update().select_related("project", "owner", "template").get(pk=spec.pk)
    if not permissions.can_edit_spec(actor, spec):
        raise PermissionDenied("Only the spec's owner, its co-authors and staff can apply suggestions.")
    permissions.ensure_text_editable(spec)
    ids = list(dict.fromkeys(thread_ids))
    if not ids:
        raise ValidationError({"threads": "Choose at least one suggestion to apply."}, code="empty")
    threads = list(
        # Only the threads' rows: PostgreSQL locks no nullable side of an outer join (applied_by).
        Comment.objects.select_for_update(of=("self",))
        .filter(spec=spec, pk__in=ids, parent__isnull=True, review__isnull=False)
        .select_related("author", "revision", "suggestion_applied_by")
        .order_by("pk")
    )
    missing = sorted(set(ids) - {thread.pk for thread in threads})
    if missing:
        raise ValidationError(
            {"threads": f"This spec has no published thread {', '.join(map(str, missing))}."}, code="missing"
        )
    draft = spec.text()
    _refuse_stale(spec, expected_version, draft)
    checks = check_suggestions(spec, threads, draft=draft)
    not_suggestions = [thread.pk for thread in threads if thread.pk not in checks]
    if not_suggestions:
        raise ValidationError(
            {"threads": f"Thread {', '.join(map(str, not_suggestions))} suggests no replacement text."},
            code="not_suggestion",
        )
    refused_other = [
        (thread, checks[thread.pk])
        for thread in threads
        if not checks[thread.pk].applicable and not checks[thread.pk].changed
    ]
    if refused_other:
        raise ValidationError(
            {
                "threads": " ".join(
                    f"Suggestion {thread.pk}: {check.reason}" for thread, check in refused_other
                )
            },
            code="not_applicable",
        )
    changed = [(thread, checks[thread.pk]) for thread in threads if checks[thread.pk].changed]
    if changed:
        raise SuggestionChanged(changed, draft, spec.version)

    placed = sorted(threads, key=lambda thread: checks[thread.pk].start or 0)
    for before, after in pairwise(placed):
        if (checks[after.pk].start or 0) < (checks[before.pk].end or 0):
            raise ValidationError(
                {
                    "threads": f"Suggestions {before.pk} and {after.pk} change overlapping text: "
                    "apply one, then see whether the other still applies."
                },
                code="overlap",
            )
    text = draft
    for thread in reversed(placed):  # from the end, so earlier offsets stay right
        check = checks[thread.pk]
        assert check.start is not None and check.end is not None  # an applicable check has both
        text = text[: check.start] + (thread.suggestion or "") + text[check.end :]
    spec = authoring_text.replace_spec_text(actor=actor, spec=spec, text=text, base_version=spec.version)

    now = timezone.now()
    for thread in threads:
        thread.suggestion_applied_at = now
        thread.suggestion_applied_by = actor
        thread.state = ThreadState.RESOLVED
        thread.resolved_by = actor
        # changed_at too: caches keyed on it must see the thread applied.
        thread.save(
            update_fields=[
                "suggestion_applied_at",
                "suggestion_applied_by",
                "state",
                "resolved_by",
                "changed_at",
            ]
        )
    attention.refresh(spec, actor=actor)
    notifications.suggestion_applied(spec, threads, actor=actor)
    return spec

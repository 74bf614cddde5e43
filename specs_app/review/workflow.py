"""The spec's workflow as one table: each action, where it may start, where it leads and who may take it.

The review services check a request against this table; the pages
(``views.spec_action``) and the API (``api/review.py``) find an action here by
name and call ``services.take_action``. A new action is one row here and the
service that does its work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from specs_app.authoring.permissions import User
from specs_app.authoring.services import ensure_status
from specs_app.models import Spec, SpecStatus
from specs_app.review import rules as can


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[SpecStatus, ...]
    target: SpecStatus
    allowed: Callable[[User, Spec], bool]
    refusal: str  # why ``allowed`` said no
    # The review service that does the work, by name (looked up when called).
    service: str
    # What the page says once it is done.
    done: str
    # Submit takes a message describing the revision; the others take nothing.
    takes_message: bool = False
    # Restore: a spec never submitted has no revision to review and goes back to draft.
    draft_if_never_submitted: bool = False
    # Why ``allowed`` said no to this person in particular, when one message does not fit all
    # ("" for the general ``refusal``).
    refusal_for: Callable[[User, Spec], str] | None = None

    def check(self, actor: User, spec: Spec) -> None:
        """Refuse the person (``PermissionDenied``), then the spec's status (``ValidationError``)."""
        if not self.allowed(actor, spec):
            particular = self.refusal_for(actor, spec) if self.refusal_for else ""
            raise PermissionDenied(particular or self.refusal)
        ensure_status(spec, *self.sources)

    def leads_to(self, spec: Spec) -> SpecStatus:
        if self.draft_if_never_submitted and not spec.revisions.exists():
            return SpecStatus.DRAFT
        return self.target

    def available(self, user: User, spec: Spec) -> bool:
        """Whether to offer the action: its rule allows the person and the spec's status fits."""
        return spec.status in self.sources and self.allowed(user, spec)


_OPEN = (SpecStatus.DRAFT, SpecStatus.IN_REVIEW, SpecStatus.APPROVED)

TRANSITIONS: dict[str, Transition] = {
    step.action: step
    for step in (
        Transition(
            action="submit",
            sources=_OPEN,
            target=SpecStatus.IN_REVIEW,
            allowed=can.can_submit,
            refusal="Only the spec's owner, its co-authors and staff can submit it for review.",
            service="submit_revision",
            done="Submitted a new revision for review.",
            takes_message=True,
        ),
        Transition(
            action="abandon",
            sources=_OPEN,
            target=SpecStatus.ABANDONED,
            allowed=can.can_abandon,
            refusal="Only the spec's authors, staff and the project's core reviewers can abandon it.",
            service="abandon_spec",
            done="Abandoned the spec.",
        ),
        Transition(
            action="restore",
            sources=(SpecStatus.ABANDONED,),
            target=SpecStatus.IN_REVIEW,
            allowed=can.can_restore,
            refusal="Only the spec's authors, staff and the project's core reviewers can restore it.",
            service="restore_spec",
            done="Restored the spec.",
            draft_if_never_submitted=True,
        ),
        Transition(
            action="approve",
            sources=(SpecStatus.IN_REVIEW,),
            target=SpecStatus.APPROVED,
            allowed=can.can_approve,
            refusal="Only the project's core reviewers can approve a spec.",
            refusal_for=can.approve_refusal,
            service="approve_spec",
            done="Approved the spec.",
        ),
        Transition(
            action="merge",
            sources=(SpecStatus.APPROVED,),
            target=SpecStatus.MERGED,
            allowed=can.can_merge,
            refusal="Only the project's core reviewers and staff can merge a spec.",
            service="merge_spec",
            done="Marked the spec merged.",
        ),
        # A merged spec's text is locked (``permissions.text_lock``); a new change re-opens it.
        Transition(
            action="reopen",
            sources=(SpecStatus.MERGED,),
            target=SpecStatus.DRAFT,
            allowed=can.can_reopen,
            refusal="Only the spec's owner, its co-authors and staff can start a new change on it.",
            service="reopen_spec",
            done="Started a new change: the spec is a draft again. Edit it, then submit it for review.",
        ),
    )
}

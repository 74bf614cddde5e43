"""Who may do what. Services call these; views only use them to hide buttons."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.core.exceptions import ValidationError

from specs_app.models import Project, Spec, SpecStatus

# Whoever asks: a signed-in account or an anonymous visitor.
User = Account | AnonymousUser


def can_create_spec(user: User, project: Project) -> bool:
    return user.is_authenticated


def can_edit_spec(user: User, spec: Spec) -> bool:
    """The owner, co-authors and staff edit a spec; everyone else reads it."""
    if not user.is_authenticated:
        return False
    if user.is_staff or spec.owner_id == user.pk:
        return True
    return spec.co_authors.filter(pk=user.pk).exists()


def can_delete_spec(user: User, spec: Spec) -> bool:
    """Only the owner and staff delete a spec; co-authors edit it but do not remove it."""
    return user.is_authenticated and (user.is_staff or spec.owner_id == user.pk)


# A merged or implemented spec's text is what its repository holds: it changes only through a
# new change (the workflow's "reopen", back to a draft) or a re-proposal for a new release.
LOCKED_STATUSES = (SpecStatus.MERGED, SpecStatus.IMPLEMENTED)


def text_lock(spec: Spec) -> str:
    """Why nobody may edit the spec's text now, and how to change it; empty when it is editable."""
    if spec.status not in LOCKED_STATUSES:
        return ""
    if spec.status == SpecStatus.MERGED:
        return (
            "This spec is merged, so its text is locked as merged. To change it, start a new change "
            "(“Start a new change” on the spec's page, or POST to its reopen/ in the API): it becomes "
            "a draft again, with its revisions kept. Or re-propose it for a new release."
        )
    return (
        "This spec is implemented, so its text is locked as merged. To take the work further, "
        "re-propose it for a new release."
    )


def ensure_text_editable(spec: Spec) -> None:
    """Refuse (``ValidationError``, code "locked") a change to a merged or implemented spec's text."""
    if message := text_lock(spec):
        raise ValidationError(message, code="locked")

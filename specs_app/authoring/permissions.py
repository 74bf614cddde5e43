"""Who may do what. Services call these; views only use them to hide buttons."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account

from specs_app.models import Project, Spec

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

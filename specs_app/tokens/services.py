"""API tokens: create one (its key shown once), revoke one, find the one a key names.

Only a SHA-256 hash of each key is stored: a key is 256 random bits, so a slow
password hash adds nothing, and a database leak reveals no usable key.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from specs_app.models import ApiToken

# Recording every request's use would write on every read; once a minute says enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_TOKENS_PER_USER = 50


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def create_api_token(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``actor`` and its key, which is not stored and cannot be shown again."""
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in to create an API token.")
    name = name.strip()
    if ApiToken.objects.filter(user=actor).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(
            {"name": f"You have {MAX_TOKENS_PER_USER} tokens already; revoke one you no longer use."}
        )
    key = ApiToken.KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=actor, name=name, hint=key[:8], key_hash=hash_key(key))
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> None:
    """Delete one of ``actor``'s tokens; a request using it is refused from now on."""
    if not actor.is_authenticated or token.user_id != actor.pk:
        raise PermissionDenied("You can only revoke your own tokens.")
    token.delete()


def token_for_key(key: str) -> ApiToken | None:
    """The token a presented key names, with its user; records when it was used."""
    if not key.startswith(ApiToken.KEY_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token

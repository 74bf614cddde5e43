"""``Authorization: Token <key>``: SpecPortal's own named keys, and no other kind.

A key is an :class:`specs_app.models.ApiToken` (many per person, stored hashed,
created and revoked on the settings page or by ``manage.py create_api_token``).
DRF's ``TokenAuthentication`` is the base only for parsing the header and for
the schema's ``tokenAuth`` scheme; its own ``authtoken`` keys are not accepted.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from rest_framework import authentication, exceptions

from specs_app.models import ApiToken
from specs_app.tokens.services import token_for_key

# Longer than any key SpecPortal issues; anything longer is not a key.
MAX_KEY_LENGTH = 100


class TokenAuthentication(authentication.TokenAuthentication):
    # Set so that nothing inherited can fall back to rest_framework.authtoken's model.
    model = ApiToken

    def authenticate_credentials(self, key: str) -> tuple[AbstractBaseUser, ApiToken]:
        if len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
            raise exceptions.AuthenticationFailed("Invalid token.")
        token = token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return (token.user, token)

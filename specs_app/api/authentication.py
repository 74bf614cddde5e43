"""``Authorization: Token <key>`` for both kinds of key.

SpecPortal's own named tokens (:class:`specs_app.models.ApiToken`, many per
person, stored hashed, created and revoked on the settings page) start with
``sp_``; any other key is looked up among ``rest_framework.authtoken``'s
tokens, which ``manage.py drf_create_token USER`` creates.
"""

from __future__ import annotations

from rest_framework import authentication, exceptions

from specs_app.tokens.services import token_for_key

# Longer than any key either kind issues; anything longer is not a key.
MAX_KEY_LENGTH = 100


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key: str):
        if len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
            raise exceptions.AuthenticationFailed("Invalid token.")
        token = token_for_key(key)
        if token is None:
            return super().authenticate_credentials(key)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return (token.user, token)

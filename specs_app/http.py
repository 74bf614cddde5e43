"""The request a signed-in-only page receives, as the type checker sees it.

``login_required`` runs a view only for a signed-in user, which the type of
``HttpRequest.user`` (a user or ``AnonymousUser``) cannot say. A view it
decorates annotates its request as :class:`AuthenticatedHttpRequest`, so that
``request.user`` goes to services that take ``actor: User`` without a cast.
Nothing creates one: Django still passes its own ``HttpRequest``.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    user: User

"""A page opened from a notification's email link marks that notification read.

An email links to the page itself (readable, and the page works for anyone), with
``?notification=<id>`` added (``notifications.email_link``). When the notification's
recipient opens it signed in, it is marked read, as following it from the in-app list
does; anyone else's visit, or an id that is not theirs, changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from specs_app.review import services as review_services
from specs_app.review.notifications import LINK_PARAMETER

# Longer is no notification's id (and would overflow the database's integer).
MAX_ID_DIGITS = 18


class NotificationLinkMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        value = request.GET.get(LINK_PARAMETER, "") if request.method == "GET" else ""
        if (
            value.isascii()
            and value.isdigit()
            and len(value) <= MAX_ID_DIGITS
            and request.user.is_authenticated
        ):
            review_services.mark_notifications_read(actor=request.user, notification_ids=[int(value)])
        return self.get_response(request)

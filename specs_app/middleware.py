"""Answer 503 while the database is unreachable, instead of a bare 500.

A restart or failover of PostgreSQL drops the connections; Django then raises
OperationalError or InterfaceError from wherever the request was. Saying 503
with Retry-After tells browsers, API clients and load balancers that trying
again shortly will work, and the connection health checks reconnect on the
next request without restarting the app.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

MESSAGE = "The database is not reachable right now; nothing was saved. Try again in a few seconds."
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("Database unavailable during %s %s: %s", request.method, request.path, exception)
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"message": MESSAGE, "errors": {}}, status=503)
        else:
            response = HttpResponse(MESSAGE, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

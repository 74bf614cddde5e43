"""A small client for SpecPortal's REST API over urllib."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

API_PREFIX = "api/v1/"


class ApiError(Exception):
    """The server refused a request, or could not be reached; ``status`` 0 for the latter."""

    def __init__(self, status: int, message: str, body: dict[str, Any] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.body = body or {}


def api_root(url: str) -> str:
    """``https://host/`` or ``https://host/api/v1/`` -> ``https://host/api/v1/``."""
    url = url.strip()
    if not url.endswith("/"):
        url += "/"
    return url if url.endswith(API_PREFIX) else url + API_PREFIX


class Client:
    def __init__(self, url: str, token: str = "", *, timeout: float = 60.0):
        self.root = api_root(url)
        self.token = token.strip()
        self.timeout = timeout

    def url(self, path: str, query: dict[str, str] | None = None) -> str:
        url = path if path.startswith(("http://", "https://")) else urllib.parse.urljoin(self.root, path)
        query = {key: value for key, value in (query or {}).items() if value}
        return f"{url}?{urllib.parse.urlencode(query)}" if query else url

    def request(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str] | None = None,
        body: Any = None,
        accept: str = "application/json",
    ) -> bytes:
        headers = {"Accept": accept, "User-Agent": "specportal-cli"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.url(path, query), data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            raise _api_error(error) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise ApiError(0, f"Cannot reach {self.root}: {reason}") from None

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        return json.loads(self.request(method, path, **kwargs).decode("utf-8"))

    def pages(self, path: str, query: dict[str, str] | None = None) -> Iterator[Any]:
        """Every item of a paginated list, following its ``next`` links."""
        page = self.json("GET", path, query=query)
        while True:
            yield from page["results"]
            if not page.get("next"):
                return
            page = self.json("GET", page["next"])


def _api_error(error: urllib.error.HTTPError) -> ApiError:
    raw = error.read()
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return ApiError(error.code, body["message"], body)
    return ApiError(error.code, f"The server answered {error.code} {error.reason}.")

"""Review fragments' HTML cached (Django's cache: locmem, Redis in production): threads, the review history.

Rendering ``review/thread.html`` once a thread was most of a spec page's time with a few
hundred comments (and ``review/history.html`` with many reviews); they change rarely. A
fragment is stored under a digest of everything its HTML is made of, so no write has to
remember to clear it and a stale one is never found:

- what the fragment binds (a thread): every stored field and annotation of its comment,
  replies and anchor, and of the rows loaded with them (authors, revision), so an edit, a
  reply, a state, a suggestion or ``changed_at`` touched by a service all give a new key;
- every page variable the template has been seen to read (the spec, the viewer,
  ``settles_threads``, the history, whatever the template comes to read), learnt while
  rendering: a template reads a variable only after deciding on the values of those it read
  before, so equal values of all the variables one rendering read mean the same HTML;
- the text of the template and of those it includes, the time zone, the language, ``VERSION``.

What differs per request is left out of the stored HTML and put back: the CSRF token and
``request.get_full_path`` (the forms' ``next``). A thread holding a draft (the viewer's
own: nobody else's are shown) is never stored, nor a fragment whose rendering read what the
key cannot hold (another attribute of the request, a value of a type it cannot digest) or
whose text holds a stand-in: those are rendered as ``{% include %}`` would.

The fragments of one list, for one viewer, are one cache entry (one read per list; a
write when a thread changed, which also drops the fragments of threads no longer shown).
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import hashlib
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Model
from django.template import Context, Engine
from django.template.base import Template
from django.template.loader_tags import IncludeNode
from django.utils import timezone, translation
from django.utils.html import escape

from specs_app.review.selectors import Thread

# Raise it when the way fragments are made changes (not when thread.html does: the template's
# own text is part of the key).
VERSION = 1
TEMPLATE = "specs_app/review/thread.html"
TIMEOUT = 7 * 24 * 3600
# Stand-ins rendered in place of the per-request parts; letters only, so no filter changes them.
CSRF_STAND_IN = "zqCsrfTokenStandInqz"
NEXT_STAND_IN = "zqFullPathStandInqz"
# Fields of an account that change without changing anything shown.
_SKIPPED_FIELDS = frozenset({"password", "last_login"})
# Names keyed on their own: the thread (per thread), and the per-request parts.
_OWN_KEYS = frozenset({"thread", "request", "csrf_token"})
# The variables each template is known to read; grows as renderings read others.
_FIRST_NAMES = {
    TEMPLATE: ("spec", "user", "settles_threads"),
    "specs_app/review/history.html": ("history", "spec", "one_revision"),
}
_names_read: dict[str, set[str]] = {}


# Values a key holds as they are (their repr is their value).
_PLAIN = frozenset({type(None), bool, int, float, str, datetime.date, datetime.datetime, decimal.Decimal})


class _Unkeyable(Exception):
    """A value the key cannot hold: its fragment is rendered, not cached."""


def _value_key(value: Any, depth: int = 0) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, AnonymousUser):
        return ("anonymous",)
    if isinstance(value, Model) and depth < 3:
        # Its stored fields and annotations (a deferred field is not there: not read), then the
        # rows loaded with it. What else an instance holds is cached from those: left out.
        own = {
            name: item for name, item in vars(value).items() if name[0] != "_" and name not in _SKIPPED_FIELDS
        }
        for name, item in own.items():
            if type(item) not in _PLAIN:
                try:
                    own[name] = _value_key(item, depth + 1)
                except _Unkeyable:
                    own[name] = "<derived>"
        loaded = value._state.fields_cache
        related = {name: _value_key(row, depth + 1) for name, row in loaded.items()}
        return (value._meta.label, own, related)
    if isinstance(value, (bool, int, float, str, datetime.date, decimal.Decimal)):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(_value_key(item, depth) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(key), _value_key(item, depth)) for key, item in value.items()))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(
            (field.name, _value_key(getattr(value, field.name), depth)) for field in dataclasses.fields(value)
        )
    raise _Unkeyable(type(value).__name__)


class _RequestStandIn:
    """The request as the fragment sees it: its full path is the stand-in; anything else is noted."""

    def __init__(self, request: Any) -> None:
        self._request = request
        self.other_reads = False

    def get_full_path(self) -> str:
        return NEXT_STAND_IN

    def __getattr__(self, name: str) -> Any:
        self.other_reads = True
        return getattr(self._request, name)


class _RecordingContext(Context):
    """Notes the variables read from the page's context (not those the template binds itself)."""

    def __init__(self, values: dict) -> None:
        super().__init__(values)
        self.page = values
        self.read: set[str] = set()

    def _note(self, key: Any) -> None:
        for layer in reversed(self.dicts):
            if key in layer:
                if layer is self.page:
                    self.read.add(key)
                return
        self.read.add(key)

    def __getitem__(self, key: Any) -> Any:
        self._note(key)
        return super().__getitem__(key)

    def get(self, key: Any, otherwise: Any = None) -> Any:
        self._note(key)
        return super().get(key, otherwise)


def _digest(value: Any) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def _viewer(user: Any) -> Any:
    if user is None or not user.is_authenticated:
        return ("anonymous",)
    return ("user", user.pk, user.get_username(), user.is_active, user.is_staff, user.is_superuser)


def _sources(template: Template, seen: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The texts of the template and of those it includes by name: a deploy changing one changes the keys."""
    sources = [template.source]
    for node in template.nodelist.get_nodes_by_type(IncludeNode):
        name = cast(IncludeNode, node).template.var
        if isinstance(name, str) and name not in seen:
            sources.extend(_sources(template.engine.get_template(name), seen | {name}))
    return tuple(sources)


def _page_key(page: dict, names: frozenset[str], template: Template) -> Any:
    """What the fragments share: the page's variables the template reads, and how it is rendered."""
    values = []
    for name in sorted(names - _OWN_KEYS):
        if name == "user":
            values.append((name, _viewer(page.get("user"))))
        elif name in page:
            values.append((name, _value_key(page[name])))
        else:
            values.append((name, "<missing>"))
    return (
        VERSION,
        _digest(_sources(template)),
        timezone.get_current_timezone_name(),
        translation.get_language(),
        tuple(values),
    )


def _holds_draft(thread: Thread) -> bool:
    return thread.comment.is_draft or any(reply.is_draft for reply in thread.replies)


def _storable(html: str) -> bool:
    """The stand-ins appear only at the start of attribute values, where the real values go escaped."""
    return all(
        html.count(stand_in) == html.count(f'value="{stand_in}')
        for stand_in in (CSRF_STAND_IN, NEXT_STAND_IN)
    )


class _Fragments:
    """Renders one template in a page's context, for the cache (stand-ins) or as ``{% include %}`` would."""

    def __init__(self, context: Context, template_name: str) -> None:
        engine = context.template.engine if context.template is not None else Engine.get_default()
        self.context = context
        self.template = engine.get_template(template_name)
        self.page: dict[str, Any] = cast(dict[str, Any], context.flatten())
        self.names_read = _names_read.setdefault(template_name, set(_FIRST_NAMES.get(template_name, ())))
        self.names = frozenset(self.names_read)
        request, csrf_token = self.page.get("request"), self.page.get("csrf_token")
        # Without a request (or its CSRF token) or a spec there is nothing to key the entry by.
        self.shared: str | None = None
        if request is None or csrf_token is None or "spec" not in self.page:
            return
        # The token stays lazy until a fragment holds a form: asking for it sets the CSRF cookie.
        self.csrf_token, self.full_path = csrf_token, request.get_full_path()
        try:
            self.shared = _digest(_page_key(self.page, self.names, self.template))
        except _Unkeyable:
            return
        self.stand_in = _RequestStandIn(request)
        self.recording = _RecordingContext(
            {**self.page, "request": self.stand_in, "csrf_token": CSRF_STAND_IN}
        )

    def entry(self, slot: str, revision: int | None) -> str:
        user = self.page.get("user")
        viewer = user.pk if user is not None and user.is_authenticated else 0
        return f"fragments:{VERSION}:{self.page['spec'].pk}:{revision}:{slot}:{viewer}"

    def included(self, bindings: dict[str, Any]) -> str:
        with self.context.push(**bindings):
            return self.template.render(self.context)

    def key(self, bindings: dict[str, Any]) -> str | None:
        try:
            return _digest((self.shared, _value_key(bindings)))
        except _Unkeyable:
            return None

    def rendered(self, bindings: dict[str, Any]) -> tuple[str, bool]:
        """The fragment with its stand-ins, and whether it may be stored."""
        self.recording.read.clear()
        self.stand_in.other_reads = False
        with self.recording.push(**bindings):
            html = self.template.render(self.recording)
        new_names = self.recording.read - self.names - _OWN_KEYS
        if new_names:
            # Keyed without a variable it read: keep it out, and key on that variable from now on.
            self.names_read.update(new_names)
            return html, False
        return html, not self.stand_in.other_reads and _storable(html)

    def per_request(self, html: str) -> str | None:
        """The fragment for this request; None where ``{% csrf_token %}`` would give no field."""
        if CSRF_STAND_IN in html:
            token = str(self.csrf_token)
            if token in ("", "NOTPROVIDED"):
                return None
            html = html.replace(CSRF_STAND_IN, token)
        return html.replace(NEXT_STAND_IN, escape(self.full_path))

    def cached(self, items: list[dict[str, Any]], *, slot: str, revision: int | None) -> str:
        """Each item's fragment (``items``: the variables each binds), the fragments of one entry."""
        if self.shared is None:
            return "".join(self.included(bindings) for bindings in items)
        entry = self.entry(slot, revision)
        stored: dict[str, str] = cache.get(entry) or {}
        kept: dict[str, str] = {}
        parts = []
        for bindings in items:
            key = None if any(map(_holds_draft, _threads_in(bindings))) else self.key(bindings)
            if key is None:
                parts.append(self.included(bindings))
                continue
            html = stored.get(key)
            if html is None:
                html, storable = self.rendered(bindings)
                if not storable:
                    # Rendered again as included: a stand-in's text in a comment stays as written.
                    parts.append(self.included(bindings))
                    continue
            kept[key] = html
            shown = self.per_request(html)
            parts.append(shown if shown is not None else self.included(bindings))
        if kept.keys() != stored.keys():
            cache.set(entry, kept, TIMEOUT)
        return "".join(parts)


def _threads_in(bindings: dict[str, Any]) -> list[Thread]:
    return [value for value in bindings.values() if isinstance(value, Thread)]


def thread_list_html(
    context: Context, threads: list[Thread], *, slot: str, revision: int | None = None
) -> str:
    """The threads' HTML, as ``{% for thread in threads %}{% include TEMPLATE %}{% endfor %}`` gives it.

    ``slot`` names the list on its page and ``revision`` the revision the page shows: each
    list of each page is its own cache entry.
    """
    if not threads:
        return ""
    return _Fragments(context, TEMPLATE).cached(
        [{"thread": thread} for thread in threads], slot=slot, revision=revision
    )


def include_html(
    context: Context, template_name: str, *, slot: str, revision: int | None = None, **bindings: Any
) -> str:
    """``{% include template_name with bindings %}``, cached the same way (the review history)."""
    return _Fragments(context, template_name).cached([bindings], slot=slot, revision=revision)

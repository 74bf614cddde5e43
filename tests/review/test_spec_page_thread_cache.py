"""Threads' HTML is cached (review/thread_html.py): the bytes rendered, never stale, queries constant."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from specs_app.review import services as review_services
from specs_app.review.thread_html import CSRF_STAND_IN, NEXT_STAND_IN
from specs_app.review.views import panel_context
from tests.review_world import comment_on, refresh

THREAD = "specs_app/review/thread.html"
HISTORY = "specs_app/review/history.html"
VIEWERS = ["anonymous", "alice", "bob", "carol", "core"]
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def discussed(in_review, alice, bob, carol, core):
    """Threads of every kind: inline, on a section, on the whole spec; replies, a resolved one, drafts."""
    spec = in_review
    inline = comment_on(spec, bob, "The scheduler does not know", body="Which scheduler?\nThe filter one?")
    section = review_services.add_comment(actor=core, spec=spec, body="Say <why> & how.", section_index=1)
    # Its text is what the cache puts in place of the CSRF token and the page's path: kept as written.
    review_services.add_comment(
        actor=carol, spec=spec, body=f"A question on the whole spec: {CSRF_STAND_IN} {NEXT_STAND_IN}?"
    )
    for person in (bob, core, carol):
        review_services.publish_review(actor=person, spec=spec, vote=0, message="")
    review_services.reply_to_comment(actor=alice, comment=inline, body="The filter scheduler.")
    review_services.publish_review(actor=alice, spec=spec, vote=0, message="")
    review_services.resolve_thread(actor=core, comment=section)
    # Drafts: bob's reply in his own thread, alice's new comment; each seen by its author only.
    review_services.reply_to_comment(actor=bob, comment=inline, body="Bob's draft reply.")
    review_services.add_comment(actor=alice, spec=spec, body="Alice's draft comment.")
    return refresh(spec)


def _client_of(request, who, client):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


def _urls(spec) -> list[str]:
    return [spec.get_absolute_url(), spec.revisions.order_by("-number")[0].get_absolute_url()]


def _get(client, url: str) -> tuple[str, dict[str, int]]:
    """The page (its CSRF tokens, masked anew each time, blanked) and how often it rendered each fragment."""
    response = client.get(url)
    assert response.status_code == 200
    rendered = {name: sum(1 for t in response.templates if t.name == name) for name in (THREAD, HISTORY)}
    return CSRF.sub(r'\1"', response.content.decode()), rendered


def _warm_is_cold(client, url: str) -> str:
    warm, _ = _get(client, url)
    cache.clear()
    cold, _ = _get(client, url)
    assert warm == cold
    return warm


@pytest.mark.parametrize("who", VIEWERS)
def test_the_pages_are_the_same_with_the_cache_cold_and_warm(discussed, who, request, client):
    client = _client_of(request, who, client)
    for url in _urls(discussed):
        cache.clear()
        cold, rendered_cold = _get(client, url)
        # The first rendering in a process may learn which variables a fragment reads, and store nothing.
        warm, _ = _get(client, url)
        warmer, rendered_warm = _get(client, url)
        assert warm == cold and warmer == cold
        assert rendered_cold[THREAD] >= 3 and rendered_cold[HISTORY] == 1
        # Warm, only threads holding the viewer's own drafts are rendered again, and carol's: its
        # text holds the stand-ins, so it is never stored (rendered for the cache, then as included).
        again = {"alice": 1, "bob": 1}.get(who, 0) + 2
        assert rendered_warm == {THREAD: again, HISTORY: 0}


def test_an_anonymous_reader_gets_no_csrf_cookie_cold_or_warm(discussed, client):
    # The threads hold forms only for people signed in: nothing asks for a CSRF token.
    for url in _urls(discussed) * 2:
        assert "csrftoken" not in client.get(url).cookies


@pytest.mark.parametrize("who", VIEWERS)
def test_the_cached_list_is_the_included_threads_byte_for_byte(discussed, who, request, django_user_model):
    from django.contrib.auth.models import AnonymousUser
    from django.middleware.csrf import get_token

    page = engines["django"].from_string(
        '{% load thread_tags %}{% for thread in threads %}{% include "specs_app/review/thread.html" %}'
        '{% endfor %}|cached|{% thread_list threads "test" latest.number %}'
    )
    for _ in ("cold", "warm"):
        web_request = RequestFactory().get(discussed.get_absolute_url() + "?tab=review&x=<y>")
        web_request.user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
        get_token(web_request)
        included, cached = page.render(panel_context(web_request, discussed), web_request).split("|cached|")
        assert f"{CSRF_STAND_IN} {NEXT_STAND_IN}?" in included
        assert cached == included


@pytest.mark.parametrize("who", ["bob", "core", "carol"])
def test_every_change_shows_at_once(discussed, who, request, client, alice, bob, core, carol, project):
    client = _client_of(request, who, client)
    spec_url, revision_url = _urls(discussed)
    for url in (spec_url, revision_url):
        _get(client, url)
    inline = discussed.comments.get(body__startswith="Which scheduler")
    section = discussed.comments.get(body__startswith="Say")

    # A reply published.
    review_services.reply_to_comment(actor=carol, comment=section, body="Carol agrees.")
    review_services.publish_review(actor=carol, spec=discussed, vote=0, message="")
    for url in (spec_url, revision_url):
        assert "Carol agrees." in _warm_is_cold(client, url)

    # A thread resolved, then reopened.
    review_services.resolve_thread(actor=bob, comment=inline)
    assert _warm_is_cold(client, spec_url).count(">Resolved</span>") == 2
    review_services.reopen_thread(actor=core, comment=inline)
    assert _warm_is_cold(client, revision_url).count(">Resolved</span>") == 1

    # A draft edited, then published.
    draft = discussed.comments.get(body="Bob's draft reply.")
    review_services.edit_draft_comment(actor=bob, comment=draft, body="Bob's edited reply.")
    review_services.publish_review(actor=bob, spec=discussed, vote=-1, message="Not yet.")
    for url in (spec_url, revision_url):
        assert "Bob&#x27;s edited reply." in _warm_is_cold(client, url)

    # A vote, and who may resolve: core stops being a core reviewer.
    review_services.publish_review(actor=core, spec=discussed, vote=2, message="")
    project.core_reviewers.remove(core)
    for url in (spec_url, revision_url):
        _warm_is_cold(client, url)

    # The spec's status: no reply forms once it is abandoned.
    before = _warm_is_cold(client, spec_url)
    review_services.abandon_spec(actor=alice, spec=refresh(discussed))
    after = _warm_is_cold(client, spec_url)
    assert ("Save draft reply" in before) and ("Save draft reply" not in after)


def test_a_renamed_author_shows_under_the_new_name(discussed, client, bob):
    _get(client, discussed.get_absolute_url())
    bob.username = "robert"
    bob.save()
    assert "<strong>robert</strong>" in _warm_is_cold(client, discussed.get_absolute_url())


def _more_threads(spec, people, count: int) -> None:
    for n in range(count):
        person = people[n % len(people)]
        thread = review_services.add_comment(
            actor=person, spec=spec, body=f"Thread {n}", section_index=1 if n % 2 else None
        )
        review_services.publish_review(actor=person, spec=spec, vote=0, message="")
        review_services.reply_to_comment(actor=people[0], comment=thread, body=f"Reply {n}")
        review_services.publish_review(actor=people[0], spec=spec, vote=0, message="")
        if n % 3 == 0:
            review_services.resolve_thread(actor=person, comment=thread)


@pytest.mark.parametrize("warm", [False, True])
def test_the_queries_do_not_grow_with_the_comments(
    discussed, warm, client, core, bob, carol, django_assert_max_num_queries
):
    client.force_login(core)
    urls = _urls(discussed)

    def counts() -> list[int]:
        found = []
        for url in urls:
            cache.clear()
            if warm:
                client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    few = counts()
    _more_threads(discussed, [bob, carol], 30)
    for url, most in zip(urls, few, strict=True):
        cache.clear()
        if warm:
            client.get(url)
        with django_assert_max_num_queries(most):
            client.get(url)

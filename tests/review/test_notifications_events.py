"""One notification per action to the people it concerns, never the actor; emails link absolutely.

The actions: a new revision, a review (vote and message), a reply, a thread
resolved or reopened, the spec approved, merged, abandoned or restored.
"""

import pytest
from django.core import mail

from specs_app.models import Notification, Vote
from specs_app.review import services as review_services
from tests.review_world import comment_on, refresh, submit, write

SITE = "https://specs.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """``act(function, **kwargs)``: take an action from a clean outbox, the emails sent as on commit."""

    def run(function, **kwargs):
        mail.outbox.clear()
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


@pytest.fixture
def erin(django_user_model, password, project):
    """A second core reviewer: approval takes two +2s from people other than the authors."""
    user = django_user_model.objects.create_user("erin", "erin@example.org", password)
    project.core_reviewers.add(user)
    return user


def told():
    """Who got a notification, with its kind, sorted by name."""
    return sorted(Notification.objects.values_list("recipient__username", "kind"))


def emails():
    """Each email as (addressee, subject, body), sorted by addressee."""
    return sorted((message.to[0], message.subject, message.body) for message in mail.outbox)


def thread_by(spec, author, body="Which back ends?"):
    comment = comment_on(spec, author, "The scheduler does not know", body=body)
    review_services.publish_review(actor=author, spec=spec, vote=0, message="")
    return comment


def approvable(spec, *cores):
    for core in cores:
        review_services.publish_review(actor=core, spec=spec, vote=Vote.APPROVE, message="Good.")
    return refresh(spec)


def _link(to: str, page: str, fragment: str = "") -> str:
    """The link an email to ``to`` gives: the page, their notification (marks it read), the fragment."""
    notification = Notification.objects.filter(recipient__email=to).latest("pk")
    joiner = "&" if "?" in page else "?"
    return f"{SITE}{page}{joiner}notification={notification.pk}{fragment}"


def test_a_new_revision_links_to_what_changed(act, in_review, alice, bob, core):
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    spec = write(refresh(in_review), alice, use_cases="Clustered file systems.")

    act(submit, spec=spec, actor=alice, message="Use cases")

    assert told() == [("bob", "revision_submitted"), ("dave", "revision_submitted")]
    for to, subject, body in emails():
        assert subject == "[SpecPortal] alice submitted revision 2 of Volume multi-attach"
        link = _link(to, f"/p/cinder/{spec.slug}/revisions/compare/?old=1&new=2")
        assert "Use cases" in body and link in body


def test_a_review_tells_the_authors_its_vote_and_message(act, in_review, alice, bob, co_authored_spec):
    comment_on(in_review, bob, "multiattach capability", body="Who reports it?")

    review = act(review_services.publish_review, actor=bob, spec=in_review, vote=-1, message="Two things.")

    assert told() == [("alice", "review_published"), ("carol", "review_published")]
    assert Notification.objects.filter(review=review).count() == 2
    [(to, subject, body), _] = emails()
    assert to == "alice@example.org"
    assert subject == "[SpecPortal] bob reviewed Volume multi-attach (revision 1): -1 Needs changes"
    assert "Two things." in body and "Who reports it?" in body and "> multiattach capability" in body
    assert _link(to, f"/p/cinder/{in_review.slug}/", f"#review-{review.pk}") in body


def test_a_reply_tells_everyone_in_the_thread(act, in_review, alice, bob, carol):
    thread = thread_by(in_review, bob)
    review_services.reply_to_comment(actor=carol, comment=thread, body="Same question.")
    review_services.publish_review(actor=carol, spec=in_review, vote=None, message="")
    review_services.reply_to_comment(actor=alice, comment=thread, body="Those reporting multiattach.")

    act(review_services.publish_review, actor=alice, spec=in_review, vote=None, message="")

    assert told() == [("bob", "replied"), ("carol", "replied")]
    for to, subject, body in emails():
        assert subject == "[SpecPortal] alice replied in a thread you are in on Volume multi-attach"
        assert "In reply to bob: Which back ends?" in body
        assert "Those reporting multiattach." in body
        assert _link(to, f"/p/cinder/{in_review.slug}/", f"#thread-{thread.pk}") in body


def test_an_outsiders_reply_tells_the_authors_it_is_a_reply(act, in_review, alice, bob, carol):
    thread = thread_by(in_review, bob)
    review_services.reply_to_comment(actor=carol, comment=thread, body="Me too.")

    act(review_services.publish_review, actor=carol, spec=in_review, vote=None, message="")

    assert told() == [("alice", "replied"), ("bob", "replied")]
    assert dict((to, subject) for to, subject, _ in emails()) == {
        "alice@example.org": "[SpecPortal] carol replied in 1 thread on Volume multi-attach",
        "bob@example.org": "[SpecPortal] carol replied in a thread you are in on Volume multi-attach",
    }


def test_resolving_a_thread_tells_its_participants_and_the_authors(act, in_review, alice, bob, core):
    thread = thread_by(in_review, bob)

    act(review_services.resolve_thread, actor=core, comment=thread)

    assert told() == [("alice", "thread_resolved"), ("bob", "thread_resolved")]
    for to, subject, body in emails():
        assert subject == "[SpecPortal] dave resolved bob's thread on Volume multi-attach"
        assert "Which back ends?" in body
        assert _link(to, f"/p/cinder/{in_review.slug}/", f"#thread-{thread.pk}") in body


def test_reopening_a_thread_tells_them_too(act, in_review, alice, bob, core):
    thread = thread_by(in_review, bob)
    review_services.resolve_thread(actor=bob, comment=thread)

    act(review_services.reopen_thread, actor=core, comment=thread)

    assert told() == [("alice", "thread_reopened"), ("bob", "thread_reopened")]
    assert {subject for _, subject, _ in emails()} == {
        "[SpecPortal] dave reopened bob's thread on Volume multi-attach"
    }


def test_resolving_a_resolved_thread_tells_nobody(act, in_review, alice, bob, core):
    thread = thread_by(in_review, bob)
    review_services.resolve_thread(actor=bob, comment=thread)

    act(review_services.resolve_thread, actor=core, comment=thread)

    assert told() == [] and emails() == []


def test_approving_tells_the_authors_and_reviewers(act, in_review, alice, bob, core, erin):
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    spec = approvable(in_review, core, erin)

    act(review_services.approve_spec, actor=core, spec=spec)

    assert told() == [("alice", "status_changed"), ("bob", "status_changed"), ("erin", "status_changed")]
    for to, subject, body in emails():
        assert subject == "[SpecPortal] dave approved Volume multi-attach"
        assert "It is now approved." in body and _link(to, f"/p/cinder/{spec.slug}/") + "\n" in body


def test_merging_tells_them(act, in_review, alice, core, erin):
    spec = approvable(in_review, core, erin)
    review_services.approve_spec(actor=core, spec=spec)

    act(review_services.merge_spec, actor=erin, spec=spec)

    assert told() == [("alice", "status_changed"), ("dave", "status_changed")]
    assert {subject for _, subject, _ in emails()} == {"[SpecPortal] erin merged Volume multi-attach"}


def test_abandoning_and_restoring_tell_them(act, in_review, alice, bob, core):
    review_services.publish_review(actor=bob, spec=in_review, vote=-1, message="Not yet.")

    act(review_services.abandon_spec, actor=alice, spec=in_review)
    assert told() == [("bob", "status_changed"), ("dave", "status_changed")]
    assert {subject for _, subject, _ in emails()} == {"[SpecPortal] alice abandoned Volume multi-attach"}

    act(review_services.restore_spec, actor=core, spec=in_review)
    assert told() == [("alice", "status_changed"), ("bob", "status_changed")]
    assert {subject for _, subject, _ in emails()} == {"[SpecPortal] dave restored Volume multi-attach"}


def test_every_email_links_to_the_settings_page(act, in_review, bob):
    act(review_services.publish_review, actor=bob, spec=in_review, vote=1, message="Fine.")
    [(_, _, body)] = emails()
    assert f"Choose what SpecPortal emails you: {SITE}/settings/account/" in body


def test_an_inactive_person_is_told_nothing(act, in_review, alice, bob):
    alice.is_active = False
    alice.save()
    act(review_services.publish_review, actor=bob, spec=in_review, vote=1, message="Fine.")
    assert told() == [] and emails() == []

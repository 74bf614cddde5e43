"""Every review action against every role: owner, co-author, other user, core reviewer, staff, anonymous."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from specs_app.models import Vote
from specs_app.review import services as review_services
from tests.review_world import PROBLEM, comment_on, refresh, submit, write

ROLES = ["owner", "co_author", "other", "core", "staff", "anonymous"]


@pytest.fixture
def people(alice, carol, bob, core, second_core, staff, co_authored_spec):
    return {
        "owner": alice,
        "co_author": carol,
        "other": bob,
        "core": core,
        "staff": staff,
        "anonymous": AnonymousUser(),
        # Not a role of its own: approval takes a +2 from two core reviewers.
        "second_core": second_core,
    }


@pytest.fixture
def world(people, co_authored_spec, alice):
    spec = write(co_authored_spec, alice, problem_description=PROBLEM)
    submit(spec, alice)
    return refresh(spec)


def edited(spec, alice):
    return write(spec, alice, use_cases=f"Change {spec.revisions.count()}.")


def published_thread(spec, bob):
    thread = comment_on(spec, bob, "The scheduler does not know")
    review_services.publish_review(actor=bob, spec=spec, vote=0, message="")
    return thread


def ready_to_approve(spec, p):
    for core_user in (p["core"], p["second_core"]):
        review_services.publish_review(actor=core_user, spec=spec, vote=Vote.APPROVE)


def merged(spec, p):
    ready_to_approve(spec, p)
    review_services.approve_spec(actor=p["core"], spec=spec)
    return review_services.merge_spec(actor=p["core"], spec=refresh(spec))


ACTIONS = {
    "submit": (
        {"owner", "co_author", "staff"},
        lambda spec, actor, p: review_services.submit_revision(actor=actor, spec=edited(spec, p["owner"])),
    ),
    "abandon": (
        {"owner", "co_author", "staff", "core"},
        lambda spec, actor, p: review_services.abandon_spec(actor=actor, spec=spec),
    ),
    "restore": (
        {"owner", "co_author", "staff", "core"},
        lambda spec, actor, p: review_services.restore_spec(
            actor=actor, spec=review_services.abandon_spec(actor=p["owner"], spec=spec)
        ),
    ),
    "approve": (
        {"core"},
        lambda spec, actor, p: (
            ready_to_approve(spec, p),
            review_services.approve_spec(actor=actor, spec=spec),
        ),
    ),
    "merge": (
        {"core", "staff"},
        lambda spec, actor, p: (
            ready_to_approve(spec, p),
            review_services.approve_spec(actor=p["core"], spec=spec),
            review_services.merge_spec(actor=actor, spec=refresh(spec)),
        ),
    ),
    # A new change on a merged spec: the people who edit it.
    "reopen": (
        {"owner", "co_author", "staff"},
        lambda spec, actor, p: review_services.reopen_spec(actor=actor, spec=merged(spec, p)),
    ),
    "comment": (
        {"owner", "co_author", "other", "core", "staff"},
        lambda spec, actor, p: review_services.add_comment(actor=actor, spec=spec, body="Hm."),
    ),
    "reply": (
        {"owner", "co_author", "other", "core", "staff"},
        lambda spec, actor, p: review_services.reply_to_comment(
            actor=actor, comment=published_thread(spec, p["other"]), body="Re."
        ),
    ),
    # bob ("other") opened the thread, so he may resolve it; so may a core reviewer, not the authors.
    "resolve": (
        {"other", "core"},
        lambda spec, actor, p: review_services.resolve_thread(
            actor=actor, comment=published_thread(spec, p["other"])
        ),
    ),
    **{
        f"vote {value:+d}": (
            {"owner", "co_author", "other", "core", "staff"} if abs(value) < 2 else {"core"},
            lambda spec, actor, p, value=value: review_services.publish_review(
                actor=actor, spec=spec, vote=value, message="Vote."
            ),
        )
        for value in (-2, -1, 0, 1, 2)
    },
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_who_may_do_what(world, people, action, role):
    allowed, run = ACTIONS[action]
    actor = people[role]
    if role in allowed:
        run(world, actor, people)
    else:
        with pytest.raises(PermissionDenied):
            run(world, actor, people)


@pytest.mark.parametrize(
    "url",
    [
        "review/submit/",
        "review/abandon/",
        "review/approve/",
        "review/reopen/",
        "review/publish/",
        "review/comments/",
    ],
)
def test_anonymous_posts_are_sent_to_sign_in(world, client, url):
    response = client.post(f"/p/cinder/{world.slug}/{url}")
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]

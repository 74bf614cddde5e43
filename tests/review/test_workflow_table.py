"""Every action of the workflow table works the same through the page and the API."""

from __future__ import annotations

import pytest

from specs_app.authoring import services
from specs_app.models import Spec, SpecStatus, Vote
from specs_app.review import services as review_services
from specs_app.review import workflow
from tests.review_world import PROBLEM, PROPOSAL, refresh, submit, write


def _cases():
    """(action, status it starts from, whether the spec was ever submitted) for every row of the table."""
    for action, step in workflow.TRANSITIONS.items():
        for source in step.sources:
            # A draft was never submitted; an abandoned spec may have been or not.
            histories = {
                SpecStatus.DRAFT: [False],
                SpecStatus.ABANDONED: [True, False],
            }.get(source, [True])
            for submitted in histories:
                yield pytest.param(
                    action,
                    source,
                    submitted,
                    id=f"{action}-from-{source}{'' if submitted else '-never-submitted'}",
                )


def _world(project, alice, cores, name: str, source: SpecStatus, submitted: bool) -> Spec:
    """A spec in ``source``, ready for any action from there (edited since its revision, with two +2s)."""
    spec = services.create_spec(
        actor=alice,
        project=project,
        title=f"Spec {name}",
        release="2026.1",
        blueprint_url=f"https://blueprints.launchpad.net/cinder/+spec/{name}",
    )
    spec = write(spec, alice, problem_description=PROBLEM)
    if submitted:
        submit(spec, alice)
        for core in cores:
            review_services.publish_review(actor=core, spec=spec, vote=Vote.APPROVE)
        spec = write(refresh(spec), alice, proposed_change=PROPOSAL)
    Spec.objects.filter(pk=spec.pk).update(status=source)
    return refresh(spec)


def _someone_allowed(step: workflow.Transition, spec: Spec, people) -> object:
    return next(person for person in people if step.allowed(person, spec))


@pytest.mark.parametrize(("action", "source", "submitted"), list(_cases()))
def test_each_action_reaches_the_same_status_through_the_page_and_the_api(
    project, alice, core, second_core, staff, client, api_as, action, source, submitted
):
    step = workflow.TRANSITIONS[action]
    by_page = _world(project, alice, (core, second_core), "by-page", source, submitted)
    by_api = _world(project, alice, (core, second_core), "by-api", source, submitted)
    actor = _someone_allowed(step, by_page, [alice, core, staff])
    expected = step.leads_to(by_page)

    client.force_login(actor)
    page = client.post(f"/p/cinder/{by_page.slug}/review/{action}/", {"message": "Via the page."})
    api = api_as(actor).post(
        f"/api/v1/specs/{by_api.pk}/{action}/", {"message": "Via the API."}, format="json"
    )

    assert page.status_code == 302, page.content
    assert api.status_code == 200, api.json()
    assert refresh(by_page).status == refresh(by_api).status == api.json()["status"] == expected
    if step.takes_message:
        assert by_page.revisions.latest("number").message == "Via the page."
        assert by_api.revisions.latest("number").message == "Via the API."


@pytest.mark.parametrize("action", list(workflow.TRANSITIONS))
def test_each_action_is_refused_the_same_from_a_status_it_cannot_start_from(
    project, alice, core, staff, client, api_as, action
):
    step = workflow.TRANSITIONS[action]
    (source, *_) = [status for status in SpecStatus if status not in step.sources]
    by_page = _world(project, alice, (core,), "by-page", source, submitted=source != SpecStatus.DRAFT)
    by_api = _world(project, alice, (core,), "by-api", source, submitted=source != SpecStatus.DRAFT)
    actor = _someone_allowed(step, by_page, [alice, core, staff])

    client.force_login(actor)
    page = client.post(f"/p/cinder/{by_page.slug}/review/{action}/", HTTP_ACCEPT="application/json")
    api = api_as(actor).post(f"/api/v1/specs/{by_api.pk}/{action}/", {}, format="json")

    assert page.status_code == api.status_code == 400
    assert page.json()["error"] == api.json()["message"]
    assert "it must be" in api.json()["message"]
    assert refresh(by_page).status == refresh(by_api).status == source


@pytest.mark.parametrize(
    ("who", "source", "offered"),
    [
        ("alice", SpecStatus.DRAFT, {"submit", "abandon"}),
        ("alice", SpecStatus.IN_REVIEW, {"submit", "abandon"}),
        ("core", SpecStatus.IN_REVIEW, {"approve", "abandon"}),
        ("core", SpecStatus.APPROVED, {"merge", "abandon"}),
        ("alice", SpecStatus.ABANDONED, {"restore"}),
        ("core", SpecStatus.MERGED, set()),
        ("alice", SpecStatus.MERGED, {"reopen"}),
    ],
)
def test_the_spec_page_offers_the_actions_the_table_allows(
    project, alice, core, client, who, source, offered, request
):
    spec = _world(project, alice, (core,), "offered", source, submitted=source != SpecStatus.DRAFT)
    client.force_login(request.getfixturevalue(who))

    page = client.get(f"/p/cinder/{spec.slug}/").content.decode()

    shown = {action for action in workflow.TRANSITIONS if f"/p/cinder/{spec.slug}/review/{action}/" in page}
    assert shown == offered

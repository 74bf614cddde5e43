"""Merging a connected project's approved spec is its commit: blueprint, Change-Id, the same on revision 2."""

from __future__ import annotations

import re

import pytest

from specs_app.gitrepo.services import PushRefused
from specs_app.models import RepositoryConnection, SpecStatus
from specs_app.review import services as review
from tests.review_world import PROBLEM, PROPOSAL, refresh, submit, write

from .conftest import git


def _trailer(message: str, key: str) -> list[str]:
    return [line.split(": ", 1)[1] for line in message.splitlines() if line.startswith(f"{key}: ")]


@pytest.fixture
def merging(connected, core):
    """Merges go straight to the branch, after one core reviewer's +2."""
    RepositoryConnection.objects.filter(project=connected).update(push_target="branch")
    connected.required_core_approvals = 1
    connected.save(update_fields=["required_core_approvals"])
    return connected


def _approve_and_merge(spec, author, core, message: str):
    spec = submit(spec, author, message).spec
    review.publish_review(actor=core, spec=spec, vote=2, message="Ship it.")
    spec = review.take_action(actor=core, spec=refresh(spec), action="approve")
    return review.take_action(actor=core, spec=spec, action="merge")


def test_a_merge_commits_the_spec_with_blueprint_and_change_id(merging, spec, alice, core, upstream):
    spec = write(spec, alice, problem_description=PROBLEM, proposed_change=PROPOSAL)
    spec = _approve_and_merge(spec, alice, core, "First draft")

    assert spec.status == SpecStatus.MERGED
    message = git(upstream.bare, "log", "-1", "--format=%B", "master")
    assert message.splitlines()[0] == "Volume multi-attach"
    assert _trailer(message, "Implements") == ["blueprint multi-attach"]
    assert _trailer(message, "Change-Id") == [spec.upstream.change_id]
    assert upstream.show("master", spec.path) == spec.text()


def test_revision_2_merges_with_the_same_change_id(merging, spec, alice, core, upstream):
    spec = _approve_and_merge(write(spec, alice, problem_description=PROBLEM), alice, core, "One")
    first = _trailer(git(upstream.bare, "log", "-1", "--format=%B", "master"), "Change-Id")

    spec = review.take_action(actor=alice, spec=spec, action="reopen")
    spec = write(spec, alice, problem_description=PROBLEM + "\nAnd a second thought.\n")
    spec = _approve_and_merge(spec, alice, core, "Two")

    log = git(upstream.bare, "log", "--format=%H", "master").split()
    assert len(log) == 3  # the initial commit and one per merge
    assert _trailer(git(upstream.bare, "log", "-1", "--format=%B", "master"), "Change-Id") == first
    assert "And a second thought." in upstream.show("master", spec.path)


def test_a_refused_push_leaves_the_spec_approved(merging, spec, alice, core, upstream):
    hook = upstream.bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'The specs repository is closed.' >&2\nexit 1\n")
    hook.chmod(0o755)
    spec = submit(write(spec, alice, problem_description=PROBLEM), alice).spec
    review.publish_review(actor=core, spec=spec, vote=2)
    spec = review.take_action(actor=core, spec=refresh(spec), action="approve")

    with pytest.raises(PushRefused, match=re.escape("The specs repository is closed.")):
        review.take_action(actor=core, spec=spec, action="merge")
    assert refresh(spec).status == SpecStatus.APPROVED

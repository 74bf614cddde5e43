"""The ``specportal`` client's review commands (comments, comment, review) against a live test server."""

from __future__ import annotations

import pytest

from specportal_cli.main import main
from specs_app.models import Comment, Review
from specs_app.review import services as review_services
from specs_app.tokens import services as services_tokens
from tests.review_world import PROPOSAL, comment_on, line_of_text, submit, write

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "specs/2026.1/multi-attach.rst"


@pytest.fixture
def site(site, in_review):
    """The live server's URL, with alice's spec in review."""
    return site


@pytest.fixture
def run(site, capsys):
    """``run(user, "comments", ...)``: the CLI's exit code, stdout and stderr, as ``user``."""

    def invoke(user, *argv: str):
        token = services_tokens.create_api_token(actor=user, name="cli")[1] if user else ""
        code = main(["--url", site, "--token", token, *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def publish(spec, actor, vote: int = 0, message: str = "") -> None:
    review_services.publish_review(actor=actor, spec=spec, vote=vote, message=message)


def test_it_lists_unresolved_comments_at_their_lines_in_the_latest_revision(run, in_review, alice, bob):
    comment = comment_on(in_review, bob, "multiattach capability", "Which back ends?\nAll of them?")
    publish(in_review, bob)
    review_services.reply_to_comment(actor=alice, comment=comment, body="The ones that say so.")
    publish(in_review, alice)
    resolved = comment_on(in_review, bob, "clustered file systems", "Fine now.")
    publish(in_review, bob)
    review_services.resolve_thread(actor=bob, comment=resolved)
    # A second revision moves the passage two lines down: the listing follows it.
    spec = write(in_review, alice, proposed_change="Background first.\n\n" + PROPOSAL)
    submit(spec, alice)
    line = line_of_text(spec, "multiattach capability")

    code, out, err = run(bob, "comments", "cinder/multi-attach")

    assert code == 0, err
    assert out.splitlines() == [
        f"{PATH}:{line}: [open] bob: Which back ends?",
        "    All of them?",
        "    alice: The ones that say so.",
    ]


def test_all_lists_resolved_comments_too(run, in_review, alice, bob):
    resolved = comment_on(in_review, bob, "clustered file systems", "Fine now.")
    publish(in_review, bob)
    review_services.resolve_thread(actor=bob, comment=resolved)
    line = line_of_text(in_review, "clustered file systems")

    code, out, _ = run(None, "comments", "cinder/multi-attach", "--all")

    assert code == 0
    assert out.splitlines() == [f"{PATH}:{line}: [resolved] bob: Fine now."]


def test_it_says_when_there_is_nothing_to_list(run, in_review, bob):
    code, out, err = run(bob, "comments", "cinder/multi-attach")

    assert code == 0
    assert out == ""
    assert "No unresolved comments on cinder/multi-attach." in err


def test_a_draft_comment_then_a_review_publishes_it(run, in_review, bob):
    line = line_of_text(in_review, "multiattach capability")

    code, _, err = run(
        bob, "comment", "cinder/multi-attach", "--line", str(line), "-m", "Name the capability."
    )
    assert code == 0, err
    assert f"line {line} of cinder/multi-attach revision 1" in err

    code, out, _ = run(bob, "comments", "cinder/multi-attach")
    assert out.splitlines() == [f"{PATH}:{line}: [open, draft] bob: Name the capability."]

    code, _, err = run(bob, "review", "cinder/multi-attach", "--vote", "+1", "-m", "Nearly.")
    assert code == 0, err
    assert "Published your review of cinder/multi-attach revision 1: +1, with 1 comment." in err
    review = Review.objects.get()
    assert (review.reviewer, review.vote, review.message) == (bob, 1, "Nearly.")
    assert Comment.objects.get().review == review


def test_a_comment_on_a_line_range(run, in_review, bob):
    first = line_of_text(in_review, "Attaching a volume")

    code, _, err = run(
        bob, "comment", "cinder/multi-attach", "--line", str(first), "--to", str(first + 1), "-m", "Long."
    )

    assert code == 0, err
    assert f"lines {first}-{first + 1}" in err
    comment = Comment.objects.get()
    assert (comment.line_start, comment.line_end) == (first, first + 1)


def test_a_refused_review_exits_non_zero_with_the_servers_reason(run, in_review, bob):
    code, out, err = run(bob, "review", "cinder/multi-attach", "--vote", "2")

    assert code == 1
    assert out == ""
    assert "Only Cinder's core reviewers can vote +2." in err
    assert not Review.objects.exists()


def test_a_core_reviewer_votes_two(run, in_review, core):
    code, _, err = run(core, "review", "cinder/multi-attach", "--vote", "2")

    assert code == 0, err
    assert Review.objects.get().vote == 2


def test_a_comment_on_a_line_with_no_text_is_refused(run, in_review, bob):
    code, _, err = run(bob, "comment", "cinder/multi-attach", "--line", "100000", "-m", "Here?")

    assert code == 1
    assert "has no text on lines 100000" in err


def test_writing_without_a_token_says_how_to_sign_in(run, in_review):
    code, _, err = run(None, "review", "cinder/multi-attach", "--vote", "1")

    assert code == 1
    assert "SPECPORTAL_TOKEN" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["review", "cinder/multi-attach"],
        ["review", "cinder/multi-attach", "--vote", "lots"],
        ["comment", "cinder/multi-attach", "--line", "0", "-m", "x"],
        ["comment", "cinder/multi-attach", "--line", "3"],
    ],
)
def test_bad_arguments_are_a_usage_error(site, argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--url", site, *argv])

    assert exit_info.value.code == 2

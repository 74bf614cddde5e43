"""``specportal comments`` prints a suggested edit under its thread as a unified diff."""

from __future__ import annotations

import pytest

from specportal_cli.main import main
from specs_app.review import services as review_services
from specs_app.tokens import services as services_tokens
from tests.review_world import comment_on, line_of_text, suggest

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "specs/2026.1/multi-attach.rst"


def test_a_suggestion_is_printed_as_a_diff_of_its_passage(site, in_review, alice, bob, capsys):
    suggest(in_review, bob, "The scheduler does not know", "The scheduler cannot tell", body="Clearer?")
    line = line_of_text(in_review, "The scheduler does not know")
    token = services_tokens.create_api_token(actor=alice, name="cli")[1]

    code = main(["--url", site, "--token", token, "comments", "cinder/multi-attach"])

    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out.splitlines() == [
        f"{PATH}:{line}: [open] bob: Clearer?",
        "    Suggested edit (applies to the working draft):",
        f"    --- {PATH}",
        f"    +++ {PATH} (suggested)",
        f"    @@ -{line} +{line} @@",
        "    -The scheduler does not know",
        "    +The scheduler cannot tell",
    ]


def test_a_plain_comment_prints_no_diff(site, in_review, alice, bob, capsys):
    comment_on(in_review, bob, "The scheduler does not know", "Why?")
    review_services.publish_review(actor=bob, spec=in_review, message="")
    token = services_tokens.create_api_token(actor=alice, name="cli")[1]
    main(["--url", site, "--token", token, "comments", "cinder/multi-attach"])
    assert "Suggested edit" not in capsys.readouterr().out

"""``specportal comments`` lists a thread awaiting its opener's verification: it is unresolved."""

from __future__ import annotations

import pytest

from specportal_cli.main import main
from specs_app.review import services as review_services
from specs_app.tokens import services as services_tokens
from tests.review_world import line_of_text

pytestmark = pytest.mark.django_db(transaction=True)

QUOTE = "clustered file systems"


def test_it_lists_a_thread_awaiting_verification(site, in_review, bob, core, capsys):
    line = line_of_text(in_review, QUOTE)
    thread = review_services.add_comment(
        actor=bob,
        spec=in_review,
        body="Which ones?",
        selection=review_services.Selection(line_start=line, line_end=line, quote=QUOTE),
        requires_verification=True,
    )
    review_services.publish_review(actor=bob, spec=in_review, message="Q.")
    review_services.resolve_thread(actor=core, comment=thread)
    token = services_tokens.create_api_token(actor=bob, name="cli")[1]

    code = main(["--url", site, "--token", token, "comments", "cinder/multi-attach"])

    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        f"specs/2026.1/multi-attach.rst:{line}: [verifying] bob: Which ones?"
    ]

"""Suggested edits: a reviewer's replacement text, applied to the working draft as one checked edit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from specs_app.authoring import services
from specs_app.authoring.services import EditConflict
from specs_app.limits import MAX_SPEC_CHARACTERS
from specs_app.models import Notification, ThreadState
from specs_app.review import services as review_services
from specs_app.review import suggestions
from tests.review_world import comment_on, refresh, submit, suggest, write

OLD = "The scheduler does not know"
NEW = "The scheduler cannot tell"


def apply(actor, spec, *threads, version=None):
    spec = refresh(spec)
    return suggestions.apply_suggestions(
        actor=actor,
        spec=spec,
        thread_ids=[thread.pk for thread in threads],
        expected_version=spec.version if version is None else version,
    )


def problem_text(spec) -> str:
    return refresh(spec).sections.get(title="Problem description").body


def test_a_suggestion_is_an_inline_draft_comment_with_replacement_text(in_review, bob):
    comment = suggest(in_review, bob, OLD, NEW, publish=False)
    assert comment.is_suggestion and comment.is_draft
    assert comment.quote == OLD and comment.suggestion == NEW


def test_applying_puts_the_replacement_in_the_working_draft_and_resolves_the_thread(in_review, alice, bob):
    thread = suggest(in_review, bob, OLD, NEW)
    before = refresh(in_review).version
    spec = apply(alice, in_review, thread)
    assert spec.version == before + 1
    assert f"{NEW} which back ends" in problem_text(in_review)
    thread.refresh_from_db()
    assert thread.suggestion_applied_by == alice and thread.suggestion_applied_at is not None
    assert thread.state == ThreadState.RESOLVED and thread.resolved_by == alice


def test_several_suggestions_apply_as_one_edit(in_review, alice, bob, core):
    first = suggest(in_review, bob, OLD, NEW)
    second = suggest(in_review, core, "Add a multiattach capability", "Add a shared-volume capability")
    before = refresh(in_review).version
    spec = apply(alice, in_review, first, second)
    assert spec.version == before + 1
    text = refresh(in_review).text()
    assert NEW in text and "Add a shared-volume capability that back ends report." in text


def test_it_rejects_a_stale_version_and_writes_nothing(in_review, alice, bob):
    thread = suggest(in_review, bob, OLD, NEW)
    version = refresh(in_review).version
    with pytest.raises(EditConflict):
        apply(alice, in_review, thread, version=version - 1)
    assert OLD in problem_text(in_review)
    thread.refresh_from_db()
    assert thread.suggestion_applied_at is None


def test_it_refuses_a_suggestion_whose_text_changed_in_the_draft(in_review, alice, bob):
    thread = suggest(in_review, bob, OLD, NEW)
    write(
        in_review, alice, problem_description=problem_text(in_review).replace(OLD, "The scheduler never knew")
    )
    with pytest.raises(suggestions.SuggestionChanged, match="has changed since: the working draft reads"):
        apply(alice, in_review, thread)
    assert "never knew" in problem_text(in_review)


def test_a_changed_suggestion_refuses_the_others_with_it(in_review, alice, bob, core):
    changed = suggest(in_review, bob, OLD, NEW)
    fine = suggest(in_review, core, "Add a multiattach capability", "Add a shared-volume capability")
    write(in_review, alice, problem_description=problem_text(in_review).replace(OLD, "Nobody knows"))
    version = refresh(in_review).version
    with pytest.raises(suggestions.SuggestionChanged):
        apply(alice, in_review, changed, fine)
    assert refresh(in_review).version == version
    fine.refresh_from_db()
    assert fine.suggestion_applied_at is None


def test_text_moved_elsewhere_in_the_draft_is_still_found(in_review, alice, bob):
    thread = suggest(in_review, bob, OLD, NEW)
    write(in_review, alice, problem_description="A new first paragraph.\n\n" + problem_text(in_review))
    apply(alice, in_review, thread)
    text = problem_text(in_review)
    assert text.index("A new first paragraph.") < text.index(NEW)


def test_a_suggestion_on_an_older_revision_applies_through_the_latest(in_review, alice, bob):
    thread = suggest(in_review, bob, OLD, NEW)
    write(in_review, alice, proposed_change="Add a capability.\n")
    submit(refresh(in_review), alice, "Second")
    apply(alice, in_review, thread)
    assert NEW in problem_text(in_review)


def test_it_refuses_overlapping_suggestions(in_review, alice, bob, core):
    first = suggest(in_review, bob, OLD, NEW)
    second = suggest(in_review, core, "does not know which back ends", "ignores which back ends")
    with pytest.raises(ValidationError, match="overlapping"):
        apply(alice, in_review, first, second)
    assert OLD in problem_text(in_review)


def test_only_an_inline_comment_may_suggest(in_review, bob):
    with pytest.raises(ValidationError, match="selected passage"):
        review_services.add_comment(actor=bob, spec=in_review, body="Shorter?", suggestion="New text")
    with pytest.raises(ValidationError, match="selected passage"):
        review_services.add_comment(
            actor=bob, spec=in_review, body="Shorter?", section_index=0, suggestion="New text"
        )


def test_a_suggestion_is_held_to_the_size_limit(in_review, bob):
    with pytest.raises(ValidationError, match="limit"):
        suggest(in_review, bob, OLD, "x" * (MAX_SPEC_CHARACTERS + 1), publish=False)


def test_a_plain_comment_is_not_applied(in_review, alice, bob):
    comment = comment_on(in_review, bob, OLD)
    review_services.publish_review(actor=bob, spec=in_review, message="")
    with pytest.raises(ValidationError, match="suggests no replacement"):
        apply(alice, in_review, comment)


def test_a_draft_suggestion_is_not_applied(in_review, alice, bob):
    draft = suggest(in_review, bob, OLD, NEW, publish=False)
    with pytest.raises(ValidationError, match="no published thread"):
        apply(alice, in_review, draft)


def test_an_applied_suggestion_is_not_applied_twice(in_review, alice, bob):
    thread = suggest(in_review, bob, OLD, NEW)
    apply(alice, in_review, thread)
    with pytest.raises(ValidationError, match="Already applied by alice"):
        apply(alice, in_review, thread)


@pytest.mark.parametrize("who", ["bob", "core", "carol"])
def test_only_people_who_edit_the_spec_apply(in_review, bob, who, request):
    thread = suggest(in_review, bob, OLD, NEW)
    with pytest.raises(PermissionDenied, match="owner, its co-authors and staff"):
        apply(request.getfixturevalue(who), in_review, thread)


@pytest.mark.parametrize("who", ["carol", "staff"])
def test_co_authors_and_staff_apply(co_authored_spec, alice, bob, who, request):
    spec = write(co_authored_spec, alice, problem_description="The scheduler does not know it.\n")
    submit(spec, alice)
    spec = refresh(spec)
    thread = suggest(spec, bob, OLD, NEW)
    apply(request.getfixturevalue(who), spec, thread)
    assert NEW in refresh(spec).text()


def test_a_merged_spec_is_not_edited(in_review, alice, bob):
    thread = suggest(in_review, bob, OLD, NEW)
    spec = refresh(in_review)
    spec.status = "merged"
    spec.save()
    with pytest.raises(ValidationError, match="locked"):
        apply(alice, spec, thread)


def test_applying_notifies_each_person_once_never_the_actor(in_review, alice, bob, core):
    first = suggest(in_review, bob, OLD, NEW)
    second = suggest(in_review, bob, "Add a multiattach capability", "Add a shared capability")
    services.set_co_authors(actor=alice, spec=refresh(in_review), co_authors=[core])
    Notification.objects.all().delete()
    apply(alice, in_review, first, second)
    notes = list(Notification.objects.filter(kind=Notification.Kind.SUGGESTION_APPLIED))
    assert sorted(note.recipient.username for note in notes) == ["bob", "dave"]
    assert notes[0].message == "alice applied 2 suggestions on Volume multi-attach"
    assert not Notification.objects.exclude(kind=Notification.Kind.SUGGESTION_APPLIED).exists()


def test_the_check_says_whether_each_suggestion_applies(in_review, alice, bob, core):
    fine = suggest(in_review, bob, "Add a multiattach capability", "Add a shared capability")
    changed = suggest(in_review, core, OLD, NEW)
    write(in_review, alice, problem_description=problem_text(in_review).replace(OLD, "Nobody knows"))
    checks = suggestions.check_suggestions(refresh(in_review), [fine, changed])
    assert checks[fine.pk].applicable and checks[fine.pk].reason == ""
    assert not checks[changed.pk].applicable
    assert checks[changed.pk].reason.startswith("The text this suggestion replaces has changed since")

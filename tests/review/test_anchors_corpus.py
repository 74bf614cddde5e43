"""Comments carried across revisions of real specs, edited the way authors edit them."""

import pytest

from specs_app.models import CommentAnchor, Spec
from specs_app.review import services as review_services
from specs_app.rst import anchors
from specs_app.transfer.importing import import_spec
from tests.helpers import corpus_path
from tests.review_world import submit

TASK_LOG = ("cinder-specs", "specs", "juno", "task-log.rst")
MOVED = (
    "Part of the proposed change and one that needs more feedback is the location of\n"
    "this log (is it a log at all?)."
)


@pytest.fixture
def task_log(project, alice):
    source = corpus_path(*TASK_LOG).read_text(encoding="utf-8")
    spec = import_spec(
        actor=alice, project=project, source=source, release="juno", filename="task-log.rst"
    ).spec
    submit(spec, alice, "Imported")
    return Spec.objects.get(pk=spec.pk)


def section(spec, title):
    return spec.sections.get(title=title)


def edit_section(spec, actor, title, change):
    from specs_app.authoring import services

    target = section(spec, title)
    services.update_section(
        actor=actor, section=target, base_version=target.version, text=change(target.text)
    )


def comment(spec, actor, quote, occurrence=0):
    text = spec.revisions.order_by("-number")[0].text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    line = text[:start].count("\n") + 1
    return review_services.add_comment(
        actor=actor,
        spec=spec,
        body="A question.",
        selection=review_services.Selection(
            line_start=line,
            line_end=line + quote.count("\n"),
            quote=" ".join(quote.split()),
            prefix=text[max(0, start - 32) : start],
            suffix=text[start + len(quote) : start + len(quote) + 32],
        ),
    )


def anchor_on(comment, number):
    return CommentAnchor.objects.get(comment=comment, revision__number=number)


def test_a_paragraph_moved_within_its_section_is_found(task_log, alice, bob):
    thread = comment(task_log, bob, MOVED)

    def move_to_end(text):
        paragraphs = text.split("\n\n")
        moving = next(paragraph for paragraph in paragraphs if paragraph.startswith("Part of the proposed"))
        paragraphs.remove(moving)
        return "\n\n".join([*paragraphs, moving])

    edit_section(task_log, alice, "Proposed change", move_to_end)
    revision = submit(task_log, alice, "Moved a paragraph")
    placed = anchor_on(thread, revision.number)
    assert placed.state in ("moved", "exact")
    assert revision.text[placed.start : placed.end] == thread.quote
    assert placed.start != thread.start


def test_text_inserted_above_keeps_the_comment_on_its_sentence(task_log, alice, bob):
    thread = comment(task_log, bob, MOVED)
    edit_section(task_log, alice, "Problem description", lambda text: "A new opening paragraph.\n\n" + text)
    revision = submit(task_log, alice)
    placed = anchor_on(thread, revision.number)
    assert placed.state == "exact"
    assert revision.text[placed.start : placed.end] == thread.quote
    assert placed.line_start == thread.line_start + 2


def test_a_deleted_sentence_becomes_outdated_and_stays_on_its_revision(task_log, alice, bob, client):
    thread = comment(task_log, bob, MOVED)
    review_services.publish_review(actor=bob, spec=task_log, vote=0, message="")

    def delete(text):
        start = text.index("Part of the proposed change")
        end = text.index("\n\n", start)
        return text[:start] + text[end + 2 :]

    edit_section(task_log, alice, "Proposed change", delete)
    revision = submit(task_log, alice)
    assert anchor_on(thread, revision.number).state == "outdated"
    assert anchor_on(thread, 1).state == "exact"
    later = client.get(f"/p/cinder/{task_log.slug}/revisions/{revision.number}/").content.decode()
    assert "Outdated: see revision 1" in later


def test_a_quote_that_appears_twice_stays_on_its_occurrence(task_log, alice, bob):
    text = task_log.revisions.get().text
    word = "taskflow engines"
    assert text.count(word) >= 2
    first, second = text.index(word), text.index(word, text.index(word) + 1)
    thread = comment(task_log, bob, word, occurrence=1)
    assert thread.start == second != first
    edit_section(
        task_log, alice, "Problem description", lambda body: "Mentions taskflow engines too.\n\n" + body
    )
    revision = submit(task_log, alice)
    placed = anchor_on(thread, revision.number)
    assert revision.text[placed.start : placed.end] == word
    # Still the second of the original two, now the third occurrence in the text.
    occurrences = [index for index in range(len(revision.text)) if revision.text.startswith(word, index)]
    original = [
        index for index in occurrences if revision.text[index - 60 : index] == text[second - 60 : second]
    ]
    assert placed.start == original[0]


def test_across_many_corpus_specs_an_anchor_is_never_on_other_text():
    """Engine only: insert a paragraph at each spec's first section; every quote maps to the same words."""
    from tests.helpers import corpus_specs

    corpus_path("cinder-specs")
    checked = 0
    for path in corpus_specs("cinder")[:40]:
        text = path.read_text(encoding="utf-8")
        spans = anchors.section_spans(text)
        if len(spans) < 3:
            continue
        insert_at = spans[1].start
        new_text = text[:insert_at] + "An inserted paragraph.\n\n" + text[insert_at:]
        diffs = anchors.diff(text, new_text)
        for start in range(spans[1].start, min(len(text) - 40, spans[1].start + 2000), 97):
            quote = anchors.quote_at(text, start, start + 40)
            placed = anchors.reanchor(quote, text, new_text, diffs=diffs)
            assert placed.found
            assert new_text[placed.start : placed.end] == quote.exact
            checked += 1
    assert checked > 100

"""Simultaneous writes on PostgreSQL: 20 threads, each with its own connection, released together.

SQLite serialises every write to the file, so a race there proves nothing; CI runs the
suite on both databases and these tests on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection

from specs_app.authoring import services
from specs_app.models import Comment, Spec, SpecSection
from specs_app.review import services as review_services

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite serialises writes; concurrency is tested on PostgreSQL (CI runs the suite on both)",
)

THREADS = 20


def run_together(work: Callable[[int], object]) -> list[object]:
    """``work(i)`` in THREADS threads that connect first, then start at one barrier.

    Returns each thread's result or the exception it raised, in thread order.
    """
    barrier = threading.Barrier(THREADS, timeout=30)
    results: list[object] = [None] * THREADS

    def thread(index: int) -> None:
        try:
            connection.ensure_connection()  # this thread's own connection, opened before the start
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # handed back to the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=thread, args=(index,)) for index in range(THREADS)]
    for each in threads:
        each.start()
    for each in threads:
        each.join(timeout=60)
    assert not any(each.is_alive() for each in threads), "a thread hung"
    return results


@pytest.mark.postgres
def test_one_of_twenty_simultaneous_saves_of_a_section_wins_and_the_rest_get_its_text(
    transactional_db, spec, alice
):
    section = spec.sections.get(title="Use Cases")
    base_version, spec_version = section.version, spec.version
    texts = [f"Use case written by editor {index}." for index in range(THREADS)]

    results = run_together(
        lambda index: services.update_section(
            actor=alice, section=section, base_version=base_version, text=texts[index]
        )
    )

    unexpected = [r for r in results if not isinstance(r, SpecSection | services.EditConflict)]
    assert not unexpected, unexpected
    winners = [index for index, result in enumerate(results) if isinstance(result, SpecSection)]
    assert len(winners) == 1, f"{len(winners)} saves from the same version succeeded"
    winner_text = texts[winners[0]]
    stored = SpecSection.objects.get(pk=section.pk)
    assert stored.text == winner_text
    assert stored.version == base_version + 1
    assert Spec.objects.get(pk=spec.pk).version == spec_version + 1
    for index, result in enumerate(results):
        if index in winners:
            continue
        (conflict,) = result.conflicts
        # Nothing is lost: each loser has the winner's text to merge with, and keeps its own.
        assert conflict.current == winner_text
        assert conflict.yours == texts[index]
        assert conflict.field == f"section-{section.pk}"


@pytest.mark.postgres
def test_comments_posted_at_the_same_time_are_all_kept(transactional_db, in_review, bob):
    bodies = [f"Comment {index}: what happens on detach?" for index in range(THREADS)]

    results = run_together(
        lambda index: review_services.add_comment(actor=bob, spec=in_review, body=bodies[index])
    )

    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    stored = Comment.objects.filter(spec=in_review).values_list("body", flat=True)
    assert sorted(stored) == sorted(bodies)

"""The anchoring engine, pure: finding a selection, and carrying a quote to the next text."""

from specs_app.rst import anchors

TEXT = """=====
Title
=====

Intro.

Problem
=======

The driver copies the volume twice. This is slow.

Another paragraph that mentions the volume twice.

Proposed
========

Use a single copy with ``dd`` and *direct* I/O.
"""


def quote(text, exact, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(exact, start + 1)
    return anchors.quote_at(text, start, start + len(exact))


def test_a_selection_is_found_near_its_lines():
    found = anchors.locate_selection(TEXT, "copies the volume twice", line_start=10, line_end=10)
    assert TEXT[found.start : found.end] == "copies the volume twice"
    assert found.prefix.endswith("The driver ") and len(found.prefix) == 32


def test_rendered_text_matches_source_with_inline_markup():
    found = anchors.locate_selection(TEXT, "single copy with dd and direct I/O", line_start=17, line_end=17)
    assert found.exact == "single copy with ``dd`` and *direct* I/O"


def test_a_selection_away_from_its_lines_is_not_found():
    assert anchors.locate_selection(TEXT, "copies the volume twice", line_start=17, line_end=18) is None
    assert anchors.locate_selection(TEXT, "not in the text", line_start=1, line_end=20) is None
    assert anchors.locate_selection(TEXT, "   ", line_start=1, line_end=20) is None


def test_text_inserted_above_keeps_it_exact():
    old = quote(TEXT, "copies the volume twice")
    new_text = TEXT.replace("Intro.", "Intro.\n\nA new paragraph above everything.\n")
    placed = anchors.reanchor(old, TEXT, new_text)
    assert placed.state == anchors.State.EXACT
    assert new_text[placed.start : placed.end] == "copies the volume twice"


def test_a_paragraph_moved_in_its_section_is_found():
    old = quote(TEXT, "The driver copies the volume twice.")
    first = "The driver copies the volume twice. This is slow.\n"
    second = "Another paragraph that mentions the volume twice.\n"
    new_text = TEXT.replace(first + "\n" + second, second + "\nNew words.\n\n" + first)
    placed = anchors.reanchor(old, TEXT, new_text)
    assert placed.found
    assert new_text[placed.start : placed.end] == "The driver copies the volume twice."


def test_a_deleted_sentence_is_outdated_not_moved_to_a_similar_one():
    old = quote(TEXT, "copies the volume twice")
    new_text = TEXT.replace("The driver copies the volume twice. This is slow.\n\n", "")
    assert anchors.reanchor(old, TEXT, new_text).state == anchors.State.OUTDATED


def test_a_lightly_edited_sentence_is_found_fuzzily():
    old = quote(TEXT, "The driver copies the volume twice.")
    new_text = TEXT.replace("copies the volume twice", "copies the volumes twice")
    placed = anchors.reanchor(old, TEXT, new_text)
    assert placed.state == anchors.State.FUZZY
    # An approximate match may be off by a character at its ends, never more.
    assert new_text[placed.start : placed.end].startswith("The driver copies the volumes twice")


def test_a_quote_in_another_section_is_not_taken():
    old = quote(TEXT, "The driver copies the volume twice.")
    new_text = TEXT.replace("The driver copies the volume twice. This is slow.\n\n", "").replace(
        "Use a single", "The driver copies the volume twice. Use a single"
    )
    assert anchors.reanchor(old, TEXT, new_text).state == anchors.State.OUTDATED


def test_a_repeated_quote_stays_on_its_occurrence_after_an_insert_before_both():
    text = TEXT.replace("Intro.", "Intro.\n\nSee the note.\n\nAgain: see the note.")
    second = quote(text, "see the note", 0)  # the lower-case one in "Again: see the note."
    new_text = text.replace("Intro.", "Intro.\n\nAn inserted line. See the note first.")
    placed = anchors.reanchor(second, text, new_text)
    assert placed.state == anchors.State.EXACT
    assert new_text[placed.start - len("Again: ") : placed.end] == "Again: see the note"


def test_a_short_quote_with_equal_twins_is_not_guessed():
    text = TEXT.replace("Intro.", "Intro.\n\nuse it. then use it.")
    old = quote(text, "use it", 1)
    new_text = text.replace("then use it.", "then, later, USE IT.") + "\nuse it. also use it.\n"
    placed = anchors.reanchor(old, text, new_text)
    assert placed.state == anchors.State.OUTDATED or new_text[placed.start : placed.end] == "use it"


def test_line_helpers():
    assert anchors.line_of(TEXT, 0) == 1
    start, end = anchors.line_offsets(TEXT, 10, 10)
    assert TEXT[start:end] == "The driver copies the volume twice. This is slow."
    assert anchors.line_offsets(TEXT, 0, 1) is None
    assert anchors.line_range(TEXT, start, end) == (10, 10)


def _section(text, title):
    (span,) = [span for span in anchors.section_spans(text) if span.title == title]
    return span


def test_carry_keeps_a_section_comment_on_its_rewritten_section():
    old = _section(TEXT, "Problem")
    anchor = anchors.Anchor(anchors.State.EXACT, old.start, old.end, section_title="Problem")
    body = TEXT[TEXT.index("The driver copies") : TEXT.index("\nProposed")]
    new_text = TEXT.replace(body, "Nothing of the old wording is left here.").replace(
        "Intro.", "Intro.\n\nA longer introduction."
    )
    placed = anchors.carry(TEXT, new_text, anchor)
    new = _section(new_text, "Problem")
    assert (placed.state, placed.start, placed.end) == (anchors.State.EXACT, new.start, new.end)


def test_carry_outdates_a_section_comment_whose_title_is_gone_or_repeated():
    old = _section(TEXT, "Problem")
    anchor = anchors.Anchor(anchors.State.EXACT, old.start, old.end, section_title="Problem")
    renamed = TEXT.replace("Problem\n=======", "Issue\n=====")
    repeated = TEXT.replace("Proposed\n========", "Problem\n=======")
    assert anchors.carry(TEXT, renamed, anchor).state == anchors.State.OUTDATED
    assert anchors.carry(TEXT, repeated, anchor).state == anchors.State.OUTDATED


def test_carry_places_a_passage_by_its_quote():
    old = quote(TEXT, "copies the volume twice")
    new_text = TEXT.replace("Intro.", "Intro.\n\nA new paragraph above everything.\n")
    placed = anchors.carry(TEXT, new_text, anchors.Anchor(anchors.State.FUZZY, old.start, old.end))
    assert placed.state == anchors.State.EXACT
    assert new_text[placed.start : placed.end] == "copies the volume twice"
    deleted = TEXT.replace("The driver copies the volume twice. This is slow.\n\n", "")
    gone = anchors.carry(TEXT, deleted, anchors.Anchor(anchors.State.EXACT, old.start, old.end))
    assert gone.state == anchors.State.OUTDATED


def test_carry_leaves_an_outdated_anchor_outdated():
    section = _section(TEXT, "Problem")
    for anchor in (
        anchors.Anchor(anchors.State.OUTDATED),
        anchors.Anchor(anchors.State.OUTDATED, section.start, section.end, section_title="Problem"),
    ):
        assert anchors.carry(TEXT, TEXT, anchor) == anchors.Placement(anchors.State.OUTDATED)

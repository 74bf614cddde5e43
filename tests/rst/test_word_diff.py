"""Word-level diffs give back both texts exactly, on real re-proposed specs and edge cases."""

from __future__ import annotations

import difflib
import itertools
from collections import defaultdict
from pathlib import Path

import pytest

from specs_app.rst.worddiff import DELETE, EQUAL, INSERT, new_side, old_side, side_text, word_diff
from tests.helpers import corpus_path


def _old(segments: list[tuple[str, str]]) -> str:
    return "".join(text for op, text in segments if op in (EQUAL, DELETE))


def _new(segments: list[tuple[str, str]]) -> str:
    return "".join(text for op, text in segments if op in (EQUAL, INSERT))


def _changed_line_pairs(limit: int) -> list[tuple[str, str]]:
    """Old and new lines of specs re-proposed in a later release of the corpus (the same file name)."""
    by_name: dict[str, list[Path]] = defaultdict(list)
    for project in ("nova", "cinder", "manila", "glance"):
        root = corpus_path(f"{project}-specs", "specs")
        for path in sorted(root.glob("**/*.rst")):
            if "template" not in path.name:
                by_name[f"{project}/{path.name}"].append(path)
    pairs: list[tuple[str, str]] = []
    for paths in by_name.values():
        for older, newer in itertools.pairwise(paths):
            old_lines = older.read_text(encoding="utf-8").splitlines()
            new_lines = newer.read_text(encoding="utf-8").splitlines()
            matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag == "replace":
                    pairs.extend(zip(old_lines[i1:i2], new_lines[j1:j2], strict=False))
            if len(pairs) >= limit:
                return pairs[:limit]
    return pairs


def test_it_gives_back_both_lines_of_every_changed_line_in_the_corpus():
    pairs = _changed_line_pairs(3000)
    assert len(pairs) > 200, "the corpus should hold many re-proposed specs"
    for old, new in pairs:
        segments = word_diff(old, new)
        assert _old(segments) == old
        assert _new(segments) == new


def test_changes_in_corpus_lines_are_whole_runs_never_adjacent_to_each_other():
    for old, new in _changed_line_pairs(1000):
        segments = word_diff(old, new)
        ops = [op for op, _ in segments]
        assert all(text for _, text in segments), "no empty segment"
        for first, second in itertools.pairwise(ops):
            assert (first, second) in {
                (EQUAL, DELETE),
                (EQUAL, INSERT),
                (DELETE, INSERT),
                (DELETE, EQUAL),
                (INSERT, EQUAL),
            }


def test_it_marks_only_the_changed_words():
    assert word_diff("The quick brown fox.", "The slow red fox.") == [
        (EQUAL, "The "),
        (DELETE, "quick brown"),
        (INSERT, "slow red"),
        (EQUAL, " fox."),
    ]


def test_punctuation_changes_separately_from_the_word_before_it():
    assert word_diff("Use the API.", "Use the API!") == [(EQUAL, "Use the API"), (DELETE, "."), (INSERT, "!")]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Größe des Volumes ändern", "Größe der Volumes ändern"),
        ("日本語のテキスト", "日本語の文章"),
        ("emoji 🚀 launch", "emoji 🛸 launch"),
        ("naïve café", "naive cafe"),
        ("``os-volume_attachments``", "``os-volume-attachments``"),
    ],
)
def test_it_gives_back_unicode_text_exactly(old, new):
    segments = word_diff(old, new)
    assert (_old(segments), _new(segments)) == (old, new)
    assert any(op != EQUAL for op, _ in segments)


def test_an_empty_old_side_is_one_insertion():
    assert word_diff("", "new text") == [(INSERT, "new text")]


def test_an_empty_new_side_is_one_deletion():
    assert word_diff("old text", "") == [(DELETE, "old text")]


def test_two_empty_sides_have_no_segments():
    assert word_diff("", "") == []


def test_identical_text_is_one_equal_segment():
    assert word_diff("same line", "same line") == [(EQUAL, "same line")]


def test_a_whitespace_only_change_is_marked():
    segments = word_diff("two  spaces", "two spaces")
    assert segments == [(EQUAL, "two"), (DELETE, "  "), (INSERT, " "), (EQUAL, "spaces")]


def test_trailing_whitespace_and_tabs_are_marked():
    segments = word_diff("indent\tme ", "indent me")
    assert (_old(segments), _new(segments)) == ("indent\tme ", "indent me")
    assert (DELETE, " ") in segments


def test_each_side_of_a_split_view_joins_to_its_text():
    segments = word_diff("one two three", "one 2 three four")
    assert side_text(old_side(segments)) == "one two three"
    assert side_text(new_side(segments)) == "one 2 three four"
    assert {op for op, _ in old_side(segments)} == {EQUAL, DELETE}
    assert {op for op, _ in new_side(segments)} == {EQUAL, INSERT}

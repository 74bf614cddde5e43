"""The compare page marks changed words inside changed lines, for eyes and screen readers, in both layouts."""

import pytest

from specs_app.rst import diff
from tests.helpers import html_tree
from tests.review_world import refresh, submit, write

# Revision 2 edits the proposal's line, rewrites no other, and adds a line unlike any before.
PROPOSAL_2 = "Add a multiattach capability that drivers report.\n\nThe scheduler filters on it.\n"
LAYOUTS = ["unified", "split"]


@pytest.fixture
def revised(in_review, alice):
    spec = write(in_review, alice, proposed_change=PROPOSAL_2)
    submit(spec, alice, "Wording")
    return refresh(spec)


def compare_page(client, spec, layout):
    response = client.get(f"/p/cinder/{spec.slug}/revisions/compare/?old=1&new=2&layout={layout}")
    assert response.status_code == 200
    return html_tree(response.content)


def _rows(page, kind):
    return page.find_all("tr", class_=f"diff__row--{kind}")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_edited_line_marks_only_its_changed_words(revised, client, layout):
    page = compare_page(client, revised, layout)
    deleted = [node.visible_text for node in page.find_all("del", class_="word-diff")]
    inserted = [node.visible_text for node in page.find_all("ins", class_="word-diff")]
    assert deleted == ["back ends"]
    assert inserted == ["drivers"]
    [inserted_node] = page.find_all("ins", class_="word-diff")
    line = next(node for node in inserted_node.ancestors() if node.tag == "tr")
    assert "Add a multiattach capability that drivers report." in line.visible_text


@pytest.mark.parametrize("layout", LAYOUTS)
def test_unchanged_and_unpaired_lines_have_no_word_marks(revised, client, layout):
    page = compare_page(client, revised, layout)
    for row in _rows(page, "context"):
        assert not row.find_all("del") and not row.find_all("ins")
    # The new line resembles nothing removed: it is added whole, without word marks.
    [added] = [row for row in page.find_all("tr") if "The scheduler filters on it." in row.visible_text]
    assert not added.find_all("ins")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_word_change_says_what_it_is_to_a_screen_reader(revised, client, layout):
    page = compare_page(client, revised, layout)
    [deleted] = page.find_all("del", class_="word-diff")
    [inserted] = page.find_all("ins", class_="word-diff")
    assert deleted.text == "removed: back ends (end removed)"
    assert inserted.text == "added: drivers (end added)"
    hidden = [node.text for node in deleted.find_all("span", class_="visually-hidden")]
    assert hidden == ["removed: ", " (end removed)"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_line_numbers_say_which_revision_they_are_in(revised, client, layout):
    page = compare_page(client, revised, layout)
    numbers = [
        cell.text
        for row in _rows(page, "changed" if layout == "split" else "added")
        for cell in row.find_all("td", class_="diff__number")
        if cell.text
    ]
    assert any(number.startswith("line ") and number.endswith(" in Revision 2") for number in numbers)
    for table in page.find_all("table", class_="diff"):
        assert "Proposed change, change 1 of 1" in table.find("caption").text
        assert table.find("thead").find_all("th")


def test_the_unified_table_names_its_columns(revised, client):
    page = compare_page(client, revised, "unified")
    headings = [cell.text for cell in page.find("table", class_="diff--unified").find("thead").find_all("th")]
    assert headings == ["Line in Revision 1", "Line in Revision 2", "Text"]


def test_the_change_summary_is_words_not_only_signs(revised, client):
    page = compare_page(client, revised, "unified")
    heading = page.find("section", class_="diff-section").find("h2")
    assert "3 lines added, 1 removed" in heading.text


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_newer_sides_line_keeps_its_number_and_visible_text_for_comments(revised, client, layout):
    page = compare_page(client, revised, layout)
    lines = {
        node.visible_text: node.attrs.get("data-line") for node in page.find_all("span", class_="diff__line")
    }
    text = revised.revisions.get(number=2).text
    line = "Add a multiattach capability that drivers report."
    assert lines[line] == str(text[: text.index(line)].count("\n") + 1)


@pytest.mark.parametrize("who", ["anonymous", "outsider", "author", "core"])
def test_everyone_who_may_read_the_spec_sees_the_word_marks(revised, client, who, request, password):
    users = {"outsider": "carol", "author": "alice", "core": "core"}
    if who in users:
        user = request.getfixturevalue(users[who])
        assert client.login(username=user.get_username(), password=password)
    page = compare_page(client, revised, "split")
    assert page.find("ins", class_="word-diff") is not None
    offers_comments = "data-can-comment" in page.find("div", id="compare-diff").attrs
    assert offers_comments == (who != "anonymous")


def test_a_rewritten_paragraph_pairs_each_line_with_its_edit_not_by_position():
    old = "=====\nT\n=====\n\nA\n===\n\nThe volume is attached.\nIt is shared.\n"
    new = (
        "=====\nT\n=====\n\nA\n===\n\n"
        "A wholly new opening sentence here.\nThe volume is now attached.\nIt is shared by two.\n"
    )
    [section] = [section for section in diff.compare(old, new) if section.changed]
    [hunk] = section.hunks
    changed = [
        (row.kind, row.old_text, row.new_text, row.new_segments is not None)
        for row in hunk.rows
        if row.kind != "context"
    ]
    assert changed == [
        ("added", None, "A wholly new opening sentence here.", False),
        ("changed", "The volume is attached.", "The volume is now attached.", True),
        ("changed", "It is shared.", "It is shared by two.", True),
    ]

"""/api/v1/specs/<spec>/revisions/diff/: an edited line comes with its changed words (in the schema)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from tests.review_world import refresh, submit, write


@pytest.fixture
def edited(in_review, alice):
    spec = write(in_review, alice, proposed_change="Add a multiattach capability that drivers report.\n")
    submit(spec, alice, "Wording")
    return refresh(spec)


def test_an_edited_line_carries_its_changed_words_on_each_side(api, edited, url):
    response = api.get(url(edited, "revisions/diff/?old=1&new=2"))

    assert response.status_code == 200
    proposed = next(
        section for section in response.json()["sections"] if section["title"] == "Proposed change"
    )
    lines = {
        line["type"]: line
        for hunk in proposed["hunks"]
        for line in hunk["lines"]
        if line["type"] != "context"
    }
    assert lines["removed"]["words"] == [
        {"op": "equal", "text": "Add a multiattach capability that "},
        {"op": "delete", "text": "back ends"},
        {"op": "equal", "text": " report."},
    ]
    assert lines["added"]["words"] == [
        {"op": "equal", "text": "Add a multiattach capability that "},
        {"op": "insert", "text": "drivers"},
        {"op": "equal", "text": " report."},
    ]
    for line in lines.values():
        assert "".join(segment["text"] for segment in line["words"]) == line["text"]


def test_context_lines_have_no_words(api, edited, url):
    response = api.get(url(edited, "revisions/diff/?old=1&new=2"))

    context = [
        line
        for section in response.json()["sections"]
        for hunk in section["hunks"]
        for line in hunk["lines"]
        if line["type"] == "context"
    ]
    assert context and all(line["words"] is None for line in context)


def test_the_schema_declares_the_words(db, tmp_path):
    schema = tmp_path / "schema.json"
    call_command("spectacular", "--file", str(schema), "--format", "openapi-json", stderr=io.StringIO())
    components = json.loads(schema.read_text())["components"]["schemas"]

    words = components["DiffLine"]["properties"]["words"]
    assert words["type"] == "array" and words["nullable"] is True
    assert words["items"] == {"$ref": "#/components/schemas/WordSegment"}
    assert set(components["WordSegment"]["properties"]) == {"op", "text"}

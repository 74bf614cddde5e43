"""The HTML: source lines on block elements, working anchors, the classes styles need, and no surprises."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from specs_app.rst.render import render, render_in_process

KNOWN_TEXT = """\
..
 This work is licensed under a Creative Commons Attribution 3.0 Unported
 License.

=============
 Known title
=============

Introduction paragraph on line 9
continues on line 10
and on line 11.

Problem description
===================

Paragraph on line 16
and line 17.

* Bullet on line 19
  continued on line 20.
* Bullet on line 21

  Second paragraph of the bullet on line 23.

#. Enumerated on line 25
#. Enumerated on line 26

Term on line 28
  Definition on line 29.

:Field: Field body on line 31.

Literal block follows on line 33::

    literal on line 35
    literal on line 36

.. note:: Note on line 38.

   Note paragraph on line 40.

.. code-block:: python
   :name: some-code

   code = "on line 45"

+----------------+----------------+
| Cell line 48   | Cell line 48b  |
+================+================+
| Cell line 50   | Cell line 50b  |
+----------------+----------------+

Subsection on line 53
---------------------

    Block quote on line 56.

.. [#] Footnote on line 58.

Reference [#]_ and `a link <https://example.com/>`_ on line 60.

.. list-table:: List table on line 62
   :header-rows: 1

   * - Header on line 65
     - Header on line 66
   * - Cell on line 67
     - Cell on line 68

=====  =====
col1   col2
=====  =====
a 73   b
=====  =====

| Line block on line 76
| second line on line 77

Last paragraph on line 79,
without a newline at the end."""

EXPECTED_LINES = {
    "Introduction paragraph on line 9": 9,
    "Problem description": 13,
    "Paragraph on line 16": 16,
    "Bullet on line 19": 19,
    "Bullet on line 21": 21,
    "Second paragraph of the bullet on line 23.": 23,
    "Enumerated on line 25": 25,
    "Enumerated on line 26": 26,
    "Term on line 28": 28,
    "Definition on line 29.": 29,
    "Field body on line 31.": 31,
    "Literal block follows on line 33": 33,
    "literal on line 35": 35,
    "Note on line 38.": 38,
    "Note paragraph on line 40.": 40,
    'code = "on line 45"': 42,  # a directive's block starts at the directive
    "Cell line 48": 48,
    "Cell line 50": 50,
    "Subsection on line 53": 53,
    "Block quote on line 56.": 56,
    "Footnote on line 58.": 58,
    "Reference": 60,
    "Header on line 65": 65,
    "Header on line 66": 66,
    "Cell on line 67": 67,
    "Cell on line 68": 68,
    "col1": 71,
    "a 73": 73,
    "Line block on line 76": 76,
    "second line on line 77": 77,
    "Last paragraph on line 79,": 79,
}


class _Blocks(HTMLParser):
    """Each element with a data-line, with the text that starts inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, int, str]] = []  # tag, line, text
        self._open: list[int] = []
        self.attributes: list[dict[str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.attributes.append(attributes)
        self.tags.append(tag)
        if "data-line" in attributes:
            self.blocks.append((tag, int(attributes["data-line"]), ""))
            self._open.append(len(self.blocks) - 1)

    def handle_data(self, data: str) -> None:
        if self._open:
            index = self._open[-1]  # the innermost element the text starts in
            tag, line, text = self.blocks[index]
            self.blocks[index] = (tag, line, text + data)
        if data.strip():
            self._open = []


def _blocks(markup: str) -> _Blocks:
    parser = _Blocks()
    parser.feed(markup)
    return parser


def _line_of(markup: str, start: str) -> set[int]:
    """The data-lines of the innermost elements whose text starts with ``start``."""
    return {line for _, line, text in _blocks(markup).blocks if text.lstrip().startswith(start)}


def test_known_text_has_correct_source_lines() -> None:
    markup = render(KNOWN_TEXT).html

    found = {start: _line_of(markup, start) for start in EXPECTED_LINES}

    assert found == {start: {line} for start, line in EXPECTED_LINES.items()}


def test_every_paragraph_carries_a_data_line() -> None:
    markup = render(KNOWN_TEXT).html

    parser = _blocks(markup)
    paragraphs = [
        attributes for tag, attributes in zip(parser.tags, parser.attributes, strict=True) if tag == "p"
    ]
    assert len(paragraphs) > 20
    assert all(attributes.get("data-line", "").isdigit() for attributes in paragraphs)


def test_sections_and_headings_start_on_the_heading_s_first_line() -> None:
    markup = render(KNOWN_TEXT).html

    assert '<section data-line="13" id="rst-problem-description">' in markup
    assert '<h2 data-line="13">Problem description</h2>' in markup
    assert '<h3 data-line="53">Subsection on line 53</h3>' in markup
    assert render("=====\nTitle\n=====\n\n---------\nOverlined\n---------\n\nText.\n").html.startswith(
        '<section data-line="5" id="rst-overlined">\n<h2 data-line="5">Overlined</h2>'
    )


@pytest.mark.parametrize(
    "text, line",
    [
        ("First.\n\nLast line", 3),
        ("First.\n\nLast line\n", 3),
        ("First.\n\nLast line\nand another", 3),
        ("First.\n\n\n\n\nLast line\n\n\n", 6),
        ("* item\n\n  Last line", 3),
        ("Term\n  Definition\n\n  Last line", 4),
        (".. note::\n\n   x\n\n   Last line", 5),
    ],
)
def test_a_paragraph_gets_the_line_it_starts_on_even_at_the_end(text: str, line: int) -> None:
    assert _line_of(render(text).html, "Last line") == {line}


def test_windows_and_unicode_line_breaks_do_not_shift_lines() -> None:
    text = (
        "First\r\nparagraph.\r\n\r\n"
        "Second\u2028still line 4\x85 and \x0c\x1c\rhere.\r\n\r\n"
        "Third on line 6.\r\n"
    )

    result = render(text)

    assert _line_of(result.html, "Second") == {4}
    assert _line_of(result.html, "Third on line 6.") == {6}


def test_lone_surrogates_do_not_break_rendering() -> None:
    result = render("Broken \ud800 surrogate.\n")

    assert result.complete
    assert "Broken \ufffd surrogate." in result.html


# --- anchors and links -------------------------------------------------------------------------


ANCHORS_TEXT = """\
=====
Title
=====

Section one
===========

See `Section two`_, the target_, footnotes [1]_ [#named]_ [#]_ [*]_, citation [CIT2002]_ and
an anonymous `link`__.

.. _target:

Target paragraph.

.. __: #section-one

Section two
===========

.. [1] Numbered.
.. [#named] Auto-numbered, named.
.. [#] Auto-numbered.
.. [*] Symbol.
.. [CIT2002] A citation.
"""


def test_internal_links_point_at_anchors_that_exist() -> None:
    markup = render(ANCHORS_TEXT).html

    parser = _blocks(markup)
    ids = {attributes["id"] for attributes in parser.attributes if "id" in attributes}
    internal = [
        attributes["href"] for attributes in parser.attributes if attributes.get("href", "").startswith("#")
    ]
    assert len(internal) >= 12  # references and their back-links
    missing = [href for href in internal if href[1:] not in ids and href != "#section-one"]
    assert missing == []
    assert all(identifier.startswith("rst-") for identifier in ids)


def test_external_links_are_kept_and_made_safe_to_follow() -> None:
    markup = render("`Docs <https://docs.openstack.org/>`_ and mail@example.com.\n").html

    assert (
        '<a class="reference external" href="https://docs.openstack.org/" rel="noopener noreferrer nofollow">'
        "Docs</a>"
    ) in markup
    assert 'href="mailto:mail@example.com"' in markup


# --- what is kept and what is not -------------------------------------------------------------


def test_it_keeps_the_classes_styles_need() -> None:
    markup = render(KNOWN_TEXT).html

    for fragment in (
        '<aside class="admonition note" data-line="38">',
        '<p class="admonition-title" data-line="38">Note</p>',
        '<pre class="literal-block" data-line="35">',
        '<pre class="language-python code literal-block" data-line="42" id="rst-some-code">',
        '<aside class="footnote-list brackets">',
        '<a class="brackets" href="#rst-footnote-1"',
        '<th class="head" data-line="65">',
        '<div class="line-block" data-line="76">',
        '<ol class="arabic simple" data-line="25">',
    ):
        assert fragment in markup, fragment


def test_it_leaves_out_the_title_and_comments_but_not_a_field_list() -> None:
    result = render("..\n  A licence comment.\n\n=====\nTitle\n=====\n\n:Author: Someone\n\nBody.\n")

    assert result.title == "Title"
    assert "Title" not in result.html and "licence" not in result.html and "<!--" not in result.html
    assert '<dl class="field-list simple" data-line="8">' in result.html
    assert "Someone" in result.html


def test_math_is_shown_as_its_latex_source() -> None:
    markup = render(":math:`a^2 + b^2`\n\n.. math::\n\n   e^{i\\pi} = -1\n").html

    assert '<tt class="math">a^2 + b^2</tt>' in markup
    assert '<pre class="math" data-line="3">e^{i\\pi} = -1' in markup


def test_rendering_is_deterministic_in_the_worker_and_in_process() -> None:
    results = [render(KNOWN_TEXT) for _ in range(3)] + [render_in_process(KNOWN_TEXT) for _ in range(2)]

    assert len({result.html for result in results}) == 1
    assert len({tuple(result.diagnostics) for result in results}) == 1


def test_an_empty_text_renders_to_nothing() -> None:
    result = render("")

    assert result.complete and result.html == "" and result.diagnostics == [] and result.title == ""


def test_the_only_attributes_are_the_allowed_ones() -> None:
    markup = render(
        KNOWN_TEXT + "\n\n.. image:: https://example.com/a.png\n   :width: 50%\n   :alt: A.\n"
    ).html

    names = {name for attributes in _blocks(markup).attributes for name in attributes}
    assert names <= {
        "class",
        "id",
        "data-line",
        "href",
        "rel",
        "role",
        "src",
        "alt",
        "style",
        "start",
        "colspan",
    }
    assert re.search(
        r'<img alt="A." data-line="\d+" src="https://example.com/a.png" style="width:50%">', markup
    )

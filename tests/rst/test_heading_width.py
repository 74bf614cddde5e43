"""Headings are adorned to a title's display width, as docutils measures it: wide characters take two."""

from __future__ import annotations

import docutils.core
import pytest

from specs_app.rst.document import TITLE_STYLE, HeadingStyle, display_width, find_headings


@pytest.mark.parametrize(
    ("title", "width"),
    [
        ("Volume multi-attach", 19),
        ("卷多重挂载", 10),  # East Asian Wide
        ("\uff21\uff30\uff29", 6),  # Fullwidth
        ("Cafe\u0301", 4),  # a combining acute accent takes no column
        ("Ünïcödé", 7),
    ],
)
def test_display_width_counts_columns(title, width):
    assert display_width(title) == width


@pytest.mark.parametrize("title", ["卷多重挂载", "ボリュームの複数接続", "Cafe\u0301 \uff21\uff30\uff29"])
@pytest.mark.parametrize("style", [TITLE_STYLE, HeadingStyle("=")])
def test_an_adorned_wide_title_is_a_heading_docutils_accepts(title, style):
    heading = style.adorn(title)
    rule = heading.splitlines()[-1]
    assert len(rule) == display_width(title)
    text = heading + "\nText.\n"
    doctree = docutils.core.publish_doctree(
        text, settings_overrides={"report_level": 1, "warning_stream": False}
    )
    messages = [node.astext() for node in doctree.findall(lambda node: node.tagname == "system_message")]
    assert not any("too short" in message for message in messages), messages
    assert [found.title for found in find_headings(text)] == [title]

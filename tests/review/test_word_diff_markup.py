"""The word-diff include marks deletions and insertions so that eyes and screen readers both see them."""

from __future__ import annotations

from django.template import Context, Template
from django.template.loader import render_to_string

from specs_app.rst.worddiff import word_diff


def test_it_renders_deletions_as_del_and_insertions_as_ins_with_spoken_labels():
    html = render_to_string(
        "specs_app/review/word_diff.html", {"segments": word_diff("a red fox", "a blue fox")}
    )
    assert html == (
        'a <del class="word-diff word-diff--delete"><span class="visually-hidden">removed: </span>red'
        '<span class="visually-hidden"> (end removed)</span></del>'
        '<ins class="word-diff word-diff--insert"><span class="visually-hidden">added: </span>blue'
        '<span class="visually-hidden"> (end added)</span></ins> fox'
    )


def test_equal_text_is_plain_and_escaped():
    html = render_to_string("specs_app/review/word_diff.html", {"segments": word_diff("<b> & x", "<b> & x")})
    assert html == "&lt;b&gt; &amp; x"


def test_the_tag_renders_a_suggested_edit_inline():
    html = Template("{% load review_tags %}{% word_diff quote suggestion %}").render(
        Context({"quote": "use <code>", "suggestion": "use <pre>"})
    )
    assert html.startswith('use &lt;<del class="word-diff word-diff--delete">')
    assert ">code<" in html and ">pre<" in html
    assert "<code>" not in html

"""How a re-proposal lays the earlier spec's sections along the new release's template."""

from __future__ import annotations

import pytest

from specs_app.authoring import services
from specs_app.authoring.reproposal import history_with_row, repropose_spec
from specs_app.rst import document as rst_document
from specs_app.transfer.importing import import_spec

OLD_TEMPLATE = """\
=========
The title
=========

Problem
=======

What is wrong.

Proposed change
===============

What to do.

Alternatives
------------

Other ways.

Impact
------

Who notices.

References
==========

Links.
"""

# The next release's: "Proposed Change" spelt otherwise, "Upgrade impact" and "History" added.
NEW_TEMPLATE = """\
=========
The title
=========

Problem
=======

What is wrong.

Proposed Change
===============

What to do.

Alternatives
------------

Other ways.

Impact
------

Who notices.

Upgrade impact
--------------

How upgrades go.

References
==========

Links.

History
=======

.. list-table:: Revisions
   :header-rows: 1

   * - Release Name
     - Description
   * - 2026.2
     - Introduced
"""

SPEC = """\
..
 Licensed CC-BY 3.0.

=====
Thing
=====

https://blueprints.launchpad.net/cinder/+spec/thing

Problem
=======

It breaks.

Proposed change
===============

Fix it.

Alternatives
------------

None.

Impact
------

Some.

Rollout plan
============

Slowly.

References
==========

None.
"""


@pytest.fixture
def releases(project):
    services.load_template(project=project, source=OLD_TEMPLATE, release="2026.1")
    services.load_template(project=project, source=NEW_TEMPLATE, release="2026.2")
    return project


def _import(project, actor, text: str):
    return import_spec(actor=actor, project=project, source=text, release="2026.1", filename="thing.rst").spec


def _outline(text: str) -> list[tuple[int, str]]:
    return [(section.level, section.title) for section in rst_document.split(text).sections]


def test_it_follows_the_new_template_and_keeps_an_extra_section_after_the_new_subsection(releases, alice):
    new = repropose_spec(actor=alice, spec=_import(releases, alice, SPEC), release="2026.2")

    assert _outline(new.text()) == [
        (1, "Problem"),
        (1, "Proposed Change"),
        (2, "Alternatives"),
        (2, "Impact"),
        # New, and before "Rollout plan": after it, it would become that extra section's subsection.
        (2, "Upgrade impact"),
        (1, "Rollout plan"),
        (1, "References"),
        (1, "History"),
    ]
    extras = [section.title for section in new.sections.all() if section.template_section is None]
    assert extras == ["Rollout plan"]


def test_it_writes_a_text_with_each_body_spaced_for_its_new_place(releases, alice):
    new = repropose_spec(actor=alice, spec=_import(releases, alice, SPEC), release="2026.2")

    expected = SPEC.replace("Proposed change\n===============", "Proposed Change\n===============")
    expected = expected.replace("Some.\n\n", "Some.\n\nUpgrade impact\n--------------\n\n")
    # References is no longer last: a blank line before the next heading. History is empty.
    expected = expected.removesuffix("None.\n") + "None.\n\nHistory\n=======\n"
    assert new.text() == expected


def test_new_sections_take_the_earlier_specs_adornment_for_their_level(releases, alice):
    tilde = SPEC.replace("------------\n", "~~~~~~~~~~~~\n").replace("Impact\n------\n", "Impact\n~~~~~~\n")
    new = repropose_spec(actor=alice, spec=_import(releases, alice, tilde), release="2026.2")

    assert "Upgrade impact\n~~~~~~~~~~~~~~\n" in new.text()
    assert (2, "Upgrade impact") in _outline(new.text())


def test_the_new_template_sections_are_empty_and_linked_for_their_guidance(releases, alice):
    new = repropose_spec(actor=alice, spec=_import(releases, alice, SPEC), release="2026.2")

    for title, guidance in (("Upgrade impact", "How upgrades go."), ("History", ".. list-table:: Revisions")):
        section = new.sections.get(title=title)
        assert section.text == ""
        assert guidance in section.template_section.guidance


class TestHistoryRow:
    TABLE = "\n.. list-table:: Revisions\n   :header-rows: 1\n\n   * - Release Name\n     - Description\n"

    def test_it_adds_a_row_to_a_table_ending_in_a_simple_row(self):
        body = self.TABLE + "   * - Zed\n     - Introduced\n\n"

        assert history_with_row(body, "2023.1") == (
            self.TABLE + "   * - Zed\n     - Introduced\n   * - 2023.1\n     - Reproposed\n\n"
        )

    def test_it_names_a_named_release_as_nova_does(self):
        assert "   * - Ussuri\n     - Reproposed" in history_with_row(self.TABLE, "ussuri")

    def test_a_release_already_listed_is_not_added_again(self):
        body = self.TABLE + "   * - Ussuri\n     - Introduced\n"

        assert history_with_row(body, "ussuri") == body

    @pytest.mark.parametrize(
        "body",
        [
            "",
            "\nIntroduced in Zed; re-proposed since.\n",
            "\n.. list-table::\n\n   * - Zed\n     - Introduced, then\n       simplified\n",
            "\n=======  ==========\nRelease  What\n=======  ==========\n"
            "Zed      Introduced\n=======  ==========\n",
        ],
    )
    def test_any_other_shape_is_left_to_the_author(self, body):
        assert history_with_row(body, "2023.1") is None

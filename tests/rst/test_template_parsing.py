"""parse_template on the corpus's real templates: the section tree and its guidance."""

from __future__ import annotations

import pytest

from specs_app.rst.document import HeadingStyle
from specs_app.rst.template import TemplateError, parse_template, release_from_filename
from tests.helpers import corpus_path

TOP_LEVEL = [
    "Problem description",
    "Use Cases",
    "Proposed change",
    "Implementation",
    "Dependencies",
    "Testing",
    "Documentation Impact",
    "References",
]


@pytest.fixture
def cinder():
    return parse_template(corpus_path("cinder-specs", "specs", "template.rst").read_text(encoding="utf-8"))


@pytest.fixture
def manila():
    return parse_template(corpus_path("manila-specs", "specs", "template.rst").read_text(encoding="utf-8"))


def _children(parsed, title):
    return [child.title for child in next(s for s in parsed.sections if s.title == title).children]


def test_cinder_has_eight_top_level_sections(cinder):
    assert cinder.top_level_titles() == TOP_LEVEL


def test_cinder_has_ten_subsections_under_proposed_change(cinder):
    assert _children(cinder, "Proposed change") == [
        "Alternatives",
        "Data model impact",
        "REST API impact",
        "Security impact",
        "Active/Active HA impact",
        "Notifications impact",
        "Other end user impact",
        "Performance Impact",
        "Other deployer impact",
        "Developer impact",
    ]


def test_cinder_has_two_subsections_under_implementation(cinder):
    assert _children(cinder, "Implementation") == ["Assignee(s)", "Work Items"]


def test_cinder_has_twenty_sections_in_document_order(cinder):
    nodes = list(cinder.walk())

    assert len(nodes) == 20
    assert [node.order for node in nodes] == list(range(20))
    assert {node.level for node in nodes} == {1, 2}
    assert all(node.style == HeadingStyle("=") for node in nodes if node.level == 1)
    assert all(node.style == HeadingStyle("-") for node in nodes if node.level == 2)


def test_manila_adds_driver_impact_and_diagram_tool_references(manila, cinder):
    assert manila.top_level_titles() == TOP_LEVEL
    assert "Driver impact" in _children(manila, "Proposed change")
    assert "Driver impact" not in _children(cinder, "Proposed change")
    assert _children(manila, "References") == ["Diagram Tool References"]
    assert _children(cinder, "References") == []
    assert _children(manila, "Implementation") == ["Assignee(s)", "Work Items"]


def test_it_keeps_each_sections_guidance(cinder, manila):
    guidance = {node.title: node.guidance for node in cinder.walk()}

    assert guidance["Problem description"].startswith("A detailed description of the problem.")
    assert guidance["Implementation"] == ""
    assert not guidance["Use Cases"].startswith("\n") and not guidance["Use Cases"].endswith("\n")
    driver = next(node for node in manila.walk() if node.title == "Driver impact")
    assert "ShareDriver" in driver.guidance
    diagrams = next(node for node in manila.walk() if node.title == "Diagram Tool References")
    assert "http://asciiflow.com" in diagrams.guidance


def test_it_reads_the_example_title_and_introduction_notes(cinder, manila):
    assert cinder.example_title == "Example Spec - The title of your blueprint"
    assert cinder.intro_guidance.startswith("Include the URL of your launchpad blueprint:")
    assert "Some notes about using this template" in cinder.intro_guidance
    assert "https://blueprints.launchpad.net/manila/+spec/example" in manila.intro_guidance


def test_it_refuses_a_text_without_sections():
    with pytest.raises(TemplateError, match="no sections"):
        parse_template("=====\nTitle\n=====\n\nJust an introduction.\n")


@pytest.mark.parametrize(
    "path, release",
    [
        ("specs/rocky-template.rst", "rocky"),
        ("2026.1-template.rst", "2026.1"),
        ("specs/template.rst", None),
        ("specs/rocky/some-spec.rst", None),
    ],
)
def test_it_reads_the_release_from_a_template_file_name(path, release):
    assert release_from_filename(path) == release

"""Re-proposing a real nova spec from train to ussuri, whose template adds "Feature Liaison".

provider-config-file was proposed for train and re-proposed for ussuri in nova-specs; the
train file has sections of its own (use cases, the schema, an example, nested under the
template's). Its re-proposal must have exactly the sections of the real ussuri file: train's
bodies, the new section empty in its place, the extra sections where they were.
"""

from __future__ import annotations

import pytest

from specs_app.authoring import services
from specs_app.authoring.reproposal import repropose_spec
from specs_app.preview.preview import spec_gate
from specs_app.rst import document as rst_document
from specs_app.transfer.importing import import_spec
from tests.helpers import corpus_path

NOVA = ("nova-specs", "specs")
NAME = "provider-config-file"


def _nova_file(*parts: str) -> str:
    return corpus_path(*NOVA, *parts).read_text(encoding="utf-8")


def _outline(text: str) -> list[tuple[int, str]]:
    return [(section.level, section.title) for section in rst_document.split(text).sections]


@pytest.fixture
def nova(db):
    project = services.create_project(
        name="Nova", slug="nova", gate_preset="nova", template_source=_nova_file("train-template.rst")
    )
    for release in ("train", "ussuri"):
        services.load_template(project=project, source=_nova_file(f"{release}-template.rst"), release=release)
    return project


@pytest.fixture
def train_spec(nova, alice):
    report = import_spec(
        actor=alice,
        project=nova,
        source=_nova_file("train", "approved", f"{NAME}.rst").encode("utf-8"),
        release="train",
        filename=f"{NAME}.rst",
    )
    return report.spec


@pytest.fixture
def ussuri_spec(train_spec, alice):
    return repropose_spec(actor=alice, spec=train_spec, release="ussuri")


def test_it_has_the_sections_of_the_real_ussuri_re_proposal(ussuri_spec):
    assert _outline(ussuri_spec.text()) == _outline(_nova_file("ussuri", "approved", f"{NAME}.rst"))


def test_the_section_the_new_template_adds_is_empty_and_linked_to_its_guidance(ussuri_spec):
    liaison = ussuri_spec.sections.get(title="Feature Liaison")

    assert liaison.text == ""
    assert liaison.template_section.template == ussuri_spec.template
    assert ussuri_spec.template.release == "ussuri"
    assert "Feature work must be sponsored" in liaison.template_section.guidance
    assert "Feature Liaison\n---------------\n\nWork Items\n----------\n" in ussuri_spec.text()


def test_every_train_body_is_carried(train_spec, ussuri_spec):
    carried = {section.title: section.text for section in ussuri_spec.sections.all()}
    for section in train_spec.sections.all():
        if section.title != "History":
            assert carried[section.title] == section.text, section.title
    assert ussuri_spec.intro == train_spec.intro
    assert ussuri_spec.prologue == train_spec.prologue


def test_the_extra_sections_stay_after_the_section_they_followed(ussuri_spec):
    sections = list(ussuri_spec.sections.order_by("position"))
    titles = [section.title for section in sections]
    extras = [section.title for section in sections if section.template_section is None]

    assert extras == [
        "Inventory Customization",
        "Trait Customization",
        "Provider Config File Schema",
        "Example",
        "Provider config consumption from Nova",
    ]
    assert titles[titles.index("Use Cases") + 1 : titles.index("Use Cases") + 3] == extras[:2]
    assert titles[titles.index("Proposed change") + 1 : titles.index("Alternatives")] == extras[2:]


def test_the_history_table_gets_a_row_for_the_new_release(ussuri_spec):
    history = ussuri_spec.sections.get(title="History").text

    assert history.endswith("   * - Train\n     - Reintroduced, simplified\n   * - Ussuri\n     - Reproposed")


def test_the_copy_passes_nova_s_own_checks_for_ussuri(ussuri_spec):
    findings = spec_gate(ussuri_spec)

    assert findings["passed"], findings

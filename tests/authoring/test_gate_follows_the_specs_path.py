"""With a preset, a spec's gate is what its repository checks at the spec's own path."""

from __future__ import annotations

from specs_app.models import Project, Spec, SpecTemplate
from specs_app.preview.gate import NO_CHECKS, gate_rules
from specs_app.preview.preview import preview_for_spec, spec_gate

TRAILING = "A line nova refuses. \n"


def nova_spec(spec, path: str):
    """``spec`` in a nova-preset project at ``path``, with a trailing space nova's test fails."""
    Project.objects.filter(pk=spec.project_id).update(gate_preset="nova")
    Spec.objects.filter(pk=spec.pk).update(path=path)
    # As imported: the editor would strip the trailing space, an import keeps it.
    spec.sections.filter(title="Problem description").update(body=f"\n{TRAILING}\n")
    return Spec.objects.select_related("project", "template").get(pk=spec.pk)


def rules_of(findings: dict) -> set[str]:
    return {finding["rule"] for finding in findings["findings"] if finding["severity"] == "error"}


def test_a_spec_where_the_repository_checks_is_checked(spec):
    checked = nova_spec(spec, "specs/2026.1/approved/multi-attach.rst")

    verdict = spec_gate(checked)

    assert not verdict["passed"]
    assert "whitespace.trailing" in rules_of(verdict)


def test_a_spec_where_the_repository_checks_nothing_passes_with_no_checks(spec):
    # nova's tests skip specs/abandoned/ altogether.
    abandoned = nova_spec(spec, "specs/abandoned/2026.1/multi-attach.rst")

    assert (
        gate_rules(abandoned.project, abandoned.template, release="2026.1", path=abandoned.path) == NO_CHECKS
    )
    verdict = spec_gate(abandoned)
    assert verdict["passed"], verdict["findings"]


def test_no_checks_means_none_at_all(spec):
    abandoned = nova_spec(spec, "specs/abandoned/2026.1/multi-attach.rst")
    text = "Title\n=====\n\n\tTab, carriage return\r\n" + "long " * 30 + " \n:bad-role:`x`"

    verdict = preview_for_spec(text=text, spec=abandoned)["gate"]

    assert verdict["passed"], verdict["findings"]


def test_the_editors_preview_checks_an_edit_at_the_specs_own_path(spec):
    checked = nova_spec(spec, "specs/2026.1/approved/multi-attach.rst")
    abandoned = nova_spec(spec, "specs/abandoned/2026.1/multi-attach.rst")
    text = checked.text()

    assert not preview_for_spec(text=text, spec=checked)["gate"]["passed"]
    assert preview_for_spec(text=text, spec=abandoned)["gate"]["passed"]


def test_a_template_without_sections_gives_a_verdict_not_an_error(spec):
    # A stand-in (a symbolic link checked out as a file holding its target) or a spec lite.
    stand_in = SpecTemplate.objects.create(
        project=spec.project, release="2027.1", path="specs/2027.1-template.rst", source="../template.rst"
    )
    checked = nova_spec(spec, "specs/2027.1/approved/multi-attach.rst")
    Spec.objects.filter(pk=spec.pk).update(template=stand_in, release="2027.1")
    checked.refresh_from_db()

    verdict = spec_gate(checked)

    # As nova's own test: the stand-in has no titles, so every section of the spec is an extra one.
    assert not verdict["passed"]
    assert "title.extra" in rules_of(verdict)


def test_without_a_preset_the_path_changes_nothing(spec):
    project, template = spec.project, spec.template

    assert gate_rules(project, template, release="2026.1", path="specs/abandoned/x/y.rst") == gate_rules(
        project, template, release="2026.1"
    )

"""The spec page shows the gate's verdict on the spec as it stands."""

from specs_app.authoring import services


def test_it_shows_a_failing_gate_on_a_new_spec(client, spec):
    # A new spec has the template's titles and nothing under them: it must not pass.
    response = client.get(spec.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gate fails" in page
    assert "Every section is empty" in page


def test_it_passes_once_a_section_has_text(client, spec, alice):
    problem = spec.sections.get(title="Problem description")
    services.update_section(
        actor=alice, section=problem, base_version=problem.version, text="Volumes attach once.\n"
    )
    assert "Gate passes" in client.get(spec.get_absolute_url()).content.decode()


def test_it_shows_findings_with_their_lines(client, spec, alice):
    problem = spec.sections.get(title="Problem description")
    services.update_section(actor=alice, section=problem, base_version=problem.version, text="x" * 90)
    page = client.get(spec.get_absolute_url()).content.decode()
    assert "Gate fails" in page
    assert "is 90 characters long; the limit is 79." in page

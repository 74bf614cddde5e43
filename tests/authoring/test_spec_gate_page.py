"""The spec page shows the gate's verdict on the spec as it stands."""

from specs_app.authoring import services


def test_it_shows_a_failing_gate_on_a_new_spec(client, spec):
    # A new spec passes the titles; the unfinished sections are the author's to fill, not the gate's.
    response = client.get(spec.get_absolute_url())
    assert response.status_code == 200
    assert "Gate passes" in response.content.decode()


def test_it_shows_findings_with_their_lines(client, spec, alice):
    problem = spec.sections.get(title="Problem description")
    services.update_section(actor=alice, section=problem, base_version=problem.version, text="x" * 90)
    page = client.get(spec.get_absolute_url()).content.decode()
    assert "Gate fails" in page
    assert "is 90 characters long; the limit is 79." in page

"""create_spec/update_spec/update_section: writes, versions, conflicts, permissions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from specs_app.authoring import services
from specs_app.models import Spec


def section(spec, title):
    return spec.sections.get(title=title)


def edit(spec, actor, *, base_version=None, **texts):
    by_title = {s.title: s for s in spec.sections.all()}
    return services.update_spec(
        actor=actor,
        spec=spec,
        base_version=spec.version if base_version is None else base_version,
        title=texts.pop("title", spec.title),
        release=texts.pop("release", spec.release),
        intro=texts.pop("intro", spec.intro),
        sections={
            by_title[title.replace("_", " ")].pk: services.SectionEdit(
                text, by_title[title.replace("_", " ")].version
            )
            for title, text in texts.items()
        },
    )


class TestCreateSpec:
    def test_it_follows_the_template_order_and_adornments(self, spec):
        titles = list(spec.sections.values_list("title", flat=True))
        template_titles = list(spec.template.sections.order_by("order").values_list("title", flat=True))
        assert titles == template_titles
        text = spec.text()
        assert "Problem description\n===================\n" in text
        assert "Alternatives\n------------\n" in text
        assert text.startswith("..\n This work is licensed")
        assert "=" * len(spec.title) + "\nVolume multi-attach\n" in text

    def test_it_takes_the_slug_from_the_blueprint_url(self, spec):
        assert spec.slug == "multi-attach"
        assert spec.path == "specs/2026.1/multi-attach.rst"

    def test_it_writes_git_ready_text(self, spec):
        text = spec.text()
        assert text.endswith("\n") and not text.endswith("\n\n")
        assert all(line == line.rstrip() for line in text.split("\n"))
        assert "\r" not in text

    def test_it_rejects_a_malformed_blueprint_url(self, project, alice):
        with pytest.raises(ValidationError) as error:
            services.create_spec(
                actor=alice, project=project, title="T", release="x", blueprint_url="https://example.com/x"
            )
        assert "blueprint_url" in error.value.message_dict

    def test_it_rejects_a_duplicate_slug(self, spec, alice):
        with pytest.raises(ValidationError) as error:
            services.create_spec(
                actor=alice,
                project=spec.project,
                title="Again",
                release="x",
                blueprint_url=spec.blueprint_url,
            )
        assert "already has a spec" in " ".join(error.value.message_dict["blueprint_url"])

    def test_it_rejects_a_missing_title(self, project, alice):
        with pytest.raises(ValidationError) as error:
            services.create_spec(
                actor=alice,
                project=project,
                title="  ",
                release="x",
                blueprint_url="https://blueprints.launchpad.net/cinder/+spec/untitled",
            )
        assert "title" in error.value.message_dict
        assert not Spec.objects.filter(slug="untitled").exists()

    def test_it_requires_a_signed_in_author(self, project):
        from django.contrib.auth.models import AnonymousUser

        with pytest.raises(PermissionDenied):
            services.create_spec(
                actor=AnonymousUser(),
                project=project,
                title="T",
                release="x",
                blueprint_url="https://blueprints.launchpad.net/cinder/+spec/anon",
            )


class TestUpdateSpec:
    def test_it_saves_section_text_and_bumps_versions(self, spec, alice):
        problem = section(spec, "Problem description")
        spec = edit(spec, alice, Problem_description="Volumes attach once.")
        assert spec.version == 2
        problem.refresh_from_db()
        assert problem.version == 2
        assert "Problem description\n===================\n\nVolumes attach once.\n\nUse Cases" in spec.text()

    def test_it_changes_nothing_when_nothing_changed(self, spec, alice):
        spec = edit(spec, alice, Problem_description="")
        assert spec.version == 1

    def test_it_rejects_stale_edit_and_keeps_both_texts(self, spec, alice, bob):
        spec.co_authors.add(bob)
        base = spec.version
        edit(spec, bob, Problem_description="Bob's text.")
        spec.refresh_from_db()
        with pytest.raises(services.EditConflict) as error:
            stale_section = section(spec, "Problem description")
            services.update_spec(
                actor=alice,
                spec=spec,
                base_version=base,
                title=spec.title,
                release=spec.release,
                intro=spec.intro,
                sections={stale_section.pk: services.SectionEdit("Alice's text.", 1)},
            )
        [conflict] = error.value.conflicts
        assert conflict.yours == "Alice's text."
        assert conflict.current == "Bob's text."
        assert error.value.current_version == spec.version
        assert section(spec, "Problem description").text == "Bob's text."

    def test_it_merges_edits_of_different_sections(self, spec, alice, bob):
        spec.co_authors.add(bob)
        base = spec.version
        edit(spec, bob, Problem_description="Bob's problem.")
        spec.refresh_from_db()
        use_cases = section(spec, "Use Cases")
        services.update_spec(
            actor=alice,
            spec=spec,
            base_version=base,
            title=spec.title,
            release=spec.release,
            intro=spec.intro,
            sections={use_cases.pk: services.SectionEdit("Alice's use case.", use_cases.version)},
        )
        text = Spec.objects.get(pk=spec.pk).text()
        assert "Bob's problem." in text and "Alice's use case." in text

    def test_it_forbids_other_users(self, spec, bob):
        with pytest.raises(PermissionDenied):
            edit(spec, bob, Problem_description="Not mine.")
        assert section(spec, "Problem description").text == ""

    def test_it_allows_co_authors_and_staff(self, spec, bob, staff):
        spec.co_authors.add(bob)
        spec = edit(spec, bob, Problem_description="Co-author.")
        spec = edit(spec, staff, Use_Cases="Staff.")
        assert spec.version == 3

    def test_it_retitles_with_the_same_adornment(self, spec, alice):
        spec = edit(spec, alice, title="A much longer title than before")
        assert "=" * 31 + "\nA much longer title than before\n" + "=" * 31 + "\n" in spec.text()

    def test_it_refuses_an_oversized_section(self, spec, alice):
        with pytest.raises(ValidationError, match="limit"):
            edit(spec, alice, Problem_description="x" * 300_000)


class TestUpdateSection:
    def test_it_saves_one_section(self, spec, alice):
        problem = section(spec, "Problem description")
        services.update_section(actor=alice, section=problem, base_version=1, text="One.")
        problem.refresh_from_db()
        spec.refresh_from_db()
        assert (problem.text, problem.version, spec.version) == ("One.", 2, 2)

    def test_it_rejects_a_stale_section_write(self, spec, alice):
        problem = section(spec, "Problem description")
        services.update_section(actor=alice, section=problem, base_version=1, text="First.")
        with pytest.raises(services.EditConflict) as error:
            services.update_section(actor=alice, section=problem, base_version=1, text="Second.")
        assert error.value.conflicts[0].current == "First."

    def test_it_forbids_other_users(self, spec, bob):
        with pytest.raises(PermissionDenied):
            services.update_section(
                actor=bob, section=section(spec, "Problem description"), base_version=1, text="x"
            )


def test_it_refuses_a_spec_name_that_is_a_page(project, alice):
    with pytest.raises(ValidationError) as error:
        services.create_spec(
            actor=alice,
            project=project,
            title="New",
            release="x",
            blueprint_url="https://blueprints.launchpad.net/cinder/+spec/new",
        )
    assert "names a page" in str(error.value)

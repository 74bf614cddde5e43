"""Import then export gives every corpus repository back: ``git status --porcelain specs/`` is empty.

For each repository of ``../shared/corpus`` (cinder, manila, nova, glance;
each skipped with the reason when absent): a copy committed with real git,
imported with ``import_repository``, its ``specs/`` deleted and the project
exported into the copy. git then sees no file changed, missing or added
(links included), and the export wrote as many files as the repository had.
See ``repository_copies.round_trip``.

Executable bits come back for every file kept beside the specs; a spec has
none to keep yet, so glance's one executable spec
(``specs/kilo/store-capabilities.rst``, mode 100755) comes back 100644: a
strict expected failure until ``Spec`` keeps the bit.
"""

from __future__ import annotations

import pytest

from tests.transfer.repository_copies import files_under, git, repository_params, round_trip


# Module-scoped, so that pytest runs one repository's tests one after another.
@pytest.fixture(scope="module", params=repository_params())
def repository(request) -> str:
    return request.param


@pytest.fixture
def trip(repository, tmp_path_factory, db):
    return round_trip(repository, tmp_path_factory)


def test_git_sees_no_change_in_specs(trip):
    # Contents, links, missing and added files; the executable bit is the next test's.
    status = git(
        trip.exported, "-c", "core.fileMode=false", "status", "--porcelain", "--untracked-files=all", "specs/"
    )

    assert status == "", f"{trip.name}-specs after import and export:\n{status}"
    everywhere = git(
        trip.exported, "-c", "core.fileMode=false", "status", "--porcelain", "--untracked-files=all"
    )
    assert everywhere == "", f"outside specs/ too:\n{everywhere}"


def test_git_sees_no_change_in_specs_modes_included(trip):
    # glance-specs has one executable spec (specs/kilo/store-capabilities.rst): Spec.executable keeps it.
    status = git(trip.exported, "status", "--porcelain", "--untracked-files=all", "specs/")

    assert status == "", f"{trip.name}-specs after import and export:\n{status}"


def test_the_export_writes_every_file_the_repository_has_and_no_other(trip):
    assert trip.original_files, f"{trip.name}-specs has no files under specs/"
    assert files_under(trip.exported) == list(trip.original_files)
    assert trip.export_report.total == len(trip.original_files)
    # specs/ was deleted before the export: every file had to be written.
    assert trip.export_report.count(outcome="new") == trip.export_report.total
    print(
        f"{trip.name}-specs: {len(trip.original_files)} files under specs/; import "
        f"{trip.import_seconds:.1f} s, export {trip.export_seconds:.1f} s"
    )

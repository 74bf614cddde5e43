"""Committing a spec file and pushing it with real git: to a branch, to Gerrit's refs/for, refused."""

from __future__ import annotations

import re

import pytest

from specs_app.gitrepo.git import Author, GitError, Repository

from .conftest import git

OWNER = Author("Alice Author", "alice@example.org")
PORTAL = Author("SpecPortal", "specportal@example.org")
MESSAGE = "Add the thing\n\nImplements: blueprint thing\nChange-Id: I" + "a" * 40 + "\n"


def _commit(repository: Repository, parent: str, text: str = "Thing\n") -> str:
    return repository.commit_file(
        parent=parent,
        path="specs/2026.1/approved/thing.rst",
        content=text.encode(),
        author=OWNER,
        committer=PORTAL,
        message=MESSAGE,
    )


class TestFetch:
    def test_it_fetches_the_branch_and_lists_its_spec_files(self, tmp_path, upstream):
        head = upstream.commit({"specs/2026.1/approved/a.rst": "A\n"})
        repository = Repository(tmp_path / "work")
        assert repository.fetch(upstream.url, "master") == head
        files = repository.files(head)
        assert sorted(files) == ["specs/2026.1/approved/a.rst", "specs/template.rst"]
        assert repository.blob(files["specs/2026.1/approved/a.rst"]) == b"A\n"

    def test_an_unknown_branch_is_reported_in_gits_words(self, tmp_path, upstream):
        with pytest.raises(GitError, match="couldn't find remote ref refs/heads/main"):
            Repository(tmp_path / "work").fetch(upstream.url, "main")


class TestPush:
    def test_a_commit_is_authored_by_the_owner_with_the_message_given(self, tmp_path, upstream):
        repository = Repository(tmp_path / "work")
        head = repository.fetch(upstream.url, "master")
        commit = _commit(repository, head)
        repository.push(upstream.url, commit, "refs/heads/master")
        assert upstream.message("master") == MESSAGE + "\n"
        assert git(upstream.bare, "log", "-1", "--format=%an <%ae>|%cn", "master").strip() == (
            "Alice Author <alice@example.org>|SpecPortal"
        )
        assert upstream.show("master", "specs/2026.1/approved/thing.rst") == "Thing\n"
        # The rest of the tree is the parent's.
        assert upstream.show("master", "README.rst") == "Specs\n"

    def test_it_pushes_for_review_to_gerrits_refs_for(self, tmp_path, upstream):
        repository = Repository(tmp_path / "work")
        head = repository.fetch(upstream.url, "master")
        commit = _commit(repository, head)
        result = repository.push(upstream.url, commit, "refs/for/master")
        assert git(upstream.bare, "rev-parse", "refs/for/master").strip() == commit == result.commit
        # The branch itself does not move: Gerrit merges after review.
        assert git(upstream.bare, "rev-parse", "master").strip() == head

    def test_a_non_fast_forward_push_is_refused_with_gits_message(self, tmp_path, upstream):
        repository = Repository(tmp_path / "work")
        head = repository.fetch(upstream.url, "master")
        moved = upstream.commit({"specs/2026.1/approved/other.rst": "Other\n"})
        with pytest.raises(GitError) as error:
            repository.push(upstream.url, _commit(repository, head), "refs/heads/master")
        assert "non-fast-forward" in str(error.value) or "rejected" in str(error.value)
        assert git(upstream.bare, "rev-parse", "master").strip() == moved

    def test_a_hook_refusal_is_reported_with_the_hooks_words(self, tmp_path, upstream):
        hook = upstream.bare / "hooks" / "pre-receive"
        hook.write_text("#!/bin/sh\necho 'Spec freeze: no new specs until 2026.2 opens.' >&2\nexit 1\n")
        hook.chmod(0o755)
        repository = Repository(tmp_path / "work")
        commit = _commit(repository, repository.fetch(upstream.url, "master"))
        with pytest.raises(GitError, match=re.escape("Spec freeze: no new specs until 2026.2 opens.")):
            repository.push(upstream.url, commit, "refs/heads/master")

    def test_committing_the_text_already_there_is_refused(self, tmp_path, upstream):
        head = upstream.commit({"specs/2026.1/approved/thing.rst": "Thing\n"})
        repository = Repository(tmp_path / "work")
        repository.fetch(upstream.url, "master")
        with pytest.raises(GitError, match="already has exactly this text"):
            _commit(repository, head)

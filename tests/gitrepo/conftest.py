"""Real git repositories for the git tests: a bare "remote" and a clone where "upstream" people commit."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from specs_app.gitrepo import services
from specs_app.models import Spec, SpecStatus
from specs_app.review import services as review
from specs_app.rst import document as rst_document
from tests.review_world import write

IDENTITY = ["-c", "user.name=Upstream Person", "-c", "user.email=upstream@example.org"]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *IDENTITY, *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


class Upstream:
    """A bare repository (the remote) and a clone of it where others push their changes."""

    def __init__(self, root: Path) -> None:
        self.bare = root / "remote.git"
        self.clone = root / "upstream-clone"
        git(root, "init", "--quiet", "--bare", "--initial-branch=master", str(self.bare))
        git(root, "clone", "--quiet", str(self.bare), str(self.clone))
        git(self.clone, "checkout", "--quiet", "-b", "master")

    @property
    def url(self) -> str:
        return str(self.bare)

    def commit(self, files: dict[str, str], message: str = "Upstream change") -> str:
        for path, text in files.items():
            target = self.clone / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            git(self.clone, "add", path)
        git(self.clone, "commit", "--quiet", "-m", message)
        git(self.clone, "push", "--quiet", "origin", "master")
        return git(self.clone, "rev-parse", "HEAD").strip()

    def message(self, ref: str) -> str:
        return git(self.bare, "log", "-1", "--format=%B", ref)

    def show(self, ref: str, path: str) -> str:
        return git(self.bare, "show", f"{ref}:{path}")


@pytest.fixture
def upstream(tmp_path) -> Upstream:
    remote = Upstream(tmp_path)
    template = settings.DEFAULT_TEMPLATE_PATH.read_text(encoding="utf-8")
    remote.commit({"specs/template.rst": template, "README.rst": "Specs\n"}, "Initial commit")
    return remote


@pytest.fixture(autouse=True)
def working_copies(settings, tmp_path):
    """Each test's working copies in its own folder."""
    settings.SPECPORTAL_GIT_DIR = tmp_path / "working-copies"
    return settings.SPECPORTAL_GIT_DIR


@pytest.fixture
def connected(project, upstream, staff):
    """The cinder project connected to the upstream repository, pushing for review (Gerrit's way)."""
    services.connect_repository(actor=staff, project=project, url=upstream.url, branch="master")
    return project


PATH = "specs/2026.1/thin-provisioning.rst"


def spec_text(title: str, problem: str = "Thin volumes hide how much space is promised.") -> str:
    """A spec as upstream people write it: the licence, the title, the template's sections."""
    template = rst_document.split(settings.DEFAULT_TEMPLATE_PATH.read_text(encoding="utf-8"))
    heading = rst_document.TITLE_STYLE.adorn(title)
    body = "\n".join(
        f"{section.heading}\n{problem if section.title == 'Problem description' else 'None'}\n"
        for section in template.sections
    )
    return f"{template.prologue}{heading}\n\n{body}"


def edit_problem(spec: Spec, actor, text: str) -> Spec:
    """Edit a spec that came from upstream: merged text is locked, so start a new change first."""
    if spec.status == SpecStatus.MERGED:
        spec = review.take_action(actor=actor, spec=spec, action="reopen", message="")
    return write(spec, actor, problem_description=text)


@pytest.fixture
def conflicted(connected, upstream, staff) -> Spec:
    """A spec edited here by staff while upstream changed it too, after one sync."""
    upstream.commit({PATH: spec_text("Thin provisioning")})
    services.sync_project(project=connected)
    edit_problem(Spec.objects.get(path=PATH), staff, "Ours: edited in SpecPortal.\n")
    upstream.commit({PATH: spec_text("Thin provisioning", "Theirs: changed upstream.")})
    report = services.sync_project(project=connected)
    assert [(result.path, result.outcome) for result in report.results] == [(PATH, "conflict")]
    return Spec.objects.get(path=PATH)

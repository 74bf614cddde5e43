"""The git command line, run on a project's working copy of its specs repository.

Plain Python, no Django: real git does the work (fetch, commit, push); this
module only runs it with a fixed environment and turns a failure into a
:class:`GitError` carrying git's own message, which callers show as is.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Never ask a person for a password or a host key on the server's terminal: fail instead.
_QUIET_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_ASKPASS": "true",
    "SSH_ASKPASS": "true",
    "LC_ALL": "C",
    # The server's own ~/.gitconfig and /etc/gitconfig must not change what is committed.
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


class GitError(Exception):
    """A git command failed; ``str()`` is git's message."""

    def __init__(self, command: Sequence[str], message: str) -> None:
        super().__init__(message.strip() or f"git {' '.join(command)} failed.")
        self.command = list(command)


@dataclass(frozen=True)
class Credentials:
    """How git reaches a remote that needs them; kept in settings, never in the database.

    ``ssh_key``: a deploy key's file, passed to ssh with ``-i``. ``http_token``: sent as a
    bearer token in an ``Authorization`` header to https remotes.
    """

    ssh_key: str = ""
    http_token: str = ""

    def config(self) -> list[str]:
        if self.http_token:
            return ["-c", f"http.extraHeader=Authorization: Bearer {self.http_token}"]
        return []

    def env(self) -> dict[str, str]:
        if self.ssh_key:
            return {"GIT_SSH_COMMAND": f"ssh -i {self.ssh_key} -o IdentitiesOnly=yes -o BatchMode=yes"}
        return {}


@dataclass(frozen=True)
class Author:
    name: str
    email: str


@dataclass(frozen=True)
class PushResult:
    ref: str
    commit: str
    message: str  # what git (or the remote, e.g. Gerrit) said


class Repository:
    """A working copy at ``path`` of one branch of a remote repository."""

    def __init__(self, path: Path, *, credentials: Credentials | None = None, timeout: float = 600) -> None:
        self.path = path
        self.credentials = credentials or Credentials()
        self.timeout = timeout

    def run(self, *args: str, input: bytes | None = None, env: Mapping[str, str] | None = None) -> str:
        command = ["git", *self.credentials.config(), *args]
        try:
            result = subprocess.run(
                command,
                cwd=self.path,
                input=input,
                capture_output=True,
                timeout=self.timeout,
                env={**os.environ, **_QUIET_ENV, **self.credentials.env(), **(env or {})},
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise GitError(
                args, f"git {args[0]} took longer than {self.timeout:.0f} s and was stopped."
            ) from error
        if result.returncode != 0:
            raise GitError(
                args, result.stderr.decode("utf-8", "replace") or result.stdout.decode("utf-8", "replace")
            )
        return result.stdout.decode("utf-8", "surrogateescape")

    def run_bytes(self, *args: str) -> bytes:
        result = subprocess.run(
            ["git", *args], cwd=self.path, capture_output=True, env={**os.environ, **_QUIET_ENV}, check=False
        )
        if result.returncode != 0:
            raise GitError(args, result.stderr.decode("utf-8", "replace"))
        return result.stdout

    # --- reading the remote ---

    def fetch(self, url: str, branch: str) -> str:
        """Fetch ``branch`` of ``url`` (cloning on first use); the fetched commit's name."""
        if not (self.path / ".git").is_dir():
            self.path.mkdir(parents=True, exist_ok=True)
            self.run("init", "--quiet")
        self.run("fetch", "--quiet", "--no-tags", url, f"+refs/heads/{branch}:refs/remotes/upstream/{branch}")
        return self.run("rev-parse", f"refs/remotes/upstream/{branch}").strip()

    def files(self, commit: str, under: str = "specs") -> dict[str, str]:
        """Every file below ``under`` at ``commit``: path -> blob name."""
        listing = self.run("ls-tree", "-r", "-z", "--full-tree", commit, "--", under)
        blobs = {}
        for entry in filter(None, listing.split("\0")):
            meta, path = entry.split("\t", 1)
            _mode, kind, name = meta.split()
            if kind == "blob":
                blobs[path] = name
        return blobs

    def blob(self, name: str) -> bytes:
        return self.run_bytes("cat-file", "blob", name)

    def checkout(self, commit: str, destination: Path) -> None:
        """The tree of ``commit`` written out at ``destination`` (symlinks as links)."""
        destination.mkdir(parents=True, exist_ok=True)
        self.run("--work-tree", str(destination), "checkout", "--quiet", "--force", commit, "--", ".")

    # --- committing and pushing ---

    def commit_file(
        self, *, parent: str, path: str, content: bytes, author: Author, committer: Author, message: str
    ) -> str:
        """A commit on ``parent`` writing ``content`` at ``path``; its name. The working copy is untouched."""
        blob = self.run("hash-object", "-w", "--stdin", input=content).strip()
        index = self.path / ".git" / "specportal-index"
        index_env = {"GIT_INDEX_FILE": str(index)}
        try:
            self.run("read-tree", parent, env=index_env)
            self.run("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=index_env)
            tree = self.run("write-tree", env=index_env).strip()
        finally:
            index.unlink(missing_ok=True)
        if tree == self.run("rev-parse", f"{parent}^{{tree}}").strip():
            raise GitError(
                ["commit"], f"{path} already has exactly this text at {parent[:12]}: nothing to commit."
            )
        identity = {
            "GIT_AUTHOR_NAME": author.name,
            "GIT_AUTHOR_EMAIL": author.email,
            "GIT_COMMITTER_NAME": committer.name,
            "GIT_COMMITTER_EMAIL": committer.email,
        }
        return self.run("commit-tree", tree, "-p", parent, input=message.encode(), env=identity).strip()

    def push(self, url: str, commit: str, ref: str) -> PushResult:
        """Push ``commit`` to ``ref`` of ``url``; GitError with the remote's message when refused.

        A push to Gerrit's ``refs/for/<branch>`` is a new patch set, never a fast-forward,
        so it is forced (a plain repository keeps the latest under that name); a branch never is.
        """
        refspec = f"+{commit}:{ref}" if ref.startswith("refs/for/") else f"{commit}:{ref}"
        result = subprocess.run(
            ["git", *self.credentials.config(), "push", "--porcelain", url, refspec],
            cwd=self.path,
            capture_output=True,
            timeout=self.timeout,
            env={**os.environ, **_QUIET_ENV, **self.credentials.env()},
            check=False,
        )
        said = (result.stderr + result.stdout).decode("utf-8", "replace").strip()
        if result.returncode != 0:
            raise GitError(["push"], said)
        return PushResult(ref=ref, commit=commit, message=said)

"""What each file under a specs repository's ``specs/`` folder is.

Plain Python over the file system (no Django): :func:`scan` walks ``specs/``
to any depth and sorts every entry into a spec, a template, or a file kept as
it is (a symbolic link, a stand-in, an index page, a redirects file, anything
else), with what export needs to write it back byte for byte: its bytes (a
link's target) and its executable bit.

Which folder names the release: the releases OpenStack names (``kilo``,
``2025.1``, per :func:`specs_app.paths.release_key`) sit at one depth below
``specs/`` in a repository: depth 0 in ``specs/<release>/...`` (cinder, nova,
glance), depth 1 in keystone's ``specs/<component>/<release>/...``. That depth
is the one where recognised release names occur most often among the spec
files (the shallowest on a tie). A spec's release is the recognised release
name in its path (the one at that depth if it has one there), else the folder
at that depth, which is how ``backlog``, ``abandoned``, ``untargeted`` or
glance's ``api`` act as releases; a spec shallower than that depth takes its
first folder.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from specs_app import paths

SPECS_FOLDER = "specs"
TEMPLATE_FILENAME = "template.rst"
# A stand-in is git's checkout of a symbolic link: the target path as the file's text.
_LONGEST_STAND_IN = 1024


class Kind(StrEnum):
    SPEC = "spec"
    TEMPLATE = "template"
    LINK = "link"
    STAND_IN = "stand_in"
    INDEX = "index"
    REDIRECTS = "redirects"
    OTHER = "other"


@dataclass(frozen=True)
class LayoutFile:
    """One entry under ``specs/``, classified."""

    path: str  # the repository path: "specs/kilo/foo.rst"
    kind: Kind
    content: bytes  # the file's bytes; a symbolic link's target
    executable: bool = False
    release: str = ""  # specs and templates; "" for a project's default template
    variant: str = ""  # templates: "" or another kind of spec, such as "spec-lite"
    target: str = ""  # stand-ins: the repository path of the file it stands in for
    what: str = ""  # files kept as they are: what the file is, as a person would say it

    @property
    def name(self) -> str:
        """The file name without ``.rst``: a spec's name."""
        return PurePosixPath(self.path).name.removesuffix(".rst")

    @property
    def folders(self) -> tuple[str, ...]:
        """The folders between ``specs/`` and the file."""
        return PurePosixPath(self.path).parts[1:-1]


@dataclass(frozen=True)
class Layout:
    files: tuple[LayoutFile, ...]
    release_depth: int  # see the module's docstring

    def of_kind(self, *kinds: Kind) -> list[LayoutFile]:
        return [file for file in self.files if file.kind in kinds]

    def in_import_order(self) -> list[LayoutFile]:
        """Files kept as they are, then templates (shallowest first), then specs, oldest release first.

        Templates and their stand-ins come before the specs that follow them,
        and the oldest release's proposal of a spec before its re-proposals,
        so the first proposal gets the bare name as its address.
        """
        kept = sorted(self.of_kind(*KEPT_KINDS), key=lambda file: file.path)
        templates = sorted(self.of_kind(Kind.TEMPLATE), key=lambda file: (len(file.folders), file.path))
        specs = sorted(self.of_kind(Kind.SPEC), key=lambda file: (paths.release_key(file.release), file.path))
        return [*kept, *templates, *specs]


KEPT_KINDS = (Kind.LINK, Kind.STAND_IN, Kind.INDEX, Kind.REDIRECTS, Kind.OTHER)


def specs_folder(directory: Path) -> Path:
    """The ``specs/`` folder of a repository checkout, or ``directory`` itself if it is one."""
    return directory / SPECS_FOLDER if (directory / SPECS_FOLDER).is_dir() else directory


def resolve(path: str, target: str) -> str:
    """The repository path a relative ``target`` written in the file at ``path`` points to."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(path), target))


def is_release_name(name: str) -> bool:
    """A name OpenStack gave a release: a named one (kilo) or a year-based one (2025.1)."""
    return paths.release_key(name)[0] < 2


def is_template_name(filename: str) -> bool:
    return filename == TEMPLATE_FILENAME or filename.endswith("-" + TEMPLATE_FILENAME)


def scan(directory: Path) -> Layout:
    """Every file under ``directory``'s ``specs/`` folder (or ``directory``, if it is one), classified."""
    root = specs_folder(directory)
    entries = [
        _classify_by_name(root, relative, absolute) for relative, absolute in _walk(root, PurePosixPath())
    ]
    depth = _release_depth([entry for entry in entries if entry.kind is Kind.SPEC])
    release_folders = {
        entry.folders[depth] for entry in entries if entry.kind is Kind.SPEC and len(entry.folders) > depth
    }
    files = []
    for entry in entries:
        if entry.kind is Kind.SPEC:
            entry = _with_release(entry, _release_of(entry.folders, depth))
        elif entry.kind is Kind.TEMPLATE:
            entry = _template(entry, depth, release_folders)
        files.append(entry)
    return Layout(files=tuple(files), release_depth=depth)


def _walk(folder: Path, relative: PurePosixPath) -> Iterator[tuple[PurePosixPath, Path]]:
    """Files and symbolic links under ``folder``, in name order; links are not followed."""
    with os.scandir(folder) as scanned:
        entries = sorted(scanned, key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path), relative / entry.name)
        elif entry.is_symlink() or entry.is_file(follow_symlinks=False):
            yield relative / entry.name, Path(entry.path)
        # Sockets, pipes and devices cannot be in a git repository.


def _classify_by_name(root: Path, relative: PurePosixPath, absolute: Path) -> LayoutFile:
    path = f"{SPECS_FOLDER}/{relative.as_posix()}"
    if absolute.is_symlink():
        target = os.readlink(absolute)
        return LayoutFile(path, Kind.LINK, os.fsencode(target), what=f"a symbolic link to {target}")
    content = absolute.read_bytes()
    executable = bool(absolute.stat().st_mode & stat.S_IXUSR)
    stand_in = _stand_in_target(root, absolute, content)
    if stand_in is not None:
        return LayoutFile(
            path, Kind.STAND_IN, content, executable, target=stand_in, what=f"a stand-in for {stand_in}"
        )
    name = relative.name
    if name == "redirects":
        return LayoutFile(path, Kind.REDIRECTS, content, executable, what="a redirects file")
    if name == "index.rst":
        return LayoutFile(path, Kind.INDEX, content, executable, what="an index page")
    if is_template_name(name):
        return LayoutFile(path, Kind.TEMPLATE, content, executable)
    if name.endswith(".rst") and len(relative.parts) > 1:
        return LayoutFile(path, Kind.SPEC, content, executable)
    what = "a page outside any release folder" if name.endswith(".rst") else "not an .rst file"
    return LayoutFile(path, Kind.OTHER, content, executable, what=what)


def _stand_in_target(root: Path, absolute: Path, content: bytes) -> str | None:
    """The repository path a stand-in names, if the file is one: a relative path to an existing file."""
    if len(content) > _LONGEST_STAND_IN:
        return None
    try:
        target = content.decode("utf-8").strip()
    except UnicodeDecodeError:
        return None
    if not target or any(character.isspace() for character in target) or "\x00" in target:
        return None
    if target.startswith("/"):
        return None
    pointed = Path(os.path.normpath(absolute.parent / target))
    if not pointed.is_file() or pointed == absolute:
        return None
    for base, prefix in ((root, f"{SPECS_FOLDER}/"), (root.parent, "")):
        if pointed.is_relative_to(base):
            return prefix + pointed.relative_to(base).as_posix()
    return None


def _release_depth(specs: list[LayoutFile]) -> int:
    counts = Counter(
        depth for spec in specs for depth, folder in enumerate(spec.folders) if is_release_name(folder)
    )
    if not counts:
        return 0
    most = max(counts.values())
    return min(depth for depth, count in counts.items() if count == most)


def _release_of(folders: tuple[str, ...], depth: int) -> str:
    recognised = [index for index, folder in enumerate(folders) if is_release_name(folder)]
    if depth in recognised:
        return folders[depth]
    if recognised:
        return folders[recognised[0]]
    if len(folders) > depth:
        return folders[depth]
    return folders[0] if folders else ""


def _with_release(entry: LayoutFile, release: str, variant: str = "") -> LayoutFile:
    return LayoutFile(entry.path, entry.kind, entry.content, entry.executable, release, variant)


def _template(entry: LayoutFile, depth: int, release_folders: set[str]) -> LayoutFile:
    """A template's release and variant, from its name and folder.

    ``template.rst`` is the template of its folder's release (the default in
    ``specs/``), ``<release>-template.rst`` the release's (nova's), and any
    other prefix names a variant (``spec-lite-template.rst``), optionally after
    a release (``2025.1-spec-lite-template.rst``).
    """
    prefix = PurePosixPath(entry.path).name.removesuffix(TEMPLATE_FILENAME).removesuffix("-")
    folder_release = _release_of(entry.folders, depth) if entry.folders else ""

    def is_release(name: str) -> bool:
        return is_release_name(name) or name in release_folders

    if not prefix:
        return _with_release(entry, folder_release)
    if is_release(prefix):
        return _with_release(entry, prefix)
    for cut in (index for index, character in enumerate(prefix) if character == "-"):
        release, variant = prefix[:cut], prefix[cut + 1 :]
        if is_release(release) and variant:
            return _with_release(entry, release, variant)
    return _with_release(entry, folder_release, prefix)

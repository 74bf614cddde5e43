"""Specs repositories packed as uploads: a small real one from the corpus, and hostile ones.

An archive is described as ``{member name: content}``, where content is the file's
bytes, a :class:`Link` or :data:`FOLDER`, and written with :func:`tar` or :func:`zip_of`
exactly as given, so a test can build what no honest tool would.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import corpus_path


@dataclass(frozen=True)
class Link:
    target: str


class _Folder:
    def __repr__(self) -> str:
        return "FOLDER"


FOLDER = _Folder()

Entry = bytes | Link | _Folder

# The name GitHub gives the folder in a branch's archive.
TOP = "cinder-specs-master"


def cinder_repository(count: int = 3, *, top: str = TOP) -> dict[str, Entry]:
    """cinder-specs with its README, its template and its first ``count`` specs of juno.

    Small, so an import takes a moment; the files are the corpus's, byte for byte.
    """
    source = corpus_path("cinder-specs")
    specs = sorted((source / "specs" / "juno").glob("*.rst"))[:count]
    prefix = f"{top}/" if top else ""
    entries: dict[str, Entry] = {f"{prefix}": FOLDER} if top else {}
    for path in [source / "README.rst", source / "specs" / "template.rst", *specs]:
        entries[prefix + path.relative_to(source).as_posix()] = path.read_bytes()
    return entries


def spec_paths(entries: dict[str, Entry], *, top: str = TOP) -> list[str]:
    """The repository paths of the specs in ``entries`` (not the template)."""
    return sorted(
        name.removeprefix(f"{top}/")
        for name in entries
        if name.endswith(".rst") and "/specs/" in f"/{name}" and not name.endswith("template.rst")
    )


def tar(path: Path, entries: dict[str, Entry], *, compression: str = "gz") -> Path:
    """``entries`` as a tar file (``compression``: "gz", "bz2", "xz" or "" for none)."""
    with tarfile.open(path, f"w:{compression}" if compression else "w") as archive:
        for name, content in entries.items():
            info = tarfile.TarInfo(name)
            info.mtime = 1_700_000_000
            if isinstance(content, Link):
                info.type, info.linkname = tarfile.SYMTYPE, content.target
                archive.addfile(info)
            elif isinstance(content, _Folder):
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                archive.addfile(info)
            else:
                info.size, info.mode = len(content), 0o644
                archive.addfile(info, io.BytesIO(content))
    return path


def zip_of(path: Path, entries: dict[str, Entry]) -> Path:
    """``entries`` as a zip file; links as Info-ZIP stores them (mode in external_attr, target as data)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name if not isinstance(content, _Folder) else name.rstrip("/") + "/")
            info.create_system = 3  # Unix, so external_attr holds the mode
            info.compress_type = zipfile.ZIP_DEFLATED
            if isinstance(content, Link):
                info.external_attr = (0o120777 << 16) | 0
                archive.writestr(info, content.target)
            elif isinstance(content, _Folder):
                info.external_attr = (0o40755 << 16) | 0x10
                archive.writestr(info, b"")
            else:
                info.external_attr = 0o100644 << 16
                archive.writestr(info, content)
    return path


def archive(path: Path, entries: dict[str, Entry]) -> Path:
    """``entries`` packed as ``path``'s name says: .zip, else a tar (.tar.gz, .tgz, .tar)."""
    if path.name.endswith(".zip"):
        return zip_of(path, entries)
    return tar(path, entries, compression="" if path.name.endswith(".tar") else "gz")

"""Unpack an uploaded specs repository (.tar.gz, .tgz, .tar or .zip) into a temporary folder, safely.

An archive comes from anyone who may create a spec, so nothing in it is trusted:

- no member may land outside the folder: absolute names, ``..`` and writes through
  symbolic links are refused, and every link must resolve inside the repository once
  the whole archive is out (a later member cannot redirect an earlier link);
- links stay links (a repository's symlink farms are part of it), within the tree only;
- the member count and the unpacked size are capped while reading, not only from what
  the headers claim, so a zip bomb or a gzip of zeros stops at the limit;
- only files, folders and links are written: devices, pipes and hard links out of the
  tree are refused; modes are reduced to 644 or 755.

The limits are settings (``REPOSITORY_ARCHIVE_MAX_BYTES``, ``_MAX_UNPACKED_BYTES``,
``_MAX_FILES``). A single top-level folder (``nova-specs-master/``) is the repository;
the repository must have a ``specs/`` folder. Every refusal is a ValidationError a person
can act on; :class:`ArchiveTooLarge` (a limit) is the 413 kind.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import shutil
import stat
import struct
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")
ACCEPT = ",".join([*ARCHIVE_SUFFIXES, "application/gzip", "application/x-tar", "application/zip"])
_CHUNK = 1024 * 1024
# A link's target is a short path; anything longer is not a link a repository holds.
_MAX_LINK_BYTES = 4096
# macOS's zip adds resource forks under this folder, its tar as ._<name> files.
_MACOS_METADATA = "__MACOSX"
_HINT = "Make the archive with “git archive”, which leaves out .git/ and build output."


class ArchiveRefused(ValidationError):
    """The archive cannot be imported: the message says why (400)."""


class ArchiveTooLarge(ArchiveRefused):
    """The upload, its unpacked size or its number of files is over a limit (413)."""


@dataclass(frozen=True)
class ArchiveLimits:
    max_bytes: int  # the uploaded file itself
    max_unpacked_bytes: int
    max_files: int  # members of every kind: files, folders, links

    @classmethod
    def from_settings(cls) -> ArchiveLimits:
        return cls(
            max_bytes=settings.REPOSITORY_ARCHIVE_MAX_BYTES,
            max_unpacked_bytes=settings.REPOSITORY_ARCHIVE_MAX_UNPACKED_BYTES,
            max_files=settings.REPOSITORY_ARCHIVE_MAX_FILES,
        )


@dataclass(frozen=True)
class UnpackedRepository:
    root: Path  # the repository: it holds specs/
    name: str  # its top-level folder ("nova-specs-master"), else the archive's name without suffix
    stripped: bool  # the top-level folder was left out, root is inside it
    files: int  # regular files written
    links: int
    unpacked_bytes: int


def megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MB" if size % 2**20 else f"{size // 2**20:,} MB"


def check_upload_size(size: int, limits: ArchiveLimits | None = None) -> None:
    """Refuse, before reading it, an upload over the archive size limit."""
    limits = limits or ArchiveLimits.from_settings()
    if size > limits.max_bytes:
        raise ArchiveTooLarge(
            f"The archive is {megabytes(size)}; an uploaded repository may have at most "
            f"{megabytes(limits.max_bytes)}. {_HINT}",
            code="too_large",
        )


# Room in a request for the other fields and the multipart framing around the archive.
REQUEST_OVERHEAD_BYTES = 64 * 1024


def request_size_error(meta: Mapping[str, str], limits: ArchiveLimits | None = None) -> str | None:
    """Why a request carrying an archive is refused unread (its declared length), or None."""
    limits = limits or ArchiveLimits.from_settings()
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limits.max_bytes + REQUEST_OVERHEAD_BYTES:
        return (
            f"The upload is {megabytes(length)}; an uploaded repository may have at most "
            f"{megabytes(limits.max_bytes)}. {_HINT}"
        )
    return None


@contextmanager
def unpacked_repository(
    upload: IO[bytes], *, filename: str, limits: ArchiveLimits | None = None
) -> Iterator[UnpackedRepository]:
    """The repository in ``upload``, unpacked into a temporary folder removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="specportal-import-"))
    try:
        yield unpack(upload, filename=filename, destination=folder, limits=limits)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def unpack(
    upload: IO[bytes], *, filename: str, destination: Path, limits: ArchiveLimits | None = None
) -> UnpackedRepository:
    """Unpack ``upload`` (a seekable file) into the empty folder ``destination``; find its repository.

    Raises :class:`ArchiveRefused` (or :class:`ArchiveTooLarge`) with a message for people;
    ``destination`` may then hold part of the archive, for the caller to remove.
    """
    limits = limits or ArchiveLimits.from_settings()
    upload.seek(0, os.SEEK_END)
    check_upload_size(upload.tell(), limits)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    writer = _Writer(destination, limits)
    try:
        if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            _unpack_zip(upload, writer)
        elif _is_tar(upload, head):
            _unpack_tar(upload, head, writer)
        else:
            raise ArchiveRefused(
                f"“{filename}” is not a .tar.gz, .tgz, .tar or .zip archive.", code="not_an_archive"
            )
    except ArchiveRefused:
        raise
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error, lzma.LZMAError, OSError) as error:
        # OSError covers gzip.BadGzipFile and a truncated bz2 stream.
        raise ArchiveRefused(
            f"“{filename}” cannot be unpacked: it is damaged, truncated or not a .tar.gz, .tgz, .tar or "
            f".zip archive ({error}).",
            code="damaged",
        ) from error
    except NotImplementedError as error:  # a zip compression method Python cannot read
        raise ArchiveRefused(
            f"“{filename}” uses a kind of compression that cannot be read ({error}).", code="damaged"
        ) from error
    if writer.members == 0:
        raise ArchiveRefused(f"“{filename}” is empty.", code="empty")
    root, stripped = _repository_root(destination)
    writer.check_links(root)
    return UnpackedRepository(
        root=root,
        name=stripped or _without_suffix(filename),
        stripped=bool(stripped),
        files=writer.files,
        links=len(writer.links),
        unpacked_bytes=writer.unpacked_bytes,
    )


def _without_suffix(filename: str) -> str:
    name = PurePosixPath(filename.replace("\\", "/")).name
    for suffix in (*ARCHIVE_SUFFIXES, ".tar.bz2", ".tar.xz"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def _repository_root(folder: Path) -> tuple[Path, str]:
    entries = list(folder.iterdir())
    stripped = ""
    if (
        not (folder / "specs").exists()
        and len(entries) == 1
        and entries[0].is_dir()
        and not entries[0].is_symlink()
    ):
        # nova-specs-master/ (GitHub), nova-specs/ (tar czf nova-specs.tgz nova-specs): the repository.
        folder, stripped = entries[0], entries[0].name
    specs = folder / "specs"
    if specs.is_symlink() or not specs.is_dir():
        where = f"{stripped}/specs/" if stripped else "specs/"
        raise ArchiveRefused(
            f"There is no specs/ folder in the archive (looked for {where}). Upload the whole specs "
            "repository: its specs/ folder at the top of the archive or inside one folder.",
            code="no_specs",
        )
    return folder, stripped


# Writing members: every path checked, every byte counted.


class _Writer:
    def __init__(self, destination: Path, limits: ArchiveLimits):
        self.destination = Path(os.path.realpath(destination))
        self.limits = limits
        self.members = 0
        self.files = 0
        self.unpacked_bytes = 0
        self.links: list[Path] = []

    def count(self, name: str, size: int = 0) -> None:
        """Count a member, and refuse it if its declared size would pass the limit, before writing it.

        Only bytes actually written add up (:meth:`file`): declared sizes may lie.
        """
        self.members += 1
        if self.members > self.limits.max_files:
            raise self.too_many_files()
        if self.unpacked_bytes + size > self.limits.max_unpacked_bytes:
            raise self.too_large(f"at “{name}”, which declares {megabytes(size)}")

    def declare(self, members: int, unpacked_bytes: int) -> None:
        """Refuse from what an archive's directory declares, before reading any member."""
        if members > self.limits.max_files:
            raise self.too_many_files()
        if unpacked_bytes > self.limits.max_unpacked_bytes:
            raise self.too_large(f"it declares {megabytes(unpacked_bytes)}")

    def too_many_files(self) -> ArchiveTooLarge:
        return ArchiveTooLarge(
            f"The archive holds more than {self.limits.max_files:,} files and folders, the limit. {_HINT}",
            code="too_many_files",
        )

    def too_large(self, detail: str) -> ArchiveTooLarge:
        return ArchiveTooLarge(
            f"The archive unpacks to more than {megabytes(self.limits.max_unpacked_bytes)}, the limit "
            f"({detail}); a small archive that unpacks this large may be a zip bomb. {_HINT}",
            code="too_large_unpacked",
        )

    def _add_bytes(self, size: int, name: str) -> None:
        self.unpacked_bytes += size
        if self.unpacked_bytes > self.limits.max_unpacked_bytes:
            raise self.too_large(f"reached at “{name}”")

    def target(self, name: str) -> Path | None:
        """Where member ``name`` goes, or None for members that are not part of a repository."""
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            raise ArchiveRefused(
                f"The file name “{name.encode('utf-8', 'replace').decode()}” is not UTF-8.",
                code="unsafe_path",
            ) from None
        if name.startswith("/") or "\\" in name or "\0" in name:
            raise ArchiveRefused(
                f"“{name}” is an absolute or non-portable path; every file must be inside the repository.",
                code="unsafe_path",
            )
        parts = [part for part in name.split("/") if part not in ("", ".")]
        if ".." in parts:
            raise ArchiveRefused(
                f"“{name}” climbs out of the repository with “..”; the archive is refused.",
                code="unsafe_path",
            )
        if not parts:
            return None  # "./" itself
        if parts[0] == _MACOS_METADATA or parts[-1].startswith("._"):
            return None  # macOS's resource forks: not part of the repository
        path = self.destination.joinpath(*parts)
        # Through a link written before, a path could lead anywhere (links may chain): no honest
        # archive writes inside a link, so any path whose folders are not what they say is refused.
        if Path(os.path.realpath(path.parent)) != path.parent or path.is_symlink():
            raise ArchiveRefused(
                f"“{name}” would be written through a symbolic link; the archive is refused.",
                code="unsafe_link",
            )
        return path

    def _inside(self, path: Path) -> bool:
        return path.is_relative_to(self.destination)

    def directory(self, path: Path) -> None:
        if path.exists() and not path.is_dir():
            raise ArchiveRefused(f"“{self._name(path)}” is both a file and a folder in the archive.")
        self._parents(path)
        path.mkdir(mode=0o755, exist_ok=True)

    def _parents(self, path: Path) -> None:
        parent = path.parent
        if parent.exists() and not parent.is_dir():
            raise ArchiveRefused(f"“{self._name(parent)}” is both a file and a folder in the archive.")
        parent.mkdir(mode=0o755, parents=True, exist_ok=True)

    def file(self, path: Path, source: IO[bytes], *, executable: bool) -> None:
        self._parents(path)
        try:
            # O_EXCL and O_NOFOLLOW: never through a link, never over a member written before.
            descriptor = os.open(
                path,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                0o755 if executable else 0o644,
            )
        except FileExistsError:
            raise ArchiveRefused(f"The archive holds “{self._name(path)}” twice.", code="duplicate") from None
        self.files += 1
        with os.fdopen(descriptor, "wb") as out:
            # Counted as read: a zip's declared sizes may lie.
            while chunk := source.read(_CHUNK):
                self._add_bytes(len(chunk), self._name(path))
                out.write(chunk)

    def link(self, path: Path, target: str) -> None:
        name = self._name(path)
        if not target or target.startswith("/") or "\\" in target or "\0" in target:
            raise ArchiveRefused(
                f"The link “{name}” points to “{target}”, outside the repository; the archive is refused.",
                code="unsafe_link",
            )
        resolved = Path(os.path.realpath(path.parent / target))
        if not self._inside(resolved):
            raise ArchiveRefused(
                f"The link “{name}” points to “{target}”, outside the repository; the archive is refused.",
                code="unsafe_link",
            )
        self._parents(path)
        try:
            os.symlink(target, path)
        except FileExistsError:
            raise ArchiveRefused(f"The archive holds “{name}” twice.", code="duplicate") from None
        self.links.append(path)

    def hard_link(self, path: Path, target: Path) -> None:
        """A tar hard link to a file met earlier: written as a copy of it."""
        if target.is_symlink() or not target.is_file():
            raise ArchiveRefused(
                f"The hard link “{self._name(path)}” does not point to a file earlier in the archive.",
                code="unsafe_link",
            )
        with target.open("rb") as source:
            self.file(path, source, executable=bool(target.stat().st_mode & 0o111))

    def check_links(self, root: Path) -> None:
        """Every link, now that all are written, must resolve inside the repository (links may chain)."""
        repository = Path(os.path.realpath(root))
        for path in self.links:
            if not Path(os.path.realpath(path)).is_relative_to(repository):
                raise ArchiveRefused(
                    f"The link “{self._name(path)}” leads outside the repository (through other links); "
                    "the archive is refused.",
                    code="unsafe_link",
                )

    def _name(self, path: Path) -> str:
        return path.relative_to(self.destination).as_posix()


# tar: read as a stream, decompressed through a cap.


_COMPRESSED = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")


class _Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


def _is_tar(upload: IO[bytes], head: bytes) -> bool:
    if head.startswith(_COMPRESSED):
        return True  # a compressed file that is not a tar is found out when read
    upload.seek(257)
    magic = upload.read(5)
    upload.seek(0)
    return magic == b"ustar"


def _decompressed(upload: IO[bytes], head: bytes) -> _Readable:
    """``upload`` as the tar it holds: gunzipped, bunzipped or unxz'd as its first bytes say."""
    if head.startswith(b"\x1f\x8b"):
        return gzip.GzipFile(fileobj=upload, mode="rb")
    if head.startswith(b"BZh"):
        return bz2.BZ2File(upload, mode="rb")
    if head.startswith(b"\xfd7zXZ\x00"):
        return lzma.LZMAFile(upload, mode="rb")
    return upload


class _Capped:
    """A read-only stream that stops after ``limit`` bytes: tar headers and padding count too."""

    def __init__(self, stream: _Readable, limit: int, writer: _Writer):
        self.stream, self.limit, self.writer, self.read_so_far = stream, limit, writer, 0

    def read(self, size: int = -1) -> bytes:
        if size < 0 or self.read_so_far + size > self.limit:
            size = self.limit - self.read_so_far + 1
        data = self.stream.read(size)
        self.read_so_far += len(data)
        if self.read_so_far > self.limit:
            raise self.writer.too_large("counting its headers")
        return data


def _unpack_tar(upload: IO[bytes], head: bytes, writer: _Writer) -> None:
    limits = writer.limits
    # Headers take 512 bytes a member (more for long names); allow them on top of the contents.
    limit = limits.max_unpacked_bytes + (limits.max_files + 2) * 2048
    capped = _Capped(_decompressed(upload, head), limit, writer)
    # "r|": a stream, read once, front to back, through the cap.
    with tarfile.open(fileobj=capped, mode="r|") as archive:  # type: ignore[call-overload]
        for member in archive:
            writer.count(member.name, member.size if member.isreg() else 0)
            path = writer.target(member.name)
            if path is None:
                continue
            if member.isdir():
                writer.directory(path)
            elif member.isreg():
                source = archive.extractfile(member)
                assert source is not None  # a regular file always has contents
                writer.file(path, source, executable=bool(member.mode & 0o111))
            elif member.issym():
                writer.link(path, member.linkname)
            elif member.islnk():
                target = writer.target(member.linkname)
                if target is None:
                    raise ArchiveRefused(f"The hard link “{member.name}” points nowhere.", code="unsafe_link")
                writer.hard_link(path, target)
            else:
                raise ArchiveRefused(
                    f"“{member.name}” is a device, a pipe or another special file; a repository holds only "
                    "files, folders and links.",
                    code="special_file",
                )


# zip: the central directory lists every member; its size is checked before it is read.


def _zip_entries(upload: IO[bytes]) -> int | None:
    """The entry count the end of the central directory declares (zip64 too), or None."""
    upload.seek(0, os.SEEK_END)
    size = upload.tell()
    tail_size = min(size, 22 + 0xFFFF)
    upload.seek(size - tail_size)
    tail = upload.read(tail_size)
    upload.seek(0)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or end + 22 > len(tail):
        return None
    (entries,) = struct.unpack("<H", tail[end + 10 : end + 12])
    locator = end - 20
    if entries == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        (offset,) = struct.unpack("<Q", tail[locator + 8 : locator + 16])
        upload.seek(offset)
        record = upload.read(56)
        upload.seek(0)
        if record[:4] == b"PK\x06\x06":
            (entries,) = struct.unpack("<Q", record[32:40])
    return int(entries)


def _unpack_zip(upload: IO[bytes], writer: _Writer) -> None:
    # Checked before zipfile reads the directory: a million tiny entries cost memory to list.
    writer.declare(_zip_entries(upload) or 0, 0)
    with zipfile.ZipFile(upload) as archive:
        infos = archive.infolist()
        writer.declare(len(infos), sum(info.file_size for info in infos))
        for info in infos:
            writer.count(info.filename)
            path = writer.target(info.filename)
            if path is None:
                continue
            if info.flag_bits & 0x1:
                raise ArchiveRefused(
                    f"“{info.filename}” is encrypted; upload an archive without a password.", code="encrypted"
                )
            mode = info.external_attr >> 16 if info.create_system == 3 else 0  # 3: made on Unix
            if info.is_dir():
                writer.directory(path)
            elif stat.S_ISLNK(mode):
                with archive.open(info) as source:
                    target = source.read(_MAX_LINK_BYTES + 1)
                if len(target) > _MAX_LINK_BYTES:
                    raise ArchiveRefused(f"The link “{info.filename}” is too long.", code="unsafe_link")
                writer.link(path, target.decode("utf-8", "replace"))
            elif stat.S_IFMT(mode) in (0, stat.S_IFREG):
                with archive.open(info) as source:
                    writer.file(path, source, executable=bool(mode & 0o111))
            else:
                raise ArchiveRefused(
                    f"“{info.filename}” is a device, a pipe or another special file; a repository holds only "
                    "files, folders and links.",
                    code="special_file",
                )

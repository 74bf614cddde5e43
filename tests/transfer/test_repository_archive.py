"""Unpacking an uploaded specs repository: the repository comes out whole, nothing escapes the folder."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from specs_app.transfer import archives
from specs_app.transfer.archives import ArchiveLimits, ArchiveRefused, ArchiveTooLarge
from tests.repository_archives import FOLDER, TOP, Link, archive, cinder_repository, tar, zip_of

LIMITS = ArchiveLimits(max_bytes=50 * 2**20, max_unpacked_bytes=200 * 2**20, max_files=20_000)


def unpack(path: Path, destination: Path, limits: ArchiveLimits = LIMITS) -> archives.UnpackedRepository:
    destination.mkdir(parents=True)
    with path.open("rb") as upload:
        return archives.unpack(upload, filename=path.name, destination=destination, limits=limits)


def refusal(path: Path, tmp_path: Path, limits: ArchiveLimits = LIMITS) -> ArchiveRefused:
    with pytest.raises(ArchiveRefused) as caught:
        unpack(path, tmp_path / "out", limits)
    return caught.value


@pytest.mark.parametrize("name", ["cinder.tar.gz", "cinder.tgz", "cinder.tar", "cinder.zip"])
def test_it_unpacks_the_repository_byte_for_byte_without_its_top_folder(tmp_path, name):
    entries = cinder_repository()

    repository = unpack(archive(tmp_path / name, entries), tmp_path / "out")

    assert repository.name == TOP and repository.stripped
    assert repository.root == tmp_path / "out" / TOP
    assert (repository.root / "specs").is_dir()
    written = {
        path.relative_to(repository.root).as_posix(): path.read_bytes()
        for path in repository.root.rglob("*")
        if path.is_file()
    }
    assert written == {
        name.removeprefix(f"{TOP}/"): content
        for name, content in entries.items()
        if isinstance(content, bytes)
    }
    assert repository.files == len(written)


def test_it_keeps_a_repository_at_the_top_of_the_archive(tmp_path):
    repository = unpack(tar(tmp_path / "r.tar.gz", cinder_repository(top="")), tmp_path / "out")

    assert not repository.stripped and repository.name == "r"
    assert repository.root == tmp_path / "out"


def test_it_does_not_strip_a_lone_specs_folder(tmp_path):
    entries = {
        name: content for name, content in cinder_repository(top="").items() if name.startswith("specs/")
    }

    repository = unpack(tar(tmp_path / "r.tar.gz", entries), tmp_path / "out")

    assert repository.root == tmp_path / "out"
    assert (repository.root / "specs" / "template.rst").is_file()


@pytest.mark.parametrize("name", ["links.tar.gz", "links.zip"])
def test_it_keeps_links_inside_the_tree_as_links(tmp_path, name):
    entries = cinder_repository() | {
        f"{TOP}/specs/juno/approved": Link("."),
        f"{TOP}/specs/template-link.rst": Link("template.rst"),
        f"{TOP}/specs/juno/readme.rst": Link("../../README.rst"),
    }

    repository = unpack(archive(tmp_path / name, entries), tmp_path / "out")

    link = repository.root / "specs" / "template-link.rst"
    assert link.is_symlink() and os.readlink(link) == "template.rst"
    assert os.readlink(repository.root / "specs" / "juno" / "readme.rst") == "../../README.rst"
    assert (repository.root / "specs" / "juno" / "approved").is_symlink()
    assert repository.links == 3


@pytest.mark.parametrize("name", ["evil.tar.gz", "evil.zip"])
@pytest.mark.parametrize(
    ("member", "content", "says"),
    [
        ("cinder-specs-master/../../escaped.rst", b"x", "climbs out of the repository"),
        ("/etc/escaped.rst", b"x", "absolute"),
        ("cinder-specs-master/specs/out", Link("/etc"), "outside the repository"),
        ("cinder-specs-master/specs/out", Link("../../.."), "outside the repository"),
        ("cinder-specs-master/specs/dir\\..\\..\\x", b"x", "non-portable"),
        # Inside the unpacked folder, but above the repository its top folder holds.
        ("cinder-specs-master/specs/up", Link("../.."), "leads outside the repository"),
    ],
    ids=["dotdot", "absolute", "absolute-link", "climbing-link", "backslashes", "link-above-the-top"],
)
def test_it_refuses_members_that_escape(tmp_path, name, member, content, says):
    path = archive(tmp_path / name, cinder_repository() | {member: content})

    error = refusal(path, tmp_path)

    assert says in error.message
    assert not (tmp_path / "escaped.rst").exists()
    assert not Path("/etc/escaped.rst").exists()


@pytest.mark.parametrize(
    "links",
    [
        {f"{TOP}/specs/up": Link("..")},
        # Each link alone stays inside; with b, a leads out.
        {f"{TOP}/a": Link("b/.."), f"{TOP}/b": Link(".")},
    ],
)
def test_it_refuses_a_write_through_a_link(tmp_path, links):
    inside = next(iter(links))
    path = tar(tmp_path / "evil.tar.gz", cinder_repository() | links | {f"{inside}/planted.rst": b"x"})

    assert "through a symbolic link" in refusal(path, tmp_path).message
    assert not list(tmp_path.rglob("planted.rst"))


def test_it_refuses_links_that_escape_through_a_later_link(tmp_path):
    # Each link alone stays inside; together they climb out.
    path = tar(
        tmp_path / "evil.tar.gz",
        {f"{TOP}/specs/template.rst": b"x", f"{TOP}/a": Link("later/../.."), f"{TOP}/later": Link(".")},
    )

    assert "leads outside the repository" in refusal(path, tmp_path).message


def test_it_refuses_too_many_members_before_reading_them(tmp_path):
    entries = cinder_repository() | {f"{TOP}/specs/many/{number}.txt": b"" for number in range(30)}
    limits = ArchiveLimits(
        max_bytes=LIMITS.max_bytes, max_unpacked_bytes=LIMITS.max_unpacked_bytes, max_files=20
    )

    for name in ("many.tar.gz", "many.zip"):
        error = refusal(archive(tmp_path / name, entries), tmp_path / name.replace(".", "-"), limits)
        assert isinstance(error, ArchiveTooLarge)
        assert "more than 20 files and folders" in error.message


@pytest.mark.parametrize("name", ["bomb.tar.gz", "bomb.zip"])
def test_it_refuses_an_archive_that_unpacks_too_large(tmp_path, name):
    # 4 MB of zeros packs into a few kilobytes: a zip bomb in miniature.
    entries = cinder_repository() | {f"{TOP}/specs/zeros.bin": bytes(4 * 2**20)}
    limits = ArchiveLimits(max_bytes=LIMITS.max_bytes, max_unpacked_bytes=2**20, max_files=100)
    path = archive(tmp_path / name, entries)
    assert path.stat().st_size < 64 * 1024

    error = refusal(path, tmp_path, limits)

    assert isinstance(error, ArchiveTooLarge)
    assert "unpacks to more than 1 MB" in error.message
    assert "zip bomb" in error.message


def test_it_refuses_a_zip_that_holds_more_than_it_declares(tmp_path):
    member = f"{TOP}/specs/zeros.bin"
    path = zip_of(tmp_path / "liar.zip", cinder_repository() | {member: bytes(2 * 2**20)})
    with zipfile.ZipFile(path) as honest:
        info = honest.getinfo(member)
    data = bytearray(path.read_bytes())
    # Claim 10 bytes, in the member's local header and in the central directory.
    data[info.header_offset + 22 : info.header_offset + 26] = (10).to_bytes(4, "little")
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(member)] != member.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    limits = ArchiveLimits(max_bytes=LIMITS.max_bytes, max_unpacked_bytes=2**20, max_files=100)

    error = refusal(path, tmp_path, limits)

    # Python's zipfile stops at the declared size and finds the checksum wrong.
    assert "cannot be unpacked" in error.message
    assert not any(path.stat().st_size > 2**20 for path in (tmp_path / "out").rglob("*") if path.is_file())


def test_it_refuses_an_upload_over_the_size_limit(tmp_path):
    path = tar(tmp_path / "big.tar", cinder_repository(), compression="")
    limits = ArchiveLimits(max_bytes=1000, max_unpacked_bytes=LIMITS.max_unpacked_bytes, max_files=100)

    error = refusal(path, tmp_path, limits)

    assert isinstance(error, ArchiveTooLarge)
    assert "an uploaded repository may have at most" in error.message


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("notes.txt", b"just some text\n", "is not a .tar.gz, .tgz, .tar or .zip archive"),
        ("fake.tar.gz", gzip.compress(b"not a tar at all" * 100, mtime=0), "cannot be unpacked"),
        ("cut.zip", b"PK\x03\x04" + b"\0" * 40, "cannot be unpacked"),
    ],
    ids=["text", "gzip-of-text", "cut-zip"],
)
def test_it_refuses_what_is_not_an_archive(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)

    assert says in refusal(path, tmp_path).message


def test_it_refuses_a_truncated_archive(tmp_path):
    path = tar(tmp_path / "whole.tar.gz", cinder_repository())
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    assert "cannot be unpacked" in refusal(cut, tmp_path).message


@pytest.mark.parametrize("name", ["nospecs.tar.gz", "nospecs.zip"])
def test_it_says_when_there_is_no_specs_folder(tmp_path, name):
    entries = {f"{TOP}/": FOLDER, f"{TOP}/README.rst": b"hello\n", f"{TOP}/doc/index.rst": b"x\n"}

    error = refusal(archive(tmp_path / name, entries), tmp_path)

    assert "There is no specs/ folder in the archive" in error.message
    assert f"{TOP}/specs/" in error.message


def test_it_refuses_an_empty_archive(tmp_path):
    assert "is empty" in refusal(tar(tmp_path / "empty.tar.gz", {}), tmp_path).message


def test_it_refuses_devices_and_pipes(tmp_path):
    path = tmp_path / "dev.tar"
    with tarfile.open(path, "w") as out:
        for name, content in cinder_repository().items():
            if isinstance(content, bytes):
                info = tarfile.TarInfo(name)
                info.size = len(content)
                out.addfile(info, io.BytesIO(content))
        fifo = tarfile.TarInfo(f"{TOP}/specs/pipe")
        fifo.type = tarfile.FIFOTYPE
        out.addfile(fifo)

    assert "special file" in refusal(path, tmp_path).message


def test_it_refuses_a_member_written_twice(tmp_path):
    path = tmp_path / "twice.tar"
    with tarfile.open(path, "w") as out:
        for content in (b"first\n", b"second\n"):
            info = tarfile.TarInfo(f"{TOP}/specs/template.rst")
            info.size = len(content)
            out.addfile(info, io.BytesIO(content))

    assert "twice" in refusal(path, tmp_path).message


def test_it_leaves_out_macos_resource_forks(tmp_path):
    entries = cinder_repository() | {"__MACOSX/": FOLDER, f"__MACOSX/{TOP}/._README.rst": b"\0\5\26\7"}

    repository = unpack(zip_of(tmp_path / "mac.zip", entries), tmp_path / "out")

    assert repository.name == TOP
    assert not (tmp_path / "out" / "__MACOSX").exists()


def test_the_folder_is_removed_afterwards(tmp_path):
    path = tar(tmp_path / "r.tar.gz", cinder_repository())

    with path.open("rb") as upload, archives.unpacked_repository(upload, filename=path.name) as repository:
        root = repository.root
        assert (root / "specs").is_dir()

    assert not root.exists()


def test_the_folder_is_removed_after_a_refusal(tmp_path, monkeypatch):
    made: list[str] = []
    mkdtemp = archives.tempfile.mkdtemp

    def recording_mkdtemp(**kwargs) -> str:
        made.append(mkdtemp(**kwargs))
        return made[-1]

    monkeypatch.setattr(archives.tempfile, "mkdtemp", recording_mkdtemp)
    path = tar(tmp_path / "evil.tar.gz", cinder_repository() | {f"{TOP}/../x": b"x"})

    with (
        path.open("rb") as upload,
        pytest.raises(ArchiveRefused),
        archives.unpacked_repository(upload, filename=path.name),
    ):
        pass

    assert made and not Path(made[0]).exists()

"""Where specs live in a specs repository: path patterns, release order, folder status.

Plain Python (no Django), shared by the models, import, export and re-proposal.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

DEFAULT_SPEC_PATH_PATTERN = "specs/{release}/{name}.rst"
_FIELD = re.compile(r"\{(\w*)\}")
_ALLOWED_FIELDS = {"release", "name"}

# Folders that say where a spec stands, as the repositories name them.
FOLDER_STATUS = {
    "approved": "merged",
    "implemented": "implemented",
    "backlog": "merged",
    "abandoned": "abandoned",
}
# OpenStack's named releases before the year-based ones ("2023.1" is antelope).
_NAMED_RELEASES = [
    "austin",
    "bexar",
    "cactus",
    "diablo",
    "essex",
    "folsom",
    "grizzly",
    "havana",
    "icehouse",
    "juno",
    "kilo",
    "liberty",
    "mitaka",
    "newton",
    "ocata",
    "pike",
    "queens",
    "rocky",
    "stein",
    "train",
    "ussuri",
    "victoria",
    "wallaby",
    "xena",
    "yoga",
    "zed",
]


def path_pattern_problems(pattern: str) -> list[str]:
    """What is wrong with a path pattern for new specs; empty when it is usable."""
    problems = []
    fields = _FIELD.findall(pattern)
    unknown = sorted(set(fields) - _ALLOWED_FIELDS)
    if unknown:
        problems.append(
            "Only {release} and {name} can be filled in; "
            + ", ".join("{" + field + "}" for field in unknown)
            + " cannot."
        )
    if "name" not in fields:
        problems.append("The pattern must contain {name}, the spec's file name.")
    if not pattern.endswith(".rst"):
        problems.append("The pattern must end in .rst.")
    parts = PurePosixPath(pattern).parts
    if pattern.startswith("/") or ".." in parts or "\\" in pattern:
        problems.append("The pattern must be a relative path inside the repository, without “..”.")
    return problems


def spec_path(pattern: str, *, release: str, name: str) -> str:
    """The repository path of a new spec named ``name`` for ``release``."""
    return pattern.format(release=release, name=name)


def release_key(release: str) -> tuple[int, int, str]:
    """Sorts releases oldest first: named releases in order, then year-based ones, then others."""
    lowered = release.lower()
    if lowered in _NAMED_RELEASES:
        return (0, _NAMED_RELEASES.index(lowered), lowered)
    if year_based := re.fullmatch(r"(\d{4})\.(\d+)", release):
        return (1, int(year_based[1]) * 100 + int(year_based[2]), release)
    # "backlog" and other folders that are not releases come last.
    return (2, 0, lowered)


def next_release(release: str) -> str:
    """The OpenStack release after ``release`` ("zed" -> "2023.1", "2026.2" -> "2027.1"); "" if unknown."""
    lowered = release.lower()
    if lowered in _NAMED_RELEASES:
        index = _NAMED_RELEASES.index(lowered)
        return _NAMED_RELEASES[index + 1] if index + 1 < len(_NAMED_RELEASES) else "2023.1"
    if year_based := re.fullmatch(r"(\d{4})\.([12])", release):
        year, half = int(year_based[1]), int(year_based[2])
        return f"{year}.2" if half == 1 else f"{year + 1}.1"
    return ""


def status_for_path(path: str) -> str | None:
    """The status a folder on ``path`` gives its spec (``approved/`` -> merged), if any."""
    for part in reversed(PurePosixPath(path).parts[:-1]):
        if part in FOLDER_STATUS:
            return FOLDER_STATUS[part]
    return None

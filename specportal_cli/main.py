"""``specportal``: list, pull, push, export and review specs from the command line.

Configuration: ``--url`` or SPECPORTAL_URL (the site, e.g. https://specs.example.org/),
``--token`` or SPECPORTAL_TOKEN (from the site's "API tokens" page).

``pull`` writes the spec's .rst exactly as the server has it and records the
version it pulled in a sidecar file beside it (``.NAME.rst.specportal.json``),
so the .rst stays byte-identical; ``push`` sends that version back with the
text, and the server refuses the push if someone else changed the spec since.

``clone PROJECT DIR`` pulls every spec of a project into DIR at its repository
path (``specs/<release>/...``), each with its sidecar, so a whole specs tree can
be edited in an editor and each file pushed back with ``push FILE``.

``comments`` lists a spec's unresolved threads as ``FILE:LINE: [state] author: text``,
the lines being those of the latest revision's .rst (as an editor's quickfix list
reads them), a suggested edit under its thread as a unified diff; ``comment``
adds a draft comment on lines of it and ``review`` publishes a vote and message
with every draft.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from . import __version__
from .client import ApiError, Client

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A failure to report on stderr; nothing to add to the message."""


def _spec_name(value: str) -> tuple[str, str]:
    project, _, slug = value.strip("/").partition("/")
    if not project or not slug or "/" in slug:
        raise argparse.ArgumentTypeError(f"“{value}” is not PROJECT/SLUG, such as cinder/multi-attach.")
    return project, slug


def sidecar_path(rst_path: Path) -> Path:
    return rst_path.with_name(f".{rst_path.name}.specportal.json")


def _read_sidecar(rst_path: Path) -> dict[str, Any]:
    path = sidecar_path(rst_path)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(
            f"{rst_path} was not pulled with specportal (no {path.name} beside it): "
            "pull the spec first, then edit and push it."
        ) from None
    except (OSError, ValueError) as error:
        raise CommandError(f"Cannot read {path}: {error}") from None
    if not isinstance(record, dict) or not isinstance(record.get("version"), int):
        raise CommandError(f"{path} does not record a pulled version; pull the spec again.")
    return record


def _write_sidecar(rst_path: Path, *, spec: str, version: int, url: str) -> None:
    record = {"spec": spec, "version": version, "url": url}
    sidecar_path(rst_path).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def _write_bytes(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as error:
        raise CommandError(f"Cannot write {path}: {error.strerror or error}") from None


# Commands


def cmd_list(client: Client, args: argparse.Namespace) -> int:
    query = {"project": args.project, "status": args.status, "page_size": "100", "ordering": "slug"}
    rows = [
        (
            f"{spec['project']}/{spec['slug']}",
            spec["status"],
            spec["release"],
            str(spec["version"]),
            spec["title"],
        )
        for spec in client.pages("specs/", query)
    ]
    if not rows:
        print("No specs.", file=sys.stderr)
        return EXIT_OK
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        print(
            "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=False)) + "  " + row[4]
        )
    return EXIT_OK


def cmd_pull(client: Client, args: argparse.Namespace) -> int:
    project, slug = args.spec
    data = client.json("GET", f"specs/{project}/{slug}/text/")
    path = Path(args.output or f"{slug}.rst")
    # Bytes, not text mode: the file is what the server has, newlines included.
    _write_bytes(path, data["text"].encode("utf-8"))
    _write_sidecar(path, spec=f"{project}/{slug}", version=data["version"], url=client.root)
    print(f"Pulled {project}/{slug} version {data['version']} to {path}.", file=sys.stderr)
    return EXIT_OK


def _push_target(values: list[str]) -> tuple[tuple[str, str] | None, Path]:
    """``[PROJECT/SLUG] FILE``: without PROJECT/SLUG, the spec is the one the file was pulled from."""
    if len(values) == 1:
        return None, Path(values[0])
    if len(values) == 2:
        try:
            return _spec_name(values[0]), Path(values[1])
        except argparse.ArgumentTypeError as error:
            raise CommandError(str(error)) from None
    raise CommandError("push takes [PROJECT/SLUG] FILE.")


def cmd_push(client: Client, args: argparse.Namespace) -> int:
    named, path = _push_target(args.target)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise CommandError(f"No such file: {path}") from None
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} is not UTF-8 text (byte {error.start:,}); save it as UTF-8.") from None
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}") from None
    record = _read_sidecar(path)
    if named is None:
        if not isinstance(record.get("spec"), str):
            raise CommandError(
                f"{sidecar_path(path)} does not say which spec it is; name it: push PROJECT/SLUG FILE."
            )
        project, slug = _spec_name(record["spec"])
    else:
        project, slug = named
    if record.get("spec") not in (None, f"{project}/{slug}"):
        raise CommandError(f"{path} was pulled from {record['spec']}, not {project}/{slug}.")
    pulled = record["version"]
    try:
        data = client.json("PUT", f"specs/{project}/{slug}/text/", body={"text": text, "version": pulled})
    except ApiError as error:
        if error.status == 409:
            now = error.body.get("current_version", "?")
            raise CommandError(
                f"Someone else changed {project}/{slug} since you pulled version {pulled} (now {now}). "
                "Pull again and merge."
            ) from None
        raise
    _write_sidecar(path, spec=f"{project}/{slug}", version=data["version"], url=client.root)
    if data["version"] == pulled:
        print(f"{project}/{slug} already has this text (version {pulled}).", file=sys.stderr)
    else:
        print(f"Pushed {path} to {project}/{slug}: now version {data['version']}.", file=sys.stderr)
    return EXIT_OK


def _inside(directory: Path, relative: str) -> Path:
    """``directory/relative``, refused if the server's path would land outside ``directory``."""
    target = (directory / relative).resolve()
    if relative.startswith("/") or directory.resolve() not in target.parents:
        raise CommandError(f"Refusing to write {relative!r}: it is not a path inside {directory}.")
    return target


def cmd_clone(client: Client, args: argparse.Namespace) -> int:
    directory = Path(args.directory)
    if directory.exists() and any(directory.iterdir()):
        raise CommandError(f"{directory} exists and is not empty; clone into a new folder.")
    specs = list(client.pages("specs/", {"project": args.project, "page_size": "100", "ordering": "slug"}))
    if not specs:
        raise CommandError(f"No specs in project “{args.project}” (or no such project).")
    for number, spec in enumerate(specs, 1):
        data = client.json("GET", f"specs/{spec['id']}/text/")
        path = _inside(directory, data["path"])
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_bytes(path, data["text"].encode("utf-8"))
        _write_sidecar(
            path, spec=f"{spec['project']}/{spec['slug']}", version=data["version"], url=client.root
        )
        if sys.stderr.isatty():
            print(f"\r[{number}/{len(specs)}] {data['path'][:70]:<70}", end="", file=sys.stderr)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"Cloned {len(specs)} specs of {args.project} into {directory}.", file=sys.stderr)
    return EXIT_OK


def cmd_patch(client: Client, args: argparse.Namespace) -> int:
    project, slug = args.spec
    patch = client.request("GET", f"specs/{project}/{slug}/export.patch", accept="text/x-patch")
    if args.output:
        _write_bytes(Path(args.output), patch)
        print(
            f"Wrote the patch for {project}/{slug} to {args.output}; apply it with git am.", file=sys.stderr
        )
    else:
        sys.stdout.buffer.write(patch)
        sys.stdout.flush()
    return EXIT_OK


def _indented(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.splitlines())


_HUNK = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@$")


def _suggestion_lines(path: str, thread: dict[str, Any], line: int | None) -> list[str]:
    """A suggested edit as a unified diff of the quoted passage, numbered from its first line."""
    if thread.get("applied"):
        state = f"applied by {thread.get('applied_by') or 'someone'}"
    elif thread.get("applicable"):
        state = "applies to the working draft"
    else:
        state = thread.get("applicable_reason") or "does not apply"
    first = line or thread.get("line_start") or 1

    def numbered(header: str) -> str:
        match = _HUNK.match(header)
        if not match:
            return header
        old, old_count, new, new_count = match.groups()
        return f"@@ -{int(old) + first - 1}{old_count or ''} +{int(new) + first - 1}{new_count or ''} @@"

    diff = difflib.unified_diff(
        thread["quote"].splitlines(),
        thread["suggestion"].splitlines(),
        fromfile=path,
        tofile=f"{path} (suggested)",
        lineterm="",
    )
    return [f"Suggested edit ({state}):", *(numbered(row) for row in diff)]


def _thread_lines(path: str, thread: dict[str, Any]) -> list[str]:
    anchor = thread.get("anchor") or {}
    line = anchor.get("line_start")
    flags = [thread["state"]]
    if thread.get("draft"):
        flags.append("draft")
    if anchor.get("placement") == "outdated":
        flags.append("outdated")
    where = f"{path}:{line}:" if line else f"{path}:"
    body = thread["body"].splitlines() or [""]
    lines = [f"{where} [{', '.join(flags)}] {thread['author']}: {body[0]}"]
    lines += [_indented(rest, "    ") for rest in body[1:]]
    if thread.get("suggestion") is not None:
        lines += ["    " + line for line in _suggestion_lines(path, thread, line)]
    for reply in thread.get("replies", []):
        draft = " [draft]" if reply.get("draft") else ""
        reply_body = reply["body"].splitlines() or [""]
        lines.append(f"    {reply['author']}{draft}: {reply_body[0]}")
        lines += [_indented(rest, "        ") for rest in reply_body[1:]]
    return lines


def cmd_comments(client: Client, args: argparse.Namespace) -> int:
    project, slug = args.spec
    data = client.json("GET", f"specs/{project}/{slug}/comments/")
    # Unresolved: open, and resolved ones waiting for their opener to verify them.
    threads = [thread for thread in data["threads"] if args.all or thread["state"] != "resolved"]
    if not threads:
        which = "comments" if args.all else "unresolved comments"
        print(f"No {which} on {project}/{slug}.", file=sys.stderr)
        return EXIT_OK
    for thread in threads:
        print("\n".join(_thread_lines(data["path"], thread)))
    return EXIT_OK


def cmd_comment(client: Client, args: argparse.Namespace) -> int:
    project, slug = args.spec
    last = args.to if args.to is not None else args.line
    data = client.json(
        "POST",
        f"specs/{project}/{slug}/comments/",
        body={"body": args.message, "line_start": args.line, "line_end": last},
    )
    lines = (
        f"line {data['line_start']}"
        if data["line_start"] == data["line_end"]
        else (f"lines {data['line_start']}-{data['line_end']}")
    )
    print(
        f"Saved a draft comment on {lines} of {project}/{slug} revision {data['revision']}; "
        f"publish it with: specportal review {project}/{slug} --vote N",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_review(client: Client, args: argparse.Namespace) -> int:
    project, slug = args.spec
    data = client.json(
        "POST", f"specs/{project}/{slug}/reviews/", body={"vote": args.vote, "message": args.message}
    )
    vote = f"{data['vote']:+d}" if data["vote"] else "0"
    count = data["comment_count"]
    comments = f", with {count} comment{'s' if count != 1 else ''}" if count else ""
    print(
        f"Published your review of {project}/{slug} revision {data['revision']}: {vote}{comments}.",
        file=sys.stderr,
    )
    return EXIT_OK


def _vote(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}” is not a vote: give -2, -1, 0, +1 or +2.") from None


def _line(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"“{value}” is not a line number (1 or more).")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="specportal", description="Work with SpecPortal's specs from the command line."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--url",
        default=os.environ.get("SPECPORTAL_URL", ""),
        help="the SpecPortal site (default: $SPECPORTAL_URL)",
    )
    parser.add_argument(
        "--token",
        default=os.environ.get("SPECPORTAL_TOKEN", ""),
        help="an API token (default: $SPECPORTAL_TOKEN)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="list specs")
    listing.add_argument("--project", default="", help="only this project's specs (its slug)")
    listing.add_argument("--status", default="", help="only specs with this status (draft, in_review, ...)")
    listing.set_defaults(run=cmd_list)

    pull = commands.add_parser("pull", help="download a spec's .rst and remember its version")
    pull.add_argument("spec", type=_spec_name, metavar="PROJECT/SLUG")
    pull.add_argument("-o", "--output", help="the file to write (default: SLUG.rst)")
    pull.set_defaults(run=cmd_pull)

    push = commands.add_parser("push", help="upload a pulled .rst, unless someone changed the spec since")
    push.add_argument(
        "target",
        nargs="+",
        metavar="[PROJECT/SLUG] FILE",
        help="the spec (default: the one FILE was pulled from)",
    )
    push.set_defaults(run=cmd_push)

    clone = commands.add_parser(
        "clone", help="write every spec of a project at its repository path, ready to edit and push"
    )
    clone.add_argument("project", metavar="PROJECT")
    clone.add_argument("directory", metavar="DIR")
    clone.set_defaults(run=cmd_clone)

    patch = commands.add_parser("patch", help="download a git format-patch adding the spec's file")
    patch.add_argument("spec", type=_spec_name, metavar="PROJECT/SLUG")
    patch.add_argument("-o", "--output", help="the file to write (default: standard output)")
    patch.set_defaults(run=cmd_patch)

    comments = commands.add_parser(
        "comments", help="list a spec's unresolved comments as FILE:LINE (lines of the latest revision)"
    )
    comments.add_argument("spec", type=_spec_name, metavar="PROJECT/SLUG")
    comments.add_argument("--all", action="store_true", help="resolved threads too")
    comments.set_defaults(run=cmd_comments)

    comment = commands.add_parser(
        "comment", help="add a draft comment on lines of the latest revision (published by review)"
    )
    comment.add_argument("spec", type=_spec_name, metavar="PROJECT/SLUG")
    comment.add_argument("--line", type=_line, required=True, metavar="N", help="the first line")
    comment.add_argument("--to", type=_line, metavar="M", help="the last line (default: N)")
    comment.add_argument("-m", "--message", required=True, help="the comment")
    comment.set_defaults(run=cmd_comment)

    review = commands.add_parser(
        "review", help="publish a review (vote and message) with your draft comments"
    )
    review.add_argument("spec", type=_spec_name, metavar="PROJECT/SLUG")
    review.add_argument("--vote", type=_vote, required=True, metavar="N", help="-2, -1, 0, +1 or +2")
    review.add_argument("-m", "--message", default="", help="the review's message")
    review.set_defaults(run=cmd_review)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.url:
        parser.print_usage(sys.stderr)
        print("specportal: error: give the site with --url or SPECPORTAL_URL.", file=sys.stderr)
        return EXIT_USAGE
    client = Client(args.url, args.token)
    try:
        return args.run(client, args)
    except CommandError as error:
        print(f"specportal: {error}", file=sys.stderr)
    except ApiError as error:
        hint = " Set SPECPORTAL_TOKEN or --token." if error.status == 401 else ""
        print(f"specportal: {error.message}{hint}", file=sys.stderr)
    except KeyboardInterrupt:
        print("specportal: interrupted.", file=sys.stderr)
    return EXIT_ERROR

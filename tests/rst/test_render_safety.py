"""Untrusted RST cannot read files, fetch URLs, inject markup or scripts, or hang the server."""

from __future__ import annotations

import base64
import html
import http.server
import os
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docutils.parsers.rst import Parser

from specs_app.rst import render as render_module
from specs_app.rst.html import SpecTranslator
from specs_app.rst.render import DEFAULT_TIME_LIMIT, parse, render, render_in_process
from specs_app.rst.results import RenderResult
from specs_app.rst.safety import MAX_SPEC_CHARACTERS
from specs_app.rst.sandbox import RenderSandbox
from tests.helpers import corpus_path

SECRET = "s3cr3t-marker-5f2a"
# A limit for renders that must finish: far above what they need on any
# machine, so a busy one passes too. How fast they are is bench/'s business.
GENEROUS = 120.0
# Registers ".. hang-forever::" in a sandbox's workers: a render that can never finish.
HOOKS = ["tests.rst.render_hooks"]
NEVER_FINISHES = "Before.\n\n.. hang-forever::\n\nAfter.\n"


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(f"{SECRET}\n")
    return path


def _messages(result: RenderResult) -> str:
    return "\n".join(diagnostic.message for diagnostic in result.diagnostics)


def _assert_secret_absent(result: RenderResult) -> None:
    encoded = base64.b64encode(f"{SECRET}\n".encode()).decode()
    assert SECRET not in result.html
    assert encoded[:12] not in result.html
    assert SECRET not in _messages(result)


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def _attributes(markup: str) -> list[tuple[str, str, str]]:
    parser = _Attributes()
    parser.feed(markup)
    return parser.attributes


def _urls(markup: str) -> list[str]:
    return [value for _, name, value in _attributes(markup) if name in ("href", "src")]


# --- files -------------------------------------------------------------------------------------


@pytest.mark.parametrize("options", ["", "   :literal:\n", "   :code: python\n"])
def test_it_refuses_file_inclusion(secret_file: Path, options: str) -> None:
    result = render(f"Before.\n\n.. include:: {secret_file}\n{options}\nAfter.\n")

    _assert_secret_absent(result)
    assert "File inclusion is disabled here" in _messages(result)
    assert [d.line for d in result.diagnostics] == [3]
    assert "After." in result.html


def test_it_refuses_to_include_etc_passwd() -> None:
    result = render(".. include:: /etc/passwd\n\n.. include:: /etc/passwd\n   :literal:\n")

    assert "root:" not in result.html
    assert _messages(result).count("File inclusion is disabled here") == 2


def test_it_refuses_raw_html() -> None:
    result = render(".. raw:: html\n\n   <script>alert(1)</script>\n\nText.\n")

    assert "<script" not in result.html
    assert "alert(1)" not in result.html
    assert "Raw HTML is disabled here" in _messages(result)


@pytest.mark.parametrize(
    "text",
    [
        ".. role:: x(raw)\n   :format: html\n\n:x:`<script>alert(1)</script>`\n",
        ".. default-role:: raw\n\n`<script>alert(1)</script>`\n",
        ".. role:: y(raw)\n   :format: html latex\n\nText :y:`<img src=x onerror=alert(1)>`.\n",
    ],
)
def test_it_refuses_raw_based_roles(text: str) -> None:
    result = render(text)

    assert "<script" not in result.html and "<img" not in result.html
    assert "Raw HTML is disabled here" in _messages(result)


def test_it_reads_no_file_named_by_csv_table_or_raw(secret_file: Path) -> None:
    text = (
        f".. csv-table:: Data\n   :file: {secret_file}\n\n"
        f".. raw:: html\n   :file: {secret_file}\n\n"
        f".. csv-table:: Relative\n   :file: {secret_file.name}\n"
    )

    result = render(text)

    _assert_secret_absent(result)
    assert _messages(result).count("File inclusion is disabled here") == 2
    assert "Raw HTML is disabled here" in _messages(result)


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = f"a,b\n{SECRET},2\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[tuple[str, list[str]]]:
    requests: list[str] = []
    handler = type("Handler", (_CountingHandler,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def test_local_server_fixture_counts_requests(local_server: tuple[str, list[str]]) -> None:
    import urllib.request

    base, requests = local_server
    with urllib.request.urlopen(f"{base}/probe") as response:
        assert SECRET in response.read().decode()
    assert requests == ["/probe"]


def test_it_fetches_no_url(local_server: tuple[str, list[str]]) -> None:
    base, requests = local_server
    text = (
        f".. csv-table:: Remote\n   :url: {base}/table.csv\n\n"
        f".. raw:: html\n   :url: {base}/raw.html\n\n"
        f".. image:: {base}/image.png\n   :scale: 50\n   :loading: embed\n\n"
        f".. figure:: {base}/figure.png\n   :scale: 50\n\n   Caption.\n"
    )

    for result in (render(text), render_in_process(text)):
        assert requests == []
        _assert_secret_absent(result)
        assert "File inclusion is disabled here" in _messages(result)
        assert "Raw HTML is disabled here" in _messages(result)
        assert f'src="{base}/image.png"' in result.html  # linked for the browser, not fetched


def test_it_does_not_read_an_image_to_embed_it(secret_file: Path) -> None:
    result = render(
        f".. image:: {secret_file}\n   :loading: embed\n\n.. figure:: {secret_file}\n   :loading: embed\n"
    )

    _assert_secret_absent(result)
    assert "data:" not in result.html
    assert "Embedding images is disabled here" in _messages(result)


def test_its_translator_ignores_an_embed_request_even_without_the_directive(
    secret_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the translator read a file")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr(Path, "read_text", no_reading)
    for uri, shown in ((str(secret_file), False), ("https://example.com/picture.png", True)):
        document = parse(".. image:: https://example.com/picture.png\n").doctree
        image = next(iter(document.findall(lambda node: node.tagname == "image")))
        image["uri"] = uri
        image["loading"] = "embed"
        image["scale"] = 50

        translator = SpecTranslator(document)
        document.walkabout(translator)
        written = "".join(translator.body)

        assert "data:" not in written
        assert (f'src="{uri}"' in written) is shown


# --- links and images --------------------------------------------------------------------------


HOSTILE_URLS = (
    "`click <javascript:alert(1)>`_\n\n"
    "`upper <JaVaScRiPt:alert(2)>`_\n\n"
    "`data <data:text/html;base64,PHNjcmlwdD5hbGVydCgzKTwvc2NyaXB0Pg==>`_\n\n"
    "`vb <vbscript:msgbox(4)>`_\n\n"
    "Bare javascript:alert(5) and a named link_.\n\n"
    ".. _link: javascript:alert(6)\n\n"
    ".. image:: javascript:alert(7)\n\n"
    ".. image:: data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoOCk+\n\n"
    ".. image:: https://example.com/ok.png\n   :target: javascript:alert(9)\n\n"
    "Substituted |pic|.\n\n"
    ".. |pic| image:: data:image/png;base64,AAAA\n\n"
    "`fine <https://example.com/>`_, `mail <mailto:a@example.com>`_, `anchor <#section>`_.\n"
)


def test_it_removes_javascript_and_data_links_and_images() -> None:
    result = render(HOSTILE_URLS)

    urls = _urls(result.html)
    assert "https://example.com/" in urls and "mailto:a@example.com" in urls
    assert "https://example.com/ok.png" in urls
    for url in urls:
        scheme = html.unescape(url).split(":", 1)[0].lower() if ":" in url else ""
        assert scheme in ("", "http", "https", "mailto"), url
    assert "<script" not in result.html and "onload" not in result.html
    assert _messages(result).count("Link removed") == 7
    assert _messages(result).count("Image removed") == 3


def test_it_does_not_load_images_from_relative_urls() -> None:
    result = render(".. image:: /logout\n\n.. image:: //evil.example/x.png\n\nText.\n")

    assert "<img" not in result.html
    assert _messages(result).count("Image removed") == 2


def test_it_keeps_no_event_handler_or_style_injection() -> None:
    text = (
        '`x <https://example.com/" onmouseover="alert(1)>`_\n\n'
        ".. class:: hidden\n\nHidden?\n\n"
        ".. container:: modal-backdrop\n\n   Spoofed.\n\n"
        ".. image:: https://example.com/a.png\n   :width: 100px\n   :align: center\n"
    )

    result = render(text)

    assert not [name for _, name, _ in _attributes(result.html) if name.startswith("on")]
    assert "hidden" not in result.html and "modal-backdrop" not in result.html
    assert 'style="width:100px"' in result.html
    assert 'class="align-center"' in result.html


# --- configuration -----------------------------------------------------------------------------


def test_it_ignores_a_docutils_conf_in_the_working_directory(
    tmp_path: Path, secret_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = (
        "[general]\nraw_enabled: yes\nfile_insertion_enabled: yes\nid_prefix: pwned-\n"
        "[html writers]\ninitial_header_level: 6\n"
    )
    (tmp_path / "docutils.conf").write_text(config)
    monkeypatch.setenv("DOCUTILSCONFIG", str(tmp_path / "docutils.conf"))
    monkeypatch.chdir(tmp_path)
    text = (
        f".. raw:: html\n\n   <script>alert(1)</script>\n\n.. include:: {secret_file.name}\n\n"
        "Title\n=====\n\nSection\n-------\n\nText.\n"
    )

    for result in (render(text), render_in_process(text)):
        assert "<script" not in result.html
        _assert_secret_absent(result)
        assert "pwned-" not in result.html and "<h6" not in result.html
        assert 'id="rst-section"' in result.html
    assert "pwned-" not in str(parse(text).doctree.settings.id_prefix)


# --- size, depth and time ----------------------------------------------------------------------


def _exponential_substitutions(levels: int = 20, separator: str = " ") -> str:
    lines = [".. |a0| replace:: boom"]
    lines += [f".. |a{i}| replace:: |a{i - 1}|{separator}|a{i - 1}|" for i in range(1, levels + 1)]
    return "\n".join([*lines, "", f"Text |a{levels}| end."]) + "\n"


@pytest.mark.parametrize("separator", [" ", "\\ "])
def test_it_stops_exponential_substitutions_and_says_so(separator: str) -> None:
    result = render(_exponential_substitutions(separator=separator), time_limit=GENEROUS)

    assert result.complete
    messages = [d for d in result.diagnostics if "Substitutions expand too much" in d.message]
    assert len(messages) == 1 and messages[0].level == 3 and messages[0].line is not None
    assert result.html.count("boom") < 5_000


def test_it_still_expands_ordinary_substitutions() -> None:
    result = render(".. |name| replace:: SpecPortal\n.. |both| replace:: |name| and |name|\n\nSee |both|.\n")

    assert "See SpecPortal and SpecPortal." in result.html
    assert result.diagnostics == []


@pytest.mark.parametrize(
    "text",
    [
        "".join(" " * depth + "quote\n\n" for depth in range(300)),
        "".join("  " * depth + "* item\n\n" for depth in range(300)),
        "".join("   " * depth + "1. item\n\n" for depth in range(300)),
    ],
    ids=["block-quotes", "bullet-lists", "enumerated-lists"],
)
def test_it_survives_300_levels_of_nesting(text: str) -> None:
    result = render(text, time_limit=GENEROUS)

    assert not result.complete
    assert "nested too deeply" in _messages(result)
    assert result.diagnostics[-1].line is not None
    assert "quote" in result.html or "item" in result.html  # shown as written, not an empty preview
    parsed = parse(text)  # in this process too: the RecursionError is caught
    assert not parsed.complete and "nested too deeply" in parsed.diagnostics[-1].message


def test_it_refuses_a_20000_character_line_with_its_line_number() -> None:
    result = render("Title\n=====\n\n" + "word " * 4_000 + "\n")

    assert [(d.level, d.line) for d in result.diagnostics] == [(3, 4)]
    assert "Line 4 is 20,000 characters long" in result.diagnostics[0].message


def test_it_refuses_a_body_over_the_size_limit_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed a text over the size limit")

    monkeypatch.setattr(Parser, "parse", must_not_parse)
    monkeypatch.setattr(RenderSandbox, "render", must_not_parse)
    text = "word " * (MAX_SPEC_CHARACTERS // 5 + 1)

    for result in (render(text), render_in_process(text)):
        assert not result.complete and result.html == ""
        assert result.diagnostics[0].level == 4
        assert f"{MAX_SPEC_CHARACTERS:,}" in result.diagnostics[0].message
    assert not parse(text).complete


def _heavy_legit_spec() -> str:
    """Real specs one after another, up to the size limit: legitimate, and the slowest text allowed."""
    corpus = sorted(
        path
        for name in ("cinder-specs", "manila-specs")
        for path in corpus_path(name, "specs").glob("*/*.rst")
    )
    assert len(corpus) > 200
    parts: list[str] = []
    size = 0
    for path in corpus:
        text = path.read_text()
        if size + len(text) > MAX_SPEC_CHARACTERS - 1:
            break
        parts.append(text)
        size += len(text)
    return "".join(parts)


@pytest.fixture(scope="module")
def hooked_sandbox() -> Iterator[RenderSandbox]:
    sandbox = RenderSandbox(preload=HOOKS)
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.close()


def test_the_time_limit_kills_a_render_that_never_finishes(hooked_sandbox: RenderSandbox) -> None:
    assert hooked_sandbox.render("Warm.\n", time_limit=GENEROUS).complete
    [worker] = hooked_sandbox.worker_pids

    result = hooked_sandbox.render(NEVER_FINISHES, time_limit=0.5)

    assert not result.complete and result.html == ""
    assert [d.message for d in result.diagnostics] == [
        "Rendering took longer than 0.5 seconds and was stopped."
    ]
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)
    assert worker not in hooked_sandbox.worker_pids
    assert hooked_sandbox.render("Still *works*.\n", time_limit=GENEROUS).html == (
        '<p data-line="1">Still <em>works</em>.</p>\n'
    )


def test_render_stops_at_the_default_limit(
    hooked_sandbox: RenderSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render_module, "default_sandbox", lambda: hooked_sandbox)

    result = render(NEVER_FINISHES)

    assert not result.complete
    assert _messages(result) == f"Rendering took longer than {DEFAULT_TIME_LIMIT:g} seconds and was stopped."
    assert render("Next.\n").html == '<p data-line="1">Next.</p>\n'


def test_the_largest_allowed_spec_renders_completely() -> None:
    """Completely, not within the default limit: that is a speed, measured in bench/."""
    text = _heavy_legit_spec()
    assert len(text) > MAX_SPEC_CHARACTERS * 0.9

    result = render(text, time_limit=GENEROUS)

    assert result.complete
    assert result.html.count("<section") > 200


def test_it_rejects_a_non_positive_time_limit() -> None:
    with pytest.raises(ValueError):
        render("x", time_limit=0)

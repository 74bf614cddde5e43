"""A pool of N render workers renders N texts at once; a person's next text goes where their last went."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from specs_app.rst.sandbox import RenderSandbox

# Far above what these renders need on any machine (the rendezvous gives up after a minute).
GENEROUS = 120.0


@pytest.fixture
def pool() -> Iterator[RenderSandbox]:
    # With the test-only directives: ".. rendezvous::" and ".. worker-pid::".
    sandbox = RenderSandbox(workers=2, preload=["tests.rst.render_hooks"])
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.close()


def test_two_renders_are_in_flight_at_once_in_a_pool_of_two(pool: RenderSandbox, tmp_path: Path) -> None:
    # Each render waits inside its worker until both have started: they finish only if they ran together.
    def render_waiting_for_the_other(number: int) -> str:
        text = f"Person {number}.\n\n.. rendezvous:: {tmp_path} 2\n"
        return pool.render(text, time_limit=GENEROUS).html

    with ThreadPoolExecutor(max_workers=2) as threads:
        first, second = threads.map(render_waiting_for_the_other, (1, 2))

    assert "2 met" in first and "Person 1." in first
    assert "2 met" in second and "Person 2." in second
    assert len(pool.worker_pids) == 2


def _pid_in(html: str) -> str:
    return html.split("worker ", 1)[1].split("<", 1)[0]


def test_an_edit_goes_to_the_worker_that_rendered_the_text_before_it(
    pool: RenderSandbox, tmp_path: Path
) -> None:
    texts = {
        person: f"{person}'s spec\n{'=' * 20}\n\n.. worker-pid::\n\n{person} writes a paragraph.\n\n"
        f".. rendezvous:: {tmp_path} 2\n"
        for person in ("Ann", "Bob")
    }
    with ThreadPoolExecutor(max_workers=2) as threads:  # in flight together, so in different workers
        htmls = threads.map(lambda text: pool.render(text, time_limit=GENEROUS).html, texts.values())
        first = dict(zip(texts, htmls, strict=True))
    assert _pid_in(first["Ann"]) != _pid_in(first["Bob"])

    for person in ("Bob", "Ann", "Bob"):  # one at a time: either worker is free each time
        edited = texts[person].replace("writes a", "writes one more")
        assert _pid_in(pool.render(edited, time_limit=GENEROUS).html) == _pid_in(first[person])

"""Incremental preview: after an edit, re-render only what changed, with the whole render's result.

docutils renders a text from scratch; a preview re-renders the whole spec on
every pause in typing. :class:`IncrementalRenderer` keeps the last few
renders in pieces (:class:`~.state.State`) and renders a text that differs
from one of them inside one run of elements of a section by parsing only
those lines again, from the state the parse was in where they start, and
running the transforms, the writer and the gate as a whole render would
(:mod:`.recording`, :mod:`.skeleton`, :mod:`.writing`, :mod:`.state`). The HTML,
diagnostics and gate findings are the same as
:func:`~specs_app.rst.render.render_in_process` gives for the text, byte
for byte; whenever that cannot be shown for an edit (a heading changed,
a name defined or dropped, a document-wide directive, the first edit of a
part that does not render apart on the old text), the text is rendered
whole. The render workers use one renderer each
(:mod:`specs_app.rst.worker`); ``tests/rst/test_incremental_preview.py``
compares it with whole renders on every spec of the corpus.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter

from ..gate_rules import GateRules
from ..parse import normalise, refusal
from ..render import render_in_process
from ..results import RenderResult
from ..text_ends import common_ends
from .recording import Abort
from .state import State, render_recorded

__all__ = ["CAPACITY", "IncrementalRenderer"]

logger = logging.getLogger(__name__)

# Renders kept to edit from: a spec's last render per person typing, roughly. The largest spec's
# state is a few megabytes; a worker's memory limit leaves room for many more.
CAPACITY = 4


class IncrementalRenderer:
    """Renders texts as :func:`~specs_app.rst.render.render_in_process` does, re-rendering only edits.

    Thread-safe (one render at a time). ``counts`` tells how each render went:
    ``"whole"``, ``"same"`` (an unchanged text), ``"edit"``, or ``"whole: <why>"``
    for an edit rendered whole.
    """

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self.counts: Counter[str] = Counter()
        self._states: list[State] = []
        self._lock = threading.Lock()

    def render(self, text: str, *, rules: GateRules | None = None) -> RenderResult:
        with self._lock:
            return self._render(text, rules)

    def _render(self, raw: str, rules: GateRules | None) -> RenderResult:
        text = normalise(raw)
        if refusal(text) is not None:
            return render_in_process(raw, rules=rules)
        state = max(self._states, key=lambda state: common_ends(state.text, text), default=None)
        if state is not None:
            try:
                if state.text == text:
                    result = state.result(raw, rules)
                    self.counts["same"] += 1
                else:
                    result = state.edit(raw, text, rules)
                    self.counts["edit"] += 1
                self._states.remove(state)
                self._states.insert(0, state)
                return result
            except Abort as why:  # nothing changed: the state still holds its own text
                self.counts[f"whole: {why}"] += 1
            except (RecursionError, MemoryError):  # the whole render reports these, at their line
                self.counts["whole: too deep or too large"] += 1
            except Exception:  # a bug here must cost only speed: render whole
                logger.exception("an incremental render failed; rendering the text whole")
                self.counts["whole: failed"] += 1
            if state.broken:  # the failure came while the state took the edit in
                self._states.remove(state)
        else:
            self.counts["whole"] += 1
        try:
            result, new_state = render_recorded(raw, rules)
        except Abort:  # never raised by design; the text still gets its whole render
            logger.exception("recording a whole render failed")
            return render_in_process(raw, rules=rules)
        if new_state is not None:
            self._states.insert(0, new_state)
            del self._states[self.capacity :]
        return result

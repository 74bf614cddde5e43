"""How alike two texts are at their ends: what an edit in the middle leaves unchanged.

Plain Python, without docutils: the render pool (:mod:`specs_app.rst.sandbox`)
uses it to send a text to the worker that rendered a similar one, and the
incremental renderer (:mod:`specs_app.rst.incremental`) to pick the render
to edit from.
"""

from __future__ import annotations


def common_ends(old: str, new: str) -> int:
    """How many characters ``old`` and ``new`` share at their start and end, together."""
    low, high = 0, min(len(old), len(new))
    while low < high:  # longest common prefix, by halving (each comparison is one C call)
        middle = (low + high + 1) // 2
        if old[:middle] == new[:middle]:
            low = middle
        else:
            high = middle - 1
    prefix = low
    low, high = 0, min(len(old), len(new)) - prefix
    while low < high:
        middle = (low + high + 1) // 2
        if old[len(old) - middle :] == new[len(new) - middle :]:
            low = middle
        else:
            high = middle - 1
    return prefix + low

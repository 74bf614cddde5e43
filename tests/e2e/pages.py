"""What the end-to-end tests do in a page that Playwright has no one call for."""

from __future__ import annotations

import os
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def screenshot(page, name: str) -> None:
    """Write docs/screenshots/<name>.png, only when SPECPORTAL_SCREENSHOTS=1 (they are committed files)."""
    if os.environ.get("SPECPORTAL_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def select_text(page, selector: str, text: str) -> None:
    """Select ``text`` inside the element at ``selector`` as a mouse would, and release the button."""
    page.locator(selector).first.wait_for()
    found = page.evaluate(
        """([selector, text]) => {
            const root = document.querySelector(selector);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(text);
                if (at === -1) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + text.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                const box = range.getBoundingClientRect();
                node.parentElement.dispatchEvent(new MouseEvent("mouseup", {
                    bubbles: true, clientX: box.right, clientY: box.bottom,
                }));
                return true;
            }
            return false;
        }""",
        [selector, text],
    )
    assert found, f"{text!r} is not in {selector}"

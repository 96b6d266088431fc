"""Headless Chromium for what a person sees: PDF printing of the reports, and the page checks the
tests run (console errors, requests leaving the file, images, overflow, links).

Chromium is Debian's package (``/usr/bin/chromium``), driven through Playwright without its own
browser download.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from kamlib.core.errors import KamError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str:
    """The Chromium executable, or a :class:`KamError` saying how to install it."""
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    raise KamError("--pdf", "Chromium (apt-get install chromium, or make browser)", "none on PATH")


@contextmanager
def browser() -> Iterator:
    """A headless Chromium for the duration of the block."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise KamError("--pdf", "the Python package playwright (make setup)", "none") from None
    executable = find_chromium()
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield instance
        finally:
            instance.close()

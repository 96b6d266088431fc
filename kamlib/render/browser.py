"""Headless Chromium for what a person sees: PDF printing of the reports, and the page checks the
tests run (console errors, requests leaving the file, images, overflow, links).

Chromium is Debian's package (``/usr/bin/chromium``), driven through Playwright without its own
browser download.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress

from kamlib.core.errors import KamError, quote

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
    """The Chromium executable, or a :class:`KamError` saying how to install it (or that the
    temporary folder it needs is missing: Python falls back to another, Chromium does not)."""
    temporary = os.environ.get("TMPDIR")
    if temporary and not os.path.isdir(temporary):
        raise KamError(
            "TMPDIR",
            "a folder that exists, for Chromium's temporary files (create it, or unset TMPDIR)",
            quote(temporary),
        )
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    raise KamError("--pdf", "Chromium (apt-get install chromium, or make browser)", "none on PATH")


CRASHED = (
    "Chromium to start and print (it cannot under a tight memory limit such as ulimit -v: "
    "lift the limit, or render without --pdf)"
)


@contextmanager
def browser() -> Iterator:
    """A headless Chromium for the duration of the block; Chromium (or Playwright's driver)
    failing to start, or crashing while it prints, is one line naming it, not its log."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise KamError("--pdf", "the Python package playwright (make setup)", "none") from None
    executable = find_chromium()
    with ExitStack() as stack:
        try:
            playwright = stack.enter_context(sync_playwright())
            instance = playwright.chromium.launch(executable_path=executable, args=ARGS)
        except Exception as exc:  # the driver's own failure is a bare Exception
            raise KamError(executable, CRASHED, quote(str(exc).strip().splitlines()[0])) from None
        try:
            yield instance
        except Error as exc:
            raise KamError(executable, CRASHED, quote(str(exc).strip().splitlines()[0])) from None
        finally:
            with suppress(Error):
                instance.close()

"""Headless Chromium for what a person sees: PDF printing of the reports, and the page checks the
tests run (console errors, requests leaving the file, images, overflow, links).

Chromium is Debian's package (``/usr/bin/chromium``), driven through Playwright without its own
browser download.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


HEADER = (
    '<div style="font-size:7pt;width:100%;padding:0 12mm;color:#52606d;'
    'font-family:sans-serif;display:flex;justify-content:space-between">'
    "<span>{left}</span><span>{right}</span></div>"
)
FOOTER = (
    '<div style="font-size:7pt;width:100%;padding:0 12mm;color:#52606d;'
    'font-family:sans-serif;text-align:right">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def print_pdfs(pages: list[Path], header_left: str, header_right: str, chromium=None) -> list[Path]:
    """Print each HTML page to a PDF beside it (A4, print CSS, a header with the client and the
    report's title, page numbers in the footer). The header text is escaped. ``chromium``: an
    open :func:`browser` to reuse."""
    if chromium is None:
        with browser() as opened:
            return print_pdfs(pages, header_left, header_right, opened)
    import html

    header = HEADER.format(left=html.escape(header_left), right=html.escape(header_right))
    written = []
    page = chromium.new_page()
    for source in pages:
        page.goto(source.resolve().as_uri(), wait_until="load")
        target = source.with_suffix(".pdf")
        page.pdf(
            path=str(target),
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template=header,
            footer_template=FOOTER,
            margin={"top": "16mm", "bottom": "14mm", "left": "12mm", "right": "12mm"},
        )
        written.append(target)
    page.close()
    return written

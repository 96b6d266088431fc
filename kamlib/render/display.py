"""What a notebook shows: tables, findings, notes, through IPython's display. Every user value is
escaped; formats come from the :class:`~kamlib.core.table.Table`."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from kamlib.core.i18n import Words
from kamlib.core.notes import Note
from kamlib.core.table import Table, to_html

LEAVE_OUT = "kam_leave_out"
"""The metadata flag of an output that stands for a section the report leaves out."""


def _display(data: dict, metadata: dict | None = None) -> None:
    from IPython.display import display

    display(data, metadata=metadata, raw=True)


def show_html(markup: str) -> None:
    """Display trusted markup built by kamlib (every user value already escaped)."""
    _display({"text/html": markup, "text/plain": re.sub(r"<[^>]+>", "", markup)})


def show_findings(findings: Iterable[str]) -> None:
    """Display sentences as a list; the text is escaped, never interpreted."""
    items = "".join(f"<li>{html.escape(f)}</li>" for f in findings)
    show_html(f'<ul class="kam-findings">{items}</ul>')


def show_table(tab: Table) -> None:
    """Display a table, or its ``empty`` line when it has no rows; a table without rows that
    ``leave_out`` shows that line in the notebook only, flagged so that the report leaves its
    section out."""
    if not len(tab):
        if tab.leave_out:
            _display({"text/plain": tab.empty}, {LEAVE_OUT: True})
        elif tab.empty:
            show_html(f'<p class="kam-note">{html.escape(tab.empty)}</p>')
        return
    show_html(to_html(tab))


def show_notes(notes: Iterable[Note], words: Words) -> None:
    """Display an analysis' data-quality notes (or that there are none)."""
    texts = [n.text(words) for n in notes]
    if not texts:
        show_html(f'<p class="kam-ok">{html.escape(words("no_warnings"))}</p>')
        return
    items = "".join(f"<li>{html.escape(text)}</li>" for text in texts)
    show_html(f'<ul class="kam-warnings">{items}</ul>')


def setup_notebook(words: Words | None = None) -> None:
    """Chart style (the fonts of the report's language) and crisp inline images; call once at
    the top of a notebook."""
    from kamlib.core.charts import use_style

    use_style(words)
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("retina")
    except ImportError:  # outside IPython nothing is displayed inline
        pass

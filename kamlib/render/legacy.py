"""TRANSITIONAL: the display of analyses not yet on the contract (frames of strings, warnings as
text). Removed once every analysis returns :class:`~kamlib.core.table.Table` and notes."""

from __future__ import annotations

import html
import re

import pandas as pd

from kamlib.core.i18n import t
from kamlib.render.display import show_html

# cells that open with a traffic-light word are coloured
RAG_CLASSES = {
    "红": "rag-red",
    "red": "rag-red",
    "暂缓": "rag-red",
    "no-go": "rag-red",
    "黄": "rag-amber",
    "amber": "rag-amber",
    "绿": "rag-green",
    "green": "rag-green",
    "推进": "rag-green",
    "go": "rag-green",
}
_NUMERIC = re.compile(r"^[−+\-]?[\d,.]+%?$|^—$")


def table_html(frame: pd.DataFrame) -> str:
    """A frame as an HTML table without its index; cells escaped, numeric columns right-aligned."""
    numeric = [
        bool(len(frame)) and frame[c].astype(str).str.match(_NUMERIC).all() for c in frame.columns
    ]
    long = [bool(len(frame)) and frame[c].astype(str).str.len().max() > 24 for c in frame.columns]

    def cls(i: int, value: object = None) -> str:
        rag = RAG_CLASSES.get(str(value).split(" ")[0]) if value is not None else None
        if rag:
            return f' class="{rag}"'
        return ' class="num"' if numeric[i] else ' class="wrap"' if long[i] else ""

    head = "".join(f"<th{cls(i)}>{html.escape(str(c))}</th>" for i, c in enumerate(frame.columns))
    rows = "".join(
        "<tr>"
        + "".join(f"<td{cls(i, v)}>{html.escape(str(v))}</td>" for i, v in enumerate(row))
        + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f'<table class="kam-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def show_frame(frame: pd.DataFrame, caption: str | None = None, empty: str = "") -> None:
    """Display a table without its index; cells are escaped. An empty frame shows ``empty``."""
    if frame.empty:
        show_html(f'<p class="kam-note">{html.escape(empty)}</p>')
        return
    markup = table_html(frame)
    if caption:
        markup = f'<p class="kam-caption">{html.escape(caption)}</p>' + markup
    show_html(markup)


def report_frame(columns: dict[str, list]) -> pd.DataFrame:
    """A one-or-more-column table from lists (e.g. a list of actions under its heading)."""
    return pd.DataFrame(columns)


def show_warnings(warnings: list[str] | tuple[str, ...], language: str) -> None:
    """Display the data-quality warnings of an analysis (or that there are none)."""
    if not warnings:
        show_html(f'<p class="kam-ok">{html.escape(t("no_warnings", language))}</p>')
        return
    items = "".join(f"<li>{html.escape(w)}</li>" for w in warnings)
    show_html(f'<ul class="kam-warnings">{items}</ul>')

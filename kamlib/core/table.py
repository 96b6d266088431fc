"""Tables that keep their values: a frame of raw values plus how each column is shown.

A view returns a :class:`Table`; formatting (numbers, money, percent, the missing-value dash),
alignment and colour are applied here, once, for every output (HTML today, a workbook or slides
tomorrow read the same values and formats).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kamlib.core.i18n import MISSING, SPECS, Words

NUMERIC = frozenset(
    {"num", "num0", "num1", "num2", "num3", "int", "signed", "pct", "pct1", "money"}
)
"""Formats of numbers: right-aligned in HTML, numbers in a workbook."""

RAG = {"red": "rag_red", "amber": "rag_amber", "green": "rag_green"}
"""A traffic-light column holds ``red``, ``amber`` or ``green``; shown in the report's words."""
GO = {True: "go", False: "no_go", "no_data": "no_plan_data"}
"""A verdict column holds ``True`` (go), ``False`` (no-go), ``no_data`` (no plan data yet) or
nothing (no verdict); go is green, no-go red."""
GO_CLASS = {True: "rag-green", False: "rag-red"}

FORMATS = NUMERIC | {"text", "rag", "rag_score", "go", "star", "range", "list"}


@dataclass(frozen=True)
class Column:
    """One column of a :class:`Table`: its key in the frame, its heading and its format."""

    key: str
    label: str
    format: str = "text"

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"column {self.key!r}: unknown format {self.format!r}")


@dataclass(frozen=True)
class Table:
    """A table of a report: values, columns, and the words to show them with.

    Attributes
    ----------
    frame
        The values, one column per :class:`Column` key (numbers stay numbers).
    columns
        Heading and format of each column, in display order.
    words
        The report's language and currency.
    caption
        A line above the table.
    empty
        What to show instead of a table without rows.
    leave_out
        Whether a table without rows means the data behind it were not given (no scorecard, no
        wallet data): the report then leaves its whole section out, heading included, instead
        of a section that only says so.
    totals
        The keys of the columns that add up (revenue, customers, shares of a whole): a
        workbook sheet ends with their totals.
    total_rows
        How many leading rows the totals cover (the customers in tiers, listed first); ``None``:
        every row.
    total_label
        What the totals row says it is, when it covers fewer rows than the table has.
    keep
        The keys of the decisive columns (rank, total, selected): a table too wide for a printed
        page is split into column groups, each with the first column and these.
    key_header
        Whether its CSV file's header is the column keys (a data file for other tools, e.g.
        ``customers.csv``), not the report's headings.
    """

    frame: pd.DataFrame
    columns: tuple[Column, ...]
    words: Words
    caption: str = ""
    empty: str = ""
    name: str = field(default="")
    leave_out: bool = False
    totals: tuple[str, ...] = ()
    total_rows: int | None = None
    total_label: str = ""
    keep: tuple[str, ...] = ()
    key_header: bool = False

    def __post_init__(self) -> None:
        unknown = [k for k in (*self.totals, *self.keep) if k not in {c.key for c in self.columns}]
        if unknown:
            raise KeyError(f"table {self.name!r}: columns it does not show: {unknown}")

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.columns]

    def formatted(self) -> pd.DataFrame:
        """Every cell as the text the report shows, headings as labels."""
        return pd.DataFrame(
            {
                c.label: [format_cell(v, c.format, self.words) for v in self.frame[c.key]]
                for c in self.columns
            },
            index=range(len(self.frame)),
        )


def table(
    frame: pd.DataFrame,
    spec: list[tuple[str, str, str]] | list[tuple[str, str]],
    words: Words,
    *,
    caption: str = "",
    empty: str = "",
    name: str = "",
    leave_out: bool = False,
    totals: tuple[str, ...] = (),
    total_rows: int | None = None,
    total_label: str = "",
    keep: tuple[str, ...] = (),
    key_header: bool = False,
) -> Table:
    """A :class:`Table` from a frame and ``(key, label[, format])`` triples."""
    columns = tuple(Column(*item) for item in spec)
    missing = [c.key for c in columns if c.key not in frame]
    if missing:
        raise KeyError(f"table columns not in the frame: {missing}")
    return Table(
        frame.reset_index(drop=True),
        columns,
        words,
        caption=caption,
        empty=empty,
        name=name,
        leave_out=leave_out,
        totals=totals,
        total_rows=total_rows,
        total_label=total_label,
        keep=keep,
        key_header=key_header,
    )


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def format_cell(value: Any, fmt: str, words: Words) -> str:
    """One value as the report shows it; ``—`` for a missing value."""
    if fmt == "star":
        return "★" if value is True or value == 1 else ""
    if is_missing(value):
        return MISSING
    if fmt == "money":
        return words.money_cell(value)
    if fmt in SPECS:
        return SPECS[fmt](words, value)
    if fmt == "rag":
        return words(RAG[str(value)])
    if fmt == "rag_score":  # (colour, score): "红 4"
        colour, score = value
        return f"{words(RAG[str(colour)])} {SPECS['num'](words, score)}"
    if fmt == "go":
        return words(GO[value])
    if fmt == "range":
        low, high = value
        return f"{low}–{high}" if low != high else f"{low}"
    if fmt == "list":
        return words.list(value)
    return str(value)


def cell_class(value: Any, fmt: str) -> str:
    """The CSS class of a cell: numbers right-aligned, traffic lights coloured."""
    if fmt in NUMERIC:
        return "num"
    if fmt == "rag" and not is_missing(value):
        return f"rag-{value}"
    if fmt == "rag_score" and not is_missing(value):
        return f"rag-{value[0]}"
    if fmt == "go" and not is_missing(value):
        return GO_CLASS.get(value, "")
    return ""


def _head_classes(column: Column, wrap: bool, keep: bool) -> list[str]:
    kind = "num" if column.format in NUMERIC else "wrap" if wrap else ""
    return [c for c in (kind, "keep" if keep else "") if c]


def to_html(tab: Table) -> str:
    """The table as HTML without an index: every cell escaped, formats applied."""
    texts = tab.formatted()
    wrap = [
        c.format == "text" and bool(len(texts)) and texts[c.label].str.len().max() > 24
        for c in tab.columns
    ]

    def attr(css: str) -> str:
        return f' class="{css}"' if css else ""

    head = "".join(
        f"<th{attr(' '.join(_head_classes(c, w, c.key in tab.keep)))}>{html.escape(c.label)}</th>"
        for c, w in zip(tab.columns, wrap)
    )
    rows = []
    for i in range(len(tab.frame)):
        cells = []
        for c, w in zip(tab.columns, wrap):
            value = tab.frame[c.key].iloc[i]
            css = cell_class(value, c.format) or ("wrap" if w else "")
            cells.append(f"<td{attr(css)}>{html.escape(texts[c.label].iloc[i])}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    markup = (  # in its own box: a table wider than the page scrolls there, not the page
        f'<div class="kam-scroll"><table class="kam-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    if tab.caption:
        markup = f'<p class="kam-caption">{html.escape(tab.caption)}</p>' + markup
    return markup

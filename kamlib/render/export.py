"""What a report exports beside its pages, from the run's results (no notebook involved): the
workbook ``report.xlsx``, every table as CSV in ``tables/``, every chart as PNG and SVG in
``charts/``. Tables come from each analysis' ``tables`` and charts from its ``charts`` (the
registry), so a new table or chart is exported without touching this module.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kamlib.analyses.registry import REGISTRY, Analysis
from kamlib.core.config import Engagement
from kamlib.core.i18n import Words, register
from kamlib.core.table import NUMERIC, Table, format_cell, is_missing
from kamlib.run import EngagementRun

register(
    "export",
    {
        "x_about": {"zh": "目录", "en": "Contents"},
        "x_total": {"zh": "合计", "en": "Total"},
        "x_total_of": {"zh": "合计（前 {n:num} 行）", "en": "Total of the first {n:num} rows"},
        "x_contents": {"zh": "工作表目录", "en": "Sheets"},
        "x_title": {"zh": "项目", "en": "Engagement"},
        "x_sheet": {"zh": "工作表", "en": "Sheet"},
        "x_analysis": {"zh": "分析", "en": "Analysis"},
        "x_rows": {"zh": "行数", "en": "Rows"},
        "x_rows_in_csv": {
            "zh": "本表列出前 {shown:num} 行（共 {total:num} 行）；全部行在 {file}。",
            "en": "The first {shown:num} of {total:num} rows; every row is in {file}.",
        },
        "x_warning": {"zh": "数据质量提示", "en": "Data-quality note"},
        "x_method": {"zh": "方法说明", "en": "Method"},
        "x_money_unit": {"zh": "{label}（{unit}）", "en": "{label} ({unit})"},
    },
)

METHOD_WORDS = {key: a.method for key, a in REGISTRY.items() if a.method}
"""Each analysis' method in a paragraph (the workbook's Contents sheet, the slides' notes), from
the registry (``Analysis.method``); an analysis not listed has none."""

EXCEL_FORMATS = {
    "num": "#,##0.0",
    "num0": "#,##0",
    "num1": "#,##0.0",
    "num2": "#,##0.00",
    "num3": "#,##0.000",
    "int": "#,##0",
    "signed": "+#,##0.0;-#,##0.0;0.0",
    "pct": "0%",
    "pct1": "0.0%",
    "money": "#,##0",
}
"""The spreadsheet number format of each numeric table format."""
assert set(EXCEL_FORMATS) == NUMERIC
SHEET_ROWS = 10_000
"""Rows a workbook sheet lists (the customer table of a large ledger is longer): the first, in
the table's order (customers by revenue); every row is in the table's CSV file."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet would read as a formula at the start of a text cell."""
SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
ABOUT_WIDTH = 60
"""The width of the Contents sheet's text column, in characters."""


def tables(run: EngagementRun) -> Iterator[tuple[Analysis, Table]]:
    """Every table with rows of every analysis of the run, in report order."""
    for analysis in run.analyses:
        for tab in run.tables(analysis):
            if len(tab):
                yield analysis, tab


def value(raw: Any, fmt: str, words: Words) -> Any:
    """A cell as a spreadsheet holds it: a number for a numeric format, else the text the report
    shows; ``None`` for a missing value."""
    if fmt in NUMERIC:
        if is_missing(raw):
            return None
        number = float(raw)
        if not math.isfinite(number):
            return None
        return int(round(number)) if fmt in ("int", "num0") else number
    if fmt != "star" and is_missing(raw):
        return None
    return format_cell(raw, fmt, words)


def heading(column, words: Words) -> str:
    if column.format == "money":
        return words("x_money_unit", label=column.label, unit=words.money_unit)
    return column.label


def _values(values: pd.Series, fmt: str, words: Words) -> list:
    """A column's cells as :func:`value` makes them, a numeric column at once."""
    if fmt in NUMERIC:
        try:
            numbers = values.to_numpy(dtype=float, na_value=math.nan)
        except (TypeError, ValueError):
            numbers = None
        if numbers is not None:
            whole = fmt in ("int", "num0")
            finite = np.isfinite(numbers).tolist()
            cells = np.round(numbers).tolist() if whole else numbers.tolist()
            return [(int(c) if whole else c) if ok else None for c, ok in zip(cells, finite)]
    return [value(v, fmt, words) for v in values]


def frame(tab: Table) -> pd.DataFrame:
    """The table's values as exported, by column key: numbers raw, other cells as shown."""
    return pd.DataFrame(
        {c.key: _values(tab.frame[c.key], c.format, tab.words) for c in tab.columns},
        index=range(len(tab)),
        dtype=object,
    )


@dataclass(frozen=True)
class Export:
    """One exported table: its analysis, the table, its values as exported (made once for the
    workbook and the CSV files alike)."""

    analysis: Analysis
    table: Table
    data: pd.DataFrame

    @property
    def headings(self) -> list[str]:
        """As in the report, with the currency on money columns."""
        return [heading(c, self.table.words) for c in self.table.columns]


def exports(run: EngagementRun) -> list[Export]:
    """Every table with rows of the run, with its exported values."""
    return [Export(analysis, tab, frame(tab)) for analysis, tab in tables(run)]


def _inert(cell: Any) -> Any:
    """A CSV text cell that a spreadsheet would run as a formula, made plain text."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def file_stem(analysis: Analysis, tab: Table) -> str:
    return dict(analysis.table_files).get(tab.name, f"{analysis.key}.{tab.name}")


def write_tables(items: list[Export], folder: Path) -> list[Path]:
    """Every table as ``folder/<analysis>.<table>.csv`` (UTF-8 with a BOM, so that Excel opens
    Chinese text right); a table with ``key_header`` (``customers.csv``) has the column keys as
    its header."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for item in items:
        path = folder / f"{file_stem(item.analysis, item.table)}.csv"
        numeric = [c.format in NUMERIC for c in item.table.columns]
        columns = [  # column by column: a number or nothing, else text made inert
            ["" if c is None else c for c in cells]
            if number
            else ["" if is_missing(c) else _inert(c) for c in cells]
            for cells, number in zip(
                (item.data[key].tolist() for key in item.data.columns), numeric
            )
        ]
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(list(item.data.columns) if item.table.key_header else item.headings)
            out.writerows(zip(*columns))
        written.append(path)
    return written


def sheet_name(title: str, used: set[str]) -> str:
    """A table's title as a sheet name Excel takes: none of ``[]:*?/\\``, no apostrophe at
    either end, at most 31 characters, unique (a second "Targets" is "Targets~2")."""
    base = SHEET_CHARS.sub("_", title).strip("'")[:31] or "_"
    name, n = base, 2
    while name.casefold() in used or name.casefold() == "history":  # Excel's own
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name


def _totals(sheet, item: Export, shown: int, label_format, formats: dict) -> None:
    """The totals row under a sheet's rows: the sum of each column that adds up (a SUBTOTAL
    formula, so that a filter shows the visible rows' total; its value stored with it), over
    the rows the table's totals cover."""
    from xlsxwriter.utility import xl_range

    tab, data = item.table, item.data
    covered = len(data) if tab.total_rows is None else min(tab.total_rows, len(data))
    keys = list(data.columns)
    row = shown + 1
    label_col = next(i for i, k in enumerate(keys) if k not in tab.totals)
    label = tab.words("x_total")
    if covered < len(data):
        label = tab.total_label or tab.words("x_total_of", n=covered)
    for col in range(len(keys)):  # the rule above the totals runs the table's width
        sheet.write_blank(row, col, None, label_format)
    sheet.write_string(row, label_col, label, label_format)
    for key in tab.totals:
        col = keys.index(key)
        column = tab.columns[col]
        total = float(sum(v for v in data[key].iloc[:covered] if v is not None))
        fmt = formats[column.format]
        if covered <= shown:  # every covered row is on the sheet: a formula over them
            cells = xl_range(1, col, covered, col)
            sheet.write_formula(row, col, f"=SUBTOTAL(109,{cells})", fmt, total)
        else:
            sheet.write_number(row, col, total, fmt)


def sheet_key(run: EngagementRun, item: Export) -> str | None:
    """What a table's sheet depends on: its analysis' result, the table, the report's words;
    ``None`` for a result without a key (a run outside a render): such a sheet is never kept."""
    from kamlib.render.cache import digest

    words = item.table.words
    key = run.keys.get(item.analysis.key)
    if not key:
        return None
    return digest("sheet", key, item.table.name, words.language, words.currency, SHEET_ROWS)


def write_workbook(
    eng: Engagement, run: EngagementRun, path: Path, items: list[Export], kept=None
) -> int:
    """``report.xlsx``: a Contents sheet (the engagement, a contents list of the sheets, each
    analysis' method in a paragraph, every data-quality note), then one sheet per table: numbers
    as numbers with their number format, frozen header, filters, column widths. Text is always
    text (never a formula or a link).

    With ``kept`` (the render's :class:`~kamlib.render.cache.Cache`), the sheet of a table whose
    analysis did not change is the previous report's, as it was written (a sheet's XML is self-
    contained: inline strings, style numbers fixed before any sheet is written), and a sheet
    written now is kept for the next render; the workbook is the same, byte for byte. Returns
    how many sheets were the previous report's."""
    import xlsxwriter

    w = run.words
    book = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "constant_memory": True,
        },
    )
    # the engagement's date, not the clock: the same inputs give the same bytes (xlsxwriter
    # dates its zip entries by this too)
    book.set_properties({"title": eng.title, "author": eng.consultant, "created": _day(eng.date)})
    bold = book.add_format({"bold": True, "bg_color": "#DDE5F0", "border": 1})
    number_formats = {fmt: book.add_format({"num_format": f}) for fmt, f in EXCEL_FORMATS.items()}
    total = {"bold": True, "top": 1}
    total_formats = {
        fmt: book.add_format({**total, "num_format": f}) for fmt, f in EXCEL_FORMATS.items()
    }
    total_label = book.add_format(total)
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    link = book.add_format({"font_color": "#1F4E79", "underline": 1})
    every = [bold, *number_formats.values(), *total_formats.values(), total_label, wrap, link]
    for fmt in every:  # style numbers in this order, whichever sheets are written now
        fmt._get_xf_index()
    about = book.add_worksheet(w("x_about"))
    sheets = []
    used = {w("x_about").casefold()}
    reused: dict[str, bytes] = {}  # zip entry → the kept sheet
    fresh: dict[str, str] = {}  # zip entry → the key it is kept under
    for n, item in enumerate(items, start=2):  # sheet1.xml is the Contents
        analysis, tab, data = item.analysis, item.table, item.data
        sheet = book.add_worksheet(sheet_name(analysis.table_title(tab.name, w), used))
        sheets.append((sheet.get_name(), analysis, tab))
        shown = data.head(SHEET_ROWS)
        entry, key = f"xl/worksheets/sheet{n}.xml", sheet_key(run, item)
        if kept is not None and key and kept.take(key, (".sheet",)):
            reused[entry] = kept.path(key, ".sheet").read_bytes()
        else:
            if key:
                fresh[entry] = key
            _sheet(sheet, item, number_formats, bold, total_label, total_formats)
        sheet.freeze_panes(1, 0)  # the workbook's own parts (filter, print titles) as well
        sheet.autofilter(0, 0, len(shown), len(data.columns) - 1)
        _print_setup(sheet, landscape=len(data.columns) > 6)
    _contents(book, about, eng, run, sheets, bold, wrap, link)
    book.close()
    _repack(path, reused)
    if kept is not None:
        with zipfile.ZipFile(path) as written:
            for entry, key in fresh.items():
                kept.path(key, ".sheet").write_bytes(written.read(entry))
    return len(reused)


def _repack(path: Path, reused: dict[str, bytes]) -> None:
    """The workbook's zip written again, entry by entry as xlsxwriter wrote it, the kept sheets
    in place of the empty ones: always, so that a render that reused sheets and one that wrote
    them all give the same bytes."""
    again = path.with_name(path.name + ".zip")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(again, "w") as out:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=item.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr, entry.create_system = item.external_attr, item.create_system
            out.writestr(entry, reused.get(item.filename) or source.read(item.filename))
    again.replace(path)


def _sheet(sheet, item: Export, number_formats, bold, total_label, total_formats) -> None:
    """A table's sheet: headings, column widths, the rows (at most :data:`SHEET_ROWS`), its
    totals, where the rest is."""
    analysis, tab, data, w = item.analysis, item.table, item.data, item.table.words
    formats = [number_formats.get(c.format) for c in tab.columns]
    for col, (key, label) in enumerate(zip(data.columns, item.headings)):  # row by row
        width = max([_width(label), *(_width(c) for c in data[key].head(500))])
        sheet.set_column(col, col, min(max(width + 2, 6), 60))
        sheet.write_string(0, col, label, bold)
    shown = data.head(SHEET_ROWS)
    for row, cells in enumerate(shown.itertuples(index=False), start=1):
        for col, (cell, fmt) in enumerate(zip(cells, formats)):
            if is_missing(cell):
                continue
            if fmt is not None:
                sheet.write_number(row, col, cell, fmt)
            else:
                sheet.write_string(row, col, str(cell))
    if tab.totals:
        _totals(sheet, item, len(shown), total_label, total_formats)
    if len(data) > len(shown):  # the rest is in the table's CSV file
        rest = w(
            "x_rows_in_csv",
            shown=len(shown),
            total=len(data),
            file=f"tables/{file_stem(analysis, tab)}.csv",
        )
        sheet.write_string(len(shown) + 3, 0, rest, bold)


def _contents(book, about, eng: Engagement, run: EngagementRun, sheets, bold, wrap, link) -> None:
    """The Contents sheet: the engagement, every sheet linked, the methods, the notes."""
    w = run.words
    rows: list[tuple[str, str]] = [
        (w("x_title"), eng.title),
        (w("prepared_for"), eng.client),
        (w("company"), eng.company),
        (w("prepared_by"), eng.consultant),
        (w("date"), str(eng.date)),
    ]
    about.set_column(0, 0, 24)
    about.set_column(1, 1, ABOUT_WIDTH)
    about.set_column(2, 2, 12)
    line = 0
    for label, text in rows:
        about.write_string(line, 0, label, bold)
        about.write_string(line, 1, str(text))
        line += 1
    line += 1
    about.write_string(line, 0, w("x_contents"), bold)
    line += 1
    for col, label in enumerate((w("x_sheet"), w("x_analysis"), w("x_rows"))):
        about.write_string(line, col, label, bold)
    for name, analysis, tab in sheets:
        line += 1
        target = name.replace("'", "''")
        about.write_url(line, 0, f"internal:'{target}'!A1", link, string=name, tip=name)
        about.write_string(line, 1, w(analysis.key) + (f" — {tab.caption}" if tab.caption else ""))
        about.write_number(line, 2, min(len(tab), SHEET_ROWS))
    line += 2
    about.write_string(line, 0, w("x_analysis"), bold)
    about.write_string(line, 1, w("x_method"), bold)
    for analysis in run.analyses:
        if analysis.key in run.results and analysis.method:
            line += 1
            about.write_string(line, 0, w(analysis.key), wrap)
            about.write_string(line, 1, w(analysis.method), wrap)
            about.set_row(line, _wrapped_height(w(analysis.method), ABOUT_WIDTH))
    line += 2
    about.write_string(line, 0, w("x_analysis"), bold)
    about.write_string(line, 1, w("x_warning"), bold)
    for analysis in run.analyses:
        if analysis.key not in run.results:
            continue
        for note in run.results[analysis.key].warnings:
            line += 1
            about.write_string(line, 0, w(analysis.key), wrap)
            about.write_string(line, 1, note.text(w), wrap)
            about.set_row(line, _wrapped_height(note.text(w), ABOUT_WIDTH))
    _print_setup(about, landscape=False)
    about.activate()


def _print_setup(sheet, landscape: bool) -> None:
    """Printed, a sheet is as wide as the page, with its header on every page."""
    sheet.set_paper(9)  # A4
    if landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)


def _wrapped_height(text: str, width: int) -> float:
    """The height in points of a row whose cell wraps ``text`` in a column ``width`` wide: a
    spreadsheet that does not fit rows itself (LibreOffice printing) shows every line."""
    lines = sum(max(1, math.ceil(_width(part) / (width - 1))) for part in text.split("\n"))
    return 15.0 * lines


def _width(cell: Any) -> int:
    """Display width: a CJK character takes two columns."""
    if is_missing(cell):
        return 0
    text = f"{cell:,.2f}" if isinstance(cell, float) else str(cell)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _day(text: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(str(text))
    except ValueError:
        day = dt.date(1980, 1, 1)
    return dt.datetime(day.year, day.month, day.day)

"""What a report exports beside its pages, from the run's results (no notebook involved): the
workbook ``report.xlsx``, every table as CSV in ``tables/``, every chart as PNG and SVG in
``charts/``. Tables come from each analysis' ``tables`` and charts from its ``charts`` (the
registry), so a new table or chart is exported without touching this module.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from kamlib.analyses.registry import Analysis
from kamlib.core.config import Engagement
from kamlib.core.i18n import Words, register
from kamlib.core.table import NUMERIC, Table, format_cell, is_missing
from kamlib.run import EngagementRun

register(
    "export",
    {
        "x_about": {"zh": "说明", "en": "About"},
        "x_title": {"zh": "项目", "en": "Engagement"},
        "x_sheet": {"zh": "工作表", "en": "Sheet"},
        "x_analysis": {"zh": "分析", "en": "Analysis"},
        "x_rows": {"zh": "行数", "en": "Rows"},
        "x_warning": {"zh": "数据质量提示", "en": "Data-quality note"},
        "x_method": {"zh": "方法说明", "en": "Method"},
        "x_money_unit": {"zh": "{label}（{unit}）", "en": "{label} ({unit})"},
    },
)

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
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet would read as a formula at the start of a text cell."""
SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def tables(run: EngagementRun) -> Iterator[tuple[Analysis, Table]]:
    """Every table with rows of every analysis of the run, in report order."""
    for analysis in run.analyses:
        if analysis.tables is None or analysis.key not in run.results:
            continue
        for tab in analysis.tables(run.results[analysis.key], run.words):
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


def frame(tab: Table, keys: bool = False) -> pd.DataFrame:
    """The table's values as exported: numbers raw, other cells as shown; headings as in the
    report (with the currency on money columns), or the column keys."""
    return pd.DataFrame(
        {
            (c.key if keys else heading(c, tab.words)): [
                value(v, c.format, tab.words) for v in tab.frame[c.key]
            ]
            for c in tab.columns
        },
        index=range(len(tab)),
        dtype=object,
    )


def _inert(cell: Any) -> Any:
    """A CSV text cell that a spreadsheet would run as a formula, made plain text."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def file_stem(analysis: Analysis, tab: Table) -> str:
    return "customers" if tab.name == "customers" else f"{analysis.key}.{tab.name}"


def write_tables(run: EngagementRun, folder: Path) -> list[Path]:
    """Every table as ``folder/<analysis>.<table>.csv`` (UTF-8 with a BOM, so that Excel opens
    Chinese text right); ``customers.csv`` has the column keys as its header."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for analysis, tab in tables(run):
        path = folder / f"{file_stem(analysis, tab)}.csv"
        data = frame(tab, keys=tab.name == "customers")
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(data.columns)
            out.writerows(
                ["" if is_missing(c) else _inert(c) for c in row]
                for row in data.itertuples(index=False)
            )
        written.append(path)
    return written


def _sheet_name(analysis: Analysis, tab: Table, used: set[str]) -> str:
    base = SHEET_CHARS.sub("_", f"{analysis.key.split('_')[0]}.{tab.name}")[:31]
    name, n = base, 2
    while name.casefold() in used:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name


def write_workbook(eng: Engagement, run: EngagementRun, path: Path) -> Path:
    """``report.xlsx``: an About sheet (the engagement, a contents list of the sheets, each
    analysis' method in a paragraph, every data-quality note), then one sheet per table: numbers
    as numbers with their number format, frozen header, filters, column widths. Text is always
    text (never a formula or a link)."""
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
    bold = book.add_format({"bold": True, "bg_color": "#DDE5F0", "border": 1})
    number_formats = {fmt: book.add_format({"num_format": f}) for fmt, f in EXCEL_FORMATS.items()}
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    about = book.add_worksheet(w("x_about"))
    sheets = []
    used = {w("x_about").casefold()}
    for analysis, tab in tables(run):
        sheet = book.add_worksheet(_sheet_name(analysis, tab, used))
        sheets.append((sheet.get_name(), analysis, tab))
        data = frame(tab)
        formats = [number_formats.get(c.format) for c in tab.columns]
        for col, label in enumerate(data.columns):  # constant memory: row by row
            width = max([_width(label), *(_width(c) for c in data[label].head(500))])
            sheet.set_column(col, col, min(max(width + 2, 6), 60))
            sheet.write_string(0, col, label, bold)
        for row, cells in enumerate(data.itertuples(index=False), start=1):
            for col, (cell, fmt) in enumerate(zip(cells, formats)):
                if is_missing(cell):
                    continue
                if fmt is not None:
                    sheet.write_number(row, col, cell, fmt)
                else:
                    sheet.write_string(row, col, str(cell))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(data), len(data.columns) - 1)
        _print_setup(sheet, landscape=len(data.columns) > 6)
    rows: list[tuple[str, str]] = [
        (w("x_title"), eng.title),
        (w("prepared_for"), eng.client),
        (w("company"), eng.company),
        (w("prepared_by"), eng.consultant),
        (w("date"), str(eng.date)),
    ]
    about.set_column(0, 0, 24)
    about.set_column(1, 1, 60)
    about.set_column(2, 2, 12)
    line = 0
    for label, text in rows:
        about.write_string(line, 0, label, bold)
        about.write_string(line, 1, str(text))
        line += 1
    line += 1
    for col, label in enumerate((w("x_sheet"), w("x_analysis"), w("x_rows"))):
        about.write_string(line, col, label, bold)
    for name, analysis, tab in sheets:
        line += 1
        about.write_string(line, 0, name)
        about.write_string(line, 1, w(analysis.key) + (f" — {tab.caption}" if tab.caption else ""))
        about.write_number(line, 2, len(tab))
    from kamlib.render.deck import METHOD_WORDS

    line += 2
    about.write_string(line, 0, w("x_analysis"), bold)
    about.write_string(line, 1, w("x_method"), bold)
    for analysis in run.analyses:
        if analysis.key in run.results and analysis.key in METHOD_WORDS:
            line += 1
            about.write_string(line, 0, w(analysis.key))
            about.write_string(line, 1, w(METHOD_WORDS[analysis.key]), wrap)
    line += 2
    about.write_string(line, 0, w("x_analysis"), bold)
    about.write_string(line, 1, w("x_warning"), bold)
    for analysis in run.analyses:
        if analysis.key not in run.results:
            continue
        for note in run.results[analysis.key].warnings:
            line += 1
            about.write_string(line, 0, w(analysis.key))
            about.write_string(line, 1, note.text(w), wrap)
    _print_setup(about, landscape=False)
    about.activate()
    book.close()
    return path


def _print_setup(sheet, landscape: bool) -> None:
    """Printed, a sheet is as wide as the page, with its header on every page."""
    sheet.set_paper(9)  # A4
    if landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)


def _width(cell: Any) -> int:
    """Display width: a CJK character takes two columns."""
    if is_missing(cell):
        return 0
    text = f"{cell:,.2f}" if isinstance(cell, float) else str(cell)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


PNG_DPI = 2 * 110
"""Charts as PNG at twice the screen resolution (the house style's ``figure.dpi``)."""


def chart_figures(run: EngagementRun, analysis: Analysis) -> Iterator[tuple[str, Any]]:
    """Each chart of ``analysis`` drawn in the house style, as ``(name, figure)``; the figure is
    closed once the caller moves on. A chart with nothing to show (its plot returns ``None``)
    is left out; a chart that fails to draw raises."""
    import matplotlib.pyplot as plt

    from kamlib.core.charts import use_style

    if analysis.charts is None or analysis.key not in run.results:
        return
    use_style()
    result = run.results[analysis.key]
    for plot in analysis.charts(result):
        fig = plot(result, run.words)
        if fig is None:
            continue
        try:
            yield plot.__name__.removeprefix("plot_"), fig
        finally:
            plt.close(fig)


def write_charts(run: EngagementRun, folder: Path) -> list[Path]:
    """Every chart as ``folder/<analysis>.<chart>.png`` (twice the screen resolution) and
    ``.svg``. A chart that fails to draw fails the export."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for analysis in run.analyses:
        for name, fig in chart_figures(run, analysis):
            for suffix, options in ((".png", {"dpi": PNG_DPI}), (".svg", {})):
                path = folder / f"{analysis.key}.{name}{suffix}"
                fig.savefig(path, metadata=metadata(suffix), **options)
                written.append(path)
    return written


def metadata(suffix: str) -> dict:
    """No timestamps or software versions in the files: the same inputs give the same bytes."""
    if suffix == ".svg":
        return {"Date": None, "Creator": None}
    return {"Software": None}

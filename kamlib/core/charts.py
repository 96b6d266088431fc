"""Charts of the report: one style, a CJK font and the helpers the analyses' charts share; each
analysis keeps its charts in its own ``charts`` module.

Every chart makes its figure with :func:`_axes`, passes every name that comes from the data
(industries, criteria, competitors, customers, tiers...) through :func:`label`, and ends with
:func:`finish`.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import unicodedata
import weakref
from collections.abc import Callable
from pathlib import Path

import matplotlib as mpl
import matplotlib.patheffects
import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib import font_manager

from kamlib.core.i18n import Words, fmt_percent

CJK_FONT = "Noto Sans CJK SC"
LATIN_FONT = "DejaVu Sans"
"""The Latin font of English charts (shipped with matplotlib); Chinese names fall back to
:data:`CJK_FONT` glyph by glyph."""
PALETTE = "tab20"
LABEL_WIDTH = 40
"""The widest name a chart shows, in half-width columns (a CJK character counts two)."""
_OWN: weakref.WeakSet = weakref.WeakSet()  # the figures the charts made themselves
_DRAWN: list[tuple[object, dict[str, dict]]] = []  # (result, {chart name: its drawn image})


def _font_file() -> Path | None:
    """The Noto Sans CJK SC font shipped with the ``mplfonts`` package, if installed."""
    try:
        import mplfonts
    except ImportError:
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    return path if path.is_file() else None


def use_style(words: Words | None = None) -> None:
    """Set the house chart style: the report's fonts (a Latin font first in English, the CJK
    font first in Chinese; each falls back to the other glyph by glyph), PNG at print
    resolution."""
    path = _font_file()
    if path is not None and CJK_FONT not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    sns.set_theme(style="whitegrid", context="notebook")
    mpl.rcParams.update(
        {
            # the families themselves, not the generic "sans-serif": matplotlib falls back glyph
            # by glyph only across the families it is given
            "font.family": chart_fonts(words),
            "font.sans-serif": chart_fonts(words),
            "axes.unicode_minus": False,
            "text.parse_math": False,  # names are text: "US$5M$ fund" is no formula
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "figure.autolayout": False,
            "svg.hashsalt": "kam",
        }
    )


def chart_fonts(words: Words | None) -> list[str]:
    """The charts' font families in order of use."""
    if words is not None and words.latin_first:
        return [LATIN_FONT, CJK_FONT]
    return [CJK_FONT, LATIN_FONT]


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def label(text: object, width: int = LABEL_WIDTH) -> str:
    """A name from the data as a chart shows it: one line of at most ``width`` columns, its end
    replaced by "…" when longer (tables show the whole name). Every chart passes every such name
    through here, so no name can stretch a chart beyond the page."""
    flat = " ".join(str(text).split())
    if sum(map(_width, flat)) <= width:
        return flat
    kept, used = [], 0
    for char in flat:
        used += _width(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def wrap(text: str, width: int) -> str:
    """A label on lines of about equal length, each at most ``width`` columns (a CJK character
    counts two): broken between words, and inside a word (a run of CJK) only when it is longer
    than a line. For labels that sit side by side, such as a heatmap's columns."""
    total = sum(map(_width, text))
    if total <= width:
        return text
    lines = -(-total // width)
    target = min(width, -(-total // lines))
    out, line, used = [], "", 0
    for word in re.findall(r"\S+\s*", text):
        size = sum(map(_width, word.rstrip()))
        if used and used + size > target:
            out.append(line.rstrip())
            line, used = "", 0
        for char in word:
            limit = target if _width(char) == 2 else width  # CJK breaks anywhere: evenly
            if used + _width(char) > limit and char != " ":
                out.append(line.rstrip())
                line, used = "", 0
            line += char
            used += _width(char)
    out.append(line.rstrip())
    return "\n".join(part for part in out if part)


NOTE_OFFSETS = (
    (6, 4, "left"),
    (6, -12, "left"),
    (-6, 4, "right"),
    (-6, -12, "right"),
    (0, 10, "center"),
    (0, -18, "center"),
)
"""Where a point's note may go, in points from the point, in order of preference."""


def place_notes(
    ax: plt.Axes, notes: list, offsets: tuple[tuple[float, float, str], ...] = NOTE_OFFSETS
) -> None:
    """Put each note (an annotation placed in offset points) at the first of ``offsets``, then
    twice and three times as far, where it covers no tick label, title or note placed before
    it; a note that fits nowhere keeps the first place. Call once the axes' limits are set."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    fixed = ax.get_xticklabels() + ax.get_yticklabels() + [ax.title, ax._left_title]
    taken = [t.get_window_extent(renderer) for t in fixed if t.get_text().strip()]
    for note in notes:
        places = [(dx * k, dy * k, ha) for k in (1, 2, 3) for dx, dy, ha in offsets]
        for dx, dy, ha in places + places[:1]:
            note.xyann = (dx, dy)
            note.set_horizontalalignment(ha)
            box = note.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in taken):
                break
        taken.append(note.get_window_extent(renderer))


def label_inches(labels: object, fontsize: float = 11) -> float:
    """About how wide the widest of ``labels`` is drawn, in inches: for charts whose size
    follows their labels (a heatmap's rows)."""
    columns = max((sum(map(_width, str(text))) for text in labels), default=0)
    return columns * fontsize * 0.6 / 72


HALO = [mpl.patheffects.withStroke(linewidth=2.5, foreground="white")]
"""A white outline around a label drawn over a chart's marks: legible wherever it lies."""


class MoneyFormatter(mpl.ticker.Formatter):
    """Amounts on an axis in the report's money unit (万元, CNY million), with as many decimals
    as the ticks' spacing needs: 0, 0.5, 1.0, 1.5 — never 0, 0, 1, 2, 2."""

    def __init__(self, unit: float) -> None:
        self.unit = unit
        self.decimals = 0

    def format_ticks(self, values) -> list[str]:
        """The ticks' labels, with the decimals their spacing needs."""
        ticks = sorted(float(v) for v in values)
        steps = [b - a for a, b in zip(ticks, ticks[1:]) if b > a]
        step = min(steps) / self.unit if steps else 1.0
        self.decimals = next(  # the fewest that show the step: 2.5 needs one, 0.25 two
            (d for d in range(7) if abs(step * 10**d - round(step * 10**d)) < 1e-6 * 10**d), 6
        )
        return [self(v, i) for i, v in enumerate(values)]

    def __call__(self, value: float, pos: int | None = None) -> str:
        return f"{value / self.unit:,.{self.decimals}f}"


def money_axis(axis, words: Words) -> str:
    """An axis of amounts: nice ticks (steps of 1, 2, 2.5 or 5 of a power of ten) labelled by
    :class:`MoneyFormatter`; its label (万元 / CNY million) for the caller to set."""
    unit, name = words.money_axis()
    axis.set_major_locator(mpl.ticker.MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    axis.set_major_formatter(MoneyFormatter(unit))
    return name


def _axes(ax: plt.Axes | None, size: tuple[float, float]) -> tuple[plt.Figure, plt.Axes]:
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    _OWN.add(fig)
    return fig, ax


def _inline_shell():
    """The IPython shell showing this process' figures inline (a notebook), else ``None``."""
    if "matplotlib_inline" not in mpl.get_backend():
        return None
    from IPython import get_ipython

    return get_ipython()


def describe(fig: plt.Figure) -> str:
    """A chart's description for its alt text: the titles of its axes."""
    titles = [ax.get_title(loc=loc) for ax in fig.axes for loc in ("left", "center", "right")]
    return " · ".join(t for t in titles if t)


def finish(fig: plt.Figure) -> plt.Figure:
    """The end of every chart. In a notebook, a figure the chart made itself is drawn and shown
    here, inside its cell, and closed: a chart that cannot be drawn then fails its cell (and so
    the render) instead of vanishing, as it would when the inline backend draws it after the
    cell, where IPython reports any error of its display hooks and carries on."""
    shell = _inline_shell() if fig in _OWN else None
    if shell is None:
        return fig
    formatters = shell.display_formatter.formatters
    try:
        printer = formatters["image/png"].lookup(fig)  # what set_matplotlib_formats chose
    except KeyError:
        return fig
    from IPython.display import publish_display_data

    shown = printer(fig)  # not through the formatter's call, which would swallow an error
    data, meta = shown if isinstance(shown, tuple) else (shown, None)
    publish_display_data(
        {"text/plain": formatters["text/plain"](fig), "image/png": data},
        metadata={"image/png": {**(meta or {}), "alt": describe(fig)}},
    )
    plt.close(fig)
    return fig


def _paired_shares(
    ax: plt.Axes, upper: tuple, lower: tuple, digits: int, fontsize: int
) -> np.ndarray:
    """Two bars of shares per row (``(values, colour, label)`` each), each labelled with its
    percentage; returns the row positions."""
    y = np.arange(len(upper[0]))
    for (values, color, legend), offset in ((upper, 0.18), (lower, -0.18)):
        ax.barh(y + offset, values, height=0.36, color=color, label=legend)
        for yi, value in zip(y, values):
            ax.annotate(
                fmt_percent(value, digits),
                (value, yi + offset),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=fontsize,
            )
    return y


def use_drawn(result: object, folder: Path, key: str) -> None:
    """Show the charts of ``result`` as a render drew them, once, into ``folder`` (its manifest
    ``<key>.json``): a notebook the render executes shows those images instead of drawing
    each chart again. Without a manifest nothing changes."""
    manifest = folder / f"{key}.json"
    if manifest.is_file():
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        _DRAWN.append((result, {e["name"]: {**e, "path": folder / e["file"]} for e in entries}))


def chart(plot: Callable) -> Callable:
    """The decorator of every ``plot_*`` chart of the analyses: called in a notebook on a result
    whose charts the render drew already (:func:`use_drawn`), it shows that image, as the
    chart's own drawing would have; anywhere else it draws."""
    name = plot.__name__.removeprefix("plot_")

    @functools.wraps(plot)
    def shown(result, words, ax=None, *args, **kwargs):
        if ax is None and not args and not kwargs:
            drawn = next((d[name] for r, d in _DRAWN if r is result and name in d), None)
            if drawn is not None and _inline_shell() is not None:
                from IPython.display import publish_display_data

                png = base64.b64encode(Path(drawn["path"]).read_bytes()).decode("ascii")
                size = {"width": drawn["width"], "height": drawn["height"]}
                publish_display_data(
                    {"text/plain": drawn["plain"], "image/png": png},
                    metadata={"image/png": {**size, "alt": drawn["alt"]}},
                )
                return None
        return plot(result, words, ax, *args, **kwargs)

    return shown

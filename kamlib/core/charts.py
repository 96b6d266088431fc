"""Charts of the report: one style, a CJK font and the helpers the analyses' charts share; each
analysis keeps its charts in its own ``charts`` module.

Every chart makes its figure with :func:`_axes`, passes every name that comes from the data
(industries, criteria, competitors, customers, tiers...) through :func:`label`, and ends with
:func:`finish`.
"""

from __future__ import annotations

import unicodedata
import weakref
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib import font_manager

from kamlib.core.i18n import fmt_percent

CJK_FONT = "Noto Sans CJK SC"
PALETTE = "tab20"
LABEL_WIDTH = 40
"""The widest name a chart shows, in half-width columns (a CJK character counts two)."""
_OWN: weakref.WeakSet = weakref.WeakSet()  # the figures the charts made themselves


def _font_file() -> Path | None:
    """The Noto Sans CJK SC font shipped with the ``mplfonts`` package, if installed."""
    try:
        import mplfonts
    except ImportError:
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    return path if path.is_file() else None


def use_style() -> None:
    """Set the house chart style: a CJK-capable sans-serif font, PNG at print resolution."""
    path = _font_file()
    if path is not None and CJK_FONT not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    sns.set_theme(style="whitegrid", context="notebook")
    mpl.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [CJK_FONT, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "text.parse_math": False,  # names are text: "US$5M$ fund" is no formula
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "figure.autolayout": False,
            "svg.hashsalt": "kam",
        }
    )


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


def label_inches(labels: object, fontsize: float = 11) -> float:
    """About how wide the widest of ``labels`` is drawn, in inches: for charts whose size
    follows their labels (a heatmap's rows)."""
    columns = max((sum(map(_width, str(text))) for text in labels), default=0)
    return columns * fontsize * 0.6 / 72


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
        metadata={"image/png": meta} if meta else None,
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

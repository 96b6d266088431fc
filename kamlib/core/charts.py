"""Charts of the report: one style, a CJK font and the helpers the analyses' charts share; each
analysis keeps its charts in its own ``charts`` module."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib import font_manager

from kamlib.core.i18n import fmt_percent

CJK_FONT = "Noto Sans CJK SC"
PALETTE = "tab20"


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
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "figure.autolayout": False,
            "svg.hashsalt": "kam",
        }
    )


def _axes(ax: plt.Axes | None, size: tuple[float, float]) -> tuple[plt.Figure, plt.Axes]:
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    return fig, ax


def _paired_shares(
    ax: plt.Axes, upper: tuple, lower: tuple, digits: int, fontsize: int
) -> np.ndarray:
    """Two bars of shares per row (``(values, colour, label)`` each), each labelled with its
    percentage; returns the row positions."""
    y = np.arange(len(upper[0]))
    for (values, color, label), offset in ((upper, 0.18), (lower, -0.18)):
        ax.barh(y + offset, values, height=0.36, color=color, label=label)
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

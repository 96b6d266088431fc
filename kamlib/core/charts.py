"""Charts of the report: one style, a CJK font and the helpers the analyses' charts share. Each
analysis on the contract keeps its charts in its own ``charts`` module; the competitor charts
below have not moved yet."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib import font_manager

from kamlib.core.i18n import fmt_number, fmt_percent, t

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


# ---------------------------------------------------------------- competitor analysis


def plot_positioning_map(ca, ax: plt.Axes | None = None) -> plt.Figure:
    """Competitors on two criteria or criterion groups, bubble = size (or competitive score)."""
    lang = ca.language
    pos = ca.positions
    fig, ax = _axes(ax, (8, 6))
    size = pos["size"].astype(float)
    area = 80 + 1400 * (size - size.min()) / ((size.max() - size.min()) or 1)
    colors = ["#e76f51" if name == ca.us else "#1d4e89" for name in pos.index]
    ax.scatter(pos["x"], pos["y"], s=area, c=colors, alpha=0.55, edgecolor="white", linewidth=1)
    for name, row in pos.iterrows():
        ax.annotate(
            name,
            (row["x"], row["y"]),
            xytext=(0, 0),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=10 if name == ca.us else 9,
            color="#9c2f12" if name == ca.us else "black",
        )
    mid_x, mid_y = pos["x"].mean(), pos["y"].mean()
    ax.axvline(mid_x, color="0.6", linewidth=0.8, linestyle=":")
    ax.axhline(mid_y, color="0.6", linewidth=0.8, linestyle=":")
    pad_x = (pos["x"].max() - pos["x"].min()) * 0.15 or 1
    pad_y = (pos["y"].max() - pos["y"].min()) * 0.15 or 1
    ax.set_xlim(pos["x"].min() - pad_x, pos["x"].max() + pad_x)
    ax.set_ylim(pos["y"].min() - pad_y, pos["y"].max() + pad_y)
    ax.set_xlabel(ca.axes[0])
    ax.set_ylabel(ca.axes[1])
    size_name = t(
        "c_size_col" if "size" in pos and not pos["size"].equals(pos["score"]) else "c_size_score",
        lang,
    )
    ax.set_title(t("c_positioning", lang, x=ca.axes[0], y=ca.axes[1], size=size_name), loc="left")
    return fig


def plot_gaps(ca, ax: plt.Axes | None = None) -> plt.Figure:
    """Our gap to the strongest rival per criterion: right = we lead, left = we trail."""
    lang = ca.language
    gaps = ca.gaps.sort_values("importance", kind="stable")
    fig, ax = _axes(ax, (8, 1.2 + 0.42 * len(gaps)))
    y = np.arange(len(gaps))
    colors = ["#2a9d8f" if g > 0 else "#e76f51" if g < 0 else "0.6" for g in gaps["gap"]]
    ax.barh(y, gaps["gap"], color=colors, height=0.6)
    for yi, row in zip(y, gaps.itertuples()):
        ax.annotate(
            f"{'+' if row.gap > 0 else ''}{fmt_number(row.gap, 1)} · {row.best_competitor}",
            (row.gap, yi),
            xytext=(4 if row.gap >= 0 else -4, 0),
            textcoords="offset points",
            va="center",
            ha="left" if row.gap >= 0 else "right",
            fontsize=8,
        )
    labels = [
        f"{c}（{fmt_number(i)}）" if lang == "zh" else f"{c} ({fmt_number(i)})"
        for c, i in zip(gaps["criterion"], gaps["importance"])
    ]
    ax.set_yticks(y, labels)
    ax.axvline(0, color="black", linewidth=0.8)
    span = max(1.0, gaps["gap"].abs().max()) * 1.6
    ax.set_xlim(-span, span)
    ax.set_title(t("c_gaps", lang), loc="left")
    ax.grid(axis="y", visible=False)
    return fig


def plot_wallet(ca, ax: plt.Axes | None = None, n: int = 15) -> plt.Figure:
    """Per key account (largest whitespace first): our revenue and the whitespace."""
    lang = ca.language
    w = ca.wallet
    if "key_account" in w and w["key_account"].any():
        w = w.loc[w["key_account"]]
    w = w.head(n).iloc[::-1]
    fig, ax = _axes(ax, (8, 1.2 + 0.42 * len(w)))
    y = np.arange(len(w))
    ax.barh(y, w["our_revenue"], color="#1d4e89", height=0.6, label=t("our_revenue", lang))
    ax.barh(
        y,
        w["whitespace"],
        left=w["our_revenue"],
        color="#a9d6e5",
        height=0.6,
        label=t("whitespace", lang),
    )
    for yi, (total, share) in enumerate(zip(w["total_spend"], w["share"])):
        ax.annotate(
            fmt_percent(share, 0) if share == share else "",
            (total, yi),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(y, [name or cid for cid, name in zip(w.index, w["name"])])
    unit, label = (1e4, "万元") if lang == "zh" else (1e6, f"{ca.currency} million")
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v / unit:,.0f}"))
    ax.set_xlabel(label)
    ax.set_title(t("c_wallet", lang), loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    ax.grid(axis="y", visible=False)
    return fig

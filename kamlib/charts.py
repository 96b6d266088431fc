"""Charts of the report: one style, a CJK font, one function per chart."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib import font_manager

from kamlib.i18n import fmt_number, fmt_percent, t

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


def plot_score_heatmap(sel, ax: plt.Axes | None = None) -> plt.Figure:
    """Industries × criteria, signed scores annotated, diverging around zero."""
    cols = list(sel.criteria["criterion"])
    signed = sel.contributions / sel.criteria.set_index("criterion")["weight"].replace(0, np.nan)
    signed = signed.fillna(sel.table.set_index("industry")[cols])[cols]
    fig, ax = _axes(ax, (1.1 + 0.9 * len(cols), 0.9 + 0.5 * len(signed)))
    limit = float(np.nanmax(np.abs(signed.to_numpy()))) or 1.0
    sns.heatmap(
        signed,
        annot=True,
        fmt="g",
        cmap="RdYlGn",
        center=0,
        vmin=-limit,
        vmax=limit,
        linewidths=0.5,
        cbar=False,
        ax=ax,
    )
    ax.set_title(t("c_heatmap", sel.language), loc="left")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", rotation=30)
    ax.tick_params(axis="y", rotation=0)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
    return fig


def plot_contributions(sel, ax: plt.Axes | None = None) -> plt.Figure:
    """Stacked bars of weighted contributions per industry, total and threshold marked."""
    lang = sel.language
    data = sel.contributions.iloc[::-1]
    fig, ax = _axes(ax, (9, 1.2 + 0.45 * len(data)))
    colors = sns.color_palette(PALETTE, n_colors=len(data.columns))
    y = np.arange(len(data))
    left_pos = np.zeros(len(data))
    left_neg = np.zeros(len(data))
    for color, criterion in zip(colors, data.columns):
        values = data[criterion].to_numpy()
        base = np.where(values >= 0, left_pos, left_neg)
        ax.barh(y, values, left=base, color=color, label=criterion, height=0.65)
        left_pos += np.where(values >= 0, values, 0)
        left_neg += np.where(values < 0, values, 0)
    totals = data.sum(axis=1).to_numpy()
    ax.scatter(totals, y, marker="D", color="black", zorder=3, label=t("c_total", lang))
    for yi, total in zip(y, totals):
        ax.annotate(
            fmt_number(total),
            (max(left_pos[yi], total), yi),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    ax.axvline(sel.threshold, color="0.3", linestyle="--", linewidth=1)
    ax.annotate(
        t("c_threshold", lang, value=fmt_number(sel.threshold)),
        (sel.threshold, len(y) - 0.4),
        xytext=(4, 0),
        textcoords="offset points",
        fontsize=9,
        color="0.3",
    )
    selected = sel.table.set_index("industry")["selected"]
    ax.set_yticks(y, [f"{name} ★" if selected[name] else name for name in data.index])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(t("c_contrib_x", lang))
    ax.set_title(t("c_contrib", lang), loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    ax.grid(axis="y", visible=False)
    return fig


def plot_robustness(sel, ax: plt.Axes | None = None) -> plt.Figure:
    """Share of random weight draws in which each industry is selected, and keeps its rank."""
    lang = sel.language
    summary = sel.robustness.summary.loc[sel.table["industry"]].iloc[::-1]
    fig, ax = _axes(ax, (8, 1.2 + 0.45 * len(summary)))
    y = np.arange(len(summary))
    ax.barh(
        y + 0.18,
        summary["selected_share"],
        height=0.36,
        color="#2a6f97",
        label=t("selected_share", lang),
    )
    ax.barh(
        y - 0.18, summary["same_rank"], height=0.36, color="#a9d6e5", label=t("same_rank", lang)
    )
    for yi, (sel_share, rank_share) in enumerate(
        zip(summary["selected_share"], summary["same_rank"])
    ):
        ax.annotate(
            fmt_percent(sel_share),
            (sel_share, yi + 0.18),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
        ax.annotate(
            fmt_percent(rank_share),
            (rank_share, yi - 0.18),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(y, summary.index)
    ax.set_xlim(0, 1.12)
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.set_xlabel(t("c_robust_x", lang))
    ax.set_title(t("c_robust", lang, pct=fmt_percent(sel.robustness.perturbation)), loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    ax.grid(axis="y", visible=False)
    return fig

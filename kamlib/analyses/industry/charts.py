"""Industry selection: its charts."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns

from kamlib.analyses.industry.compute import IndustrySelection
from kamlib.core.charts import (
    PALETTE,
    _axes,
    _paired_shares,
    chart,
    finish,
    label,
    label_inches,
    wrap,
)
from kamlib.core.i18n import Words, fmt_number

HEATMAP_COLUMN = 12
"""The columns of a heatmap's criterion label on one line (its cell is an inch wide): longer
labels wrap, so that labels side by side never cover each other."""


@chart
def plot_score_heatmap(sel: IndustrySelection, w: Words, ax: plt.Axes | None = None) -> plt.Figure:
    """Industries × criteria, signed scores annotated, diverging around zero."""
    cols = list(sel.criteria["criterion"])
    signed = sel.contributions / sel.criteria.set_index("criterion")["weight"].replace(0, np.nan)
    signed = signed.fillna(sel.table.set_index("industry")[cols])[cols]
    names = [wrap(label(sel.label(c)), HEATMAP_COLUMN) for c in cols]
    signed = signed.set_axis([label(i) for i in signed.index]).set_axis(names, axis=1)
    lines = max(name.count("\n") + 1 for name in names)
    width = 1.0 * len(cols) + max(1.1, label_inches(signed.index))
    height = 0.5 * len(signed) + 0.4 + 0.22 * lines
    fig, ax = _axes(ax, (width, height))
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
    ax.set_title(w("c_heatmap"), loc="left")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", rotation=0)
    ax.tick_params(axis="y", rotation=0)
    return finish(fig)


@chart
def plot_contributions(sel: IndustrySelection, w: Words, ax: plt.Axes | None = None) -> plt.Figure:
    """Stacked bars of weighted contributions per industry, total and threshold marked."""
    data = sel.contributions.iloc[::-1]
    fig, ax = _axes(ax, (9, 1.2 + 0.45 * len(data)))
    colors = sns.color_palette(PALETTE, n_colors=len(data.columns))
    y = np.arange(len(data))
    left_pos = np.zeros(len(data))
    left_neg = np.zeros(len(data))
    for color, criterion in zip(colors, data.columns):
        values = data[criterion].to_numpy()
        base = np.where(values >= 0, left_pos, left_neg)
        ax.barh(y, values, left=base, color=color, label=label(sel.label(criterion)), height=0.65)
        left_pos += np.where(values >= 0, values, 0)
        left_neg += np.where(values < 0, values, 0)
    totals = data.sum(axis=1).to_numpy()
    ax.scatter(totals, y, marker="D", color="black", zorder=3, label=w("c_total"))
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
        w("c_threshold", value=sel.threshold),
        (sel.threshold, len(y) - 0.4),
        xytext=(4, 0),
        textcoords="offset points",
        fontsize=9,
        color="0.3",
    )
    selected = sel.table.set_index("industry")["selected"]
    ax.set_yticks(y, [f"{label(name)} ★" if selected[name] else label(name) for name in data.index])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(w("c_contrib_x"))
    ax.set_title(w("c_contrib"), loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    ax.grid(axis="y", visible=False)
    return finish(fig)


@chart
def plot_robustness(sel: IndustrySelection, w: Words, ax: plt.Axes | None = None) -> plt.Figure:
    """Share of random weight draws in which each industry is selected, and keeps its rank."""
    summary = sel.robustness.summary.loc[sel.table["industry"]].iloc[::-1]
    fig, ax = _axes(ax, (8, 1.2 + 0.45 * len(summary)))
    y = _paired_shares(
        ax,
        (summary["selected_share"], "#2a6f97", w("selected_share")),
        (summary["same_rank"], "#a9d6e5", w("same_rank")),
        digits=0,
        fontsize=8,
    )
    ax.set_yticks(y, [label(name) for name in summary.index])
    ax.set_xlim(0, 1.12)
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.set_xlabel(w("c_robust_x"))
    ax.set_title(w("c_robust", pct=sel.robustness.perturbation), loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    ax.grid(axis="y", visible=False)
    return finish(fig)

"""Customer segmentation: its charts, ``plot_x(seg, w, ax=None) -> Figure``."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from kamlib.analyses.segmentation.compute import Segmentation
from kamlib.analyses.segmentation.view import ACTION_WORDS, segment_name, tier_label
from kamlib.core.charts import (
    HALO,
    _axes,
    _paired_shares,
    chart,
    finish,
    label,
    label_inches,
    place_notes,
    wrap,
)
from kamlib.core.i18n import Words

PARETO_NOTES = ((8, -12, "left"), (8, 4, "left"), (8, -26, "left"), (-8, 4, "right"))
"""A Pareto point's note: below right of the point (above the curve's steep start), else
near it."""

ACTION_COLORS = {
    "keep": "#1d4e89",
    "develop": "#2a9d8f",
    "nurture": "#e9c46a",
    "maintain": "#b0b7c3",
}


MAX_POINTS = 20_000
"""The most customers a chart draws one by one: beyond, a scatter draws a stated sample
(:func:`sample_customers`) and a curve its exact points at :data:`CURVE_POINTS` even steps, so
that drawing time and file size do not grow with the ledger."""
CURVE_POINTS = 2_000
TOP_SHOWN = 200
"""The largest customers a sample always holds: the ones a reader looks for."""


def sample_customers(ind: pd.DataFrame, limit: int = MAX_POINTS) -> pd.DataFrame:
    """At most ``limit`` customers of ``ind``: all of them when they are no more; else the
    :data:`TOP_SHOWN` largest by revenue and a random sample of the others (a fixed seed: the
    same chart every render), in their order."""
    if len(ind) <= limit:
        return ind
    top = ind["revenue"].nlargest(TOP_SHOWN).index
    rest = ind.index.difference(top)
    picked = np.random.default_rng(0).permutation(len(rest))[: limit - len(top)]
    return ind.loc[ind.index.isin(top.union(rest[picked]))]


def _thinned(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A curve's exact points at :data:`CURVE_POINTS` even steps, first and last kept."""
    if len(x) <= MAX_POINTS:
        return x, y
    keep = np.unique(np.linspace(0, len(x) - 1, CURVE_POINTS).round().astype(int))
    return x[keep], y[keep]


def _sample_note(ax: plt.Axes, w: Words, n: int, total: int) -> None:
    ax.text(
        1.0,
        -0.12,
        w("c_sample", n=n, total=total, top=TOP_SHOWN),
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=8,
        color="0.35",
    )


@chart
def plot_pareto(seg: Segmentation, w: Words, ax: plt.Axes | None = None) -> plt.Figure:
    """Cumulative share of revenue against cumulative share of customers, largest first."""
    fig, ax = _axes(ax, (7.5, 4.6))
    curve = seg.curve
    x = np.concatenate([[0], curve["customer_share"].to_numpy()])
    y = np.concatenate([[0], curve["revenue_share"].to_numpy()])
    x, y = _thinned(x, y)
    ax.plot(x, y, color="#1d4e89", linewidth=2)
    ax.plot([0, 1], [0, 1], color="0.7", linestyle=":", linewidth=1)
    notes = []
    for p, key in ((0.01, "top_1pct"), (0.05, "top_5pct"), (0.20, "top_20pct")):
        share = seg.tops[key]
        ax.scatter([p], [share], color="#e76f51", zorder=3)
        note = ax.annotate(
            w("c_pareto_point", top=p, share=share),
            (p, share),
            xytext=(8, -12),
            textcoords="offset points",
            fontsize=9,
        )
        notes.append(note)
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(w("c_pareto_x"))
    ax.set_ylabel(w("c_pareto_y"))
    ax.set_title(w("c_pareto"), loc="left")
    place_notes(ax, notes, PARETO_NOTES)
    return finish(fig)


@chart
def plot_tiers(seg: Segmentation, w: Words, ax: plt.Axes | None = None) -> plt.Figure:
    """Share of customers and share of revenue per tier."""
    table = seg.tier_table.iloc[::-1]
    fig, ax = _axes(ax, (7.5, 1.2 + 0.6 * len(table)))
    y = _paired_shares(
        ax,
        (table["revenue_share"], "#1d4e89", w("revenue_share")),
        (table["customer_share"], "#a9d6e5", w("customer_share")),
        digits=1,
        fontsize=9,
    )
    ax.set_yticks(y, [label(tier) for tier in table["tier"]])
    ax.set_xlim(
        0, min(1.15, max(table["revenue_share"].max(), table["customer_share"].max()) + 0.15)
    )
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.set_title(w("c_tiers"), loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    ax.grid(axis="y", visible=False)
    return finish(fig)


@chart
def plot_pyramid(seg: Segmentation, w: Words, ax: plt.Axes | None = None) -> plt.Figure:
    """The value pyramid: one band per level, narrowest at the top, with customers and revenue."""
    ind = seg.indicators.loc[seg.indicators["active"]]
    levels = len(seg.pyramid_shares)
    fig, ax = _axes(ax, (7.5, 0.9 + 0.8 * levels))
    colors = sns.color_palette("Blues_r", n_colors=levels + 1)
    for k in range(1, levels + 1):
        members = ind.loc[ind["level"] == k]
        width = 0.3 + 0.7 * (k / levels)
        y = levels - k
        ax.barh(y, width, left=-width / 2, height=0.9, color=colors[k - 1])
        text = w(
            "c_pyramid_band",
            level=w("level_name", k=k, share=seg.pyramid_shares[k - 1]),
            customers=len(members),
            share=members["revenue"].sum() / seg.revenue,
        )
        ax.text(
            0,
            y,
            text,
            ha="center",
            va="center",
            fontsize=9,
            color="white" if k <= levels / 2 else "black",
        )
    ax.set_xlim(-0.55, 0.55)
    ax.set_axis_off()
    ax.set_title(w("c_pyramid"), loc="left")
    return finish(fig)


@chart
def plot_value_matrix(
    seg: Segmentation, w: Words, ax: plt.Axes | None = None, labels: int = 5
) -> plt.Figure:
    """Current against potential value, bubble = revenue, colour = action; the largest labelled."""
    every = seg.indicators.loc[seg.indicators["active"]]
    ind = sample_customers(every)
    fig, ax = _axes(ax, (7.5, 6))
    size = 20 + 600 * (ind["revenue"].clip(lower=0) / max(every["revenue"].max(), 1))
    for action, color in ACTION_COLORS.items():
        part = ind["action"] == action
        ax.scatter(
            ind.loc[part, "current_value"],
            ind.loc[part, "potential_value"],
            s=size[part],
            color=color,
            alpha=0.55,
            edgecolor="white",
            linewidth=0.5,
            label=w(ACTION_WORDS[action]),
        )
    notes = []
    for customer in ind["revenue"].nlargest(labels).index:
        name = ind.at[customer, "name"] or customer
        note = ax.annotate(
            label(name),
            (ind.at[customer, "current_value"], ind.at[customer, "potential_value"]),
            xytext=(5, 4),
            textcoords="offset points",
            fontsize=8,
            path_effects=HALO,  # legible over the points it lies on
        )
        notes.append(note)
    ax.axvline(0.5, color="0.4", linewidth=0.8)
    ax.axhline(0.5, color="0.4", linewidth=0.8)
    ax.set_xlim(0, 1.05)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel(w("current"))
    ax.set_ylabel(w("potential"))
    ax.set_title(w("c_value"), loc="left")
    handles = [
        mpl.lines.Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=8,
            color=color,
            alpha=0.7,
            label=w(ACTION_WORDS[action]),
        )
        for action, color in ACTION_COLORS.items()
    ]
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9
    )
    place_notes(ax, notes)
    if len(ind) < len(every):
        _sample_note(ax, w, len(ind), len(every))
    return finish(fig)


def _count_heatmap(
    matrix: pd.DataFrame, title: str, ax: plt.Axes | None, xlabel: str = "", ylabel: str = ""
) -> plt.Figure:
    width = 0.9 * matrix.shape[1] + max(1.5, label_inches(matrix.index))
    height = 0.6 * matrix.shape[0] + max(1.0, label_inches(matrix.columns))  # upright if long
    fig, ax = _axes(ax, (width, height))
    sns.heatmap(matrix, annot=True, fmt="d", cmap="Blues", cbar=False, linewidths=0.5, ax=ax)
    ax.set_title(title, loc="left")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="y", rotation=0)
    return finish(fig)


@chart
def plot_migration(seg: Segmentation, w: Words, ax: plt.Axes | None = None) -> plt.Figure:
    """Customers by tier in the previous period (rows) and in this one (columns)."""
    matrix = seg.migration.astype(int)
    matrix = matrix.set_axis([label(tier_label(t, w)) for t in matrix.index]).set_axis(
        [label(tier_label(t, w)) for t in matrix.columns], axis=1
    )
    return _count_heatmap(
        matrix, w("c_migration"), ax, w("c_migration_now"), w("c_migration_before")
    )


@chart
def plot_rfm(seg: Segmentation, w: Words, ax: plt.Axes | None = None) -> plt.Figure:
    """Customers by recency score (rows, 5 = most recent) and frequency score (columns)."""
    r = seg.rfm
    matrix = (
        r.groupby(["r", "f"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=[5, 4, 3, 2, 1], columns=[1, 2, 3, 4, 5], fill_value=0)
    )
    empty = [f"F = {c}" for c in matrix.columns if not matrix[c].any()]
    empty += [f"R = {i}" for i in matrix.index if not matrix.loc[i].any()]
    xlabel = "F"
    if empty and len(r):  # an empty column is said, not left to puzzle over
        xlabel += "\n" + wrap(w("c_rfm_empty", scores=w.list(empty)), 64)
    return _count_heatmap(matrix, w("c_rfm"), ax, xlabel, "R")


@chart
def plot_composition(seg: Segmentation, w: Words, ax: plt.Axes | None = None) -> plt.Figure:
    """Revenue share per industry, with the largest customer's share within it."""
    comp = seg.composition.iloc[::-1]
    fig, ax = _axes(ax, (7.5, 1.2 + 0.45 * len(comp)))
    y = np.arange(len(comp))
    ax.barh(y, comp["share"], color="#1d4e89", height=0.6)
    for yi, (share, top) in enumerate(zip(comp["share"], comp["top_customer_share"])):
        ax.annotate(
            w("c_composition_bar", share=share, label=w("top_customer_share"), top=top),
            (share, yi),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(y, [label(segment_name(s, w)) for s in comp["segment"]])
    ax.set_xlim(0, min(1.0, comp["share"].max() * 1.6))
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.set_title(w("c_composition"), loc="left")
    ax.grid(axis="y", visible=False)
    return finish(fig)

"""Competitor analysis: its charts."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from kamlib.analyses.competitors.compute import CompetitorAnalysis
from kamlib.core.charts import _axes, chart, finish, label, money_axis, place_notes
from kamlib.core.i18n import Words

CENTRED_NOTES = (
    (0, 0, "center"),
    (0, 12, "center"),
    (0, -12, "center"),
    (8, 0, "left"),
    (-8, 0, "right"),
)
"""A firm's name sits on its bubble, or next to it when another name is there."""

WALLET_BARS = 15
"""Accounts in the wallet chart (largest whitespace first)."""


@chart
def plot_positioning_map(
    ca: CompetitorAnalysis, w: Words, ax: plt.Axes | None = None
) -> plt.Figure:
    """Competitors on two criteria or criterion groups, bubble = size (or competitive score)."""
    pos = ca.positions
    fig, ax = _axes(ax, (8, 6))
    size = pos["size"].astype(float)
    area = 80 + 1400 * (size - size.min()) / ((size.max() - size.min()) or 1)
    colors = ["#e76f51" if name == ca.us else "#1d4e89" for name in pos.index]
    ax.scatter(pos["x"], pos["y"], s=area, c=colors, alpha=0.55, edgecolor="white", linewidth=1)
    notes = []
    for name, row in pos.iterrows():
        note = ax.annotate(
            label(name),
            (row["x"], row["y"]),
            xytext=(0, 0),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=10 if name == ca.us else 9,
            color="#9c2f12" if name == ca.us else "black",
        )
        notes.append(note)
    mid_x, mid_y = pos["x"].mean(), pos["y"].mean()
    ax.axvline(mid_x, color="0.6", linewidth=0.8, linestyle=":")
    ax.axhline(mid_y, color="0.6", linewidth=0.8, linestyle=":")
    pad_x = (pos["x"].max() - pos["x"].min()) * 0.15 or 1
    pad_y = (pos["y"].max() - pos["y"].min()) * 0.15 or 1
    ax.set_xlim(pos["x"].min() - pad_x, pos["x"].max() + pad_x)
    ax.set_ylim(pos["y"].min() - pad_y, pos["y"].max() + pad_y)
    x_name, y_name = label(ca.label(ca.axes[0])), label(ca.label(ca.axes[1]))
    ax.set_xlabel(x_name)
    ax.set_ylabel(y_name)
    size_name = w("c_size_col" if ca.sized else "c_size_score")
    ax.set_title(w("c_positioning", x=x_name, y=y_name, size=size_name), loc="left")
    place_notes(ax, notes, CENTRED_NOTES)
    return finish(fig)


@chart
def plot_gaps(ca: CompetitorAnalysis, w: Words, ax: plt.Axes | None = None) -> plt.Figure:
    """Our gap to the strongest rival per criterion: right = we lead, left = we trail."""
    gaps = ca.gaps.sort_values("importance", kind="stable")
    fig, ax = _axes(ax, (8, 1.2 + 0.42 * len(gaps)))
    y = np.arange(len(gaps))
    colors = ["#2a9d8f" if g > 0 else "#e76f51" if g < 0 else "0.6" for g in gaps["gap"]]
    ax.barh(y, gaps["gap"], color=colors, height=0.6)
    for yi, row in zip(y, gaps.itertuples()):
        ax.annotate(
            # the chart's numbers keep the hyphen-minus of matplotlib's ticks (unicode_minus off)
            f"{'+' if row.gap > 0 else ''}{w.number(row.gap)} · {label(row.best_competitor)}",
            # right of the bar, or right of the zero line for a gap to the left: a note never
            # runs over the criteria on the left, however long the rival's name
            (max(row.gap, 0), yi),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=8,
        )
    labels = [
        w.paren(label(ca.label(c)), w.number(i))
        for c, i in zip(gaps["criterion"], gaps["importance"])
    ]
    ax.set_yticks(y, labels)
    ax.axvline(0, color="black", linewidth=0.8)
    span = max(1.0, gaps["gap"].abs().max()) * 1.6
    ax.set_xlim(-span, span)
    ax.set_title(w("c_gaps"), loc="left")
    ax.grid(axis="y", visible=False)
    return finish(fig)


@chart
def plot_wallet(
    ca: CompetitorAnalysis, w: Words, ax: plt.Axes | None = None, n: int = WALLET_BARS
) -> plt.Figure | None:
    """Per key account (largest whitespace first): our revenue and the whitespace. No chart
    (``None``) without wallet data."""
    focus = ca.key_wallets()
    if focus is None or not len(focus):
        return None
    data = focus.head(n).iloc[::-1]
    fig, ax = _axes(ax, (8, 1.2 + 0.42 * len(data)))
    y = np.arange(len(data))
    ax.barh(y, data["our_revenue"], color="#1d4e89", height=0.6, label=w("our_revenue"))
    ax.barh(
        y,
        data["whitespace"],
        left=data["our_revenue"],
        color="#a9d6e5",
        height=0.6,
        label=w("whitespace"),
    )
    for yi, (total, share) in enumerate(zip(data["total_spend"], data["share"])):
        ax.annotate(
            w.percent(share) if share == share else "",
            (total, yi),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(y, [label(name or cid) for cid, name in zip(data.index, data["name"])])
    ax.set_xlabel(money_axis(ax.xaxis, w))
    ax.set_title(w("c_wallet"), loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    ax.grid(axis="y", visible=False)
    return finish(fig)

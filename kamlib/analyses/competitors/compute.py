"""Competitor analysis (竞争分析): competitive scores, gaps to the best competitor,
unique selling points and vulnerabilities, the positioning map, share of wallet and whitespace.
Pure computation: inputs and the segmentation's result in, a :class:`CompetitorAnalysis` out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kamlib.analyses.competitors.read import CompetitorInputs
from kamlib.core.notes import Note
from kamlib.core.scoring import criterion_labels, default_criteria, score_alternatives


@dataclass(frozen=True)
class CompetitorAnalysis:
    """The result of :func:`analyse_competitors`.

    Attributes
    ----------
    scores
        Competitor × needed criterion (index = competitor).
    needs
        ``criterion``, ``importance``, ``group`` and ``label`` (the criterion's display name).
    table
        ``competitor``, ``score`` (importance-weighted mean), ``rank``; best first.
    gaps
        Per criterion: ``criterion``, ``importance``, ``ours``, ``best``, ``best_competitor``,
        ``gap`` (ours − best; positive means we lead).
    usp, vulnerabilities
        The rows of ``gaps`` that are unique selling points and vulnerabilities.
    positions
        The positioning map (index = competitor): ``x``, ``y``, ``score``, ``size``.
    axes
        The map's two criteria or criterion groups.
    us
        Our row's name.
    sized
        Whether the bubbles are the data's size column (else the competitive score).
    wallet
        Per account (index = customer_id), largest whitespace first: ``name``, ``total_spend``,
        ``our_revenue``, ``share``, ``whitespace``, ``share:<competitor>``, and ``key_account``
        when the segmentation named key accounts; none without wallet data. Account plans
        read it.
    warnings
        Data-quality notes.
    remarks
        The data's note on each firm (index = competitor), when the data has a note column.
    revenue_from_ledger
        Whether our revenue in the wallet is the segmentation's (its ledger, in its period),
        not the wallet data's own column.
    """

    scores: pd.DataFrame
    needs: pd.DataFrame
    table: pd.DataFrame
    gaps: pd.DataFrame
    usp: pd.DataFrame
    vulnerabilities: pd.DataFrame
    positions: pd.DataFrame
    axes: tuple[str, str]
    us: str
    sized: bool
    wallet: pd.DataFrame | None
    warnings: tuple[Note, ...]
    remarks: pd.Series | None = None
    revenue_from_ledger: bool = False

    @property
    def labels(self) -> dict[str, str]:
        """Each needed criterion's display name (see :func:`criterion_labels`)."""
        return criterion_labels(self.needs)

    def label(self, name: str) -> str:
        """The display name of a criterion; a group or a criterion without one keeps its name."""
        return self.labels.get(str(name), str(name))

    def key_wallets(self) -> pd.DataFrame | None:
        """The wallet rows of the key accounts when the segmentation named any in the wallet,
        else every row; none without wallet data."""
        w = self.wallet
        if w is None:
            return None
        if "key_account" in w and w["key_account"].any():
            return w.loc[w["key_account"]]
        return w


def competitive_scores(scores: pd.DataFrame, needs: pd.DataFrame) -> pd.DataFrame:
    """Weighted competitive score (weights = the customer's needs, rescaled to add up to 1, so
    the score stays on the rating scale) and rank, with the one scoring engine."""
    criteria = default_criteria(list(needs["criterion"]))
    total = float(needs["importance"].sum()) or 1.0
    criteria["weight"] = (needs["importance"] / total).to_numpy()
    criteria["group"] = needs["group"].to_numpy()
    scored = score_alternatives(scores, criteria)
    table = pd.DataFrame(
        {
            "competitor": scores.index,
            "score": scored.totals.to_numpy(),
            "rank": scored.ranks.to_numpy(),
        }
    )
    return table.sort_values(["rank", "competitor"], kind="stable", ignore_index=True)


def criterion_gaps(scores: pd.DataFrame, us: str, needs: pd.DataFrame) -> pd.DataFrame:
    """Per criterion: our score, the best competitor's score and name, and the gap (ours − best);
    positive means we lead."""
    others = scores.drop(index=us)
    best = others.max()
    leader = others.idxmax()
    return pd.DataFrame(
        {
            "criterion": scores.columns,
            "importance": needs.set_index("criterion")["importance"]
            .reindex(scores.columns)
            .to_numpy(),
            "ours": scores.loc[us].to_numpy(),
            "best": best.to_numpy(),
            "best_competitor": leader.to_numpy(),
            "gap": (scores.loc[us] - best).to_numpy(),
        }
    )


def important(gaps: pd.DataFrame) -> pd.Series:
    """Criteria the customer cares about: importance at or above the median importance."""
    return gaps["importance"] >= gaps["importance"].median()


def unique_selling_points(gaps: pd.DataFrame, margin: float) -> pd.DataFrame:
    """A USP is where the customer has a need and competitors meet it worse than we do:
    important criteria where we lead the best competitor by at least ``margin``."""
    chosen = gaps.loc[important(gaps) & (gaps["gap"] >= margin) & (gaps["gap"] > 0)]
    return chosen.sort_values(["importance", "gap"], ascending=False, ignore_index=True)


def vulnerabilities(gaps: pd.DataFrame, margin: float) -> pd.DataFrame:
    """Important criteria where the best competitor leads us by at least ``margin``."""
    chosen = gaps.loc[important(gaps) & (gaps["gap"] <= -margin) & (gaps["gap"] < 0)]
    return chosen.sort_values(["importance", "gap"], ascending=[False, True], ignore_index=True)


def axis_scores(scores: pd.DataFrame, needs: pd.DataFrame, axis: str) -> pd.Series:
    """A criterion's scores, or a criterion group's importance-weighted mean."""
    if axis in scores.columns:
        return scores[axis]
    members = needs.loc[needs["group"] == axis]
    weights = members.set_index("criterion")["importance"]
    if weights.sum() == 0:
        weights = weights + 1
    return (scores[weights.index] * weights).sum(axis=1) / weights.sum()


def default_axes(needs: pd.DataFrame) -> tuple[str, str]:
    """The two most important criterion groups when there are groups, else criteria."""
    groups = needs.loc[needs["group"] != ""].groupby("group", sort=False)["importance"].sum()
    if len(groups) >= 2:
        top = groups.sort_values(ascending=False, kind="stable").index[:2]
        return str(top[0]), str(top[1])
    top = needs.sort_values("importance", ascending=False, kind="stable")["criterion"]
    return str(top.iloc[0]), str(top.iloc[1] if len(top) > 1 else top.iloc[0])


def share_of_wallet(
    wallet: pd.DataFrame, our_revenue: pd.Series | None, names: pd.Series | None = None
) -> pd.DataFrame:
    """Per account: our revenue ÷ the account's total spend, and whitespace = total spend − our
    revenue, largest whitespace first. Competitor columns give their shares too; ``name`` is
    empty for an account ``names`` does not name."""
    ours = wallet["our_revenue"].fillna(0.0) if "our_revenue" in wallet else None
    if our_revenue is not None:
        ours = our_revenue.reindex(wallet.index).fillna(0.0)
    if ours is None:
        ours = pd.Series(0.0, index=wallet.index)
    frame = pd.DataFrame(
        {
            "name": (names.reindex(wallet.index).fillna("") if names is not None else ""),
            "total_spend": wallet["total_spend"],
            "our_revenue": ours,
        }
    )
    frame["share"] = frame["our_revenue"] / frame["total_spend"].where(frame["total_spend"] > 0)
    frame["whitespace"] = (frame["total_spend"] - frame["our_revenue"]).clip(lower=0)
    for column in wallet.columns.drop(["total_spend", "our_revenue"], errors="ignore"):
        frame[f"share:{column}"] = wallet[column] / wallet["total_spend"].where(
            wallet["total_spend"] > 0
        )
    return frame.sort_values("whitespace", ascending=False, kind="stable")


def our_revenue(seg: Any) -> tuple[pd.Series | None, list[str]]:
    """Our revenue per account in the segmentation period, from the segmentation's result when
    there is one, with its key accounts."""
    if seg is None:
        return None, []
    return seg.indicators["revenue"].fillna(0.0), list(seg.key_accounts.index)


def analyse_competitors(
    inputs: CompetitorInputs,
    revenue: pd.Series | None = None,
    key_accounts: Sequence[str] = (),
) -> CompetitorAnalysis:
    """Run every method of the competitor analysis.

    Parameters
    ----------
    inputs
        The read inputs (the wallet accounts' names among them).
    revenue
        Our revenue per account (index = customer_id), from the ledger; without it, the wallet
        data's ``our_revenue`` column.
    key_accounts
        The key accounts' IDs: flagged in the wallet, and a note names those without wallet data.
    """
    s = inputs.settings
    warnings = list(inputs.warnings)
    table = competitive_scores(inputs.scores, inputs.needs)
    gaps = criterion_gaps(inputs.scores, inputs.us, inputs.needs)
    axes = s.axes or default_axes(inputs.needs)
    positions = pd.DataFrame(
        {
            "x": axis_scores(inputs.all_scores, inputs.needs, axes[0]),
            "y": axis_scores(inputs.all_scores, inputs.needs, axes[1]),
            "score": table.set_index("competitor")["score"].reindex(inputs.scores.index),
        }
    )
    positions["size"] = inputs.size if inputs.size is not None else positions["score"]
    wallet = None
    if inputs.wallet is not None:
        wallet = share_of_wallet(inputs.wallet, revenue, inputs.names)
        keys = list(key_accounts)
        if keys:
            missing = [k for k in keys if k not in wallet.index]
            if missing:
                warnings.append(Note.of("wallet_missing", count=len(missing), examples=missing[:3]))
            wallet["key_account"] = wallet.index.isin(keys)
    return CompetitorAnalysis(
        scores=inputs.scores.copy(),
        needs=inputs.needs.copy(),
        table=table,
        gaps=gaps,
        usp=unique_selling_points(gaps, s.usp_margin),
        vulnerabilities=vulnerabilities(gaps, s.usp_margin),
        positions=positions,
        axes=axes,
        us=inputs.us,
        sized=inputs.size is not None,
        wallet=wallet,
        warnings=tuple(warnings),
        remarks=None if inputs.remarks is None else inputs.remarks.fillna("").astype(str),
        revenue_from_ledger=revenue is not None,
    )


def compute(
    inputs: CompetitorInputs, upstream: Mapping[str, Any] | None = None
) -> CompetitorAnalysis:
    """The analysis step of the contract: :func:`analyse_competitors` on read inputs, with our
    revenue and the key accounts of the segmentation when it ran."""
    revenue, keys = our_revenue((upstream or {}).get("customer_segmentation"))
    return analyse_competitors(inputs, revenue, keys)

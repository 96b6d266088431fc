"""Customer segmentation and key accounts, pure computation: from the ledger's
per-customer figures to tiers, Pareto / ABC, migration, the value pyramid, the value matrix, the
misconception flags, RFM, the revenue composition, the key-account scorecard and the key-account
list. No engagement, no language, no files: :func:`segment_customers` runs the steps below on
:class:`~kamlib.analyses.segmentation.read.SegmentationInputs`; what it has to say is data
(:class:`~kamlib.core.notes.Note`), turned into sentences by the view.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kamlib.analyses.segmentation.aggregate import ACCOUNTING
from kamlib.analyses.segmentation.families import join_families, score_targets
from kamlib.analyses.segmentation.methods import (
    NO_PURCHASE,
    Period,
    Tiers,
    abc_classes,
    abc_tiers,
    composition,
    migration_matrix,
    pareto,
    rfm,
    tier_customers,
    tier_table,
)
from kamlib.analyses.segmentation.read import SegmentationInputs, SegmentationSettings
from kamlib.core.notes import Note
from kamlib.core.scoring import default_criteria, score_alternatives

SITS_IN_ONE = 0.9
"""Revenue sits in one order (one year) when that order (year) holds at least 90 % of it."""
CONTINUITY_YEARS = 3
QUADRANT_ACTIONS = {
    (True, True): "keep",
    (False, True): "develop",
    (True, False): "nurture",
    (False, False): "maintain",
}
ACTIONS = ("keep", "develop", "nurture", "maintain")
"""The value matrix's actions, in the order its summary lists them."""
ABC_CLASSES = ("A", "B", "C")
RFM_ORDER = ("champions", "loyal", "potential", "new", "at_risk", "hibernating")
"""The RFM segments, in the order their summary lists them."""


def _weighted(components: dict[str, tuple[pd.Series, float]]) -> pd.Series:
    """Σ w × percentile score over the available components, weights rescaled to add up to 1, with
    the one scoring engine. Missing values score 0.5 (the middle)."""
    usable = {k: (v, w) for k, (v, w) in components.items() if v.notna().any()}
    if not usable:
        index = next(iter(components.values()))[0].index
        return pd.Series(0.5, index=index)
    scores = pd.DataFrame(
        {k: v.rank(pct=True, method="average").fillna(0.5) for k, (v, _) in usable.items()}
    )
    criteria = default_criteria(list(scores.columns))
    total = sum(w for _, w in usable.values())
    criteria["weight"] = [usable[k][1] / total for k in scores.columns]
    return score_alternatives(scores, criteria).totals


def value_pyramid(indicators: pd.DataFrame, shares: tuple[float, ...]) -> pd.DataFrame:
    """Customer value pyramid (加权平均法): a weighted score over percentile-normalised revenue,
    profit, orders and years of cooperation, cut from the top into levels holding ``shares`` of
    customers; equal scores share a level."""
    active = indicators.loc[indicators["active"]]
    has_profit = active["profit"].notna().any()
    score = _weighted(
        {
            "revenue": (active["revenue"], 0.4 if has_profit else 0.7),
            "profit": (active["profit"], 0.3),
            "orders": (active["orders"].astype(float), 0.15),
            "tenure": (active["cooperation_years"], 0.15),
        }
    )
    score = score.round(12)  # equal customers, equal scores: no difference in the last bit
    order = score.sort_values(ascending=False, kind="stable").index
    cuts = [math.ceil(c * len(order) - 1e-9) for c in np.cumsum(shares)]
    # equal scores share the level of the first of them, which may hold more than its share
    place = score[order].rank(method="min", ascending=False).to_numpy()
    level = np.searchsorted(cuts, place, side="left") + 1
    return pd.DataFrame({"value_score": score[order], "level": level}, index=order)


def value_scorecard(indicators: pd.DataFrame) -> pd.DataFrame:
    """Current value (revenue, profit, payment) against potential value (headroom, growth,
    strategic fit), each 0–1, and the quadrant's action: keep, develop, nurture, maintain."""
    active = indicators.loc[indicators["active"]]
    headroom = (active["potential"] - active["revenue"]) if "potential" in active else None
    current = _weighted(
        {
            "revenue": (active["revenue"], 0.5),
            "profit": (active["profit"], 0.3),
            "payment": (-active["collection_days"], 0.2),
        }
    )
    potential_parts = {"growth": (active["growth"], 0.3)}
    if headroom is not None:
        potential_parts["headroom"] = (headroom, 0.4)
    if "alignment" in active:
        potential_parts["alignment"] = (active["alignment"], 0.3)
    potential = _weighted(potential_parts)
    action = [QUADRANT_ACTIONS[(c >= 0.5, p >= 0.5)] for c, p in zip(current, potential)]
    frame = pd.DataFrame(
        {"current_value": current, "potential_value": potential, "action": action},
        index=active.index,
    )
    if headroom is not None:
        frame["headroom"] = headroom
    return frame


def cooperation_years(indicators: pd.DataFrame, period: Period) -> pd.Series:
    """Years of cooperation (合作年限), the one definition: from the start of cooperation to
    the end of the period, in years of 365.25 days. The start is the earlier of 1 January of
    the first year of cooperation in the customer master (``since``) and the customer's first
    transaction in the ledger."""
    start = indicators["first_date"]
    if "since" in indicators:
        years = np.floor(indicators["since"])
        since = pd.to_datetime(pd.DataFrame({"year": years, "month": 1, "day": 1}))
        start = pd.concat([start, since], axis=1).min(axis=1)
    return (pd.Timestamp(period.end) - start).dt.days / 365.25


def misconception_flags(indicators: pd.DataFrame) -> pd.DataFrame:
    """The two misconceptions, exactly: revenue that sits in one order (a one-off purchase or a
    group buy: at least 90 % of the period's sales in the largest order) or in one year (at
    least 90 % of all revenue in one of the twelve-month years ending with the period) is not
    by itself a key account. Fewer than three years of cooperation (``short``) is noted, not
    held against the account."""
    active = indicators.loc[indicators["active"]]
    return pd.DataFrame(
        {
            "one_order": active["largest_order_share"] >= SITS_IN_ONE,
            "one_year": active["max_year_share"] >= SITS_IN_ONE,
            "short": active["cooperation_years"] < CONTINUITY_YEARS,
        },
        index=active.index,
    )


def score_accounts(scores: pd.DataFrame, criteria: pd.DataFrame | None) -> pd.DataFrame:
    """The key-account selection scorecard with the one scoring engine: group
    subtotals, grand total and rank per account."""
    criteria = criteria if criteria is not None else default_criteria(list(scores.columns))
    scored = score_alternatives(scores, criteria)
    table = scored.groups.copy()
    table["total"] = scored.totals
    table["rank"] = scored.ranks
    return table.sort_values(["rank"], kind="stable")


def core_or_important(alignment: pd.Series, threshold: float) -> pd.Series:
    """A key account that shares our philosophy and carries out our policies (alignment
    ≥ threshold) is core; the others are important (to be turned into core)."""
    return pd.Series(
        np.where(alignment.isna(), "", np.where(alignment >= threshold, "core", "important")),
        index=alignment.index,
    )


def select_key_accounts(
    active: pd.DataFrame, tier_order: list[str], n: int | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, list[Note]]:
    """The key-account list, the customers left off it for a misconception, and a note when
    the list stops inside a tie.

    Candidates are ranked by tier (top tier first), then by value score. Walking down that
    ranking, a customer whose revenue sits in one order or one year is set aside (a
    one-off purchase is not a key account) and the walk goes on until ``n`` accounts are chosen.
    ``n`` defaults to the size of the top tier, at least 5 and at most 30. When candidates left
    off are alike in tier and value score to the last one chosen, customer ID decided between
    them, and the note says so.
    """
    position = {name: i for i, name in enumerate(tier_order)}
    ranked = active.assign(_tier=active["tier"].map(position)).sort_values(
        ["_tier", "value_score"], ascending=[True, False], kind="stable"
    )
    if n is None:
        n = min(30, max(5, int((active["tier"] == tier_order[0]).sum())))
    misled = ranked["one_order"] | ranked["one_year"]
    keep = (~misled).cumsum().shift(fill_value=0) < n  # stop at the n-th chosen account
    chosen, aside = ranked.loc[keep & ~misled], ranked.loc[keep & misled]
    if chosen.empty:
        return chosen, aside, []
    last = chosen[["_tier", "value_score"]].iloc[-1]
    alike = (ranked["_tier"] == last["_tier"]) & (ranked["value_score"] == last["value_score"])
    off = ranked.index[alike & ~keep & ~misled]
    if off.empty:
        return chosen, aside, []
    on = chosen.index[alike[chosen.index]]
    tie = Note.of(
        "key_account_tie",
        n=len(chosen),
        on_list=[str(c) for c in on],
        off_list=[str(c) for c in off],
        tier=str(chosen["tier"].iloc[-1]),
    )
    return chosen, aside, [tie]


# ---------------------------------------------------------------- the summaries


def _per_group(
    labels: pd.Series, revenues: pd.Series, order, name: str, revenue: float
) -> pd.DataFrame:
    """Per value of ``labels`` in ``order`` (each listed, none left out): ``name`` (the value),
    ``customers``, ``revenue`` (of ``revenues``, aligned with ``labels``) and ``revenue_share``
    (of ``revenue``, the period's)."""
    rows = []
    for value in order:
        members = revenues[labels == value]
        rows.append(
            {
                name: value,
                "customers": len(members),
                "revenue": members.sum(),
                "revenue_share": members.sum() / revenue,
            }
        )
    return pd.DataFrame(rows)


def abc_summary(active: pd.DataFrame, revenue: float) -> pd.DataFrame:
    """Per ABC class, A, B and C, each listed: ``abc``, ``customers``, ``customer_share``,
    ``revenue`` and ``revenue_share`` (of ``revenue``, the period's)."""
    table = _per_group(active["abc"], active["revenue"], ABC_CLASSES, "abc", revenue)
    table.insert(2, "customer_share", table["customers"] / len(active))
    return table


def pyramid_summary(
    active: pd.DataFrame, shares: tuple[float, ...], revenue: float
) -> pd.DataFrame:
    """Per level of the value pyramid, top first, each listed: ``level`` (1 = top), ``share``
    (of customers it is cut to hold), ``customers``, ``revenue`` and ``revenue_share``."""
    levels = range(1, len(shares) + 1)
    table = _per_group(active["level"], active["revenue"], levels, "level", revenue)
    table.insert(1, "share", [float(share) for share in shares])
    return table


def value_summary(active: pd.DataFrame, revenue: float) -> pd.DataFrame:
    """Per quadrant of the value matrix (:data:`ACTIONS`, each listed): ``action``,
    ``customers``, ``revenue`` and ``revenue_share``."""
    return _per_group(active["action"], active["revenue"], ACTIONS, "action", revenue)


def rfm_summary(scores: pd.DataFrame, by_customer: pd.Series, revenue: float) -> pd.DataFrame:
    """Per RFM segment (:data:`RFM_ORDER`, each listed): ``segment``, ``customers``,
    ``revenue`` and ``revenue_share``, from the RFM ``scores`` and each customer's revenue."""
    revenues = by_customer.reindex(scores.index)
    return _per_group(scores["segment"], revenues, RFM_ORDER, "segment", revenue)


def migration_moves(matrix: pd.DataFrame) -> dict[str, int]:
    """The migration matrix in four counts: customers who moved ``up`` a tier or more,
    ``down``, ``new`` ones (no purchase before) and ``lost`` ones (no purchase now)."""
    order = list(matrix.index[:-1])
    none = matrix.index[-1]
    up = sum(int(matrix.loc[a, b]) for i, a in enumerate(order) for b in order[:i])
    down = sum(int(matrix.loc[a, b]) for i, a in enumerate(order) for b in order[i + 1 :])
    return {
        "up": up,
        "down": down,
        "new": int(matrix.loc[none].sum()),
        "lost": int(matrix[none].sum()),
    }


# ---------------------------------------------------------------- the result


@dataclass(frozen=True)
class Segmentation:
    """Everything the segmentation notebook shows and ``results.json`` records.

    Attributes
    ----------
    period
        The analysis period.
    indicators
        One row per customer of the ledger (index = customer ID): the ledger's figures, the
        customer master's columns (``name``, ``industry``, ``region``, ``since``, …),
        ``cooperation_years`` (:func:`cooperation_years`), ``tier``, ``abc``, ``value_score``,
        ``level``, ``current_value``, ``potential_value``, ``action``, the misconception flags
        (``one_order``, ``one_year``, ``short``), ``r``, ``f``, ``m``, ``rfm_segment``;
        ``active`` = a positive net revenue in the period (the others are no customers of the
        period and have no tier).
    tiers
        The tier definitions.
    tier_table
        Per tier: ``tier``, ``lower``, ``upper``, ``customers``, ``customer_share``, ``revenue``,
        ``revenue_share``, ``average_revenue``.
    abc_table
        Per ABC class (:func:`abc_summary`): ``abc``, ``customers``, ``customer_share``,
        ``revenue``, ``revenue_share``.
    curve, tops
        The Pareto curve (``customer_share``, ``revenue_share``, largest customer first) and the
        revenue shares of the top 1 %, 5 % and 20 % of customers.
    pyramid_shares
        The share of customers in each level of the value pyramid, top first.
    pyramid_table
        Per level of the value pyramid (:func:`pyramid_summary`): ``level``, ``share``,
        ``customers``, ``revenue``, ``revenue_share``.
    value_table
        Per quadrant of the value matrix (:func:`value_summary`): ``action``, ``customers``,
        ``revenue``, ``revenue_share``.
    rfm_table
        Per RFM segment (:func:`rfm_summary`): ``segment``, ``customers``, ``revenue``,
        ``revenue_share``.
    migration
        Customers by tier before (rows) and now (columns), ``NO_PURCHASE`` last.
    migration_moves
        The migration in four counts (:func:`migration_moves`): ``up``, ``down``, ``new``,
        ``lost``.
    composition
        Revenue by industry (``segment``, ``UNKNOWN`` for none), or ``None`` without industries.
    rfm
        ``r``, ``f``, ``m`` scores and ``segment`` of the active customers.
    key_accounts
        The key accounts in order (index = customer ID): ``name``, ``tier``, ``revenue``,
        ``revenue_rank``, ``level``, ``action``, ``cooperation_years``, ``short``, ``kind``
        (``core``, ``important`` or ``""``) and, with a scorecard, ``scorecard_rank``: the
        reasons each is on the list.
    excluded
        High-value customers set aside (index = customer ID): ``name``, ``revenue``, the flags
        ``one_order`` and ``one_year`` (either or both) and the shares behind them,
        ``order_share`` (of the period's sales in the largest order) and ``year_share`` (of all
        revenue in the largest year).
    scorecard
        The key-account scorecard (group subtotals, ``total``, ``rank``), or ``None``.
    accounting
        Where every ledger row went.
    warnings
        Data-quality notes.
    targets
        Targets against actuals
        (:func:`~kamlib.analyses.segmentation.families.score_targets`), or ``None`` without a
        targets file.
    """

    period: Period
    indicators: pd.DataFrame
    tiers: Tiers
    tier_table: pd.DataFrame
    abc_table: pd.DataFrame
    curve: pd.DataFrame
    tops: dict[str, float]
    pyramid_shares: tuple[float, ...]
    pyramid_table: pd.DataFrame
    value_table: pd.DataFrame
    rfm_table: pd.DataFrame
    migration: pd.DataFrame
    migration_moves: dict[str, int]
    composition: pd.DataFrame | None
    rfm: pd.DataFrame
    key_accounts: pd.DataFrame
    excluded: pd.DataFrame
    scorecard: pd.DataFrame | None
    accounting: dict[str, int]
    warnings: tuple[Note, ...]
    targets: pd.DataFrame | None = None

    @property
    def customers(self) -> int:
        """Customers of the period: those with a positive net revenue in it."""
        return int(self.indicators["active"].sum())

    @property
    def revenue(self) -> float:
        """Revenue in the period: the customers' net revenue."""
        return float(self.indicators.loc[self.indicators["active"], "revenue"].sum())


# ---------------------------------------------------------------- the steps

LEDGER_NOTES = (
    # (note code, count in the scan, amount in the scan or None)
    ("rows_without_customer", "no_customer", "no_customer_amount"),
    ("duplicate_rows", "duplicates", None),
    ("future_rows", "future", "future_amount"),
    ("zero_amounts", "zero", None),
    ("paid_before_date", "paid_before", None),
    ("profit_above_amount", "profit_above", None),
)
MASTER_COLUMNS = (
    "name",
    "industry",
    "region",
    "size",
    "registered_capital",
    "listed",
    "since",
    "potential",
    "alignment",
)


def ledger_notes(file: str, scan: Mapping[str, float]) -> list[Note]:
    """The ledger's data-quality findings that do not stop the analysis."""
    notes = []
    for code, count, amount in LEDGER_NOTES:
        if scan[count]:
            params: dict[str, Any] = {"file": file, "count": int(scan[count])}
            if amount is not None:
                params["amount"] = float(scan[amount])
            notes.append(Note.of(code, **params))
    return notes


def ledger_accounting(scan: Mapping[str, float]) -> dict[str, int]:
    """Where every ledger row went: rows, without a customer, before, in and after the period."""
    return {key: int(scan[key]) for key in ACCOUNTING}


def join_master(
    figures: pd.DataFrame, master: pd.DataFrame | None
) -> tuple[pd.DataFrame, list[Note]]:
    """The ledger's per-customer figures with the customer master's columns (``name`` always,
    empty when unknown), and a note on customers of the ledger the master does not know."""
    if master is None:
        return figures.assign(name=""), []
    notes = []
    unknown = figures.index.difference(master.index)
    if len(unknown):
        examples = [str(c) for c in unknown[:3]]
        notes.append(Note.of("customers_not_in_master", count=len(unknown), examples=examples))
    keep = [c for c in MASTER_COLUMNS if c in master]
    ind = figures.join(master[keep], how="left")
    ind["name"] = ind["name"].fillna("")
    return ind, notes


def non_positive_customers(ind: pd.DataFrame) -> list[Note]:
    """A note listing, with their net revenue, the customers with transactions in the period
    but no positive net revenue (returns only, or sales and returns that cancel out): they are
    not counted as customers anywhere."""
    netted = ind.loc[(ind["lines"] > 0) & ~ind["active"], "revenue"]
    if netted.empty:
        return []
    netted = netted.sort_index().sort_values(kind="stable")
    pairs = [[str(c), float(v)] for c, v in netted.items()]
    return [
        Note.of(
            "non_positive_revenue", count=len(pairs), amount=float(netted.sum()), customers=pairs
        )
    ]


def choose_tiers(
    revenue: pd.Series, classes: pd.Series, settings: SegmentationSettings
) -> tuple[Tiers, list[Note]]:
    """The configured tiers, or the ABC classes with a note that says so."""
    if settings.tiers:
        return Tiers(settings.tiers, settings.last_tier), []
    return abc_tiers(revenue, classes), [Note.of("abc_tiers")]


def tier_migration(ind: pd.DataFrame, tiers: Tiers) -> pd.DataFrame:
    """Customers by tier in the previous period (the same bounds) and in this one."""
    before = ind.loc[ind["prev_revenue"] > 0, "prev_revenue"]
    return migration_matrix(
        ind.loc[ind["active"], "tier"], tier_customers(before, tiers), tiers.names, NO_PURCHASE
    )


def revenue_composition(ind: pd.DataFrame) -> pd.DataFrame | None:
    """Revenue by industry, when the customer master gives industries."""
    if "industry" in ind and ind["industry"].fillna("").ne("").any():
        return composition(ind, "industry")
    return None


def account_scorecard(
    scores: pd.DataFrame | None, criteria: pd.DataFrame | None, ind: pd.DataFrame
) -> tuple[pd.DataFrame | None, list[Note]]:
    """The key-account scorecard, and a note on scored accounts without transactions."""
    if scores is None:
        return None, []
    card = score_accounts(scores, criteria)
    strangers = card.index.difference(ind.index)
    if not len(strangers):
        return card, []
    examples = [str(c) for c in strangers[:3]]
    return card, [Note.of("scorecard_unknown_accounts", count=len(strangers), examples=examples)]


def key_account_list(
    ind: pd.DataFrame,
    tiers: Tiers,
    settings: SegmentationSettings,
    scorecard: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame, list[Note]]:
    """The key accounts with the facts that put them on the list, the customers set aside
    for a misconception with the reason and the share behind it, and a note on a tie the list
    stops in."""
    active = ind.loc[ind["active"]]
    chosen, excluded, notes = select_key_accounts(active, tiers.names, settings.key_accounts)
    revenue_rank = active["revenue"].rank(ascending=False, method="min").astype(int)
    keys = pd.DataFrame(index=chosen.index)
    keys["name"] = chosen["name"]
    keys["tier"] = chosen["tier"]
    keys["revenue"] = chosen["revenue"]
    keys["revenue_rank"] = revenue_rank[chosen.index]
    keys["level"] = chosen["level"].astype(int)
    keys["action"] = chosen["action"]
    keys["cooperation_years"] = chosen["cooperation_years"]
    keys["short"] = chosen["short"]
    keys["kind"] = (
        core_or_important(chosen["alignment"], settings.core_alignment)
        if "alignment" in chosen
        else ""
    )
    if scorecard is not None:
        keys["scorecard_rank"] = scorecard["rank"].reindex(keys.index)
    aside = pd.DataFrame(
        {
            "name": excluded["name"],
            "revenue": excluded["revenue"],
            "one_order": excluded["one_order"],
            "one_year": excluded["one_year"],
            "order_share": excluded["largest_order_share"],
            "year_share": excluded["max_year_share"],
        },
        index=excluded.index,
    )
    return keys, aside, notes


# ---------------------------------------------------------------- the pipeline


def segment_customers(inputs: SegmentationInputs) -> Segmentation:
    """Run every segmentation method on read inputs; the inputs are left as they are."""
    s = inputs.settings
    notes = ledger_notes(inputs.ledger_file, inputs.scan) + list(inputs.warnings)
    ind, unknown = join_master(inputs.figures, inputs.customers)
    ind["cooperation_years"] = cooperation_years(ind, inputs.period)
    ind = join_families(ind, inputs.interactions, inputs.opportunities, inputs.period)
    notes += non_positive_customers(ind)
    revenue = ind.loc[ind["active"], "revenue"]
    ind["abc"] = abc_classes(revenue)
    tiers, tier_notes = choose_tiers(revenue, ind["abc"], s)
    ind["tier"] = tier_customers(revenue, tiers)
    curve, tops = pareto(revenue)
    migration = tier_migration(ind, tiers)
    ind = ind.join(value_pyramid(ind, s.pyramid))
    quadrants = value_scorecard(ind)
    ind = ind.join(quadrants.drop(columns="headroom", errors="ignore"))
    ind = ind.join(misconception_flags(ind))
    scores = rfm(ind)
    ind = ind.join(scores.rename(columns={"segment": "rfm_segment"}))
    card, strangers = account_scorecard(inputs.scorecard, inputs.scorecard_criteria, ind)
    keys, excluded, tie = key_account_list(ind, tiers, s, card)
    targets = None
    if inputs.targets is not None:
        targets = score_targets(inputs.targets, ind, [str(k) for k in keys.index])
    active, total = ind.loc[ind["active"]], float(revenue.sum())
    return Segmentation(
        period=inputs.period,
        indicators=ind,
        tiers=tiers,
        tier_table=tier_table(revenue, active["tier"], tiers),
        abc_table=abc_summary(active, total),
        curve=curve,
        tops=tops,
        pyramid_shares=s.pyramid,
        pyramid_table=pyramid_summary(active, s.pyramid, total),
        value_table=value_summary(active, total),
        rfm_table=rfm_summary(scores, ind["revenue"], total),
        migration=migration,
        migration_moves=migration_moves(migration),
        composition=revenue_composition(ind),
        rfm=scores,
        key_accounts=keys,
        excluded=excluded,
        scorecard=card,
        accounting=ledger_accounting(inputs.scan),
        warnings=tuple(notes + unknown + tier_notes + strangers + tie),
        targets=targets,
    )


def compute(inputs: SegmentationInputs, upstream: Mapping[str, Any] | None = None) -> Segmentation:
    """The analysis step of the contract: :func:`segment_customers` on read inputs."""
    return segment_customers(inputs)

"""Key-account identification (METHODS.md §2–3): value pyramid, value scorecard, core vs important
accounts, misconception flags, the key-account scorecard and the key-account list, and the
``segment_customers`` pipeline that ties them to :mod:`kamlib.analyses.segmentation.methods`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.analyses.segmentation.methods import (
    ACCOUNTING,
    Period,
    SegmentationInputs,
    abc_classes,
    composition,
    customer_indicators,
    default_tiers,
    ledger_warnings,
    migration_matrix,
    pareto,
    read_inputs,
    rfm,
    tier_customers,
    tier_table,
)
from kamlib.core.config import Engagement
from kamlib.core.errors import KamError
from kamlib.core.i18n import fmt_money, fmt_number, fmt_percent, join_names, t
from kamlib.core.scoring import default_criteria, score_alternatives

ONE_ORDER_SHARE = 0.5
ONE_YEAR_SHARE = 0.9
CONTINUITY_YEARS = 3
QUADRANT_ACTIONS = {
    (True, True): "keep",
    (False, True): "develop",
    (True, False): "nurture",
    (False, False): "maintain",
}


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
    profit, orders and tenure, cut from the top into levels holding ``shares`` of customers."""
    active = indicators.loc[indicators["active"]]
    has_profit = active["profit"].notna().any()
    score = _weighted(
        {
            "revenue": (active["revenue"], 0.4 if has_profit else 0.7),
            "profit": (active["profit"], 0.3),
            "orders": (active["orders"].astype(float), 0.15),
            "tenure": (active["tenure_years"], 0.15),
        }
    )
    order = score.sort_values(ascending=False, kind="stable").index
    cuts = [math.ceil(c * len(order) - 1e-9) for c in np.cumsum(shares)]
    level = np.searchsorted(cuts, np.arange(1, len(order) + 1), side="left") + 1
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


def misconception_flags(indicators: pd.DataFrame, period: Period, multi_year: bool) -> pd.DataFrame:
    """Seed 001/004: revenue that sits in one order or one year, or a relationship shorter than
    three years, is not by itself a key account."""
    active = indicators.loc[indicators["active"]]
    if "since" in active and active["since"].notna().any():
        years = (period.end.year - active["since"] + 1).where(
            active["since"].notna(), active["tenure_years"]
        )
    else:
        years = (pd.Timestamp(period.end) - active["first_date"]).dt.days / 365.25
    return pd.DataFrame(
        {
            "one_order": (active["largest_order_share"] >= ONE_ORDER_SHARE)
            & (active["orders"] >= 1),
            "one_year": multi_year & (active["max_year_share"] >= ONE_YEAR_SHARE),
            "short": years < CONTINUITY_YEARS,
            "cooperation_years": years,
        },
        index=active.index,
    )


def score_accounts(scores: pd.DataFrame, criteria: pd.DataFrame | None) -> pd.DataFrame:
    """The seed-002 key-account selection scorecard with the one scoring engine: group
    subtotals, grand total and rank per account."""
    criteria = criteria if criteria is not None else default_criteria(list(scores.columns))
    scored = score_alternatives(scores, criteria)
    table = scored.groups.copy()
    table["total"] = scored.totals
    table["rank"] = scored.ranks
    return table.sort_values(["rank"], kind="stable")


def core_or_important(alignment: pd.Series, threshold: float) -> pd.Series:
    """Seed 004: a key account that shares our philosophy and carries out our policies (alignment
    ≥ threshold) is core; the others are important (to be turned into core)."""
    return pd.Series(
        np.where(alignment.isna(), "", np.where(alignment >= threshold, "core", "important")),
        index=alignment.index,
    )


@dataclass
class Segmentation:
    """Everything the segmentation notebook shows and ``results.json`` records."""

    period: Period
    indicators: pd.DataFrame
    tiers: tuple[tuple[str, float], ...]
    last_tier: str
    tier_table: pd.DataFrame
    curve: pd.DataFrame
    tops: dict[str, float]
    pyramid_shares: tuple[float, ...]
    migration: pd.DataFrame
    composition: pd.DataFrame | None
    rfm: pd.DataFrame
    key_accounts: pd.DataFrame
    excluded: pd.DataFrame
    scorecard: pd.DataFrame | None
    accounting: dict[str, int]
    warnings: list[str]
    language: str
    currency: str

    @property
    def customers(self) -> int:
        return int(self.indicators["active"].sum())

    @property
    def revenue(self) -> float:
        return float(self.indicators["revenue"].sum())

    def to_results(self) -> dict:
        """The ``customer_segmentation`` entry of ``results.json``."""
        tiers = [
            {
                k: (
                    None
                    if v is None or (isinstance(v, float) and math.isnan(v))
                    else (int(v) if k == "customers" else v if k == "tier" else float(v))
                )
                for k, v in row.items()
                if k != "average_revenue"
            }
            for row in self.tier_table.to_dict("records")
        ]
        return {
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "customers": self.customers,
            "revenue": self.revenue,
            "tiers": tiers,
            "pareto": dict(self.tops),
            "key_accounts": [str(c) for c in self.key_accounts.index],
            "warnings": list(self.warnings),
        }


def select_key_accounts(
    active: pd.DataFrame, tier_order: list[str], n: int | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The key-account list and the customers left off it for a misconception.

    Candidates are ranked by tier (top tier first), then by value score. Walking down that
    ranking, a customer whose revenue sits in one order or one year is set aside (seed 001: a
    one-off purchase is not a key account) and the walk goes on until ``n`` accounts are chosen.
    ``n`` defaults to the size of the top tier, at least 5 and at most 30.
    """
    position = {name: i for i, name in enumerate(tier_order)}
    ranked = active.assign(_tier=active["tier"].map(position)).sort_values(
        ["_tier", "value_score"], ascending=[True, False], kind="stable"
    )
    if n is None:
        n = min(30, max(5, int((active["tier"] == tier_order[0]).sum())))
    misled = ranked["one_order"] | ranked["one_year"]
    keep = (~misled).cumsum().shift(fill_value=0) < n  # stop at the n-th chosen account
    cut = ranked.loc[keep]
    return cut.loc[~misled[keep]], cut.loc[misled[keep]]


def segment_customers(inputs: SegmentationInputs, eng: Engagement) -> Segmentation:
    """Run every method of METHODS.md §3 on a loaded ledger."""
    lang, s, period, ledger = eng.language, inputs.settings, inputs.period, inputs.ledger
    warnings = ledger_warnings(ledger, inputs.scan, period, lang) + inputs.warnings
    ind = customer_indicators(ledger, period, s.payment_terms_days)
    master = inputs.customers
    if master is not None:
        unknown = ind.index.difference(master.index)
        if len(unknown):
            warnings.append(
                t(
                    "w_unknown_customers",
                    lang,
                    count=fmt_number(len(unknown)),
                    examples=join_names([str(c) for c in unknown[:3]], lang),
                )
            )
        keep = [
            c
            for c in (
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
            if c in master
        ]
        ind = ind.join(master[keep], how="left")
        ind["name"] = ind["name"].fillna("")
    else:
        ind["name"] = ""
    active = ind.loc[ind["active"]]
    revenue = active["revenue"]
    tiers = s.tiers or default_tiers(revenue)
    if not s.tiers:
        warnings.append(
            t(
                "w_default_tiers",
                lang,
                tiers=", ".join(
                    f"{name} ≥ {fmt_money(b, lang, eng.currency)}" for name, b in tiers
                ),
            )
        )
    ind["tier"] = tier_customers(revenue, tiers, s.last_tier)
    curve, tops = pareto(revenue)
    ind["abc"] = abc_classes(curve)
    before = ind.loc[ind["prev_revenue"].notna(), "prev_revenue"]
    prev_tier = tier_customers(before, tiers, s.last_tier)
    order = [name for name, _ in tiers] + [s.last_tier]
    migration = migration_matrix(
        ind.loc[ind["active"], "tier"], prev_tier, order, t("no_purchase", lang)
    )
    pyramid = value_pyramid(ind, s.pyramid)
    ind = ind.join(pyramid)
    quadrants = value_scorecard(ind)
    ind = ind.join(quadrants.drop(columns=[c for c in ("headroom",) if c in quadrants]))
    multi_year = ledger.first.year < ledger.last.year
    ind = ind.join(misconception_flags(ind, period, multi_year))
    scores = rfm(ind)
    ind = ind.join(scores.rename(columns={"segment": "rfm_segment"}))
    comp = (
        composition(ind, "industry", t("unknown", lang))
        if "industry" in ind and ind["industry"].fillna("").ne("").any()
        else None
    )

    scorecard = None
    card = eng.read("account_scorecard")
    if card is not None:
        criteria_file = eng.read("scorecard_criteria")
        frame = card.frame.set_index("customer_id")
        frame.index = frame.index.astype(str)
        criteria = None
        if criteria_file is not None:
            criteria = criteria_file.frame[["criterion", "weight", "direction", "group"]]
            missing = [c for c in criteria["criterion"] if c not in card.extra]
            if missing:
                raise KamError(
                    criteria_file.file,
                    f"a score column of {card.file.name}",
                    f'"{missing[0]}"',
                    column="criterion",
                )
            criteria = criteria.reset_index(drop=True)
        scorecard = score_accounts(frame[card.extra], criteria)
        strangers = scorecard.index.difference(ind.index)
        if len(strangers):
            warnings.append(
                t(
                    "w_scorecard_unknown",
                    lang,
                    count=len(strangers),
                    examples=join_names(list(strangers[:3]), lang),
                )
            )

    chosen, excluded = select_key_accounts(ind.loc[ind["active"]], order, s.key_accounts)
    revenue_rank = revenue.rank(ascending=False, method="min").astype(int)
    keys = pd.DataFrame(index=chosen.index)
    keys["name"] = chosen["name"]
    keys["tier"] = chosen["tier"]
    keys["revenue"] = chosen["revenue"]
    keys["revenue_rank"] = revenue_rank[chosen.index]
    keys["level"] = chosen["level"].astype(int)
    keys["action"] = chosen["action"]
    keys["cooperation_years"] = chosen["cooperation_years"]
    keys["kind"] = (
        core_or_important(chosen["alignment"], s.core_alignment) if "alignment" in chosen else ""
    )
    if scorecard is not None:
        keys["scorecard_rank"] = scorecard["rank"].reindex(keys.index)
    keys["reason"] = [_reason(row, lang, eng.currency) for row in keys.itertuples()]
    excluded_frame = pd.DataFrame(
        {
            "name": excluded["name"],
            "revenue": excluded["revenue"],
            "reason": [
                t("x_one_order", lang, share=fmt_percent(r.largest_order_share))
                if r.one_order
                else t("x_one_year", lang, share=fmt_percent(r.max_year_share))
                for r in excluded.itertuples()
            ],
        }
    )
    return Segmentation(
        period=period,
        indicators=ind,
        tiers=tiers,
        last_tier=s.last_tier,
        tier_table=tier_table(revenue, ind.loc[ind["active"], "tier"], tiers, s.last_tier),
        curve=curve,
        tops=tops,
        pyramid_shares=s.pyramid,
        migration=migration,
        composition=comp,
        rfm=scores,
        key_accounts=keys,
        excluded=excluded_frame,
        scorecard=scorecard,
        accounting={key: int(inputs.scan[key]) for key in ACCOUNTING},
        warnings=warnings,
        language=lang,
        currency=eng.currency,
    )


def _reason(row, lang: str, currency: str) -> str:
    parts = [
        t(
            "r_tier",
            lang,
            tier=row.tier,
            revenue=fmt_money(row.revenue, lang, currency),
            rank=row.revenue_rank,
        ),
        t("r_level", lang, level=row.level),
        t(f"q_{row.action}", lang),
    ]
    if not (isinstance(row.cooperation_years, float) and math.isnan(row.cooperation_years)):
        key = "r_years_short" if row.cooperation_years < CONTINUITY_YEARS else "r_years"
        parts.append(t(key, lang, years=fmt_number(row.cooperation_years, 1)))
    if row.kind:
        parts.append(t(f"k_{row.kind}", lang))
    rank = getattr(row, "scorecard_rank", None)
    if rank is not None and not (isinstance(rank, float) and math.isnan(rank)):
        parts.append(t("r_scorecard", lang, rank=int(rank)))
    return ("；" if lang == "zh" else "; ").join(parts)


def segment_from_engagement(eng: Engagement) -> Segmentation:
    """Read an engagement's ledger, customer master and settings and segment its customers."""
    return segment_customers(read_inputs(eng), eng)

"""Customer segmentation (客户分级): the methods on per-customer frames. Pure:
the period, Pareto / ABC, threshold tiers, RFM, tier migration and revenue composition.

The ledger is aggregated per customer in DuckDB when it is read
(:mod:`kamlib.analyses.segmentation.aggregate`); every function here works on the frames that come
out of it and returns new ones.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

NO_PURCHASE = "no_purchase"
"""The migration matrix's row and column of customers without a purchase in that period."""
UNKNOWN = ""
"""The composition's segment of customers without one (no industry in the customer master)."""


# ---------------------------------------------------------------- the period


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (earlier when negative), or the last day of
    that month when it is shorter: 31 March − 1 month = 28 or 29 February."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Period:
    """An analysis period, both ends inclusive."""

    start: dt.date
    end: dt.date

    def previous(self) -> Period:
        """The period just before this one, as many calendar months (and days) long: the twelve
        months before twelve months, whatever the leap days; February before March."""
        after = self.end + dt.timedelta(days=1)
        months = (after.year - self.start.year) * 12 + after.month - self.start.month
        if months_later(self.start, months) > after:
            months -= 1
        days = (after - months_later(self.start, months)).days
        start = months_later(self.start, -months) - dt.timedelta(days=days)
        return Period(start, self.start - dt.timedelta(days=1))


def default_period(last: dt.date) -> Period:
    """The twelve calendar months ending on ``last`` (both ends inclusive): from the day after
    the same date a year before."""
    return Period(months_later(last + dt.timedelta(days=1), -12), last)


# ---------------------------------------------------------------- Pareto and ABC


def percentile_scores(values: pd.Series, bins: int = 5, ascending: bool = True) -> pd.Series:
    """Scores 1..bins from percentile ranks that survive heavy ties.

    Equal values share their average rank, so ties never break the binning the way ``qcut``
    does; the ranks are then stretched so that the lowest value scores 1 and the highest
    ``bins``: when 70 % of customers have one order, those customers score 1, not a middling 2
    or 3. When every value is equal there is nothing to tell apart and all score the middle.
    """
    pct = values.rank(method="average", pct=True, ascending=ascending)
    low, high = pct.min(), pct.max()
    if not high > low:
        return pd.Series(math.ceil(bins / 2), index=values.index, dtype=int)
    stretched = np.floor((pct - low) / (high - low) * bins) + 1
    return stretched.clip(1, bins).astype(int)


def pareto(revenue: pd.Series) -> tuple[pd.DataFrame, dict[str, float]]:
    """Cumulative-share curve (customers sorted by revenue, largest first) and the revenue shares
    of the top 1 %, 5 % and 20 % of customers (top ceil(x × n) customers)."""
    ordered = revenue.sort_values(ascending=False, kind="stable")
    n, total = len(ordered), float(ordered.sum())
    curve = pd.DataFrame(
        {
            "customer_share": np.arange(1, n + 1) / n,
            "revenue_share": ordered.cumsum().to_numpy() / total,
        },
        index=ordered.index,
    )
    tops = {
        f"top_{p}pct": float(ordered.iloc[: math.ceil(p / 100 * n)].sum() / total)
        for p in (1, 5, 20)
    }
    return curve, tops


ABC = (("A", 80), ("B", 95))
"""The ABC classes and the share of revenue, in percent, each reaches to; C is the rest."""


def abc_classes(revenue: pd.Series) -> pd.Series:
    """ABC by cumulative revenue, largest customer first: A while the revenue before a customer
    is below 80 % of the total (the customer crossing it included), B below 95 %, C the rest.
    Equal revenues share the class of the first of them; shares are compared in whole cents,
    exactly."""
    cents = (revenue * 100).round().astype("int64").sort_values(ascending=False, kind="stable")
    before = (cents.cumsum() - cents).groupby(cents).transform("min")
    total = int(cents.sum())
    classes = pd.Series("C", index=cents.index, name="abc", dtype=object)
    for name, percent in reversed(ABC):
        classes[before * 100 < total * percent] = name
    return classes


# ---------------------------------------------------------------- tiers


@dataclass(frozen=True)
class Tiers:
    """The tiers, defined once: each tier's lower bound on revenue in the period (inclusive),
    highest first, and the tier below the lowest bound. The tier table, the migration matrix and
    the key-account ranking all read this one definition.
    """

    bounds: tuple[tuple[str, float], ...]
    last: str = "D"

    @property
    def names(self) -> list[str]:
        """Every tier, highest first, the last one included."""
        return [name for name, _ in self.bounds] + [self.last]

    @property
    def lowers(self) -> list[float | None]:
        """Each tier's lower bound; the last tier has none."""
        return [bound for _, bound in self.bounds] + [None]

    @property
    def uppers(self) -> list[float | None]:
        """Each tier's upper bound (the lower bound of the tier above); the top tier has none."""
        return [None] + [bound for _, bound in self.bounds]


def tier_customers(revenue: pd.Series, tiers: Tiers) -> pd.Series:
    """Tier per customer: the first tier (highest bound first) whose lower bound the revenue
    reaches (inclusive); below the lowest bound, the last tier."""
    labels = pd.Series(tiers.last, index=revenue.index, name="tier", dtype=object)
    for name, bound in reversed(tiers.bounds):
        labels[revenue >= bound] = name
    return labels


def tier_table(revenue: pd.Series, tier: pd.Series, tiers: Tiers) -> pd.DataFrame:
    """The tier table: tier, lower, upper, customers, customer_share, revenue, revenue_share,
    average revenue per customer. Every tier is listed, empty ones with zeros."""
    total_customers, total_revenue = len(revenue), float(revenue.sum())
    rows = []
    for name, lower, upper in zip(tiers.names, tiers.lowers, tiers.uppers):
        members = revenue[tier == name]
        rows.append(
            {
                "tier": name,
                "lower": lower,
                "upper": upper,
                "customers": int(len(members)),
                "customer_share": len(members) / total_customers if total_customers else 0.0,
                "revenue": float(members.sum()),
                "revenue_share": float(members.sum()) / total_revenue if total_revenue else 0.0,
                "average_revenue": float(members.mean()) if len(members) else 0.0,
            }
        )
    return pd.DataFrame(rows)


def abc_tiers(revenue: pd.Series, classes: pd.Series) -> Tiers:
    """The ABC classes as tiers, exactly: A and B from the smallest revenue in each (equal
    revenues share a class, so nobody below a class reaches its bound), C the last tier. An
    empty class has no bound and no tier."""
    bounds = [
        (name, float(revenue[classes.index[classes == name]].min()))
        for name, _ in ABC
        if (classes == name).any()
    ]
    return Tiers(tuple(bounds), "C")


# ---------------------------------------------------------------- migration, composition, RFM


def migration_matrix(
    now: pd.Series, before: pd.Series, order: list[str], none: str = NO_PURCHASE
) -> pd.DataFrame:
    """Customers by tier before (rows) and now (columns); ``none`` = no purchase in that period."""
    frame = pd.DataFrame({"before": before, "now": now}).fillna(none)
    labels = [*order, none]
    matrix = pd.crosstab(frame["before"], frame["now"]).reindex(
        index=labels, columns=labels, fill_value=0
    )
    matrix.loc[none, none] = 0
    return matrix


def hhi(shares: pd.Series) -> float:
    """Herfindahl–Hirschman index on 0–10 000 from shares that add up to 1."""
    return float(((shares * 100) ** 2).sum())


def composition(indicators: pd.DataFrame, by: str, unknown: str = UNKNOWN) -> pd.DataFrame:
    """Revenue by segment (e.g. industry) with concentration: the segment's largest customer's
    share of the segment and the HHI of customers within it."""
    active = indicators.loc[indicators["revenue"].fillna(0) > 0]
    total = float(active["revenue"].sum())
    rows = []
    for segment, members in active.groupby(active[by].replace("", unknown).fillna(unknown)):
        revenue = members["revenue"]
        shares = revenue / revenue.sum()
        top = shares.idxmax()
        rows.append(
            {
                "segment": segment,
                "customers": len(members),
                "revenue": float(revenue.sum()),
                "share": float(revenue.sum()) / total,
                "top_customer": top,
                "top_customer_share": float(shares.max()),
                "hhi": hhi(shares),
            }
        )
    return pd.DataFrame(rows).sort_values("revenue", ascending=False, ignore_index=True)


RFM_SEGMENTS = (
    # (segment key, test on R and F scores), first match wins
    ("champions", lambda r, f: (r >= 4) & (f >= 4)),
    ("loyal", lambda r, f: (r >= 3) & (f >= 4)),
    ("at_risk", lambda r, f: (r <= 2) & (f >= 3)),
    ("new", lambda r, f: (r >= 4) & (f <= 2)),
    ("hibernating", lambda r, f: (r <= 2) & (f <= 2)),
    ("potential", lambda r, f: r > 0),
)


def rfm(indicators: pd.DataFrame) -> pd.DataFrame:
    """Recency, frequency and monetary scores 1–5 of the customers active in the period, and a
    segment from R and F. Equal values share a score."""
    active = indicators.loc[indicators["active"]]
    r = percentile_scores(active["recency_days"], ascending=False)
    f = percentile_scores(active["orders"])
    m = percentile_scores(active["revenue"])
    segment = pd.Series("", index=active.index, dtype=object)
    for key, test in reversed(RFM_SEGMENTS):
        segment[test(r, f)] = key
    return pd.DataFrame({"r": r, "f": f, "m": m, "segment": segment})

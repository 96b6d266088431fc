"""Customer segmentation (客户分级, METHODS.md §3): from a transaction ledger to per-customer
indicators, Pareto / ABC, threshold tiers, RFM, tier migration and revenue composition.

The ledger is aggregated in DuckDB (:mod:`kamlib.core.ledger`); every function here works on the
per-customer frame that comes out of it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kamlib.core.config import Engagement
from kamlib.core.errors import KamError
from kamlib.core.i18n import fmt_number, t
from kamlib.core.ledger import Ledger, load_ledger

SECTION = "segmentation"
DEFAULT_PYRAMID = (0.01, 0.04, 0.15, 0.80)


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class SegmentationSettings:
    """The ``segmentation:`` section of ``engagement.yaml``."""

    start: dt.date | None = None
    end: dt.date | None = None
    tiers: tuple[tuple[str, float], ...] = ()
    last_tier: str = "D"
    pyramid: tuple[float, ...] = DEFAULT_PYRAMID
    key_accounts: int | None = None
    core_alignment: float = 7.0
    payment_terms_days: int = 90


def _date(eng: Engagement, key: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise eng.error(key, "a date written YYYY-MM-DD", value) from None


def read_settings(eng: Engagement) -> SegmentationSettings:
    """Parse and check the ``segmentation`` section, pointing at its line on error."""
    known = {
        "period",
        "tiers",
        "last_tier",
        "pyramid",
        "key_accounts",
        "core_alignment",
        "payment_terms_days",
    }
    raw = eng.settings(SECTION, known)
    kwargs: dict = {}
    period = raw.get("period") or {}
    if not isinstance(period, dict) or set(period) - {"start", "end"}:
        raise eng.error(f"{SECTION}.period", "a mapping with start and end", period)
    for key in ("start", "end"):
        if period.get(key) is not None:
            kwargs[key] = _date(eng, f"{SECTION}.period.{key}", period[key])
    if kwargs.get("start") and kwargs.get("end") and kwargs["start"] > kwargs["end"]:
        raise eng.error(
            f"{SECTION}.period.end", f"a date on or after {kwargs['start']}", kwargs["end"]
        )
    tiers = raw.get("tiers")
    if tiers is not None:
        if not isinstance(tiers, dict) or not tiers:
            raise eng.error(f"{SECTION}.tiers", "a mapping of tier name to lower bound", tiers)
        bounds = []
        for name, bound in tiers.items():
            if isinstance(bound, bool) or not isinstance(bound, int | float) or bound < 0:
                raise eng.error(f"{SECTION}.tiers.{name}", "a lower bound ≥ 0", bound)
            bounds.append((str(name), float(bound)))
        written = dict(zip((name for name, _ in bounds), tiers.values()))
        for (upper_name, upper), (name, bound) in zip(bounds, bounds[1:]):
            if bound >= upper:
                raise eng.error(
                    f"{SECTION}.tiers.{name}",
                    f"tiers in descending order, a bound below {upper_name}'s {fmt_number(upper)}",
                    written[name],
                )
        kwargs["tiers"] = tuple(bounds)
    if raw.get("last_tier") is not None:
        kwargs["last_tier"] = str(raw["last_tier"])
    pyramid = raw.get("pyramid")
    if pyramid is not None:
        ok = (
            isinstance(pyramid, list)
            and pyramid
            and all(
                isinstance(s, int | float) and not isinstance(s, bool) and 0 < s <= 1
                for s in pyramid
            )
        )
        if not ok or not math.isclose(sum(pyramid), 1.0, abs_tol=1e-6):
            raise eng.error(
                f"{SECTION}.pyramid",
                "a list of shares from the top that add up to 1, e.g. [0.01, 0.04, 0.15, 0.80]",
                pyramid,
            )
        kwargs["pyramid"] = tuple(float(s) for s in pyramid)
    for key, lo, hi, kind in (
        ("key_accounts", 1, 10_000, int),
        ("core_alignment", 1, 10, float),
        ("payment_terms_days", 1, 3650, int),
    ):
        value = raw.get(key)
        if value is None:
            continue
        valid = isinstance(value, int | float) and not isinstance(value, bool)
        if not valid or not lo <= value <= hi or (kind is int and not float(value).is_integer()):
            raise eng.error(f"{SECTION}.{key}", f"a number from {lo} to {hi}", value)
        kwargs[key] = kind(value)
    return SegmentationSettings(**kwargs)


# ---------------------------------------------------------------- aggregation


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)


def default_period(last: dt.date) -> Period:
    """The twelve months ending on ``last`` (both ends inclusive): from the day after the same
    date a year before, or from the first of the next month when ``last`` ends its month."""
    following = last + dt.timedelta(days=1)
    if following.day == 1:  # a month-end: whole calendar months
        return Period(dt.date(following.year - 1, following.month, 1), last)
    return Period(dt.date(last.year - 1, last.month, last.day) + dt.timedelta(days=1), last)


def customer_indicators(ledger: Ledger, period: Period, terms_days: int = 90) -> pd.DataFrame:
    """Per-customer indicators (METHODS.md §3, transaction and financial families), in DuckDB.

    One row per customer with at least one transaction in the ledger; period figures are for
    ``period``, history figures over the whole ledger.
    """
    has = ledger.has
    profit = "sum(profit)" if has("profit") else "NULL::DOUBLE"
    quantity = "sum(quantity)" if has("quantity") else "NULL::DOUBLE"
    if has("paid_date"):
        paid = "paid_date IS NOT NULL AND amount > 0"
        late = (
            f"amount > 0 AND ((paid_date IS NULL AND date + {terms_days} < $end) "
            f"OR paid_date - date > {terms_days})"
        )
        financial = (
            f"sum(paid_date - date) FILTER ({paid}) AS collection_sum, "
            f"count(*) FILTER ({paid}) AS collection_n, "
            f"sum(amount) FILTER ({late}) AS late, "
            "max(amount) FILTER (paid_date IS NOT NULL) AS largest_receipt"
        )
    else:
        financial = (
            "NULL::DOUBLE AS collection_sum, 0 AS collection_n, NULL::DOUBLE AS late, "
            "NULL::DOUBLE AS largest_receipt"
        )
    # lines without an order number are orders of their own
    if not has("order_id"):
        order_key = "rowid"
    elif ledger.lines_without_order:
        order_key = "order_id, CASE WHEN order_id IS NULL THEN rowid END"
    else:
        order_key = "order_id"
    # One scan of the whole ledger into cells (customer × year × period bucket: 1 = the
    # period, 2 = the previous period, 0 = other), then small rollups of the cells.
    sql = f"""
    WITH cells AS MATERIALIZED (
        SELECT customer_id, year(date) AS y,
               CASE WHEN date BETWEEN $start AND $end THEN 1
                    WHEN date BETWEEN $prev_start AND $prev_end THEN 2 ELSE 0 END AS b,
               sum(amount) AS amount, {profit} AS profit, {quantity} AS quantity,
               count(*) AS lines, -sum(amount) FILTER (amount < 0) AS returns,
               count(*) FILTER (amount < 0) AS return_lines, min(date) AS first,
               max(date) AS last, sum(amount) FILTER (amount > 0) AS positive, {financial}
        FROM ledger_rows WHERE customer_id IS NOT NULL GROUP BY ALL),
    years AS (SELECT customer_id, y, sum(amount) AS amount FROM cells GROUP BY ALL),
    hist AS (SELECT customer_id, count(*) FILTER (amount > 0) AS active_years,
                    max(amount) / nullif(sum(amount) FILTER (amount > 0), 0) AS max_year_share
             FROM years GROUP BY ALL),
    orders AS (
        SELECT customer_id, count(*) AS orders, max(amount) AS largest_order
        FROM (SELECT customer_id, sum(amount) AS amount FROM ledger_rows
              WHERE customer_id IS NOT NULL AND date BETWEEN $start AND $end
              GROUP BY customer_id, {order_key})
        GROUP BY ALL),
    customers AS (
        SELECT customer_id,
               sum(amount) FILTER (b = 1) AS revenue, sum(profit) FILTER (b = 1) AS profit,
               sum(quantity) FILTER (b = 1) AS quantity, sum(lines) FILTER (b = 1) AS lines,
               sum(returns) FILTER (b = 1) AS returns,
               sum(return_lines) FILTER (b = 1) AS return_lines,
               max(last) FILTER (b = 1) AS last_date,
               min(first) FILTER (b = 1) AS first_in_period,
               sum(collection_sum) FILTER (b = 1) / nullif(sum(collection_n) FILTER (b = 1), 0)
                   AS collection_days,
               sum(late) FILTER (b = 1) / nullif(sum(positive) FILTER (b = 1), 0)
                   AS overdue_share,
               max(largest_receipt) FILTER (b = 1) AS largest_receipt,
               sum(amount) FILTER (b = 2) AS prev_revenue, min(first) AS first_date,
               max(last) AS last_seen, sum(amount) AS lifetime_revenue
        FROM cells GROUP BY ALL)
    SELECT customers.*, orders.orders, orders.largest_order, hist.active_years,
           hist.max_year_share
    FROM customers
    LEFT JOIN orders USING (customer_id)
    LEFT JOIN hist USING (customer_id)
    ORDER BY customer_id
    """
    prev = period.previous()
    frame = ledger.con.execute(
        sql,
        {"start": period.start, "end": period.end, "prev_start": prev.start, "prev_end": prev.end},
    ).df()
    frame = frame.set_index("customer_id")
    frame.index = pd.Index(frame.index.astype(str).to_numpy(dtype=object), name="customer_id")
    for col in ("last_date", "first_in_period", "first_date", "last_seen"):
        frame[col] = pd.to_datetime(frame[col])
    counts = ["lines", "orders", "return_lines", "active_years"]
    frame[counts] = frame[counts].fillna(0).astype(int)
    frame["active"] = frame["lines"] > 0
    end = pd.Timestamp(period.end)
    frame["average_order"] = frame["revenue"] / frame["orders"].replace(0, np.nan)
    frame["largest_order_share"] = frame["largest_order"] / frame["revenue"].where(
        frame["revenue"] > 0
    )
    frame["margin"] = frame["profit"] / frame["revenue"].where(frame["revenue"] > 0)
    frame["recency_days"] = (end - frame["last_date"]).dt.days
    frame["tenure_years"] = (frame["last_seen"] - frame["first_date"]).dt.days / 365.25
    span = (frame["last_date"] - frame["first_in_period"]).dt.days
    frame["purchase_interval_days"] = span / (frame["orders"] - 1).where(frame["orders"] > 1)
    frame["growth"] = frame["revenue"] / frame["prev_revenue"].where(frame["prev_revenue"] > 0) - 1
    return frame


ACCOUNTING = ("rows", "no_customer", "before_period", "in_period", "after_period")


def scan_ledger(ledger: Ledger, period: Period, report_date: dt.date) -> dict[str, float]:
    """One pass over the ledger: where every row went (nothing is dropped without being
    counted), the period's revenue, and the counts behind the data-quality warnings."""
    has = ledger.has
    known = "customer_id IS NOT NULL"
    measures = {
        "rows": "count(*)",
        "no_customer": f"count(*) FILTER (NOT {known})",
        "before_period": f"count(*) FILTER ({known} AND date < $start)",
        "in_period": f"count(*) FILTER ({known} AND date BETWEEN $start AND $end)",
        "after_period": f"count(*) FILTER ({known} AND date > $end)",
        "period_revenue": (
            f"coalesce(sum(amount) FILTER ({known} AND date BETWEEN $start AND $end), 0)"
        ),
        "no_customer_amount": f"coalesce(sum(amount) FILTER (NOT {known}), 0)",
        "future": "count(*) FILTER (date > $report)",
        "future_amount": "coalesce(sum(amount) FILTER (date > $report), 0)",
        "zero": "count(*) FILTER (amount = 0)",
        "paid_before": "count(*) FILTER (paid_date < date)" if has("paid_date") else "0",
        "profit_above": (
            "count(*) FILTER (amount > 0 AND profit > amount)" if has("profit") else "0"
        ),
    }
    row = ledger.con.execute(
        f"SELECT {', '.join(measures.values())} FROM ledger_rows",
        {"start": period.start, "end": period.end, "report": report_date},
    ).fetchone()
    return {
        key: (float(v) if key.endswith(("amount", "revenue")) else int(v))
        for key, v in zip(measures, row)
    }


def ledger_warnings(ledger: Ledger, scan: dict[str, float], period: Period, lang: str) -> list[str]:
    """Data-quality findings of the ledger that do not stop the analysis."""
    # exact duplicates within the period, where they change the figures (one hash per row)
    duplicates = ledger.con.execute(
        f"SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM ledger_rows "
        f"WHERE date BETWEEN $start AND $end GROUP BY hash({', '.join(ledger.columns)}) "
        "HAVING count(*) > 1)",
        {"start": period.start, "end": period.end},
    ).fetchone()[0]
    found = [
        ("w_no_customer", scan["no_customer"], scan["no_customer_amount"]),
        ("w_duplicates", duplicates, 0),
        ("w_future", scan["future"], scan["future_amount"]),
        ("w_zero", scan["zero"], 0),
        ("w_paid_before", scan["paid_before"], 0),
        ("w_profit_above", scan["profit_above"], 0),
    ]
    return [
        t(key, lang, file=ledger.file.name, count=fmt_number(count), amount=fmt_number(amount, 2))
        for key, count, amount in found
        if count
    ]


# ---------------------------------------------------------------- methods


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


def abc_classes(curve: pd.DataFrame, a: float = 0.80, b: float = 0.95) -> pd.Series:
    """ABC by cumulative revenue share: A up to ``a`` (the customer crossing it included), B up to
    ``b``, C the rest."""
    before = curve["revenue_share"].shift(fill_value=0)
    return pd.Series(
        np.where(before < a, "A", np.where(before < b, "B", "C")), index=curve.index, name="abc"
    )


def tier_customers(
    revenue: pd.Series, tiers: tuple[tuple[str, float], ...], last_tier: str = "D"
) -> pd.Series:
    """Tier per customer: the first tier (highest bound first) whose lower bound the revenue
    reaches (inclusive); below the lowest bound, ``last_tier``."""
    labels = pd.Series(last_tier, index=revenue.index, name="tier", dtype=object)
    for name, bound in reversed(tiers):
        labels[revenue >= bound] = name
    return labels


def tier_table(
    revenue: pd.Series, tier: pd.Series, tiers: tuple[tuple[str, float], ...], last_tier: str = "D"
) -> pd.DataFrame:
    """Seed-003 table: tier, lower, upper, customers, customer_share, revenue, revenue_share,
    average revenue per customer. Every tier is listed, empty ones with zeros."""
    names = [name for name, _ in tiers] + [last_tier]
    lowers = [bound for _, bound in tiers] + [None]
    uppers = [None] + [bound for _, bound in tiers]
    total_customers, total_revenue = len(revenue), float(revenue.sum())
    rows = []
    for name, lower, upper in zip(names, lowers, uppers):
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


def default_tiers(revenue: pd.Series) -> tuple[tuple[str, float], ...]:
    """Tiers when none are configured: A, B, C at the revenue of the customers who close 80 %,
    95 % of revenue on the Pareto curve (ABC), rounded down to two significant figures."""
    curve, _ = pareto(revenue)
    classes = abc_classes(curve)
    bounds = []
    for name in ("A", "B"):
        members = revenue[classes[classes == name].index]
        if len(members):
            low = float(members.min())
            digits = max(0, int(math.floor(math.log10(low))) - 1) if low > 0 else 0
            bounds.append((name, math.floor(low / 10**digits) * 10**digits))
    cleaned: list[tuple[str, float]] = []
    for name, bound in bounds:
        if bound > 0 and (not cleaned or bound < cleaned[-1][1]):
            cleaned.append((name, bound))
    return tuple(cleaned)


def migration_matrix(
    now: pd.Series, before: pd.Series, order: list[str], none: str
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


def composition(indicators: pd.DataFrame, by: str, unknown: str) -> pd.DataFrame:
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


@dataclass
class SegmentationInputs:
    """A loaded ledger, the optional customer master, the period and the settings."""

    ledger: Ledger
    customers: pd.DataFrame | None
    period: Period
    settings: SegmentationSettings
    scan: dict[str, float]
    warnings: list[str] = field(default_factory=list)

    def customer_ids(self) -> set[str]:
        """Every customer the engagement knows: the ledger's and the customer master's."""
        rows = self.ledger.con.execute(
            "SELECT DISTINCT customer_id FROM ledger_rows WHERE customer_id IS NOT NULL"
        ).fetchall()
        known = {str(row[0]) for row in rows}
        if self.customers is not None:
            known |= {str(c) for c in self.customers.index}
        return known


def read_inputs(eng: Engagement) -> SegmentationInputs:
    """Load the ledger (DuckDB) and the optional customer master, and check the period."""
    settings = read_settings(eng)
    path = eng.data_file("transactions")
    if path is None:
        raise KamError(eng.path / "transactions.csv", "a transactions data file", "no such file")
    ledger = load_ledger(path)
    period = Period(
        settings.start or default_period(ledger.last).start, settings.end or ledger.last
    )
    if settings.end is None and settings.start is not None and settings.start > ledger.last:
        raise eng.error(
            f"{SECTION}.period.start",
            f"a date on or before the ledger's last date {ledger.last}",
            settings.start,
        )
    scan = scan_ledger(ledger, period, dt.date.fromisoformat(eng.date))
    if not scan["in_period"]:
        raise KamError(
            path,
            f"transactions between {period.start} and {period.end}",
            f"none (the ledger runs from {ledger.first} to {ledger.last})",
        )
    if scan["period_revenue"] <= 0:
        raise KamError(
            path,
            f"a positive total amount between {period.start} and {period.end}",
            fmt_number(scan["period_revenue"], 2),
        )
    master = eng.read("customers")
    warnings = list(ledger.warnings)
    customers = None
    if master is not None:
        warnings += master.warnings
        customers = master.frame.set_index("customer_id")
        customers.index = customers.index.astype(str)
    return SegmentationInputs(ledger, customers, period, settings, scan, warnings)

"""The single-indicator families (单一指标分类法) that do not come from the ledger, and targets
against actuals. Pure: frames in, new frames out.

- the contact family (联络类指标) from the contact log: per customer, each kind of contact as a
  count and a share of all its contacts in the period, visits per month, and whether the share
  of complaints is rising (second half of the period against the first);
- expected sales (销售预期金额) from the open opportunities;
- the scorecard of targets: per account and indicator, actual, target, attainment and RAG.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kamlib.analyses.segmentation.methods import Period

CONTACT_TYPES = (
    # (type in the contact log, count column, share column)
    ("task", "tasks", "task_share"),
    ("process", "processes", "process_share"),
    ("visit", "visits", "visit_share"),
    ("praise", "praise", "praise_share"),
    ("complaint", "complaints", "complaint_share"),
    ("suggestion", "suggestions", "suggestion_share"),
)
DAYS_A_MONTH = 365.25 / 12
RISING_POINTS = 0.10
RISING_COMPLAINTS = 2
"""The share of complaints is rising when the second half of the period holds at least two
complaints and their share of its contacts is at least 10 percentage points above the first
half's: one complaint more is no trend."""


def win_probability(can_win: pd.Series) -> pd.Series:
    """The win probability of an open opportunity from the screen's "can we win" answer
    (1–5): 10 %, 30 %, 50 %, 70 %, 90 %, i.e. (2 × answer − 1) ÷ 10; never certain, never
    hopeless."""
    return (2 * can_win - 1) / 10


def expected_sales(opportunities: pd.DataFrame) -> pd.Series:
    """销售预期金额 per customer: Σ value × :func:`win_probability` over its open
    opportunities (every row of the opportunities file is one)."""
    weighted = opportunities["value"] * win_probability(opportunities["can_win"])
    return weighted.groupby(opportunities["customer_id"]).sum().rename("expected_sales")


def halves(period: Period) -> tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]:
    """The period's start, the first day of its second half and its end: the first half holds
    ⌊days ÷ 2⌋ days, the second the rest."""
    days = (period.end - period.start).days + 1
    start = pd.Timestamp(period.start)
    return start, start + pd.Timedelta(days=days // 2), pd.Timestamp(period.end)


def contact_family(interactions: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The contact family per customer with a contact in the period (index = customer ID).

    ``interactions`` (every contact), for each kind a count (``tasks``, ``processes``,
    ``visits``, ``praise``, ``complaints``, ``suggestions``) and its share of the customer's
    contacts (``task_share`` … ``suggestion_share``); ``visits_per_month`` (visits ÷ the
    period's months of 365.25 ÷ 12 days); ``complaint_share_first`` and
    ``complaint_share_second``, the complaints' share of the contacts in each half of the
    period (:func:`halves`; a half without contacts has a share of 0), and
    ``complaints_rising``: the second half holds at least :data:`RISING_COMPLAINTS`
    complaints and its share is at least :data:`RISING_POINTS` above the first half's.
    """
    start, middle, end = halves(period)
    dates = interactions["date"]
    logged = interactions.loc[(dates >= start) & (dates <= end)]
    counts = pd.crosstab(logged["customer_id"], logged["type"])
    frame = pd.DataFrame(index=counts.index.astype(object))
    frame.index.name = "customer_id"
    frame["interactions"] = counts.sum(axis=1)
    for kind, count, share in CONTACT_TYPES:
        frame[count] = counts[kind] if kind in counts else 0
        frame[share] = frame[count] / frame["interactions"]
    days = (period.end - period.start).days + 1
    frame["visits_per_month"] = frame["visits"] / (days / DAYS_A_MONTH)
    second = logged["date"] >= middle
    for name, part in (("first", logged.loc[~second]), ("second", logged.loc[second])):
        complaint = (part["type"] == "complaint").groupby(part["customer_id"])
        frame[f"complaint_share_{name}"] = complaint.mean().reindex(frame.index).fillna(0.0)
        late = complaint.sum().reindex(frame.index).fillna(0)
    rise = frame["complaint_share_second"] - frame["complaint_share_first"]
    # rounded: 0.3 − 0.2 is 0.0999… in binary, and ten points are ten points
    frame["complaints_rising"] = (late >= RISING_COMPLAINTS) & (rise.round(12) >= RISING_POINTS)
    return frame


def join_families(
    ind: pd.DataFrame,
    interactions: pd.DataFrame | None,
    opportunities: pd.DataFrame | None,
    period: Period,
) -> pd.DataFrame:
    """The indicators with the contact family and expected sales; a customer without a contact
    (or an open opportunity) has counts of 0 and no shares. Without the file, the columns are
    left out."""
    ind = ind.copy()
    if interactions is not None:
        family = contact_family(interactions, period)
        ind = ind.join(family, how="left")
        counts = ["interactions", "visits_per_month"]
        counts += [count for _, count, _ in CONTACT_TYPES]
        ind[counts] = ind[counts].fillna(0)
        for column in ("complaint_share_first", "complaint_share_second"):
            ind[column] = ind[column].fillna(0.0)
        ind["complaints_rising"] = ind["complaints_rising"].astype("boolean").fillna(False)
        ind["complaints_rising"] = ind["complaints_rising"].astype(bool)
    if opportunities is not None:
        ind["expected_sales"] = expected_sales(opportunities).reindex(ind.index).fillna(0.0)
    return ind


# ---------------------------------------------------------------- indicators by name

INDICATOR_KEYS = (
    # (key in results.json and tables/customers.csv, column of the indicators)
    ("orders", "orders"),
    ("revenue", "revenue"),
    ("profit", "profit"),
    ("margin", "margin"),
    ("average_order", "average_order"),
    ("max_order", "largest_order"),
    ("returns", "returns"),
    ("return_count", "return_lines"),
    ("tenure_years", "cooperation_years"),
    ("purchase_cycle_days", "purchase_cycle_days"),
    ("expected_sales", "expected_sales"),
    ("max_payment", "largest_receipt"),
    ("average_payment", "average_receipt"),
    ("days_to_pay", "collection_days"),
    ("average_outstanding", "average_outstanding"),
    ("outstanding_ratio", "outstanding_ratio"),
    ("overdue_share", "overdue_share"),
    ("interactions", "interactions"),
    ("tasks", "tasks"),
    ("processes", "processes"),
    ("visits", "visits"),
    ("praise", "praise"),
    ("complaints", "complaints"),
    ("suggestions", "suggestions"),
    ("task_share", "task_share"),
    ("process_share", "process_share"),
    ("visit_share", "visit_share"),
    ("praise_share", "praise_share"),
    ("complaint_share", "complaint_share"),
    ("suggestion_share", "suggestion_share"),
    ("visits_per_month", "visits_per_month"),
)
"""Every indicator of the families by its public name: the keys of
``customer_segmentation.indicators`` in results.json and the columns of
``tables/customers.csv``."""
COLUMN_OF = dict(INDICATOR_KEYS)

PERSPECTIVES = {
    # target indicator → (the KAM scorecard's perspective, lower is better)
    "revenue": ("sales", False),
    "orders": ("sales", False),
    "average_order": ("sales", False),
    "max_order": ("sales", False),
    "expected_sales": ("sales", False),
    "profit": ("financial", False),
    "margin": ("financial", False),
    "days_to_pay": ("financial", True),
    "outstanding_ratio": ("financial", True),
    "praise": ("customer", False),
    "complaints": ("customer", True),
    "complaint_share": ("customer", True),
    "visits": ("service", False),
    "tasks": ("service", False),
}
"""The indicators a target may be set on (those of ``targets``' ``indicator`` column), their
perspective and whether less is better (days to pay, outstanding, complaints)."""
AMBER = 0.1
"""Attainment within 10 % short of the target is amber; further short, red."""


def attainment_rag(attainment: float, lower_is_better: bool) -> str:
    """Green when the target is met (actual ≥ target, or ≤ for an indicator where less is
    better), amber within :data:`AMBER` of it, red beyond; ``""`` without an attainment."""
    if attainment is None or math.isnan(attainment):
        return ""
    if lower_is_better:
        return "green" if attainment <= 1 else "amber" if attainment <= 1 + AMBER else "red"
    return "green" if attainment >= 1 else "amber" if attainment >= 1 - AMBER else "red"


def score_targets(
    targets: pd.DataFrame, ind: pd.DataFrame, key_accounts: list[str], all_id: str = "all"
) -> pd.DataFrame:
    """Targets against actuals: one row per account and indicator with a target (a row for
    ``all`` sets it for every key account; an account's own row wins over it), with
    ``perspective``, ``actual`` (the account's indicator in the period), ``target``,
    ``attainment`` = actual ÷ target (none when the target is 0 or the actual unknown),
    ``rag`` (:func:`attainment_rag`) and ``period``. Key accounts first, in their order."""
    own = targets.loc[targets["customer_id"] != all_id]
    shared = targets.loc[targets["customer_id"] == all_id]
    rows = [own]
    for account in key_accounts:
        mine = set(own.loc[own["customer_id"] == account, "indicator"])
        rows.append(shared.loc[~shared["indicator"].isin(mine)].assign(customer_id=account))
    frame = pd.concat(rows, ignore_index=True)
    order = {c: i for i, c in enumerate(key_accounts)}
    frame = frame.assign(
        _key=frame["customer_id"].map(order).fillna(len(order)),
        _ind=frame["indicator"].map({k: i for i, k in enumerate(PERSPECTIVES)}),
    ).sort_values(["_key", "customer_id", "_ind"], kind="stable", ignore_index=True)
    actual = []
    for customer, indicator in zip(frame["customer_id"], frame["indicator"]):
        column = COLUMN_OF[indicator]
        known = customer in ind.index and column in ind
        actual.append(float(ind.at[customer, column]) if known else math.nan)
    frame["actual"] = np.array(actual, dtype=float)
    target = frame["target"].astype(float)
    frame["attainment"] = frame["actual"] / target.where(target != 0)
    frame["perspective"] = [PERSPECTIVES[i][0] for i in frame["indicator"]]
    frame["rag"] = [
        attainment_rag(a, PERSPECTIVES[i][1])
        for a, i in zip(frame["attainment"], frame["indicator"])
    ]
    columns = ["customer_id", "perspective", "indicator", "period", "actual", "target"]
    return frame[[*columns, "attainment", "rag"]]

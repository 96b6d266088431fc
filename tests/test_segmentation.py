"""Tests for customer segmentation (docs/methods.md §3): settings, periods, the ledger's
accounting and notes, Pareto / ABC, threshold tiers (the franchisor's A–D table), RFM, migration
and composition, the ``customer_segmentation`` results contract in both languages, the tables
and charts of the view.

Expected numbers are hand-computed or computed here with plain pandas from the generated data,
never by the function under test. Every test runs inside ``tmp_path`` so messages show relative
file names.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kamlib.analyses.segmentation import charts, view
from kamlib.analyses.segmentation.compute import Segmentation, compute
from kamlib.analyses.segmentation.methods import (
    NO_PURCHASE,
    UNKNOWN,
    Period,
    Tiers,
    abc_classes,
    composition,
    default_period,
    hhi,
    migration_matrix,
    pareto,
    percentile_scores,
    rfm,
    tier_customers,
    tier_table,
)
from kamlib.analyses.segmentation.read import read_inputs, read_settings
from kamlib.analyses.segmentation.view import (
    abc_table,
    accounting_table,
    composition_table,
    findings,
    indicators_table,
    ranking_table,
    results,
    rfm_table,
)
from kamlib.core.config import Engagement, load_engagement
from kamlib.core.errors import KamError
from kamlib.core.i18n import Words
from kamlib.core.notes import Note

EN, ZH = Words("en"), Words("zh")
TIERS = (("A", 5_000_000.0), ("B", 3_000_000.0), ("C", 1_000_000.0))
FRANCHISOR_YAML = """\
segmentation:
  period: {start: 2025-01-01, end: 2025-12-31}
  tiers: {A: 5000000, B: 3000000, C: 1000000}
"""
# The engagement.yaml written by make_engagement has 7 lines before ``extra``.
FIRST_EXTRA_LINE = 8


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def segment(eng: Engagement) -> Segmentation:
    """Read and compute, as the engagement run does."""
    return compute(read_inputs(eng))


def texts(notes, words: Words) -> list[str]:
    return [n.text(words) for n in notes]


# --- a ledger shaped like the franchisor's -------------------------------------------------------

# The franchisor (docs/methods.md §3): 40 customers at ≥ 5 M, 360 at 3–5 M, 425 at 1–3 M and
# 3,870 below 1 M a year.
FRANCHISOR_COUNTS = {"A": 40, "B": 360, "C": 425, "D": 3870}
FRANCHISOR_RANGES = {
    "A": (5_000_001, 12_000_000),
    "B": (3_000_001, 4_999_999),
    "C": (1_000_001, 2_999_999),
    "D": (1_000, 999_999),
}
# Customers on the bounds: inclusive lower bounds put each in the higher tier.
EXACT = {"EXACT-A": ("A", 5_000_000), "EXACT-B": ("B", 3_000_000), "EXACT-C": ("C", 1_000_000)}


def _split(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` whole amounts that add up exactly (no float rounding)."""
    base = total // parts
    return [base] * (parts - 1) + [total - base * (parts - 1)]


def franchisor_ledger(paid: bool = True, history: bool = True) -> pd.DataFrame:
    """Rows of a ledger whose 2025 revenue per customer follows the franchisor's tier counts.

    ``history`` adds rows outside 2025 (2024 for a third of the customers, a customer seen only in
    2024, one in January 2026) and a row without a customer; ``paid`` adds a paid_date column.
    """
    rng = np.random.default_rng(3)
    days = pd.date_range("2025-01-01", "2025-12-31").strftime("%Y-%m-%d").to_numpy()
    rows: list[tuple[str, str, int]] = []
    number = 0
    for tier, count in FRANCHISOR_COUNTS.items():
        exact = [(cid, total) for cid, (t, total) in EXACT.items() if t == tier]
        lo, hi = FRANCHISOR_RANGES[tier]
        totals = exact + [
            (f"K{number + i:05d}", int(v))
            for i, v in enumerate(rng.integers(lo, hi + 1, size=count - len(exact)))
        ]
        number += count
        for cid, total in totals:
            parts = 6 if tier == "A" else int(rng.integers(1, 6))
            for amount in _split(total, parts):
                rows.append((cid, str(days[rng.integers(len(days))]), amount))
    if history:
        ids = sorted({r[0] for r in rows})
        rows += [(cid, "2024-06-15", 400_000) for cid in ids[::3]]
        rows += [("LOST-1", "2024-03-03", 2_500_000), ("LATE-1", "2026-01-10", 9_000_000)]
        rows += [("", "2025-05-05", 7_777_777)]
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    if paid:
        frame["paid_date"] = (pd.to_datetime(frame["date"]) + pd.Timedelta(days=45)).dt.strftime(
            "%Y-%m-%d"
        )
    return frame


def franchisor_engagement(make_engagement, frame: pd.DataFrame) -> Path:
    return make_engagement(
        files={"transactions.csv": frame.to_csv(index=False)}, language="en", extra=FRANCHISOR_YAML
    )


def expected_tier_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The franchisor's table from the raw rows, with plain pandas."""
    rows = frame.loc[
        frame["customer_id"].fillna("").ne("") & frame["date"].between("2025-01-01", "2025-12-31")
    ]
    revenue = rows.groupby("customer_id")["amount"].sum().astype(float)
    tier = np.select(
        [revenue >= 5_000_000, revenue >= 3_000_000, revenue >= 1_000_000], ["A", "B", "C"], "D"
    )
    out = []
    for name, lower, upper in [
        ("A", 5e6, np.nan),
        ("B", 3e6, 5e6),
        ("C", 1e6, 3e6),
        ("D", np.nan, 1e6),
    ]:
        members = revenue[tier == name]
        out.append(
            {
                "tier": name,
                "lower": lower,
                "upper": upper,
                "customers": len(members),
                "customer_share": len(members) / len(revenue),
                "revenue": float(members.sum()),
                "revenue_share": float(members.sum()) / float(revenue.sum()),
                "average_revenue": float(members.mean()),
            }
        )
    return pd.DataFrame(out)


def test_franchisor_tier_table(make_engagement) -> None:
    frame = franchisor_ledger()
    seg = segment(load_engagement(franchisor_engagement(make_engagement, frame)))

    table = seg.tier_table
    assert list(table.columns) == [
        "tier",
        "lower",
        "upper",
        "customers",
        "customer_share",
        "revenue",
        "revenue_share",
        "average_revenue",
    ]
    assert table["customers"].tolist() == [40, 360, 425, 3870]
    expected = expected_tier_table(frame)
    pd.testing.assert_frame_equal(
        table.astype({"tier": object, "customers": "int64"}),
        expected.astype({"tier": object, "customers": "int64"}),
        rtol=1e-12,
    )
    assert table["customer_share"].sum() == pytest.approx(1.0)
    assert table["revenue_share"].sum() == pytest.approx(1.0)
    # Shares of customers as printed: ≈ 1 %, 8 %, 9 %, 82 % of 4,695.
    assert table["customer_share"].round(2).tolist() == [0.01, 0.08, 0.09, 0.82]


def test_franchisor_bounds_are_inclusive(make_engagement) -> None:
    frame = franchisor_ledger()
    seg = segment(load_engagement(franchisor_engagement(make_engagement, frame)))

    ind = seg.indicators
    assert ind.loc["EXACT-A", "revenue"] == 5_000_000.0
    assert ind.loc[["EXACT-A", "EXACT-B", "EXACT-C"], "tier"].tolist() == ["A", "B", "C"]
    # Rows outside the period and rows without a customer are not in the tiers.
    assert "LOST-1" in ind.index and not ind.loc["LOST-1", "active"]
    assert "LATE-1" in ind.index and not ind.loc["LATE-1", "active"]
    assert seg.customers == 4695


def test_money_on_a_bound_is_summed_exactly_and_lands_in_the_tier(make_engagement) -> None:
    # C1's four invoices total exactly 1,000,000.00 (as binary floats 999,999.9999999999):
    # tier C, whose lower bound is inclusive; C2 is a cent below it
    amounts = ["29960.24", "34152.86", "871806.07", "64080.83"]
    ledger = "customer_id,date,amount\n" + "".join(
        f"C1,2025-0{i + 1}-01,{a}\n" for i, a in enumerate(amounts)
    )
    ledger += "C2,2025-05-01,999999.99\nC3,2025-06-01,5000000\n"
    folder = make_engagement(
        files={"transactions.csv": ledger}, language="en", extra=FRANCHISOR_YAML
    )
    seg = segment(load_engagement(folder))

    assert seg.indicators.loc["C1", "revenue"] == 1_000_000.0
    assert seg.indicators["tier"].to_dict() == {"C1": "C", "C2": "D", "C3": "A"}
    assert seg.tier_table["customers"].tolist() == [1, 0, 1, 1]
    assert seg.tier_table["revenue"].tolist() == [5_000_000.0, 0.0, 1_000_000.0, 999_999.99]


@pytest.mark.parametrize(
    ("amounts", "en", "zh"),
    [
        (
            # B 4 M and C 2 M: tiers A and D are empty
            (4_000_000, 2_000_000),
            [
                "Tier B holds 1 customer (50.0% of customers) and 66.7% of revenue; tier C holds "
                "50.0% of customers but only 33.3% of revenue.",
                "Empty tiers: A and D.",
            ],
            [
                "B 级客户 1 个（占客户 50.0%），贡献收入的 66.7%；C 级客户占客户数的 50.0%，"
                "只贡献 33.3%。",
                "没有客户的等级：A和D。",
            ],
        ),
        (
            (500, 700),
            ["Every customer is in tier D.", "Empty tiers: A, B and C."],
            ["所有客户都在 D 级。", "没有客户的等级：A、B和C。"],
        ),
    ],
)
def test_the_tier_sentence_words_empty_tiers(make_engagement, amounts, en, zh) -> None:
    ledger = "customer_id,date,amount\n" + "".join(
        f"C{i},2025-03-01,{a}\n" for i, a in enumerate(amounts)
    )
    folder = make_engagement(
        files={"transactions.csv": ledger}, language="en", extra=FRANCHISOR_YAML
    )
    seg = segment(load_engagement(folder))

    assert findings(seg, EN)[2:4] == en
    assert findings(seg, ZH)[2:4] == zh


def test_franchisor_accounting_adds_up(make_engagement) -> None:
    frame = franchisor_ledger()
    seg = segment(load_engagement(franchisor_engagement(make_engagement, frame)))

    acc = seg.accounting
    in_2025 = frame["date"].between("2025-01-01", "2025-12-31")
    named = frame["customer_id"].ne("")
    assert acc == {
        "rows": len(frame),
        "no_customer": 1,
        "before_period": int((named & (frame["date"] < "2025-01-01")).sum()),
        "in_period": int((named & in_2025).sum()),
        "after_period": 1,
    }
    assert (
        acc["no_customer"] + acc["before_period"] + acc["in_period"] + acc["after_period"]
        == (acc["rows"])
    )


def test_results_contract(make_engagement) -> None:
    frame = franchisor_ledger()
    seg = segment(load_engagement(franchisor_engagement(make_engagement, frame)))

    entry = results(seg, EN)
    assert set(entry) == {
        "period",
        "customers",
        "revenue",
        "tiers",
        "pareto",
        "abc",
        "pyramid",
        "value_matrix",
        "rfm",
        "migration",
        "key_accounts",
        "set_aside",
        "indicators",
        "targets",
        "warnings",
    }
    assert entry["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    in_period = frame.loc[
        frame["date"].between("2025-01-01", "2025-12-31") & frame["customer_id"].ne("")
    ]
    assert type(entry["customers"]) is int
    assert entry["customers"] == in_period["customer_id"].nunique() == 4695
    assert entry["revenue"] == pytest.approx(float(in_period["amount"].sum()), rel=1e-12)
    expected = expected_tier_table(frame)
    assert [set(row) for row in entry["tiers"]] == [
        {"tier", "lower", "upper", "customers", "customer_share", "revenue", "revenue_share"}
    ] * 4
    assert [row["tier"] for row in entry["tiers"]] == ["A", "B", "C", "D"]
    assert [row["lower"] for row in entry["tiers"]] == [5e6, 3e6, 1e6, None]
    assert [row["upper"] for row in entry["tiers"]] == [None, 5e6, 3e6, 1e6]
    assert [row["customers"] for row in entry["tiers"]] == [40, 360, 425, 3870]
    assert all(type(row["customers"]) is int for row in entry["tiers"])
    for row, (_, want) in zip(entry["tiers"], expected.iterrows()):
        assert row["revenue"] == pytest.approx(want["revenue"], rel=1e-12)
        assert row["revenue_share"] == pytest.approx(want["revenue_share"], rel=1e-12)
        assert row["customer_share"] == pytest.approx(want["customer_share"], rel=1e-12)
    revenue = in_period.groupby("customer_id")["amount"].sum().sort_values(ascending=False)
    total = revenue.sum()
    assert set(entry["pareto"]) == {"top_1pct", "top_5pct", "top_20pct"}
    for key, k in (("top_1pct", 47), ("top_5pct", 235), ("top_20pct", 939)):
        assert entry["pareto"][key] == pytest.approx(revenue.iloc[:k].sum() / total, rel=1e-12)
    assert entry["key_accounts"] == [str(c) for c in seg.key_accounts.index]
    assert all(isinstance(c, str) for c in entry["key_accounts"])
    # parts of one customer's revenue that fell on the same day repeat each other exactly
    in_2025 = frame.loc[frame["date"].between("2025-01-01", "2025-12-31")]
    duplicates = int(in_2025.duplicated().sum())
    assert duplicates > 0
    assert entry["warnings"] == [
        {
            "code": "rows_without_customer",
            "text": "transactions.csv: 1 row has no customer ID (amount CNY 7.8 m); "
            "it is left out.",
            "file": "transactions.csv",
            "count": 1,
            "amount": 7_777_777.0,
        },
        {
            "code": "duplicate_rows",
            "text": f"transactions.csv: {duplicates} rows repeat another row exactly and may be "
            "double entries (kept).",
            "file": "transactions.csv",
            "count": duplicates,
        },
    ]
    assert json.loads(json.dumps(entry)) == entry


def test_results_carry_the_summaries(make_engagement) -> None:
    """results.json holds the ABC, pyramid, value-matrix, RFM and migration summaries the page
    shows: every class listed, counts that add up to the customers, shares that add up to 1,
    each figure the same as from the customers' own classes."""
    frame = franchisor_ledger()
    seg = segment(load_engagement(franchisor_engagement(make_engagement, frame)))
    entry = json.loads(json.dumps(results(seg, EN)))
    active = seg.indicators.loc[seg.indicators["active"]]
    total = active["revenue"].sum()

    assert sum(row["customers"] for row in entry["tiers"]) == entry["customers"] == 4695
    summaries = (("abc", "abc", "abc"), ("value_matrix", "action", "action"))
    summaries += (("pyramid", "level", "level"), ("rfm", "segment", "rfm_segment"))
    for key, name, column in summaries:
        rows = entry[key]
        assert sum(row["customers"] for row in rows) == 4695, key
        assert sum(row["revenue_share"] for row in rows) == pytest.approx(1.0, rel=1e-12), key
        assert sum(row["revenue"] for row in rows) == pytest.approx(total, rel=1e-12), key
        for row in rows:
            members = active.loc[active[column] == row[name]]
            assert row["customers"] == len(members), (key, row[name])
            assert row["revenue"] == pytest.approx(members["revenue"].sum(), rel=1e-12)
            assert row["revenue_share"] == pytest.approx(row["revenue"] / total, rel=1e-12)
    assert [row["abc"] for row in entry["abc"]] == ["A", "B", "C"]
    assert [row["customers"] for row in entry["abc"]] == [
        int((active["abc"] == c).sum()) for c in "ABC"
    ]
    assert sum(row["customer_share"] for row in entry["abc"]) == pytest.approx(1.0)
    assert (
        entry["abc"][0]["revenue_share"]
        >= 0.8
        > entry["abc"][0]["revenue_share"]
        - (active.loc[active["abc"] == "A", "revenue"].min() / total)
    )
    assert [row["action"] for row in entry["value_matrix"]] == [
        "keep",
        "develop",
        "nurture",
        "maintain",
    ]
    assert [(row["level"], row["share"]) for row in entry["pyramid"]] == [
        (1, 0.01),
        (2, 0.04),
        (3, 0.15),
        (4, 0.80),
    ]
    assert entry["pyramid"][0]["customers"] >= math.ceil(0.01 * 4695)
    assert [row["segment"] for row in entry["rfm"]] == [
        "champions",
        "loyal",
        "potential",
        "new",
        "at_risk",
        "hibernating",
    ]
    # the migration: every customer of the period in a column of this period's tiers, every
    # customer of the previous one in a row of its tiers; the four counts from the cells
    migration = entry["migration"]
    matrix = pd.DataFrame(migration["matrix"]).T  # rows before, columns now
    tiers = ["A", "B", "C", "D"]
    assert list(matrix.index) == list(matrix.columns) == [*tiers, "no_purchase"]
    assert int(matrix[tiers].to_numpy().sum()) == 4695
    assert matrix.loc["no_purchase", "no_purchase"] == 0
    before = seg.indicators["prev_revenue"] > 0
    assert int(matrix.loc[tiers].to_numpy().sum()) == int(before.sum())
    cells = matrix.loc[tiers, tiers].to_numpy()
    assert migration["up"] == int(np.tril(cells, -1).sum())
    assert migration["down"] == int(np.triu(cells, 1).sum())
    assert migration["new"] == int(matrix.loc["no_purchase"].sum())
    assert migration["lost"] == int(matrix["no_purchase"].sum())
    assert migration["up"] + migration["down"] + int(np.trace(cells)) + migration["new"] == 4695


def test_minimal_ledger_segments(make_engagement) -> None:
    """Only the three required columns: no profit, no payment dates."""
    frame = franchisor_ledger(paid=False)
    seg = segment(load_engagement(franchisor_engagement(make_engagement, frame)))

    pd.testing.assert_frame_equal(
        seg.tier_table.astype({"tier": object, "customers": "int64"}),
        expected_tier_table(frame).astype({"tier": object, "customers": "int64"}),
        rtol=1e-12,
    )
    assert seg.indicators["collection_days"].isna().all()


def test_single_year_ledger_segments(make_engagement) -> None:
    frame = franchisor_ledger(history=False)
    seg = segment(load_engagement(franchisor_engagement(make_engagement, frame)))

    pd.testing.assert_frame_equal(
        seg.tier_table.astype({"tier": object, "customers": "int64"}),
        expected_tier_table(frame).astype({"tier": object, "customers": "int64"}),
        rtol=1e-12,
    )


# --- Pareto and ABC -----------------------------------------------------------------------------

TEN = pd.Series(
    [50.0, 100.0, 30.0, 20.0, 10.0, 10.0, 10.0, 5.0, 5.0, 10.0],
    index=[f"c{i}" for i in range(1, 11)],
)  # total 250; sorted: c2 100, c1 50, c3 30, c4 20, c5 10, c6 10, c7 10, c10 10, c8 5, c9 5


def test_pareto_ten_customers() -> None:
    curve, tops = pareto(TEN)

    # ceil(1 % × 10) = ceil(5 % × 10) = 1 customer, ceil(20 % × 10) = 2 customers.
    assert tops == {"top_1pct": 100 / 250, "top_5pct": 100 / 250, "top_20pct": 150 / 250}
    assert curve.index.tolist() == ["c2", "c1", "c3", "c4", "c5", "c6", "c7", "c10", "c8", "c9"]
    assert curve["customer_share"].tolist() == pytest.approx([i / 10 for i in range(1, 11)])
    cumulative = [100, 150, 180, 200, 210, 220, 230, 240, 245, 250]
    assert curve["revenue_share"].tolist() == pytest.approx([c / 250 for c in cumulative])


def test_pareto_ceil_semantics() -> None:
    # 101 customers: ceil(1.01) = 2, ceil(5.05) = 6, ceil(20.2) = 21.
    revenue = pd.Series(np.arange(101, 0, -1, dtype=float))  # 101, 100, ..., 1; total 5151
    _, tops = pareto(revenue)

    assert tops["top_1pct"] == pytest.approx((101 + 100) / 5151)
    assert tops["top_5pct"] == pytest.approx(sum(range(96, 102)) / 5151)
    assert tops["top_20pct"] == pytest.approx(sum(range(81, 102)) / 5151)


def test_abc_classes() -> None:
    abc = abc_classes(TEN)

    # Cumulative shares before each customer: 0, .40, .60, .72, .80, .84, .88, .92, .96, .98.
    # A while the share before is below .80 (the customer crossing 80 % included), B below .95.
    assert abc.to_dict() == {
        "c2": "A",
        "c1": "A",
        "c3": "A",
        "c4": "A",
        "c5": "B",
        "c6": "B",
        "c7": "B",
        "c10": "B",
        "c8": "C",
        "c9": "C",
    }


def test_abc_classes_equal_customers_share_a_class() -> None:
    # before the three 10s: 70 %, 80 %, 90 %; the first of them crosses 80 %, so all are A
    revenue = pd.Series([10.0, 70.0, 10.0, 10.0], index=["t3", "big", "t1", "t2"])

    assert abc_classes(revenue).to_dict() == {"big": "A", "t1": "A", "t2": "A", "t3": "A"}


def test_abc_classes_compare_exact_cents() -> None:
    # 993.83 + 774.77 is exactly 80 % of 2,210.75: z is B (as binary floats 79.99999 %, A)
    revenue = pd.Series([993.83, 774.77, 442.15], index=["x", "y", "z"])

    assert abc_classes(revenue).to_dict() == {"x": "A", "y": "A", "z": "B"}


# --- scores with ties, RFM ------------------------------------------------------------------------


def test_percentile_scores_heavy_ties() -> None:
    # 7 of 10 customers with one order: average rank 4 of 10 → 0.4, the lowest; 2 → .8, 3 → .9,
    # 5 → 1.0. Stretched over [0.4, 1.0]: 1 + floor((p − .4) / .6 × 5) → 1, 4, 5, 5.
    orders = pd.Series([1, 1, 1, 1, 1, 1, 1, 2, 3, 5], index=list("abcdefghij"))
    scores = percentile_scores(orders)

    assert scores.tolist() == [1, 1, 1, 1, 1, 1, 1, 4, 5, 5]
    assert scores.index.tolist() == list("abcdefghij")


def test_percentile_scores_descending_and_range() -> None:
    # Recency: fewer days is better. Ranks from the largest: 365 → .1, 200 → .2, 120 → .3,
    # 90 → .4, 60 → .5, the two 30s → .65, the three 5s → .9.
    days = pd.Series([5, 5, 5, 30, 30, 60, 90, 120, 200, 365])

    assert percentile_scores(days, ascending=False).tolist() == [5, 5, 5, 4, 4, 3, 2, 2, 1, 1]


@pytest.mark.parametrize("share_one", [0.7, 0.9, 1.0])
def test_percentile_scores_survive_any_share_of_ties(share_one: float) -> None:
    n = 200
    ones = int(n * share_one)
    values = pd.Series([1] * ones + list(range(2, 2 + n - ones)))
    scores = percentile_scores(values)

    assert scores.between(1, 5).all()
    assert scores.iloc[:ones].nunique() == 1
    # All ties: average rank (n + 1) / 2 of n → ceil(5 × 100.5 / 200) = 3.
    if share_one == 1.0:
        assert scores.unique().tolist() == [3]


def rfm_indicators() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "active": [True] * 10 + [False],
            "recency_days": [5, 5, 5, 30, 30, 60, 90, 120, 200, 365, np.nan],
            "orders": [5, 1, 1, 3, 1, 2, 1, 4, 1, 1, 0],
            "revenue": [100.0 * i for i in range(1, 11)] + [np.nan],
        },
        index=[f"c{i}" for i in range(1, 12)],
    )


def test_rfm_hand_computed() -> None:
    result = rfm(rfm_indicators())

    # c11 bought nothing in the period: not scored.
    assert result.index.tolist() == [f"c{i}" for i in range(1, 11)]
    assert result["r"].tolist() == [5, 5, 5, 4, 4, 3, 2, 2, 1, 1]
    # Six customers with one order: average rank 3.5 of 10 → .35, the lowest → 1; stretched over
    # [.35, 1.0]: 2 orders → .7 → 3; 3 → .8 → 4; 4 → .9 → 5; 5 → 1.0 → 5.
    assert result["f"].tolist() == [5, 1, 1, 4, 1, 3, 1, 5, 1, 1]
    assert result["m"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert result["segment"].tolist() == [
        "champions",  # R5 F5
        "new",  # R5 F1
        "new",
        "champions",  # R4 F4
        "new",  # R4 F1
        "potential",  # R3 F3
        "hibernating",  # R2 F1
        "at_risk",  # R2 F5
        "hibernating",  # R1 F1
        "hibernating",
    ]


def test_rfm_with_seventy_percent_one_order_customers() -> None:
    rng = np.random.default_rng(7)
    n = 100
    indicators = pd.DataFrame(
        {
            "active": True,
            "recency_days": rng.integers(0, 365, size=n),
            "orders": [1] * 70 + list(rng.integers(2, 10, size=30)),
            "revenue": rng.integers(1_000, 100_000, size=n).astype(float),
        },
        index=[f"c{i:03d}" for i in range(n)],
    )
    result = rfm(indicators)

    assert len(result) == n
    for col in ("r", "f", "m"):
        assert result[col].between(1, 5).all(), col
    # Equal values share a score; the 70 one-order customers hold the lowest value: F = 1.
    assert result["f"].iloc[:70].unique().tolist() == [1]
    for col, source in (("r", "recency_days"), ("f", "orders"), ("m", "revenue")):
        assert (result.groupby(indicators[source])[col].nunique() == 1).all(), col
    assert set(result["segment"]) <= {
        "champions",
        "loyal",
        "at_risk",
        "new",
        "hibernating",
        "potential",
    }


# --- tiers, migration, concentration -----------------------------------------------------------


def test_tier_customers_inclusive_bounds() -> None:
    revenue = pd.Series(
        [12e6, 5e6, 4_999_999.99, 3e6, 1e6, 999_999.0, 0.0, -5.0],
        index=["a", "b", "c", "d", "e", "f", "g", "h"],
    )
    tiers = tier_customers(revenue, Tiers(TIERS))

    assert tiers.tolist() == ["A", "A", "B", "B", "C", "D", "D", "D"]
    assert tiers.index.tolist() == list("abcdefgh")
    assert tier_customers(revenue, Tiers(TIERS, "E")).tolist()[-1] == "E"


def test_tier_table_lists_empty_tiers() -> None:
    revenue = pd.Series([6e6, 2e6, 1e6, 5e5], index=list("wxyz"))
    table = tier_table(revenue, tier_customers(revenue, Tiers(TIERS)), Tiers(TIERS))

    assert table["tier"].tolist() == ["A", "B", "C", "D"]
    assert table["customers"].tolist() == [1, 0, 2, 1]
    assert table["customer_share"].tolist() == [0.25, 0.0, 0.5, 0.25]
    assert table["revenue"].tolist() == [6e6, 0.0, 3e6, 5e5]
    assert table["revenue_share"].tolist() == pytest.approx([6 / 9.5, 0, 3 / 9.5, 0.5 / 9.5])
    assert table["average_revenue"].tolist() == [6e6, 0.0, 1.5e6, 5e5]


def test_migration_matrix_hand_example() -> None:
    before = pd.Series({"up": "B", "down": "A", "same": "C", "lost": "B", "down2": "C"})
    now = pd.Series({"up": "A", "down": "B", "same": "C", "new": "D", "down2": "D"})
    matrix = migration_matrix(now, before, ["A", "B", "C", "D"], "none")

    labels = ["A", "B", "C", "D", "none"]
    expected = pd.DataFrame(0, index=labels, columns=labels)
    expected.loc["B", "A"] = 1  # up moved up
    expected.loc["A", "B"] = 1  # down slipped
    expected.loc["C", "C"] = 1  # same stayed
    expected.loc["C", "D"] = 1  # down2 slipped
    expected.loc["none", "D"] = 1  # new: no purchase before
    expected.loc["B", "none"] = 1  # lost: no purchase now
    assert matrix.index.tolist() == labels
    assert matrix.columns.tolist() == labels
    np.testing.assert_array_equal(matrix.to_numpy(), expected.to_numpy())
    assert int(matrix.to_numpy().sum()) == 6


def test_hhi() -> None:
    assert hhi(pd.Series([0.5, 0.5])) == pytest.approx(5000.0)
    assert hhi(pd.Series([1.0])) == pytest.approx(10000.0)
    assert hhi(pd.Series([0.25] * 4)) == pytest.approx(2500.0)
    assert hhi(pd.Series([0.6, 0.3, 0.1])) == pytest.approx(3600 + 900 + 100)


def test_composition_by_industry() -> None:
    indicators = pd.DataFrame(
        {
            "revenue": [60.0, 20.0, 15.0, 3.0, 2.0, 0.0, np.nan],
            "industry": ["金融", "金融", "政府", "", np.nan, "政府", "金融"],
        },
        index=["c1", "c2", "c3", "c4", "c5", "c6", "c7"],
    )
    comp = composition(indicators, "industry", "未知")

    # c6 (zero) and c7 (no revenue) are left out; "" and NaN are the unknown segment.
    assert comp["segment"].tolist() == ["金融", "政府", "未知"]
    assert comp["customers"].tolist() == [2, 1, 2]
    assert comp["revenue"].tolist() == [80.0, 15.0, 5.0]
    assert comp["share"].tolist() == pytest.approx([0.80, 0.15, 0.05])
    assert comp["top_customer"].tolist() == ["c1", "c3", "c4"]
    assert comp["top_customer_share"].tolist() == pytest.approx([0.75, 1.0, 0.6])
    # 75² + 25² = 6250; 100² = 10000; 60² + 40² = 5200.
    assert comp["hhi"].tolist() == pytest.approx([6250.0, 10000.0, 5200.0])


# --- periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "start"),
    [
        (dt.date(2026, 10, 31), dt.date(2025, 11, 1)),
        (dt.date(2026, 3, 15), dt.date(2025, 3, 16)),
        (dt.date(2025, 12, 31), dt.date(2025, 1, 1)),
        (dt.date(2024, 2, 29), dt.date(2023, 3, 1)),  # leap day: Feb 2023 has 28 days
        (dt.date(2024, 3, 1), dt.date(2023, 3, 2)),
    ],
)
def test_default_period(last: dt.date, start: dt.date) -> None:
    period = default_period(last)

    assert period == Period(start, last)


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        # twelve months before twelve months, whatever the leap days
        (("2025-11-01", "2026-10-31"), ("2024-11-01", "2025-10-31")),
        (("2023-03-01", "2024-02-29"), ("2022-03-01", "2023-02-28")),
        (("2024-03-01", "2025-02-28"), ("2023-03-01", "2024-02-29")),
        (("2025-01-01", "2025-12-31"), ("2024-01-01", "2024-12-31")),
        (("2025-03-16", "2026-03-15"), ("2024-03-16", "2025-03-15")),
        # a month before a month: February, not 29 January to 28 February
        (("2025-03-01", "2025-03-31"), ("2025-02-01", "2025-02-28")),
        (("2024-03-01", "2024-03-31"), ("2024-02-01", "2024-02-29")),
        # two months and fifteen days before two months and fifteen days
        (("2025-01-01", "2025-03-15"), ("2024-10-17", "2024-12-31")),
    ],
)
def test_previous_period_is_as_many_calendar_months(period, previous) -> None:
    def dates(pair):
        return Period(*(dt.date.fromisoformat(d) for d in pair))

    assert dates(period).previous() == dates(previous)


# --- settings -------------------------------------------------------------------------------------


def settings_error(make_engagement, extra: str) -> str:
    folder = make_engagement(files={}, extra=extra)
    with pytest.raises(KamError) as excinfo:
        read_settings(load_engagement(folder))
    return str(excinfo.value)


def test_read_settings_ok(make_engagement) -> None:
    extra = (
        "segmentation:\n"
        "  period: {start: 2025-01-01, end: 2025-12-31}\n"
        "  tiers: {A: 5000000, B: 3000000, C: 1000000}\n"
        "  pyramid: [0.05, 0.15, 0.8]\n"
        "  key_accounts: 12\n"
        "  last_tier: E\n"
    )
    s = read_settings(load_engagement(make_engagement(files={}, extra=extra)))

    assert (s.start, s.end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert s.tiers == TIERS
    assert s.pyramid == (0.05, 0.15, 0.8)
    assert s.key_accounts == 12
    assert s.last_tier == "E"
    assert s.core_alignment == 7.0
    assert s.payment_terms_days == 90


def test_read_settings_defaults(make_engagement) -> None:
    s = read_settings(load_engagement(make_engagement(files={})))

    assert (s.start, s.end, s.tiers, s.last_tier) == (None, None, (), "D")
    assert s.pyramid == (0.01, 0.04, 0.15, 0.80)
    assert s.key_accounts is None


@pytest.mark.parametrize(("value", "found"), [("B", "B"), ("'1'", "1"), ("''", "")])
def test_last_tier_must_be_a_new_name(make_engagement, value: str, found: str) -> None:
    # last_tier: B made two tiers named B and the notebook fail (exit 3); an input mistake
    tiers = "{A: 5000000, B: 3000000, 1: 1000000}"
    extra = f"segmentation:\n  tiers: {tiers}\n  last_tier: {value}\n"
    line = FIRST_EXTRA_LINE + 2

    assert settings_error(make_engagement, extra) == (
        f"eng/engagement.yaml, line {line}, key segmentation.last_tier: expected a tier name "
        f'other than A, B, 1, found "{found}"'
    )


def test_tiers_not_descending(make_engagement) -> None:
    extra = "segmentation:\n  tiers:\n    A: 5000000\n    B: 3000000\n    C: 3500000.0\n"
    line = FIRST_EXTRA_LINE + 4

    assert settings_error(make_engagement, extra) == (
        f"eng/engagement.yaml, line {line}, key segmentation.tiers.C: expected tiers in "
        'descending order, a bound below B\'s 3,000,000, found "3500000.0"'
    )


def test_tiers_not_descending_quotes_the_value_as_written(make_engagement) -> None:
    extra = "segmentation:\n  tiers:\n    A: 5000000\n    B: 6000000\n"
    line = FIRST_EXTRA_LINE + 3

    assert settings_error(make_engagement, extra) == (
        f"eng/engagement.yaml, line {line}, key segmentation.tiers.B: expected tiers in "
        'descending order, a bound below A\'s 5,000,000, found "6000000"'
    )


def test_negative_tier_bound(make_engagement) -> None:
    extra = "segmentation:\n  tiers:\n    A: 5000000\n    B: -1\n"

    assert settings_error(make_engagement, extra) == (
        f"eng/engagement.yaml, line {FIRST_EXTRA_LINE + 3}, key segmentation.tiers.B: "
        'expected a lower bound ≥ 0, found "-1"'
    )


def test_pyramid_not_adding_to_one(make_engagement) -> None:
    extra = "segmentation:\n  tiers: {A: 100}\n  pyramid: [0.1, 0.2, 0.3]\n"

    assert settings_error(make_engagement, extra) == (
        f"eng/engagement.yaml, line {FIRST_EXTRA_LINE + 2}, key segmentation.pyramid: expected "
        "a list of shares from the top that add up to 1, e.g. [0.01, 0.04, 0.15, 0.80], "
        'found "[0.1, 0.2, 0.3]"'
    )


def test_unknown_settings_key(make_engagement) -> None:
    extra = "segmentation:\n  tiers: {A: 100}\n  tier: {A: 100}\n"

    assert settings_error(make_engagement, extra) == (
        f"eng/engagement.yaml, line {FIRST_EXTRA_LINE + 2}, key segmentation.tier: expected one "
        "of core_alignment, key_accounts, last_tier, payment_terms_days, period, pyramid, tiers, "
        'found "tier"'
    )


def test_period_start_after_end(make_engagement) -> None:
    extra = "segmentation:\n  period:\n    start: 2025-06-01\n    end: 2025-01-01\n"

    assert settings_error(make_engagement, extra) == (
        f"eng/engagement.yaml, line {FIRST_EXTRA_LINE + 3}, key segmentation.period.end: "
        'expected a date on or after 2025-06-01, found "2025-01-01"'
    )


def test_period_date_not_a_date(make_engagement) -> None:
    extra = "segmentation:\n  period:\n    start: next year\n"

    assert settings_error(make_engagement, extra) == (
        f"eng/engagement.yaml, line {FIRST_EXTRA_LINE + 2}, key segmentation.period.start: "
        'expected a date written YYYY-MM-DD, found "next year"'
    )


def test_period_date_that_does_not_exist(make_engagement) -> None:
    extra = "segmentation:\n  period:\n    start: 2025-02-30\n"
    folder = make_engagement(files={}, extra=extra)

    with pytest.raises(KamError) as excinfo:
        read_settings(load_engagement(folder))
    message = str(excinfo.value)
    assert message.startswith(f"eng/engagement.yaml, line {FIRST_EXTRA_LINE + 2}")
    assert "2025-02-30" in message


# --- input errors ------------------------------------------------------------------------------


def input_error(make_engagement, ledger: str, extra: str) -> str:
    folder = make_engagement(files={"transactions.csv": ledger}, extra=extra)
    with pytest.raises(KamError) as excinfo:
        segment(load_engagement(folder))
    return str(excinfo.value)


def test_empty_period(make_engagement) -> None:
    ledger = "客户编号,日期,金额\nC1,2024-01-05,100\nC2,2024-03-01,50\n"
    extra = "segmentation:\n  period: {start: 2025-01-01, end: 2025-12-31}\n"

    assert input_error(make_engagement, ledger, extra) == (
        "eng/transactions.csv: expected transactions between 2025-01-01 and 2025-12-31, "
        "found none (the ledger runs from 2024-01-05 to 2024-03-01)"
    )


def test_period_with_only_rows_without_customer_is_empty(make_engagement) -> None:
    ledger = "客户编号,日期,金额\nC1,2024-01-05,100\n,2025-03-01,50\n"
    extra = "segmentation:\n  period: {start: 2025-01-01, end: 2025-12-31}\n"

    assert input_error(make_engagement, ledger, extra) == (
        "eng/transactions.csv: expected transactions between 2025-01-01 and 2025-12-31, "
        "found none (the ledger runs from 2024-01-05 to 2025-03-01)"
    )


def test_all_zero_revenue(make_engagement) -> None:
    ledger = "客户编号,日期,金额\nC1,2025-01-05,0\nC2,2025-03-01,100\nC2,2025-04-01,-100\n"
    extra = "segmentation:\n  period: {start: 2025-01-01, end: 2025-12-31}\n"

    assert input_error(make_engagement, ledger, extra) == (
        "eng/transactions.csv: expected a positive total amount between 2025-01-01 and "
        "2025-12-31, found 0"
    )


def test_default_period_is_twelve_months_to_the_last_date(make_engagement) -> None:
    ledger = "客户编号,日期,金额\nC1,2024-10-31,100\nC1,2024-11-01,10\nC2,2025-10-31,5\n"
    folder = make_engagement(files={"transactions.csv": ledger})
    eng = load_engagement(folder)
    assert read_inputs(eng).period == Period(dt.date(2024, 11, 1), dt.date(2025, 10, 31))
    seg = segment(eng)

    assert seg.period == Period(dt.date(2024, 11, 1), dt.date(2025, 10, 31))
    assert results(seg, ZH)["period"] == {"start": "2024-11-01", "end": "2025-10-31"}
    assert seg.accounting == {
        "rows": 3,
        "no_customer": 0,
        "before_period": 1,
        "in_period": 2,
        "after_period": 0,
    }


# --- the ledger's accounting and warnings -----------------------------------------------------

PERIOD_2025 = (
    "segmentation:\n  period: {start: 2025-01-01, end: 2025-12-31}\n  tiers: {A: 150, B: 50}\n"
)


def segmented(make_engagement, ledger: str):
    folder = make_engagement(files={"transactions.csv": ledger}, language="en", extra=PERIOD_2025)
    return segment(load_engagement(folder))


def test_ledger_accounting_counts_every_row(make_engagement) -> None:
    ledger = (
        "customer_id,date,amount\n"
        ",2025-03-01,10\n"  # no customer (in the period)
        ",2023-03-01,10\n"  # no customer (before)
        "C1,2024-12-31,1\n"  # before
        "C1,2024-01-01,1\n"  # before, in the previous period (2024: twelve months, 366 days)
        "C2,2024-06-30,1\n"  # before
        "C1,2025-01-01,1\n"  # in (first day)
        "C2,2025-06-30,1\n"  # in
        "C3,2025-07-01,1\n"  # in
        "C3,2025-12-31,1\n"  # in (last day)
        "C4,2026-01-01,1\n"  # after
    )
    seg = segmented(make_engagement, ledger)

    acc = seg.accounting
    assert acc == {
        "rows": 10,
        "no_customer": 2,
        "before_period": 3,
        "in_period": 4,
        "after_period": 1,
    }
    assert sum(v for k, v in acc.items() if k != "rows") == acc["rows"]
    # Customers with a transaction in the period: C1, C2, C3 (not C4, after it).
    assert seg.customers == 3
    assert seg.revenue == 4.0
    assert seg.indicators.loc["C1", "prev_revenue"] == 2.0  # 2024-01-01 and 2024-12-31


def test_ledger_warnings_counts(make_engagement) -> None:
    ledger = (
        "customer_id,date,amount\n"
        "C1,2024-06-05,100\n"
        "C1,2025-01-05,100\n"
        "C1,2025-01-05,100\n"  # duplicate
        "C1,2025-01-05,100\n"  # duplicate
        "C2,2025-01-05,100\n"
        ",2025-02-01,300\n"  # no customer
        ",2025-02-02,-50.5\n"  # no customer
        "C2,2026-12-01,40\n"  # after the report date 2026-11-20
        "C3,2025-03-01,0\n"  # zero
    )
    seg = segmented(make_engagement, ledger)

    file = "transactions.csv"
    assert seg.warnings == (
        Note.of("rows_without_customer", file=file, count=2, amount=249.5),
        Note.of("duplicate_rows", file=file, count=2),
        Note.of("future_rows", file=file, count=1, amount=40.0),
        Note.of("zero_amounts", file=file, count=1),
        # C3's one transaction is the zero: no customer of the period
        Note.of("non_positive_revenue", count=1, amount=0.0, customers=[["C3", 0.0]]),
    )
    assert texts(seg.warnings, EN)[:4] == [
        "transactions.csv: 2 rows have no customer ID (amount CNY 250); they are left out.",
        "transactions.csv: 2 rows repeat another row exactly and may be double entries (kept).",
        "transactions.csv: 1 row is dated after the report date (amount CNY 40).",
        "transactions.csv: 1 row has a zero amount.",
    ]
    assert texts(seg.warnings, ZH)[:4] == [
        "transactions.csv：2 行没有客户编号（金额合计 250 元），未计入分析。",
        "transactions.csv：2 行与其他行完全相同，可能重复录入（已计入）。",
        "transactions.csv：1 行的日期晚于报告日期（金额合计 40 元）。",
        "transactions.csv：1 行金额为 0。",
    ]
    assert seg.customers == 2
    assert seg.accounting == {
        "rows": 9,
        "no_customer": 2,
        "before_period": 1,
        "in_period": 5,
        "after_period": 1,
    }


def test_ledger_warnings_paid_and_profit(make_engagement) -> None:
    ledger = (
        "customer_id,date,amount,profit,paid_date\n"
        "C1,2024-06-05,100,20,2024-07-01\n"
        "C1,2025-01-05,100,20,2025-01-04\n"  # paid before its date
        "C1,2025-01-06,100,120,2025-02-01\n"  # profit above amount
        "C2,2025-01-07,100,30,\n"
    )
    seg = segmented(make_engagement, ledger)

    assert seg.warnings == (
        Note.of("paid_before_date", file="transactions.csv", count=1),
        Note.of("profit_above_amount", file="transactions.csv", count=1),
    )
    assert texts(seg.warnings, EN) == [
        "transactions.csv: 1 row was paid before its date.",
        "transactions.csv: 1 row has a profit above its amount.",
    ]
    assert texts(seg.warnings, ZH) == [
        "transactions.csv：1 行的回款日期早于交易日期。",
        "transactions.csv：1 行的毛利高于金额。",
    ]


# In 2025 (tiers A ≥ 150, B ≥ 50): C1 sells 120 + 80, C2 60; R1 only returns 40 of a 2024 sale,
# R2's sale of 70 is returned in full. R1 and R2 are no customers of 2025.
NETTING_LEDGER = (
    "customer_id,date,amount,order_id\n"
    "C1,2025-02-01,120,O1\nC1,2025-05-01,80,O2\nC2,2025-03-01,60,O3\n"
    "R1,2024-11-01,90,O4\nR1,2025-01-20,-40,O5\n"
    "R2,2025-04-01,70,O6\nR2,2025-04-20,-70,O6\n"
)


def test_customers_without_positive_net_revenue_are_not_customers(make_engagement) -> None:
    seg = segmented(make_engagement, NETTING_LEDGER)

    ind = seg.indicators
    assert ind["revenue"].to_dict() == {"C1": 200.0, "C2": 60.0, "R1": -40.0, "R2": 0.0}
    assert ind.index[ind["active"]].tolist() == ["C1", "C2"]
    assert (seg.customers, seg.revenue) == (2, 260.0)
    # tiers, Pareto (n = 2: the top 20 % is one customer), ABC, RFM, pyramid and value matrix
    assert seg.tier_table["customers"].tolist() == [1, 1, 0]
    assert seg.tier_table["customer_share"].tolist() == [0.5, 0.5, 0.0]
    assert seg.tier_table["revenue_share"].tolist() == pytest.approx([200 / 260, 60 / 260, 0])
    assert seg.curve.index.tolist() == ["C1", "C2"]
    assert seg.tops["top_20pct"] == pytest.approx(200 / 260)
    assert ind["tier"].dropna().to_dict() == {"C1": "A", "C2": "B"}
    assert ind["abc"].dropna().to_dict() == {"C1": "A", "C2": "A"}  # C2 crosses 80 %
    assert seg.rfm.index.tolist() == ["C1", "C2"]
    assert ind["level"].dropna().index.tolist() == ["C1", "C2"]
    assert ind["action"].dropna().index.tolist() == ["C1", "C2"]
    assert set(seg.key_accounts.index) | set(seg.excluded.index) <= {"C1", "C2"}
    # R1 bought 90 in 2024 (tier B) and nothing this period: lost, not slipped to D; R2 not new
    assert seg.migration.loc["B", NO_PURCHASE] == 1
    assert seg.migration["D"].sum() == 0
    assert findings(seg, EN)[-1] == (
        "Against the previous period, 0 customers moved up a tier, 0 slipped, 2 are new and 1 "
        "brought no revenue this period."
    )
    # listed, with their amounts, as a data-quality note
    assert seg.warnings == (
        Note.of(
            "non_positive_revenue",
            count=2,
            amount=-40.0,
            customers=[["R1", -40.0], ["R2", 0.0]],
        ),
    )
    assert texts(seg.warnings, EN) == [
        "2 customers had a net revenue of zero or less in the period (returns only, or sales "
        "and returns that cancel out; CNY -40 in all) and are not counted as customers: R1 "
        "(CNY -40) and R2 (CNY 0)."
    ]
    assert texts(seg.warnings, ZH) == [
        "2 个客户期内净收入为零或负数（只有退货，或销售与退货相抵；合计 -40 元），不计为客户："
        "R1（-40 元）和R2（0 元）。"
    ]


def test_clean_ledger_has_no_warnings(make_engagement) -> None:
    ledger = "customer_id,date,amount\nC1,2024-06-05,100\nC1,2025-01-05,100\nC2,2025-01-06,100\n"

    assert segmented(make_engagement, ledger).warnings == ()


# --- inputs are not mutated --------------------------------------------------------------------


def test_functions_do_not_mutate_their_inputs() -> None:
    revenue = TEN.copy()
    indicators = rfm_indicators()
    ind_before = indicators.copy()
    comp_input = pd.DataFrame(
        {"revenue": [5.0, 3.0, 0.0], "industry": ["a", "", "b"]}, index=["x", "y", "z"]
    )
    comp_before = comp_input.copy()
    now, before = pd.Series({"a": "A", "b": "B"}), pd.Series({"a": "B", "c": "A"})
    now_before, before_before = now.copy(), before.copy()

    curve, _ = pareto(revenue)
    curve_before = curve.copy()
    abc_classes(revenue)
    percentile_scores(revenue)
    tiers = tier_customers(revenue, Tiers((("A", 50.0), ("B", 10.0))))
    tier_table(revenue, tiers, Tiers((("A", 50.0), ("B", 10.0))))
    rfm(indicators)
    composition(comp_input, "industry", "?")
    migration_matrix(now, before, ["A", "B"], "none")
    hhi(revenue / revenue.sum())

    pd.testing.assert_series_equal(revenue, TEN)
    pd.testing.assert_frame_equal(curve, curve_before)
    pd.testing.assert_frame_equal(indicators, ind_before)
    pd.testing.assert_frame_equal(comp_input, comp_before)
    pd.testing.assert_series_equal(now, now_before)
    pd.testing.assert_series_equal(before, before_before)


def test_pareto_math_reference() -> None:
    """Guards the ceil counts used in test_results_contract (4,695 customers)."""
    assert [math.ceil(p * 4695 / 100) for p in (1, 5, 20)] == [47, 235, 939]


# --- notes, results and the view in both languages ----------------------------------------------

# 2025 revenue C1 800, C2 100, C3 60, C4 40 (total 1,000); no tiers configured. Pareto: C1 closes
# 80 % (A), C2 and C3 close 96 % ... B up to 95 % before them, C4 is C. Default bounds: A at
# 800 (two significant figures), B at 60. C4 is not in the customer master.
SMALL_LEDGER = (
    "customer_id,date,amount,order_id\n"
    "C1,2025-02-01,500,O1\nC1,2025-06-01,300,O2\n"
    "C2,2024-06-01,50,O0\nC2,2025-03-01,100,O3\n"
    "C3,2025-04-01,60,O4\n"
    "C4,2025-05-01,40,O5\n"
)
SMALL_MASTER = "客户编号,客户名称,行业\nC1,甲公司,金融\nC2,乙公司,金融\nC3,丙公司,\n"
SMALL_YAML = "segmentation:\n  period: {start: 2025-01-01, end: 2025-12-31}\n"


def small_engagement(make_engagement, language: str = "en", name: str = "eng") -> Engagement:
    files = {"transactions.csv": SMALL_LEDGER, "customers.csv": SMALL_MASTER}
    folder = make_engagement(files=files, language=language, extra=SMALL_YAML, name=name)
    return load_engagement(folder)


def test_default_tiers_are_the_abc_classes_and_unknown_customers_are_notes(
    make_engagement,
) -> None:
    seg = segment(small_engagement(make_engagement))

    # ABC: C1 (800) A, C2 and C3 (before them 80 % and 90 %) B, C4 (96 %) C: the tiers, exactly,
    # under the same names, bounded by each class's smallest revenue
    assert seg.tiers == Tiers((("A", 800.0), ("B", 60.0)), "C")
    assert seg.indicators["tier"].to_dict() == {"C1": "A", "C2": "B", "C3": "B", "C4": "C"}
    assert seg.indicators["tier"].to_dict() == seg.indicators["abc"].to_dict()
    assert seg.tier_table["customers"].tolist() == abc_table(seg, EN).frame["customers"].tolist()
    assert seg.warnings == (
        Note.of("customers_not_in_master", count=1, examples=["C4"]),
        Note.of("abc_tiers"),
    )
    assert texts(seg.warnings, EN) == [
        "1 customer of the ledger is not in the customer master (e.g. C4); its name, "
        "industry etc. are blank.",
        "No tiers were set: the tiers are the Pareto ABC classes (A: the customers who bring the "
        "first 80% of revenue, B: the next 15%, C: the rest).",
    ]
    assert texts(seg.warnings, ZH) == [
        "台账中有 1 个客户不在客户主数据中（如 C4），其名称、行业等为空。",
        "未设置分级门槛：等级即帕累托 ABC 分类（A：贡献前 80% 收入的客户，B：其后 15%，C：其余）。",
    ]


def test_demo_without_tiers_has_the_abc_classes_as_tiers(tmp_path: Path) -> None:
    # the demo minus its tiers: 628 / 672 / 859 customers in tiers A / B / D where the ABC table
    # beside it showed 621 / 637 / 901
    from tests.conftest import DEMO

    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    config = folder / "engagement.yaml"
    text = config.read_text(encoding="utf-8")
    start = text.index("  tiers:")
    config.write_text(text[:start] + text[text.index("  last_tier:") :], encoding="utf-8")
    seg = segment(load_engagement(folder))

    assert seg.tier_table["tier"].tolist() == ["A", "B", "C"]
    assert seg.tier_table["customers"].tolist() == [621, 637, 901]
    assert abc_table(seg, ZH).frame["customers"].tolist() == [621, 637, 901]
    assert (seg.indicators["tier"].dropna() == seg.indicators["abc"].dropna()).all()


def test_results_agree_in_both_languages_but_for_text(make_engagement) -> None:
    zh_seg = segment(small_engagement(make_engagement, "zh", name="zh"))
    en_seg = segment(small_engagement(make_engagement, "en", name="en"))
    zh, en = results(zh_seg, ZH), results(en_seg, EN)

    assert [n["code"] for n in zh["warnings"]] == ["customers_not_in_master", "abc_tiers"]
    assert all(z["text"] != e["text"] for z, e in zip(zh["warnings"], en["warnings"]))
    # every customer is set aside, each reason a note: C1 has all its revenue (two orders) in
    # 2025, C2 one order in 2025 (and 50 in 2024), C3 and C4 one order, in 2025 only
    assert {c["customer_id"]: [r["code"] for r in c["reasons"]] for c in zh["set_aside"]} == {
        "C1": ["x_one_year"],
        "C2": ["x_one_order"],
        "C3": ["x_one_order", "x_one_year"],
        "C4": ["x_one_order", "x_one_year"],
    }
    for entry in (zh, en):
        for note in entry["warnings"] + [r for c in entry["set_aside"] for r in c["reasons"]]:
            del note["text"]
    assert zh == en
    assert zh["warnings"][0] == {"code": "customers_not_in_master", "count": 1, "examples": ["C4"]}
    # the one result renders in either language: only the text differs
    assert results(zh_seg, EN)["warnings"][1]["text"] == en_seg.warnings[1].text(EN)


def test_compute_does_not_mutate_its_inputs(make_engagement) -> None:
    inputs = read_inputs(small_engagement(make_engagement))
    figures, customers = inputs.figures.copy(), inputs.customers.copy()
    scan, warnings = dict(inputs.scan), inputs.warnings

    compute(inputs)
    compute(inputs)  # twice: nothing the first run left behind changes the second

    pd.testing.assert_frame_equal(inputs.figures, figures)
    pd.testing.assert_frame_equal(inputs.customers, customers)
    assert dict(inputs.scan) == scan
    assert inputs.warnings == warnings
    assert "name" not in inputs.figures and "tier" not in inputs.figures


def test_compute_without_a_customer_master_leaves_the_figures_alone(make_engagement) -> None:
    folder = make_engagement(
        files={"transactions.csv": SMALL_LEDGER}, language="en", extra=SMALL_YAML
    )
    inputs = read_inputs(load_engagement(folder))
    figures = inputs.figures.copy()

    seg = compute(inputs)

    pd.testing.assert_frame_equal(inputs.figures, figures)
    assert seg.indicators["name"].tolist() == ["", "", "", ""]
    assert seg.composition is None
    assert inputs.customer_ids() == {"C1", "C2", "C3", "C4"}


def test_customer_ids_join_the_ledger_and_the_master(make_engagement) -> None:
    master = SMALL_MASTER + "C7,丁公司,政府\n"
    files = {"transactions.csv": SMALL_LEDGER, "customers.csv": master}
    folder = make_engagement(files=files, language="en", extra=SMALL_YAML)

    assert read_inputs(load_engagement(folder)).customer_ids() == {"C1", "C2", "C3", "C4", "C7"}


def test_composition_has_an_unknown_segment_shown_in_the_report_language(make_engagement) -> None:
    seg = segment(small_engagement(make_engagement))

    # C3 has no industry in the master, C4 is not in it: both are the unknown segment.
    comp = seg.composition
    assert comp["segment"].tolist() == ["金融", UNKNOWN]
    assert comp["revenue"].tolist() == [900.0, 100.0]
    assert comp["top_customer"].tolist() == ["C1", "C3"]
    assert comp["top_customer_share"].tolist() == pytest.approx([800 / 900, 0.6])
    assert comp["hhi"].tolist() == pytest.approx([(800 / 9) ** 2 + (100 / 9) ** 2, 5200.0])
    tab = composition_table(seg, EN)
    assert tab.frame["segment"].tolist() == ["金融", "unknown"]
    assert tab.frame["top_customer"].tolist() == ["甲公司 (C1)", "丙公司 (C3)"]
    formats = ["text", "int", "money", "pct1", "text", "pct1", "num0"]
    assert [c.format for c in tab.columns] == formats
    assert composition_table(seg, ZH).formatted().iloc[1].tolist() == [
        "未知",
        "2",
        "100 元",
        "10.0%",
        "丙公司（C3）",
        "60.0%",
        "5,200",
    ]


def test_findings_in_both_languages(make_engagement) -> None:
    seg = segment(small_engagement(make_engagement))

    found = findings(seg, EN)
    assert found[:3] == [
        "From 2025-01-01 to 2025-12-31, 4 customers brought CNY 1.0 k.",
        # ceil(20 % × 4) = ceil(5 % × 4) = ceil(1 % × 4) = 1 customer: C1, 800 of 1,000
        "The top 20% of customers bring 80.0% of revenue, the top 5% 80.0% and the top 1% 80.0%.",
        "Tier A holds 1 customer (25.0% of customers) and 80.0% of revenue; tier C holds 25.0% "
        "of customers but only 4.0% of revenue.",
    ]
    assert (
        "金融 is the largest source of revenue (90.0%); its largest customer holds 88.9% of it "
        "(HHI 8,025)." in found
    )
    zh = findings(seg, ZH)
    assert zh[0] == "分析期 2025-01-01 至 2025-12-31 内，4 个客户共产生收入 1,000 元。"
    assert zh[2] == (
        "A 级客户 1 个（占客户 25.0%），贡献收入的 80.0%；C 级客户占客户数的 25.0%，只贡献 4.0%。"
    )
    assert "金融是最大的收入来源（90.0%），其最大客户占该行业收入的 88.9%（HHI 8,025）。" in zh
    # every customer's revenue sits in one order or one year (C1: two orders, all in 2025): none
    # is proposed
    assert found[3] == "The 0 proposed key accounts bring 0.0% of revenue."
    assert found[4] == (
        "4 high-value customers are not proposed because their revenue sits in one order or one "
        "year: 甲公司 (C1), 乙公司 (C2) and 丙公司 (C3)."
    )
    assert zh[4] == (
        "4 个高价值客户因收入集中于一笔订单或一年而未列为大客户："
        "甲公司（C1）、乙公司（C2）和丙公司（C3）。"
    )
    # C2 bought 50 in 2024 (the previous period's tiers: D) and 100 now (B): one up, three new
    assert found[5] == (
        "Against the previous period, 1 customer moved up a tier, 0 slipped, 3 are new and 0 "
        "brought no revenue this period."
    )


def test_tables_keep_values_and_formats(make_engagement) -> None:
    seg = segment(small_engagement(make_engagement))

    tiers = view.tier_table(seg, EN)
    assert tiers.frame["revenue"].tolist() == [800.0, 160.0, 40.0]
    assert [c.format for c in tiers.columns] == [
        "text",
        "text",
        "int",
        "pct1",
        "money",
        "pct1",
        "money",
    ]
    assert tiers.formatted().to_dict("records")[0] == {
        "Tier": "A",
        "Revenue in the period": "CNY 800 or more",
        "Customers": "1",
        "Share of customers": "25.0%",
        "Revenue": "CNY 800",
        "Share of revenue": "80.0%",
        "Average revenue per customer": "CNY 800",
    }
    assert view.tier_table(seg, ZH).formatted()["期内收入范围"].tolist() == [
        "800 元 及以上",
        "60 元 至 800 元",
        "低于 60 元",
    ]
    abc = abc_table(seg, EN)
    assert abc.frame["customers"].tolist() == [1, 2, 1]
    assert abc.frame["revenue_share"].tolist() == pytest.approx([0.8, 0.16, 0.04])
    ranking = ranking_table(seg, ZH)
    names = ["甲公司（C1）", "乙公司（C2）", "丙公司（C3）", "C4"]
    assert ranking.frame["customer"].tolist() == names
    assert ranking.frame["value"].tolist() == [800.0, 100.0, 60.0, 40.0]
    assert ranking.labels == ["排名", "客户", "收入", "等级"]
    # no profit in the ledger: no profit column; the 2024 order makes C2's growth 100 %
    ind = indicators_table(seg, EN)
    assert "Profit" not in ind.labels
    assert ind.frame.set_index("customer")["growth"].dropna().to_dict() == {"乙公司 (C2)": 1.0}
    assert rfm_table(seg, EN).frame["customers"].sum() == 4
    acc = accounting_table(seg, ZH).formatted()
    assert acc.values.tolist() == [
        ["台账总行数", "6"],
        ["无客户编号（未计入分析）", "0"],
        ["分析期之前（用于历史指标与迁移）", "1"],
        ["分析期内", "5"],
        ["分析期之后（未计入）", "0"],
    ]


def test_charts_draw_in_the_report_language(make_engagement) -> None:
    import matplotlib
    import matplotlib.pyplot as plt

    from kamlib.core.charts import use_style

    use_style()  # the CJK font
    seg = segment(small_engagement(make_engagement))
    for words, none, unknown in ((EN, "none", "unknown"), (ZH, "无收入", "未知")):
        figures = [
            charts.plot_tiers(seg, words),
            charts.plot_pareto(seg, words),
            charts.plot_pyramid(seg, words),
            charts.plot_value_matrix(seg, words),
            charts.plot_rfm(seg, words),
            charts.plot_migration(seg, words),
            charts.plot_composition(seg, words),
        ]
        assert all(isinstance(f, matplotlib.figure.Figure) for f in figures)
        migration = figures[5].axes[0]
        assert [t.get_text() for t in migration.get_xticklabels()][-1] == none
        assert migration.get_title(loc="left") == words("c_migration")
        composition_axis = figures[6].axes[0]
        assert [t.get_text() for t in composition_axis.get_yticklabels()] == [unknown, "金融"]
        for figure in figures:
            plt.close(figure)
    assert seg.migration.index[-1] == NO_PURCHASE


SPREAD_LEDGER = (
    "customer_id,date,amount\n"
    "C1,2025-01-01,10\nC1,2025-02-01,10\nC1,2025-03-01,10\n"
    "C2,2025-01-05,5\nC2,2025-04-05,5\nC2,2025-06-05,5\n"
)


@pytest.mark.parametrize("case", ["master and exclusions", "no master, no exclusions"])
def test_a_saved_result_reads_back_the_same(make_engagement, tmp_path: Path, case: str) -> None:
    """The notebooks read the result a render saved: every table and the results entry must be
    the same as from the computed result."""
    from kamlib.core import store

    if case == "master and exclusions":
        eng = small_engagement(make_engagement)
    else:
        folder = make_engagement(
            files={"transactions.csv": SPREAD_LEDGER}, language="en", extra=SMALL_YAML
        )
        eng = load_engagement(folder)
    seg = segment(eng)
    assert len(seg.excluded) == (4 if case == "master and exclusions" else 0)

    back = store.load(store.save(seg, tmp_path / "saved"))

    for words in (EN, ZH):
        assert results(back, words) == results(seg, words)
        assert findings(back, words) == findings(seg, words)
        for name in (
            "tier_table",
            "abc_table",
            "ranking_table",
            "indicators_table",
            "pyramid_table",
            "value_table",
            "rfm_table",
            "composition_table",
            "key_accounts_table",
            "excluded_table",
            "scorecard_table",
            "accounting_table",
        ):
            table = getattr(view, name)
            pd.testing.assert_frame_equal(
                table(back, words).formatted(), table(seg, words).formatted()
            )
    assert back.tiers == seg.tiers
    assert back.warnings == seg.warnings
    for name in ("tier_table", "abc_table", "pyramid_table", "value_table", "rfm_table"):
        pd.testing.assert_frame_equal(getattr(back, name), getattr(seg, name), check_exact=True)
    # the store keeps no axis names (``before``, ``now``); the cells and labels it keeps
    pd.testing.assert_frame_equal(
        back.migration, seg.migration, check_exact=True, check_names=False
    )
    assert back.migration_moves == seg.migration_moves


# --- one ID rule for every file ------------------------------------------------------------------

NFD_CAFE = "Cafe\u0301"  # "Café" with the accent as a combining mark
FOLDED_LEDGER = (
    "customer_id,date,amount\n"
    "C001,2025-02-01,1780000\n"
    "Ｃ００１,2025-03-01,890000\n"  # full-width: the same customer
    "Café,2025-02-01,2000000\n"
    f"{NFD_CAFE},2025-03-01,1000000\n"  # decomposed: the same customer
    "\ufeffC002,2025-04-01,100\n"  # a BOM inside the file: invisible, the same C002
    "C002 ,2025-05-01,50\n"
)
FOLDED_MASTER = "客户编号,客户名称\nＣ００１,甲公司\nCafé,乙公司\nC002,丙公司\n"


def test_ids_equal_by_the_rule_are_one_customer(make_engagement) -> None:
    """Before: the master folded full width and NFD, the ledger only spaces, so C001 was two
    customers (1.78 m and 0.89 m) and Café appeared twice among the key accounts."""
    folder = make_engagement(
        files={"transactions.csv": FOLDED_LEDGER, "customers.csv": FOLDED_MASTER},
        language="en",
        extra="segmentation:\n  period: {start: 2025-01-01, end: 2025-12-31}\n",
    )
    seg = segment(load_engagement(folder))

    ind = seg.indicators
    assert sorted(ind.index) == ["C001", "C002", "Café"]
    assert ind.loc["C001", "revenue"] == 2_670_000
    assert ind.loc["Café", "revenue"] == 3_000_000
    assert ind.loc["C002", "revenue"] == 150
    assert ind.loc["C001", "name"] == "甲公司"
    assert list(seg.key_accounts.index).count("Café") == 1
    folded = [n for n in seg.warnings if n.code == "ids_folded"]
    assert folded == [
        Note.of(
            "ids_folded",
            file="transactions.csv",
            count=3,
            ids=3,
            examples=['"Cafe\\u0301" → Café', '"\\ufeffC002" → C002', '"Ｃ００１" → C001'],
        ),
        Note.of("ids_folded", file="customers.csv", count=1, ids=1, examples=['"Ｃ００１" → C001']),
    ]
    assert folded[1].text(EN) == (
        "customers.csv: 1 form of customer IDs read as 1 ID by the one ID rule (full-width "
        "characters, decomposed accents, invisible characters and spaces folded), and an ID "
        'equal by it is one customer: "Ｃ００１" → C001.'
    )
    assert not any(n.code == "customers_not_in_master" for n in seg.warnings)


def test_other_files_fold_ids_by_the_same_rule(make_engagement) -> None:
    """Targets (like contacts, opportunities, interactions, relationships, wallet and the
    scorecard: every file read by the loader) name an account by the same rule."""
    targets = "customer_id,indicator,target\nＣ００１,revenue,3000000\n\u200bC002,orders,2\n"
    folder = make_engagement(
        files={"transactions.csv": FOLDED_LEDGER, "targets.csv": targets},
        language="en",
        extra="segmentation:\n  period: {start: 2025-01-01, end: 2025-12-31}\n",
    )
    inputs = read_inputs(load_engagement(folder))
    assert inputs.targets["customer_id"].tolist() == ["C001", "C002"]
    assert (
        Note.of(
            "ids_folded",
            file="targets.csv",
            count=2,
            ids=2,
            examples=['"\\u200bC002" → C002', '"Ｃ００１" → C001'],
        )
        in inputs.warnings
    )

"""Tests for kamlib.analyses.segmentation.compute (docs/methods.md §2–3): misconception flags, the
key-account list and the reasons each account is on it, the value pyramid, the value scorecard,
core vs important accounts and the SKF account scorecard.

Expected numbers are hand-computed (or computed here with plain pandas), never taken from the
function under test. Every test runs inside ``tmp_path`` so messages show relative file names.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kamlib.analyses.accounts.compute import account_facts
from kamlib.analyses.segmentation.aggregate import customer_indicators
from kamlib.analyses.segmentation.compute import (
    Segmentation,
    compute,
    cooperation_years,
    core_or_important,
    misconception_flags,
    score_accounts,
    select_key_accounts,
    value_pyramid,
    value_scorecard,
)
from kamlib.analyses.segmentation.methods import Period
from kamlib.analyses.segmentation.read import read_inputs
from kamlib.analyses.segmentation.view import (
    excluded_table,
    findings,
    indicators_table,
    key_accounts_table,
    ranking_table,
    results,
    scorecard_table,
    value_table,
)
from kamlib.core.config import Engagement, load_engagement
from kamlib.core.errors import KamError
from kamlib.core.i18n import Words
from kamlib.core.ledger import load_ledger
from kamlib.core.notes import Note

EN, ZH = Words("en"), Words("zh")

PERIOD = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
ORDER = ["A", "B", "C", "D"]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def segment(eng: Engagement) -> Segmentation:
    """Read and compute, as the engagement run does."""
    return compute(read_inputs(eng))


# --- misconception flags ------------------------------------------------------------------------


def flag_indicators() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "active": [True, True, True, True, True, True, False],
            "orders": [2, 3, 5, 5, 1, 4, 0],
            "largest_order_share": [0.9, 0.89, 0.2, 0.2, 1.0, 0.5, np.nan],
            "max_year_share": [0.5, 0.5, 0.9, 0.89, 1.0, np.nan, 1.0],
            "cooperation_years": [6.0, 6.0, 2.0, 2.99, 0.5, 3.0, 5.0],
        },
        index=["ninety", "below", "year", "year_below", "single", "unmeasured", "gone"],
    )


def test_misconception_flags_thresholds() -> None:
    flags = misconception_flags(flag_indicators())

    # Inactive customers are not judged.
    assert flags.index.tolist() == [
        "ninety",
        "below",
        "year",
        "year_below",
        "single",
        "unmeasured",
    ]
    # Revenue sits in one order: ≥ 90 % of the period's sales in the largest (90 % included);
    # two equal orders (50 %) are two orders.
    assert flags["one_order"].tolist() == [True, False, False, False, True, False]
    # ≥ 90 % of all revenue in one year (90 % itself included); no share, no flag.
    assert flags["one_year"].tolist() == [False, False, True, False, True, False]
    # fewer than three years of cooperation
    assert flags["short"].tolist() == [False, False, True, True, True, False]


def test_cooperation_years_one_definition() -> None:
    ind = pd.DataFrame(
        {
            "first_date": pd.to_datetime(["2024-03-01", "2016-05-01", "2025-06-01", "2020-01-01"]),
            "since": [2016.0, 2020.0, np.nan, np.nan],
        },
        index=["master", "ledger_earlier", "ledger_only", "long"],
    )

    # From the earlier of 1 January of `since` and the first transaction to 2025-12-31, in
    # years of 365.25 days: 2016-01-01 (3652 days), 2016-05-01 (3531), 2025-06-01 (213) and
    # 2020-01-01 (2191); without a customer master, the first transaction.
    years = cooperation_years(ind, PERIOD)
    assert years.tolist() == pytest.approx([3652, 3531, 213, 2191] / np.float64(365.25))
    without = cooperation_years(ind.drop(columns="since"), PERIOD)
    assert without.tolist() == pytest.approx([670, 3531, 213, 2191] / np.float64(365.25))


def test_misconception_flags_from_a_ledger(tmp_path: Path) -> None:
    text = (
        "customer_id,date,amount,order_id\n"
        # P: 950 of 1,000 in one order (95 %): one order; 2024 200, so 1,000 / 1,200 in 2025.
        "P,2024-05-01,200,P0\nP,2025-02-01,950,P1\nP,2025-03-01,50,P2\n"
        # Q: two equal orders (50 %) are two orders; 2024 1,000: largest year 50 %.
        "Q,2024-05-01,1000,Q0\nQ,2025-02-01,500,Q1\nQ,2025-03-01,500,Q2\n"
        # R: 2023 50, 2025 4 × 250: largest year 1,000 / 1,050 = 95.2 %.
        "R,2023-05-01,50,R0\n"
        "R,2025-01-01,250,R1\nR,2025-02-01,250,R2\nR,2025-03-01,250,R3\nR,2025-04-01,250,R4\n"
        # S: lines of one order add up: S1 = 300 + 300 = 600 of 650 (92.3 %); 2024 600.
        "S,2024-01-01,600,S0\nS,2025-05-01,300,S1\nS,2025-05-01,300,S1\nS,2025-06-01,50,S2\n"
        # T: a return does not make a one-order customer: 100 of sales of 200 (revenue 50)
        "T,2024-06-01,100,T0\nT,2025-02-01,100,T1\nT,2025-03-01,100,T2\nT,2025-04-01,-150,T3\n"
    )
    ledger = load_ledger(write(tmp_path / "transactions.csv", text))
    ind = customer_indicators(ledger, PERIOD)

    assert ind["orders"].to_dict() == {"P": 2, "Q": 2, "R": 4, "S": 2, "T": 3}
    assert ind["largest_order_share"].to_dict() == pytest.approx(
        {"P": 0.95, "Q": 0.5, "R": 0.25, "S": 600 / 650, "T": 0.5}
    )
    assert ind["max_year_share"].to_dict() == pytest.approx(
        {"P": 1000 / 1200, "Q": 0.5, "R": 1000 / 1050, "S": 650 / 1250, "T": 100 / 150}
    )
    flags = misconception_flags(ind.assign(cooperation_years=np.nan))
    assert flags.index[flags["one_order"]].tolist() == ["P", "S"]
    assert flags.index[flags["one_year"]].tolist() == ["R"]


# July 2025 to June 2026: the years are the twelve months ending with the period, not calendar
# years. N1 bought monthly from August 2025 and N2 from January 2026: both only this year. W
# bought in January 2025 and September 2025, one year apart in the ledger's terms but the same
# calendar year. The ledger starts in January 2024.
MID = Period(dt.date(2025, 7, 1), dt.date(2026, 6, 30))
YEARS = (
    "customer_id,date,amount\nX,2024-01-15,10\nX,2025-09-01,10\n"
    + "".join(f"N1,2025-{m:02d}-01,100\n" for m in range(8, 13))
    + "".join(f"N1,2026-{m:02d}-01,100\n" for m in range(1, 7))
    + "".join(f"N2,2026-{m:02d}-01,100\n" for m in range(1, 7))
    + "W,2025-01-15,500\nW,2025-09-01,500\n"
)


def test_one_year_is_twelve_months_ending_with_the_period(tmp_path: Path) -> None:
    ledger = load_ledger(write(tmp_path / "transactions.csv", YEARS))
    ind = customer_indicators(ledger, MID)

    assert ind["max_year_share"].to_dict() == {"N1": 1.0, "N2": 1.0, "W": 0.5, "X": 0.5}
    flags = misconception_flags(ind.assign(cooperation_years=np.nan))
    assert flags["one_year"].to_dict() == {
        "N1": True,
        "N2": True,
        "W": False,
        "X": False,
    }


def test_a_ledger_of_one_year_has_no_year_to_compare(tmp_path: Path) -> None:
    # only the period's twelve months (two calendar years): everyone's revenue is in one year
    text = "customer_id,date,amount\n" + "".join(
        line for line in YEARS.splitlines(keepends=True)[1:] if line.startswith("N")
    )
    ledger = load_ledger(write(tmp_path / "transactions.csv", text))
    ind = customer_indicators(ledger, MID)

    assert ind["max_year_share"].isna().all()
    assert not misconception_flags(ind.assign(cooperation_years=np.nan))["one_year"].any()


def test_lines_without_order_number_are_orders_of_their_own(tmp_path: Path) -> None:
    text = (
        "customer_id,date,amount,order_id\n"
        "P,2025-02-01,100,\nP,2025-03-01,100,\nP,2025-04-01,100,\nP,2025-05-01,100,O1\n"
        "Q,2025-02-01,300,Q1\nQ,2025-03-01,100,Q1\n"
    )
    ledger = load_ledger(write(tmp_path / "transactions.csv", text))
    ind = customer_indicators(ledger, PERIOD)

    # P: four orders of 100 (three lines without a number, one O1); Q: one order of 400.
    assert ind["orders"].to_dict() == {"P": 4, "Q": 1}
    assert ind["largest_order_share"].to_dict() == pytest.approx({"P": 0.25, "Q": 1.0})
    flags = misconception_flags(ind.assign(cooperation_years=np.nan))
    assert flags["one_order"].to_dict() == {"P": False, "Q": True}


# --- the key-account list -------------------------------------------------------------------------


def candidates() -> pd.DataFrame:
    """Eight candidates; ranked by tier, then value score: a1 a2 a3 b1 b2 b3 c1 c2."""
    return pd.DataFrame(
        {
            "tier": ["B", "A", "C", "A", "B", "A", "B", "C"],
            "value_score": [0.95, 0.9, 0.99, 0.8, 0.6, 0.7, 0.5, 0.4],
            "one_order": [False, False, True, True, False, False, False, False],
            "one_year": [True, False, False, False, False, False, False, False],
        },
        index=["b1", "a1", "c1", "a2", "b2", "a3", "b3", "c2"],
    )


def test_select_key_accounts_skips_flagged_and_walks_on() -> None:
    chosen, excluded, _ = select_key_accounts(candidates(), ORDER, n=3)

    # a2 (one order) and b1 (one year) are set aside; the walk goes on to b2.
    assert chosen.index.tolist() == ["a1", "a3", "b2"]
    assert excluded.index.tolist() == ["a2", "b1"]
    assert excluded["one_order"].tolist() == [True, False]
    assert excluded["one_year"].tolist() == [False, True]


def test_select_key_accounts_default_n_is_at_least_five() -> None:
    # Three customers in the top tier → n = max(5, 3) = 5.
    chosen, excluded, _ = select_key_accounts(candidates(), ORDER)

    assert chosen.index.tolist() == ["a1", "a3", "b2", "b3", "c2"]
    assert excluded.index.tolist() == ["a2", "b1", "c1"]


@pytest.mark.parametrize(("top", "n"), [(3, 5), (5, 5), (12, 12), (30, 30), (40, 30)])
def test_select_key_accounts_default_n_is_the_top_tier_clipped(top: int, n: int) -> None:
    count = top + 50
    frame = pd.DataFrame(
        {
            "tier": ["A"] * top + ["B"] * 50,
            "value_score": np.linspace(1.0, 0.0, count),
            "one_order": False,
            "one_year": False,
        },
        index=[f"k{i:03d}" for i in range(count)],
    )
    chosen, excluded, _ = select_key_accounts(frame, ORDER)

    assert chosen.index.tolist() == [f"k{i:03d}" for i in range(n)]
    assert excluded.empty


def test_select_key_accounts_fewer_candidates_than_n() -> None:
    chosen, excluded, _ = select_key_accounts(candidates(), ORDER, n=20)

    assert chosen.index.tolist() == ["a1", "a3", "b2", "b3", "c2"]
    assert excluded.index.tolist() == ["a2", "b1", "c1"]


def test_select_key_accounts_excludes_only_customers_above_the_last_chosen() -> None:
    chosen, excluded, _ = select_key_accounts(candidates(), ORDER, n=4)

    assert chosen.index.tolist() == ["a1", "a3", "b2", "b3"]
    assert excluded.index.tolist() == ["a2", "b1"]


def test_customers_of_two_equal_orders_are_key_accounts(make_engagement) -> None:
    # six customers, each two equal orders in 2025 (and 2024 before): none sits in one order
    ledger = "customer_id,date,amount,order_id\n" + "".join(
        f"K{i},2024-06-01,{100 * i},K{i}-0\nK{i},2025-03-01,{100 * i},K{i}-1\n"
        f"K{i},2025-09-01,{100 * i},K{i}-2\n"
        for i in range(1, 7)
    )
    yaml = "segmentation:\n  period: {start: 2025-01-01, end: 2025-12-31}\n  tiers: {A: 100}\n"
    folder = make_engagement(files={"transactions.csv": ledger}, language="en", extra=yaml)
    seg = segment(load_engagement(folder))

    assert seg.indicators["largest_order_share"].tolist() == [0.5] * 6
    assert seg.key_accounts.index.tolist() == ["K6", "K5", "K4", "K3", "K2", "K1"]
    assert seg.excluded.empty
    assert results(seg, EN)["set_aside"] == []


# --- equal customers ----------------------------------------------------------------------------

# In 2025: U1 700 in three orders; T1 and T2 alike in every figure (100 in three orders on the
# same days, the same first purchase); V1 60 in three orders. Everyone is tier A (≥ 50).
TIED_LEDGER = (
    "customer_id,date,amount,order_id\n"
    "U1,2025-02-01,300,U-1\nU1,2025-06-01,200,U-2\nU1,2025-10-01,200,U-3\n"
    + "".join(
        f"{c},2025-03-01,40,{c}-1\n{c},2025-05-01,30,{c}-2\n{c},2025-09-01,30,{c}-3\n"
        for c in ("T2", "T1")
    )
    + "V1,2025-03-01,20,V-1\nV1,2025-05-01,20,V-2\nV1,2025-09-01,20,V-3\n"
)
TIED_YAML = """\
segmentation:
  period: {start: 2025-01-01, end: 2025-12-31}
  tiers: {A: 50}
  pyramid: [0.5, 0.5]
  key_accounts: 2
"""


def test_equal_customers_get_equal_classes(make_engagement) -> None:
    files = {"transactions.csv": TIED_LEDGER}
    seg = segment(load_engagement(make_engagement(files=files, language="en", extra=TIED_YAML)))

    ind = seg.indicators
    assert ind.loc["T1", "value_score"] == ind.loc["T2", "value_score"]
    # ABC: before T1 and T2 700 and 800 of 960 (72.9 %, 83.3 %): the first crosses 80 %, both A
    assert ind["abc"].to_dict() == {"T1": "A", "T2": "A", "U1": "A", "V1": "B"}
    # pyramid [50 %, 50 %] of four: two places at the top, U1 and the tie of two: three
    assert ind["level"].to_dict() == {"T1": 1, "T2": 1, "U1": 1, "V1": 2}
    for column in ("r", "f", "m", "rfm_segment", "action"):
        assert ind.loc["T1", column] == ind.loc["T2", column], column
    ranking = ranking_table(seg, EN).frame
    assert ranking["rank"].tolist() == [1, 2, 2, 4]
    # two key accounts: U1, then one of the tie; the list says it stops inside a tie
    assert seg.key_accounts.index.tolist() == ["U1", "T1"]
    assert seg.key_accounts["revenue_rank"].tolist() == [1, 2]
    tie = Note.of("key_account_tie", n=2, on_list=["T1"], off_list=["T2"], tier="A")
    assert seg.warnings == (tie,)
    assert tie.text(EN) == (
        "The list of 2 key accounts stops inside a tie: T1 on it and T2 off it are alike in "
        "tier (A) and value score; customer ID decided between them."
    )
    assert tie.text(ZH) == (
        "大客户名单（2 个）在并列处截断：名单内的 T1 与名单外的 T2 等级（A）和价值得分相同，"
        "由客户编号决定取舍。"
    )


# --- value pyramid ------------------------------------------------------------------------------


def pyramid_indicators(n: int, profit: bool, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "active": True,
            "revenue": rng.integers(1_000, 1_000_000, size=n).astype(float),
            "profit": rng.integers(100, 100_000, size=n).astype(float) if profit else np.nan,
            "orders": rng.integers(1, 20, size=n),
            "cooperation_years": rng.integers(0, 40, size=n) / 4,
        },
        index=[f"c{i:03d}" for i in range(n)],
    )


def expected_value_score(ind: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    """Σ weight × percentile rank (average ranks), weights rescaled to add up to 1."""
    total = sum(weights.values())
    return sum(
        w / total * ind[col].astype(float).rank(pct=True, method="average").fillna(0.5)
        for col, w in weights.items()
    )


def test_value_pyramid_level_sizes_follow_the_shares() -> None:
    ind = pyramid_indicators(200, profit=True)
    pyramid = value_pyramid(ind, (0.01, 0.04, 0.15, 0.80))

    assert pyramid["level"].value_counts().sort_index().tolist() == [2, 8, 30, 160]
    assert set(pyramid.index) == set(ind.index)
    # Levels are cut from the top of the score.
    assert pyramid["value_score"].is_monotonic_decreasing
    assert pyramid["level"].is_monotonic_increasing


def test_value_pyramid_sizes_round_up() -> None:
    # 150 customers: cumulative cuts ceil(1.5) = 2, ceil(7.5) = 8, ceil(30) = 30, 150.
    pyramid = value_pyramid(pyramid_indicators(150, profit=True), (0.01, 0.04, 0.15, 0.80))

    assert pyramid["level"].value_counts().sort_index().tolist() == [2, 6, 22, 120]


def test_value_pyramid_score_with_profit() -> None:
    ind = pyramid_indicators(40, profit=True)
    pyramid = value_pyramid(ind, (0.25, 0.75))

    weights = {"revenue": 0.4, "profit": 0.3, "orders": 0.15, "cooperation_years": 0.15}
    expected = expected_value_score(ind, weights)
    pd.testing.assert_series_equal(
        pyramid["value_score"].sort_index(), expected.sort_index(), check_names=False
    )
    # the 10th and 11th score .609375 alike (.4 × .975 + .3 × .25 + .15 × .925 + .15 × .0375
    # = .4 × .675 + .3 × .75 + .15 × .05 + .15 × .7125): both in the top level
    assert expected.nlargest(11).iloc[-2:].tolist() == [0.609375, 0.609375]
    assert pyramid["level"].value_counts().sort_index().tolist() == [11, 29]


def test_value_pyramid_score_without_profit() -> None:
    ind = pyramid_indicators(40, profit=False)
    ind.loc[["c000", "c001"], "cooperation_years"] = np.nan  # missing: the middle score
    ind.loc["c039", "active"] = False
    pyramid = value_pyramid(ind, (0.1, 0.9))

    assert "c039" not in pyramid.index
    active = ind.loc[ind["active"]]
    expected = expected_value_score(
        active, {"revenue": 0.7, "orders": 0.15, "cooperation_years": 0.15}
    )
    pd.testing.assert_series_equal(
        pyramid["value_score"].sort_index(), expected.sort_index(), check_names=False
    )


def test_value_pyramid_hand_computed() -> None:
    # Revenue ranks .25 .5 .75 1, orders ranks 1 .75 .5 .25, tenure ranks .25 .5 .75 1 (no
    # profit: weights .7, .15, .15): scores .7×r + .15×o + .15×t, e.g. w = .175 + .15 + .0375.
    ind = pd.DataFrame(
        {
            "active": True,
            "revenue": [10.0, 20.0, 30.0, 40.0],
            "profit": np.nan,
            "orders": [9, 7, 5, 3],
            "cooperation_years": [1.0, 2.0, 3.0, 4.0],
        },
        index=["w", "x", "y", "z"],
    )
    pyramid = value_pyramid(ind, (0.25, 0.25, 0.5))

    assert pyramid.index.tolist() == ["z", "y", "x", "w"]
    assert pyramid["value_score"].tolist() == pytest.approx([0.8875, 0.7125, 0.5375, 0.3625])
    assert pyramid["level"].tolist() == [1, 2, 3, 3]


# --- value scorecard ------------------------------------------------------------------------------


def test_value_scorecard_quadrants() -> None:
    # Current value = revenue's percentile rank, potential value = growth's (the only inputs).
    ind = pd.DataFrame(
        {
            "active": [True] * 6 + [False],
            "revenue": [60.0, 10.0, 50.0, 20.0, 30.0, 40.0, np.nan],
            "profit": np.nan,
            "collection_days": np.nan,
            "growth": [0.5, 0.6, 0.1, 0.2, 0.3, 0.4, np.nan],
        },
        index=["keep", "develop", "nurture", "maintain", "edge", "keep2", "gone"],
    )
    card = value_scorecard(ind)

    assert card.index.tolist() == ["keep", "develop", "nurture", "maintain", "edge", "keep2"]
    assert card["current_value"].tolist() == pytest.approx(
        [6 / 6, 1 / 6, 5 / 6, 2 / 6, 3 / 6, 4 / 6]
    )
    assert card["potential_value"].tolist() == pytest.approx(
        [5 / 6, 6 / 6, 1 / 6, 2 / 6, 3 / 6, 4 / 6]
    )
    # High current & high potential → keep; low & high → develop; high & low → nurture;
    # low & low → maintain. 0.5 counts as high.
    assert card["action"].tolist() == ["keep", "develop", "nurture", "maintain", "keep", "keep"]


def test_value_scorecard_all_components() -> None:
    ind = pd.DataFrame(
        {
            "active": True,
            "revenue": [100.0, 200.0, 300.0, 400.0],
            "profit": [40.0, 10.0, 30.0, 20.0],
            "collection_days": [30.0, 90.0, 60.0, 120.0],
            "growth": [0.1, -0.2, 0.3, 0.0],
            "potential": [500.0, 220.0, 900.0, 400.0],
            "alignment": [9.0, 4.0, 7.0, 2.0],
        },
        index=["p", "q", "r", "s"],
    )
    card = value_scorecard(ind)

    # Current: .5 × revenue rank + .3 × profit rank + .2 × rank of (−collection days).
    # revenue .25 .5 .75 1; profit 1 .25 .75 .5; fewer days better: 1 .5 .75 .25.
    assert card["current_value"].tolist() == pytest.approx(
        [0.125 + 0.3 + 0.2, 0.25 + 0.075 + 0.1, 0.375 + 0.225 + 0.15, 0.5 + 0.15 + 0.05]
    )
    # Potential: .3 × growth rank + .4 × headroom rank + .3 × alignment rank.
    # headroom 400 20 600 0 → ranks .75 .5 1 .25; growth .75 .25 1 .5; alignment 1 .5 .75 .25.
    assert card["headroom"].tolist() == [400.0, 20.0, 600.0, 0.0]
    assert card["potential_value"].tolist() == pytest.approx(
        [0.225 + 0.3 + 0.3, 0.075 + 0.2 + 0.15, 0.3 + 0.4 + 0.225, 0.15 + 0.1 + 0.075]
    )
    # p: .625/.825 keep; q: .425/.425 maintain; r: .75/.925 keep; s: .7/.325 nurture.
    assert card["action"].tolist() == ["keep", "maintain", "keep", "nurture"]


def test_value_scorecard_without_any_potential_information() -> None:
    ind = pd.DataFrame(
        {
            "active": True,
            "revenue": [10.0, 20.0],
            "profit": np.nan,
            "collection_days": np.nan,
            "growth": np.nan,
        },
        index=["x", "y"],
    )
    card = value_scorecard(ind)

    assert card.index.tolist() == ["x", "y"]
    assert card["current_value"].tolist() == pytest.approx([0.5, 1.0])


# --- core vs important ------------------------------------------------------------------------


def test_core_or_important() -> None:
    alignment = pd.Series([7.0, 6.0, np.nan, 9.5, 6.99, 10.0], index=list("abcdef"))
    kinds = core_or_important(alignment, 7)

    assert kinds.tolist() == ["core", "important", "", "core", "important", "core"]
    assert kinds.index.tolist() == list("abcdef")


# --- the SKF account scorecard ------------------------------------------------------------------

# Four groups as in the SKF example; weights 1–10 in the spirit of the sheet's 8 8 8 8 6 10 ....
SKF = [
    ("market_leader", 8, "Market perception"),
    ("technical_leader", 8, "Market perception"),
    ("reputation", 8, "Market perception"),
    ("future_potential", 8, "Market perception"),
    ("platform", 6, "Value to us"),
    ("value_innovation", 10, "Value to us"),
    ("competitor_effect", 10, "Value to us"),
    ("brand_value", 10, "Value to us"),
    ("upgrades_us", 10, "Value to us"),
    ("cultural_fit", 8, "Relationship"),
    ("long_term", 8, "Relationship"),
    ("executive_ties", 8, "Relationship"),
    ("alignment", 8, "Corporate alignment"),
]


def skf_criteria() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "criterion": [c for c, _, _ in SKF],
            "weight": [float(w) for _, w, _ in SKF],
            "direction": "benefit",
            "group": [g for _, _, g in SKF],
        }
    )


def skf_scores() -> pd.DataFrame:
    rows = {
        "X": [9, 8, 7, 6, 5, 5, 5, 5, 5, 7, 7, 7, 10],
        "Y": [10, 10, 10, 10, 4, 4, 4, 4, 4, 6, 6, 6, 9],
        "Z": [6, 6, 6, 6, 8, 8, 8, 8, 8, 4, 4, 4, 8],
    }
    return pd.DataFrame.from_dict(rows, orient="index", columns=[c for c, _, _ in SKF])


def test_score_accounts_skf_weights() -> None:
    table = score_accounts(skf_scores(), skf_criteria())

    # X: 8×(9+8+7+6) = 240; 6×5 + 10×20 = 230; 8×21 = 168; 8×10 = 80 → 718.
    # Y: 8×40 = 320; 6×4 + 10×16 = 184; 8×18 = 144; 8×9 = 72 → 720.
    # Z: 8×24 = 192; 6×8 + 10×32 = 368; 8×12 = 96; 8×8 = 64 → 720.
    assert table.columns.tolist() == [
        "Market perception",
        "Value to us",
        "Relationship",
        "Corporate alignment",
        "total",
        "rank",
    ]
    assert table.index.tolist() == ["Y", "Z", "X"]
    assert table.loc["X"].tolist() == [240, 230, 168, 80, 718, 3]
    assert table.loc["Y"].tolist() == [320, 184, 144, 72, 720, 1]
    assert table.loc["Z"].tolist() == [192, 368, 96, 64, 720, 1]
    # The same totals with plain numpy: scores @ weights.
    weights = np.array([w for _, w, _ in SKF], dtype=float)
    np.testing.assert_allclose(
        table["total"].reindex(["X", "Y", "Z"]).to_numpy(), skf_scores().to_numpy() @ weights
    )


def test_score_accounts_default_criteria() -> None:
    scores = pd.DataFrame({"a": [5, 9, 1], "b": [5, 1, 8]}, index=["p", "q", "r"])
    table = score_accounts(scores, None)

    # Weight 1 each, no groups: totals 10, 10, 9.
    assert table.columns.tolist() == ["total", "rank"]
    assert table.index.tolist() == ["p", "q", "r"]
    assert table["total"].tolist() == [10.0, 10.0, 9.0]
    assert table["rank"].tolist() == [1, 1, 3]


def test_score_accounts_cost_criterion() -> None:
    scores = pd.DataFrame({"fit": [8, 6], "effort": [5, 2]}, index=["p", "q"])
    criteria = pd.DataFrame(
        {
            "criterion": ["fit", "effort"],
            "weight": [10.0, 4.0],
            "direction": ["benefit", "cost"],
            "group": "",
        }
    )
    table = score_accounts(scores, criteria)

    # p: 80 − 20 = 60; q: 60 − 8 = 52.
    assert table["total"].to_dict() == {"p": 60.0, "q": 52.0}
    assert table["rank"].to_dict() == {"p": 1, "q": 2}


# --- the scorecard inside the segmentation ------------------------------------------------------

# 2025 revenue: C1 6 M (A), C2 3.5 M (B), C3 1.5 M (C), C4 50 k in one order (D). No customer has
# half its period revenue in one order or 90 % of its history in one year, except C4 (one order).
LEDGER = (
    "客户编号,日期,金额,回款日期\n"
    "C1,2024-03-01,2000000,2024-04-01\nC1,2025-03-01,2000000,2025-04-01\n"
    "C1,2025-06-01,2000000,2025-07-01\nC1,2025-09-01,2000000,2025-10-01\n"
    "C2,2024-05-01,900000,2024-06-01\nC2,2025-05-01,1500000,2025-06-01\n"
    "C2,2025-07-01,1000000,2025-08-01\nC2,2025-10-01,1000000,2025-11-01\n"
    "C3,2024-02-01,400000,2024-03-01\nC3,2025-02-01,500000,2025-03-01\n"
    "C3,2025-05-01,500000,2025-06-01\nC3,2025-08-01,500000,2025-09-01\n"
    "C4,2025-04-01,50000,2025-05-01\n"
)
SETTINGS = """\
segmentation:
  period: {start: 2025-01-01, end: 2025-12-31}
  tiers: {A: 5000000, B: 3000000, C: 1000000}
"""


def scorecard_engagement(make_engagement, scorecard: str, criteria: str | None = None) -> Path:
    files = {"transactions.csv": LEDGER, "account_scorecard.csv": scorecard}
    if criteria is not None:
        files["scorecard_criteria.csv"] = criteria
    return make_engagement(files=files, language="en", extra=SETTINGS)


def test_scorecard_in_the_segmentation(make_engagement) -> None:
    folder = scorecard_engagement(
        make_engagement,
        "客户编号,市场领先,技术领先,文化契合\nC1,8,9,7\nC2,10,5,6\nC3,6,6,10\n",
        "指标,权重,分组\n市场领先,8,市场认知\n技术领先,6,市场认知\n文化契合,10,关系\n",
    )
    seg = segment(load_engagement(folder))

    # C1: 64 + 54 + 70 = 188; C2: 80 + 30 + 60 = 170; C3: 48 + 36 + 100 = 184.
    card = seg.scorecard
    assert card.index.tolist() == ["C1", "C3", "C2"]
    assert card["市场认知"].tolist() == [118.0, 84.0, 110.0]
    assert card["关系"].tolist() == [70.0, 100.0, 60.0]
    assert card["total"].tolist() == [188.0, 184.0, 170.0]
    assert card["rank"].tolist() == [1, 2, 3]
    assert seg.indicators["tier"].to_dict() == {"C1": "A", "C2": "B", "C3": "C", "C4": "D"}
    # Default n = max(5, one A customer) = 5; C4's revenue is one order: set aside.
    assert seg.key_accounts.index.tolist() == ["C1", "C2", "C3"]
    assert seg.key_accounts["scorecard_rank"].tolist() == [1, 3, 2]
    # C4's one order is all its revenue, and all of it falls in 2025: both reasons, both said
    assert seg.excluded.index.tolist() == ["C4"]
    assert seg.excluded[["one_order", "one_year"]].values.tolist() == [[True, True]]
    assert seg.excluded[["order_share", "year_share"]].values.tolist() == [[1.0, 1.0]]
    assert excluded_table(seg, EN).frame["reason"].tolist() == [
        "100% of revenue in one order: a one-off purchase is not a key account; "
        "100% of all revenue in one year: no continuity"
    ]
    assert excluded_table(seg, ZH).frame["reason"].tolist() == [
        "收入集中于一笔订单（100%）：一次性大单不等于大客户；历史收入集中于一年（100%）：缺乏持续性"
    ]
    assert results(seg, EN)["set_aside"] == [
        {
            "customer_id": "C4",
            "revenue": 50_000.0,
            "reasons": [
                {
                    "code": "x_one_order",
                    "text": "100% of revenue in one order: a one-off purchase is not a key account",
                    "share": 1.0,
                },
                {
                    "code": "x_one_year",
                    "text": "100% of all revenue in one year: no continuity",
                    "share": 1.0,
                },
            ],
        }
    ]
    assert seg.warnings == ()


def test_scorecard_score_above_ten(make_engagement) -> None:
    folder = scorecard_engagement(make_engagement, "客户编号,市场领先,技术领先\nC1,8,9\nC2,11,5\n")

    with pytest.raises(KamError) as excinfo:
        segment(load_engagement(folder))
    assert str(excinfo.value) == (
        "eng/account_scorecard.csv, row 3, column 市场领先: "
        'expected a score from 1 to 10, found "11"'
    )


def test_scorecard_score_below_one(make_engagement) -> None:
    folder = scorecard_engagement(make_engagement, "客户编号,市场领先,技术领先\nC1,8,9\nC2,5,0\n")

    with pytest.raises(KamError) as excinfo:
        segment(load_engagement(folder))
    assert str(excinfo.value) == (
        "eng/account_scorecard.csv, row 3, column 技术领先: "
        'expected a score from 1 to 10, found "0"'
    )


def test_scorecard_score_row_counts_a_blank_line(make_engagement) -> None:
    folder = scorecard_engagement(make_engagement, "客户编号,市场领先\nC1,8\n\nC2,11\n")

    with pytest.raises(KamError) as excinfo:
        segment(load_engagement(folder))
    assert str(excinfo.value) == (
        "eng/account_scorecard.csv, row 4, column 市场领先: "
        'expected a score from 1 to 10, found "11"'
    )


def test_key_account_reasons_are_data_the_view_words(make_engagement) -> None:
    folder = scorecard_engagement(
        make_engagement,
        "客户编号,市场领先,技术领先,文化契合\nC1,8,9,7\nC2,10,5,6\nC3,6,6,10\n",
        "指标,权重,分组\n市场领先,8,市场认知\n技术领先,6,市场认知\n文化契合,10,关系\n",
    )
    seg = segment(load_engagement(folder))

    keys = seg.key_accounts
    # Value score (no profit: revenue .7, orders .15, tenure .15 of percentile ranks): C1 .9625
    # leads, so C1 is level 1 of the pyramid and the three others share level 4 (4 customers:
    # cuts at ceil(1 %, 5 %, 20 % × 4) = 1). Current value (revenue, payment) is high for all
    # three; potential (growth 2, 2.89, 2.75: ranks 1/3, 1, 2/3) is low for C1 only: nurture.
    # Years since the first purchase (2024) to 2025-12-31: 670, 609 and 699 days: all short.
    assert keys[["tier", "revenue_rank", "level", "action", "short", "kind"]].values.tolist() == [
        ["A", 1, 1, "nurture", True, ""],
        ["B", 2, 4, "keep", True, ""],
        ["C", 3, 4, "keep", True, ""],
    ]
    assert keys["cooperation_years"].tolist() == pytest.approx(
        [670 / 365.25, 609 / 365.25, 699 / 365.25]
    )
    assert key_accounts_table(seg, EN).frame["reason"].tolist() == [
        "tier A, revenue CNY 6.0 m (#1); pyramid level 1; nurture; only 1.8 years of "
        "cooperation: continuity to be proven; scorecard #1",
        "tier B, revenue CNY 3.5 m (#2); pyramid level 4; keep; only 1.7 years of "
        "cooperation: continuity to be proven; scorecard #3",
        "tier C, revenue CNY 1.5 m (#3); pyramid level 4; keep; only 1.9 years of "
        "cooperation: continuity to be proven; scorecard #2",
    ]
    zh = key_accounts_table(seg, ZH)
    assert zh.frame["reason"].tolist()[0] == (
        "A 级，期内收入 600.0 万元（第 1 名）；价值金字塔第 1 层；维护培育；合作仅 1.8 年，"
        "连续性待观察；评分卡第 1 名"
    )
    assert zh.labels == ["排名", "客户", "收入", "入选理由"]
    assert [c.format for c in zh.columns] == ["int", "text", "money", "text"]
    assert zh.frame["revenue"].tolist() == [6_000_000.0, 3_500_000.0, 1_500_000.0]
    card = scorecard_table(seg, EN)
    assert card.labels == ["Rank", "Customer", "市场认知", "关系", "Total"]
    assert card.formatted().values.tolist()[0] == ["1", "C1", "118", "70", "188"]


# C1 and C2 have alignment scores (core from 7), C1 a first year of cooperation in the master.
MASTER = (
    "客户编号,客户名称,合作起始年,理念契合度\n"
    "C1,甲公司,2018,9\nC2,乙公司,2024,5\nC3,丙公司,,\nC4,丁公司,,\n"
)


def test_core_and_important_accounts_and_years_from_the_master(make_engagement) -> None:
    files = {"transactions.csv": LEDGER, "customers.csv": MASTER}
    seg = segment(load_engagement(make_engagement(files=files, language="en", extra=SETTINGS)))

    keys = seg.key_accounts
    assert keys["kind"].tolist() == ["core", "important", ""]
    # Years of cooperation to 2025-12-31 from the earlier of 1 January of `since` and the
    # first transaction: C1 since 2018 (2,921 days; its ledger starts in 2024), C2 since 2024
    # (730 days), C3 without a year from its first transaction, 2024-02-01 (699 days).
    years = pd.Series([2921, 730, 699], index=["C1", "C2", "C3"]) / 365.25
    assert keys["cooperation_years"].tolist() == pytest.approx(years.tolist())
    # one definition: the indicator table, the reasons and the account plans say the same
    table = indicators_table(seg, EN)
    assert "Years of cooperation" in table.labels
    assert table.frame.set_index("customer")["cooperation_years"].iloc[:3].tolist() == (
        pytest.approx(years.tolist())
    )
    assert account_facts(seg, None)["cooperation_years"][years.index].tolist() == (
        pytest.approx(years.tolist())
    )
    assert key_accounts_table(seg, EN).frame[["customer", "reason"]].values.tolist() == [
        [
            "甲公司 (C1)",
            "tier A, revenue CNY 6.0 m (#1); pyramid level 1; keep; 8.0 years of cooperation; "
            "core account (shares our philosophy: strategic alliance)",
        ],
        [
            "乙公司 (C2)",
            "tier B, revenue CNY 3.5 m (#2); pyramid level 4; keep; only 2.0 years of "
            "cooperation: continuity to be proven; important account (aim: make it core)",
        ],
        [
            "丙公司 (C3)",
            "tier C, revenue CNY 1.5 m (#3); pyramid level 4; keep; only 1.9 years of "
            "cooperation: continuity to be proven",
        ],
    ]
    assert key_accounts_table(seg, ZH).frame["reason"].tolist()[0] == (
        "A 级，期内收入 600.0 万元（第 1 名）；价值金字塔第 1 层；重点保持；合作 8.0 年；"
        "核心客户（理念契合，战略联盟）"
    )
    # (6 + 3.5 + 1.5) M of 11.05 M; C3 has no alignment score: the third of three is said
    assert findings(seg, EN)[3] == (
        "The 3 proposed key accounts bring 99.5% of revenue; 1 is core and 1 important "
        "account; 1 without an alignment score: 丙公司 (C3)."
    )
    assert findings(seg, ZH)[3] == (
        "建议的 3 个大客户合计贡献收入的 99.5%，其中核心客户 1 个、重要客户 1 个，"
        "另有 1 个没有理念契合度数据：丙公司（C3）。"
    )
    value = value_table(seg, ZH)
    assert value.frame["action"].tolist() == ["重点保持", "重点发展", "维护培育", "低成本维持"]
    assert value.frame["customers"].sum() == 4


def test_scorecard_accounts_without_transactions_are_a_note(make_engagement) -> None:
    folder = scorecard_engagement(make_engagement, "客户编号,市场领先\nC1,8\nC9,5\n")
    seg = segment(load_engagement(folder))

    assert seg.scorecard.index.tolist() == ["C1", "C9"]
    assert seg.warnings == (Note.of("scorecard_unknown_accounts", count=1, examples=["C9"]),)
    assert seg.warnings[0].text(EN) == "1 account of the scorecard has no transactions (e.g. C9)."
    assert seg.warnings[0].text(ZH) == "评分卡中有 1 个客户不在交易台账中（如 C9）。"
    # C9 has no name: the ID alone
    assert scorecard_table(seg, ZH).frame["customer"].tolist() == ["C1", "C9"]


def test_scorecard_criterion_without_a_score_column(make_engagement) -> None:
    folder = scorecard_engagement(
        make_engagement, "客户编号,市场领先\nC1,8\n", "指标,权重\n市场领先,8\n品牌,6\n"
    )

    with pytest.raises(KamError) as excinfo:
        read_inputs(load_engagement(folder))
    assert str(excinfo.value) == (
        "eng/scorecard_criteria.csv, row 3, column criterion: "
        'expected a score column of account_scorecard.csv, found "品牌"'
    )


def test_without_a_scorecard_the_table_says_so(make_engagement) -> None:
    folder = make_engagement(files={"transactions.csv": LEDGER}, language="en", extra=SETTINGS)
    seg = segment(load_engagement(folder))

    assert seg.scorecard is None
    assert "scorecard_rank" not in seg.key_accounts
    card = scorecard_table(seg, EN)
    assert len(card) == 0
    assert card.empty == "This engagement has no key-account scorecard." and card.leave_out


# --- inputs are not mutated -----------------------------------------------------------------------


def test_functions_do_not_mutate_their_inputs() -> None:
    flags_in = flag_indicators()
    cand = candidates()
    pyr = pyramid_indicators(30, profit=True)
    card_in = pd.DataFrame(
        {
            "active": True,
            "revenue": [100.0, 200.0, 300.0],
            "profit": [1.0, 2.0, 3.0],
            "collection_days": [10.0, 20.0, 30.0],
            "growth": [0.1, 0.2, np.nan],
            "potential": [500.0, 100.0, 900.0],
        },
        index=["p", "q", "r"],
    )
    alignment = pd.Series([7.0, np.nan])
    scores, criteria = skf_scores(), skf_criteria()
    copies = [x.copy() for x in (flags_in, cand, pyr, card_in, alignment, scores, criteria)]

    misconception_flags(flags_in)
    select_key_accounts(cand, ORDER, n=3)
    value_pyramid(pyr, (0.1, 0.9))
    value_scorecard(card_in)
    core_or_important(alignment, 7)
    score_accounts(scores, criteria)

    for after, before in zip((flags_in, cand, pyr, card_in, alignment, scores, criteria), copies):
        if isinstance(before, pd.Series):
            pd.testing.assert_series_equal(after, before)
        else:
            pd.testing.assert_frame_equal(after, before)

"""The single-indicator families and targets against actuals, each on a hand-made example.

Transaction and financial indicators come from a ten-line ledger aggregated in DuckDB; the
contact family from a hand-made contact log; expected sales from two opportunities; targets
from a targets file with an ``all`` row and an account's own row. Every expected figure is
worked out by hand in the comments beside it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from kamlib.analyses.accounts.compute import plan_account, plan_of, red_flags, visits_from_log
from kamlib.analyses.accounts.read import AccountInputs
from kamlib.analyses.accounts.view import facts_table, plan_targets_table, stage_text
from kamlib.analyses.segmentation.aggregate import customer_indicators
from kamlib.analyses.segmentation.families import (
    INDICATOR_KEYS,
    PERSPECTIVES,
    attainment_rag,
    contact_family,
    expected_sales,
    halves,
    score_targets,
    win_probability,
)
from kamlib.analyses.segmentation.methods import Period
from kamlib.analyses.segmentation.view import (
    TARGET_WORDS,
    customers_table,
    indicators_table,
    ranking_table,
    results,
    targets_table,
)
from kamlib.core.config import load_engagement
from kamlib.core.errors import KamError
from kamlib.core.i18n import Words
from kamlib.core.io import TABLES, TARGET_INDICATORS
from kamlib.core.ledger import load_ledger
from kamlib.core.notes import Note
from kamlib.run import run_engagement

ZH, EN = Words("zh"), Words("en")
Q1 = Period(dt.date(2024, 1, 1), dt.date(2024, 3, 31))  # 91 days

# customer A: two lines of order o1 on 1 January (100 paid on the 11th, 50 never paid), order
# o2 of 200 on 21 January paid on 20 February, order o3 of 300 on 10 March paid on 30 March,
# a return of −30 on 15 March; customer B: a sale of 400 on 22 December 2023 (before the
# period) paid on 6 January, and a sale of 80 on 1 February paid the same day.
LEDGER = """customer_id,date,amount,profit,order_id,paid_date
A,2024-01-01,100,30,o1,2024-01-11
A,2024-01-01,50,10,o1,
A,2024-01-21,200,50,o2,2024-02-20
A,2024-03-10,300,90,o3,2024-03-30
A,2024-03-15,-30,-9,r1,
B,2023-12-22,400,100,o4,2024-01-06
B,2024-02-01,80,20,o5,2024-02-01
"""


@pytest.fixture
def figures(tmp_path: Path) -> pd.DataFrame:
    path = tmp_path / "transactions.csv"
    path.write_text(LEDGER, encoding="utf-8")
    return customer_indicators(load_ledger(path), Q1)


def test_transaction_family(figures: pd.DataFrame) -> None:
    a = figures.loc["A"]
    # orders o1 (150), o2 (200), o3 (300) and the return r1 (−30): four orders
    assert a["orders"] == 4
    assert a["revenue"] == 620.0  # 150 + 200 + 300 − 30
    assert a["profit"] == 171.0  # 30 + 10 + 50 + 90 − 9
    assert a["margin"] == pytest.approx(171 / 620)
    assert a["average_order"] == pytest.approx(620 / 4)
    assert a["largest_order"] == 300.0
    assert a["returns"] == 30.0 and a["return_lines"] == 1
    # orders with sales on 1 January, 21 January and 10 March: (69 days) ÷ (3 − 1)
    assert a["purchase_cycle_days"] == pytest.approx(34.5)
    b = figures.loc["B"]
    assert b["orders"] == 1 and b["returns"] == 0.0 and b["return_lines"] == 0
    assert math.isnan(b["purchase_cycle_days"])  # one order: no gap


def test_financial_family(figures: pd.DataFrame) -> None:
    a = figures.loc["A"]
    # paid sale lines of the period: 100, 200, 300 (the unpaid 50 and the return are not)
    assert a["largest_receipt"] == 300.0
    assert a["average_receipt"] == pytest.approx(200.0)
    # days to pay: 10, 30 and 20
    assert a["collection_days"] == pytest.approx(20.0)
    # owed: 100 × 10 days + 50 × 91 days (never paid) + 200 × 30 + 300 × 20 = 17,550 over 91
    # days; the period's sales are 650 (before the return)
    assert a["average_outstanding"] == pytest.approx(17_550 / 91)
    assert a["outstanding_ratio"] == pytest.approx(17_550 / 91 / 650)
    b = figures.loc["B"]
    # the sale of December is owed in the period from 1 to 6 January (5 days); the one of
    # February is paid the day it is made
    assert b["average_outstanding"] == pytest.approx(400 * 5 / 91)
    assert b["outstanding_ratio"] == pytest.approx(400 * 5 / 91 / 80)
    assert b["collection_days"] == 0.0 and b["largest_receipt"] == 80.0


def test_financial_family_needs_paid_date(tmp_path: Path) -> None:
    path = tmp_path / "transactions.csv"
    path.write_text("customer_id,date,amount\nA,2024-01-05,100\nA,2024-02-05,50\n")
    a = customer_indicators(load_ledger(path), Q1).loc["A"]
    for column in ("largest_receipt", "average_receipt", "collection_days"):
        assert pd.isna(a[column]), column
    assert pd.isna(a["average_outstanding"]) and pd.isna(a["outstanding_ratio"])
    assert a["purchase_cycle_days"] == 31.0  # two orders, 5 January and 5 February


def test_purchase_cycle_dates_an_order_by_its_first_line(tmp_path: Path) -> None:
    # order x has lines on 1 and 20 January, order y one line on 11 January: order dates 1
    # and 11 January, a cycle of 10 days (not the 19 days between first and last line)
    path = tmp_path / "transactions.csv"
    path.write_text(
        "customer_id,date,amount,order_id\n"
        "A,2024-01-01,10,x\nA,2024-01-20,10,x\nA,2024-01-11,10,y\n"
    )
    a = customer_indicators(load_ledger(path), Q1).loc["A"]
    assert a["purchase_cycle_days"] == 10.0


# --- the contact family -------------------------------------------------------------------------

H1 = Period(dt.date(2024, 1, 1), dt.date(2024, 6, 30))  # 182 days: halves of 91


def log(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "type"])
    return frame.assign(date=pd.to_datetime(frame["date"]))


def test_halves() -> None:
    start, middle, end = halves(H1)
    assert (start, middle, end) == (
        pd.Timestamp("2024-01-01"),
        pd.Timestamp("2024-04-01"),
        pd.Timestamp("2024-06-30"),
    )
    # an odd number of days: the second half holds the extra day
    assert halves(Period(dt.date(2024, 1, 1), dt.date(2024, 1, 3)))[1] == pd.Timestamp("2024-01-02")


def test_contact_family_counts_shares_and_visits() -> None:
    family = contact_family(
        log(
            [
                ("A", "2023-12-31", "complaint"),  # before the period: left out
                ("A", "2024-01-05", "task"),
                ("A", "2024-02-01", "complaint"),
                ("A", "2024-03-01", "visit"),
                ("A", "2024-04-10", "complaint"),
                ("A", "2024-05-01", "complaint"),
                ("A", "2024-06-30", "praise"),
                ("A", "2024-07-01", "complaint"),  # after the period: left out
                ("B", "2024-02-02", "visit"),
                ("B", "2024-02-03", "suggestion"),
                ("B", "2024-02-04", "process"),
            ]
        ),
        H1,
    )
    a, b = family.loc["A"], family.loc["B"]
    assert a["interactions"] == 6
    assert (a["tasks"], a["processes"], a["visits"]) == (1, 0, 1)
    assert (a["praise"], a["complaints"], a["suggestions"]) == (1, 3, 0)
    assert a["complaint_share"] == pytest.approx(3 / 6)
    assert a["praise_share"] == pytest.approx(1 / 6) and a["suggestion_share"] == 0.0
    # one visit in 182 days of 30.4375-day months
    assert a["visits_per_month"] == pytest.approx(1 / (182 / 30.4375))
    # first half: task, complaint, visit → 1/3; second: complaint, complaint, praise → 2/3
    assert a["complaint_share_first"] == pytest.approx(1 / 3)
    assert a["complaint_share_second"] == pytest.approx(2 / 3)
    assert bool(a["complaints_rising"])
    assert b["interactions"] == 3 and b["visit_share"] == pytest.approx(1 / 3)
    assert b["suggestion_share"] == pytest.approx(1 / 3) and b["process_share"] == pytest.approx(
        1 / 3
    )
    assert b["complaint_share_first"] == 0.0 and b["complaint_share_second"] == 0.0
    assert not b["complaints_rising"]


@pytest.mark.parametrize(
    "first, second, rising",
    [
        # one complaint in the second half is no trend, however high its share
        (["visit"], ["complaint"], False),
        # two complaints of ten (20 %) against one of ten (10 %): exactly ten points, rising
        (["complaint"] + ["visit"] * 9, ["complaint"] * 2 + ["visit"] * 8, True),
        # two of ten (20 %) against two of twelve (16.7 %): falling
        (["complaint"] * 2 + ["visit"] * 10, ["complaint"] * 2 + ["visit"] * 8, False),
        # two of eleven (18.2 %) against one of ten (10 %): 8.2 points, not enough
        (["complaint"] + ["visit"] * 9, ["complaint"] * 2 + ["visit"] * 9, False),
        # no contact in the first half counts as a share of 0
        ([], ["complaint"] * 2 + ["task"], True),
    ],
)
def test_rising_complaint_share(first: list[str], second: list[str], rising: bool) -> None:
    rows = [("A", "2024-02-01", kind) for kind in first]
    rows += [("A", "2024-05-01", kind) for kind in second]
    family = contact_family(log(rows), H1)
    assert bool(family.loc["A", "complaints_rising"]) is rising


def test_expected_sales() -> None:
    assert win_probability(pd.Series([1, 2, 3, 4, 5])).tolist() == pytest.approx(
        [0.1, 0.3, 0.5, 0.7, 0.9]
    )
    opportunities = pd.DataFrame(
        {
            "customer_id": ["A", "A", "B"],
            "value": [1_000_000.0, 500_000.0, 200_000.0],
            "can_win": [4, 2, 5],
        }
    )
    # A: 1,000,000 × 70 % + 500,000 × 30 % = 850,000; B: 200,000 × 90 % = 180,000
    assert expected_sales(opportunities).to_dict() == pytest.approx(
        {"A": 850_000.0, "B": 180_000.0}
    )


# --- targets against actuals --------------------------------------------------------------------


@pytest.mark.parametrize(
    "attainment, lower, colour",
    [
        (1.0, False, "green"),
        (0.9, False, "amber"),
        (0.899, False, "red"),
        (1.0, True, "green"),
        (1.1, True, "amber"),
        (1.101, True, "red"),
        (float("nan"), False, ""),
    ],
)
def test_attainment_rag(attainment: float, lower: bool, colour: str) -> None:
    assert attainment_rag(attainment, lower) == colour


def test_score_targets() -> None:
    ind = pd.DataFrame(
        {
            "revenue": [5_400_000.0, 3_000_000.0, 100.0],
            "collection_days": [66.0, 50.0, 10.0],
            "complaint_share": [0.05, math.nan, 0.0],
        },
        index=pd.Index(["K1", "K2", "X"], name="customer_id"),
    )
    targets = pd.DataFrame(
        {
            "customer_id": ["all", "all", "K1", "X", "all"],
            "indicator": ["revenue", "days_to_pay", "revenue", "revenue", "complaint_share"],
            "target": [6_000_000.0, 60.0, 5_000_000.0, 0.0, 0.1],
            "period": ["2025", "2025", "2025", "", "2025"],
        }
    )
    scored = score_targets(targets, ind, ["K1", "K2"])
    rows = scored[["customer_id", "indicator", "actual", "target", "attainment", "rag"]]
    got = [tuple(r) for r in rows.itertuples(index=False)]
    expected = [
        # K1's own revenue target wins over all's: 5.4 M ÷ 5 M
        ("K1", "revenue", 5_400_000.0, 5_000_000.0, 1.08, "green"),
        # 66 ÷ 60 = 110 %: less is better, within 10 %: amber
        ("K1", "days_to_pay", 66.0, 60.0, 1.1, "amber"),
        ("K1", "complaint_share", 0.05, 0.1, 0.5, "green"),
        # 3 M ÷ 6 M = 50 %: red
        ("K2", "revenue", 3_000_000.0, 6_000_000.0, 0.5, "red"),
        ("K2", "days_to_pay", 50.0, 60.0, 50 / 60, "green"),
        # no contacts: no actual, no attainment, no colour
        ("K2", "complaint_share", math.nan, 0.1, math.nan, ""),
        # a target of 0 has no attainment; X is no key account, so only its own row applies
        ("X", "revenue", 100.0, 0.0, math.nan, ""),
    ]
    assert len(got) == len(expected)
    for row, want in zip(got, expected):
        assert row[:2] == want[:2] and row[5] == want[5]
        for value, wanted in zip(row[2:5], want[2:5]):
            assert (math.isnan(value) and math.isnan(wanted)) or value == pytest.approx(wanted)
    assert scored["perspective"].tolist() == [
        "sales",
        "financial",
        "customer",
        "sales",
        "financial",
        "customer",
        "sales",
    ]
    assert scored.loc[0, "period"] == "2025"


def test_target_indicators_agree_everywhere() -> None:
    """The targets file's indicator names, the perspectives, the words and the public
    indicator keys name the same indicators."""
    assert set(TARGET_INDICATORS.values()) == set(PERSPECTIVES) == set(TARGET_WORDS)
    assert set(PERSPECTIVES) <= {key for key, _ in INDICATOR_KEYS}
    assert TABLES["targets"].column("indicator").choices is TARGET_INDICATORS


# --- the engagement: read, compute, view --------------------------------------------------------

PERIOD_YAML = "segmentation:\n  period: {start: 2024-01-01, end: 2024-06-30}\n"
BIG_LEDGER = """客户编号,日期,金额,订单号,回款日期
K1,2024-01-10,3000000,a1,2024-02-09
K1,2024-04-10,3000000,a2,
K2,2024-02-01,1000000,b1,2024-02-11
K2,2024-05-01,1000000,b2,2024-05-11
S,2024-03-01,1000,c1,2024-03-02
"""
INTERACTIONS = """客户编号,日期,类型,负责人,备注
K1,2024-01-15,拜访,王晓峰,
K1,2024-02-15,任务,王晓峰,
K1,2024-03-15,表扬,王晓峰,
K1,2024-04-15,投诉,刘敏,上线延期
K1,2024-05-15,投诉,刘敏,
K1,2024-06-15,拜访,刘敏,
K2,2024-02-20,建议,赵志强,
"""
TARGETS = """客户编号,指标,目标,期间
all,收入,4000000,2024 上半年
all,投诉占比,0.1,2024 上半年
K2,收入,1500000,2024 上半年
"""
OPPORTUNITIES = """客户编号,机会,金额,是否机会,竞争,能否赢,值得赢
K1,云迁移,1000000,4,4,4,4
"""


def engagement(make_engagement, language: str = "zh", name: str = "eng", **files: str) -> Path:
    data = {
        "transactions.csv": BIG_LEDGER,
        "interactions.csv": INTERACTIONS,
        "targets.csv": TARGETS,
        "opportunities.csv": OPPORTUNITIES,
    }
    data.update({f"{k}.csv": v for k, v in files.items()})
    return make_engagement(
        {k: v for k, v in data.items() if v is not None},
        language=language,
        extra=PERIOD_YAML + "  key_accounts: 2\n",
        name=name,
    )


def test_results_json_indicators_and_targets(make_engagement) -> None:
    run = run_engagement(load_engagement(engagement(make_engagement)))
    seg = run.results["customer_segmentation"]
    assert list(seg.key_accounts.index) == ["K1", "K2"]
    entry = results(seg, ZH)
    assert set(entry["indicators"]) == {"K1", "K2"}
    k1 = entry["indicators"]["K1"]
    assert set(k1) == {key for key, _ in INDICATOR_KEYS}
    assert {
        key: k1[key]
        for key in (
            "orders",
            "revenue",
            "max_order",
            "return_count",
            "purchase_cycle_days",
            "expected_sales",
            "days_to_pay",
            "tasks",
            "praise",
            "complaints",
            "suggestions",
            "visits",
        )
    } == {
        "orders": 2,
        "revenue": 6_000_000.0,
        "max_order": 3_000_000.0,
        "return_count": 0,
        "purchase_cycle_days": 91.0,  # 10 January to 10 April
        "expected_sales": 700_000.0,  # 1,000,000 × 70 %
        "days_to_pay": 30.0,
        "tasks": 1,
        "praise": 1,
        "complaints": 2,
        "suggestions": 0,
        "visits": 2,
    }
    assert type(k1["orders"]) is int and type(k1["complaints"]) is int
    assert k1["complaint_share"] == pytest.approx(2 / 6)
    assert k1["praise_share"] == pytest.approx(1 / 6)
    assert k1["suggestion_share"] == 0.0
    # K1 owes 3 M from 10 January to 9 February (30 days) and 3 M from 10 April to the end
    # (82 days, 30 June included): 3 M × 112 ÷ 182 days, over its 6 M of sales
    assert k1["outstanding_ratio"] == pytest.approx(3e6 * 112 / 182 / 6e6)
    k2 = entry["indicators"]["K2"]
    assert (k2["suggestions"], k2["suggestion_share"], k2["expected_sales"]) == (1, 1.0, 0.0)
    assert entry["targets"] == [
        {
            "customer_id": "K1",
            "perspective": "sales",
            "indicator": "revenue",
            "period": "2024 上半年",
            "target": 4_000_000.0,
            "actual": 6_000_000.0,
            "attainment": 1.5,
            "rag": "green",
        },
        {
            "customer_id": "K1",
            "perspective": "customer",
            "indicator": "complaint_share",
            "period": "2024 上半年",
            "target": 0.1,
            "actual": pytest.approx(2 / 6),
            "attainment": pytest.approx(10 / 3),
            "rag": "red",
        },
        {
            "customer_id": "K2",
            "perspective": "sales",
            "indicator": "revenue",
            "period": "2024 上半年",
            "target": 1_500_000.0,
            "actual": 2_000_000.0,
            "attainment": pytest.approx(4 / 3),
            "rag": "green",
        },
        {
            "customer_id": "K2",
            "perspective": "customer",
            "indicator": "complaint_share",
            "period": "2024 上半年",
            "target": 0.1,
            "actual": 0.0,
            "attainment": 0.0,
            "rag": "green",
        },
    ]
    # the same figures in English
    english = run_engagement(load_engagement(engagement(make_engagement, "en", name="en")))
    assert (
        results(english.results["customer_segmentation"], EN)["indicators"] == entry["indicators"]
    )


def test_customer_table_carries_the_indicators(make_engagement) -> None:
    seg = run_engagement(load_engagement(engagement(make_engagement))).results[
        "customer_segmentation"
    ]
    tab = customers_table(seg, EN)
    keys = [c.key for c in tab.columns]
    assert keys[:9] == [
        "customer_id",
        "name",
        "revenue",
        "tier",
        "abc_class",
        "pyramid_level",
        "rfm_segment",
        "value_quadrant",
        "key_account",
    ]
    assert keys[9:] == [key for key, _ in INDICATOR_KEYS if key != "revenue"]
    k1 = tab.frame.set_index("customer_id").loc["K1"]
    assert (k1["complaints"], k1["visits"], k1["expected_sales"]) == (2.0, 2.0, 700_000.0)
    shown = tab.formatted().set_index("Customer ID").loc["K1"]
    assert shown["Share of complaints"] == "33.3%" and shown["Days between orders"] == "91"


def test_tables_of_the_families(make_engagement) -> None:
    seg = run_engagement(load_engagement(engagement(make_engagement))).results[
        "customer_segmentation"
    ]
    contact = indicators_table(seg, ZH, "contact")
    assert contact.labels[:8] == [
        "客户",
        "联络次数",
        "任务",
        "进程",
        "拜访",
        "表扬",
        "投诉",
        "建议",
    ]
    assert contact.formatted()["投诉占比"].tolist() == ["33.3%", "0.0%", "—"]
    financial = indicators_table(seg, EN, "financial")
    assert financial.labels == [
        "Customer",
        "Largest payment",
        "Average payment",
        "Days to pay",
        "Average outstanding",
        "Outstanding ratio",
    ]
    ranking = ranking_table(seg, ZH, "complaints")
    assert ranking.formatted().values.tolist() == [["1", "K1", "2", "A"]]
    targets = targets_table(seg, ZH)
    assert targets.labels == [
        "客户",
        "维度",
        "考核指标",
        "目标期间",
        "实际",
        "目标",
        "达成率",
        "状态",
    ]
    assert targets.formatted().values.tolist()[:2] == [
        ["K1", "销售", "收入", "2024 上半年", "600.0 万元", "400.0 万元", "150.0%", "绿"],
        ["K1", "客户", "投诉占比", "2024 上半年", "33.3%", "10.0%", "333.3%", "红"],
    ]


def test_without_contact_log_or_targets(make_engagement) -> None:
    folder = engagement(make_engagement, interactions=None, targets=None, opportunities=None)
    seg = run_engagement(load_engagement(folder)).results["customer_segmentation"]
    entry = results(seg, EN)
    assert entry["targets"] == []
    k1 = entry["indicators"]["K1"]
    assert k1["complaints"] is None and k1["expected_sales"] is None
    assert k1["revenue"] == 6_000_000.0
    contact = indicators_table(seg, EN, "contact")
    assert len(contact) == 0 and contact.empty.startswith("This engagement has no contact log")
    assert targets_table(seg, ZH).empty == "本项目未提供考核目标。"
    assert len(ranking_table(seg, EN, "complaints")) == 0


# --- the account plan ---------------------------------------------------------------------------


def test_rising_complaints_are_a_red_flag_of_the_plan(make_engagement) -> None:
    relationships = (
        "客户编号,关系阶段,月帮助次数,信息分享,开发负责人,维护负责人\nK1,初期,1,2,王晓峰,刘敏\n"
    )
    folder = engagement(make_engagement, relationships=relationships)
    run = run_engagement(load_engagement(folder))
    plan = plan_of(run.results["account_plans"], "K1")
    # first half: visit, task, praise (no complaint); second half: 2 complaints of 3
    assert plan.flags[0] == Note.of("rf_complaints_rising", first=0.0, second=2 / 3)
    assert plan.flags[0].text(ZH) == "投诉占比上升：上半期 0.0%，下半期 66.7%"
    assert plan.flags[0].text(EN) == (
        "complaints are rising: 0.0% of contacts in the first half of the period, 66.7% in the "
        "second"
    )
    # the relationships file gives no visits a month: the log's 2 visits in 182 days do
    visits = 2 / (182 / 30.4375)
    assert plan.relationship["visits_per_month"] == pytest.approx(visits)
    assert Note.of("n_visits_from_log", visits=pytest.approx(visits)) in plan.notes
    assert plan.gap == {"visits_per_month": 2}  # mid stage needs 2 visits a month
    assert stage_text(plan, ZH) == "当前关系阶段：第 2 阶段（初期）。进入“中期”还差 1 项指标。"
    met = dataclasses.replace(plan, gap={})
    assert stage_text(met, ZH) == "当前关系阶段：第 2 阶段（初期）。进入“中期”所需的指标均已达到。"
    assert stage_text(met, EN) == (
        "Relationship stage 2 of 5 (initial). It meets every indicator “mid” needs."
    )
    facts = facts_table(plan, ZH).formatted().values.tolist()
    cells = [cell for row in facts for cell in row]
    assert "任务 1 · 进程 0 · 拜访 2 · 表扬 1 · 投诉 2 · 建议 0" in cells
    assert "33.3%（上半期 0.0% → 下半期 66.7%）" in cells
    assert "70.0 万元" in cells  # expected sales
    targets = plan_targets_table(plan, EN).formatted().values.tolist()
    assert targets == [
        ["sales", "Revenue", "CNY 6,000,000", "CNY 4,000,000", "150.0%", "green"],
        ["customer", "Share of complaints", "33.3%", "10.0%", "333.3%", "red"],
    ]
    row = plan_of(run.results["account_plans"], "K2").target_row()
    assert (row["revenue"], row["revenue_target"]) == (2_000_000.0, 1_500_000.0)


def test_visits_given_by_the_relationships_file_win() -> None:
    rel = pd.Series({"stage": "2", "visits_per_month": 3.0})
    kept, notes = visits_from_log(rel, {"visits_per_month": 0.5})
    assert kept["visits_per_month"] == 3.0 and notes == []
    none, notes = visits_from_log(pd.Series({"stage": "2"}), {})
    assert "visits_per_month" not in none and notes == []


def test_no_complaint_flag_without_the_log_or_without_a_rise() -> None:
    today = dt.date(2024, 7, 1)
    assert red_flags(None, None, today, None) == ()
    assert red_flags(None, None, today, {"complaints_rising": False}) == ()
    plan = plan_account(
        "K9",
        AccountInputs(None, None, None, today),
        {"complaints_rising": True, "complaint_share_first": 0.0, "complaint_share_second": 1.0},
    )
    assert plan.status == "no_data" and plan.flags == ()  # no plan data: no red flags


# --- bad input: one line naming file, row, column, expected and found ---------------------------


ENDINGS = {
    "interactions.csv, row 2, column date: expected a date": 'found "2024-13-15"',
    "targets.csv, row 2, column target: expected a number": 'found "很多"',
}


@pytest.mark.parametrize(
    "name, text, message",
    [
        (
            "interactions",
            "客户编号,日期,类型\nK1,2024-01-15,拜访\nK1,2024-01-16,电话\n",
            "interactions.csv, row 3, column type: expected one of complaint, praise, process, "
            'suggestion, task, visit, found "电话"',
        ),
        (
            "interactions",
            "客户编号,日期,类型\nK7,2024-01-15,拜访\n",
            "interactions.csv, row 2, column customer_id: expected an account of the "
            'engagement\'s ledger or customers, found "K7"',
        ),
        (
            "interactions",
            "客户编号,日期,类型\nK1,2024-13-15,拜访\n",
            "interactions.csv, row 2, column date: expected a date",
        ),
        (
            "targets",
            "客户编号,指标,目标\nall,满意度,0.9\n",
            "targets.csv, row 2, column indicator: expected one of average_order, complaint_share, "
            "complaints, days_to_pay, expected_sales, margin, max_order, orders, "
            'outstanding_ratio, praise, profit, revenue, tasks, visits, found "满意度"',
        ),
        (
            "targets",
            "客户编号,指标,目标\nK1,收入,100\nK2,收入,100\nK1,销售额,200\n",
            "targets.csv, column indicator: expected one target per account (or all) and "
            'indicator, found "K1" and revenue in rows 2, 4',
        ),
        (
            "targets",
            "客户编号,指标,目标\nALL,收入,100\n",
            "targets.csv, row 2, column customer_id: expected an account of the engagement's "
            'ledger or customers or all, found "ALL"',
        ),
        (
            "targets",
            "客户编号,指标,目标\nall,收入,很多\n",
            "targets.csv, row 2, column target: expected a number",
        ),
    ],
)
def test_bad_contact_log_or_targets(make_engagement, name: str, text: str, message: str) -> None:
    folder = engagement(make_engagement, **{name: text})
    with pytest.raises(KamError) as caught:
        run_engagement(load_engagement(folder))
    text = str(caught.value)
    assert text.startswith(f"{folder}/{message}") and "\n" not in text
    # the loader's own wording of what a date and a number may look like sits in between
    assert text.endswith(ENDINGS.get(message, message))

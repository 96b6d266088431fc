"""Tests for kamlib.analyses.accounts.compute (METHODS.md §5): the four-step opportunity
screen, buying-influence
coverage and red flags, the relationship stage gap, recommended actions, the plan of one account
read from an engagement folder, the annual target list, account selection, the messages for bad
input, the tables the plan page shows, and one rendered plan.

Expected numbers and texts are hand-computed in the comments, never taken from the function under
test. The report date of every engagement is 2026-11-20 (conftest's yaml). Every test runs inside
``tmp_path`` so messages show relative file names (``eng/...``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from kamlib.analyses.accounts.compute import (
    SCREEN,
    AccountContext,
    AccountInputs,
    AccountPlan,
    account_context,
    coverage,
    coverage_view,
    facts_view,
    objections_view,
    plan_account,
    rag,
    read_inputs,
    recommend,
    red_flags,
    relationship_view,
    screen_opportunities,
    screen_view,
    select_accounts,
    stage_gap,
    stage_text,
    target_list,
    targets_view,
)
from kamlib.core.config import load_engagement
from kamlib.core.errors import KamError
from kamlib.render.report import render

TODAY = dt.date(2026, 11, 20)

# 2025 revenue: C1 3 × 2 M = 6 M (tier A ≥ 5 M), C2 1.5 + 1 + 1 = 3.5 M (B ≥ 3 M),
# C3 3 × 0.5 M = 1.5 M (C ≥ 1 M), C4 50 k in one order (D; set aside as a one-off purchase), so
# the key accounts are C1, C2 and C3 (the same ledger as tests/test_keyaccounts.py).
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
CUSTOMERS = "客户编号,客户名称\nC1,甲公司\nC2,乙公司\nC3,丙公司\nC4,丁公司\n"
# Days before 2026-11-20: 10-01 → 50, 08-22 → 90, 08-21 → 91, 09-01 → 80, 11-01 → 19.
CONTACTS = """\
客户编号,姓名,职务,角色,态度,影响力,最近接触
C1,张总,总经理,决策者,3,9,2026-10-01
C1,李工,信息主管,技术把关者,-2,6,2026-08-22
C1,王工,工程师,技术把关者,1,4,2026-08-21
C1,赵姐,运营经理,使用者,4,5,2026-08-21
C2,钱总,董事长,决策者,-3,10,2026-11-20
C2,孙工,IT经理,技术把关者,2,7,2026-09-01
C2,周姐,采购主管,教练,5,3,2026-11-01
"""
# C1's main opportunity is ERP 升级 (2 M > 0.5 M): 4 3 4 5, mean 4, no red → go.
# C2's main opportunity is 数据中台 (3 M > 0.1 M): 4 2 5 5, red on competition → no go.
OPPORTUNITIES = """\
客户编号,机会,金额,是否机会,竞争,能否赢,值得赢,异议,购买信号
C1,ERP 升级,2000000,4,3,4,5,没有预算,同意下一步
C1,运维外包,500000,2,4,4,4,,
C2,数据中台,3000000,4,2,5,5,,
C2,培训服务,100000,1,5,5,5,,
"""
RELATIONSHIPS = """\
客户编号,关系阶段,月拜访次数,月帮助次数,信息分享,首先想到,节日问候,开发负责人,维护负责人
C1,中期,2,1,2,是,否,王晓峰,赵志强
C2,战略联盟,4,3,4,是,是,陈思远,孙丽娜
"""

C1_FLAGS = ["使用者超过 90 天未接触", "尚未识别教练（内线）"]
C2_FLAGS = ["决策者态度消极（-3）", "尚未识别使用者", "“数据中台”在“竞争态势”一步为红色"]
C3_FLAGS = [
    "尚未识别决策者",
    "尚未识别技术把关者",
    "尚未识别使用者",
    "尚未识别教练（内线）",
    "没有已识别的销售机会",
]
NOTES = {
    "zh": [
        "未提供联系人数据（contacts），采购影响者覆盖从略。",
        "未提供销售机会数据（opportunities），机会筛选从略。",
        "未提供关系数据（relationships），关系阶段从略。",
    ],
    "en": [
        "No contacts data: buying-influence coverage is left out.",
        "No opportunities data: the opportunity screen is left out.",
        "No relationship data: the relationship stage is left out.",
    ],
}


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write_engagement(
    make_engagement,
    contacts: str | None = CONTACTS,
    opportunities: str | None = OPPORTUNITIES,
    relationships: str | None = RELATIONSHIPS,
    customers: str | None = CUSTOMERS,
    language: str = "zh",
) -> Path:
    files = {"transactions.csv": LEDGER}
    for name, text in (
        ("contacts.csv", contacts),
        ("opportunities.csv", opportunities),
        ("relationships.csv", relationships),
        ("customers.csv", customers),
    ):
        if text is not None:
            files[name] = text
    return make_engagement(files=files, language=language, extra=SETTINGS)


def plans_of(folder: Path, ids=("C1", "C2", "C3")) -> dict[str, AccountPlan]:
    """The plans as the account_plan notebook computes them."""
    eng = load_engagement(folder)
    context = account_context(eng)
    inputs = read_inputs(eng, context.known)
    return {c: plan_account(c, inputs, eng, context.facts(c), context.whitespace(c)) for c in ids}


def contacts_frame(rows: list[tuple[str, str, float, float, str]]) -> pd.DataFrame:
    """Contacts from (name, role, attitude, influence, last contact)."""
    return pd.DataFrame(
        {
            "customer_id": ["C1"] * len(rows),
            "name": [r[0] for r in rows],
            "role": [r[1] for r in rows],
            "attitude": [float(r[2]) for r in rows],
            "influence": [float(r[3]) for r in rows],
            "last_contact": pd.to_datetime([r[4] for r in rows]),
        }
    )


def opportunities_frame(rows: list[tuple[str, float, int, int, int, int]]) -> pd.DataFrame:
    """Opportunities from (name, value, the four answers of the screen)."""
    frame = pd.DataFrame(
        {
            "customer_id": ["C1"] * len(rows),
            "opportunity": [r[0] for r in rows],
            "value": [float(r[1]) for r in rows],
        }
    )
    for k, step in enumerate(SCREEN):
        frame[step] = [float(r[2 + k]) for r in rows]
    frame["objection"] = ""
    frame["signal"] = ""
    return frame


def no_opportunities() -> pd.DataFrame:
    return pd.DataFrame(columns=["opportunity", "value", *SCREEN])


def rows_of(frame: pd.DataFrame) -> list[list]:
    return [list(r) for r in frame.itertuples(index=False)]


# --- the four-step screen -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "colour"), [(1, "red"), (2, "red"), (3, "amber"), (4, "green"), (5, "green")]
)
def test_rag_boundaries(score: int, colour: str) -> None:
    assert rag(score) == colour


def test_screen_colours_mean_and_go() -> None:
    opportunities = opportunities_frame(
        [
            ("甲", 100, 4, 3, 4, 3),  # mean 14 / 4 = 3.5 exactly, no red → go
            ("乙", 100, 4, 3, 3, 3),  # mean 13 / 4 = 3.25 → no go
            ("丙", 100, 2, 5, 5, 5),  # mean 17 / 4 = 4.25 but a red step → no go
            ("丁", 100, 5, 5, 5, 5),  # mean 5 → go
        ]
    )
    before = opportunities.copy()
    screened = screen_opportunities(opportunities)

    pd.testing.assert_frame_equal(opportunities, before)  # the input is not mutated
    assert screened["is_opportunity_rag"].tolist() == ["green", "green", "red", "green"]
    assert screened["competition_rag"].tolist() == ["amber", "amber", "green", "green"]
    assert screened["can_win_rag"].tolist() == ["green", "amber", "green", "green"]
    assert screened["worth_winning_rag"].tolist() == ["amber", "amber", "green", "green"]
    assert screened["screen_score"].tolist() == [3.5, 3.25, 4.25, 5.0]
    assert screened["go"].tolist() == [True, False, False, True]


# --- buying-influence coverage and red flags ----------------------------------------------------


def test_coverage_per_role() -> None:
    contacts = contacts_frame(
        [
            ("张总", "decision_maker", -1, 8, "2026-08-22"),  # 90 days: visited
            ("李工", "technical", 2, 5, "2026-08-21"),  # 91 days: not visited
            ("王工", "technical", -4, 9, "2025-01-01"),
            ("赵姐", "user", 0, 3, "2026-11-20"),  # on the report date
        ]
    )
    cover = coverage(contacts, TODAY)

    assert cover["role"].tolist() == ["decision_maker", "technical", "user", "coach"]
    assert cover["people"].tolist() == [1, 2, 1, 0]
    assert cover["names"].tolist() == [["张总"], ["李工", "王工"], ["赵姐"], []]
    # technical: max(2, −4) = 2 and max(5, 9) = 9; nobody is a coach
    assert cover["attitude"].tolist()[:3] == [-1.0, 2.0, 0.0]
    assert cover["influence"].tolist()[:3] == [8.0, 9.0, 3.0]
    assert math.isnan(cover["attitude"].iloc[3]) and math.isnan(cover["influence"].iloc[3])
    assert cover["visited"].tolist() == [True, False, True, False]
    assert cover["last_contact"].iloc[1] == pd.Timestamp("2026-08-21")
    assert pd.isna(cover["last_contact"].iloc[3])


@pytest.mark.parametrize(
    ("last_contact", "visited"),
    [("2026-08-22", True), ("2026-08-21", False), ("2026-11-20", True)],
)
def test_visited_means_within_90_days(last_contact: str, visited: bool) -> None:
    cover = coverage(contacts_frame([("张总", "decision_maker", 1, 5, last_contact)]), TODAY)
    assert cover["visited"].tolist() == [visited, False, False, False]


def flags_inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    cover = coverage(
        contacts_frame(
            [
                ("张总", "decision_maker", -1, 8, "2026-10-01"),  # visited, hostile
                ("李工", "technical", 2, 5, "2026-08-21"),  # 91 days
                ("赵姐", "user", 3, 3, "2026-11-01"),
            ]
        ),
        TODAY,
    )
    # 大单 (900) is the largest although listed second: its red steps are flags; 小单's are not.
    screened = screen_opportunities(
        opportunities_frame([("小单", 100, 5, 5, 1, 5), ("大单", 900, 1, 2, 3, 4)])
    )
    return cover, screened


def test_red_flags_zh() -> None:
    cover, screened = flags_inputs()
    assert red_flags(cover, screened, "zh") == [
        "决策者态度消极（-1）",
        "技术把关者超过 90 天未接触",
        "尚未识别教练（内线）",
        "“大单”在“是不是机会”一步为红色",
        "“大单”在“竞争态势”一步为红色",
    ]


def test_red_flags_en() -> None:
    cover, screened = flags_inputs()
    assert red_flags(cover, screened, "en") == [
        "the decision maker is against us (-1)",
        "technical gatekeeper not met for over 90 days",
        "no coach identified",
        "“大单” is red on “Is it an opportunity”",
        "“大单” is red on “Competition”",
    ]


def test_red_flags_missing_roles_neutral_decision_maker_and_no_opportunity() -> None:
    # attitude 0 is not hostile; a missing decision maker has no attitude to flag
    neutral = coverage(contacts_frame([("张总", "decision_maker", 0, 8, "2026-10-01")]), TODAY)
    assert red_flags(neutral, no_opportunities(), "zh") == [
        "尚未识别技术把关者",
        "尚未识别使用者",
        "尚未识别教练（内线）",
        "没有已识别的销售机会",
    ]
    nobody = coverage(contacts_frame([]), TODAY)
    assert red_flags(nobody, no_opportunities(), "en") == [
        "no decision maker identified",
        "no technical gatekeeper identified",
        "no user identified",
        "no coach identified",
        "no opportunity identified",
    ]


def test_no_red_flags_when_covered_and_the_main_opportunity_has_no_red_step() -> None:
    cover = coverage(
        contacts_frame(
            [
                ("张总", "decision_maker", 2, 8, "2026-10-01"),
                ("李工", "technical", 2, 5, "2026-10-01"),
                ("赵姐", "user", 3, 3, "2026-10-01"),
                ("周姐", "coach", 5, 2, "2026-10-01"),
            ]
        ),
        TODAY,
    )
    screened = screen_opportunities(opportunities_frame([("大单", 900, 3, 3, 3, 3)]))
    assert red_flags(cover, screened, "zh") == []


# --- relationship stage gap ---------------------------------------------------------------------


def relationship(stage: int, visits=0.0, help_=0.0, info=0.0, first="no", holiday="") -> pd.Series:
    return pd.Series(
        {
            "customer_id": "C1",
            "stage": str(stage),
            "visits_per_month": float(visits),
            "help_per_month": float(help_),
            "info_shared": float(info),
            "thought_of_first": first,
            "holiday_contact": holiday,
            "owner_development": "甲",
            "owner_maintenance": "乙",
        }
    )


@pytest.mark.parametrize(
    ("stage", "gap"),
    [
        # the next stage's needs (seed 001) that an account at zero lacks; a need of 0 is met
        (1, {"visits_per_month": 1, "info_shared": 1}),
        (2, {"visits_per_month": 2, "help_per_month": 1, "info_shared": 2}),
        (3, {"visits_per_month": 3, "help_per_month": 2, "info_shared": 3, "thought_of_first": 1}),
        (
            4,
            {
                "visits_per_month": 4,
                "help_per_month": 3,
                "info_shared": 4,
                "thought_of_first": 1,
                "holiday_contact": 1,
            },
        ),
        (5, {}),
    ],
)
def test_stage_gap_per_stage(stage: int, gap: dict) -> None:
    assert stage_gap(relationship(stage)) == gap


def test_stage_gap_counts_yes_and_met_needs() -> None:
    assert stage_gap(None) == {}
    # stage 4 → 5 needs 4, 3, 4, yes, yes: only the holiday contact is missing
    assert stage_gap(relationship(4, 4, 3, 4, "yes", "no")) == {"holiday_contact": 1}
    # stage 3 → 4: an empty cell is a no
    assert stage_gap(relationship(3, 3, 2, 3, "", "yes")) == {"thought_of_first": 1}
    # stage 2 → 3 needs 2, 1, 2: more than needed is met
    assert stage_gap(relationship(2, 2, 0, 5)) == {"help_per_month": 1}


# --- recommended actions ------------------------------------------------------------------------


def actions_inputs() -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    cover = coverage(
        contacts_frame(
            [
                ("张总", "decision_maker", 2, 8, "2026-10-01"),
                ("李工", "technical", 2, 5, "2026-08-21"),  # 91 days
                ("王工", "technical", 1, 4, "2026-01-05"),
                ("周姐", "coach", 5, 2, "2026-11-01"),
            ]
        ),
        TODAY,
    )
    # main: 平台 (900): amber, red, red, green; 配套's all-red screen is not acted on
    screened = screen_opportunities(
        opportunities_frame([("配套", 100, 1, 1, 1, 1), ("平台", 900, 3, 2, 1, 4)])
    )
    gap = {
        "visits_per_month": 4,
        "help_per_month": 3,
        "info_shared": 4,
        "thought_of_first": 1,
        "holiday_contact": 1,
    }
    return cover, screened, gap


def test_recommend_zh() -> None:
    cover, screened, gap = actions_inputs()
    assert recommend(cover, screened, gap, 1_500_000.0, "zh", "CNY") == [
        "本月内拜访技术把关者（李工和王工）",
        "通过教练或现有联系人识别并约见使用者",
        "与客户确认“平台”的需求、预算与时间",
        "摸清“平台”的竞争对手及其关系",
        "针对“平台”强化独特卖点，补足弱项",
        "把拜访提高到每月 4 次",
        "每月至少帮助客户解决 3 个问题",
        "争取客户分享更多经营信息（目标 4/5）",
        "成为客户遇到问题时首先想到的供应商",
        "建立节日与生日问候",
        "开发该客户的空白市场（150.0 万元）",  # 1,500,000 / 10,000 = 150.0
    ]


def test_recommend_en() -> None:
    cover, screened, gap = actions_inputs()
    assert recommend(cover, screened, gap, 1_500_000.0, "en", "CNY") == [
        "meet the technical gatekeeper (李工 and 王工) this month",
        "identify and meet the user, through the coach or current contacts",
        "confirm need, budget and timing of “平台” with the customer",
        "map the rivals on “平台” and their relationships",
        "build the case for “平台” on our selling points and cover the weak spots",
        "raise visits to 4 a month",
        "help the customer with at least 3 issues a month",
        "win more of the customer's business information (aim 4/5)",
        "become the supplier the customer calls first",
        "keep in touch on holidays and birthdays",
        "pursue the account's whitespace (CNY 1,500,000)",
    ]


@pytest.mark.parametrize("whitespace", [None, 0.0, -5.0])
def test_recommend_only_the_steps_not_green(whitespace) -> None:
    cover = coverage(
        contacts_frame(
            [
                ("张总", "decision_maker", 2, 8, "2026-10-01"),
                ("李工", "technical", 2, 5, "2026-10-01"),
                ("赵姐", "user", 3, 3, "2026-10-01"),
                ("周姐", "coach", 5, 2, "2026-10-01"),
            ]
        ),
        TODAY,
    )
    screened = screen_opportunities(opportunities_frame([("平台", 900, 5, 4, 5, 3)]))
    assert recommend(cover, screened, {}, whitespace, "zh", "CNY") == [
        "复核“平台”的利润与战略价值，决定投入"
    ]
    assert recommend(cover, no_opportunities(), {}, whitespace, "zh", "CNY") == []


# --- one account's plan from an engagement folder -----------------------------------------------


def test_plan_account_end_to_end(make_engagement) -> None:
    folder = write_engagement(make_engagement)
    eng = load_engagement(folder)
    context = account_context(eng)
    inputs = read_inputs(eng, context.known)
    assert inputs.warnings == []
    assert context.known == {"C1", "C2", "C3", "C4"}
    plans = {
        c: plan_account(c, inputs, eng, context.facts(c), context.whitespace(c))
        for c in "C1 C2 C3".split()
    }
    c1, c2, c3 = plans["C1"], plans["C2"], plans["C3"]

    assert c1.to_results() == {
        "customer_id": "C1",
        "go": True,
        "red_flags": C1_FLAGS,
        "relationship_stage": 3,
    }
    assert c2.to_results() == {
        "customer_id": "C2",
        "go": False,
        "red_flags": C2_FLAGS,
        "relationship_stage": 5,
    }
    assert c3.to_results() == {
        "customer_id": "C3",
        "go": False,
        "red_flags": C3_FLAGS,
        "relationship_stage": None,
    }
    assert set(c1.to_results()) == {"customer_id", "go", "red_flags", "relationship_stage"}
    json.dumps([p.to_results() for p in plans.values()])  # what results.json stores

    # C1 at stage 3 (中期) needs stage 4's 3 visits, 2 helps, information 3/5 (has 2, 1, 2; 是).
    assert c1.gap == {"visits_per_month": 3, "help_per_month": 2, "info_shared": 3}
    assert c1.actions == [
        "本月内拜访使用者（赵姐）",
        "通过教练或现有联系人识别并约见教练（内线）",
        "摸清“ERP 升级”的竞争对手及其关系",
        "把拜访提高到每月 3 次",
        "每月至少帮助客户解决 2 个问题",
        "争取客户分享更多经营信息（目标 3/5）",
    ]
    assert c2.gap == {}
    assert c2.actions == [
        "通过教练或现有联系人识别并约见使用者",
        "摸清“数据中台”的竞争对手及其关系",
    ]
    assert c1.notes == [] and c2.notes == []
    assert c3.notes == [NOTES["zh"][2]]  # relationships.csv has no row for C3
    assert c1.name == "甲公司" and c1.stage == 3 and c3.stage is None

    assert c1.target_row() == {
        "customer_id": "C1",
        "name": "甲公司",
        "go": True,
        "red_flags": 2,
        "revenue": 6_000_000.0,
        "tier": "A",
        "stage": 3,
        "owner_development": "王晓峰",
        "owner_maintenance": "赵志强",
    }
    assert c2.target_row() == {
        "customer_id": "C2",
        "name": "乙公司",
        "go": False,
        "red_flags": 3,
        "revenue": 3_500_000.0,
        "tier": "B",
        "stage": 5,
        "owner_development": "陈思远",
        "owner_maintenance": "孙丽娜",
    }
    assert c3.target_row() == {
        "customer_id": "C3",
        "name": "丙公司",
        "go": False,
        "red_flags": 5,
        "revenue": 1_500_000.0,
        "tier": "C",
        "stage": None,
        "owner_development": "",
        "owner_maintenance": "",
    }


@pytest.mark.parametrize("language", ["zh", "en"])
def test_missing_optional_files_give_notes(make_engagement, language: str) -> None:
    folder = write_engagement(
        make_engagement, contacts=None, opportunities=None, relationships=None, language=language
    )
    eng = load_engagement(folder)
    inputs = read_inputs(eng)
    assert (inputs.contacts, inputs.opportunities, inputs.relationships) == (None, None, None)
    assert inputs.warnings == []

    plan = plans_of(folder, ["C1"])["C1"]
    assert plan.notes == NOTES[language]
    assert plan.to_results() == {
        "customer_id": "C1",
        "go": False,
        "red_flags": [],
        "relationship_stage": None,
    }
    assert plan.actions == []
    assert plan.target_row() == {
        "customer_id": "C1",
        "name": "甲公司",
        "go": False,
        "red_flags": 0,
        "revenue": 6_000_000.0,
        "tier": "A",
        "stage": None,
        "owner_development": "",
        "owner_maintenance": "",
    }
    assert screen_view(plan).empty and relationship_view(plan).empty
    assert objections_view(plan).empty
    assert stage_text(plan) == NOTES[language][2]


def test_plan_without_any_data_or_facts(make_engagement) -> None:
    eng = load_engagement(make_engagement(files={}))
    plan = plan_account("C9", AccountInputs(None, None, None, []), eng)
    assert plan.name == "C9" and plan.notes == NOTES["zh"]
    assert plan.target_row() == {
        "customer_id": "C9",
        "name": "C9",
        "go": False,
        "red_flags": 0,
        "revenue": 0.0,
        "tier": "",
        "stage": None,
        "owner_development": "",
        "owner_maintenance": "",
    }


def test_missing_contacts_keeps_the_screen_red_flag(make_engagement) -> None:
    plan = plans_of(write_engagement(make_engagement, contacts=None), ["C2"])["C2"]
    assert plan.notes == [NOTES["zh"][0]]
    assert plan.actions == ["摸清“数据中台”的竞争对手及其关系"]
    assert plan.flags == ["“数据中台”在“竞争态势”一步为红色"]


def test_missing_opportunities_file_is_not_a_red_flag(make_engagement) -> None:
    plan = plans_of(write_engagement(make_engagement, opportunities=None), ["C1"])["C1"]
    assert plan.notes == [NOTES["zh"][1]]
    assert plan.go is False
    assert plan.flags == C1_FLAGS


# --- the annual target list ---------------------------------------------------------------------


def target(customer_id: str, go: bool, flags: int, revenue: float, stage=None) -> dict:
    return {
        "customer_id": customer_id,
        "name": f"客户{customer_id}",
        "go": go,
        "red_flags": flags,
        "revenue": revenue,
        "tier": "A",
        "stage": stage,
        "owner_development": "甲",
        "owner_maintenance": "乙",
    }


def test_target_list_order_and_priority() -> None:
    rows = [
        target("X1", False, 1, 9e6),
        target("X2", True, 4, 1e6),
        target("X3", False, 1, 2e6),
        target("X4", False, 0, 1e5),
        target("X6", False, 1, 2e6),
        target("X5", True, 4, 3e6),
    ]
    targets = target_list(rows)
    # go first (X5, X2: same flags, more revenue first); then 0 flags (X4) before 1 flag, by
    # revenue (X1 9 M, then X3 and X6 tied at 2 M, by ID)
    assert targets["customer_id"].tolist() == ["X5", "X2", "X4", "X1", "X3", "X6"]
    assert targets["priority"].tolist() == [1, 2, 3, 4, 5, 6]
    assert list(targets.columns)[:2] == ["priority", "customer_id"]
    assert target_list([]).empty


def test_target_list_of_the_engagement(make_engagement) -> None:
    plans = plans_of(write_engagement(make_engagement))
    targets = target_list([plans[c].target_row() for c in ("C3", "C2", "C1")])
    # C1 go; C2 (3 flags) before C3 (5 flags)
    assert targets["customer_id"].tolist() == ["C1", "C2", "C3"]
    assert targets["priority"].tolist() == [1, 2, 3]
    view = targets_view(targets, "zh")
    assert list(view.columns) == [
        "优先级",
        "客户",
        "等级",
        "结论",
        "雷区数",
        "关系阶段",
        "开发负责人",
        "维护负责人",
    ]
    assert rows_of(view) == [
        [1, "甲公司（C1）", "A", "推进", "2", "中期", "王晓峰", "赵志强"],
        [2, "乙公司（C2）", "B", "暂缓", "3", "战略联盟", "陈思远", "孙丽娜"],
        [3, "丙公司（C3）", "C", "暂缓", "5", "—", "", ""],
    ]
    english = targets_view(targets, "en")
    assert list(english.columns)[:6] == [
        "Priority",
        "Customer",
        "Tier",
        "Verdict",
        "Red flags",
        "Relationship stage",
    ]
    assert english["Customer"].tolist() == ["甲公司 (C1)", "乙公司 (C2)", "丙公司 (C3)"]
    assert english["Verdict"].tolist() == ["go", "no-go", "no-go"]
    assert english["Relationship stage"].tolist() == ["mid", "strategic alliance", "—"]


# --- which accounts get a plan ------------------------------------------------------------------


def selection_inputs() -> AccountInputs:
    def ids(*values: str) -> pd.DataFrame:
        return pd.DataFrame({"customer_id": list(values)})

    return AccountInputs(ids("C2", "C5", "C5"), ids("C6", "C1"), ids("C5", "C7"), [])


def test_select_accounts() -> None:
    context = AccountContext({}, {}, ["C1", "C2"], {"C1", "C2", "C3", "C5", "C6", "C7"})
    inputs = selection_inputs()
    assert select_accounts("key", context, inputs) == ["C1", "C2"]
    # key accounts, then accounts with data in the order contacts, opportunities, relationships
    assert select_accounts("all", context, inputs) == ["C1", "C2", "C5", "C6", "C7"]
    assert select_accounts("C3, C1", context, inputs) == ["C3", "C1"]
    assert select_accounts("C1,C2", context, inputs) == ["C1", "C2"]


def test_select_accounts_unknown_id() -> None:
    context = AccountContext({}, {}, ["C1", "C2"], {"C1", "C2"})
    with pytest.raises(KamError) as err:
        select_accounts("C1,C9", context, selection_inputs())
    assert str(err.value) == (
        '--accounts: expected key, all or IDs of the engagement\'s accounts, found "C9"'
    )
    # without a ledger or customer master, the accounts with data are the known ones
    bare = AccountContext({}, {}, [], None)
    assert select_accounts("C7,C5", bare, selection_inputs()) == ["C7", "C5"]
    assert select_accounts("key", bare, selection_inputs()) == []
    with pytest.raises(KamError, match='found "C3"$'):
        select_accounts("C3", bare, selection_inputs())


def test_select_key_accounts_of_the_engagement(make_engagement) -> None:
    eng = load_engagement(write_engagement(make_engagement))
    context = account_context(eng)
    inputs = read_inputs(eng, context.known)
    assert select_accounts("key", context, inputs) == ["C1", "C2", "C3"]
    assert select_accounts("all", context, inputs) == ["C1", "C2", "C3"]


# --- bad input ----------------------------------------------------------------------------------

CONTACTS_HEAD = "客户编号,姓名,角色,态度,影响力,最近接触\n"
OPPORTUNITIES_HEAD = "客户编号,机会,金额,是否机会,竞争,能否赢,值得赢\n"
RELATIONSHIPS_HEAD = "客户编号,关系阶段,月拜访次数,月帮助次数,信息分享,开发负责人,维护负责人\n"


@pytest.mark.parametrize(
    ("file", "text", "row", "column", "expected", "found"),
    [
        (
            "contacts.csv",
            CONTACTS_HEAD + "C1,张总,决策者,3,9,2026-10-01\nC9,李工,技术把关者,1,4,2026-10-01\n",
            3,
            "customer_id",
            "an account of the engagement's ledger or customers",
            '"C9"',
        ),
        (
            "opportunities.csv",
            OPPORTUNITIES_HEAD + "C8,ERP,100,4,4,4,4\n",
            2,
            "customer_id",
            "an account of the engagement's ledger or customers",
            '"C8"',
        ),
        (
            "contacts.csv",
            CONTACTS_HEAD + "C1,张总,老板,3,9,2026-10-01\n",
            2,
            "role",
            "one of coach, decision_maker, technical, user",
            '"老板"',
        ),
        (
            "contacts.csv",
            CONTACTS_HEAD + "C1,张总,决策者,6,9,2026-10-01\n",
            2,
            "attitude",
            "a number ≤ 5",
            '"6"',
        ),
        (
            "contacts.csv",
            CONTACTS_HEAD + "C1,张总,决策者,-6,9,2026-10-01\n",
            2,
            "attitude",
            "a number ≥ -5",
            '"-6"',
        ),
        (
            "contacts.csv",
            CONTACTS_HEAD + "C1,张总,决策者,3,0,2026-10-01\n",
            2,
            "influence",
            "a number ≥ 1",
            '"0"',
        ),
        (
            # the blank line is spreadsheet row 3: the future contact is on row 4
            "contacts.csv",
            CONTACTS_HEAD + "C1,张总,决策者,3,9,2026-11-20\n\nC1,李工,技术把关者,1,4,2026-11-21\n",
            4,
            "last_contact",
            "a date on or before the report date 2026-11-20",
            '"2026-11-21"',
        ),
        (
            "contacts.csv",
            CONTACTS_HEAD + "C1,张总,决策者,3,9,2026-13-01\n",
            2,
            "last_contact",
            "a date (YYYY-MM-DD)",
            '"2026-13-01"',
        ),
        (
            "opportunities.csv",
            OPPORTUNITIES_HEAD + "C1,ERP,100,4,6,4,4\n",
            2,
            "competition",
            "a number ≤ 5",
            '"6"',
        ),
        (
            "relationships.csv",
            RELATIONSHIPS_HEAD + "C1,蜜月期,1,1,1,甲,乙\n",
            2,
            "stage",
            "one of 1, 2, 3, 4, 5",
            '"蜜月期"',
        ),
        (
            "relationships.csv",
            RELATIONSHIPS_HEAD + "C1,初期,1,1,1,甲,乙\nC2,2,1,1,1,甲,乙\nC1,3,1,1,1,甲,乙\n",
            None,
            "customer_id",
            "each customer_id once",
            '"C1" in rows 2, 4',
        ),
    ],
)
def test_bad_input(make_engagement, file, text, row, column, expected, found) -> None:
    eng = load_engagement(make_engagement(files={file: text}))
    with pytest.raises(KamError) as err:
        read_inputs(eng, known={"C1", "C2"})
    e = err.value
    assert (e.file, e.row, e.column, e.expected, e.found) == (
        f"eng/{file}",
        row,
        column,
        expected,
        found,
    )
    where = f"eng/{file}" + (f", row {row}" if row else "") + f", column {column}"
    assert str(e) == f"{where}: expected {expected}, found {found}"


def test_contact_on_the_report_date_and_unknown_accounts_without_known(make_engagement) -> None:
    text = CONTACTS_HEAD + "C9,张总,决策者,3,9,2026-11-20\n"
    eng = load_engagement(make_engagement(files={"contacts.csv": text}))
    inputs = read_inputs(eng)  # no known accounts: nothing to check against
    assert inputs.contacts["customer_id"].tolist() == ["C9"]
    assert inputs.contacts["role"].tolist() == ["decision_maker"]
    assert inputs.contacts["last_contact"].tolist() == [pd.Timestamp("2026-11-20")]


# --- what the plan page shows -------------------------------------------------------------------


def test_screen_view(make_engagement) -> None:
    plan = plans_of(write_engagement(make_engagement), ["C1"])["C1"]
    view = screen_view(plan)
    assert list(view.columns) == [
        "机会",
        "金额",
        "是不是机会",
        "竞争态势",
        "能不能赢",
        "值不值得赢",
        "结论",
    ]
    # 2,000,000 = 200.0 万元; 500,000 = 50.0 万元
    assert rows_of(view) == [
        ["ERP 升级", "200.0 万元", "绿 4", "黄 3", "绿 4", "绿 5", "推进"],
        ["运维外包", "50.0 万元", "红 2", "绿 4", "绿 4", "绿 4", "暂缓"],
    ]


def test_coverage_view(make_engagement) -> None:
    plans = plans_of(write_engagement(make_engagement), ["C1", "C2"])
    view = coverage_view(plans["C1"])
    assert list(view.columns) == ["角色", "人员", "态度（−5~+5）", "影响力", "90 天内拜访"]
    assert rows_of(view) == [
        ["决策者", "张总", "+3", "9", "绿"],
        ["技术把关者", "李工和王工", "+1", "6", "绿"],  # max(−2, 1), max(6, 4); 李工 90 days
        ["使用者", "赵姐", "+4", "5", "红"],  # 91 days
        ["教练（内线）", "—", "—", "—", "红"],
    ]
    assert rows_of(coverage_view(plans["C2"])) == [
        ["决策者", "钱总", "-3", "10", "绿"],
        ["技术把关者", "孙工", "+2", "7", "绿"],
        ["使用者", "—", "—", "—", "红"],
        ["教练（内线）", "周姐", "+5", "3", "绿"],
    ]


def test_relationship_view_and_stage_text(make_engagement) -> None:
    plans = plans_of(write_engagement(make_engagement))
    c1, c2 = plans["C1"], plans["C2"]
    view = relationship_view(c1)
    assert list(view.columns) == ["指标", "现状", "下一阶段要求", "差距"]
    # C1 at 中期 (3): 伙伴期 (4) needs 3 visits, 2 helps, 3/5 information and being thought of
    # first; holiday contact is not needed until stage 5
    assert rows_of(view) == [
        ["每月拜访次数", "2", "3", "红"],
        ["每月帮助客户次数", "1", "2", "红"],
        ["客户分享信息（0–5）", "2", "3", "红"],
        ["客户首先想到我们", "是", "是", "绿"],
        ["节日与生日问候", "否", "—", "绿"],
    ]
    assert stage_text(c1) == "当前关系阶段：第 3 阶段（中期）。进入“伙伴期”还差 3 项指标。"
    assert rows_of(relationship_view(c2)) == [
        ["每月拜访次数", "4", "—", "绿"],
        ["每月帮助客户次数", "3", "—", "绿"],
        ["客户分享信息（0–5）", "4", "—", "绿"],
        ["客户首先想到我们", "是", "—", "绿"],
        ["节日与生日问候", "是", "—", "绿"],
    ]
    assert stage_text(c2) == "当前关系阶段：第 5 阶段（战略联盟）。"
    assert relationship_view(plans["C3"]).empty
    assert stage_text(plans["C3"]) == NOTES["zh"][2]


def test_objections_view(make_engagement) -> None:
    plans = plans_of(write_engagement(make_engagement), ["C1", "C2"])
    view = objections_view(plans["C1"])
    assert list(view.columns) == ["机会", "类型", "项目", "应对"]
    assert rows_of(view) == [
        ["ERP 升级", "异议", "没有预算", "拆分阶段、调整付款方式，或协助客户申请预算"],
        ["ERP 升级", "购买信号", "同意下一步行动", "趁势推进：确认决策流程与时间表"],
    ]
    assert objections_view(plans["C2"]).empty


def test_facts_view(make_engagement) -> None:
    eng = load_engagement(make_engagement(files={}))
    facts = {
        "name": "甲公司",
        "industry": "制造",
        "region": "华东",
        "tier": "A",
        "revenue": 6_000_000.0,
        "level": 1,
        "action": "keep",
        "kind": "core",
        "cooperation_years": 3.4,
        "share_of_wallet": 0.4,
        "total_spend": 15_000_000.0,
    }
    plan = plan_account("C1", AccountInputs(None, None, None, []), eng, facts)
    view = facts_view(plan)
    assert list(view.columns) == ["项目", "内容", "项目 ", "内容 "]
    # 12 pairs, two a row: the first six on the left, the last six on the right;
    # whitespace 15 M − 6 M = 9 M = 900.0 万元
    assert rows_of(view) == [
        ["客户编号", "C1", "金字塔层级", "1"],
        ["客户名称", "甲公司", "策略", "重点保持"],
        ["行业", "制造", "类型", "核心客户（理念契合，战略联盟）"],
        ["区域", "华东", "合作年限", "3.4"],
        ["等级", "A", "钱包份额", "40.0%"],
        ["收入", "600.0 万元", "空白市场", "900.0 万元"],
    ]
    # three pairs: the right half is padded
    small = plan_account(
        "C2", AccountInputs(None, None, None, []), eng, {"name": "乙公司", "tier": "B"}
    )
    assert rows_of(facts_view(small)) == [
        ["客户编号", "C2", "等级", "B"],
        ["客户名称", "乙公司", "", ""],
    ]


# --- one rendered plan --------------------------------------------------------------------------


def test_render_one_plan(make_engagement, tmp_path: Path) -> None:
    name = "<b>甲&乙</b>"
    folder = write_engagement(make_engagement, customers=CUSTOMERS.replace("甲公司", name))
    expected = {
        "customer_id": "C1",
        "go": True,
        "red_flags": C1_FLAGS,
        "relationship_stage": 3,
    }
    assert plans_of(folder, ["C1"])["C1"].to_results() == expected

    out = tmp_path / "out"
    target, pages = render(folder, out, accounts="C1")
    assert target == out
    assert [p.analysis.key for p in pages] == ["customer_segmentation", "account_plans"]
    assert (out / "accounts" / "C1.html").is_file()
    assert (out / "accounts" / "index.html").is_file()
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert list(results) == ["customer_segmentation", "account_plans"]
    assert results["account_plans"] == [expected]

    markup = (out / "accounts" / "C1.html").read_text(encoding="utf-8")
    doc = BeautifulSoup(markup, "html.parser")
    assert doc.find("script") is None
    assert "<b>甲" not in markup and "&lt;b&gt;甲&amp;乙&lt;/b&gt;" in markup
    assert doc.find("h1").get_text() == f"大客户计划：{name}"
    text = doc.get_text(" ")
    for flag in C1_FLAGS:
        assert flag in text

    index = BeautifulSoup(
        (out / "accounts" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert index.find("script") is None
    links = [(a["href"], a.get_text()) for a in index.select("ol.kam-plan-links a")]
    assert links == [("C1.html", f"{name}（C1）")]

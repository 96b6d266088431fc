"""Tests for kamlib.analyses.accounts (docs/methods.md §5): the four-step opportunity screen,
buying-influence coverage and red flags, the relationship stage gap, recommended actions (all as
:class:`Note` data, with their sentences in both languages), the plans of an engagement as the run
computes them, the annual target list, account selection, the messages for bad input, the tables
the plan page shows, and one rendered plan.

Expected numbers and texts are hand-computed in the comments, never taken from the function under
test. The report date of every engagement is 2026-11-20 (conftest's yaml). Every test runs inside
``tmp_path`` so messages show relative file names (``eng/...``).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import math
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from kamlib.analyses.accounts.compute import (
    ROLES,
    SCREEN,
    AccountPlan,
    AccountPlans,
    account_facts,
    compute,
    coverage,
    facts_of,
    plan_account,
    plan_of,
    rag,
    recommend,
    red_flags,
    screen_opportunities,
    select,
    stage_gap,
    subset,
    target_list,
)
from kamlib.analyses.accounts.read import AccountInputs, read_inputs
from kamlib.analyses.accounts.view import (
    actions_table,
    coverage_table,
    facts_table,
    findings,
    flags_table,
    objections_table,
    page_title,
    plan_notes,
    relationship_table,
    results,
    screen_table,
    stage_text,
    targets_table,
)
from kamlib.core.config import load_engagement
from kamlib.core.errors import KamError
from kamlib.core.i18n import Words
from kamlib.core.io import DATE_FORMS
from kamlib.core.notes import Note
from kamlib.core.table import to_html
from kamlib.render.pipeline import render
from kamlib.run import result, run_engagement

TODAY = dt.date(2026, 11, 20)
ZH, EN = Words("zh"), Words("en", "CNY")

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

# Red flags of the three key accounts, as notes and in both languages.
# C1: 赵姐 (the only user) last met 91 days ago; nobody is a coach.
# C2: 钱总 the decision maker at −3; nobody is a user; 数据中台 is red (2) on competition.
# C3: no contact, no opportunity, no relationship row: no plan data yet, so no red flag at all.
FLAGS = {
    "C1": (Note.of("rf_not_visited", role="user", days=90), Note.of("rf_missing", role="coach")),
    "C2": (
        Note.of("rf_hostile", name="钱总", role="decision_maker", attitude=-3.0, influence=10.0),
        Note.of("rf_missing", role="user"),
        Note.of("rf_screen", opportunity="数据中台", step="competition"),
    ),
    "C3": (),
}
FLAG_TEXTS = {
    "C1": {
        "zh": ["使用者超过 90 天未接触", "尚未识别教练（内线）"],
        "en": ["user not met for over 90 days", "no coach identified"],
    },
    "C2": {
        "zh": [
            "钱总（决策者，影响力 10）态度消极（−3）",
            "尚未识别使用者",
            "“数据中台”在“竞争态势”一步为红色",
        ],
        "en": [
            "钱总 (decision maker, influence 10) is against us (−3)",
            "no user identified",
            "“数据中台” is red on “Competition”",
        ],
    },
    "C3": {"zh": [], "en": []},
}
# An account judged with empty contacts and opportunities: every role missing, no opportunity.
NOBODY = (
    Note.of("rf_missing", role="decision_maker"),
    Note.of("rf_missing", role="technical"),
    Note.of("rf_missing", role="user"),
    Note.of("rf_missing", role="coach"),
    Note.of("rf_no_opportunity"),
)
NOBODY_TEXTS = {
    "zh": [
        "尚未识别决策者",
        "尚未识别技术把关者",
        "尚未识别使用者",
        "尚未识别教练（内线）",
        "没有已识别的销售机会",
    ],
    "en": [
        "no decision maker identified",
        "no technical gatekeeper identified",
        "no user identified",
        "no coach identified",
        "no opportunity identified",
    ],
}
# An account without a row in any plan file: one note, and the action to start its plan.
NO_PLAN = (Note.of("n_no_plan_data"),)
NO_PLAN_TEXTS = {
    "zh": [
        "该客户尚无计划数据（没有联系人、销售机会或关系记录）：暂不作推进/暂缓结论，"
        "也不判断销售雷区。"
    ],
    "en": [
        "No plan data yet for this account (no contact, opportunity or relationship row): "
        "no go/no-go verdict and no red flags until there is."
    ],
}
START = Note.of("a_start_plan")
START_TEXTS = {
    "zh": "建立该客户的计划：识别四类采购影响者，记录销售机会，评估关系阶段",
    "en": "start the plan: identify the four buying influences, record the opportunities and "
    "assess the relationship stage",
}
NOTES = {
    "zh": [
        "未提供联系人数据，采购影响者覆盖从略。",
        "未提供销售机会数据，机会筛选从略。",
        "没有该客户的关系数据，关系阶段从略。",
    ],
    "en": [
        "No contact data: buying-influence coverage is left out.",
        "No opportunity data: the opportunity screen is left out.",
        "No relationship data for this account: the relationship stage is left out.",
    ],
}
WORDS = {"zh": ZH, "en": EN}


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


def plans_of(folder: Path) -> AccountPlans:
    """The plans as the account_plan notebook gets them: the run's ``account_plans`` result."""
    return result(load_engagement(folder), "account_plans")


def texts(notes, words: Words) -> list[str]:
    return [n.text(words) for n in notes]


def flag_json(customer_id: str, language: str) -> list[dict]:
    """The ``red_flags`` of a results.json entry: code, text, then the note's values."""
    return [
        {"code": note.code, "text": text, **note.params}
        for note, text in zip(FLAGS[customer_id], FLAG_TEXTS[customer_id][language])
    ]


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
    before = contacts.copy()
    cover = coverage(contacts, TODAY)

    pd.testing.assert_frame_equal(contacts, before)
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
    contacts = contacts_frame(
        [
            ("张总", "decision_maker", -1, 8, "2026-10-01"),  # visited, hostile
            ("李工", "technical", 2, 5, "2026-08-21"),  # 91 days
            ("赵姐", "user", 3, 3, "2026-11-01"),
        ]
    )
    # 大单 (900) is the largest although listed second: its red steps are flags; 小单's are not.
    screened = screen_opportunities(
        opportunities_frame([("小单", 100, 5, 5, 1, 5), ("大单", 900, 1, 2, 3, 4)])
    )
    return contacts, screened


def test_red_flags_as_notes() -> None:
    contacts, screened = flags_inputs()
    assert red_flags(contacts, screened, TODAY) == (
        Note.of("rf_hostile", name="张总", role="decision_maker", attitude=-1.0, influence=8.0),
        Note.of("rf_not_visited", role="technical", days=90),
        Note.of("rf_missing", role="coach"),
        Note.of("rf_screen", opportunity="大单", step="is_opportunity"),
        Note.of("rf_screen", opportunity="大单", step="competition"),
    )


def test_red_flags_zh() -> None:
    contacts, screened = flags_inputs()
    assert texts(red_flags(contacts, screened, TODAY), ZH) == [
        "张总（决策者，影响力 8）态度消极（−1）",
        "技术把关者超过 90 天未接触",
        "尚未识别教练（内线）",
        "“大单”在“是不是机会”一步为红色",
        "“大单”在“竞争态势”一步为红色",
    ]


def test_red_flags_en() -> None:
    contacts, screened = flags_inputs()
    assert texts(red_flags(contacts, screened, TODAY), EN) == [
        "张总 (decision maker, influence 8) is against us (−1)",
        "technical gatekeeper not met for over 90 days",
        "no coach identified",
        "“大单” is red on “Is it an opportunity”",
        "“大单” is red on “Competition”",
    ]


def test_red_flags_missing_roles_neutral_decision_maker_and_no_opportunity() -> None:
    # attitude 0 is not hostile; a missing decision maker has no attitude to flag
    neutral = contacts_frame([("张总", "decision_maker", 0, 8, "2026-10-01")])
    flags = red_flags(neutral, no_opportunities(), TODAY)
    assert flags == (
        Note.of("rf_missing", role="technical"),
        Note.of("rf_missing", role="user"),
        Note.of("rf_missing", role="coach"),
        Note.of("rf_no_opportunity"),
    )
    assert texts(flags, ZH) == [
        "尚未识别技术把关者",
        "尚未识别使用者",
        "尚未识别教练（内线）",
        "没有已识别的销售机会",
    ]
    assert texts(flags, EN) == [
        "no technical gatekeeper identified",
        "no user identified",
        "no coach identified",
        "no opportunity identified",
    ]
    nobody = red_flags(contacts_frame([]), no_opportunities(), TODAY)
    assert nobody == NOBODY  # every role missing, then no opportunity
    assert texts(nobody, EN) == NOBODY_TEXTS["en"]
    assert texts(nobody, ZH) == NOBODY_TEXTS["zh"]
    # data the engagement does not have raises no flag
    assert red_flags(None, None, TODAY) == ()
    assert red_flags(None, no_opportunities(), TODAY) == (Note.of("rf_no_opportunity"),)


def test_no_red_flags_when_covered_and_the_main_opportunity_has_no_red_step() -> None:
    contacts = contacts_frame(
        [
            ("张总", "decision_maker", 2, 8, "2026-10-01"),
            ("李工", "technical", 2, 5, "2026-10-01"),
            ("赵姐", "user", 3, 3, "2026-10-01"),
            ("周姐", "coach", 5, 2, "2026-10-01"),
            ("吴工", "user", -3, 6, "2026-10-01"),  # against us, but of influence 6 < 7
        ]
    )
    screened = screen_opportunities(opportunities_frame([("大单", 900, 3, 3, 3, 3)]))
    assert red_flags(contacts, screened, TODAY) == ()


def test_everyone_against_us_who_weighs_is_named_however_friendly_the_others() -> None:
    # The friendly decision maker (+4) used to hide the hostile one: each person is judged.
    contacts = contacts_frame(
        [
            ("张总", "decision_maker", 4, 9, "2026-10-01"),
            ("钱总", "decision_maker", -2, 3, "2026-10-01"),  # a decision maker: any influence
            ("李工", "technical", 5, 6, "2026-10-01"),
            ("孙工", "technical", -1, 7, "2026-10-01"),  # influence 7: high enough
            ("赵姐", "user", -4, 6, "2026-10-01"),  # influence 6: not flagged
            ("周姐", "coach", 3, 8, "2026-10-01"),
        ]
    )
    screened = screen_opportunities(opportunities_frame([("大单", 900, 4, 4, 4, 4)]))
    flags = red_flags(contacts, screened, TODAY)
    assert flags == (
        Note.of("rf_hostile", name="钱总", role="decision_maker", attitude=-2.0, influence=3.0),
        Note.of("rf_hostile", name="孙工", role="technical", attitude=-1.0, influence=7.0),
    )
    assert texts(flags, ZH) == [
        "钱总（决策者，影响力 3）态度消极（−2）",
        "孙工（技术把关者，影响力 7）态度消极（−1）",
    ]
    assert texts(flags, EN) == [
        "钱总 (decision maker, influence 3) is against us (−2)",
        "孙工 (technical gatekeeper, influence 7) is against us (−1)",
    ]


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
        # the next stage's needs (docs/methods.md §5) that an account at zero lacks; 0 is met
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


def test_recommend_as_notes() -> None:
    cover, screened, gap = actions_inputs()
    assert recommend(cover, screened, gap, 1_500_000.0) == (
        Note.of("a_visit", role="technical", names=["李工", "王工"]),
        Note.of("a_identify", role="user"),
        Note.of("a_is_opportunity", opportunity="平台"),
        Note.of("a_competition", opportunity="平台"),
        Note.of("a_can_win", opportunity="平台"),
        Note.of("a_visits_per_month", value=4.0),
        Note.of("a_help_per_month", value=3.0),
        Note.of("a_info_shared", value=4.0),
        Note.of("a_thought_of_first", value=1.0),
        Note.of("a_holiday_contact", value=1.0),
        Note.of("a_whitespace", value=1_500_000.0),
    )


def test_recommend_zh() -> None:
    cover, screened, gap = actions_inputs()
    assert texts(recommend(cover, screened, gap, 1_500_000.0), ZH) == [
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
    assert texts(recommend(cover, screened, gap, 1_500_000.0), EN) == [
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
        "pursue the account's whitespace (CNY 1.5 m)",
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
    actions = recommend(cover, screened, {}, whitespace)
    assert actions == (Note.of("a_worth_winning", opportunity="平台"),)
    assert texts(actions, ZH) == ["复核“平台”的利润与战略价值，决定投入"]
    assert texts(actions, EN) == [
        "re-check the margin and strategic value of “平台” before investing more"
    ]
    assert recommend(cover, no_opportunities(), {}, whitespace) == ()


# --- the plans of an engagement -----------------------------------------------------------------

C1_ACTIONS = (
    Note.of("a_visit", role="user", names=["赵姐"]),
    Note.of("a_identify", role="coach"),
    Note.of("a_competition", opportunity="ERP 升级"),
    Note.of("a_visits_per_month", value=3.0),
    Note.of("a_help_per_month", value=2.0),
    Note.of("a_info_shared", value=3.0),
)


def test_plan_account_end_to_end(make_engagement) -> None:
    folder = write_engagement(make_engagement)
    run = run_engagement(load_engagement(folder))
    assert [a.key for a in run.analyses] == ["customer_segmentation", "account_plans"]
    inputs = run.inputs["account_plans"]
    assert inputs.warnings == ()
    assert inputs.today == TODAY
    assert inputs.known == ("C1", "C2", "C3", "C4")
    assert inputs.names == {"C1": "甲公司", "C2": "乙公司", "C3": "丙公司", "C4": "丁公司"}
    plans = run.results["account_plans"]
    # the key accounts C1, C2, C3; every account with plan data (C1, C2) is one of them
    assert list(plans.ids) == ["C1", "C2", "C3"]
    assert plans.key_accounts == ("C1", "C2", "C3") and plans.with_data == ("C1", "C2")
    c1, c2, c3 = (plan_of(plans, c) for c in ("C1", "C2", "C3"))
    assert c1 is plans.plans["C1"]

    assert (c1.go, c1.flags, c1.stage) == (True, FLAGS["C1"], 3)
    assert (c2.go, c2.flags, c2.stage) == (False, FLAGS["C2"], 5)
    # C3 has no row in any plan file: no plan data yet, not a no-go with five red flags
    assert (c3.go, c3.flags, c3.stage, c3.status) == (None, (), None, "no_data")
    assert c1.status == c2.status == "planned"
    for plan in (c1, c2, c3):
        for language, words in WORDS.items():
            assert texts(plan.flags, words) == FLAG_TEXTS[plan.customer_id][language]

    entry = results(plans, ZH)
    assert entry == {
        "account_plans": [
            {
                "customer_id": "C1",
                "status": "planned",
                "go": True,
                "red_flags": flag_json("C1", "zh"),
                "relationship_stage": 3,
            },
            {
                "customer_id": "C2",
                "status": "planned",
                "go": False,
                "red_flags": flag_json("C2", "zh"),
                "relationship_stage": 5,
            },
            {
                "customer_id": "C3",
                "status": "no_data",
                "go": None,
                "red_flags": [],
                "relationship_stage": None,
            },
        ]
    }
    assert entry["account_plans"][0]["red_flags"][0] == {
        "code": "rf_not_visited",
        "text": "使用者超过 90 天未接触",
        "role": "user",
        "days": 90,
    }
    assert '"go": null, "red_flags": []' in json.dumps(entry)  # what results.json stores
    # 3 plans, C1's main opportunity is a go, C1 and C2 have red flags; C3 of the 3 key accounts
    # has no plan data, and so no owners
    assert findings(plans, ZH) == [
        "共生成 3 份大客户计划：1 个客户的主要机会建议推进，2 个客户存在销售雷区。",
        "3 个大客户中有 1 个尚无计划数据（没有联系人、销售机会或关系记录），暂不作结论。",
        "1 个客户尚未指定开发或维护负责人。",
    ]
    assert findings(plans, EN) == [
        "3 account plans: the main opportunity is a go at 1 account, and 2 accounts have red "
        "flags.",
        "1 of 3 key accounts has no plan data yet (no contact, opportunity or relationship "
        "row): no verdict for it yet.",
        "1 account has no owner for development or maintenance yet.",
    ]
    # the two planned accounts have both owners: only then is it said
    assert findings(subset(plans, ["C1", "C2"]), EN)[1:] == [
        "Each account has an owner for development and one for maintenance."
    ]
    assert page_title(plans, "C1", ZH) == "大客户计划：甲公司"
    assert page_title(plans, "C1", EN) == "Account plan: 甲公司"

    # C1 at stage 3 (中期) needs stage 4's 3 visits, 2 helps, information 3/5 (has 2, 1, 2; 是).
    assert c1.gap == {"visits_per_month": 3, "help_per_month": 2, "info_shared": 3}
    assert c1.actions == C1_ACTIONS
    assert texts(c1.actions, ZH) == [
        "本月内拜访使用者（赵姐）",
        "通过教练或现有联系人识别并约见教练（内线）",
        "摸清“ERP 升级”的竞争对手及其关系",
        "把拜访提高到每月 3 次",
        "每月至少帮助客户解决 2 个问题",
        "争取客户分享更多经营信息（目标 3/5）",
    ]
    assert texts(c1.actions, EN) == [
        "meet the user (赵姐) this month",
        "identify and meet the coach, through the coach or current contacts",
        "map the rivals on “ERP 升级” and their relationships",
        "raise visits to 3 a month",
        "help the customer with at least 2 issues a month",
        "win more of the customer's business information (aim 3/5)",
    ]
    assert c2.gap == {}
    assert c2.actions == (
        Note.of("a_identify", role="user"),
        Note.of("a_competition", opportunity="数据中台"),
    )
    assert texts(c2.actions, ZH) == [
        "通过教练或现有联系人识别并约见使用者",
        "摸清“数据中台”的竞争对手及其关系",
    ]
    assert texts(c2.actions, EN) == [
        "identify and meet the user, through the coach or current contacts",
        "map the rivals on “数据中台” and their relationships",
    ]
    assert c1.notes == () and c2.notes == ()
    assert c3.notes == NO_PLAN and c3.actions == (START,)
    assert plan_notes(c3, ZH) == NO_PLAN_TEXTS["zh"] and plan_notes(c3, EN) == NO_PLAN_TEXTS["en"]
    assert texts(c3.actions, ZH) == [START_TEXTS["zh"]]
    assert texts(c3.actions, EN) == [START_TEXTS["en"]]
    assert c1.name == "甲公司" and c1.stage == 3 and c3.stage is None
    assert c1.has_contacts and not c3.has_contacts

    assert c1.target_row() == {
        "customer_id": "C1",
        "name": "甲公司",
        "status": "planned",
        "go": True,
        "red_flags": 2,
        "revenue": 6_000_000.0,
        "revenue_target": None,
        "tier": "A",
        "stage": 3,
        "owner_development": "王晓峰",
        "owner_maintenance": "赵志强",
    }
    assert c2.target_row() == {
        "customer_id": "C2",
        "name": "乙公司",
        "status": "planned",
        "go": False,
        "red_flags": 3,
        "revenue": 3_500_000.0,
        "revenue_target": None,
        "tier": "B",
        "stage": 5,
        "owner_development": "陈思远",
        "owner_maintenance": "孙丽娜",
    }
    assert c3.target_row() == {
        "customer_id": "C3",
        "name": "丙公司",
        "status": "no_data",
        "go": None,
        "red_flags": None,
        "revenue": 1_500_000.0,
        "revenue_target": None,
        "tier": "C",
        "stage": None,
        "owner_development": "",
        "owner_maintenance": "",
    }


def test_results_agree_in_both_languages_but_for_text(make_engagement) -> None:
    plans = plans_of(write_engagement(make_engagement))
    zh, en = results(plans, ZH), results(plans, EN)
    assert [f["text"] for f in zh["account_plans"][1]["red_flags"]] == FLAG_TEXTS["C2"]["zh"]
    assert [f["text"] for f in en["account_plans"][1]["red_flags"]] == FLAG_TEXTS["C2"]["en"]
    for entry in (zh, en):
        for plan in entry["account_plans"]:
            for flag in plan["red_flags"]:
                del flag["text"]
    assert zh == en
    assert zh["account_plans"][1]["red_flags"] == [n.to_json() for n in FLAGS["C2"]]


def test_plan_account_does_not_mutate_its_inputs(make_engagement) -> None:
    run = run_engagement(load_engagement(write_engagement(make_engagement)))
    inputs = run.inputs["account_plans"]
    plans = run.results["account_plans"]
    frames = {
        "contacts": inputs.contacts.copy(),
        "opportunities": inputs.opportunities.copy(),
        "relationships": inputs.relationships.copy(),
    }
    facts = facts_of(plans, "C1")
    facts_before = copy.deepcopy(facts)
    known, names = inputs.known, dict(inputs.names)
    plan = plan_account("C1", inputs, facts, 1_000_000.0)
    plan_account("C3", inputs, facts, None)  # no rows of its own
    plan_account("C1", AccountInputs(None, None, None, TODAY), facts)

    for name, before in frames.items():
        pd.testing.assert_frame_equal(getattr(inputs, name), before)
    assert facts == facts_before
    assert (inputs.known, inputs.names) == (known, names)
    assert plan.facts == facts and plan.facts is not facts
    assert plan.actions[-1] == Note.of("a_whitespace", value=1_000_000.0)

    # nor does AccountPlans.plan, for an account it plans on demand
    before = plans.facts.copy()
    plan_of(plans, "C4")
    pd.testing.assert_frame_equal(plans.facts, before)
    assert list(plans.ids) == ["C1", "C2", "C3"]


def plans_alike(one: AccountPlan, other: AccountPlan) -> None:
    for field in dataclasses.fields(AccountPlan):
        a, b = getattr(one, field.name), getattr(other, field.name)
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b)
        elif isinstance(a, pd.Series):
            pd.testing.assert_series_equal(a, b)
        else:
            assert a == b, field.name


def test_plan_of_an_account_outside_the_plans(make_engagement) -> None:
    run = run_engagement(load_engagement(write_engagement(make_engagement)))
    plans = run.results["account_plans"]
    # C4 is known (ledger and customer master) but neither a key account nor one with plan data
    assert "C4" not in plans.ids and "C4" in plans.inputs.known
    facts = facts_of(plans, "C4")
    assert (facts["name"], facts["tier"], facts["revenue"], facts["key_account"]) == (
        "丁公司",
        "D",
        50_000.0,
        False,
    )
    planned = plan_of(plans, "C4")
    plans_alike(planned, plan_account("C4", plans.inputs, facts))
    # no contact, opportunity or relationship row: no plan data yet, no verdict, no red flag
    assert (planned.status, planned.go, planned.flags) == ("no_data", None, ())
    assert planned.actions == (START,) and planned.notes == NO_PLAN
    assert planned.target_row()["red_flags"] is None and planned.target_row()["tier"] == "D"
    chosen = subset(plans, ["C4", "C1"])
    assert list(chosen.ids) == ["C4", "C1"]
    plans_alike(chosen.plans["C4"], planned)
    assert chosen.plans["C1"] is plans.plans["C1"]
    assert sorted(chosen.facts.index) == ["C1", "C4"]

    # the whitespace of the competitor analysis becomes the whitespace argument: C4 spends
    # 1,000,000 in all, 50,000 with us, so 950,000 is left (95.0 万元) and the share is 5%
    wallet = pd.DataFrame(
        {"share": [0.05], "total_spend": [1_000_000.0], "whitespace": [950_000.0]},
        index=pd.Index(["C4"], name="customer_id"),
    )
    facts_frame = account_facts(
        run.results["customer_segmentation"], SimpleNamespace(wallet=wallet)
    )
    with_wallet = dataclasses.replace(plans, facts=facts_frame)
    facts = facts_of(with_wallet, "C4")
    assert facts["whitespace"] == 950_000.0 and facts["share_of_wallet"] == 0.05
    planned = plan_of(with_wallet, "C4")
    del facts["whitespace"]
    plans_alike(planned, plan_account("C4", plans.inputs, facts, 950_000.0))
    assert planned.actions == (START, Note.of("a_whitespace", value=950_000.0))
    assert planned.actions[-1].text(ZH) == "开发该客户的空白市场（95.0 万元）"
    assert planned.actions[-1].text(EN) == "pursue the account's whitespace (CNY 950.0 k)"
    shown = dict(rows_of(facts_table(planned, ZH).formatted().iloc[:, 2:]))
    assert shown["钱包份额"] == "5.0%" and shown["空白市场"] == "95.0 万元"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_plan_file_at_all_means_no_plan_data(make_engagement, language: str) -> None:
    folder = write_engagement(
        make_engagement, contacts=None, opportunities=None, relationships=None, language=language
    )
    run = run_engagement(load_engagement(folder))
    w = run.words
    inputs = run.inputs["account_plans"]
    assert (inputs.contacts, inputs.opportunities, inputs.relationships) == (None, None, None)
    assert inputs.warnings == ()

    plans = run.results["account_plans"]
    plan = plan_of(plans, "C1")
    assert plan.notes == NO_PLAN and plan.status == "no_data"
    assert plan_notes(plan, w) == NO_PLAN_TEXTS[language]
    assert results(subset(plans, ["C1"]), w) == {
        "account_plans": [
            {
                "customer_id": "C1",
                "status": "no_data",
                "go": None,
                "red_flags": [],
                "relationship_stage": None,
            }
        ]
    }
    assert plan.flags == () and plan.actions == (START,) and not plan.has_contacts
    assert texts(plan.actions, w) == [START_TEXTS[language]]
    not_judged = {
        "zh": "没有联系人和销售机会数据，无法判断销售雷区。",
        "en": "No contact or opportunity data: red flags cannot be judged.",
    }
    assert len(flags_table(plan, w)) == 0 and flags_table(plan, w).empty == not_judged[language]
    assert plan.target_row() == {
        "customer_id": "C1",
        "name": "甲公司",
        "status": "no_data",
        "go": None,
        "red_flags": None,
        "revenue": 6_000_000.0,
        "revenue_target": None,
        "tier": "A",
        "stage": None,
        "owner_development": "",
        "owner_maintenance": "",
    }
    for tab in (screen_table, coverage_table, relationship_table, objections_table):
        assert len(tab(plan, w)) == 0, tab.__name__
    empty = {"zh": "未记录销售机会。", "en": "No opportunity recorded."}
    assert screen_table(plan, w).empty == empty[language]
    assert stage_text(plan, w) == NOTES[language][2]


def test_plan_without_any_data_or_facts() -> None:
    plan = plan_account("C9", AccountInputs(None, None, None, TODAY))
    assert plan.name == "C9" and plan.notes == NO_PLAN
    assert texts(plan.notes, ZH) == NO_PLAN_TEXTS["zh"]
    assert texts(plan.notes, EN) == NO_PLAN_TEXTS["en"]
    assert plan.flags == () and plan.actions == (START,) and plan.go is None
    assert plan.target_row() == {
        "customer_id": "C9",
        "name": "C9",
        "status": "no_data",
        "go": None,
        "red_flags": None,
        "revenue": 0.0,
        "revenue_target": None,
        "tier": "",
        "stage": None,
        "owner_development": "",
        "owner_maintenance": "",
    }


def test_an_account_with_some_plan_data_is_judged_on_it() -> None:
    # C1 has one contact; opportunities and relationships exist but hold rows for C2 only. C1 is
    # planned: its missing roles and its lack of opportunity are red flags, and a no-go.
    contacts = contacts_frame([("张总", "decision_maker", 2, 8, "2026-11-01")])
    others = opportunities_frame([("大单", 900, 4, 4, 4, 4)]).assign(customer_id="C2")
    relationships = pd.DataFrame([relationship(2)]).assign(customer_id="C2")
    plan = plan_account("C1", AccountInputs(contacts, others, relationships, TODAY))
    assert (plan.status, plan.go) == ("planned", False)
    assert plan.notes == (Note.of("n_no_relationship"),)
    assert plan.flags == NOBODY[1:]  # the decision maker is known and met
    assert plan.target_row()["red_flags"] == 4
    assert START not in plan.actions


def test_missing_contacts_keeps_the_screen_red_flag(make_engagement) -> None:
    plan = plan_of(plans_of(write_engagement(make_engagement, contacts=None)), "C2")
    assert plan.notes == (Note.of("n_no_contacts"),)
    assert texts(plan.notes, ZH) == [NOTES["zh"][0]] and texts(plan.notes, EN) == [NOTES["en"][0]]
    assert plan.actions == (Note.of("a_competition", opportunity="数据中台"),)
    assert texts(plan.actions, ZH) == ["摸清“数据中台”的竞争对手及其关系"]
    assert texts(plan.actions, EN) == ["map the rivals on “数据中台” and their relationships"]
    assert plan.flags == (Note.of("rf_screen", opportunity="数据中台", step="competition"),)
    assert texts(plan.flags, ZH) == ["“数据中台”在“竞争态势”一步为红色"]
    assert texts(plan.flags, EN) == ["“数据中台” is red on “Competition”"]


def test_missing_opportunities_file_is_not_a_red_flag(make_engagement) -> None:
    plan = plan_of(plans_of(write_engagement(make_engagement, opportunities=None)), "C1")
    assert plan.notes == (Note.of("n_no_opportunities"),)
    assert texts(plan.notes, ZH) == [NOTES["zh"][1]] and texts(plan.notes, EN) == [NOTES["en"][1]]
    assert plan.go is None  # no opportunity data: no verdict, not a no-go
    assert plan.flags == FLAGS["C1"]
    assert texts(plan.flags, ZH) == FLAG_TEXTS["C1"]["zh"]
    assert texts(plan.flags, EN) == FLAG_TEXTS["C1"]["en"]


# --- the annual target list ---------------------------------------------------------------------


def target(customer_id: str, go: bool | None, flags: int | None, revenue: float) -> dict:
    """A target-list row; no red-flag count means no plan data."""
    return {
        "customer_id": customer_id,
        "name": f"客户{customer_id}",
        "status": "planned" if flags is not None else "no_data",
        "go": go,
        "red_flags": flags,
        "revenue": revenue,
        "revenue_target": None,
        "tier": "A",
        "stage": None,
        "owner_development": "甲",
        "owner_maintenance": "乙",
    }


def test_target_list_order_and_priority() -> None:
    rows = [
        target("X8", None, None, 9e7),
        target("X1", False, 1, 9e6),
        target("X2", True, 4, 1e6),
        target("X7", None, 3, 1e5),
        target("X3", False, 1, 2e6),
        target("X9", None, None, 1e8),
        target("X4", False, 0, 1e5),
        target("X6", False, 1, 2e6),
        target("X5", True, 4, 3e6),
    ]
    targets = target_list(rows)
    # go first (X5, X2: same flags, more revenue first); then no-go: 0 flags (X4) before 1 flag,
    # by revenue (X1 9 M, then X3 and X6 tied at 2 M, by ID); then no verdict (X7, no
    # opportunity data); last the accounts without plan data (X9, X8), whatever their revenue
    assert targets["customer_id"].tolist() == [
        "X5",
        "X2",
        "X4",
        "X1",
        "X3",
        "X6",
        "X7",
        "X9",
        "X8",
    ]
    assert targets["priority"].tolist() == list(range(1, 10))
    assert list(targets.columns)[:2] == ["priority", "customer_id"]
    assert target_list([]).empty


def test_account_plans_are_plain_data_that_read_back_the_same(make_engagement, tmp_path) -> None:
    """The result is dataclass fields only (what the renderer and the notebook need is in
    functions: plan_of, select, subset); saved and read back as a render's notebook reads it,
    it gives the same plans, target list, tables and results."""
    from kamlib.core import store

    plans = plans_of(write_engagement(make_engagement))
    assert not [
        name
        for name, value in vars(AccountPlans).items()
        if callable(value) or isinstance(value, property)
        if not name.startswith("__")
    ]
    chosen = subset(plans, select(plans, "C3, C1"))
    assert chosen.ids == ("C3", "C1") and list(chosen.plans) == ["C3", "C1"]
    assert chosen.target_list["customer_id"].tolist() == ["C1", "C3"]
    back = store.load(store.save(chosen, tmp_path / "saved"))
    assert back.ids == chosen.ids and back.warnings == chosen.warnings
    assert back.key_accounts == chosen.key_accounts and back.complete is False
    for words in (ZH, EN):
        assert results(back, words) == results(chosen, words)
        assert findings(back, words) == findings(chosen, words)
        pd.testing.assert_frame_equal(
            targets_table(back, words).formatted(), targets_table(chosen, words).formatted()
        )
        for customer in chosen.ids:
            pd.testing.assert_frame_equal(
                facts_table(plan_of(back, customer), words).formatted(),
                facts_table(plan_of(chosen, customer), words).formatted(),
            )
    with pytest.raises(ValueError, match="C2 is not among the accounts"):
        plan_of(back, "C2")


def test_target_list_of_the_engagement(make_engagement) -> None:
    plans = subset(plans_of(write_engagement(make_engagement)), ["C3", "C2", "C1"])
    assert list(plans.ids) == ["C3", "C2", "C1"]
    targets = plans.target_list
    # C1 go; C2 no-go; C3 has no plan data: last
    assert targets["customer_id"].tolist() == ["C1", "C2", "C3"]
    assert targets["priority"].tolist() == [1, 2, 3]

    tab = targets_table(plans, ZH)
    assert tab.labels == [
        "优先级",
        "客户",
        "等级",
        "本期收入",
        "收入目标",
        "结论",
        "雷区数",
        "关系阶段",
        "开发负责人",
        "维护负责人",
    ]
    raw = tab.frame
    assert raw["priority"].tolist() == [1, 2, 3]
    assert raw["customer_id"].tolist() == ["C1", "C2", "C3"]
    assert raw["go"].tolist() == [True, False, None]
    assert raw["verdict"].tolist() == [True, False, "no_data"]
    assert raw["red_flags"].tolist()[:2] == [2, 3] and pd.isna(raw["red_flags"].iloc[2])
    assert raw["revenue"].tolist() == [6_000_000.0, 3_500_000.0, 1_500_000.0]
    assert raw["tier"].tolist() == ["A", "B", "C"]
    assert raw["stage"].tolist()[:2] == [3, 5] and pd.isna(raw["stage"].iloc[2])
    assert raw["owner_development"].tolist() == ["王晓峰", "陈思远", ""]
    assert raw["owner_maintenance"].tolist() == ["赵志强", "孙丽娜", ""]
    assert rows_of(tab.formatted()) == [
        ["1", "甲公司（C1）", "A", "600.0 万元", "—", "推进", "2", "中期", "王晓峰", "赵志强"],
        ["2", "乙公司（C2）", "B", "350.0 万元", "—", "暂缓", "3", "战略联盟", "陈思远", "孙丽娜"],
        ["3", "丙公司（C3）", "C", "150.0 万元", "—", "尚无计划数据", "—", "—", "", ""],
    ]
    # the order's rule above the table; the verdict coloured only where there is one
    assert tab.caption.startswith("按优先级排列的年度目标客户：推进（go）在前，其次暂缓")
    markup = to_html(tab)
    assert '<td class="rag-red">暂缓</td>' in markup and "<td>尚无计划数据</td>" in markup
    english = targets_table(plans, EN)
    assert english.labels[:8] == [
        "Priority",
        "Customer",
        "Tier",
        "Revenue this period",
        "Revenue target",
        "Verdict",
        "Red flags",
        "Relationship stage",
    ]
    shown = english.formatted()
    assert shown["Customer"].tolist() == ["甲公司 (C1)", "乙公司 (C2)", "丙公司 (C3)"]
    assert shown["Verdict"].tolist() == ["go", "no-go", "no plan data yet"]
    assert shown["Red flags"].tolist() == ["2", "3", "—"]
    assert english.caption == (
        "This year's target accounts by priority: go, then no-go, then no verdict yet; within "
        "each, fewer red flags and higher revenue first; accounts without plan data come last."
    )
    assert shown["Relationship stage"].tolist() == ["mid", "strategic alliance", "—"]
    assert english.frame["go"].tolist() == raw["go"].tolist()  # the values know no language


# --- which accounts get a plan ------------------------------------------------------------------


def selection_inputs(known: tuple[str, ...] | None) -> AccountInputs:
    """Contacts of C2, C5, C5; opportunities of C6, C1; relationships of C5, C7."""
    contacts = contacts_frame([("甲", "user", 1, 1, "2026-11-01")] * 3)
    opportunities = opportunities_frame([("甲", 100, 4, 4, 4, 4), ("乙", 100, 4, 4, 4, 4)])
    relationships = pd.DataFrame([relationship(2), relationship(3)])
    return AccountInputs(
        contacts.assign(customer_id=["C2", "C5", "C5"]),
        opportunities.assign(customer_id=["C6", "C1"]),
        relationships.assign(customer_id=["C5", "C7"]),
        TODAY,
        known,
    )


def segmentation(keys: list[str], others: list[str]) -> SimpleNamespace:
    """What compute takes from the segmentation: the indicators and the key accounts."""
    ids = pd.Index([*keys, *others], name="customer_id")
    return SimpleNamespace(
        indicators=pd.DataFrame({"name": [f"客户{c}" for c in ids]}, index=ids),
        key_accounts=pd.DataFrame(index=pd.Index(keys, name="customer_id")),
        targets=None,
    )


def test_select_accounts() -> None:
    inputs = selection_inputs(("C1", "C2", "C3", "C5", "C6", "C7"))
    plans = compute(inputs, {"customer_segmentation": segmentation(["C1", "C2"], ["C3"])})
    # accounts with data in the order contacts, opportunities, relationships
    assert plans.with_data == ("C2", "C5", "C6", "C1", "C7")
    # key accounts, then the other accounts with data
    assert list(plans.ids) == ["C1", "C2", "C5", "C6", "C7"]
    assert select(plans, "key") == ["C1", "C2"]
    assert select(plans, "all") == ["C1", "C2", "C5", "C6", "C7"]
    assert select(plans, "C3, C1") == ["C3", "C1"]
    assert select(plans, "C1,C2") == ["C1", "C2"]
    assert plan_of(plans, "C1").name == "客户C1" and plan_of(plans, "C3").name == "客户C3"


def test_select_accounts_unknown_id() -> None:
    plans = compute(
        selection_inputs(("C1", "C2")), {"customer_segmentation": segmentation(["C1", "C2"], [])}
    )
    with pytest.raises(KamError) as err:
        select(plans, "C1,C9")
    assert str(err.value) == (
        '--accounts: expected key, all or IDs of the engagement\'s accounts, found "C9"'
    )
    # without a ledger or customer master, the accounts with data are the known ones
    bare = compute(selection_inputs(None), {})
    assert list(bare.ids) == ["C2", "C5", "C6", "C1", "C7"]
    assert select(bare, "C7,C5") == ["C7", "C5"]
    assert select(bare, "key") == []
    with pytest.raises(KamError, match='found "C3"$'):
        select(bare, "C3")


def test_select_key_accounts_of_the_engagement(make_engagement) -> None:
    plans = plans_of(write_engagement(make_engagement))
    assert select(plans, "key") == ["C1", "C2", "C3"]
    assert select(plans, "all") == ["C1", "C2", "C3"]
    assert select(plans, "C4") == ["C4"]  # known from the ledger and the customer master
    with pytest.raises(KamError, match='found "C9"$'):
        select(plans, "C1,C9")


def test_known_accounts_are_the_ledgers_and_the_customer_masters(make_engagement) -> None:
    # C4 is in the ledger only: its contact is accepted and its plan is named by its ID
    folder = write_engagement(
        make_engagement,
        contacts=CONTACTS + "C4,吴总,总经理,决策者,1,5,2026-11-01\n",
        customers=CUSTOMERS.replace("C4,丁公司\n", ""),
    )
    run = run_engagement(load_engagement(folder))
    inputs = run.inputs["account_plans"]
    assert inputs.known == ("C1", "C2", "C3", "C4")
    assert inputs.names == {"C1": "甲公司", "C2": "乙公司", "C3": "丙公司"}
    plans = run.results["account_plans"]
    assert list(plans.ids) == ["C1", "C2", "C3", "C4"]
    assert plan_of(plans, "C4").name == "C4"
    # C9 is in neither: the contacts' ninth spreadsheet row (header, 7 rows, then C9)
    (folder / "contacts.csv").write_text(
        CONTACTS + "C9,吴总,总经理,决策者,1,5,2026-11-01\n", encoding="utf-8"
    )
    with pytest.raises(KamError) as err:
        run_engagement(load_engagement(folder))
    assert str(err.value) == (
        "eng/contacts.csv, row 9, column customer_id: expected an account of the engagement's "
        'ledger or customers, found "C9"'
    )


# --- bad input ----------------------------------------------------------------------------------

# Without a ledger, the customer master says which accounts the engagement knows.
MASTER = "客户编号,客户名称\nC1,甲公司\nC2,乙公司\n"
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
            "" + DATE_FORMS + "",
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
    eng = load_engagement(make_engagement(files={file: text, "customers.csv": MASTER}))
    with pytest.raises(KamError) as err:
        read_inputs(eng)
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


def test_the_customer_master_alone_gives_the_known_accounts(make_engagement) -> None:
    text = CONTACTS_HEAD + "C2,张总,决策者,3,9,2026-11-01\n"
    eng = load_engagement(make_engagement(files={"contacts.csv": text, "customers.csv": MASTER}))
    inputs = read_inputs(eng)
    assert inputs.known == ("C1", "C2")
    assert inputs.names == {"C1": "甲公司", "C2": "乙公司"}
    plans = result(eng, "account_plans")
    assert list(plans.ids) == ["C2"] and plan_of(plans, "C2").name == "乙公司"
    assert plan_of(plans, "C1").name == "甲公司"  # known, without plan data


def test_contact_on_the_report_date_and_unknown_accounts_without_known(make_engagement) -> None:
    text = CONTACTS_HEAD + "C9,张总,决策者,3,9,2026-11-20\n"
    eng = load_engagement(make_engagement(files={"contacts.csv": text}))
    inputs = read_inputs(eng)  # no known accounts: nothing to check against
    assert inputs.known is None and inputs.names is None
    assert inputs.contacts["customer_id"].tolist() == ["C9"]
    assert inputs.contacts["role"].tolist() == ["decision_maker"]
    assert inputs.contacts["last_contact"].tolist() == [pd.Timestamp("2026-11-20")]


# --- what the plan page shows -------------------------------------------------------------------


def test_screen_table(make_engagement) -> None:
    plan = plan_of(plans_of(write_engagement(make_engagement)), "C1")
    tab = screen_table(plan, ZH)
    assert tab.labels == [
        "机会",
        "金额",
        "是不是机会",
        "竞争态势",
        "能不能赢",
        "值不值得赢",
        "结论",
    ]
    raw = tab.frame
    assert raw["opportunity"].tolist() == ["ERP 升级", "运维外包"]
    assert raw["value"].tolist() == [2_000_000.0, 500_000.0]
    # ERP 升级 4 3 4 5; 运维外包 2 4 4 4
    assert raw["is_opportunity"].tolist() == [("green", 4.0), ("red", 2.0)]
    assert raw["competition"].tolist() == [("amber", 3.0), ("green", 4.0)]
    assert raw["can_win"].tolist() == [("green", 4.0), ("green", 4.0)]
    assert raw["worth_winning"].tolist() == [("green", 5.0), ("green", 4.0)]
    assert raw["go"].tolist() == [True, False]
    # 2,000,000 = 200.0 万元; 500,000 = 50.0 万元
    assert rows_of(tab.formatted()) == [
        ["ERP 升级", "200.0 万元", "绿 4", "黄 3", "绿 4", "绿 5", "推进"],
        ["运维外包", "50.0 万元", "红 2", "绿 4", "绿 4", "绿 4", "暂缓"],
    ]
    markup = to_html(tab)
    assert '<td class="rag-amber">黄 3</td>' in markup
    assert '<td class="rag-red">暂缓</td>' in markup
    assert rows_of(screen_table(plan, EN).formatted())[0] == [
        "ERP 升级",
        "CNY 2,000,000",
        "green 4",
        "amber 3",
        "green 4",
        "green 5",
        "go",
    ]


def test_coverage_table(make_engagement) -> None:
    plans = plans_of(write_engagement(make_engagement))
    tab = coverage_table(plan_of(plans, "C1"), ZH)
    assert tab.labels == ["角色", "人员", "态度（−5~+5）", "影响力", "90 天内拜访"]
    raw = tab.frame
    assert raw["people"].tolist() == [["张总"], ["李工", "王工"], ["赵姐"], None]
    # technical: max(−2, 1), max(6, 4); 李工 90 days, 赵姐 91 days; nobody is a coach
    assert raw["attitude"].tolist()[:3] == [3.0, 1.0, 4.0] and pd.isna(raw["attitude"].iloc[3])
    assert raw["influence"].tolist()[:3] == [9.0, 6.0, 5.0] and pd.isna(raw["influence"].iloc[3])
    assert raw["visited"].tolist() == ["green", "green", "red", "red"]
    assert rows_of(tab.formatted()) == [
        ["决策者", "张总", "+3", "9", "绿"],
        ["技术把关者", "李工和王工", "+1", "6", "绿"],
        ["使用者", "赵姐", "+4", "5", "红"],
        ["教练（内线）", "—", "—", "—", "红"],
    ]
    c2 = coverage_table(plan_of(plans, "C2"), ZH)
    assert c2.frame["attitude"].tolist()[0] == -3.0
    # a negative attitude is shown with the true minus sign (U+2212)
    assert rows_of(c2.formatted()) == [
        ["决策者", "钱总", "\u22123", "10", "绿"],
        ["技术把关者", "孙工", "+2", "7", "绿"],
        ["使用者", "—", "—", "—", "红"],
        ["教练（内线）", "周姐", "+5", "3", "绿"],
    ]
    assert rows_of(coverage_table(plan_of(plans, "C1"), EN).formatted())[1] == [
        "technical gatekeeper",
        "李工 and 王工",
        "+1",
        "6",
        "green",
    ]


def test_relationship_table_and_stage_text(make_engagement) -> None:
    plans = plans_of(write_engagement(make_engagement))
    c1, c2, c3 = (plan_of(plans, c) for c in ("C1", "C2", "C3"))
    tab = relationship_table(c1, ZH)
    assert tab.labels == ["指标", "现状", "下一阶段要求", "差距"]
    # C1 at 中期 (3): 伙伴期 (4) needs 3 visits, 2 helps, 3/5 information and being thought of
    # first; holiday contact is not needed until stage 5
    assert tab.frame["now"].tolist() == ["2", "1", "2", "是", "否"]
    assert tab.frame["needs"].tolist()[:4] == ["3", "2", "3", "是"]
    assert pd.isna(tab.frame["needs"].iloc[4])
    assert tab.frame["gap"].tolist() == ["red", "red", "red", "green", "green"]
    assert rows_of(tab.formatted()) == [
        ["每月拜访次数", "2", "3", "红"],
        ["每月帮助客户次数", "1", "2", "红"],
        ["客户分享信息（0–5）", "2", "3", "红"],
        ["客户首先想到我们", "是", "是", "绿"],
        ["节日与生日问候", "否", "—", "绿"],
    ]
    assert stage_text(c1, ZH) == "当前关系阶段：第 3 阶段（中期）。进入“伙伴期”还差 3 项指标。"
    assert stage_text(c1, EN) == (
        "Relationship stage 3 of 5 (mid). Reaching “advanced” needs 3 more indicators."
    )
    c2_tab = relationship_table(c2, ZH)
    assert c2_tab.frame["gap"].tolist() == ["green"] * 5
    assert rows_of(c2_tab.formatted()) == [
        ["每月拜访次数", "4", "—", "绿"],
        ["每月帮助客户次数", "3", "—", "绿"],
        ["客户分享信息（0–5）", "4", "—", "绿"],
        ["客户首先想到我们", "是", "—", "绿"],
        ["节日与生日问候", "是", "—", "绿"],
    ]
    assert stage_text(c2, ZH) == "当前关系阶段：第 5 阶段（战略联盟）。"
    assert stage_text(c2, EN) == "Relationship stage 5 of 5 (strategic alliance)."
    assert len(relationship_table(c3, ZH)) == 0
    assert stage_text(c3, ZH) == NOTES["zh"][2] and stage_text(c3, EN) == NOTES["en"][2]


def test_objections_table(make_engagement) -> None:
    plans = plans_of(write_engagement(make_engagement))
    tab = objections_table(plan_of(plans, "C1"), ZH)
    assert tab.labels == ["机会", "类型", "项目", "应对"]
    expected = [
        ["ERP 升级", "异议", "没有预算", "拆分阶段、调整付款方式，或协助客户申请预算"],
        ["ERP 升级", "购买信号", "同意下一步行动", "趁势推进：确认决策流程与时间表"],
    ]
    assert rows_of(tab.frame) == expected and rows_of(tab.formatted()) == expected
    assert rows_of(objections_table(plan_of(plans, "C1"), EN).formatted()) == [
        [
            "ERP 升级",
            "objection",
            "no budget",
            "phase the project, adapt payment terms, or help the customer build the budget case",
        ],
        [
            "ERP 升级",
            "buying signal",
            "agrees to the next step",
            "move on: confirm the decision process and timetable",
        ],
    ]
    empty = objections_table(plan_of(plans, "C2"), ZH)
    assert len(empty) == 0 and empty.empty == "未记录异议或购买信号。"


def test_flags_and_actions_tables(make_engagement) -> None:
    c1 = plan_of(plans_of(write_engagement(make_engagement)), "C1")
    for language, words in WORDS.items():
        flags = flags_table(c1, words)
        assert flags.frame["note"].tolist() == FLAG_TEXTS["C1"][language]
        assert flags.formatted().iloc[:, 0].tolist() == FLAG_TEXTS["C1"][language]
        actions = actions_table(c1, words)
        assert actions.frame["note"].tolist() == texts(C1_ACTIONS, words)
    assert flags_table(c1, ZH).labels == ["销售雷区"]
    assert flags_table(c1, EN).labels == ["Red flags"]
    assert actions_table(c1, ZH).labels == ["建议行动"]
    assert actions_table(c1, EN).labels == ["Recommended actions"]
    # judged and clean: C1 with every role met and a screen without red
    contacts = contacts_frame([(n, r, 2, 5, "2026-11-01") for n, r in zip("甲乙丙丁", ROLES)])
    clean = plan_account(
        "C1",
        AccountInputs(contacts, opportunities_frame([("大单", 900, 4, 4, 4, 4)]), None, TODAY),
    )
    assert len(flags_table(clean, ZH)) == 0 and flags_table(clean, ZH).empty == "未发现销售雷区。"
    assert flags_table(clean, EN).empty == "No red flags."
    assert len(actions_table(clean, EN)) == 0
    assert actions_table(clean, EN).empty == "Nothing to add for now."


def test_facts_table() -> None:
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
    plan = plan_account("C1", AccountInputs(None, None, None, TODAY), facts)
    tab = facts_table(plan, ZH)
    assert tab.labels == ["项目", "内容", "项目 ", "内容 "]
    # 12 pairs, two a row: the first six on the left, the last six on the right;
    # whitespace 15 M − 6 M = 9 M = 900.0 万元
    expected = [
        ["客户编号", "C1", "金字塔层级", "1"],
        ["客户名称", "甲公司", "策略", "重点保持"],
        ["行业", "制造", "类型", "核心客户（理念契合，战略联盟）"],
        ["区域", "华东", "合作年限", "3.4"],
        ["等级", "A", "钱包份额", "40.0%"],
        ["收入", "600.0 万元", "空白市场", "900.0 万元"],
    ]
    assert rows_of(tab.frame) == expected and rows_of(tab.formatted()) == expected
    # three pairs: the right half is padded
    small = plan_account(
        "C2", AccountInputs(None, None, None, TODAY), {"name": "乙公司", "tier": "B"}
    )
    assert rows_of(facts_table(small, ZH).formatted()) == [
        ["客户编号", "C2", "等级", "B"],
        ["客户名称", "乙公司", "", ""],
    ]


# --- one rendered plan --------------------------------------------------------------------------


def test_render_one_plan(make_engagement, tmp_path: Path) -> None:
    name = "<b>甲&乙</b>"
    folder = write_engagement(make_engagement, customers=CUSTOMERS.replace("甲公司", name))
    expected = {
        "customer_id": "C1",
        "status": "planned",
        "go": True,
        "red_flags": flag_json("C1", "zh"),
        "relationship_stage": 3,
    }
    assert results(subset(plans_of(folder), ["C1"]), ZH) == {"account_plans": [expected]}

    out = tmp_path / "out"
    target, pages = render(folder, out, accounts="C1,C3")
    assert target == out
    assert [p.analysis.key for p in pages] == ["customer_segmentation", "account_plans"]
    assert (out / "accounts" / "C1.html").is_file()
    assert (out / "accounts" / "index.html").is_file()
    results_json = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert list(results_json) == ["customer_segmentation", "account_plans"]
    no_data = {
        "customer_id": "C3",
        "status": "no_data",
        "go": None,
        "red_flags": [],
        "relationship_stage": None,
    }
    assert results_json["account_plans"] == [expected, no_data]

    markup = (out / "accounts" / "C1.html").read_text(encoding="utf-8")
    doc = BeautifulSoup(markup, "html.parser")
    assert doc.find("script") is None
    assert "<b>甲" not in markup and "&lt;b&gt;甲&amp;乙&lt;/b&gt;" in markup
    assert doc.find("h1").get_text() == f"大客户计划：{name}"
    text = doc.get_text(" ")
    for flag in FLAG_TEXTS["C1"]["zh"]:
        assert flag in text

    index = BeautifulSoup(
        (out / "accounts" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert index.find("script") is None
    links = [(a["href"], a.get_text()) for a in index.select("ol.kam-plan-links a")]
    assert links == [("C1.html", f"{name}（C1）"), ("C3.html", "丙公司（C3）")]
    # the target list says which key accounts have no plan data yet, and who lacks an owner
    assert [li.get_text() for li in index.select("ul.kam-findings li")] == [
        "共生成 2 份大客户计划：1 个客户的主要机会建议推进，1 个客户存在销售雷区。",
        "2 个大客户中有 1 个尚无计划数据（没有联系人、销售机会或关系记录），暂不作结论。",
        "1 个客户尚未指定开发或维护负责人。",
    ]
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in index.select("tbody tr")]
    assert [r[5:7] for r in rows] == [["推进", "2"], ["尚无计划数据", "—"]]

    # the plan of an account without plan data: its note and first action, no red flag
    page = BeautifulSoup((out / "accounts" / "C3.html").read_text(encoding="utf-8"), "html.parser")
    text = page.get_text(" ")
    assert NO_PLAN_TEXTS["zh"][0] in text and START_TEXTS["zh"] in text
    assert "没有联系人和销售机会数据，无法判断销售雷区。" in text
    assert "尚未识别决策者" not in text and "没有已识别的销售机会" not in text


def test_plan_file_notes_reach_the_run_and_validate(make_engagement, capsys) -> None:
    # a column no template knows is ignored with a note: the run (and so kam validate) lists it
    contacts = CONTACTS.replace("最近接触\n", "最近接触,备注\n", 1)
    folder = write_engagement(make_engagement, contacts=contacts)
    run = run_engagement(load_engagement(folder))
    expected = Note.of("column_ignored", file="contacts.csv", column="备注")
    assert run.results["account_plans"].warnings == (expected,)
    assert expected in run.notes()
    from kamlib.cli import main

    assert main(["validate", str(folder)]) == 0
    assert "warning: contacts.csv：列“备注”未被使用，已忽略。" in capsys.readouterr().out


def test_opportunities_are_read_once_per_run(make_engagement, monkeypatch) -> None:
    """The segmentation (expected sales) and the account plans (the four-step screen) share
    one reading of opportunities.csv: the plans get every column and its notes."""
    from kamlib.core.config import Engagement

    header, rest = OPPORTUNITIES.split("\n", 1)
    opportunities = header + ",备注\n" + rest.replace("\n", ",x\n")
    folder = write_engagement(make_engagement, opportunities=opportunities)
    reads: list[str] = []
    original = Engagement.read

    def counted(self, name):
        reads.append(name)
        return original(self, name)

    monkeypatch.setattr(Engagement, "read", counted)
    run = run_engagement(load_engagement(folder))
    assert reads.count("opportunities") == 1
    plans = run.results["account_plans"]
    direct = read_inputs(load_engagement(folder))  # the file read by the plans alone
    pd.testing.assert_frame_equal(
        plans.inputs.opportunities.reset_index(drop=True),
        direct.opportunities.reset_index(drop=True),
    )
    expected = Note.of("column_ignored", file="opportunities.csv", column="备注")
    assert plans.warnings == direct.warnings == (expected,)
    assert expected not in run.results["customer_segmentation"].warnings
    assert run.results["customer_segmentation"].indicators["expected_sales"].sum() > 0

"""Tests for kamlib.analyses.competitors (docs/methods.md §4): competitive scores and ranks, gaps to
the best competitor, unique selling points and vulnerabilities, the positioning map's axes, share
of wallet and whitespace; the notes, findings, tables and charts in both languages, the
``competitor_analysis`` results contract, and the messages for bad input.

Expected numbers are hand-computed in the comments, never taken from the function under test.
Every test runs inside ``tmp_path`` so messages show relative file names (``eng/...``).
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from kamlib.analyses.competitors import charts
from kamlib.analyses.competitors.compute import (
    CompetitorAnalysis,
    analyse_competitors,
    axis_scores,
    competitive_scores,
    compute,
    criterion_gaps,
    default_axes,
    share_of_wallet,
    unique_selling_points,
    vulnerabilities,
)
from kamlib.analyses.competitors.read import CompetitorInputs, CompetitorSettings, read_inputs
from kamlib.analyses.competitors.view import (
    findings,
    gaps_table,
    results,
    scores_table,
    usp_table,
    vulnerabilities_table,
    wallet_table,
)
from kamlib.core import store
from kamlib.core.config import load_engagement
from kamlib.core.errors import KamError
from kamlib.core.i18n import Words
from kamlib.core.notes import Note
from kamlib.run import result, run_engagement

mpl.use("Agg")
EN, ZH = Words("en"), Words("zh")

# The engagement.yaml written by make_engagement has 7 lines before ``extra``; its company is
# 测试公司.
FIRST_EXTRA_LINE = 8
US = "测试公司"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def needs_frame(importance: list[float], groups: list[str] | None = None, criteria=None):
    criteria = criteria or ["a", "b", "c"][: len(importance)]
    return pd.DataFrame(
        {
            "criterion": criteria,
            "importance": [float(v) for v in importance],
            "group": groups if groups is not None else [""] * len(importance),
        }
    )


def gaps_frame(rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    """A gaps table from (criterion, importance, gap); ours / best are filled to match."""
    return pd.DataFrame(
        {
            "criterion": [r[0] for r in rows],
            "importance": [float(r[1]) for r in rows],
            "ours": [5.0 + r[2] for r in rows],
            "best": [5.0] * len(rows),
            "best_competitor": ["R"] * len(rows),
            "gap": [float(r[2]) for r in rows],
        }
    )


# --- competitive scores -------------------------------------------------------------------------


def test_competitive_scores_weighted_mean_and_tied_ranks() -> None:
    # Importance 2, 1, 1 (Σ 4): weights 0.5, 0.25, 0.25, exact in binary.
    scores = pd.DataFrame(
        {"a": [4, 6, 5], "b": [6, 8, 5], "c": [10, 4, 6]},
        index=pd.Index(["B", "A", "C"], name="competitor"),
    )
    table = competitive_scores(scores, needs_frame([2, 1, 1]))

    # B: (2×4 + 6 + 10) / 4 = 24 / 4 = 6; A: (2×6 + 8 + 4) / 4 = 6; C: (10 + 5 + 6) / 4 = 5.25.
    # A and B tie for rank 1 (listed by name), C is 3rd (competition ranking 1, 1, 3).
    assert list(table.columns) == ["competitor", "score", "rank"]
    assert table["competitor"].tolist() == ["A", "B", "C"]
    assert table["score"].tolist() == [6.0, 6.0, 5.25]
    assert table["rank"].tolist() == [1, 1, 3]
    assert table.index.tolist() == [0, 1, 2]


def test_competitive_scores_stay_on_the_rating_scale() -> None:
    # Importance 4, 3, 2, 1 (Σ 10). 我方: (36 + 15 + 14 + 6) / 10 = 7.1;
    # A: (24 + 24 + 14 + 8) / 10 = 7.0; B: (28 + 12 + 16 + 5) / 10 = 6.1.
    scores = pd.DataFrame(
        {"q": [9, 6, 7], "p": [5, 8, 4], "s": [7, 7, 8], "d": [6, 8, 5]},
        index=["我方", "A", "B"],
    )
    needs = needs_frame([4, 3, 2, 1], criteria=["q", "p", "s", "d"])
    table = competitive_scores(scores, needs)

    assert table["competitor"].tolist() == ["我方", "A", "B"]
    assert table["score"].tolist() == pytest.approx([7.1, 7.0, 6.1])
    assert table["rank"].tolist() == [1, 2, 3]


@pytest.mark.parametrize(
    ("importance", "scores"),
    [
        # Σ 6: X = (3×8 + 2×6 + 4) / 6 = 40/6, Y = (3×6 + 2×8 + 6) / 6 = 40/6, Z = 34/6.
        ([3, 2, 1], {"a": [8, 6, 5], "b": [6, 8, 5], "c": [4, 6, 9]}),
        # Equal weights 1/3: X = (1 + 2 + 3) / 3 = 2, Y = (3 + 2 + 1) / 3 = 2, Z = 5/3.
        ([1, 1, 1], {"a": [1, 3, 2], "b": [2, 2, 2], "c": [3, 1, 1]}),
    ],
)
def test_competitive_scores_ties_survive_rounding(importance, scores) -> None:
    table = competitive_scores(pd.DataFrame(scores, index=["X", "Y", "Z"]), needs_frame(importance))

    assert table["competitor"].tolist() == ["X", "Y", "Z"]
    assert table["rank"].tolist() == [1, 1, 3]


# --- gaps, USPs and vulnerabilities -------------------------------------------------------------


def test_criterion_gaps_ours_minus_best_other_firm() -> None:
    scores = pd.DataFrame(
        {"q": [9, 6, 7], "p": [5, 8, 4], "s": [7, 7, 8], "d": [6, 8, 5]},
        index=["A", "我方", "B"],
    )
    needs = needs_frame([4, 3, 2, 1], criteria=["q", "p", "s", "d"])
    gaps = criterion_gaps(scores, "我方", needs)

    # 我方 = 6, 8, 7, 8. Best other: q 9 (A), p 5 (A), s 8 (B), d 6 (A).
    assert list(gaps.columns) == [
        "criterion",
        "importance",
        "ours",
        "best",
        "best_competitor",
        "gap",
    ]
    assert gaps["criterion"].tolist() == ["q", "p", "s", "d"]
    assert gaps["importance"].tolist() == [4.0, 3.0, 2.0, 1.0]
    assert gaps["ours"].tolist() == [6, 8, 7, 8]
    assert gaps["best"].tolist() == [9, 5, 8, 6]
    assert gaps["best_competitor"].tolist() == ["A", "A", "B", "A"]
    assert gaps["gap"].tolist() == [-3, 3, -1, 2]


def test_criterion_gaps_importance_follows_the_columns() -> None:
    # needs listed in another order than the score columns: importance is matched by name.
    scores = pd.DataFrame({"x": [5, 3], "y": [2, 4]}, index=["us", "R"])
    needs = needs_frame([7, 1], criteria=["y", "x"])
    gaps = criterion_gaps(scores, "us", needs)

    assert gaps["criterion"].tolist() == ["x", "y"]
    assert gaps["importance"].tolist() == [1.0, 7.0]
    assert gaps["gap"].tolist() == [2, -2]
    assert gaps["best_competitor"].tolist() == ["R", "R"]


USP_ROWS = [
    # importance 5, 4, 4, 3, 2, 1, 1: median 3, so the first four are important.
    ("lead2", 4, 2.0),
    ("lead1", 4, 1.0),
    ("lead3", 5, 3.0),
    ("trail", 3, -2.5),
    ("unimportant_lead", 2, 4.0),
    ("unimportant_trail", 1, -4.0),
    ("small", 1, 0.5),
]


def test_unique_selling_points_important_and_leading_by_the_margin() -> None:
    usp = unique_selling_points(gaps_frame(USP_ROWS), 1.0)

    # Important (≥ 3) with gap ≥ 1: lead3 (5, +3), lead2 (4, +2), lead1 (4, +1: the margin itself
    # counts). unimportant_lead leads by 4 but importance 2 < median 3: not a USP.
    # Order: importance descending, then gap descending.
    assert usp["criterion"].tolist() == ["lead3", "lead2", "lead1"]
    assert usp["gap"].tolist() == [3.0, 2.0, 1.0]
    assert usp.index.tolist() == [0, 1, 2]


def test_unique_selling_points_margin_excludes_smaller_leads() -> None:
    usp = unique_selling_points(gaps_frame(USP_ROWS), 2.0)

    assert usp["criterion"].tolist() == ["lead3", "lead2"]


def test_unique_selling_points_zero_margin_still_needs_a_lead() -> None:
    rows = [("tie", 3, 0.0), ("lead", 3, 0.5), ("trail", 3, -0.5)]
    usp = unique_selling_points(gaps_frame(rows), 0.0)

    # gap ≥ 0 holds for the tie, but a USP needs gap > 0.
    assert usp["criterion"].tolist() == ["lead"]


def test_vulnerabilities_important_and_trailing_by_the_margin() -> None:
    rows = [
        ("minus1", 4, -1.0),
        ("minus3", 4, -3.0),
        ("minus2", 5, -2.0),
        ("minus_half", 5, -0.5),
        ("lead", 5, 2.0),
        ("unimportant", 1, -5.0),
    ]
    # importance 4, 4, 5, 5, 5, 1: median 4.5 → important: minus2, minus_half, lead.
    vul = vulnerabilities(gaps_frame(rows), 0.5)
    # minus2 (−2) and minus_half (−0.5, the margin itself counts).
    assert vul["criterion"].tolist() == ["minus2", "minus_half"]

    # Median of 4, 4, 5, 5, 5, 1, 1, 1 is 4: minus1 and minus3 become important too.
    rows += [("pad1", 1, 0.0), ("pad2", 1, 0.0)]
    vul = vulnerabilities(gaps_frame(rows), 1.0)
    # Gap ≤ −1: minus2 (5), minus3 and minus1 (4). Order: importance descending, then the
    # largest deficit first.
    assert vul["criterion"].tolist() == ["minus2", "minus3", "minus1"]
    assert vul["gap"].tolist() == [-2.0, -3.0, -1.0]
    assert vul.index.tolist() == [0, 1, 2]


def test_vulnerabilities_zero_margin_still_needs_a_deficit() -> None:
    rows = [("tie", 3, 0.0), ("trail", 3, -0.5), ("lead", 3, 0.5)]
    vul = vulnerabilities(gaps_frame(rows), 0.0)

    assert vul["criterion"].tolist() == ["trail"]


# --- positioning map axes -----------------------------------------------------------------------


def test_axis_scores_of_a_criterion_and_of_a_group() -> None:
    scores = pd.DataFrame({"a": [8.0, 2.0], "b": [4.0, 6.0], "c": [1.0, 9.0]}, index=["us", "R"])
    needs = needs_frame([3, 1, 5], groups=["g", "g", "h"])

    assert axis_scores(scores, needs, "b").tolist() == [4.0, 6.0]
    # g = (3a + 1b) / 4: us (24 + 4) / 4 = 7, R (6 + 6) / 4 = 3.
    assert axis_scores(scores, needs, "g").tolist() == [7.0, 3.0]
    assert axis_scores(scores, needs, "g").index.tolist() == ["us", "R"]
    # A one-criterion group is that criterion.
    assert axis_scores(scores, needs, "h").tolist() == [1.0, 9.0]


def test_axis_scores_of_a_group_with_zero_importance_is_the_plain_mean() -> None:
    scores = pd.DataFrame({"a": [8.0, 2.0], "b": [4.0, 6.0]}, index=["us", "R"])
    needs = needs_frame([0, 0], groups=["g", "g"])

    assert axis_scores(scores, needs, "g").tolist() == [6.0, 4.0]


def test_default_axes_two_most_important_groups() -> None:
    # Group totals: g 1 + 2 = 3, h 5, k 4 → h, then k.
    needs = needs_frame([1, 5, 2, 4], ["g", "h", "g", "k"], criteria=["a", "b", "c", "d"])
    assert default_axes(needs) == ("h", "k")


def test_default_axes_without_groups_two_most_important_criteria() -> None:
    assert default_axes(needs_frame([1, 3, 2])) == ("b", "c")
    # Equal importance: the order of the needs table.
    assert default_axes(needs_frame([2, 2, 2])) == ("a", "b")
    # One group only is not a map: fall back to criteria.
    assert default_axes(needs_frame([1, 3, 2], ["g", "g", ""])) == ("b", "c")


# --- share of wallet ----------------------------------------------------------------------------


def wallet_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "total_spend": [1000.0, 400.0, 0.0, 500.0],
            "our_revenue": [300.0, 500.0, 0.0, 100.0],
            "A": [500.0, 0.0, 0.0, 250.0],
        },
        index=pd.Index(["K1", "K2", "K3", "K4"], name="customer_id"),
    )


def test_share_of_wallet_from_the_wallet_column() -> None:
    frame = share_of_wallet(wallet_frame(), None)

    # Whitespace = total − ours, clipped at 0: K1 700, K2 −100 → 0, K3 0, K4 400.
    # Largest first, ties in file order: K1, K4, K2, K3.
    assert frame.index.tolist() == ["K1", "K4", "K2", "K3"]
    assert frame["whitespace"].tolist() == [700.0, 400.0, 0.0, 0.0]
    assert frame["our_revenue"].tolist() == [300.0, 100.0, 500.0, 0.0]
    assert frame["total_spend"].tolist() == [1000.0, 500.0, 400.0, 0.0]
    # Share = ours ÷ total: 0.3, 0.2, 1.25; no spend → no share.
    assert frame["share"].iloc[:3].tolist() == [0.3, 0.2, 1.25]
    assert math.isnan(frame["share"].iloc[3])
    # Competitor columns: their share of the same wallet.
    assert frame["share:A"].iloc[:3].tolist() == [0.5, 0.5, 0.0]
    assert math.isnan(frame["share:A"].iloc[3])
    assert "share:our_revenue" not in frame and "share:total_spend" not in frame
    assert frame["name"].tolist() == ["", "", "", ""]


def test_share_of_wallet_ledger_revenue_replaces_the_column() -> None:
    ledger = pd.Series({"K1": 600.0, "K2": 100.0, "K9": 50.0})
    names = pd.Series({"K1": "甲", "K2": "乙", "K3": "丙"})
    frame = share_of_wallet(wallet_frame(), ledger, names)

    # Ours: K1 600, K2 100, K3 and K4 not in the ledger → 0; K9 has no wallet row.
    # Whitespace: K1 400, K2 300, K3 0, K4 500 → K4, K1, K2, K3.
    assert frame.index.tolist() == ["K4", "K1", "K2", "K3"]
    assert frame["our_revenue"].tolist() == [0.0, 600.0, 100.0, 0.0]
    assert frame["whitespace"].tolist() == [500.0, 400.0, 300.0, 0.0]
    assert frame["share"].iloc[:3].tolist() == [0.0, 0.6, 0.25]
    assert frame["name"].tolist() == ["", "甲", "乙", "丙"]


def test_share_of_wallet_without_any_revenue_is_all_whitespace() -> None:
    wallet = pd.DataFrame({"total_spend": [200.0, 800.0]}, index=["K1", "K2"])
    frame = share_of_wallet(wallet, None)

    assert frame.index.tolist() == ["K2", "K1"]
    assert frame["our_revenue"].tolist() == [0.0, 0.0]
    assert frame["share"].tolist() == [0.0, 0.0]
    assert frame["whitespace"].tolist() == [800.0, 200.0]
    assert [c for c in frame.columns if c.startswith("share:")] == []


# --- inputs are not mutated ---------------------------------------------------------------------


def test_functions_do_not_mutate_their_inputs() -> None:
    scores = pd.DataFrame({"a": [4, 6, 5], "b": [6, 8, 5], "c": [10, 4, 6]}, index=["us", "A", "B"])
    needs = needs_frame([2, 0, 0], groups=["g", "h", "h"])
    gaps = gaps_frame(USP_ROWS)
    wallet = wallet_frame()
    ledger = pd.Series({"K1": 600.0})
    names = pd.Series({"K1": "甲"})
    copies = [x.copy() for x in (scores, needs, gaps, wallet, ledger, names)]

    competitive_scores(scores, needs)
    criterion_gaps(scores, "us", needs)
    unique_selling_points(gaps, 1.0)
    vulnerabilities(gaps, 1.0)
    axis_scores(scores, needs, "g")
    axis_scores(scores, needs, "h")  # zero importance: the fallback weights
    default_axes(needs)
    share_of_wallet(wallet, None)
    share_of_wallet(wallet, ledger, names)

    for original, copy in zip((scores, needs, gaps, wallet), copies):
        pd.testing.assert_frame_equal(original, copy)
    for original, copy in zip((ledger, names), copies[4:]):
        pd.testing.assert_series_equal(original, copy)


# --- an engagement folder -----------------------------------------------------------------------

# 品牌 is scored but not in needs.csv: it is left out of the scores with a note.
COMPETITORS = (
    "竞争对手,规模,质量,价格,服务,交付,品牌\n"
    "测试公司,30,9,5,7,6,5\n"
    "A,50,6,8,7,8,9\n"
    "B,20,7,4,8,5,3\n"
)
NEEDS = "指标,重要性,分组\n质量,4,产品\n价格,3,商务\n服务,2,商务\n交付,1,商务\n"
UNLISTED = Note.of("unlisted_needs", criteria=["品牌"])


def competitor_engagement(
    make_engagement, language="en", extra="", name="eng", **files: str
) -> Path:
    written = {"competitors.csv": COMPETITORS, "needs.csv": NEEDS}
    written.update({f"{file}.csv": text for file, text in files.items()})
    return make_engagement(files=written, language=language, extra=extra, name=name)


def analyse(folder: Path) -> CompetitorAnalysis:
    """The engagement's competitor analysis, through the engagement run."""
    return result(load_engagement(folder), "competitor_analysis")


def texts(notes, words: Words) -> list[str]:
    return [n.text(words) for n in notes]


def without_text(entry: dict) -> dict:
    return {
        **entry,
        "warnings": [{k: v for k, v in n.items() if k != "text"} for n in entry["warnings"]],
    }


def test_engagement_results_contract(make_engagement) -> None:
    ca = analyse(competitor_engagement(make_engagement))
    entry = results(ca, EN)

    # Importance 4, 3, 2, 1 (Σ 10) over 质量, 价格, 服务, 交付:
    # 测试公司 (36 + 15 + 14 + 6) / 10 = 7.1; A (24 + 24 + 14 + 8) / 10 = 7.0;
    # B (28 + 12 + 16 + 5) / 10 = 6.1.
    # Gaps to the best other firm: 质量 9 − 7 (B) = +2, 价格 5 − 8 (A) = −3, 服务 7 − 8 (B) = −1,
    # 交付 6 − 8 (A) = −2. Median importance 2.5: 质量 and 价格 are important. Margin 1:
    # USP 质量, vulnerability 价格 (服务 and 交付 trail but matter less).
    assert list(entry) == ["competitors", "usp", "vulnerabilities", "warnings"]
    assert entry == {
        "competitors": [
            {"competitor": "测试公司", "score": pytest.approx(7.1), "rank": 1},
            {"competitor": "A", "score": pytest.approx(7.0), "rank": 2},
            {"competitor": "B", "score": pytest.approx(6.1), "rank": 3},
        ],
        "usp": ["质量"],
        "vulnerabilities": ["价格"],
        "warnings": [
            {
                "code": "unlisted_needs",
                "text": "These criteria are not in the needs table and do not count in the "
                "scores: 品牌.",
                "criteria": ["品牌"],
            }
        ],
    }
    for row in entry["competitors"]:
        assert list(row) == ["competitor", "score", "rank"]
        assert type(row["competitor"]) is str
        assert type(row["score"]) is float
        assert type(row["rank"]) is int
    assert json.loads(json.dumps(entry, ensure_ascii=False)) == entry
    assert results(ca, ZH)["warnings"][0]["text"] == (
        "以下指标不在客户需求表中，未计入竞争力得分：品牌。"
    )


def test_engagement_results_agree_in_both_languages_but_for_text(make_engagement) -> None:
    # Two engagements that differ only in their language, with both notes of the analysis.
    entries = {}
    for language in ("zh", "en"):
        folder = competitor_engagement(
            make_engagement,
            language=language,
            extra=SEGMENTATION,
            transactions=LEDGER,
            customers=CUSTOMERS,
            wallet=WALLET,
        )
        folder = folder.rename(folder.parent / language)
        words = Words(language)
        entries[language] = results(analyse(folder), words)
    zh, en = entries["zh"], entries["en"]
    assert [n["code"] for n in zh["warnings"]] == [
        "unlisted_needs",
        "wallet_unnamed",
        "wallet_missing",
    ]
    assert [n["text"] for n in zh["warnings"]] != [n["text"] for n in en["warnings"]]
    assert without_text(zh) == without_text(en)
    assert without_text(en)["warnings"][2] == {
        "code": "wallet_missing",
        "count": 1,
        "examples": ["C3"],
    }


def test_engagement_gaps_positions_and_axes(make_engagement) -> None:
    ca = analyse(competitor_engagement(make_engagement))

    assert ca.us == US
    assert ca.scores.columns.tolist() == ["质量", "价格", "服务", "交付"]
    assert ca.gaps["gap"].tolist() == [2, -3, -1, -2]
    assert ca.gaps["best_competitor"].tolist() == ["B", "A", "B", "A"]
    # Group totals: 商务 3 + 2 + 1 = 6, 产品 4 → axes (商务, 产品).
    assert ca.axes == ("商务", "产品")
    # x = 商务 = (3 价格 + 2 服务 + 1 交付) / 6: 测试公司 35/6, A 46/6, B 33/6; y = 质量.
    assert ca.positions.index.tolist() == [US, "A", "B"]
    assert ca.positions["x"].tolist() == pytest.approx([35 / 6, 46 / 6, 33 / 6])
    assert ca.positions["y"].tolist() == [9.0, 6.0, 7.0]
    assert ca.positions["score"].tolist() == pytest.approx([7.1, 7.0, 6.1])
    # Bubble = the size column.
    assert ca.positions["size"].tolist() == [30.0, 50.0, 20.0]
    assert ca.sized
    assert ca.wallet is None
    assert ca.key_wallets() is None
    assert ca.warnings == (UNLISTED,)


def test_engagement_configured_axes_and_margin(make_engagement) -> None:
    extra = "competitors:\n  axes: [价格, 产品]\n  usp_margin: 3\n"
    ca = analyse(competitor_engagement(make_engagement, extra=extra))

    assert ca.axes == ("价格", "产品")
    assert ca.positions["x"].tolist() == [5.0, 8.0, 4.0]
    assert ca.positions["y"].tolist() == [9.0, 6.0, 7.0]
    # Margin 3: the +2 on 质量 is no longer a USP; the −3 on 价格 is still a vulnerability.
    assert results(ca, EN)["usp"] == []
    assert results(ca, EN)["vulnerabilities"] == ["价格"]


def test_engagement_axis_on_a_criterion_outside_the_needs(make_engagement) -> None:
    extra = "competitors:\n  axes: [品牌, 质量]\n"
    ca = analyse(competitor_engagement(make_engagement, extra=extra))

    # 品牌 is a criterion of the data (scored 5, 9, 3): the map can place firms on it.
    assert ca.positions["x"].tolist() == [5.0, 9.0, 3.0]


def test_engagement_findings_english(make_engagement) -> None:
    ca = analyse(competitor_engagement(make_engagement))

    # We lead with 7.1, A second with 7.0: 0.10 ahead (two decimals).
    assert findings(ca, EN) == [
        "测试公司 ranks first of 3 with a competitive score of 7.10, 0.10 ahead of A.",
        "Unique selling points (important to the customer, and we lead the strongest rival): "
        "质量 (+2).",
        "Vulnerabilities to defend: 价格 (A leads by 3).",
    ]


def test_engagement_findings_chinese(make_engagement) -> None:
    ca = analyse(competitor_engagement(make_engagement, language="zh"))

    assert texts(ca.warnings, ZH) == ["以下指标不在客户需求表中，未计入竞争力得分：品牌。"]
    assert findings(ca, ZH) == [
        "测试公司的竞争力得分 7.10 在 3 家中排名第一，领先第二名A 0.10 分。",
        "独特卖点（客户重视且我方领先最强对手）：质量（+2）。",
        "需要防守的弱项：价格（A 领先 3）。",
    ]


@pytest.mark.parametrize("alias", ["我方", "US", " us "])
def test_engagement_accepts_an_alias_for_our_row(make_engagement, alias: str) -> None:
    # No needs file: every criterion counts once. 我方 (6 + 5) / 2 = 5.5; A (9 + 4) / 2 = 6.5;
    # B (4 + 5) / 2 = 4.5. We are second, 1 behind A.
    competitors = f"公司,质量,价格\nA,9,4\n{alias},6,5\nB,4,5\n"
    folder = make_engagement(files={"competitors.csv": competitors}, language="en")
    ca = analyse(folder)
    us = alias.strip()

    assert ca.us == us
    assert results(ca, EN) == {
        "competitors": [
            {"competitor": "A", "score": 6.5, "rank": 1},
            {"competitor": us, "score": 5.5, "rank": 2},
            {"competitor": "B", "score": 4.5, "rank": 3},
        ],
        # Equal importance: every criterion is important. 质量 6 − 9 = −3, 价格 5 − 5 = 0.
        "usp": [],
        "vulnerabilities": ["质量"],
        "warnings": [],
    }
    assert findings(ca, EN) == [
        f"{us} ranks 2nd of 3 with a competitive score of 5.50, 1 behind A.",
        "We have no clear lead on any criterion the customer cares about: no unique selling point.",
        "Vulnerabilities to defend: 质量 (A leads by 3).",
    ]
    assert findings(ca, ZH)[1:] == [
        "在客户重视的指标上，我方没有明显领先的独特卖点。",
        "需要防守的弱项：质量（A 领先 3）。",
    ]
    # No size column: the bubbles are the competitive scores.
    assert not ca.sized
    assert ca.positions["size"].tolist() == [6.5, 5.5, 4.5]


def test_engagement_we_trail_in_chinese(make_engagement) -> None:
    competitors = "竞争对手,质量,价格\nA,9,4\n测试公司,6,5\nB,4,5\n"
    folder = make_engagement(files={"competitors.csv": competitors}, language="zh")
    ca = analyse(folder)

    assert findings(ca, ZH)[0] == "测试公司的竞争力得分 5.50，在 3 家中排名第 2，落后第一名A 1 分。"


def test_engagement_custom_scale_accepts_zero(make_engagement) -> None:
    extra = "competitors:\n  scale: [0, 5]\n"
    competitors = "competitor,质量,价格\n测试公司,0,5\nA,5,0\n"
    folder = make_engagement(files={"competitors.csv": competitors}, language="en", extra=extra)
    ca = analyse(folder)

    # Equal weights: 2.5 each, tied for first; ties listed by name (A before 测试公司).
    assert results(ca, EN)["competitors"] == [
        {"competitor": "A", "score": 2.5, "rank": 1},
        {"competitor": US, "score": 2.5, "rank": 1},
    ]
    # We share rank 1 with A: a tie, not a lead of 0.
    assert findings(ca, EN)[0] == (
        "测试公司 shares first place of 2 with A, at a competitive score of 2.50."
    )


# Degenerate but valid inputs: `kam validate` computes them, so the notebook's every call must work.
DEGENERATE = [
    (
        # one criterion: the map puts it on both axes; 5 − 6 = −1 behind A
        "竞争对手,质量\n测试公司,5\nA,6\nB,4\n",
        [
            "测试公司 ranks 2nd of 3 with a competitive score of 5, 1 behind A.",
            "We have no clear lead on any criterion the customer cares about: no unique selling "
            "point.",
            "Vulnerabilities to defend: 质量 (A leads by 1).",
        ],
        "测试公司的竞争力得分 5，在 3 家中排名第 2，落后第一名A 1 分。",
    ),
    (
        # every score equal: all three share first place, no gap anywhere
        "竞争对手,质量,价格\n测试公司,5,5\nA,5,5\nB,5,5\n",
        [
            "测试公司 shares first place of 3 with A and B, at a competitive score of 5.",
            "We have no clear lead on any criterion the customer cares about: no unique selling "
            "point.",
        ],
        "测试公司的竞争力得分 5，与A和B并列 3 家中的第一。",
    ),
    (
        # (7 + 5) / 2 = 6 for us and (5 + 7) / 2 = 6 for A: tied first, B 5 third
        "竞争对手,质量,价格\n测试公司,7,5\nA,5,7\nB,5,5\n",
        [
            "测试公司 shares first place of 3 with A, at a competitive score of 6.",
            "Unique selling points (important to the customer, and we lead the strongest rival): "
            "质量 (+2).",
            "Vulnerabilities to defend: 价格 (A leads by 2).",
        ],
        "测试公司的竞争力得分 6，与A并列 3 家中的第一。",
    ),
]


@pytest.mark.parametrize(
    ("competitors", "english", "chinese"),
    DEGENERATE,
    ids=["one-criterion", "all-equal", "tied-first"],
)
def test_degenerate_inputs_never_fail_the_notebook(
    make_engagement, competitors: str, english: list[str], chinese: str
) -> None:
    ca = analyse(make_engagement(files={"competitors.csv": competitors}, language="en"))
    assert findings(ca, EN) == english
    assert findings(ca, ZH)[0] == chinese
    try:
        for words in (EN, ZH):  # what the notebook calls
            for tab in (scores_table, gaps_table, usp_table, vulnerabilities_table, wallet_table):
                tab(ca, words).formatted()
            charts.plot_positioning_map(ca, words)
            charts.plot_gaps(ca, words)
            assert charts.plot_wallet(ca, words) is None
    finally:
        plt.close("all")


# --- tables -------------------------------------------------------------------------------------


def formats(tab) -> list[tuple[str, str]]:
    return [(c.label, c.format) for c in tab.columns]


def test_scores_table_values_and_formats(make_engagement) -> None:
    ca = analyse(competitor_engagement(make_engagement))
    tab = scores_table(ca, EN)

    assert formats(tab) == [
        ("Rank", "int"),
        ("Competitor", "text"),
        ("质量", "num"),
        ("价格", "num"),
        ("服务", "num"),
        ("交付", "num"),
        ("Competitive score", "num2"),
    ]
    # Numbers stay numbers: the scores of the firms in rank order, then the weighted score.
    assert tab.frame["c0"].tolist() == [9, 6, 7]
    assert tab.frame["score"].tolist() == pytest.approx([7.1, 7.0, 6.1])
    assert tab.formatted().values.tolist() == [
        ["1", US, "9", "5", "7", "6", "7.10"],
        ["2", "A", "6", "8", "7", "8", "7.00"],
        ["3", "B", "7", "4", "8", "5", "6.10"],
    ]
    assert scores_table(ca, ZH).labels[:2] == ["排名", "竞争对手"]


def test_scores_table_criteria_named_like_its_columns() -> None:
    # Criteria called "rank", "score" and "c1" are headings only: no clash with the frame's keys.
    scores = pd.DataFrame({"rank": [8, 6], "score": [5, 7], "c1": [9, 2]}, index=["us", "R"])
    needs = needs_frame([1, 1, 1], criteria=["rank", "score", "c1"])
    ca = analyse_competitors(inputs_of(scores, needs))
    tab = scores_table(ca, EN)

    # us (8 + 5 + 9) / 3 = 22/3 ≈ 7.33; R (6 + 7 + 2) / 3 = 5.
    assert tab.labels == ["Rank", "Competitor", "rank", "score", "c1", "Competitive score"]
    assert tab.formatted().values.tolist() == [
        ["1", "us", "8", "5", "9", "7.33"],
        ["2", "R", "6", "7", "2", "5"],
    ]


def test_gap_tables_signed_gaps_captions_and_empty_lines(make_engagement) -> None:
    ca = analyse(competitor_engagement(make_engagement))
    tab = gaps_table(ca, EN)

    assert formats(tab) == [
        ("Criterion", "text"),
        ("Importance", "num"),
        ("Ours", "num"),
        ("Strongest rival", "text"),
        ("Best rival", "num"),
        ("Gap", "signed"),
    ]
    assert tab.frame["gap"].tolist() == [2, -3, -1, -2]
    assert tab.formatted()["Gap"].tolist() == ["+2", "−3", "−1", "−2"]
    usp, vul = usp_table(ca, ZH), vulnerabilities_table(ca, ZH)
    assert (usp.caption, usp.formatted().values.tolist()) == (
        "独特卖点",
        [["质量", "4", "9", "B", "7", "+2"]],
    )
    assert (vul.caption, vul.formatted().values.tolist()) == (
        "需要防守的弱项",
        [["价格", "3", "5", "A", "8", "−3"]],
    )
    # Margin 3: no USP, and the table says so instead.
    extra = "competitors:\n  usp_margin: 3\n"
    ca = analyse(competitor_engagement(make_engagement, extra=extra, name="margin3"))
    assert len(usp_table(ca, EN)) == 0
    assert usp_table(ca, EN).empty == (
        "On the criteria the customer cares about, we lead the strongest rival by the set margin "
        "nowhere: no unique selling point."
    )
    assert (
        usp_table(ca, ZH).empty
        == "在客户重视的指标上，我方没有领先最强对手达到设定幅度的独特卖点。"
    )


def test_wallet_table_the_main_rival_rule_is_the_same_in_both_languages(make_engagement) -> None:
    # K2's rival A has no share there: no main rival, the dash, in both languages.
    wallet = "客户编号,采购总额,我方收入,A\nK1,1000,300,500\nK2,800,0,0\n"
    ca = analyse(competitor_engagement(make_engagement, wallet=wallet))
    en, zh = wallet_table(ca, EN), wallet_table(ca, ZH)

    assert formats(en) == [
        ("Customer", "text"),
        ("Total spend", "money"),
        ("Our revenue", "money"),
        ("Share of wallet", "pct1"),
        ("Whitespace", "money"),
        ("Main rival (share)", "text"),
    ]
    # K2 whitespace 800, K1 700. Shares: K1 300 / 1000 = 30 %, A 500 / 1000 = 50 %.
    assert en.frame["customer_id"].tolist() == ["K2", "K1"]
    # no ledger: the table says our revenue is the wallet data's, never "the ledger's"
    assert en.caption == "Our revenue is the wallet data's own column (there is no ledger)."
    assert zh.caption == "我方收入取钱包数据中的“我方收入”列（没有交易台账）。"
    ledger = competitor_engagement(
        make_engagement,
        extra=SEGMENTATION,
        transactions=LEDGER,
        customers=CUSTOMERS,
        wallet=WALLET,
        name="ledger",
    )
    assert wallet_table(analyse(ledger), EN).caption == (
        "Our revenue comes from the segmentation's ledger (in its period)."
    )
    assert en.frame["share"].tolist() == [0.0, 0.3]
    assert pd.isna(en.frame["main_rival"].iloc[0]) and en.frame["main_rival"].iloc[1] == "A"
    assert en.frame["main_rival_share"].iloc[1] == 0.5
    assert math.isnan(en.frame["main_rival_share"].iloc[0])
    assert en.formatted().values.tolist() == [
        ["K2", "CNY 800", "CNY 0", "0.0%", "CNY 800", "—"],
        ["K1", "CNY 1,000", "CNY 300", "30.0%", "CNY 700", "A (50%)"],
    ]
    assert zh.formatted().values.tolist() == [
        ["K2", "800 元", "0 元", "0.0%", "800 元", "—"],
        ["K1", "1,000 元", "300 元", "30.0%", "700 元", "A（50%）"],
    ]


def test_wallet_table_without_wallet_data_says_so(make_engagement) -> None:
    ca = analyse(competitor_engagement(make_engagement))
    tab = wallet_table(ca, ZH)

    assert len(tab) == 0
    assert tab.empty == "本项目未提供客户钱包数据，无法计算钱包份额。"
    assert wallet_table(ca, EN).empty == (
        "This engagement has no wallet data, so share of wallet cannot be computed."
    )


# --- charts -------------------------------------------------------------------------------------


def test_charts_in_both_languages(make_engagement) -> None:
    folder = competitor_engagement(
        make_engagement, extra=SEGMENTATION, transactions=LEDGER, customers=CUSTOMERS, wallet=WALLET
    )
    ca = analyse(folder)
    try:
        fig = charts.plot_positioning_map(ca, EN)
        ax = fig.axes[0]
        assert ax.get_title(loc="left") == "Competitive landscape: 商务 × 产品 (bubble: size)"
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("商务", "产品")
        fig = charts.plot_gaps(ca, ZH)
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        # Least important at the bottom: 交付 (1), 服务 (2), 价格 (3), 质量 (4).
        assert labels == ["交付（1）", "服务（2）", "价格（3）", "质量（4）"]
        fig = charts.plot_wallet(ca, ZH)
        ax = fig.axes[0]
        # Key accounts in the wallet, largest whitespace at the top: C1 (甲公司), then C2.
        assert [t.get_text() for t in ax.get_yticklabels()] == ["乙公司", "甲公司"]
        assert ax.get_xlabel() == "万元"
        assert charts.plot_wallet(ca, EN).axes[0].get_xlabel() == "CNY million"
    finally:
        plt.close("all")


def test_wallet_chart_without_wallet_data_draws_nothing(make_engagement) -> None:
    ca = analyse(competitor_engagement(make_engagement))
    before = plt.get_fignums()

    assert charts.plot_wallet(ca, EN) is None
    assert plt.get_fignums() == before


# --- compute is pure ----------------------------------------------------------------------------


def inputs_of(scores: pd.DataFrame, needs: pd.DataFrame, us: str = "us", **kw) -> CompetitorInputs:
    return CompetitorInputs(
        scores=scores,
        needs=needs,
        size=kw.get("size"),
        us=us,
        wallet=kw.get("wallet"),
        settings=CompetitorSettings(),
        all_scores=scores,
    )


def assert_same(a, b) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b)
    else:
        assert a == b


def test_compute_does_not_mutate_its_inputs(make_engagement) -> None:
    folder = competitor_engagement(
        make_engagement, extra=SEGMENTATION, transactions=LEDGER, customers=CUSTOMERS, wallet=WALLET
    )
    run = run_engagement(load_engagement(folder), ["competitor_analysis"])
    inputs = run.inputs["competitor_analysis"]
    seg = run.results["customer_segmentation"]
    upstream = {"customer_segmentation": seg}
    kept = {f.name: getattr(inputs, f.name) for f in dataclasses.fields(inputs)}
    kept = {k: v.copy() if hasattr(v, "copy") else v for k, v in kept.items()}
    indicators, keys = seg.indicators.copy(), seg.key_accounts.copy()

    ca = compute(inputs, upstream)
    ca.scores.iloc[0, 0] = 0  # the result's frames are its own
    ca.needs.loc[0, "importance"] = 0

    for name, value in kept.items():
        assert_same(getattr(inputs, name), value)
    pd.testing.assert_frame_equal(seg.indicators, indicators)
    pd.testing.assert_frame_equal(seg.key_accounts, keys)
    # The same inputs give the same result.
    again = compute(inputs, upstream)
    assert results(again, EN) == results(run.results["competitor_analysis"], EN)
    pd.testing.assert_frame_equal(again.wallet, run.results["competitor_analysis"].wallet)


def test_result_survives_the_store(make_engagement, tmp_path: Path) -> None:
    # A render saves the result and the notebook reads it back: the same views and findings.
    folder = competitor_engagement(
        make_engagement, extra=SEGMENTATION, transactions=LEDGER, customers=CUSTOMERS, wallet=WALLET
    )
    ca = analyse(folder)
    loaded = store.load(store.save(ca, tmp_path / "saved"))

    assert isinstance(loaded, CompetitorAnalysis)
    assert loaded.warnings == ca.warnings
    assert loaded.axes == ca.axes and loaded.sized == ca.sized
    # Parquet gives text columns its string type: the same values
    pd.testing.assert_frame_equal(loaded.wallet, ca.wallet, check_dtype=False)
    for words in (EN, ZH):
        assert findings(loaded, words) == findings(ca, words)
        assert results(loaded, words) == results(ca, words)
        for view in (scores_table, gaps_table, wallet_table):
            pd.testing.assert_frame_equal(
                view(loaded, words).formatted(), view(ca, words).formatted()
            )


# --- share of wallet from the ledger ------------------------------------------------------------

# Period 2025: C1 3 × 2,000,000 = 6,000,000 (its 2024 order is outside the period);
# C2 1,500,000 + 1,000,000 + 1,000,000 = 3,500,000; C3 3 × 500,000 = 1,500,000;
# C4 one order of 50,000, set aside as a one-off purchase. Key accounts: C1, C2, C3.
LEDGER = (
    "客户编号,日期,金额\n"
    "C1,2024-03-01,2000000\nC1,2025-03-01,2000000\n"
    "C1,2025-06-01,2000000\nC1,2025-09-01,2000000\n"
    "C2,2024-05-01,900000\nC2,2025-05-01,1500000\n"
    "C2,2025-07-01,1000000\nC2,2025-10-01,1000000\n"
    "C3,2024-02-01,400000\nC3,2025-02-01,500000\n"
    "C3,2025-05-01,500000\nC3,2025-08-01,500000\n"
    "C4,2025-04-01,50000\n"
)
SEGMENTATION = """\
segmentation:
  period: {start: 2025-01-01, end: 2025-12-31}
  tiers: {A: 5000000, B: 3000000, C: 1000000}
"""
CUSTOMERS = "客户编号,客户名称\nC1,甲公司\nC2,乙公司\nC3,丙公司\nC4,丁公司\n"
# The 我方收入 column is ignored when there is a ledger; C3 (a key account) has no wallet row.
WALLET = (
    "客户编号,采购总额,我方收入,A,B\n"
    "C1,10000000,1,2000000,1000000\n"
    "C2,4000000,1,500000,0\n"
    "C4,100000,1,0,50000\n"
    "C9,2000000,300000,100000,0\n"
)


def test_engagement_wallet_revenue_comes_from_the_ledger(make_engagement) -> None:
    folder = competitor_engagement(
        make_engagement,
        extra=SEGMENTATION,
        transactions=LEDGER,
        customers=CUSTOMERS,
        wallet=WALLET,
    )
    ca = analyse(folder)
    w = ca.wallet

    # Ours: C1 6,000,000, C2 3,500,000, C4 50,000, C9 none in the ledger → 0.
    # Whitespace: C1 4,000,000, C9 2,000,000, C2 500,000, C4 50,000.
    assert w.index.tolist() == ["C1", "C9", "C2", "C4"]
    assert w["name"].tolist() == ["甲公司", "", "乙公司", "丁公司"]
    assert w["our_revenue"].tolist() == [6_000_000.0, 0.0, 3_500_000.0, 50_000.0]
    assert w["total_spend"].tolist() == [10_000_000.0, 2_000_000.0, 4_000_000.0, 100_000.0]
    assert w["share"].tolist() == [0.6, 0.0, 0.875, 0.5]
    assert w["whitespace"].tolist() == [4_000_000.0, 2_000_000.0, 500_000.0, 50_000.0]
    assert w["share:A"].tolist() == [0.2, 0.05, 0.125, 0.0]
    assert w["share:B"].tolist() == [0.1, 0.0, 0.0, 0.5]
    assert w["key_account"].tolist() == [True, False, True, False]
    assert ca.key_wallets().index.tolist() == ["C1", "C2"]
    assert ca.warnings == (
        UNLISTED,
        Note.of("wallet_unnamed", count=1, examples=["C9"]),
        Note.of("wallet_missing", count=1, examples=["C3"]),
    )
    assert texts(ca.warnings, EN)[2] == "1 key account has no wallet data (e.g. C3)."
    assert texts(ca.warnings, ZH)[2] == "1 个大客户没有钱包数据（如 C3）。"
    # Key accounts in the wallet: C1 and C2. Share (6,000,000 + 3,500,000) / 14,000,000 = 67.9 %;
    # whitespace 4,500,000; the largest at C1 (甲公司), 4,000,000.
    assert findings(ca, EN)[-1] == (
        "Across 2 key accounts our share of wallet is 67.9%, leaving CNY 4.5 m of whitespace; "
        "the largest is at 甲公司 (CNY 4.0 m)."
    )
    assert findings(ca, ZH)[-1] == (
        "在 2 个大客户中，我方钱包份额合计 67.9%，空白市场 450.0 万元；"
        "空白最大的是甲公司（400.0 万元）。"
    )
    # The table lists the key accounts only, named, with their main rival: A at both.
    # C1 A 2,000,000 / 10,000,000 = 20 %; C2 A 500,000 / 4,000,000 = 12.5 %, shown to 0 decimals.
    tab = wallet_table(ca, EN)
    assert tab.frame["customer"].tolist() == ["甲公司 (C1)", "乙公司 (C2)"]
    assert tab.frame["main_rival"].tolist() == ["A", "A"]
    assert tab.frame["main_rival_share"].tolist() == [0.2, 0.125]
    assert wallet_table(ca, ZH).formatted().iloc[0].tolist() == [
        "甲公司（C1）",
        "1,000.0 万元",
        "600.0 万元",
        "60.0%",
        "400.0 万元",
        "A（20%）",
    ]


# C5 is in the customer master but not in the ledger; C7 is named by the wallet alone; C8 by
# nobody. C1's name in the wallet gives way to the master's.
NAMED_WALLET = (
    "客户编号,客户名称,采购总额,A\nC1,别名,1000,0\nC5,,500,100\nC7,庚公司,300,0\nC8,,200,0\n"
)
NAMED_MASTER = CUSTOMERS + "C5,戊公司\n"
UNNAMED = Note.of("wallet_unnamed", count=1, examples=["C8"])


def test_engagement_wallet_names_from_the_master_then_the_wallet_else_the_id(
    make_engagement,
) -> None:
    with_ledger = competitor_engagement(
        make_engagement,
        extra=SEGMENTATION,
        transactions=LEDGER,
        customers=NAMED_MASTER,
        wallet=NAMED_WALLET,
    )
    ca = analyse(with_ledger)
    assert ca.wallet.loc[["C1", "C5", "C7", "C8"], "name"].tolist() == [
        "甲公司",
        "戊公司",
        "庚公司",
        "",
    ]
    assert ca.warnings[1] == UNNAMED

    # Without a ledger the master is read directly, and every account is in the table:
    # whitespace (no revenue of ours) 1,000, 500, 300, 200.
    alone = competitor_engagement(
        make_engagement, name="alone", customers=NAMED_MASTER, wallet=NAMED_WALLET
    )
    ca = analyse(alone)
    assert wallet_table(ca, EN).frame["customer"].tolist() == [
        "甲公司 (C1)",
        "戊公司 (C5)",
        "庚公司 (C7)",
        "C8",
    ]
    assert ca.warnings == (UNLISTED, UNNAMED)
    assert texts(ca.warnings, EN)[1] == (
        "1 account of the wallet data has no name in the customer master (e.g. C8); it is "
        "shown by its ID."
    )
    assert texts(ca.warnings, ZH)[1] == (
        "钱包数据中有 1 个客户在客户主数据中没有名称（如 C8），以客户编号显示。"
    )
    try:
        labels = charts.plot_wallet(ca, ZH).axes[0].get_yticklabels()
        assert [t.get_text() for t in labels] == ["C8", "庚公司", "戊公司", "甲公司"]
    finally:
        plt.close("all")


def test_engagement_wallet_without_ledger_uses_the_column(make_engagement) -> None:
    wallet = "客户编号,采购总额,我方收入,A\nK1,1000,300,500\nK2,800,0,200\n"
    folder = competitor_engagement(make_engagement, wallet=wallet)
    run = run_engagement(load_engagement(folder))
    ca = run.results["competitor_analysis"]

    # No ledger: no segmentation upstream, so no key accounts to flag.
    assert "customer_segmentation" not in run.results
    # K1 whitespace 700, K2 800 → K2 first.
    assert ca.wallet.index.tolist() == ["K2", "K1"]
    assert ca.wallet["our_revenue"].tolist() == [0.0, 300.0]
    assert ca.wallet["share"].tolist() == [0.0, 0.3]
    assert ca.wallet["whitespace"].tolist() == [800.0, 700.0]
    assert "key_account" not in ca.wallet
    # Every account counts: (0 + 300) / 1,800 = 16.7 %, whitespace 1,500, the largest at K2.
    assert findings(ca, EN)[-1] == (
        "Across 2 accounts our share of wallet is 16.7%, leaving CNY 1.5 k of whitespace; "
        "the largest is at K2 (CNY 800)."
    )
    assert findings(ca, ZH)[-1] == (
        "在 2 个客户中，我方钱包份额合计 16.7%，空白市场 1,500 元；空白最大的是K2（800 元）。"
    )


def test_engagement_wallet_empty_our_revenue_cell_counts_as_nothing(make_engagement) -> None:
    wallet = "客户编号,采购总额,我方收入\nK1,1000,\nK2,500,100\n"
    folder = competitor_engagement(make_engagement, wallet=wallet)
    ca = analyse(folder)

    # As for a wallet account missing from the ledger: no revenue of ours, all whitespace.
    # K1 1000 − 0 = 1000, K2 500 − 100 = 400.
    assert ca.wallet.index.tolist() == ["K1", "K2"]
    assert ca.wallet["our_revenue"].tolist() == [0.0, 100.0]
    assert ca.wallet["whitespace"].tolist() == [1000.0, 400.0]
    # No competitor columns: no main rival column.
    assert "Main rival (share)" not in wallet_table(ca, EN).labels


def test_read_inputs_keeps_every_scored_criterion_for_the_map(make_engagement) -> None:
    inputs = read_inputs(load_engagement(competitor_engagement(make_engagement)))

    assert inputs.scores.columns.tolist() == ["质量", "价格", "服务", "交付"]
    assert inputs.all_scores.columns.tolist() == ["质量", "价格", "服务", "交付", "品牌"]
    assert inputs.size.tolist() == [30.0, 50.0, 20.0]
    assert inputs.warnings == (UNLISTED,)


# --- bad input ----------------------------------------------------------------------------------


def raises(folder: Path) -> str:
    with pytest.raises(KamError) as excinfo:
        analyse(folder)
    return str(excinfo.value)


def test_error_no_competitors_file(make_engagement) -> None:
    folder = make_engagement(files={"needs.csv": NEEDS})
    assert (
        raises(folder)
        == "eng/competitors.csv: expected a competitors data file, found no such file"
    )


def test_error_no_criterion_columns(make_engagement) -> None:
    folder = make_engagement(files={"competitors.csv": "competitor,note\n测试公司,x\nA,y\n"})
    assert raises(folder) == (
        "eng/competitors.csv, row 1: expected at least one criterion score column, found none"
    )


def test_error_no_row_for_the_company(make_engagement) -> None:
    folder = make_engagement(files={"competitors.csv": "competitor,质量\nA,5\nB,6\n"})
    assert raises(folder) == (
        "eng/competitors.csv, column competitor: "
        "expected a row for 测试公司 (the engagement's company), found none"
    )


def test_error_only_our_row(make_engagement) -> None:
    # Nothing to compare with: an input mistake (exit 1), not a failed notebook.
    folder = make_engagement(files={"competitors.csv": "竞争对手,质量,价格\n测试公司,5,6\n"})
    assert raises(folder) == (
        "eng/competitors.csv, column competitor: expected at least one competitor besides "
        "测试公司 (the engagement's company), found only 测试公司"
    )


def test_error_needs_without_any_importance(make_engagement) -> None:
    # Every weight 0 would score every firm 0: the needs weigh nothing.
    folder = competitor_engagement(make_engagement, needs="指标,重要性\n质量,0\n价格,0\n")
    assert raises(folder) == (
        "eng/needs.csv, column importance: expected an importance above 0 for at least one "
        "criterion, found 0 for every criterion"
    )


def test_error_needs_criterion_not_a_column(make_engagement) -> None:
    needs = "criterion,importance\n质量,4\n\n售后,2\n"
    folder = competitor_engagement(make_engagement, needs=needs)
    # The blank line is row 3 of the spreadsheet: 售后 is on row 4.
    assert raises(folder) == (
        "eng/needs.csv, row 4, column criterion: expected a score column of competitors.csv, "
        'found "售后"'
    )


def test_error_score_above_the_default_scale(make_engagement) -> None:
    competitors = "competitor,质量,价格\n测试公司,8,6\n\nA,5,11\n"
    folder = make_engagement(files={"competitors.csv": competitors})
    assert raises(folder) == (
        'eng/competitors.csv, row 4, column 价格: expected a score from 1 to 10, found "11"'
    )


def test_error_score_below_the_default_scale(make_engagement) -> None:
    competitors = "competitor,质量,价格\n测试公司,8,6\nA,0,5\n"
    folder = make_engagement(files={"competitors.csv": competitors})
    assert raises(folder) == (
        'eng/competitors.csv, row 3, column 质量: expected a score from 1 to 10, found "0"'
    )


def test_error_score_above_the_scale_quotes_the_value_as_written(make_engagement) -> None:
    competitors = "competitor,质量\n测试公司,8\nA,10.04\n"
    folder = make_engagement(files={"competitors.csv": competitors})
    assert raises(folder) == (
        'eng/competitors.csv, row 3, column 质量: expected a score from 1 to 10, found "10.04"'
    )


def test_error_score_outside_a_custom_scale(make_engagement) -> None:
    extra = "competitors:\n  scale: [0, 5]\n"
    competitors = "competitor,质量,价格\n测试公司,0,5\n\n\nA,6,1\n"
    folder = make_engagement(files={"competitors.csv": competitors}, extra=extra)
    # Two blank lines (rows 3 and 4): A is on row 5.
    assert raises(folder) == (
        'eng/competitors.csv, row 5, column 质量: expected a score from 0 to 5, found "6"'
    )


def test_error_duplicate_competitor(make_engagement) -> None:
    competitors = "competitor,质量\n测试公司,8\nA,5\nB,6\nA,7\n"
    folder = make_engagement(files={"competitors.csv": competitors})
    assert raises(folder) == (
        'eng/competitors.csv, column competitor: expected each competitor once, found "A" in rows '
        "3, 5"
    )


def test_error_wallet_names_an_unknown_competitor(make_engagement) -> None:
    wallet = "客户编号,采购总额,A,Z公司\nK1,1000,200,100\n"
    folder = competitor_engagement(make_engagement, wallet=wallet)
    assert raises(folder) == (
        "eng/wallet.csv, row 1, column Z公司: expected a competitor of competitors.csv, "
        'found "Z公司"'
    )


def test_error_axes_name_an_unknown_criterion(make_engagement) -> None:
    extra = "competitors:\n  usp_margin: 1\n  axes: [质量, 研发]\n"
    folder = competitor_engagement(make_engagement, extra=extra)
    assert raises(folder) == (
        f"eng/engagement.yaml, line {FIRST_EXTRA_LINE + 2}, key competitors.axes: "
        'expected criteria or criterion groups of the data, found "研发"'
    )


@pytest.mark.parametrize(
    ("axes", "found"),
    [("[质量]", "['质量']"), ("[质量, 质量]", "['质量', '质量']"), ("质量", "质量")],
)
def test_error_axes_not_two_different_names(make_engagement, axes: str, found: str) -> None:
    folder = competitor_engagement(make_engagement, extra=f"competitors:\n  axes: {axes}\n")
    assert raises(folder) == (
        f"eng/engagement.yaml, line {FIRST_EXTRA_LINE + 1}, key competitors.axes: "
        f'expected two different criteria or criterion groups, found "{found}"'
    )


@pytest.mark.parametrize(("margin", "found"), [("-0.5", "-0.5"), ("big", "big"), ("true", "True")])
def test_error_bad_usp_margin(make_engagement, margin: str, found: str) -> None:
    folder = competitor_engagement(make_engagement, extra=f"competitors:\n  usp_margin: {margin}\n")
    assert raises(folder) == (
        f"eng/engagement.yaml, line {FIRST_EXTRA_LINE + 1}, key competitors.usp_margin: "
        f'expected a number ≥ 0, found "{found}"'
    )


@pytest.mark.parametrize(("scale", "found"), [("[5, 1]", "[5, 1]"), ("[1]", "[1]")])
def test_error_bad_scale(make_engagement, scale: str, found: str) -> None:
    folder = competitor_engagement(make_engagement, extra=f"competitors:\n  scale: {scale}\n")
    assert raises(folder) == (
        f"eng/engagement.yaml, line {FIRST_EXTRA_LINE + 1}, key competitors.scale: "
        f'expected [lowest, highest] score, e.g. [1, 10], found "{found}"'
    )


def test_error_unknown_key_in_the_section(make_engagement) -> None:
    extra = "competitors:\n  usp_margin: 1\n  margin: 2\n"
    folder = competitor_engagement(make_engagement, extra=extra)
    assert raises(folder) == (
        f"eng/engagement.yaml, line {FIRST_EXTRA_LINE + 2}, key competitors.margin: "
        'expected one of axes, scale, usp_margin, found "margin"'
    )


def test_reports_show_need_labels_and_results_keep_names(make_engagement):
    # 质量 is labelled "Quality"; 价格 has an empty label and 服务, 交付 none: their names show.
    needs = (
        "指标,重要性,分组,显示名称\n质量,4,产品,Quality\n价格,3,商务,\n服务,2,商务,\n交付,1,商务,\n"
    )
    ca = analyse(competitor_engagement(make_engagement, needs=needs))
    assert results(ca, EN)["usp"] == ["质量"]  # the data's name
    assert "Quality (+2)" in findings(ca, EN)[1]
    assert scores_table(ca, EN).labels[2:6] == ["Quality", "价格", "服务", "交付"]
    assert gaps_table(ca, EN).frame["criterion"].tolist()[:1] == ["Quality"]
    assert ca.needs["criterion"].tolist() == ["质量", "价格", "服务", "交付"]
    fig = charts.plot_gaps(ca, EN)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    plt.close(fig)
    assert "Quality (4)" in ticks and "价格 (3)" in ticks


def test_the_datas_notes_on_firms_and_industries_are_shown_in_the_tables(make_engagement):
    from kamlib.analyses.competitors.view import scores_table
    from kamlib.analyses.industry.view import ranking_table

    noted = COMPETITORS.replace("品牌\n", "品牌,备注\n", 1).replace("8,5,3\n", "8,5,3,新进入者\n")
    noted = noted.replace("\n测试公司,30,9,5,7,6,5\n", "\n测试公司,30,9,5,7,6,5,\n")
    noted = noted.replace("\nA,50,6,8,7,8,9\n", "\nA,50,6,8,7,8,9,\n")
    industries = "行业,规模,增长,备注\n政府,9,7,预算稳定\n金融,5,6,\n"
    folder = make_engagement(
        files={"competitors.csv": noted, "needs.csv": NEEDS, "industries.csv": industries},
        language="zh",
    )
    eng = load_engagement(folder)
    w = Words("zh")
    tab = scores_table(result(eng, "competitor_analysis"), w)
    assert tab.labels[-1] == "备注"
    assert dict(zip(tab.frame["competitor"], tab.frame["note"])) == {
        "测试公司": "",
        "A": "",
        "B": "新进入者",
    }
    ranking = ranking_table(result(eng, "industry_selection"), w)
    assert ranking.labels[-1] == "备注"
    assert dict(zip(ranking.frame["industry"], ranking.frame["note"])) == {
        "政府": "预算稳定",
        "金融": "",
    }
    plain = make_engagement(files={"competitors.csv": COMPETITORS}, name="plain")
    assert (
        "备注" not in scores_table(result(load_engagement(plain), "competitor_analysis"), w).labels
    )

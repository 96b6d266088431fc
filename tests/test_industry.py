"""Industry selection (docs/methods.md §1) on the course case's rows and hand-computed frames."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from kamlib.analyses.industry.compute import compute, select_industries
from kamlib.analyses.industry.read import read_inputs
from kamlib.analyses.industry.view import (
    ahp_table,
    criteria_table,
    findings,
    ranking_table,
    results,
    robustness_table,
    sensitivity_table,
)
from kamlib.core.config import load_engagement
from kamlib.core.errors import KamError
from kamlib.core.i18n import Words
from kamlib.core.notes import Note

EN, ZH = Words("en"), Words("zh")


def texts(notes, words):
    return tuple(n.text(words) for n in notes)


def test_seed_rows_totals_ranks_and_the_46_vs_44_warning(seed_scores, seed_totals):
    sel = select_industries(seed_scores, provided_totals=seed_totals)
    table = sel.table.set_index("industry")
    assert table["total"].to_dict() == {"电信业": 44.0, "政府": 42.0, "教育": 32.0, "金融": 28.0}
    assert table["rank"].to_dict() == {"电信业": 1, "政府": 2, "教育": 3, "金融": 4}
    assert sel.threshold == 36.5
    assert table["selected"].to_dict() == {
        "电信业": True,
        "政府": True,
        "教育": False,
        "金融": False,
    }
    assert list(sel.mismatches.index) == ["电信业"]
    assert sel.mismatches.loc["电信业"].tolist() == [46.0, 44.0, 2.0]
    assert sel.warnings == (
        Note.of("total_mismatch", industry="电信业", provided=46.0, computed=44.0, difference=2.0),
    )
    assert texts(sel.warnings, EN) == (
        "电信业: the supplied total is 46, but the scores give 44 (difference 2).",
    )


def test_warning_in_chinese(seed_scores, seed_totals):
    sel = select_industries(seed_scores, provided_totals=seed_totals)
    assert texts(sel.warnings, ZH) == ("电信业：数据中的总分为 46，但按评分计算为 44（差 2）。",)


def test_a_supplied_total_that_is_a_plain_sum_is_said_to_be_one():
    """Weights 2 and 1: A's supplied 5 is the unweighted sum, B's 4 adds its cost score as
    written, C's 9 is just wrong; the totals shown round half up (4.35 → 4.4), the notes
    say the exact figures."""
    scores = pd.DataFrame(
        {"size": [3.0, 1.0, 2.175], "cost": [2.0, 3.0, 0.0]}, index=["A", "B", "C"]
    )
    criteria = pd.DataFrame(
        {
            "criterion": ["size", "cost"],
            "weight": [2.0, 1.0],
            "direction": ["benefit", "cost"],
            "group": ["", ""],
        }
    )
    supplied = pd.Series({"A": 1.0, "B": 4.0, "C": 9.0})
    sel = select_industries(scores, criteria, provided_totals=supplied, samples=0)
    assert [n.code for n in sel.warnings] == [
        "total_unweighted",
        "total_as_written",
        "total_mismatch",
    ]
    assert texts(sel.warnings, EN) == (
        "A: the supplied total 1 is the unweighted sum of the scores; with the weights they give "
        "4 (difference -3).",
        "B: the supplied total 4 adds the scores as written (cost criteria not counted against "
        "it); the scores give -1 (difference 5).",
        "C: the supplied total is 9, but the scores give 4.35 (difference 4.65).",
    )
    assert ZH.number(4.35) == "4.4" and ZH.number(-4.35) == "-4.4"  # half up, as Excel


def test_printed_threshold_29_1_does_not_star_finance(seed_scores):
    # The course case stars 金融 (28) under "≥平均分29.1": the suite reports what the rule gives.
    sel = select_industries(seed_scores, threshold=29.1)
    assert sel.table.set_index("industry")["selected"].to_dict() == {
        "电信业": True,
        "政府": True,
        "教育": True,
        "金融": False,
    }


def test_top_k(seed_scores):
    sel = select_industries(seed_scores, threshold="top 2")
    assert sel.threshold == 42.0
    assert sel.table["selected"].tolist() == [True, True, False, False]


def test_results_contract(seed_scores, seed_totals):
    sel = select_industries(seed_scores, provided_totals=seed_totals)
    entry = results(sel, ZH)
    assert set(entry) == {"threshold", "industries", "warnings"}
    assert entry["threshold"] == 36.5
    assert entry["industries"][0] == {
        "industry": "电信业",
        "total": 44.0,
        "rank": 1,
        "selected": True,
        "provided_total": 46.0,
    }
    assert entry["warnings"] == [
        {
            "code": "total_mismatch",
            "text": "电信业：数据中的总分为 46，但按评分计算为 44（差 2）。",
            "industry": "电信业",
            "provided": 46.0,
            "computed": 44.0,
            "difference": 2.0,
        }
    ]
    json.dumps(entry)  # plain JSON types only
    no_totals = results(select_industries(seed_scores), EN)
    assert all(row["provided_total"] is None for row in no_totals["industries"])


def test_results_agree_in_both_languages_but_for_text(seed_scores, seed_totals):
    sel = select_industries(seed_scores, provided_totals=seed_totals)
    zh, en = results(sel, ZH), results(sel, EN)
    assert zh["warnings"][0]["text"] != en["warnings"][0]["text"]
    for entry in (zh, en):
        for note in entry["warnings"]:
            del note["text"]
    assert zh == en


def test_findings_are_computed_sentences(seed_scores, seed_totals):
    sel = select_industries(seed_scores, provided_totals=seed_totals)
    found = findings(sel, EN)
    assert found[0] == (
        "2 of 4 candidate industries reach the threshold (the mean total, "
        "36.5) and are selected: 电信业 (44) and 政府 (42)."
    )
    assert found[1].startswith("电信业 ranks first with 44, 2 ahead of 政府")
    assert found[2] == ("The criterion that pulls totals down most is 竞争程度 (on average −5.5).")
    assert any("every industry keeps its decision" in f for f in found)
    assert found[-1] == (
        "The supplied total of 电信业 disagrees with the total computed from "
        "the scores (see the appendix); the report uses the computed totals."
    )


def test_findings_flag_a_borderline_industry(seed_scores):
    sel = select_industries(seed_scores, threshold=29.1, samples=1000, seed=0)
    robust = [f for f in findings(sel, ZH) if f.startswith("权重在")]
    share = sel.robustness.summary.loc["金融", "selected_share"]
    assert 0 < share < 1
    assert "金融" in robust[0] and "教育" in robust[0]


def test_ahp_weights_replace_direct_weights_and_flag_inconsistency(seed_scores):
    cols = list(seed_scores.columns)
    judgements = tuple((a, b, 1.0) for i, a in enumerate(cols) for b in cols[i + 1 :])
    sel = select_industries(seed_scores, pairwise=judgements)
    assert sel.criteria["weight"].tolist() == pytest.approx([1 / 8] * 8)
    assert sel.table["total"].tolist() == pytest.approx([44 / 8, 42 / 8, 32 / 8, 28 / 8])
    assert sel.ahp.cr == pytest.approx(0.0, abs=1e-9)
    assert len(ahp_table(sel, EN)) == 8
    small = seed_scores[cols[:3]]
    bad = select_industries(
        small,
        pairwise=((cols[0], cols[1], 9), (cols[1], cols[2], 9), (cols[2], cols[0], 9)),
    )
    assert [n.code for n in bad.warnings] == ["ahp_inconsistent"]
    assert bad.warnings[0].params["cr"] > 0.10
    assert any(
        w.startswith("The AHP consistency ratio CR = ") and "exceeds 0.10" in w
        for w in texts(bad.warnings, EN)
    )


def test_ahp_consistent_matrix_and_supplied_totals_on_their_own_scale():
    # a:b = 2, b:c = 2, a:c = 4 is perfectly consistent: weights 4/7, 2/7, 1/7, CR 0 (not −0.00).
    # AHP totals: X (7, 7, 7) → 7; Y (0, 7, 14) → (0 + 14 + 14) / 7 = 4; Z (7, 0, 0) → 4.
    # The supplied totals were written with the criteria's own weights (1 each): X 21 and Z 7
    # are right, Y's 23 is 2 more than its 0 + 7 + 14 = 21. Only Y is reported.
    scores = pd.DataFrame(
        {"a": [7, 0, 7], "b": [7, 7, 0], "c": [7, 14, 0]}, index=["X", "Y", "Z"], dtype=float
    )
    supplied = pd.Series({"X": 21.0, "Y": 23.0, "Z": 7.0})
    sel = select_industries(
        scores, provided_totals=supplied, pairwise=(("a", "b", 2), ("b", "c", 2), ("a", "c", 4))
    )
    assert sel.table["total"].tolist() == pytest.approx([7.0, 4.0, 4.0])
    assert (sel.ahp.ci, sel.ahp.cr) == (0.0, 0.0)
    assert sel.warnings == (
        Note.of("total_mismatch", industry="Y", provided=23.0, computed=21.0, difference=2.0),
    )
    assert texts(sel.warnings, EN) == (
        "Y: the supplied total is 23, but the scores give 21 (difference 2).",
    )
    assert (
        "The weights come from pairwise comparisons (AHP); the consistency ratio is "
        "CR = 0.00 (≤ 0.10, acceptable)." in findings(sel, EN)
    )
    assert ahp_table(sel, ZH).caption == "λmax = 3.000，CI = 0.000，CR = 0.000"
    # the supplied totals stay out of the ranking beside the AHP totals (another scale)
    assert "Supplied total" not in ranking_table(sel, EN).labels
    assert results(sel, EN)["industries"][1]["provided_total"] == 23.0


def test_cost_column_with_negatives_is_warned(seed_scores):
    criteria = pd.DataFrame(
        {
            "criterion": list(seed_scores.columns),
            "weight": 1.0,
            "direction": ["benefit"] * 3 + ["cost"] * 2 + ["benefit"] * 3,
            "group": "",
        }
    )
    sel = select_industries(seed_scores, criteria)
    assert sel.table["total"].tolist() == [44.0, 42.0, 32.0, 28.0]
    assert [n.code for n in sel.warnings] == ["cost_signed", "cost_signed"]
    assert sum("is a cost but holds negative scores" in w for w in texts(sel.warnings, EN)) == 2


def test_presentation_tables(seed_scores, seed_totals):
    sel = select_industries(seed_scores, provided_totals=seed_totals)
    tab = ranking_table(sel, ZH)
    assert tab.labels[:2] == ["排名", "行业"]
    assert tab.frame["provided_total"].tolist() == [46.0, 42.0, 32.0, 28.0]  # values kept
    shown = tab.formatted()
    assert shown["入选"].tolist() == ["★", "★", "", ""]
    assert shown["客户提供总分"].tolist() == ["46", "42", "32", "28"]
    assert [c.format for c in tab.columns if c.key == "total"] == ["num"]
    robust = robustness_table(sel, ZH)
    assert robust.formatted().shape == (4, 7)
    assert robust.frame["rank_range"].tolist()[0] == (1, 1)
    assert sensitivity_table(sel, ZH).labels == ["情景", "入选结论改变", "排名改变"]


def test_compute_does_not_mutate_its_inputs(seed_scores, seed_totals):
    before, totals = seed_scores.copy(), seed_totals.copy()
    select_industries(seed_scores, provided_totals=seed_totals)
    pd.testing.assert_frame_equal(seed_scores, before)
    pd.testing.assert_series_equal(seed_totals, totals)


def test_engagement_inputs_with_criteria_file(make_engagement):
    folder = make_engagement(
        {
            "industries.csv": "industry,size,rivalry\nA,9,3\nB,5,1\nC,7,7\n",
            "criteria.csv": "criterion,weight,direction\nsize,2,benefit\nrivalry,1,cost\n",
        },
        language="en",
        extra="industry_selection:\n  threshold: top 1\n  robustness:\n    samples: 50\n",
    )
    sel = compute(read_inputs(load_engagement(folder)))
    assert sel.table[["industry", "total"]].values.tolist() == [["A", 15.0], ["B", 9.0], ["C", 7.0]]
    assert sel.table["selected"].tolist() == [True, False, False]
    assert sel.robustness.samples == 50


@pytest.mark.parametrize(
    ("files", "extra", "message"),
    [
        (
            {"industries.csv": "industry,size\nA,1\n", "criteria.csv": "criterion\nsize\nreach\n"},
            "",
            "criteria.csv, row 3, column criterion: expected a score column of industries.csv, "
            'found "reach"',
        ),
        (
            {"industries.csv": "industry,size,reach\nA,1,2\n", "criteria.csv": "criterion\nsize\n"},
            "",
            "industries.csv, row 1, column reach: expected a criterion listed in criteria.csv, "
            'found "reach"',
        ),
        (
            {"industries.csv": "industry,total\nA,1\n"},
            "",
            "industries.csv, row 1: expected at least one criterion score column, found none",
        ),
        (
            {"industries.csv": "industry,a,b\nA,1,2\n"},
            "industry_selection:\n  threshold: median\n",
            "engagement.yaml, line 9, key industry_selection.threshold: expected mean, a number, "
            'or top k, found "median"',
        ),
        (
            {"industries.csv": "industry,a,b\nA,1,2\n"},
            "industry_selection:\n  pairwise:\n    - [a, c, 3]\n",
            "engagement.yaml, line 9, key industry_selection.pairwise: expected a criterion of "
            'the scores table, found "c"',
        ),
        (
            {"industries.csv": "industry,a,b\nA,1,2\n"},
            "industry_selection:\n  robustness:\n    perturbation: 2\n",
            "engagement.yaml, line 10, key industry_selection.robustness.perturbation: expected "
            'a fraction between 0 and 1, e.g. 0.2, found "2"',
        ),
    ],
)
def test_engagement_input_errors(make_engagement, monkeypatch, files, extra, message):
    folder = make_engagement(files, language="en", extra=extra)
    monkeypatch.chdir(folder)
    with pytest.raises(KamError) as info:
        read_inputs(load_engagement(folder))
    assert str(info.value) == message


LABELLED = {
    "industries.csv": "industry,market_size,growth,competition\nGovernment,9,7,3\nBanking,5,9,8\n",
    "criteria.csv": (
        "criterion,weight,direction,group,label\n"
        "market_size,2,benefit,Attractiveness,Market size\n"
        "growth,1,benefit,Attractiveness,Growth\n"
        "competition,1,cost,Difficulty,\n"
    ),
}


def test_reports_show_criterion_labels_and_results_keep_names(make_engagement):
    # Government 2 × 9 + 7 − 3 = 22, Banking 2 × 5 + 9 − 8 = 11; the mean 16.5 selects Government.
    # Government against the mean contribution: market size 18 − 14 = +4, growth 7 − 8 = −1,
    # competition −3 − (−5.5) = +2.5: its lead comes from market size, then competition (which
    # has no label, so its name shows).
    folder = make_engagement(files=LABELLED, language="en")
    sel = compute(read_inputs(load_engagement(folder)), {})
    assert sel.table["total"].tolist() == [22.0, 11.0]
    assert findings(sel, EN)[1] == (
        "Government ranks first with 22, 11 ahead of Banking; its lead comes mainly from Market "
        "size and competition."
    )
    assert findings(sel, EN)[2] == (
        "The criterion that pulls totals down most is competition (on average −5.5)."
    )
    ranking = ranking_table(sel, EN)
    assert ranking.labels == ["Rank", "Industry", "Market size", "Growth", "competition"] + [
        "Total",
        "Selected",
    ]
    assert criteria_table(sel, EN).formatted()["Criterion"].tolist() == [
        "Market size",
        "Growth",
        "competition",
    ]
    scenarios = sensitivity_table(sel, EN).frame["scenario"].tolist()
    assert all(s.split(" ")[0] in ("Market", "Growth", "competition") for s in scenarios)
    # the data and results.json keep the names
    assert list(sel.contributions.columns) == ["market_size", "growth", "competition"]
    assert sel.criteria["criterion"].tolist() == ["market_size", "growth", "competition"]
    assert json.dumps(results(sel, EN)).count("Market size") == 0


def test_without_a_label_column_the_report_shows_the_names(seed_scores):
    sel = select_industries(seed_scores)
    assert ranking_table(sel, ZH).labels[2:10] == list(seed_scores.columns)

"""The weighted-scoring engine against the course case's industry table (docs/methods.md §1) and
hand-computed frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kamlib.core.scoring import (
    Threshold,
    ahp_weights,
    apply_threshold,
    assess_robustness,
    default_criteria,
    pairwise_matrix,
    parse_threshold,
    rank_desc,
    score_alternatives,
    signed_scores,
)


def test_seed_totals_reproduce_methods_1(seed_scores):
    scored = score_alternatives(seed_scores, default_criteria(list(seed_scores.columns)))
    assert scored.totals.to_dict() == {"政府": 42.0, "电信业": 44.0, "教育": 32.0, "金融": 28.0}
    assert scored.ranks.to_dict() == {"电信业": 1, "政府": 2, "教育": 3, "金融": 4}


def test_both_cost_conventions_give_the_same_totals(seed_scores):
    presigned = score_alternatives(seed_scores, default_criteria(list(seed_scores.columns)))
    magnitudes = seed_scores.abs()
    criteria = default_criteria(list(seed_scores.columns))
    criteria.loc[criteria["criterion"].isin(["竞争程度", "实施难易程度"]), "direction"] = "cost"
    costed = score_alternatives(magnitudes, criteria)
    pd.testing.assert_series_equal(costed.totals, presigned.totals)
    # a cost criterion that holds pre-signed negatives still counts against, never for
    assert score_alternatives(seed_scores, criteria).totals.to_dict() == presigned.totals.to_dict()


def test_weights_and_group_subtotals():
    scores = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 1.0], "c": [2.0, 2.0]}, index=["x", "y"])
    criteria = pd.DataFrame(
        {
            "criterion": ["a", "b", "c"],
            "weight": [2.0, 1.0, 0.5],
            "direction": ["benefit", "benefit", "cost"],
            "group": ["g1", "g1", "g2"],
        }
    )
    scored = score_alternatives(scores, criteria)
    # x: 2*1 + 3 - 0.5*2 = 4 ; y: 2*2 + 1 - 1 = 4
    assert scored.totals.to_dict() == {"x": 4.0, "y": 4.0}
    assert scored.ranks.to_dict() == {"x": 1, "y": 1}
    assert scored.groups.loc["x"].to_dict() == {"g1": 5.0, "g2": -1.0}
    assert scored.contributions.loc["y", "a"] == 4.0


def test_inputs_are_not_mutated(seed_scores):
    before = seed_scores.copy()
    criteria = default_criteria(list(seed_scores.columns))
    criteria["direction"] = "cost"
    criteria_before = criteria.copy()
    signed_scores(seed_scores, criteria)
    score_alternatives(seed_scores, criteria)
    pd.testing.assert_frame_equal(seed_scores, before)
    pd.testing.assert_frame_equal(criteria, criteria_before)


def test_competition_ranks():
    assert rank_desc(pd.Series([5.0, 7.0, 7.0, 1.0])).tolist() == [3, 1, 1, 4]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("mean", Threshold("mean")),
        (29.1, Threshold("number", 29.1)),
        (30, Threshold("number", 30.0)),
        ("29.1", Threshold("number", 29.1)),
        ("top 3", Threshold("top", 3.0)),
        ("top-2", Threshold("top", 2.0)),
        ("前5", Threshold("top", 5.0)),
        ({"top": 4}, Threshold("top", 4.0)),
    ],
)
def test_parse_threshold(value, expected):
    assert parse_threshold(value) == expected


@pytest.mark.parametrize("value", ["median", True, "top 0", [1], None])
def test_parse_threshold_refuses(value):
    with pytest.raises(ValueError, match="mean, a number, or top k"):
        parse_threshold(value)


def test_thresholds_on_seed_totals():
    totals = np.array([42.0, 44.0, 32.0, 28.0])
    ranks = np.array([2, 1, 3, 4])
    cut, selected = apply_threshold(totals, ranks, Threshold("mean"))
    assert cut == 36.5 and selected.tolist() == [True, True, False, False]
    cut, selected = apply_threshold(totals, ranks, Threshold("number", 29.1))
    # the course case stars 金融 (28) although 28 < 29.1: the suite does not
    assert selected.tolist() == [True, True, True, False]
    cut, selected = apply_threshold(totals, ranks, Threshold("top", 3))
    assert cut == 32.0 and selected.tolist() == [True, True, True, False]
    cut, selected = apply_threshold(totals, ranks, Threshold("number", 42))
    assert selected.tolist() == [True, True, False, False]  # equal to the threshold is selected


def test_ahp_saaty_three_criteria():
    matrix = pairwise_matrix(["a", "b", "c"], [("a", "b", 3), ("a", "c", 5), ("b", "c", 3)])
    ahp = ahp_weights(matrix)
    assert ahp.weights.round(3).tolist() == [0.637, 0.258, 0.105]
    assert ahp.lambda_max == pytest.approx(3.0385, abs=1e-4)
    assert ahp.cr == pytest.approx(0.0332, abs=1e-3)
    assert ahp.consistent
    assert matrix.loc["c", "a"] == pytest.approx(0.2)


def test_ahp_perfectly_consistent_and_inconsistent():
    consistent = ahp_weights(
        pairwise_matrix(["a", "b", "c"], [("a", "b", 2), ("b", "c", 2), ("a", "c", 4)])
    )
    assert consistent.weights.tolist() == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    # λmax comes out as 3 − 1e-15: CI and CR are clamped at 0, never a "−0.00"
    assert consistent.lambda_max == pytest.approx(3.0)
    assert (consistent.ci, consistent.cr) == (0.0, 0.0)
    cyclic = ahp_weights(
        pairwise_matrix(["a", "b", "c"], [("a", "b", 9), ("b", "c", 9), ("c", "a", 9)])
    )
    assert cyclic.cr > 0.10 and not cyclic.consistent


@pytest.mark.parametrize(
    ("judgements", "args"),
    [
        ([("a", "x", 2)], ("a criterion of the scores table", "x")),
        ([("a", "b", 2), ("b", "a", 2)], ("each pair of different criteria judged once", "b / a")),
        ([("a", "b", 2)], ("a judgement for every pair of criteria", "none for a / c")),
    ],
)
def test_pairwise_errors(judgements, args):
    with pytest.raises(ValueError) as info:
        pairwise_matrix(["a", "b", "c"], judgements)
    assert info.value.args == args


def test_robustness_dominant_and_borderline():
    # x dominates everywhere; y and z swap places as the weight of b moves
    signed = pd.DataFrame({"a": [10.0, 5.0, 6.0], "b": [10.0, 5.0, 4.0]}, index=["x", "y", "z"])
    weights = pd.Series({"a": 1.0, "b": 1.0})
    r = assess_robustness(
        signed, weights, Threshold("top", 2), perturbation=0.2, samples=500, seed=1
    )
    s = r.summary
    assert s.loc["x", "selected_share"] == 1.0 and s.loc["x", "same_rank"] == 1.0
    assert 0 < s.loc["y", "selected_share"] < 1  # y (10) and z (10) tie at base; weights decide
    assert s.loc["y", "selected_share"] + s.loc["z", "selected_share"] == pytest.approx(1.0)
    assert (s["rank_min"] <= s["rank_max"]).all()
    oat = r.one_at_a_time
    assert len(oat) == 4
    up_b = oat[(oat["criterion"] == "b") & (oat["change"] > 0)].iloc[0]
    # base: y = z = 10 share rank 2 and both make the top 2; b +20 %: y = 11, z = 10.8 → z drops
    assert set(up_b["rank_changed"]) == {"z"}
    assert up_b["selection_changed"] == ["z"]


def test_robustness_is_repeatable(seed_scores):
    weights = pd.Series(1.0, index=seed_scores.columns)
    a = assess_robustness(seed_scores, weights, Threshold("mean"), samples=200, seed=3)
    b = assess_robustness(seed_scores, weights, Threshold("mean"), samples=200, seed=3)
    pd.testing.assert_frame_equal(a.summary, b.summary)

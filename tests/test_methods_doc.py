"""Every worked example of docs/methods.md, recomputed with kamlib's own functions.

The figures live only in the doc: each test reads the table after an ``<!-- example: NAME -->``
marker (or a sentence of the prose) and checks it against what kamlib computes, so the page and
the code cannot drift apart. Inputs the doc takes from the demo engagement are checked against
``data/demo`` too.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from kamlib.analyses.accounts.compute import STAGE_NEEDS, screen_opportunities, stage_gap
from kamlib.analyses.competitors.compute import (
    axis_scores,
    competitive_scores,
    criterion_gaps,
    unique_selling_points,
    vulnerabilities,
)
from kamlib.analyses.industry.compute import select_industries
from kamlib.analyses.segmentation.compute import score_accounts, value_pyramid, value_scorecard
from kamlib.analyses.segmentation.methods import (
    Tiers,
    abc_classes,
    pareto,
    tier_customers,
    tier_table,
)
from kamlib.core.io import STAGES, read_table

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "methods.md"
TEXT = DOC.read_text(encoding="utf-8")
DEMO = ROOT / "data" / "demo"
MARKER = re.compile(r"^<!-- example: ([\w-]+) -->$", re.M)
TESTED = {
    "industry",
    "industry-threshold",
    "scorecard",
    "scorecard-totals",
    "value-weights",
    "cards-revenue",
    "cards-tiers",
    "franchisor",
    "franchisor-bounds",
    "competitors-scores",
    "competitors-map",
    "competitors-gaps",
    "stage-needs",
    "screen",
    "stage-gap",
}


def example(name: str) -> list[dict[str, str]]:
    """The rows of the Markdown table after ``<!-- example: name -->``, as header → cell."""
    start = TEXT.index(f"<!-- example: {name} -->\n")
    lines = TEXT[start:].splitlines()[1:]
    table = []
    for line in lines:
        if not line.startswith("|"):
            break
        table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    header, rows = table[0], table[2:]
    assert set(table[1]) == {"---"}, f"{name}: no Markdown table after the marker"
    return [dict(zip(header, row, strict=True)) for row in rows]


def num(text: str) -> float:
    """A figure as the doc writes it: 1,234,567 · −3 · 22.2 % · 0.15; — and blank are NaN."""
    text = text.replace("−", "-").replace(",", "").replace("≥", "").replace("<", "").strip()
    if text in ("", "—"):
        return math.nan
    if text.endswith("%"):
        return round(float(text.rstrip("% ")) / 100, 12)
    return float(text)


def sentence(pattern: str) -> re.Match:
    """The one match of ``pattern`` in the doc's text (lines joined, so wrapping never matters)."""
    found = list(re.finditer(pattern, " ".join(TEXT.split())))
    assert len(found) == 1, f"expected one sentence matching {pattern!r}, found {len(found)}"
    return found[0]


def chinese(label: str) -> str:
    """``政府 government`` → ``政府``; ``2 初期 initial`` → ``初期``."""
    return next(word for word in label.split() if not word.isascii())


def test_every_example_is_checked() -> None:
    assert set(MARKER.findall(TEXT)) == TESTED


# ---------------------------------------------------------------- 1 industry selection


def industry_inputs() -> tuple[pd.DataFrame, pd.Series, list[str]]:
    rows = example("industry")
    criteria = [c for c in rows[0] if c not in ("industry", "printed total", "computed total")]
    criteria.remove("rank")
    scores = pd.DataFrame(
        [[num(r[c]) for c in criteria] for r in rows],
        index=[chinese(r["industry"]) for r in rows],
        columns=criteria,
    )
    printed = pd.Series([num(r["printed total"]) for r in rows], index=scores.index)
    return scores, printed, criteria


def test_industry_totals_ranks_and_the_mismatch() -> None:
    scores, printed, _ = industry_inputs()
    rows = example("industry")
    sel = select_industries(scores, provided_totals=printed, samples=0)
    table = sel.table.set_index("industry")
    for row in rows:
        name = chinese(row["industry"])
        assert table.loc[name, "total"] == num(row["computed total"])
        assert table.loc[name, "rank"] == num(row["rank"])
    # exactly the rows whose printed total differs are reported, with the difference
    mismatches = [n for n in sel.warnings if n.code == "total_mismatch"]
    differ = [chinese(r["industry"]) for r in rows if r["printed total"] != r["computed total"]]
    assert [n.params["industry"] for n in mismatches] == differ == ["电信业"]
    said = sentence(r"scores add up to (\d+), not the (\d+) printed.*?difference of (\d+)")
    note = mismatches[0].params
    assert (num(said[1]), num(said[2]), num(said[3])) == (
        note["computed"],
        note["provided"],
        note["difference"],
    )


def test_industry_cost_convention_gives_the_same_totals() -> None:
    scores, printed, criteria = industry_inputs()
    negative = [c for c in criteria if (scores[c] < 0).all()]
    assert negative == ["竞争程度", "实施难易程度"]
    magnitudes = scores.abs()
    spec = pd.DataFrame(
        {
            "criterion": criteria,
            "weight": 1.0,
            "direction": ["cost" if c in negative else "benefit" for c in criteria],
            "group": "",
        }
    )
    as_cost = select_industries(magnitudes, spec, samples=0).table.set_index("industry")
    as_printed = select_industries(scores, samples=0).table.set_index("industry")
    pd.testing.assert_series_equal(as_cost["total"], as_printed["total"])


def test_industry_thresholds() -> None:
    scores, _, _ = industry_inputs()
    for row in example("industry-threshold"):
        setting = re.match(r"`([^`]+)`", row["threshold"])[1]  # as written in engagement.yaml
        rule = setting if setting == "mean" else num(setting)
        sel = select_industries(scores, threshold=rule, samples=0)
        assert sel.threshold == pytest.approx(num(row["value"]))
        chosen = set(sel.table.loc[sel.table["selected"], "industry"])
        assert chosen == set(row["selected"].split(", "))


# ---------------------------------------------------------------- 2 scorecard


def test_scorecard_matches_the_demo_and_kamlib() -> None:
    rows = example("scorecard")
    accounts = [c for c in rows[0] if re.fullmatch(r"C\d+", c)]
    demo_criteria = read_table(DEMO / "scorecard_criteria.csv", "scorecard_criteria").frame
    demo_scores = read_table(DEMO / "account_scorecard.csv", "account_scorecard").frame
    demo_scores = demo_scores.set_index("customer_id")
    # the doc shows the demo's criteria, weights, groups and two accounts' scores
    assert [r["criterion"] for r in rows] == list(demo_criteria["criterion"])
    assert [num(r["weight"]) for r in rows] == list(demo_criteria["weight"])
    assert [r["group"] for r in rows] == list(demo_criteria["group"])
    for account in accounts:
        assert [num(r[account]) for r in rows] == list(
            demo_scores.loc[account, demo_criteria["criterion"]]
        )
    scored = score_accounts(demo_scores, demo_criteria)
    for row in example("scorecard-totals"):
        account = row["account"]
        for group in demo_criteria["group"].unique():
            assert scored.loc[account, group] == num(row[group])
        assert scored.loc[account, "total"] == num(row["total"])
        assert scored.loc[account, "rank"] == num(row["rank of the demo's 15"])
    assert len(scored) == 15
    said = sentence(r"C00115's market position: (\d+) × \(([\d + ]+)\) = (\d+)")
    market = [r for r in rows if r["group"] == "市场地位"]
    assert num(said[1]) == num(market[0]["weight"])
    assert [num(s) for s in said[2].split(" + ")] == [num(r["C00115"]) for r in market]
    assert num(said[3]) == scored.loc["C00115", "市场地位"]


# ---------------------------------------------------------------- 3 segmentation


def weights(score: str, column: str) -> dict[str, float]:
    return {
        r["component"]: num(r[column])
        for r in example("value-weights")
        if r["score"] == score and not math.isnan(num(r[column]))
    }


def indicators() -> pd.DataFrame:
    """Four active customers whose indicators rank in different orders."""
    return pd.DataFrame(
        {
            "active": True,
            "revenue": [400.0, 300.0, 200.0, 100.0],
            "profit": [10.0, 40.0, 30.0, 20.0],
            "orders": [2, 1, 4, 3],
            "cooperation_years": [1.0, 4.0, 2.0, 3.0],
            "collection_days": [30.0, 60.0, 10.0, 90.0],
            "growth": [0.1, -0.2, 0.3, 0.0],
            "potential": [500.0, 900.0, 250.0, 700.0],
            "alignment": [5.0, 9.0, 7.0, 3.0],
        },
        index=["W", "X", "Y", "Z"],
    )


def expected(parts: dict[str, pd.Series], w: dict[str, float]) -> pd.Series:
    """Σ weight × percentile rank, the doc's formula."""
    return sum(w[k] * parts[k].rank(pct=True) for k in w)


@pytest.mark.parametrize("column", ["weight", "weight without profit data"])
def test_value_weights(column: str) -> None:
    ind = indicators()
    if column != "weight":
        ind["profit"] = math.nan
    pyramid = value_pyramid(ind, (0.25, 0.25, 0.5))["value_score"]
    parts = {
        "revenue": ind["revenue"],
        "profit": ind["profit"],
        "orders": ind["orders"],
        "years of cooperation": ind["cooperation_years"],
        "speed of payment": -ind["collection_days"],
        "headroom": ind["potential"] - ind["revenue"],
        "growth": ind["growth"],
        "alignment": ind["alignment"],
    }
    w = weights("pyramid", column)
    assert sum(w.values()) == pytest.approx(1)
    pd.testing.assert_series_equal(
        pyramid.sort_index(), expected(parts, w).sort_index(), check_names=False, atol=1e-9
    )
    matrix = value_scorecard(ind)
    for score, key in (("current value", "current_value"), ("potential value", "potential_value")):
        w = weights(score, column)
        assert sum(w.values()) == pytest.approx(1, abs=0.011)  # shown to two decimals
        got = matrix[key]
        want = expected(parts, w)
        pd.testing.assert_series_equal(got, want, check_names=False, atol=0.01)


def cards() -> tuple[pd.Series, Tiers]:
    rows = example("cards-revenue")
    revenue = pd.Series([num(r["revenue"]) for r in rows], index=[r["customer"] for r in rows])
    said = sentence(r"`tiers: \{(.+?)\}` and `last_tier: (\S+)`")
    bounds = tuple(
        (name.strip(), float(value)) for name, value in (p.split(":") for p in said[1].split(","))
    )
    return revenue, Tiers(bounds, said[2])


def test_cards_tiers_and_abc() -> None:
    revenue, tiers = cards()
    rows = example("cards-revenue")
    assert list(tier_customers(revenue, tiers)) == [r["tier"] for r in rows]
    assert list(abc_classes(revenue)[revenue.index]) == [r["ABC class"] for r in rows]
    table = tier_table(revenue, tier_customers(revenue, tiers), tiers).set_index("tier")
    shown = example("cards-tiers")
    assert [r["tier"] for r in shown] == tiers.names
    for row in shown:
        got = table.loc[row["tier"]]
        assert got["customers"] == num(row["customers"])
        assert round(got["customer_share"], 3) == num(row["share of customers"])
        assert got["revenue"] == num(row["revenue"])
        assert round(got["revenue_share"], 3) == num(row["share of revenue"])
        assert got["average_revenue"] == num(row["average revenue"])
        low, high = got["lower"], got["upper"]
        bounds = row["bounds"].replace(",", "")
        if pd.isna(high):
            assert bounds == f"≥ {low:.0f}"
        elif pd.isna(low):
            assert bounds == f"< {high:.0f}"
        else:
            assert bounds == f"{low:.0f} – {high:.0f}"


def test_cards_prose() -> None:
    revenue, _ = cards()
    ordered = revenue.sort_values(ascending=False)
    before = ordered.cumsum() - ordered
    share = before / ordered.sum()
    said = sentence(r"K03 is still A because the revenue before it \(([\d,]+), ([\d.]+ %)\)")
    assert (num(said[1]), num(said[2])) == (before["K03"], round(share["K03"], 3))
    said = sentence(r"K04 is B because the revenue before it is ([\d.]+ %)")
    assert num(said[1]) == round(share["K04"], 3)
    said = sentence(r"The top 20 % of customers \((\d+) of (\d+)\) hold ([\d.]+ %)")
    _, tops = pareto(revenue)
    assert num(said[1]) == math.ceil(0.2 * len(revenue)) and num(said[2]) == len(revenue)
    assert num(said[3]) == round(tops["top_20pct"], 3)


def franchisor() -> tuple[pd.Series, Tiers, list[dict[str, str]]]:
    """The franchisor's tiers, and a revenue per customer at its tier's lower bound (a cent for
    the last tier): the least revenue the printed counts and bounds allow."""
    rows = example("franchisor")
    lowers = [num(r["annual sales (CNY)"].split("–")[0]) for r in rows[:-1]]
    tiers = Tiers(tuple((r["tier"], lo) for r, lo in zip(rows, lowers)), rows[-1]["tier"])
    least = [
        [lo if not math.isnan(lo) else 0.01] * int(num(r["customers"]))
        for r, lo in zip(rows, [*lowers, math.nan])
    ]
    revenue = pd.Series([v for values in least for v in values])
    return revenue, tiers, rows


def test_franchisor_counts_and_customer_shares() -> None:
    revenue, tiers, rows = franchisor()
    table = tier_table(revenue, tier_customers(revenue, tiers), tiers).set_index("tier")
    said = sentence(r"tiered its ([\d,]+) franchisees")
    assert len(revenue) == num(said[1])
    shares = sentence(r"their shares \(([\d.]+ %), ([\d.]+ %), ([\d.]+ %), ([\d.]+ %)\)")
    for row, stated in zip(rows, shares.groups()):
        got = table.loc[row["tier"]]
        assert got["customers"] == num(row["customers"])
        assert round(got["customer_share"], 3) == num(stated)
        assert round(got["customer_share"], 2) == num(row["printed share of customers"])
    assert sum(num(r["printed share of revenue"]) for r in rows) == pytest.approx(1)


def test_franchisor_figures_cannot_all_be_true() -> None:
    revenue, tiers, rows = franchisor()
    table = tier_table(revenue, tier_customers(revenue, tiers), tiers).set_index("tier")
    printed = {r["tier"]: num(r["printed share of revenue"]) for r in rows}
    bounds = example("franchisor-bounds")
    for row in bounds:
        tier = row["tier"]
        assert num(row["customers"]) == table.loc[tier, "customers"]
        assert num(row["lower bound"]) == table.loc[tier, "lower"]
        assert num(row["least revenue of the tier"]) == table.loc[tier, "revenue"]
        allows = table.loc[tier, "revenue"] / printed[tier]
        assert num(row["least total its printed share allows"]) == round(allows)
    above = sum(table.loc[r["tier"], "revenue"] for r in bounds)
    said = sentence(r"Tiers A to C alone need at least ([\d,]+)")
    assert num(said[1]) == above
    stated = sentence(r"a little over (\d+) million")
    assert above > 1.8 * num(stated[1]) * 1e6  # "nearly twice the stated total"
    said = sentence(
        r"(\d+) B customers of at least (\d+) million each can hold (\d+ %).*?at least ([\d,]+)"
    )
    assert num(said[1]) == table.loc["B", "customers"]
    assert num(said[2]) * 1e6 == table.loc["B", "lower"]
    assert num(said[3]) == printed["B"]
    assert num(said[4]) == round(table.loc["B", "revenue"] / printed["B"])


# ---------------------------------------------------------------- 4 competitors


def competitor_inputs() -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, str]:
    rows = example("competitors-scores")
    criteria = [c for c in rows[0] if c not in ("firm", "modelled on", "市场份额")]
    importance, group, *firms = rows
    codes = dict(
        (code, name) for code, name in re.findall(r"(\b[A-Z]{2}) = (\w+)", " ".join(TEXT.split()))
    )
    needs = pd.DataFrame(
        {
            "criterion": criteria,
            "importance": [num(importance[c]) for c in criteria],
            "group": [codes[group[c]] for c in criteria],
        }
    )
    scores = pd.DataFrame(
        [[num(f[c]) for c in criteria] for f in firms],
        index=[f["firm"] for f in firms],
        columns=criteria,
    )
    share = pd.Series([num(f["市场份额"]) for f in firms], index=scores.index)
    us = next(f["firm"] for f in firms if f["modelled on"] == "us")
    return scores, needs, share, us


def test_competitor_inputs_are_the_demo() -> None:
    scores, needs, share, us = competitor_inputs()
    demo = read_table(DEMO / "competitors.csv", "competitors").frame.set_index("competitor")
    demo_needs = read_table(DEMO / "needs.csv", "needs").frame
    pd.testing.assert_frame_equal(
        scores, demo[scores.columns], check_names=False, check_dtype=False, check_index_type=False
    )
    pd.testing.assert_series_equal(
        share, demo["size"], check_names=False, check_dtype=False, check_index_type=False
    )
    pd.testing.assert_frame_equal(needs, demo_needs[list(needs.columns)], check_dtype=False)
    company = (DEMO / "engagement.yaml").read_text(encoding="utf-8")
    assert f"company: {us}\n" in company


def test_competitor_map_and_scores() -> None:
    scores, needs, _, _ = competitor_inputs()
    axes = sentence(r"`axes: \[(\w+), (\w+)\]`").groups()
    table = competitive_scores(scores, needs).set_index("competitor")
    x = axis_scores(scores, needs, axes[0])
    y = axis_scores(scores, needs, axes[1])
    rows = example("competitors-map")
    assert [r["firm"] for r in rows] == list(table.index)  # ranked order
    for row in rows:
        firm = row["firm"]
        assert num(row[f"x: {axes[0]}"]) == round(x[firm], 2)
        assert num(row[f"y: {axes[1]}"]) == round(y[firm], 2)
        assert num(row["competitive score"]) == round(table.loc[firm, "score"], 2)
        assert num(row["rank"]) == table.loc[firm, "rank"]


def test_competitor_worked_axis_value() -> None:
    scores, needs, _, us = competitor_inputs()
    said = sentence(r"our x = \(([^)]+)\) ÷ \(([^)]+)\) = (\d+) ÷ (\d+) = (\d+\.\d+)")
    it = needs.loc[needs["group"] == "信息技术能力"]
    terms = [tuple(num(v) for v in t.split(" × ")) for t in said[1].split(" + ")]
    assert terms == list(zip(it["importance"], scores.loc[us, it["criterion"]]))
    assert [num(v) for v in said[2].split(" + ")] == list(it["importance"])
    assert num(said[3]) == sum(a * b for a, b in terms) and num(said[4]) == it["importance"].sum()
    assert num(said[5]) == round(axis_scores(scores, needs, "信息技术能力")[us], 2)


def test_competitor_gaps_usps_and_vulnerabilities() -> None:
    scores, needs, _, us = competitor_inputs()
    margin = 1.0  # usp_margin's default, as the doc says
    assert "(default 1)" in TEXT
    gaps = criterion_gaps(scores, us, needs).set_index("criterion")
    usp = set(unique_selling_points(gaps.reset_index(), margin)["criterion"])
    weak = set(vulnerabilities(gaps.reset_index(), margin)["criterion"])
    rows = example("competitors-gaps")
    assert [r["criterion"] for r in rows] == list(gaps.index)
    for row in rows:
        got = gaps.loc[row["criterion"]]
        assert num(row["importance"]) == got["importance"]
        assert num(row["ours"]) == got["ours"]
        assert row["best rival"] == got["best_competitor"]
        assert num(row["best rival's score"]) == got["best"]
        assert num(row["gap"]) == got["gap"]
        verdict = (
            "USP"
            if row["criterion"] in usp
            else "vulnerability"
            if row["criterion"] in weak
            else "—"
        )
        assert row["verdict"] == verdict
    said = sentence(r"The median importance is ([\d.]+)")
    assert num(said[1]) == needs["importance"].median()


# ---------------------------------------------------------------- 5 account plans


def test_stage_needs_and_names() -> None:
    rows = example("stage-needs")
    columns = {
        "visits per month": "visits_per_month",
        "help per month": "help_per_month",
        "information shared (0–5)": "info_shared",
        "thought of first": "thought_of_first",
        "holiday contact": "holiday_contact",
    }
    assert len(rows) == len(STAGE_NEEDS)
    for row in rows:
        number, zh, en = row["stage"].split(maxsplit=2)
        stage = int(number)
        assert STAGES[zh] == STAGES[en] == number  # the names are spellings the loader accepts
        shown = {
            key: (1 if row[head] == "yes" else num(row[head]))
            for head, key in columns.items()
            if row[head]
        }
        assert shown == STAGE_NEEDS[stage]


def test_screen() -> None:
    rows = example("screen")
    steps = {
        "is it an opportunity": "is_opportunity",
        "competition": "competition",
        "can we win": "can_win",
        "worth winning": "worth_winning",
    }
    frame = pd.DataFrame([{key: num(r[head]) for head, key in steps.items()} for r in rows]).assign(
        opportunity=[r["opportunity"] for r in rows], value=1.0
    )
    screened = screen_opportunities(frame)
    assert list(screened["screen_score"]) == [num(r["mean"]) for r in rows]
    assert ["go" if go else "no-go" for go in screened["go"]] == [r["verdict"] for r in rows]


def test_stage_gap() -> None:
    said = sentence(
        r"An account at stage (\d) \((\S+) \w+\) with (\d+) visits and (\d+) piece of help a "
        r"month, information shared at (\d+), not thought of first, and holiday contact kept"
    )
    account = pd.Series(
        {
            "stage": STAGES[said[2]],
            "visits_per_month": num(said[3]),
            "help_per_month": num(said[4]),
            "info_shared": num(said[5]),
            "thought_of_first": "no",
            "holiday_contact": "yes",
        }
    )
    assert account["stage"] == said[1]
    gap = stage_gap(account)
    keys = {
        "visits per month": "visits_per_month",
        "help per month": "help_per_month",
        "information shared (0–5)": "info_shared",
        "thought of first": "thought_of_first",
    }
    rows = example("stage-gap")
    shown = {
        keys[r["indicator"]]: (1 if r["stage 4 needs"] == "yes" else num(r["stage 4 needs"]))
        for r in rows
    }
    assert shown == gap
    for row in rows:
        now = account[keys[row["indicator"]]]
        assert row["now"] == now if isinstance(now, str) else num(row["now"]) == now


def test_settings_defaults_the_doc_states() -> None:
    from kamlib.analyses.competitors.read import CompetitorSettings
    from kamlib.analyses.segmentation.read import SegmentationSettings

    segmentation, competitors = SegmentationSettings(), CompetitorSettings()
    said = sentence(r"`pyramid` \(default ([\d %,]+)\)")
    assert tuple(num(s) for s in said[1].split(", ")) == segmentation.pyramid
    said = sentence(r"`core_alignment` \(default (\d+)\)")
    assert num(said[1]) == segmentation.core_alignment
    said = sentence(r"`usp_margin` \(default (\d+)\)")
    assert num(said[1]) == competitors.usp_margin


def test_scorecard_sheet_weights() -> None:
    """The sheet prints 18 weights for 13 criteria; the demo takes the first 13 in order."""
    said = sentence(r"It names (\d+) criteria but prints (\d+) weights \(([\d /]+)\)")
    printed = [num(w) for w in said[3].replace("/", " ").split()]
    assert len(printed) == num(said[2])
    rows = example("scorecard")
    assert len(rows) == num(said[1])
    assert printed[: len(rows)] == [num(r["weight"]) for r in rows]

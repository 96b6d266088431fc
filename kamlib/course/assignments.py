"""The five assignments of the course pack: each one's data (a small engagement folder in the
course's language) and its cells, from which :mod:`kamlib.course.build` writes the nbgrader
notebook. Code is the same in both languages (data files are read under fixed column names);
every sentence comes from :mod:`kamlib.course.messages`.

A cell is a tuple: ``("md", text)`` a teaching note, ``("show", code)`` code whose output the
handout keeps (the data), ``("code", code)`` code a student runs, ``("solution", id, code)``
an exercise (nbgrader ``### BEGIN SOLUTION`` markup), ``("test", id, points, code)`` an
autograded test (``### BEGIN HIDDEN TESTS`` where a visible test would give the answer away),
``("toolnote", text)`` and ``("tool", code)`` the same figure computed by kamlib (left out of
the handout).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from kamlib.analyses.accounts.compute import STAGE_NEEDS
from kamlib.core.i18n import Words

Cell = tuple


@dataclass(frozen=True)
class Assignment:
    """One assignment: its folder name, title and goal, data files and cells."""

    name: str
    title: str
    goal: str
    files: dict[str, str]
    cells: list[Cell]


def _csv(rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _yaml(w: Words, extra: str = "") -> str:
    """The assignment folder's engagement.yaml: the course as the engagement."""
    values = {
        "title": w("course_title"),
        "client": w("course_client"),
        "company": w("v_firm_us"),
        "consultant": w("course_trainer"),
    }
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()]
    lines += ["date: 2026-11-20", f"language: {w.language}", "currency: CNY"]
    return "\n".join(lines) + "\n" + extra


def _solution(code: str, debrief: str = "") -> str:
    body = code.strip() + ("\n" + debrief if debrief else "")
    return f"### BEGIN SOLUTION\n{body}\n### END SOLUTION"


def _hidden(visible: str, hidden: str) -> str:
    top = visible.strip() + "\n" if visible.strip() else ""
    return f"{top}### BEGIN HIDDEN TESTS\n{hidden.strip()}\n### END HIDDEN TESTS"


def _tool(imports: str, body: str) -> str:
    """A kamlib cell: the assignment folder as the engagement, then ``body``."""
    return (
        f"import kamlib as kam\n{imports}\n\nkam.setup_notebook()\n"
        f'eng = kam.load_engagement(".")\nw = kam.words(eng)\n{body}'
    )


# 1. industry selection: the course table, as printed (costs pre-signed negative)
INDUSTRY_ROWS = [
    ("v_industry_gov", [9, 7, 7, -3, -3, 9, 7, 9], 42),
    ("v_industry_telecom", [9, 7, 9, -5, -1, 9, 9, 7], 46),
    ("v_industry_education", [9, 5, 5, -5, -3, 7, 5, 9], 32),
    ("v_industry_finance", [9, 3, 9, -9, -7, 9, 7, 7], 28),
]
INDUSTRY_CRITERIA = [
    "v_crit_market",
    "v_crit_growth",
    "v_crit_awareness",
    "v_crit_competition",
    "v_crit_difficulty",
    "v_crit_funding",
    "v_crit_relations",
    "v_crit_policy",
]


def industry(w: Words) -> Assignment:
    header = [w("v_industry"), *(w(c) for c in INDUSTRY_CRITERIA), w("v_total")]
    rows = [[w(name), *scores, total] for name, scores, total in INDUSTRY_ROWS]
    cells = [
        ("md", w("m_industry_intro")),
        ("md", w("c_data")),
        (
            "show",
            'import pandas as pd\n\ntable = pd.read_csv("industries.csv", index_col=0)\n'
            "scores = table.iloc[:, :-1]\nprinted = table.iloc[:, -1]\ntable",
        ),
        ("md", w("m_industry_data")),
        ("md", w("m_industry_q1") + w("c_points", points=2)),
        ("solution", "totals", _solution("totals = scores.sum(axis=1)")),
        (
            "test",
            "test_totals",
            2,
            _hidden(
                "assert list(totals.index) == list(table.index)",
                "assert totals.tolist() == [42, 44, 32, 28]",
            ),
        ),
        ("md", w("m_industry_q2") + w("c_points", points=2)),
        (
            "solution",
            "mismatch",
            _solution(
                "diff = printed - totals\nmismatch = list(diff[diff != 0].index)\n"
                "difference = diff[diff != 0].iloc[0]",
                w("d_industry_q2"),
            ),
        ),
        (
            "test",
            "test_mismatch",
            2,
            _hidden(
                "assert isinstance(mismatch, list)",
                "assert mismatch == [table.index[1]]\nassert difference == 2",
            ),
        ),
        ("md", w("m_industry_q3") + w("c_points", points=2)),
        (
            "solution",
            "threshold",
            _solution(
                "threshold = totals.mean()\n"
                "selected = list(totals[totals >= threshold].sort_values(ascending=False).index)",
                w("d_industry_q3"),
            ),
        ),
        (
            "test",
            "test_threshold",
            2,
            _hidden(
                "assert isinstance(selected, list)",
                "assert threshold == 36.5\nassert selected == [table.index[1], table.index[0]]",
            ),
        ),
        ("toolnote", w("c_tool")),
        (
            "tool",
            _tool(
                "from kamlib.analyses.industry import view",
                'sel = kam.result(eng, "industry_selection")\n'
                "kam.show_table(view.ranking_table(sel, w))\n"
                "kam.show_notes(sel.warnings, w)",
            ),
        ),
    ]
    files = {
        "engagement.yaml": _yaml(w),
        "industries.csv": _csv([header, *rows]),
    }
    return Assignment("industry_selection", w("a_industry"), w("g_industry"), files, cells)


# 2. key-account scorecard: the SKF-style criteria, the first 13 of its printed weights
SCORECARD = [
    ("v_sc_leader", "v_grp_market", 8),
    ("v_sc_tech", "v_grp_market", 8),
    ("v_sc_reputation", "v_grp_market", 8),
    ("v_sc_pilot", "v_grp_market", 8),
    ("v_sc_platform", "v_grp_value", 6),
    ("v_sc_innovation", "v_grp_value", 10),
    ("v_sc_competitors", "v_grp_value", 10),
    ("v_sc_brand", "v_grp_value", 10),
    ("v_sc_upgrade", "v_grp_value", 10),
    ("v_sc_culture", "v_grp_relation", 8),
    ("v_sc_longterm", "v_grp_relation", 8),
    ("v_sc_executive", "v_grp_relation", 8),
    ("v_sc_alignment", "v_grp_alignment", 6),
]
ACCOUNTS = [
    ("v_acc_grid", [9, 8, 9, 7, 8, 9, 8, 9, 8, 7, 9, 8, 9]),  # 898 of 1080
    ("v_acc_motors", [7, 6, 8, 6, 7, 6, 7, 5, 6, 6, 7, 5, 6]),  # 678
    ("v_acc_foods", [5, 4, 6, 5, 4, 5, 6, 4, 5, 8, 6, 4, 7]),  # 570
]


def scorecard(w: Words) -> Assignment:
    names = [w(c) for c, _, _ in SCORECARD]
    scores = [[w("v_account"), *names], *([w(a), *s] for a, s in ACCOUNTS)]
    weights = [
        [w("v_criterion"), w("v_weight"), w("v_group")],
        *([w(c), weight, w(g)] for c, g, weight in SCORECARD),
    ]
    tiers = ", ".join(f'"{w(t)}"' for t in ("v_tier_platinum", "v_tier_gold", "v_tier_silver"))
    cells = [
        ("md", w("m_scorecard_intro")),
        ("md", w("c_data")),
        (
            "show",
            'import pandas as pd\n\nscores = pd.read_csv("account_scorecard.csv", index_col=0)\n'
            'weights = pd.read_csv("scorecard_criteria.csv", index_col=0, header=0, '
            'names=["criterion", "weight", "group"])\n'
            f"tier_names = [{tiers}]\nweights",
        ),
        ("show", "scores"),
        ("md", w("m_scorecard_data")),
        ("md", w("m_scorecard_q1") + w("c_points", points=2)),
        (
            "solution",
            "group_weights",
            _solution(
                'group_weights = weights.groupby("group", sort=False)["weight"].sum()\n'
                'max_total = 10 * weights["weight"].sum()',
                w("d_scorecard_q1"),
            ),
        ),
        (
            "test",
            "test_group_weights",
            2,
            _hidden(
                "assert len(group_weights) == 4",
                "assert group_weights.tolist() == [32, 46, 24, 6]\nassert max_total == 1080",
            ),
        ),
        ("md", w("m_scorecard_q2") + w("c_points", points=3)),
        (
            "solution",
            "totals",
            _solution('totals = (scores[weights.index] * weights["weight"]).sum(axis=1)'),
        ),
        (
            "test",
            "test_totals",
            3,
            _hidden(
                "assert list(totals.index) == list(scores.index)",
                "assert totals.tolist() == [898, 678, 570]",
            ),
        ),
        ("md", w("m_scorecard_q3") + w("c_points", points=2)),
        (
            "solution",
            "tiers",
            _solution(
                "share = totals / max_total\n"
                "tiers = share.map(lambda s: tier_names[0] if s >= 0.8 "
                "else tier_names[1] if s >= 0.6 else tier_names[2])",
                w("d_scorecard_q3"),
            ),
        ),
        (
            "test",
            "test_tiers",
            2,
            _hidden("assert set(tiers) <= set(tier_names)", "assert tiers.tolist() == tier_names"),
        ),
        ("toolnote", w("c_tool")),
        (
            "tool",
            "import kamlib as kam\n\n"
            'criteria = weights.reset_index().assign(direction="benefit")\n'
            "scored = kam.score_alternatives(scores, criteria)\n"
            "scored.groups.assign(total=scored.totals, rank=scored.ranks)",
        ),
    ]
    files = {
        "engagement.yaml": _yaml(w),
        "account_scorecard.csv": _csv(scores),
        "scorecard_criteria.csv": _csv(weights),
    }
    return Assignment("key_account_scorecard", w("a_scorecard"), w("g_scorecard"), files, cells)


# 3. customer segmentation: a ledger whose tiers and shares can be checked by hand
LEDGER = [
    ("C01", "2026-01-15", 400000),
    ("C01", "2026-05-20", 300000),
    ("C01", "2026-09-10", 200000),
    ("C02", "2026-02-03", 320000),
    ("C02", "2026-08-18", 300000),
    ("C03", "2026-03-12", 250000),
    ("C03", "2026-07-07", 200000),
    ("C04", "2026-01-28", 180000),
    ("C04", "2026-06-30", 120000),
    ("C05", "2026-04-02", 120000),
    ("C05", "2026-10-11", 80000),
    ("C06", "2026-02-21", 100000),
    ("C06", "2026-09-01", 50000),
    ("C07", "2026-05-05", 60000),
    ("C07", "2026-10-20", 30000),
    ("C08", "2026-03-30", 70000),
    ("C08", "2026-04-15", -10000),
    ("C09", "2026-06-06", 20000),
    ("C10", "2026-07-19", 6000),
    ("C10", "2026-10-31", 4000),
]
TIERS_YAML = """segmentation:
  period: {start: 2026-01-01, end: 2026-12-31}
  tiers: {A: 500000, B: 200000, C: 50000}
  last_tier: D
  key_accounts: 5
"""


def segmentation(w: Words) -> Assignment:
    ledger = [[w("v_customer_id"), w("v_date"), w("v_amount")], *map(list, LEDGER)]
    cells = [
        ("md", w("m_segmentation_intro")),
        ("md", w("c_data")),
        (
            "show",
            'import pandas as pd\n\nledger = pd.read_csv("transactions.csv", header=0, '
            'names=["customer_id", "date", "amount"], dtype={"customer_id": str})\n'
            'bounds = {"A": 500_000, "B": 200_000, "C": 50_000}\nlast_tier = "D"\nledger',
        ),
        ("md", w("m_segmentation_data")),
        ("md", w("m_segmentation_q1") + w("c_points", points=1)),
        (
            "solution",
            "revenue",
            _solution(
                'revenue = ledger.groupby("customer_id")["amount"].sum()'
                ".sort_values(ascending=False)"
            ),
        ),
        (
            "test",
            "test_revenue",
            1,
            _hidden(
                "assert len(revenue) == 10",
                'assert revenue.index[0] == "C01"\n'
                "assert revenue.tolist() == [900000, 620000, 450000, 300000, 200000, 150000, "
                "90000, 60000, 20000, 10000]",
            ),
        ),
        ("md", w("m_segmentation_q2") + w("c_points", points=3)),
        (
            "solution",
            "tier_table",
            _solution(
                "tier = pd.Series(last_tier, index=revenue.index)\n"
                "for name, lower in sorted(bounds.items(), key=lambda b: b[1]):\n"
                "    tier[revenue >= lower] = name\n"
                "order = [*bounds, last_tier]\n"
                "tier_table = pd.DataFrame(\n"
                '    {"customers": tier.value_counts(), "revenue": revenue.groupby(tier).sum()}\n'
                ").reindex(order)\n"
                'tier_table["customer_share"] = tier_table["customers"] / len(revenue)\n'
                'tier_table["revenue_share"] = tier_table["revenue"] / revenue.sum()\n'
                'tier_table["average"] = tier_table["revenue"] / tier_table["customers"]',
                w("d_segmentation_q2"),
            ),
        ),
        (
            "test",
            "test_tier_table",
            3,
            _hidden(
                'assert tier["C05"] == "B"\nassert list(tier_table.index) == ["A", "B", "C", "D"]',
                'assert tier_table["customers"].tolist() == [2, 3, 3, 2]\n'
                'assert tier_table["revenue"].tolist() == [1520000, 950000, 300000, 30000]\n'
                'assert abs(tier_table.loc["A", "revenue_share"] - 1520000 / 2800000) < 1e-9\n'
                'assert abs(tier_table.loc["B", "customer_share"] - 0.3) < 1e-9\n'
                'assert abs(tier_table.loc["C", "average"] - 100000) < 1e-6',
            ),
        ),
        ("md", w("m_segmentation_q3") + w("c_points", points=1)),
        (
            "solution",
            "top20",
            _solution(
                "top = revenue.head(round(len(revenue) * 0.2))\n"
                "top20_share = top.sum() / revenue.sum()",
                w("d_segmentation_q3"),
            ),
        ),
        (
            "test",
            "test_top20",
            1,
            _hidden("", "assert abs(top20_share - 1520000 / 2800000) < 1e-9"),
        ),
        ("md", w("m_segmentation_q4") + w("c_points", points=3)),
        (
            "show",
            'seed = pd.DataFrame(\n    {"lower": [5_000_000, 3_000_000, 1_000_000, 0], '
            '"customers": [40, 360, 425, 3870],\n     "revenue_share": [0.22, 0.28, 0.23, 0.27]},\n'
            '    index=["A", "B", "C", "D"],\n)\nstated_total = 900_000_000\nseed',
        ),
        (
            "solution",
            "seed_check",
            _solution(
                'floor = seed["customers"] * seed["lower"]\n'
                'implied_total = (floor / seed["revenue_share"]).max()\n'
                "consistent = bool(stated_total >= implied_total)",
                w("d_segmentation_q4"),
            ),
        ),
        (
            "test",
            "test_seed_check",
            3,
            _hidden(
                'assert floor["D"] == 0',
                "assert floor.tolist() == [200_000_000, 1_080_000_000, 425_000_000, 0]\n"
                "assert abs(implied_total - 1_080_000_000 / 0.28) < 1\n"
                "assert consistent is False",
            ),
        ),
        ("toolnote", w("c_tool")),
        (
            "tool",
            _tool(
                "from kamlib.analyses.segmentation import view",
                'seg = kam.result(eng, "customer_segmentation")\n'
                "kam.show_table(view.tier_table(seg, w))\n"
                "kam.show_findings(view.findings(seg, w)[:3])",
            ),
        ),
    ]
    files = {
        "engagement.yaml": _yaml(w, TIERS_YAML),
        "transactions.csv": _csv(ledger),
    }
    return Assignment(
        "customer_segmentation", w("a_segmentation"), w("g_segmentation"), files, cells
    )


# 4. competitor analysis: the IT-consulting landscape, archetypes as fictional firms
FIRMS = [
    ("v_firm_us", [7, 8, 5, 7, 9]),
    ("v_firm_tech", [9, 9, 7, 7, 5]),
    ("v_firm_strategy", [3, 3, 10, 8, 4]),
    ("v_firm_both", [8, 8, 9, 9, 5]),
    ("v_firm_software", [8, 6, 3, 6, 7]),
    ("v_firm_operator", [6, 8, 3, 4, 8]),
]
NEEDS = [
    ("v_cc_software", 9, "v_axis_it"),
    ("v_cc_integration", 8, "v_axis_it"),
    ("v_cc_strategy", 6, "v_axis_consulting"),
    ("v_cc_process", 8, "v_axis_consulting"),
    ("v_cc_local", 8, "v_axis_service"),
]


def competitors(w: Words) -> Assignment:
    criteria = [w(c) for c, _, _ in NEEDS]
    firms = [[w("v_competitor"), *criteria], *([w(f), *s] for f, s in FIRMS)]
    needs = [
        [w("v_criterion"), w("v_importance"), w("v_group")],
        *([w(c), i, w(g)] for c, i, g in NEEDS),
    ]
    axes = f'["{w("v_axis_it")}", "{w("v_axis_consulting")}"]'
    cells = [
        ("md", w("m_competitors_intro")),
        ("md", w("c_data")),
        (
            "show",
            'import pandas as pd\n\nfirms = pd.read_csv("competitors.csv", index_col=0)\n'
            'needs = pd.read_csv("needs.csv", index_col=0)\n'
            "importance = needs.iloc[:, 0]\ngroup = needs.iloc[:, 1]\n"
            f"us = firms.index[0]\naxes = {axes}\nfirms",
        ),
        ("show", "needs"),
        ("md", w("m_competitors_data")),
        ("md", w("m_competitors_q1") + w("c_points", points=2)),
        (
            "solution",
            "competitive",
            _solution(
                "competitive = ((firms[importance.index] * importance).sum(axis=1) "
                "/ importance.sum()).sort_values(ascending=False)"
            ),
        ),
        (
            "test",
            "test_competitive",
            2,
            _hidden(
                "assert len(competitive) == len(firms)",
                "assert list(competitive.index) == [firms.index[i] for i in [3, 1, 0, 4, 5, 2]]\n"
                "assert abs(competitive[us] - 285 / 39) < 1e-9",
            ),
        ),
        ("md", w("m_competitors_q2") + w("c_points", points=3)),
        (
            "solution",
            "usps",
            _solution(
                "gap = firms.loc[us] - firms.drop(index=us).max()\n"
                "valued = importance >= importance.median()\n"
                "usps = [c for c in importance.index if valued[c] and gap[c] >= 1]\n"
                "weaknesses = [c for c in importance.index if valued[c] and gap[c] <= -1]",
                w("d_competitors_q2"),
            ),
        ),
        (
            "test",
            "test_usps",
            3,
            _hidden(
                "assert isinstance(usps, list) and isinstance(weaknesses, list)",
                "assert gap.tolist() == [-2, -1, -5, -2, 1]\n"
                "assert usps == [importance.index[4]]\n"
                "assert weaknesses == [importance.index[i] for i in [0, 1, 3]]",
            ),
        ),
        ("md", w("m_competitors_q3") + w("c_points", points=2)),
        (
            "solution",
            "axes",
            _solution(
                "on_it, on_consulting = group == axes[0], group == axes[1]\n"
                "it = (firms[importance.index[on_it]] * importance[on_it]).sum(axis=1) "
                "/ importance[on_it].sum()\n"
                "consulting = (firms[importance.index[on_consulting]] * importance[on_consulting])"
                ".sum(axis=1) / importance[on_consulting].sum()\n"
                "both = [f for f in firms.index if it[f] >= 7 and consulting[f] >= 7]",
                w("d_competitors_q3"),
            ),
        ),
        (
            "test",
            "test_axes",
            2,
            _hidden(
                "assert list(it.index) == list(firms.index)",
                "assert [round(v, 2) for v in it] == [7.47, 9.0, 3.0, 8.0, 7.06, 6.94]\n"
                "assert [round(v, 2) for v in consulting] == [6.14, 7.0, 8.86, 9.0, 4.71, 3.57]\n"
                "assert both == [firms.index[1], firms.index[3]]",
            ),
        ),
        ("toolnote", w("c_tool")),
        (
            "tool",
            _tool(
                "from kamlib.analyses.competitors import charts, view",
                'ca = kam.result(eng, "competitor_analysis")\n'
                "kam.show_table(view.scores_table(ca, w))\n"
                "kam.show_table(view.usp_table(ca, w))\n"
                "kam.show_table(view.vulnerabilities_table(ca, w))\n"
                "charts.plot_positioning_map(ca, w);",
            ),
        ),
    ]
    extra = f"competitors:\n  axes: {axes}\n  usp_margin: 1\n  scale: [1, 10]\n"
    files = {
        "engagement.yaml": _yaml(w, extra),
        "competitors.csv": _csv(firms),
        "needs.csv": _csv(needs),
    }
    return Assignment("competitor_analysis", w("a_competitors"), w("g_competitors"), files, cells)


# 5. account plan
ROLE_VALUES = ("v_role_decision_maker", "v_role_technical", "v_role_user", "v_role_coach")
OBJECTIONS = ("obj_no_need", "obj_no_trust", "obj_no_budget", "obj_no_hurry")
RESPONSES = ("resp_no_trust", "resp_no_hurry", "resp_no_need", "resp_no_budget")  # A–D
INDICATORS = (
    "ind_visits_per_month",
    "ind_help_per_month",
    "ind_info_shared",
    "ind_thought_of_first",
    "ind_holiday_contact",
)
STAGES = ("stage_1", "stage_2", "stage_3", "stage_4", "stage_5")


def _stage_table(w: Words) -> str:
    keys = list(STAGE_NEEDS[5])
    head = f"| {w('m_stage')} | " + " | ".join(f"{w(i)} (`{k}`)" for i, k in zip(INDICATORS, keys))
    lines = [head + " |", "|---" * (len(keys) + 1) + "|"]
    for stage, name in zip(range(1, 6), STAGES):
        values = " | ".join(str(STAGE_NEEDS[stage].get(k, 0)) for k in keys)
        lines.append(f"| {stage} {w(name)} | {values} |")
    return "\n".join(lines)


def accounts(w: Words) -> Assignment:
    roles = [w(r) for r in ROLE_VALUES]
    people = [
        ("v_p_zhang", "v_t_gm", 0, 2, 10, "2026-10-15"),
        ("v_p_li", "v_t_architect", 1, -2, 8, "2026-11-01"),
        ("v_p_wang", "v_t_cio", 1, 3, 5, "2026-11-10"),
        ("v_p_zhao", "v_t_ops", 2, 4, 4, "2026-07-01"),
    ]
    contacts = [
        [
            w(k)
            for k in (
                "v_customer_id",
                "v_person",
                "v_title",
                "v_role",
                "v_attitude",
                "v_influence",
                "v_last_contact",
            )
        ],
        *(["C01", w(p), w(t), roles[r], a, i, d] for p, t, r, a, i, d in people),
    ]
    opportunities = [
        [
            w(k)
            for k in (
                "v_customer_id",
                "v_opportunity",
                "v_value",
                "v_is_opportunity",
                "v_competition",
                "v_can_win",
                "v_worth_winning",
                "v_objection",
            )
        ],
        ["C01", w("v_opp_platform"), 1800000, 5, 4, 4, 4, w("v_obj_no_budget")],
        ["C01", w("v_opp_outsourcing"), 900000, 4, 2, 4, 5, ""],
        ["C01", w("v_opp_training"), 150000, 3, 4, 3, 3, w("v_obj_no_hurry")],
    ]
    relationships = [
        [
            w(k)
            for k in (
                "v_customer_id",
                "v_stage",
                "v_visits",
                "v_help",
                "v_info",
                "v_first",
                "v_holiday",
                "v_owner_dev",
                "v_owner_main",
            )
        ],
        ["C01", 2, 2, 0, 1, w("v_no"), w("v_no"), w("v_owner_a"), w("v_owner_b")],
    ]
    customers = [[w("v_customer_id"), w("v_name")], ["C01", w("v_customer_name")]]
    ledger = [
        [w("v_customer_id"), w("v_date"), w("v_amount")],
        ["C01", "2026-03-18", 1200000],
        ["C01", "2026-09-02", 800000],
    ]
    role_list = ", ".join(f'"{r}"' for r in roles)
    question3 = w(
        "m_accounts_q3",
        **{f"o{n}": w(o) for n, o in enumerate(OBJECTIONS, start=1)},
        **{f"r{c}": w(r) for c, r in zip("abcd", RESPONSES)},
    )
    cells = [
        ("md", w("m_accounts_intro")),
        ("md", w("c_data")),
        (
            "show",
            "import pandas as pd\n\n"
            'opportunities = pd.read_csv("opportunities.csv", header=0, index_col="opportunity", '
            'names=["customer_id", "opportunity", "value", "is_opportunity", "competition", '
            '"can_win", "worth_winning", "objection"])\nopportunities',
        ),
        (
            "show",
            'contacts = pd.read_csv("contacts.csv", header=0, names=["customer_id", "name", '
            '"title", "role", "attitude", "influence", "last_contact"], '
            'parse_dates=["last_contact"])\n'
            f'roles = [{role_list}]\ntoday = pd.Timestamp("2026-11-20")\ncontacts',
        ),
        (
            "show",
            'relationship = pd.read_csv("relationships.csv", header=0, names=["customer_id", '
            '"stage", "visits_per_month", "help_per_month", "info_shared", "thought_of_first", '
            '"holiday_contact", "owner_development", "owner_maintenance"]).iloc[0]\n'
            "relationship.to_frame()",
        ),
        ("md", w("m_accounts_data")),
        ("md", w("m_accounts_q1") + w("c_points", points=2)),
        (
            "solution",
            "go",
            _solution(
                'steps = opportunities[["is_opportunity", "competition", "can_win", '
                '"worth_winning"]]\ngo = (steps > 2).all(axis=1) & (steps.mean(axis=1) >= 3.5)',
                w("d_accounts_q1"),
            ),
        ),
        (
            "test",
            "test_go",
            2,
            _hidden(
                "assert list(go.index) == list(opportunities.index)",
                "assert go.tolist() == [True, False, False]",
            ),
        ),
        ("md", w("m_accounts_q2") + w("c_points", points=3)),
        (
            "solution",
            "red_flags",
            _solution(
                'recent = (today - contacts["last_contact"]).dt.days <= 90\n'
                'missing = [r for r in roles if not (contacts["role"] == r).any()]\n'
                "not_met = [\n"
                '    r for r in roles if (contacts["role"] == r).any() '
                'and not recent[contacts["role"] == r].any()\n]\n'
                'weighty = (contacts["role"] == roles[0]) | (contacts["influence"] >= 7)\n'
                'against = list(contacts.loc[(contacts["attitude"] < 0) & weighty, "name"])',
                w("d_accounts_q2"),
            ),
        ),
        (
            "test",
            "test_red_flags",
            3,
            _hidden(
                "assert isinstance(missing, list) and isinstance(not_met, list)",
                "assert missing == [roles[3]]\nassert not_met == [roles[2]]\n"
                'assert against == [contacts["name"][1]]',
            ),
        ),
        ("md", question3 + w("c_points", points=2)),
        (
            "solution",
            "responses",
            _solution('responses = {1: "C", 2: "A", 3: "D", 4: "B"}', w("d_accounts_q3")),
        ),
        (
            "test",
            "test_responses",
            2,
            _hidden(
                "assert sorted(responses) == [1, 2, 3, 4]",
                'assert responses == {1: "C", 2: "A", 3: "D", 4: "B"}',
            ),
        ),
        ("md", w("m_accounts_q4", table=_stage_table(w)) + w("c_points", points=2)),
        ("code", "from kamlib.analyses.accounts.compute import STAGE_NEEDS"),
        (
            "solution",
            "stage",
            _solution(
                'next_stage = int(relationship["stage"]) + 1\n'
                "current = relationship.replace({'" + w("v_no") + "': 0})\n"
                "gap = {k: v for k, v in STAGE_NEEDS[next_stage].items() if current[k] < v}",
                w("d_accounts_q4"),
            ),
        ),
        (
            "test",
            "test_stage",
            2,
            _hidden(
                "assert isinstance(gap, dict)",
                'assert next_stage == 3\nassert gap == {"help_per_month": 1, "info_shared": 2}',
            ),
        ),
        ("toolnote", w("c_tool")),
        (
            "tool",
            _tool(
                "from kamlib.analyses.accounts import view",
                'plan = kam.result(eng, "account_plans").plans["C01"]\n'
                "kam.show_table(view.screen_table(plan, w))\n"
                "kam.show_table(view.flags_table(plan, w))\n"
                "kam.show_table(view.objections_table(plan, w))\n"
                "kam.show_table(view.relationship_table(plan, w))",
            ),
        ),
    ]
    files = {
        "engagement.yaml": _yaml(w),
        "transactions.csv": _csv(ledger),
        "customers.csv": _csv(customers),
        "contacts.csv": _csv(contacts),
        "opportunities.csv": _csv(opportunities),
        "relationships.csv": _csv(relationships),
    }
    return Assignment("account_plan", w("a_accounts"), w("g_accounts"), files, cells)


ASSIGNMENTS: list[Callable[[Words], Assignment]] = [
    industry,
    scorecard,
    segmentation,
    competitors,
    accounts,
]

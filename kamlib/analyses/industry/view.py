"""Industry selection: what the report shows. Text is made here, from the result's values."""

from __future__ import annotations

import pandas as pd

from kamlib.analyses.industry.compute import IndustrySelection
from kamlib.core.i18n import Words
from kamlib.core.native import NativeChart, bars
from kamlib.core.notes import notes_json
from kamlib.core.table import Table, table

THRESHOLD_WORDS = {"mean": "threshold_mean", "number": "threshold_number", "top": "threshold_top"}


def describe_threshold(sel: IndustrySelection, w: Words) -> str:
    """The threshold as a phrase: ``平均分 29.1`` / ``the mean total, 29.1``."""
    return w(THRESHOLD_WORDS[sel.rule.kind], k=int(sel.rule.value or 0), value=sel.threshold)


def findings(sel: IndustrySelection, w: Words) -> list[str]:
    """The findings as sentences computed from the result, most important first."""
    tab = sel.table
    chosen = tab.loc[tab["selected"]]
    names = [w.paren(r.industry, w.number(r.total)) for r in chosen.itertuples()]
    found = [
        w.said(
            "f_selected",
            n=len(tab),
            k=len(chosen),
            threshold=describe_threshold(sel, w),
            names=names,
        )
    ]
    leaders = tab.loc[tab["rank"].eq(1), "industry"].tolist()
    if len(leaders) > 1:
        found.append(w.said("f_tie", names=leaders, total=tab["total"].iloc[0]))
    elif len(tab) > 1:
        leader, second = tab.iloc[0], tab.iloc[1]
        lead = sel.contributions.loc[leader["industry"]] - sel.contributions.mean()
        drivers = lead.sort_values(ascending=False).index[:2].tolist()
        found.append(
            w.said(
                "f_leader",
                leader=leader["industry"],
                total=leader["total"],
                second=second["industry"],
                gap=leader["total"] - second["total"],
                drivers=[sel.label(d) for d in drivers],
            )
        )
    means = sel.contributions.mean()
    if (means < 0).any():
        worst = means.idxmin()
        found.append(w.said("f_drag", criterion=sel.label(worst), value=means[worst]))
    if sel.ahp is not None:
        verdict = w("ahp_ok" if sel.ahp.consistent else "ahp_bad")
        found.append(w.said("f_ahp", cr=sel.ahp.cr, verdict=verdict))
    if sel.robustness is not None:
        summary = sel.robustness.summary
        fragile = summary.loc[summary["same_decision"].lt(1)].sort_values("same_decision")
        common = {"pct": sel.robustness.perturbation, "samples": sel.robustness.samples}
        if fragile.empty:
            found.append(w.said("f_robust_all", **common))
        else:
            items = [
                w("f_fragile_item", name=name, share=row.selected_share)
                for name, row in fragile.iterrows()
            ]
            found.append(
                w.said("f_robust", **common, stable=len(summary) - len(fragile), fragile=items)
            )
    if len(sel.mismatches):
        names = list(sel.mismatches.index)
        found.append(w.said("f_mismatch", names=names, n=len(names)))
    return found


def results(sel: IndustrySelection, w: Words) -> dict:
    """The ``industry_selection`` entry of results.json."""
    rows = [
        {
            "industry": str(r.industry),
            "total": float(r.total),
            "rank": int(r.rank),
            "selected": bool(r.selected),
            "provided_total": None if pd.isna(r.provided_total) else float(r.provided_total),
        }
        for r in sel.table.itertuples(index=False)
    ]
    return {
        "threshold": float(sel.threshold),
        "industries": rows,
        "warnings": notes_json(sel.warnings, w),
    }


def ranking_table(sel: IndustrySelection, w: Words) -> Table:
    """The ranked industries: scores, total, ★ for selected, and the supplied total if any
    (not beside AHP totals, which are on another scale: it is checked all the same)."""
    spec = [("rank", w("rank"), "int"), ("industry", w("industry"))]
    spec += [(c, sel.label(c), "num") for c in sel.criteria["criterion"]]
    spec += [("total", w("total"), "num"), ("selected", w("selected"), "star")]
    if sel.ahp is None and sel.table["provided_total"].notna().any():
        spec.append(("provided_total", w("provided_total"), "num"))
    if "note" in sel.table and sel.table["note"].ne("").any():  # the data's own notes
        spec.append(("note", w("remark")))
    decisive = ("rank", "industry", "total", "selected")
    return table(sel.table, spec, w, name="ranking", keep=decisive)


DIRECTION_WORDS = {"benefit": "benefit", "cost": "cost"}


def criteria_table(sel: IndustrySelection, w: Words) -> Table:
    """The criteria with their weight, direction and group."""
    c = sel.criteria.assign(
        criterion=[sel.label(n) for n in sel.criteria["criterion"]],
        direction_text=sel.criteria["direction"].map(lambda d: w(DIRECTION_WORDS[d])),
    )
    spec = [
        ("criterion", w("criterion")),
        ("weight", w("weight"), "num3"),
        ("direction_text", w("direction")),
    ]
    if c["group"].ne("").any():
        spec.append(("group", w("group")))
    return table(c, spec, w, name="criteria")


def robustness_table(sel: IndustrySelection, w: Words) -> Table:
    """Per industry: how often it is selected and keeps its decision and rank."""
    spec = [
        ("industry", w("industry")),
        ("rank", w("rank"), "int"),
        ("selected_share", w("selected_share"), "pct"),
        ("same_decision", w("same_decision"), "pct"),
        ("same_rank", w("same_rank"), "pct"),
        ("rank_range", w("rank_range"), "range"),
        ("oat_stable", w("oat_stable"), "pct"),
    ]
    if sel.robustness is None:
        return table(pd.DataFrame(columns=[k for k, *_ in spec]), spec, w, name="robustness")
    s = sel.robustness.summary.loc[sel.table["industry"]]
    frame = pd.DataFrame(
        {
            "industry": s.index,
            "rank": sel.table["rank"].to_numpy(),
            "selected_share": s["selected_share"].to_numpy(),
            "same_decision": s["same_decision"].to_numpy(),
            "same_rank": s["same_rank"].to_numpy(),
            "rank_range": list(zip(s["rank_min"].astype(int), s["rank_max"].astype(int))),
            "oat_stable": s["oat_stable"].to_numpy(),
        }
    )
    return table(frame, spec, w, name="robustness")


def sensitivity_table(sel: IndustrySelection, w: Words) -> Table:
    """One-at-a-time scenarios that change something: which industries change decision or rank."""
    spec = [
        ("scenario", w("scenario")),
        ("selection_changed", w("selection_changed"), "list"),
        ("rank_changed", w("rank_changed"), "list"),
    ]
    empty = w("oat_none")
    if sel.robustness is None:
        frame = pd.DataFrame(columns=[k for k, *_ in spec])
        return table(frame, spec, w, empty=empty, name="sensitivity")
    oat = sel.robustness.one_at_a_time
    moved = oat.loc[oat["selection_changed"].map(len).gt(0) | oat["rank_changed"].map(len).gt(0)]
    frame = pd.DataFrame(
        {
            "scenario": [
                f"{sel.label(r.criterion)} {'+' if r.change > 0 else '−'}{w.percent(abs(r.change))}"
                for r in moved.itertuples()
            ],
            "selection_changed": [list(v) for v in moved["selection_changed"]],
            "rank_changed": [list(v) for v in moved["rank_changed"]],
        }
    )
    return table(frame, spec, w, empty=empty, name="sensitivity")


def ahp_summary(sel: IndustrySelection, w: Words) -> str:
    """λmax, CI and CR of the AHP weights, or that the weights were direct."""
    if sel.ahp is None:
        return w("ahp_none")
    a = sel.ahp
    return w("ahp_stats", lmax=a.lambda_max, ci=a.ci, cr=a.cr)


def ahp_table(sel: IndustrySelection, w: Words) -> Table:
    """The AHP pairwise matrix with the derived weights; no rows when the weights were direct."""
    summary = ahp_summary(sel, w)
    if sel.ahp is None:
        return table(
            pd.DataFrame({"criterion": []}),
            [("criterion", w("criterion"))],
            w,
            empty=summary,
            name="ahp",
        )
    matrix = sel.ahp.matrix.copy()
    names = list(matrix.columns)
    matrix.columns = [f"c{i}" for i in range(len(names))]
    matrix["weight"] = sel.ahp.weights.to_numpy()
    matrix.index = [sel.label(n) for n in matrix.index]
    frame = matrix.rename_axis("criterion").reset_index()
    spec = [("criterion", w("criterion"))]
    spec += [(f"c{i}", sel.label(name), "num2") for i, name in enumerate(names)]
    spec.append(("weight", w("ahp_weight"), "pct"))
    return table(frame, spec, w, caption=summary, empty=summary, name="ahp")


def native_robustness(sel: IndustrySelection, w: Words) -> NativeChart | None:
    """The robustness chart as the deck draws it itself (none without the analysis)."""
    if sel.robustness is None:
        return None
    summary = sel.robustness.summary.loc[sel.table["industry"]]
    return bars(
        w("c_robust", pct=sel.robustness.perturbation),
        summary.index,
        (w("selected_share"), summary["selected_share"], "#2a6f97"),
        (w("same_rank"), summary["same_rank"], "#a9d6e5"),
        axis_title=w("c_robust_x"),
    )

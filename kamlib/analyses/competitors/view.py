"""Competitor analysis: what the report shows. Text is made here, from the result's values."""

from __future__ import annotations

import pandas as pd

from kamlib.analyses.competitors.compute import CompetitorAnalysis
from kamlib.core.i18n import Words
from kamlib.core.native import NativeChart, bars
from kamlib.core.notes import notes_json
from kamlib.core.table import Table, table

WALLET_ROWS = 20
"""Accounts in the wallet table (largest whitespace first)."""


def findings(ca: CompetitorAnalysis, w: Words) -> list[str]:
    """The findings as sentences computed from the result, most important first."""
    tab = ca.table
    ours = tab.loc[tab["competitor"] == ca.us].iloc[0]
    leader = tab.iloc[0]
    found = []
    others = tab.loc[tab["competitor"] != ca.us]
    tied = others.loc[others["rank"] == ours["rank"], "competitor"].tolist()
    if int(ours["rank"]) == 1 and tied:
        found.append(w.said("f_we_tie", us=ca.us, others=tied, n=len(tab), score=ours["score"]))
    elif int(ours["rank"]) == 1:
        runner = others.iloc[0]
        found.append(
            w.said(
                "f_we_lead",
                us=ca.us,
                score=ours["score"],
                n=len(tab),
                second=runner["competitor"],
                gap=ours["score"] - runner["score"],
            )
        )
    else:
        found.append(
            w.said(
                "f_we_rank",
                us=ca.us,
                rank=int(ours["rank"]),
                n=len(tab),
                score=ours["score"],
                leader=leader["competitor"],
                gap=leader["score"] - ours["score"],
            )
        )
    if len(ca.usp):
        items = [
            w("f_usp_item", criterion=ca.label(r.criterion), gap=r.gap) for r in ca.usp.itertuples()
        ]
        found.append(w.said("f_usp", items=items))
    else:
        found.append(w.said("f_no_usp"))
    if len(ca.vulnerabilities):
        items = [
            w(
                "f_vulnerable_item",
                criterion=ca.label(r.criterion),
                rival=r.best_competitor,
                lead=-r.gap,
            )
            for r in ca.vulnerabilities.itertuples()
        ]
        found.append(w.said("f_vulnerable", items=items))
    focus = ca.key_wallets()
    if focus is not None and len(focus):
        keyed = "key_account" in focus and bool(focus["key_account"].any())
        top = focus.iloc[0]
        found.append(
            w.said(
                "f_wallet" if keyed else "f_wallet_all",
                share=focus["our_revenue"].sum() / focus["total_spend"].sum(),
                n=len(focus),
                whitespace=focus["whitespace"].sum(),
                top=top["name"] or top.name,
                top_ws=top["whitespace"],
            )
        )
    return found


def results(ca: CompetitorAnalysis, w: Words) -> dict:
    """The ``competitor_analysis`` entry of results.json."""
    return {
        "competitors": [
            {"competitor": str(r.competitor), "score": float(r.score), "rank": int(r.rank)}
            for r in ca.table.itertuples()
        ],
        "usp": [str(c) for c in ca.usp["criterion"]],
        "vulnerabilities": [str(c) for c in ca.vulnerabilities["criterion"]],
        "warnings": notes_json(ca.warnings, w),
    }


def scores_table(ca: CompetitorAnalysis, w: Words) -> Table:
    """Every firm's rank, its score on each needed criterion and its competitive score."""
    order = ca.table["competitor"]
    criteria = list(ca.scores.columns)
    frame = pd.DataFrame(
        {
            "rank": ca.table["rank"].to_numpy(),
            "competitor": order.to_numpy(),
            **{f"c{i}": ca.scores.loc[order, c].to_numpy() for i, c in enumerate(criteria)},
            "score": ca.table["score"].to_numpy(),
        }
    )
    spec = [("rank", w("rank"), "int"), ("competitor", w("competitor"))]
    spec += [(f"c{i}", ca.label(c), "num") for i, c in enumerate(criteria)]
    spec.append(("score", w("comp_score"), "num2"))
    if ca.remarks is not None and ca.remarks.ne("").any():  # the data's own notes
        frame["note"] = ca.remarks.reindex(order).fillna("").to_numpy()
        spec.append(("note", w("remark")))
    return table(frame, spec, w, name="scores", keep=("rank", "competitor", "score"))


def _gaps(
    ca: CompetitorAnalysis,
    rows: pd.DataFrame,
    w: Words,
    *,
    caption: str = "",
    empty: str = "",
    name: str,
) -> Table:
    rows = rows.assign(criterion=[ca.label(c) for c in rows["criterion"]])
    spec = [
        ("criterion", w("criterion")),
        ("importance", w("importance"), "num"),
        ("ours", w("ours"), "num"),
        ("best_competitor", w("best_competitor")),
        ("best", w("best"), "num"),
        ("gap", w("gap"), "signed"),
    ]
    return table(rows, spec, w, caption=caption, empty=empty, name=name)


def gaps_table(ca: CompetitorAnalysis, w: Words) -> Table:
    """Per criterion: its importance, our score, the strongest rival and its score, the gap."""
    return _gaps(ca, ca.gaps, w, name="gaps")


def usp_table(ca: CompetitorAnalysis, w: Words) -> Table:
    """The unique selling points, as rows of the gaps table."""
    return _gaps(ca, ca.usp, w, caption=w("usp_title"), empty=w("no_usp"), name="usp")


def vulnerabilities_table(ca: CompetitorAnalysis, w: Words) -> Table:
    """The vulnerabilities, as rows of the gaps table."""
    return _gaps(
        ca,
        ca.vulnerabilities,
        w,
        caption=w("vulnerability_title"),
        empty=w("no_vulnerability"),
        name="vulnerabilities",
    )


def wallet_table(ca: CompetitorAnalysis, w: Words, rows: int | None = WALLET_ROWS) -> Table:
    """The key accounts (or every account when there are none) by whitespace, largest first:
    total spend, our revenue, share of wallet, whitespace and the main rival with its share.
    No rows, and the line that says so, without wallet data."""
    spec = [
        ("customer", w("customer")),
        ("total_spend", w("total_spend"), "money"),
        ("our_revenue", w("our_revenue"), "money"),
        ("share", w("share_of_wallet"), "pct1"),
        ("whitespace", w("whitespace"), "money"),
    ]
    focus = ca.key_wallets()
    if focus is None:
        frame = pd.DataFrame(columns=[key for key, *_ in spec])
        return table(frame, spec, w, empty=w("no_wallet"), name="wallet", leave_out=True)
    focus = focus.head(rows)
    frame = pd.DataFrame(
        {
            "customer_id": focus.index,
            "name": focus["name"].to_numpy(),
            "customer": [w.named(name, cid) for cid, name in zip(focus.index, focus["name"])],
            "total_spend": focus["total_spend"].to_numpy(),
            "our_revenue": focus["our_revenue"].to_numpy(),
            "share": focus["share"].to_numpy(),
            "whitespace": focus["whitespace"].to_numpy(),
        }
    )
    rivals = [c for c in focus.columns if c.startswith("share:")]
    if rivals:
        shares = focus[rivals].fillna(0)
        best = shares.max(axis=1).to_numpy()
        named = shares.idxmax(axis=1).str.split(":", n=1).str[1].to_numpy()
        # a rival with no share at the account is no rival there: the cell shows the dash
        frame["main_rival"] = [name if v > 0 else None for name, v in zip(named, best)]
        frame["main_rival_share"] = [v if v > 0 else float("nan") for v in best]
        frame["main_rival_text"] = [
            w.paren(name, w.percent(v)) if v > 0 else None for name, v in zip(named, best)
        ]
        spec.append(("main_rival_text", w("main_rival")))
    sums = ("total_spend", "our_revenue", "whitespace")
    source = w("wallet_from_ledger" if ca.revenue_from_ledger else "wallet_from_data")
    return table(frame, spec, w, caption=source, empty=w("no_wallet"), name="wallet", totals=sums)


def native_wallet(ca: CompetitorAnalysis, w: Words, n: int = 15) -> NativeChart | None:
    """The wallet chart as the deck draws it itself: our revenue and the whitespace stacked per
    account, largest whitespace first, in the money axis' unit (none without wallet data)."""
    focus = ca.key_wallets()
    if focus is None or not len(focus):
        return None
    data = focus.head(n)
    unit, axis = w.money_axis()
    names = [name or cid for cid, name in zip(data.index, data["name"])]
    return bars(
        w("c_wallet"),
        names,
        (w("our_revenue"), data["our_revenue"] / unit, "#1d4e89"),
        (w("whitespace"), data["whitespace"] / unit, "#a9d6e5"),
        number_format="#,##0.0",
        stacked=True,
        axis_title=axis,
        labels=False,
    )


def native_gaps(ca: CompetitorAnalysis, w: Words) -> NativeChart:
    """The gap chart as the deck draws it itself: our gap to the strongest rival per criterion,
    the most important first, green where we lead and red where we trail; the rival and the
    criterion's importance beside its name."""
    gaps = ca.gaps.sort_values("importance", kind="stable").iloc[::-1]  # as the picture, top down
    names = [
        w.paren(ca.label(r.criterion), f"{w.number(r.importance)} · {r.best_competitor}")
        for r in gaps.itertuples()
    ]
    colours = ["#2a9d8f" if g > 0 else "#e76f51" if g < 0 else "#999999" for g in gaps["gap"]]
    whole = all(float(g).is_integer() for g in gaps["gap"])
    return bars(
        w("c_gaps"),
        names,
        (w("gap"), gaps["gap"], "#999999", colours),
        number_format="+0;-0;0" if whole else "+0.0;-0.0;0",
    )

"""What the segmentation report shows: tables with headers in the report's language, formatted
numbers, and findings stated as sentences computed from a
:class:`~kamlib.analyses.segmentation.compute.Segmentation`.
"""

from __future__ import annotations

import math

import pandas as pd

from kamlib.analyses.segmentation.compute import Segmentation
from kamlib.core.i18n import fmt_money, fmt_number, fmt_percent, join_names, t


def _money(seg: Segmentation, value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return fmt_money(value, seg.language, seg.currency)


def _pct(value: float) -> str:
    return (
        "—"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else fmt_percent(value, 1)
    )


def _label(seg: Segmentation, customer: str) -> str:
    name = seg.indicators.at[customer, "name"] if customer in seg.indicators.index else ""
    return (
        f"{name}（{customer}）"
        if name and seg.language == "zh"
        else f"{name} ({customer})"
        if name
        else str(customer)
    )


def describe_findings(seg: Segmentation) -> list[str]:
    """The segmentation's findings as sentences, most important first."""
    lang = seg.language
    period = t("period_text", lang, start=seg.period.start, end=seg.period.end)
    found = [
        t(
            "f_overview",
            lang,
            period=period,
            customers=fmt_number(seg.customers),
            revenue=_money(seg, seg.revenue),
        ),
        t(
            "f_pareto",
            lang,
            top20=_pct(seg.tops["top_20pct"]),
            top5=_pct(seg.tops["top_5pct"]),
            top1=_pct(seg.tops["top_1pct"]),
        ),
    ]
    table = seg.tier_table
    top, last = table.iloc[0], table.iloc[-1]
    found.append(
        t(
            "f_top_tier",
            lang,
            tier=top["tier"],
            count=fmt_number(top["customers"]),
            cshare=_pct(top["customer_share"]),
            rshare=_pct(top["revenue_share"]),
            last=last["tier"],
            lshare=_pct(last["customer_share"]),
            lrshare=_pct(last["revenue_share"]),
        )
    )
    keys = seg.key_accounts
    share = keys["revenue"].sum() / seg.revenue if seg.revenue else 0.0
    kinds = keys["kind"].value_counts() if "kind" in keys else pd.Series(dtype=int)
    core = (
        t("f_core", lang, core=int(kinds.get("core", 0)), important=int(kinds.get("important", 0)))
        if kinds.get("core", 0) or kinds.get("important", 0)
        else ""
    )
    found.append(t("f_keys", lang, n=len(keys), share=_pct(share), core=core))
    if len(seg.excluded):
        names = [_label(seg, c) for c in seg.excluded.index[:3]]
        found.append(t("f_excluded", lang, n=len(seg.excluded), names=join_names(names, lang)))
    m = seg.migration
    order = list(m.index[:-1])
    none = m.index[-1]
    up = sum(int(m.loc[a, b]) for i, a in enumerate(order) for b in order[:i])
    down = sum(int(m.loc[a, b]) for i, a in enumerate(order) for b in order[i + 1 :])
    found.append(
        t(
            "f_migration",
            lang,
            up=up,
            down=down,
            new=int(m.loc[none].sum()),
            lost=int(m[none].sum()),
        )
    )
    if seg.composition is not None and len(seg.composition):
        c = seg.composition.iloc[0]
        found.append(
            t(
                "f_concentration",
                lang,
                segment=c["segment"],
                share=_pct(c["share"]),
                top=_pct(c["top_customer_share"]),
                hhi=fmt_number(round(c["hhi"])),
            )
        )
    at_risk = seg.rfm.index[seg.rfm["segment"] == "at_risk"]
    if len(at_risk):
        found.append(
            t(
                "f_at_risk",
                lang,
                n=len(at_risk),
                revenue=_money(seg, seg.indicators.loc[at_risk, "revenue"].sum()),
            )
        )
    return found


def bounds_text(seg: Segmentation, lower: float | None, upper: float | None) -> str:
    lang = seg.language
    if lower is None or (isinstance(lower, float) and math.isnan(lower)):
        return t("below", lang, value=_money(seg, upper))
    if upper is None or (isinstance(upper, float) and math.isnan(upper)):
        return t("at_least", lang, value=_money(seg, lower))
    return t("between", lang, low=_money(seg, lower), high=_money(seg, upper))


def tier_view(seg: Segmentation) -> pd.DataFrame:
    """The seed-003 tier table: tier, bounds, customers, share of customers, revenue, share of
    revenue, average revenue per customer."""
    lang, tt = seg.language, seg.tier_table
    return pd.DataFrame(
        {
            t("tier", lang): tt["tier"],
            t("bounds", lang): [
                bounds_text(seg, lo, hi) for lo, hi in zip(tt["lower"], tt["upper"])
            ],
            t("customers", lang): tt["customers"].map(fmt_number),
            t("customer_share", lang): tt["customer_share"].map(_pct),
            t("revenue", lang): tt["revenue"].map(lambda v: _money(seg, v)),
            t("revenue_share", lang): tt["revenue_share"].map(_pct),
            t("average_revenue", lang): tt["average_revenue"].map(lambda v: _money(seg, v)),
        }
    )


def abc_view(seg: Segmentation) -> pd.DataFrame:
    """ABC classes on the Pareto curve: A up to 80 % of revenue, B up to 95 %, C the rest."""
    lang, ind = seg.language, seg.indicators.loc[seg.indicators["active"]]
    rows = []
    for name in ("A", "B", "C"):
        members = ind.loc[ind["abc"] == name]
        rows.append(
            {
                "ABC": name,
                t("customers", lang): fmt_number(len(members)),
                t("customer_share", lang): _pct(len(members) / len(ind)),
                t("revenue", lang): _money(seg, members["revenue"].sum()),
                t("revenue_share", lang): _pct(members["revenue"].sum() / seg.revenue),
            }
        )
    return pd.DataFrame(rows)


def ranking_view(seg: Segmentation, indicator: str = "revenue", n: int = 10) -> pd.DataFrame:
    """Single-indicator ranking: the top ``n`` customers by ``indicator``."""
    lang = seg.language
    ind = seg.indicators.loc[seg.indicators["active"]]
    top = ind[indicator].dropna().sort_values(ascending=False, kind="stable").head(n)
    money = indicator in ("revenue", "profit", "largest_order", "average_order")
    return pd.DataFrame(
        {
            t("rank", lang): range(1, len(top) + 1),
            t("customer", lang): [_label(seg, c) for c in top.index],
            t(indicator, lang): [_money(seg, v) if money else fmt_number(v, 1) for v in top],
            t("tier", lang): ind.loc[top.index, "tier"].to_numpy(),
        }
    )


def indicators_view(seg: Segmentation, n: int = 15) -> pd.DataFrame:
    """Indicator families (transaction and financial) of the ``n`` largest customers."""
    lang = seg.language
    ind = seg.indicators.loc[seg.indicators["active"]].sort_values("revenue", ascending=False)
    ind = ind.head(n)
    columns = {
        "revenue": lambda v: _money(seg, v),
        "profit": lambda v: _money(seg, v),
        "margin": _pct,
        "orders": fmt_number,
        "average_order": lambda v: _money(seg, v),
        "largest_order": lambda v: _money(seg, v),
        "returns": lambda v: _money(seg, v),
        "tenure_years": lambda v: fmt_number(v, 1),
        "purchase_interval_days": lambda v: fmt_number(v, 0) if pd.notna(v) else "—",
        "collection_days": lambda v: fmt_number(v, 0) if pd.notna(v) else "—",
        "overdue_share": _pct,
        "growth": _pct,
    }
    labels = {
        "tenure_years": "tenure",
        "purchase_interval_days": "interval",
        "collection_days": "collection",
        "overdue_share": "overdue",
    }
    frame = pd.DataFrame({t("customer", lang): [_label(seg, c) for c in ind.index]})
    for column, fmt in columns.items():
        if column in ind and ind[column].notna().any():
            frame[t(labels.get(column, column), lang)] = [fmt(v) for v in ind[column]]
    return frame


def pyramid_view(seg: Segmentation) -> pd.DataFrame:
    lang, ind = seg.language, seg.indicators.loc[seg.indicators["active"]]
    rows = []
    for k, share in enumerate(seg.pyramid_shares, start=1):
        members = ind.loc[ind["level"] == k]
        rows.append(
            {
                t("level", lang): t("level_name", lang, k=k, share=fmt_percent(share, 0)),
                t("customers", lang): fmt_number(len(members)),
                t("revenue", lang): _money(seg, members["revenue"].sum()),
                t("revenue_share", lang): _pct(members["revenue"].sum() / seg.revenue),
            }
        )
    return pd.DataFrame(rows)


def value_view(seg: Segmentation) -> pd.DataFrame:
    lang, ind = seg.language, seg.indicators.loc[seg.indicators["active"]]
    rows = []
    for action in ("keep", "develop", "nurture", "maintain"):
        members = ind.loc[ind["action"] == action]
        rows.append(
            {
                t("action", lang): t(f"q_{action}", lang),
                t("customers", lang): fmt_number(len(members)),
                t("revenue_share", lang): _pct(members["revenue"].sum() / seg.revenue),
            }
        )
    return pd.DataFrame(rows)


def key_accounts_view(seg: Segmentation) -> pd.DataFrame:
    """The key-account list with the reason each account is on it."""
    lang, keys = seg.language, seg.key_accounts
    return pd.DataFrame(
        {
            t("rank", lang): range(1, len(keys) + 1),
            t("customer", lang): [_label(seg, c) for c in keys.index],
            t("revenue", lang): keys["revenue"].map(lambda v: _money(seg, v)).to_numpy(),
            t("reason", lang): keys["reason"].to_numpy(),
        }
    )


def excluded_view(seg: Segmentation) -> pd.DataFrame:
    lang, x = seg.language, seg.excluded
    return pd.DataFrame(
        {
            t("customer", lang): [_label(seg, c) for c in x.index],
            t("revenue", lang): x["revenue"].map(lambda v: _money(seg, v)).to_numpy(),
            t("excluded_reason", lang): x["reason"].to_numpy(),
        }
    )


def composition_view(seg: Segmentation) -> pd.DataFrame:
    lang, c = seg.language, seg.composition
    if c is None:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            t("industry", lang): c["segment"],
            t("customers", lang): c["customers"].map(fmt_number),
            t("revenue", lang): c["revenue"].map(lambda v: _money(seg, v)),
            t("revenue_share", lang): c["share"].map(_pct),
            t("top_customer", lang): [_label(seg, x) for x in c["top_customer"]],
            t("top_customer_share", lang): c["top_customer_share"].map(_pct),
            t("hhi", lang): c["hhi"].map(lambda v: fmt_number(round(v))),
        }
    )


def rfm_view(seg: Segmentation) -> pd.DataFrame:
    lang, r = seg.language, seg.rfm
    revenue = seg.indicators["revenue"]
    rows = []
    for key in ("champions", "loyal", "potential", "new", "at_risk", "hibernating"):
        members = r.index[r["segment"] == key]
        rows.append(
            {
                t("rfm_segment", lang): t(f"seg_{key}", lang),
                t("customers", lang): fmt_number(len(members)),
                t("revenue_share", lang): _pct(revenue[members].sum() / seg.revenue),
            }
        )
    return pd.DataFrame(rows)


def scorecard_view(seg: Segmentation) -> pd.DataFrame:
    lang, card = seg.language, seg.scorecard
    if card is None:
        return pd.DataFrame()
    frame = pd.DataFrame(
        {
            t("rank", lang): card["rank"].to_numpy(),
            t("customer", lang): [_label(seg, c) for c in card.index],
        }
    )
    for group in card.columns.drop(["total", "rank"]):
        frame[group] = card[group].map(fmt_number).to_numpy()
    frame[t("total_score", lang)] = card["total"].map(fmt_number).to_numpy()
    return frame


def accounting_view(seg: Segmentation) -> pd.DataFrame:
    """Where every ledger row went."""
    lang = seg.language
    return pd.DataFrame(
        {
            t("item", lang): [t(f"acc_{k}", lang) for k in seg.accounting],
            t("rows", lang): [fmt_number(v) for v in seg.accounting.values()],
        }
    )

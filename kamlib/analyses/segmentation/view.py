"""Customer segmentation: what the report shows. Text is made here, from the result's values:
findings, the results.json entry, and tables of values with their formats.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from kamlib.analyses.segmentation.compute import Segmentation
from kamlib.analyses.segmentation.families import COLUMN_OF, INDICATOR_KEYS
from kamlib.analyses.segmentation.methods import NO_PURCHASE, UNKNOWN
from kamlib.core.i18n import Words
from kamlib.core.native import NativeChart, bars
from kamlib.core.notes import Note, notes_json
from kamlib.core.table import Table, format_cell, table

ACTION_WORDS = {
    "keep": "q_keep",
    "develop": "q_develop",
    "nurture": "q_nurture",
    "maintain": "q_maintain",
}
"""The value matrix's actions, in the order the report lists them, and their words."""
KIND_WORDS = {"core": "k_core", "important": "k_important"}
RFM_WORDS = {
    "champions": "seg_champions",
    "loyal": "seg_loyal",
    "potential": "seg_potential",
    "new": "seg_new",
    "at_risk": "seg_at_risk",
    "hibernating": "seg_hibernating",
}
"""The RFM segments, in the order the report lists them, and their words."""
SET_ASIDE = (
    # (flag, share behind it, note code): the reasons a customer is set aside, in this order
    ("one_order", "order_share", "x_one_order"),
    ("one_year", "year_share", "x_one_year"),
)
ACCOUNTING_WORDS = {
    "rows": "acc_rows",
    "no_customer": "acc_no_customer",
    "before_period": "acc_before_period",
    "in_period": "acc_in_period",
    "after_period": "acc_after_period",
}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def customer(seg: Segmentation, customer_id: str, w: Words) -> str:
    """A customer as ``name（id）`` / ``name (id)``, or the ID alone when it has no name."""
    ind = seg.indicators
    name = ind.at[customer_id, "name"] if customer_id in ind.index else ""
    return w.named(name, customer_id)


def segment_name(segment: str, w: Words) -> str:
    """An industry of the composition; customers without one are ``unknown``."""
    return w("unknown") if segment == UNKNOWN else segment


def tier_label(tier: str, w: Words) -> str:
    """A row or column of the migration matrix: a tier, or no purchase."""
    return w("no_purchase") if tier == NO_PURCHASE else tier


# ---------------------------------------------------------------- findings and results.json


def findings(seg: Segmentation, w: Words) -> list[str]:
    """The segmentation's findings as sentences, most important first."""
    found = [
        w.said(
            "f_overview",
            start=seg.period.start,
            end=seg.period.end,
            customers=seg.customers,
            revenue=seg.revenue,
        ),
        w.said(
            "f_pareto",
            top20=seg.tops["top_20pct"],
            top5=seg.tops["top_5pct"],
            top1=seg.tops["top_1pct"],
        ),
    ]
    tiers = seg.tier_table
    held = tiers.loc[tiers["customers"] > 0]
    top, last = held.iloc[0], held.iloc[-1]
    if top["tier"] == last["tier"]:
        found.append(w.said("f_one_tier", tier=top["tier"]))
    else:
        found.append(
            w.said(
                "f_top_tier",
                tier=top["tier"],
                count=top["customers"],
                cshare=top["customer_share"],
                rshare=top["revenue_share"],
                last=last["tier"],
                lshare=last["customer_share"],
                lrshare=last["revenue_share"],
            )
        )
    if len(held) < len(tiers):
        found.append(w.said("f_empty_tiers", tiers=tiers.loc[tiers["customers"] == 0, "tier"]))
    keys = seg.key_accounts
    share = keys["revenue"].sum() / seg.revenue if seg.revenue else 0.0
    kinds = keys["kind"].value_counts() if "kind" in keys else pd.Series(dtype=int)
    core, important = int(kinds.get("core", 0)), int(kinds.get("important", 0))
    kind = ""
    if core or important:  # every key account is one or the other, or said to be neither
        kind = w("f_core", core=core, important=important)
        unscored = keys.index[keys["kind"] == ""]
        if len(unscored):
            names = [customer(seg, c, w) for c in unscored]
            kind += w("f_core_unscored", n=len(unscored), names=names)
    found.append(w.said("f_keys", n=len(keys), share=share, core=kind))
    if len(seg.excluded):
        names = [customer(seg, c, w) for c in seg.excluded.index[:3]]
        found.append(w.said("f_excluded", n=len(seg.excluded), names=names))
    found.append(w.said("f_migration", **seg.migration_moves))
    if seg.composition is not None and len(seg.composition):
        c = seg.composition.iloc[0]
        found.append(
            w.said(
                "f_concentration",
                segment=segment_name(c["segment"], w),
                share=c["share"],
                top=c["top_customer_share"],
                hhi=c["hhi"],
            )
        )
    at_risk = seg.rfm_table.set_index("segment").loc["at_risk"]
    if at_risk["customers"]:
        found.append(w.said("f_at_risk", n=int(at_risk["customers"]), revenue=at_risk["revenue"]))
    return found


def set_aside_reasons(row: pd.Series) -> list[Note]:
    """Why a customer was set aside: every misconception it shows, with the share behind it."""
    return [Note.of(code, share=float(row[share])) for flag, share, code in SET_ASIDE if row[flag]]


def _plain(value: object) -> float | None:
    return None if _missing(value) or value is pd.NA else float(value)


def indicator_values(seg: Segmentation, customer_id: str) -> dict[str, float | None]:
    """One customer's indicators by their public names (:data:`INDICATOR_KEYS`); ``None`` for
    one the data does not give."""
    row = seg.indicators.loc[customer_id]
    values = {key: _plain(row.get(column)) for key, column in INDICATOR_KEYS}
    counts = {key for key, _ in INDICATOR_KEYS if indicator_spec(key)[1] == "int"}
    return {k: int(v) if k in counts and v is not None else v for k, v in values.items()}


def targets_json(seg: Segmentation) -> list[dict]:
    """Targets against actuals as plain objects."""
    if seg.targets is None:
        return []
    return [
        {
            "customer_id": str(row.customer_id),
            "perspective": str(row.perspective),
            "indicator": str(row.indicator),
            "period": str(row.period),
            "target": float(row.target),
            "actual": _plain(row.actual),
            "attainment": _plain(row.attainment),
            "rag": str(row.rag) or None,
        }
        for row in seg.targets.itertuples(index=False)
    ]


def _records(frame: pd.DataFrame, kinds: dict[str, type]) -> list[dict]:
    """A summary frame's rows as plain objects: the ``kinds`` columns as they say, every other
    one a number (``None`` for a missing one)."""
    return [
        {k: kinds[k](v) if k in kinds else _plain(v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


def migration_json(seg: Segmentation) -> dict:
    """The migration as plain objects: ``matrix[before][now]``, the customers in tier
    ``before`` in the previous period and ``now`` in this one (``no_purchase``: none in that
    period), and the four counts of ``migration_moves``."""
    m = seg.migration
    return {
        "matrix": {str(a): {str(b): int(m.loc[a, b]) for b in m.columns} for a in m.index},
        **{k: int(v) for k, v in seg.migration_moves.items()},
    }


def results(seg: Segmentation, w: Words) -> dict:
    """The ``customer_segmentation`` entry of results.json."""
    tiers = [
        {
            "tier": str(row.tier),
            "lower": _plain(row.lower),
            "upper": _plain(row.upper),
            "customers": int(row.customers),
            "customer_share": float(row.customer_share),
            "revenue": float(row.revenue),
            "revenue_share": float(row.revenue_share),
        }
        for row in seg.tier_table.itertuples(index=False)
    ]
    return {
        "period": {"start": seg.period.start.isoformat(), "end": seg.period.end.isoformat()},
        "customers": seg.customers,
        "revenue": seg.revenue,
        "tiers": tiers,
        "pareto": {k: float(v) for k, v in seg.tops.items()},
        "abc": _records(seg.abc_table, {"abc": str, "customers": int}),
        "pyramid": _records(seg.pyramid_table, {"level": int, "customers": int}),
        "value_matrix": _records(seg.value_table, {"action": str, "customers": int}),
        "rfm": _records(seg.rfm_table, {"segment": str, "customers": int}),
        "migration": migration_json(seg),
        "key_accounts": [str(c) for c in seg.key_accounts.index],
        "indicators": {str(c): indicator_values(seg, c) for c in seg.key_accounts.index},
        "targets": targets_json(seg),
        "set_aside": [
            {
                "customer_id": str(c),
                "revenue": float(row["revenue"]),
                "reasons": notes_json(set_aside_reasons(row), w),
            }
            for c, row in seg.excluded.iterrows()
        ],
        "warnings": notes_json(seg.warnings, w),
    }


# ---------------------------------------------------------------- tables


def bounds_text(lower: float | None, upper: float | None, w: Words) -> str:
    """A tier's range of revenue: ``500.0 万元 及以上``, ``below CNY 1,000,000``, ``… to …``."""
    if _missing(lower):
        return w("below", value=upper)
    if _missing(upper):
        return w("at_least", value=lower)
    return w("between", low=lower, high=upper)


def tier_table(seg: Segmentation, w: Words) -> Table:
    """The tier table: tier, bounds, customers, share of customers, revenue, share of
    revenue, average revenue per customer."""
    tt = seg.tier_table
    frame = tt.assign(bounds=[bounds_text(lo, hi, w) for lo, hi in zip(tt["lower"], tt["upper"])])
    spec = [
        ("tier", w("tier")),
        ("bounds", w("bounds")),
        ("customers", w("customers"), "int"),
        ("customer_share", w("customer_share"), "pct1"),
        ("revenue", w("revenue"), "money"),
        ("revenue_share", w("revenue_share"), "pct1"),
        ("average_revenue", w("average_revenue"), "money"),
    ]
    shares = ("customers", "customer_share", "revenue", "revenue_share")
    return table(frame, spec, w, name="tiers", totals=shares)


def _active(seg: Segmentation) -> pd.DataFrame:
    return seg.indicators.loc[seg.indicators["active"]]


def abc_table(seg: Segmentation, w: Words) -> Table:
    """ABC classes on the Pareto curve: A up to 80 % of revenue, B up to 95 %, C the rest."""
    spec = [
        ("abc", "ABC"),
        ("customers", w("customers"), "int"),
        ("customer_share", w("customer_share"), "pct1"),
        ("revenue", w("revenue"), "money"),
        ("revenue_share", w("revenue_share"), "pct1"),
    ]
    shares = ("customers", "customer_share", "revenue", "revenue_share")
    return table(seg.abc_table, spec, w, name="abc", totals=shares)


FAMILIES = {
    # family → its indicators: (column, message key of its heading, format)
    "transaction": (
        ("revenue", "revenue", "money"),
        ("profit", "profit", "money"),
        ("margin", "margin", "pct1"),
        ("orders", "orders", "int"),
        ("average_order", "average_order", "money"),
        ("largest_order", "largest_order", "money"),
        ("returns", "returns", "money"),
        ("return_lines", "i_return_count", "int"),
        ("cooperation_years", "tenure", "num"),
        ("purchase_cycle_days", "i_purchase_cycle", "num0"),
        ("expected_sales", "i_expected_sales", "money"),
        ("growth", "growth", "pct1"),
    ),
    "financial": (
        ("largest_receipt", "i_max_payment", "money"),
        ("average_receipt", "i_average_payment", "money"),
        ("collection_days", "collection", "num0"),
        ("average_outstanding", "i_average_outstanding", "money"),
        ("outstanding_ratio", "i_outstanding_ratio", "pct1"),
        ("overdue_share", "overdue", "pct1"),
    ),
    "contact": (
        ("interactions", "i_interactions", "int"),
        ("tasks", "i_tasks", "int"),
        ("processes", "i_processes", "int"),
        ("visits", "i_visits", "int"),
        ("praise", "i_praise", "int"),
        ("complaints", "i_complaints", "int"),
        ("suggestions", "i_suggestions", "int"),
        ("praise_share", "i_praise_share", "pct1"),
        ("complaint_share", "i_complaint_share", "pct1"),
        ("suggestion_share", "i_suggestion_share", "pct1"),
        ("visits_per_month", "i_visits_per_month", "num"),
    ),
}
FAMILY_EMPTY = {
    "transaction": "no_indicators",
    "financial": "no_financial",
    "contact": "no_contacts_log",
}
INDICATORS = {column: (key, fmt) for family in FAMILIES.values() for column, key, fmt in family}
EXTRA_INDICATORS = {
    # the indicators of the customer table that no family table shows
    "task_share": ("i_task_share", "pct1"),
    "process_share": ("i_process_share", "pct1"),
    "visit_share": ("i_visit_share", "pct1"),
}
PERSPECTIVE_WORDS = {
    "customer": "p_customer",
    "sales": "p_sales",
    "financial": "p_financial",
    "service": "p_service",
}
TARGET_WORDS = {
    # target indicator → message key of its name
    "revenue": "revenue",
    "orders": "orders",
    "average_order": "average_order",
    "max_order": "largest_order",
    "expected_sales": "i_expected_sales",
    "profit": "profit",
    "margin": "margin",
    "days_to_pay": "collection",
    "outstanding_ratio": "i_outstanding_ratio",
    "praise": "i_praise",
    "complaints": "i_complaints",
    "complaint_share": "i_complaint_share",
    "visits": "i_visits",
    "tasks": "i_tasks",
}


def indicator_spec(key: str) -> tuple[str, str]:
    """The heading's message key and the format of an indicator by its public name."""
    column = COLUMN_OF[key]
    return INDICATORS.get(column) or EXTRA_INDICATORS[column]


def ranking_table(seg: Segmentation, w: Words, indicator: str = "revenue", n: int = 10) -> Table:
    """Single-indicator ranking: the top ``n`` customers by ``indicator`` (a column of
    :data:`FAMILIES`); no rows when the data does not give it."""
    key, fmt = INDICATORS[indicator]
    ind = _active(seg)
    values = ind[indicator].dropna() if indicator in ind else pd.Series(dtype=float)
    values = values.loc[values > 0] if indicator in ("complaints", "praise") else values
    top = values.sort_values(ascending=False, kind="stable").head(n)
    frame = pd.DataFrame(
        {
            "rank": values.rank(method="min", ascending=False)[top.index].astype(int).to_numpy(),
            "customer": [customer(seg, c, w) for c in top.index],
            "value": top.to_numpy(),
            "tier": ind.loc[top.index, "tier"].to_numpy(),
        }
    )
    spec = [
        ("rank", w("rank"), "int"),
        ("customer", w("customer")),
        ("value", w(key), fmt),
        ("tier", w("tier")),
    ]
    empty = w("no_ranking", indicator=w(key))
    return table(frame, spec, w, empty=empty, name=f"ranking_{indicator}")


def indicators_table(
    seg: Segmentation, w: Words, family: str = "transaction", n: int = 15
) -> Table:
    """One indicator family (``transaction``, ``financial`` or ``contact``) of the ``n``
    largest customers; columns without any value are left out, and a family the data does
    not give has no rows."""
    ind = _active(seg).sort_values("revenue", ascending=False, kind="stable").head(n)
    spec = [("customer", w("customer"))]
    spec += [
        (column, w(key), fmt)
        for column, key, fmt in FAMILIES[family]
        if column in ind and ind[column].notna().any()
    ]
    name = "indicators" if family == "transaction" else f"indicators_{family}"
    empty = w(FAMILY_EMPTY[family])
    if len(spec) == 1:
        return table(pd.DataFrame(columns=["customer"]), spec, w, empty=empty, name=name)
    frame = ind.assign(customer=[customer(seg, c, w) for c in ind.index])
    return table(frame, spec, w, empty=empty, name=name)


def targets_table(seg: Segmentation, w: Words) -> Table:
    """Targets against actuals (the KAM scorecard): per account and indicator, its
    perspective, the period's actual, the target, attainment (actual ÷ target) and RAG.
    Actual and target are shown in the indicator's own format."""
    return target_table(seg.targets, w, "targets", lambda c: customer(seg, c, w))


def target_table(
    targets: pd.DataFrame | None,
    w: Words,
    name: str,
    customer_of: Callable[[str], str] | None = None,
) -> Table:
    """Targets against actuals as a table: perspective, indicator, actual and target (each in
    its indicator's format), attainment and RAG; with ``customer_of`` (several accounts) also
    the customer and the target's period first. Left out of the page without targets."""
    spec = [
        ("perspective", w("perspective")),
        ("indicator", w("indicator_name")),
        ("actual", w("actual")),
        ("target", w("target")),
        ("attainment", w("attainment"), "pct1"),
        ("rag", w("rag"), "rag"),
    ]
    if customer_of is not None:
        spec = [("customer", w("customer")), *spec[:2], ("period", w("target_period")), *spec[2:]]
    if targets is None or targets.empty:
        frame = pd.DataFrame(columns=[key for key, *_ in spec])
        return table(frame, spec, w, empty=w("no_targets"), name=name, leave_out=True)
    formats = [indicator_spec(i)[1] for i in targets["indicator"]]
    frame = pd.DataFrame(
        {
            "perspective": [w(PERSPECTIVE_WORDS[p]) for p in targets["perspective"]],
            "indicator": [w(TARGET_WORDS[i]) for i in targets["indicator"]],
            "period": targets["period"].to_numpy(),
            "actual": [format_cell(v, f, w) for v, f in zip(targets["actual"], formats)],
            "target": [format_cell(v, f, w) for v, f in zip(targets["target"], formats)],
            "attainment": targets["attainment"].to_numpy(),
            "rag": [r or None for r in targets["rag"]],
        }
    )
    if customer_of is not None:
        frame.insert(0, "customer", [customer_of(c) for c in targets["customer_id"]])
    return table(frame, spec, w, name=name)


def pyramid_table(seg: Segmentation, w: Words) -> Table:
    """The value pyramid's levels: customers, revenue and its share."""
    p = seg.pyramid_table
    frame = p.assign(
        level=[w("level_name", k=int(k), share=s) for k, s in zip(p["level"], p["share"])]
    )
    spec = [
        ("level", w("level")),
        ("customers", w("customers"), "int"),
        ("revenue", w("revenue"), "money"),
        ("revenue_share", w("revenue_share"), "pct1"),
    ]
    return table(frame, spec, w, name="pyramid", totals=("customers", "revenue", "revenue_share"))


def value_table(seg: Segmentation, w: Words) -> Table:
    """The value matrix's quadrants: customers and share of revenue per action."""
    v = seg.value_table
    frame = v.assign(action=[w(ACTION_WORDS[a]) for a in v["action"]])
    spec = [
        ("action", w("action")),
        ("customers", w("customers"), "int"),
        ("revenue_share", w("revenue_share"), "pct1"),
    ]
    return table(frame, spec, w, name="value_matrix", totals=("customers", "revenue_share"))


def reason(row: pd.Series, w: Words) -> str:
    """Why an account is on the key-account list, from the facts the computation put with it."""
    parts = [
        w("r_tier", tier=row["tier"], revenue=row["revenue"], rank=row["revenue_rank"]),
        w("r_level", level=row["level"]),
        w(ACTION_WORDS[row["action"]]),
    ]
    if not _missing(row["cooperation_years"]):
        key = "r_years_short" if row["short"] else "r_years"
        parts.append(w(key, years=row["cooperation_years"]))
    if row["kind"]:
        parts.append(w(KIND_WORDS[row["kind"]]))
    rank = row.get("scorecard_rank")
    if rank is not None and not _missing(rank):
        parts.append(w("r_scorecard", rank=int(rank)))
    return w.clauses(parts)


def key_accounts_table(seg: Segmentation, w: Words) -> Table:
    """The key-account list with the reason each account is on it."""
    keys = seg.key_accounts
    frame = pd.DataFrame(
        {
            "rank": range(1, len(keys) + 1),
            "customer": [customer(seg, c, w) for c in keys.index],
            "revenue": keys["revenue"].to_numpy(),
            "reason": [reason(row, w) for _, row in keys.iterrows()],
        }
    )
    spec = [
        ("rank", w("rank"), "int"),
        ("customer", w("customer")),
        ("revenue", w("revenue"), "money"),
        ("reason", w("reason")),
    ]
    return table(frame, spec, w, name="key_accounts", totals=("revenue",))


def customers_table(seg: Segmentation, w: Words) -> Table:
    """Every customer of the ledger, one row each, with every class the segmentation gave it:
    tier, ABC class, pyramid level, RFM segment, value-matrix action, key account. Exported as
    ``tables/customers.csv`` (its column keys are the header) and a workbook sheet."""
    ind = seg.indicators

    def words_of(column: str, mapping: dict) -> list:
        return [w(mapping[v]) if v in mapping else None for v in ind[column]]

    frame = pd.DataFrame(
        {
            "customer_id": ind.index,
            "name": ind["name"].to_numpy() if "name" in ind else None,
            "revenue": ind["revenue"].to_numpy(),
            "tier": [t if a else w("not_tiered") for t, a in zip(ind["tier"], ind["active"])],
            "abc_class": ind["abc"].to_numpy(),
            "pyramid_level": ind["level"].to_numpy(),
            "rfm_segment": words_of("rfm_segment", RFM_WORDS),
            "value_quadrant": words_of("action", ACTION_WORDS),
            "key_account": ind.index.isin(seg.key_accounts.index),
        }
        | {
            key: ind[column].to_numpy(dtype=float) if column in ind else None
            for key, column in INDICATOR_KEYS
            if key != "revenue"
        }
    ).sort_values(["revenue", "customer_id"], ascending=[False, True], kind="stable")
    spec = [
        ("customer_id", w("customer_id")),
        ("name", w("name")),
        ("revenue", w("revenue"), "money"),
        ("tier", w("tier")),
        ("abc_class", "ABC"),
        ("pyramid_level", w("level"), "int"),
        ("rfm_segment", w("rfm_segment")),
        ("value_quadrant", w("action")),
        ("key_account", w("key_account_flag"), "star"),
    ]
    for key, _ in INDICATOR_KEYS:
        if key != "revenue":
            heading, fmt = indicator_spec(key)
            spec.append((key, w(heading), fmt))
    # the customers in tiers (revenue in the period) come first: the totals are theirs, the
    # report's revenue; those without sales in the period are marked and follow
    tiered = int(ind["active"].sum())
    sums = ("revenue", "profit", "orders")
    label = w("total_tiered", n=tiered)
    return table(
        frame,
        spec,
        w,
        name="customers",
        totals=sums,
        total_rows=tiered,
        total_label=label,
        key_header=True,
    )


def excluded_table(seg: Segmentation, w: Words) -> Table:
    """High-value customers set aside for a misconception, with the reason."""
    x = seg.excluded
    frame = pd.DataFrame(
        {
            "customer": [customer(seg, c, w) for c in x.index],
            "revenue": x["revenue"].to_numpy(),
            "reason": [
                w.clauses(n.text(w) for n in set_aside_reasons(row)) for _, row in x.iterrows()
            ],
        }
    )
    spec = [
        ("customer", w("customer")),
        ("revenue", w("revenue"), "money"),
        ("reason", w("excluded_reason")),
    ]
    return table(frame, spec, w, empty=w("no_excluded"), name="excluded", totals=("revenue",))


COMPOSITION_SPEC = (
    ("segment", "industry", "text"),
    ("customers", "customers", "int"),
    ("revenue", "revenue", "money"),
    ("share", "revenue_share", "pct1"),
    ("top_customer", "top_customer", "text"),
    ("top_customer_share", "top_customer_share", "pct1"),
    ("hhi", "hhi", "num0"),
)


def composition_table(seg: Segmentation, w: Words) -> Table:
    """Revenue by industry with the largest customer's share and the HHI; no rows without
    industries."""
    spec = [(column, w(key), fmt) for column, key, fmt in COMPOSITION_SPEC]
    empty = w("no_composition")
    c = seg.composition
    if c is None:
        frame = pd.DataFrame(columns=[column for column, *_ in COMPOSITION_SPEC])
        return table(frame, spec, w, empty=empty, name="composition", leave_out=True)
    frame = c.assign(
        segment=[segment_name(s, w) for s in c["segment"]],
        top_customer=[customer(seg, x, w) for x in c["top_customer"]],
    )
    sums = ("customers", "revenue", "share")
    return table(frame, spec, w, empty=empty, name="composition", totals=sums)


def rfm_table(seg: Segmentation, w: Words) -> Table:
    """Customers and share of revenue per RFM segment."""
    r = seg.rfm_table
    frame = r.assign(segment=[w(RFM_WORDS[s]) for s in r["segment"]])
    spec = [
        ("segment", w("rfm_segment")),
        ("customers", w("customers"), "int"),
        ("revenue_share", w("revenue_share"), "pct1"),
    ]
    return table(frame, spec, w, name="rfm", totals=("customers", "revenue_share"))


def scorecard_table(seg: Segmentation, w: Words) -> Table:
    """The key-account scorecard: rank, group subtotals and total; no rows without one."""
    empty = w("no_scorecard")
    card = seg.scorecard
    if card is None:
        spec = [("rank", w("rank"), "int"), ("customer", w("customer"))]
        frame = pd.DataFrame(columns=["rank", "customer"])
        return table(frame, spec, w, empty=empty, name="scorecard", leave_out=True)
    groups = list(card.columns.drop(["total", "rank"]))
    frame = pd.DataFrame(
        {
            "rank": card["rank"].to_numpy(),
            "customer": [customer(seg, c, w) for c in card.index],
            "total": card["total"].to_numpy(),
        }
    )
    for i, group in enumerate(groups):
        frame[f"g{i}"] = card[group].to_numpy()
    spec = [("rank", w("rank"), "int"), ("customer", w("customer"))]
    spec += [(f"g{i}", group, "num") for i, group in enumerate(groups)]
    spec.append(("total", w("total_score"), "num"))
    return table(frame, spec, w, empty=empty, name="scorecard")


def accounting_table(seg: Segmentation, w: Words) -> Table:
    """Where every ledger row went."""
    frame = pd.DataFrame(
        {
            "item": [w(ACCOUNTING_WORDS[k]) for k in seg.accounting],
            "rows": list(seg.accounting.values()),
        }
    )
    return table(frame, [("item", w("item")), ("rows", w("rows"), "int")], w, name="accounting")


def native_tiers(seg: Segmentation, w: Words) -> NativeChart:
    """The tier chart as the deck draws it itself: share of revenue and of customers per tier."""
    t = seg.tier_table
    return bars(
        w("c_tiers"),
        t["tier"],
        (w("revenue_share"), t["revenue_share"], "#1d4e89"),
        (w("customer_share"), t["customer_share"], "#a9d6e5"),
        number_format="0.0%",
    )


def native_composition(seg: Segmentation, w: Words) -> NativeChart | None:
    """The composition chart as the deck draws it itself: each industry's share of revenue, its
    largest customer's share of it beside its name (a share of another whole: not a bar on the
    same axis); none without industries."""
    c = seg.composition
    if c is None or not len(c):
        return None
    names = [
        w.paren(segment_name(x, w), f"{w('top_customer_share')} {w.percent(top, 1)}")
        for x, top in zip(c["segment"], c["top_customer_share"])
    ]
    return bars(
        w("c_composition"), names, (w("revenue_share"), c["share"], "#1d4e89"), number_format="0.0%"
    )

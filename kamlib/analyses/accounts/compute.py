"""Account plans (METHODS.md §5): one plan per key account, from the four-step opportunity screen,
buying-influence coverage and the relationship stage to recommended actions, plus the annual
target list that ranks the accounts.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kamlib.core.config import Engagement
from kamlib.core.errors import KamError, quote
from kamlib.core.i18n import Words, fmt_money, fmt_number, join_names, t
from kamlib.core.table import Table, table

SECTION = "accounts"
STAGE_WORDS = {1: "stage_1", 2: "stage_2", 3: "stage_3", 4: "stage_4", 5: "stage_5"}
ROLES = ("decision_maker", "technical", "user", "coach")
SCREEN = ("is_opportunity", "competition", "can_win", "worth_winning")
RECENT_DAYS = 90
# The measurable indicators each relationship stage needs (seed 001): visits and help per month,
# information the customer shares (0–5), being thought of first, contact on holidays.
STAGE_NEEDS = {
    1: {"visits_per_month": 0, "help_per_month": 0, "info_shared": 0},
    2: {"visits_per_month": 1, "help_per_month": 0, "info_shared": 1},
    3: {"visits_per_month": 2, "help_per_month": 1, "info_shared": 2},
    4: {"visits_per_month": 3, "help_per_month": 2, "info_shared": 3, "thought_of_first": 1},
    5: {
        "visits_per_month": 4,
        "help_per_month": 3,
        "info_shared": 4,
        "thought_of_first": 1,
        "holiday_contact": 1,
    },
}


def rag(score: float) -> str:
    """Red (1–2), amber (3) or green (4–5) for one answer of the four-step screen."""
    return "red" if score <= 2 else "amber" if score < 4 else "green"


def screen_opportunities(opportunities: pd.DataFrame) -> pd.DataFrame:
    """The four-step screen (seed 001) per opportunity: a colour per step and go when no step is
    red and the four answers average 3.5 or more."""
    frame = opportunities.copy()
    for step in SCREEN:
        frame[f"{step}_rag"] = frame[step].map(rag)
    answers = frame[list(SCREEN)]
    frame["screen_score"] = answers.mean(axis=1)
    frame["go"] = (answers > 2).all(axis=1) & (frame["screen_score"] >= 3.5)
    return frame


def coverage(contacts: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Buying-influence coverage per role: how many people, best attitude and influence, and
    whether someone in the role was met in the last 90 days."""
    rows = []
    for role in ROLES:
        people = contacts.loc[contacts["role"] == role]
        recent = (pd.Timestamp(today) - people["last_contact"]).dt.days <= RECENT_DAYS
        rows.append(
            {
                "role": role,
                "people": len(people),
                "names": list(people["name"]),
                "attitude": float(people["attitude"].max()) if len(people) else math.nan,
                "influence": float(people["influence"].max()) if len(people) else math.nan,
                "visited": bool(recent.any()),
                "last_contact": people["last_contact"].max() if len(people) else pd.NaT,
            }
        )
    return pd.DataFrame(rows)


def red_flags(cover: pd.DataFrame | None, screened: pd.DataFrame | None, lang: str) -> list[str]:
    """Seed 001's 销售雷区: a role nobody has identified or visited, a hostile decision maker,
    no opportunity, a red step in the main opportunity's screen. ``None`` for data the
    engagement does not have: its flags are left out, not raised."""
    flags = []
    for row in cover.itertuples() if cover is not None else ():
        role = t(f"role_{row.role}", lang)
        if row.people == 0:
            flags.append(t("rf_missing", lang, role=role))
        elif not row.visited:
            flags.append(t("rf_not_visited", lang, role=role, days=RECENT_DAYS))
        if row.role == "decision_maker" and row.people and row.attitude < 0:
            flags.append(t("rf_hostile", lang, attitude=fmt_number(row.attitude)))
    if screened is None:
        return flags
    if screened.empty:
        flags.append(t("rf_no_opportunity", lang))
    else:
        main = screened.sort_values("value", ascending=False, kind="stable").iloc[0]
        for step in SCREEN:
            if main[f"{step}_rag"] == "red":
                flags.append(
                    t(
                        "rf_screen",
                        lang,
                        opportunity=main["opportunity"],
                        step=t(f"step_{step}", lang),
                    )
                )
    return flags


def stage_gap(relationship: pd.Series | None) -> dict[str, float]:
    """What the next relationship stage needs that the account does not have yet."""
    if relationship is None:
        return {}
    stage = int(relationship["stage"])
    if stage >= 5:
        return {}
    gap = {}
    for indicator, needed in STAGE_NEEDS[stage + 1].items():
        value = relationship.get(indicator, 0)
        value = 1.0 if value == "yes" else 0.0 if value in ("no", "", None) else float(value)
        if value < needed:
            gap[indicator] = needed
    return gap


def recommend(
    flags_cover: pd.DataFrame,
    screened: pd.DataFrame,
    gap: dict[str, float],
    whitespace: float | None,
    lang: str,
    currency: str,
) -> list[str]:
    """Actions computed from the gaps: roles to identify or meet, steps of the screen to
    strengthen, the next relationship stage's indicators, the whitespace to pursue."""
    actions = []
    for row in flags_cover.itertuples():
        role = t(f"role_{row.role}", lang)
        if row.people == 0:
            actions.append(t("a_identify", lang, role=role))
        elif not row.visited:
            actions.append(t("a_visit", lang, role=role, names=join_names(row.names, lang)))
    if not screened.empty:
        main = screened.sort_values("value", ascending=False, kind="stable").iloc[0]
        for step in SCREEN:
            if main[f"{step}_rag"] != "green":
                actions.append(t(f"a_{step}", lang, opportunity=main["opportunity"]))
    for indicator, needed in gap.items():
        actions.append(t(f"a_{indicator}", lang, value=fmt_number(needed)))
    if whitespace and whitespace > 0:
        actions.append(t("a_whitespace", lang, value=fmt_money(whitespace, lang, currency)))
    return actions


@dataclass
class AccountPlan:
    """One key account's plan."""

    customer_id: str
    name: str
    facts: dict
    screened: pd.DataFrame
    cover: pd.DataFrame
    relationship: pd.Series | None
    gap: dict[str, float]
    flags: list[str]
    actions: list[str]
    go: bool
    language: str
    currency: str
    notes: list[str] = field(default_factory=list)

    @property
    def stage(self) -> int | None:
        return None if self.relationship is None else int(self.relationship["stage"])

    def to_results(self) -> dict:
        return {
            "customer_id": self.customer_id,
            "go": bool(self.go),
            "red_flags": list(self.flags),
            "relationship_stage": self.stage,
        }

    def target_row(self) -> dict:
        """The plan's row of the annual target list."""
        rel = self.relationship
        revenue = self.facts.get("revenue")
        return {
            "customer_id": self.customer_id,
            "name": self.name,
            "go": bool(self.go),
            "red_flags": len(self.flags),
            "revenue": float(revenue or 0.0),
            "tier": str(self.facts.get("tier") or ""),
            "stage": self.stage,
            "owner_development": "" if rel is None else str(rel["owner_development"]),
            "owner_maintenance": "" if rel is None else str(rel["owner_maintenance"]),
        }


@dataclass
class AccountInputs:
    contacts: pd.DataFrame | None
    opportunities: pd.DataFrame | None
    relationships: pd.DataFrame | None
    warnings: list[str]
    known: set[str] | None = None
    names: dict[str, str] | None = None


def read_inputs(eng: Engagement, known: set[str] | None = None) -> AccountInputs:
    """Read the optional contacts, opportunities and relationships; a row for an account the
    engagement does not know, or a contact dated in the future, is an error."""
    today = dt.date.fromisoformat(eng.date)
    frames: dict[str, pd.DataFrame | None] = {}
    warnings: list[str] = []
    for name in ("contacts", "opportunities", "relationships"):
        loaded = eng.read(name)
        if loaded is None:
            frames[name] = None
            continue
        warnings += loaded.warnings
        frame = loaded.frame
        frame["customer_id"] = frame["customer_id"].astype(str)
        if known is not None:
            strangers = ~frame["customer_id"].isin(known)
            if strangers.any():
                i = int(np.flatnonzero(strangers.to_numpy())[0])
                raise KamError(
                    loaded.file,
                    "an account of the engagement's ledger or customers",
                    quote(frame["customer_id"].iloc[i]),
                    row=loaded.row(i),
                    column="customer_id",
                )
        if name == "contacts":
            future = frame["last_contact"] > pd.Timestamp(today)
            if future.any():
                i = int(np.flatnonzero(future.to_numpy())[0])
                raise KamError(
                    loaded.file,
                    f"a date on or before the report date {today}",
                    quote(frame["last_contact"].iloc[i].date()),
                    row=loaded.row(i),
                    column="last_contact",
                )
        frames[name] = frame
    names = None
    master = eng.read("customers")
    if master is not None:
        names = dict(zip(master.frame["customer_id"].astype(str), master.frame["name"]))
    return AccountInputs(
        frames["contacts"],
        frames["opportunities"],
        frames["relationships"],
        warnings,
        known,
        names,
    )


def plan_account(
    customer_id: str,
    inputs: AccountInputs,
    eng: Engagement,
    facts: dict | None = None,
    whitespace: float | None = None,
) -> AccountPlan:
    """The plan of one account."""
    lang = eng.language
    today = dt.date.fromisoformat(eng.date)
    facts = dict(facts or {})
    notes = []
    contacts = (
        inputs.contacts.loc[inputs.contacts["customer_id"] == customer_id]
        if inputs.contacts is not None
        else None
    )
    if contacts is None:
        notes.append(t("n_no_contacts", lang))
        contacts = pd.DataFrame(
            columns=["name", "role", "attitude", "influence", "last_contact"]
        ).astype({"last_contact": "datetime64[ns]"})
    opportunities = (
        inputs.opportunities.loc[inputs.opportunities["customer_id"] == customer_id]
        if inputs.opportunities is not None
        else None
    )
    if opportunities is None:
        notes.append(t("n_no_opportunities", lang))
        opportunities = pd.DataFrame(columns=["opportunity", "value", *SCREEN])
    screened = (
        screen_opportunities(opportunities)
        if len(opportunities)
        else opportunities.assign(go=pd.Series(dtype=bool), screen_score=pd.Series(dtype=float))
    )
    relationship = None
    if inputs.relationships is not None:
        match = inputs.relationships.loc[inputs.relationships["customer_id"] == customer_id]
        relationship = match.iloc[0] if len(match) else None
    if relationship is None:
        notes.append(t("n_no_relationship", lang))
    cover = coverage(contacts, today)
    flags = red_flags(
        cover if inputs.contacts is not None else None,
        screened if inputs.opportunities is not None else None,
        lang,
    )
    gap = stage_gap(relationship)
    actions = recommend(
        cover if inputs.contacts is not None else cover.iloc[0:0],
        screened,
        gap,
        whitespace,
        lang,
        eng.currency,
    )
    go = bool(len(screened)) and bool(
        screened.sort_values("value", ascending=False, kind="stable").iloc[0]["go"]
    )
    return AccountPlan(
        customer_id,
        str(facts.get("name") or customer_id),
        facts,
        screened,
        cover,
        relationship,
        gap,
        flags,
        actions,
        go,
        lang,
        eng.currency,
        notes,
    )


def target_list(rows: list[dict]) -> pd.DataFrame:
    """Seed 000's annual target list from the plans' :meth:`AccountPlan.target_row`: accounts by
    priority (go first, then fewer red flags, then revenue), with their two owners."""
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame = frame.sort_values(
        ["go", "red_flags", "revenue", "customer_id"],
        ascending=[False, True, False, True],
        kind="stable",
        ignore_index=True,
    )
    frame.insert(0, "priority", range(1, len(frame) + 1))
    return frame


# ---------------------------------------------------------------- context from other analyses


@dataclass
class AccountPlans:
    """Every account's plan (the key accounts' and those of every account with plan data)."""

    plans: dict[str, AccountPlan]
    key_accounts: list[str]
    with_data: list[str]
    known: list[str] | None

    def subset(self, ids: list[str]) -> AccountPlans:
        """The plans of ``ids`` only, in that order."""
        return AccountPlans(
            {c: self.plans[c] for c in ids}, self.key_accounts, self.with_data, self.known
        )

    def targets(self) -> pd.DataFrame:
        """The annual target list of these plans."""
        return target_list([p.target_row() for p in self.plans.values()])

    def select(self, choice: str) -> list[str]:
        """``key`` (the segmentation's key accounts), ``all`` (key accounts and every account
        with contacts, opportunities or a relationship row) or a comma-separated list of IDs."""
        if choice == "key":
            return list(self.key_accounts)
        if choice == "all":
            return list(self.key_accounts) + [
                c for c in self.with_data if c not in self.key_accounts
            ]
        wanted = list(dict.fromkeys(c.strip() for c in choice.split(",") if c.strip()))
        known = set(self.known) if self.known is not None else set(self.with_data)
        for customer in wanted:
            if customer not in known:
                raise KamError(
                    "--accounts", "key, all or IDs of the engagement's accounts", quote(customer)
                )
        return wanted


def account_facts(seg, ca) -> tuple[dict[str, dict], dict[str, float], list[str]]:
    """What the other analyses know of each account: facts from the segmentation, whitespace
    from the competitor analysis, and the key accounts."""
    facts: dict[str, dict] = {}
    keys: list[str] = []
    whitespace: dict[str, float] = {}
    if seg is not None:
        ind = seg.indicators
        keys = [str(k) for k in seg.key_accounts.index]
        columns = [
            c
            for c in (
                "name",
                "industry",
                "region",
                "since",
                "tier",
                "revenue",
                "level",
                "action",
                "cooperation_years",
            )
            if c in ind
        ]
        kinds = seg.key_accounts["kind"] if "kind" in seg.key_accounts else pd.Series(dtype=str)
        for customer, row in ind[columns].iterrows():
            facts[customer] = {
                k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()
            }
            facts[customer]["key_account"] = customer in keys
            facts[customer]["kind"] = kinds.get(customer, "")
    if ca is not None and ca.wallet is not None:
        whitespace = ca.wallet["whitespace"].to_dict()
        for customer, row in ca.wallet.iterrows():
            facts.setdefault(customer, {"name": customer})
            facts[customer]["share_of_wallet"] = row["share"]
            facts[customer]["total_spend"] = row["total_spend"]
    return facts, whitespace, keys


def plan_accounts(inputs: AccountInputs, eng: Engagement, seg=None, ca=None) -> AccountPlans:
    """A plan for every key account and every account with plan data."""
    facts, whitespace, keys = account_facts(seg, ca)
    for customer, name in (inputs.names or {}).items():
        facts.setdefault(customer, {"name": name})
    with_data = list(
        dict.fromkeys(
            customer
            for frame in (inputs.contacts, inputs.opportunities, inputs.relationships)
            if frame is not None
            for customer in frame["customer_id"]
        )
    )
    plans = {
        customer: plan_account(
            customer,
            inputs,
            eng,
            facts.get(customer, {"name": customer}),
            whitespace.get(customer),
        )
        for customer in dict.fromkeys([*keys, *with_data])
    }
    known = None if inputs.known is None else sorted(inputs.known)
    return AccountPlans(plans, keys, with_data, known)


def known_accounts(eng: Engagement) -> set[str] | None:
    """The accounts of the customer master, when there is one (without a ledger)."""
    if eng.data_file("customers") is None:
        return None
    return {str(c) for c in eng.read("customers").frame["customer_id"]}


# ---------------------------------------------------------------- what the plan shows


def facts_view(plan: AccountPlan) -> pd.DataFrame:
    lang, f = plan.language, plan.facts
    rows = [(t("customer_id", lang), plan.customer_id), (t("name", lang), plan.name)]
    for key in ("industry", "region"):
        if f.get(key):
            rows.append((t(key, lang), f[key]))
    if f.get("tier"):
        rows.append((t("tier", lang), f["tier"]))
    if f.get("revenue") is not None:
        rows.append((t("revenue", lang), fmt_money(f["revenue"], lang, plan.currency)))
    if f.get("level") is not None:
        rows.append((t("level", lang), fmt_number(f["level"])))
    if f.get("action"):
        rows.append((t("action", lang), t(f"q_{f['action']}", lang)))
    if f.get("kind"):
        rows.append((t("kind", lang), t(f"k_{f['kind']}", lang)))
    if f.get("cooperation_years") is not None:
        rows.append((t("tenure", lang), fmt_number(f["cooperation_years"], 1)))
    if f.get("share_of_wallet") is not None and not pd.isna(f.get("share_of_wallet")):
        rows.append((t("share_of_wallet", lang), f"{f['share_of_wallet'] * 100:.1f}%"))
    whitespace = f.get("total_spend")
    if whitespace is not None and f.get("revenue") is not None:
        rows.append(
            (
                t("whitespace", lang),
                fmt_money(max(0.0, whitespace - f["revenue"]), lang, plan.currency),
            )
        )
    # two pairs a row: half the height on the printed page
    half = (len(rows) + 1) // 2
    left, right = rows[:half], rows[half:] + [("", "")] * (half - len(rows[half:]))
    return pd.DataFrame(
        [(*a, *b) for a, b in zip(left, right)],
        columns=[t("item", lang), t("value", lang), t("item", lang) + " ", t("value", lang) + " "],
    )


def screen_view(plan: AccountPlan) -> pd.DataFrame:
    lang, s = plan.language, plan.screened
    if s.empty:
        return pd.DataFrame()
    frame = pd.DataFrame(
        {
            t("opportunity", lang): s["opportunity"].to_numpy(),
            t("amount", lang): s["value"]
            .map(lambda v: fmt_money(v, lang, plan.currency))
            .to_numpy(),
        }
    )
    for step in SCREEN:
        frame[t(f"step_{step}", lang)] = [
            f"{t('rag_' + r, lang)} {fmt_number(v)}" for r, v in zip(s[f"{step}_rag"], s[step])
        ]
    frame[t("verdict", lang)] = s["go"].map(lambda g: t("go" if g else "no_go", lang)).to_numpy()
    return frame


def coverage_view(plan: AccountPlan) -> pd.DataFrame:
    lang, c = plan.language, plan.cover
    if t("n_no_contacts", lang) in plan.notes:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            t("role", lang): [t(f"role_{r}", lang) for r in c["role"]],
            t("people", lang): [join_names(n, lang) if n else "—" for n in c["names"]],
            t("attitude", lang): c["attitude"].map(
                lambda v: "—" if pd.isna(v) else ("+" if v > 0 else "") + fmt_number(v)
            ),
            t("influence", lang): c["influence"].map(
                lambda v: "—" if pd.isna(v) else fmt_number(v)
            ),
            t("visited", lang): [t("rag_green" if v else "rag_red", lang) for v in c["visited"]],
        }
    )


def relationship_view(plan: AccountPlan) -> pd.DataFrame:
    lang, rel = plan.language, plan.relationship
    if rel is None:
        return pd.DataFrame()
    stage = int(rel["stage"])
    following = STAGE_NEEDS.get(stage + 1, {})
    rows = []
    for indicator in (
        "visits_per_month",
        "help_per_month",
        "info_shared",
        "thought_of_first",
        "holiday_contact",
    ):
        value = rel.get(indicator, "")
        shown = (
            t(value, lang)
            if value in ("yes", "no")
            else ("—" if value == "" else fmt_number(float(value)))
        )
        needed = following.get(indicator)
        rows.append(
            {
                t("indicator", lang): t(f"ind_{indicator}", lang),
                t("now", lang): shown,
                t("next_stage_needs", lang): "—"
                if needed is None
                else (
                    t("yes", lang)
                    if indicator in ("thought_of_first", "holiday_contact")
                    else fmt_number(needed)
                ),
                t("gap", lang): t("rag_red", lang)
                if indicator in plan.gap
                else t("rag_green", lang),
            }
        )
    return pd.DataFrame(rows)


def objections_view(plan: AccountPlan) -> pd.DataFrame:
    lang, s = plan.language, plan.screened
    rows = []
    for r in s.itertuples():
        objection = getattr(r, "objection", "") or ""
        signal = getattr(r, "signal", "") or ""
        if objection:
            rows.append(
                {
                    t("opportunity", lang): r.opportunity,
                    t("kind", lang): t("objection", lang),
                    t("item", lang): t(f"obj_{objection}", lang),
                    t("response", lang): t(f"resp_{objection}", lang),
                }
            )
        if signal:
            rows.append(
                {
                    t("opportunity", lang): r.opportunity,
                    t("kind", lang): t("signal", lang),
                    t("item", lang): t(f"sig_{signal}", lang),
                    t("response", lang): t("resp_signal", lang),
                }
            )
    return pd.DataFrame(rows)


def stage_text(plan: AccountPlan) -> str:
    lang = plan.language
    if plan.relationship is None:
        return t("n_no_relationship", lang)
    stage = plan.stage
    text = t("stage_now", lang, stage=stage, name=t(f"stage_{stage}", lang))
    if stage < 5:
        text += t("stage_next", lang, name=t(f"stage_{stage + 1}", lang), count=len(plan.gap))
    return text


def targets_table(plans: AccountPlans, w: Words) -> Table:
    """The annual target list: accounts by priority with their verdict and owners."""
    targets = plans.targets()
    spec = [
        ("priority", w("priority"), "int"),
        ("customer", w("customer")),
        ("tier", w("tier")),
        ("go", w("verdict"), "go"),
        ("red_flags", w("red_flag_count"), "int"),
        ("stage_text", w("relationship_stage")),
        ("owner_development", w("owner_development")),
        ("owner_maintenance", w("owner_maintenance")),
    ]
    if targets.empty:
        targets = pd.DataFrame(columns=[*[k for k, *_ in spec], "customer_id", "name"])
    else:
        targets["customer"] = [
            w.named(n, c) for c, n in zip(targets["customer_id"], targets["name"])
        ]
        targets["tier"] = targets["tier"].fillna("")
        targets["stage_text"] = [
            None if s is None or pd.isna(s) else w(STAGE_WORDS[int(s)]) for s in targets["stage"]
        ]
    return table(targets, spec, w, name="targets")


def targets_view(targets: pd.DataFrame, lang: str) -> pd.DataFrame:
    if targets.empty:
        return targets
    return pd.DataFrame(
        {
            t("priority", lang): targets["priority"],
            t("customer", lang): [
                f"{n}（{c}）" if lang == "zh" else f"{n} ({c})"
                for c, n in zip(targets["customer_id"], targets["name"])
            ],
            t("tier", lang): targets["tier"].fillna(""),
            t("verdict", lang): targets["go"].map(lambda g: t("go" if g else "no_go", lang)),
            t("red_flag_count", lang): targets["red_flags"].map(fmt_number),
            t("relationship_stage", lang): targets["stage"].map(
                lambda s: "—" if s is None or pd.isna(s) else t(f"stage_{int(s)}", lang)
            ),
            t("owner_development", lang): targets["owner_development"],
            t("owner_maintenance", lang): targets["owner_maintenance"],
        }
    )

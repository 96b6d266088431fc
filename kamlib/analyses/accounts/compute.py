"""Account plans (大客户计划), pure computation: the four-step opportunity screen,
buying-influence coverage and red flags, the relationship stage gap, recommended actions, and the
annual target list that ranks the accounts. Flags, actions and notes are :class:`Note` objects."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from kamlib.analyses.accounts.read import AccountInputs
from kamlib.core.errors import KamError, quote
from kamlib.core.notes import Note

ROLES = ("decision_maker", "technical", "user", "coach")
SCREEN = ("is_opportunity", "competition", "can_win", "worth_winning")
RECENT_DAYS = 90
HIGH_INFLUENCE = 7
"""Influence (1–10) from which anyone against us is a red flag; a decision maker always is."""
# The measurable indicators each relationship stage needs: visits and help per month,
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
STEP_ACTION_WORDS = {
    "is_opportunity": "a_is_opportunity",
    "competition": "a_competition",
    "can_win": "a_can_win",
    "worth_winning": "a_worth_winning",
}
INDICATOR_ACTION_WORDS = {
    "visits_per_month": "a_visits_per_month",
    "help_per_month": "a_help_per_month",
    "info_shared": "a_info_shared",
    "thought_of_first": "a_thought_of_first",
    "holiday_contact": "a_holiday_contact",
}


NO_CONTACTS = pd.DataFrame(
    columns=["name", "role", "attitude", "influence", "last_contact"]
).astype({"last_contact": "datetime64[ns]"})
NO_OPPORTUNITIES = pd.DataFrame(columns=["opportunity", "value", *SCREEN]).assign(
    go=pd.Series(dtype=bool), screen_score=pd.Series(dtype=float)
)


def rag(score: float) -> str:
    """Red (1–2), amber (3) or green (4–5) for one answer of the four-step screen."""
    return "red" if score <= 2 else "amber" if score < 4 else "green"


def screen_opportunities(opportunities: pd.DataFrame) -> pd.DataFrame:
    """The four-step screen per opportunity: a colour per step and go when no step is
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


def _main_opportunity(screened: pd.DataFrame) -> pd.Series:
    return screened.sort_values("value", ascending=False, kind="stable").iloc[0]


def red_flags(
    contacts: pd.DataFrame | None,
    screened: pd.DataFrame | None,
    today: dt.date,
    facts: Mapping[str, Any] | None = None,
) -> tuple[Note, ...]:
    """销售雷区 (red flags): a role nobody has identified or visited; each person against us
    (attitude below 0) who is a decision maker or has an influence of :data:`HIGH_INFLUENCE` or
    more, by name, however friendly the others are; no opportunity; a red step in the main
    opportunity's screen; a rising share of complaints in the contact log (``facts``: the
    second half of the period's share above the first's). ``None`` for data the engagement
    does not have: its flags are left out, not raised."""
    flags = []
    facts = facts or {}
    if facts.get("complaints_rising"):
        flags.append(
            Note.of(
                "rf_complaints_rising",
                first=float(facts["complaint_share_first"]),
                second=float(facts["complaint_share_second"]),
            )
        )
    for row in coverage(contacts, today).itertuples() if contacts is not None else ():
        if row.people == 0:
            flags.append(Note.of("rf_missing", role=row.role))
        elif not row.visited:
            flags.append(Note.of("rf_not_visited", role=row.role, days=RECENT_DAYS))
        people = contacts.loc[contacts["role"] == row.role]
        weighty = people["influence"] >= HIGH_INFLUENCE
        against = people.loc[(people["attitude"] < 0) & (weighty | (row.role == "decision_maker"))]
        for person in against.itertuples():
            flags.append(
                Note.of(
                    "rf_hostile",
                    name=str(person.name),
                    role=row.role,
                    attitude=float(person.attitude),
                    influence=float(person.influence),
                )
            )
    if screened is None:
        return tuple(flags)
    if screened.empty:
        flags.append(Note.of("rf_no_opportunity"))
    else:
        main = _main_opportunity(screened)
        for step in SCREEN:
            if main[f"{step}_rag"] == "red":
                flags.append(Note.of("rf_screen", opportunity=str(main["opportunity"]), step=step))
    return tuple(flags)


def _indicator_value(value: object) -> float:
    if value == "yes":
        return 1.0
    if value in ("no", "", None) or (isinstance(value, float) and math.isnan(value)):
        return 0.0
    return float(value)  # type: ignore[arg-type]


def _absent(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def visits_from_log(
    relationship: pd.Series | None, facts: Mapping[str, Any]
) -> tuple[pd.Series | None, list[Note]]:
    """The relationship row with its visits per month taken from the contact log (visits in
    the period ÷ its months) when the relationships file does not give them, and a note
    saying so."""
    if relationship is None:
        return None, []
    logged = facts.get("visits_per_month")
    if not _absent(relationship.get("visits_per_month")) or _absent(logged):
        return relationship, []
    filled = relationship.copy()
    filled["visits_per_month"] = float(logged)
    return filled, [Note.of("n_visits_from_log", visits=float(logged))]


def stage_gap(relationship: pd.Series | None) -> dict[str, float]:
    """What the next relationship stage needs that the account does not have yet."""
    if relationship is None:
        return {}
    stage = int(relationship["stage"])
    if stage >= 5:
        return {}
    return {
        indicator: needed
        for indicator, needed in STAGE_NEEDS[stage + 1].items()
        if _indicator_value(relationship.get(indicator, 0)) < needed
    }


def recommend(
    cover: pd.DataFrame,
    screened: pd.DataFrame,
    gap: Mapping[str, float],
    whitespace: float | None,
) -> tuple[Note, ...]:
    """Actions computed from the gaps: roles to identify or meet, steps of the screen to
    strengthen, the next relationship stage's indicators, the whitespace to pursue."""
    actions = []
    for row in cover.itertuples():
        if row.people == 0:
            actions.append(Note.of("a_identify", role=row.role))
        elif not row.visited:
            actions.append(Note.of("a_visit", role=row.role, names=list(row.names)))
    if not screened.empty:
        main = _main_opportunity(screened)
        for step in SCREEN:
            if main[f"{step}_rag"] != "green":
                actions.append(
                    Note.of(STEP_ACTION_WORDS[step], opportunity=str(main["opportunity"]))
                )
    for indicator, needed in gap.items():
        actions.append(Note.of(INDICATOR_ACTION_WORDS[indicator], value=float(needed)))
    if whitespace and whitespace > 0:
        actions.append(Note.of("a_whitespace", value=float(whitespace)))
    return tuple(actions)


@dataclass(frozen=True)
class AccountPlan:
    """One account's plan.

    Attributes
    ----------
    facts
        What the segmentation and the competitor analysis know of the account (tier, revenue,
        value level, action, kind, years, share of wallet, total spend), by name.
    screened
        Its opportunities with the four-step screen.
    cover
        Buying-influence coverage, one row per role.
    flags, actions, notes
        Red flags, recommended actions and what the plan leaves out, as notes.
    targets
        The account's targets against actuals (perspective, indicator, period, actual, target,
        attainment, rag), or ``None`` without targets.
    go
        Whether the main opportunity passes the four-step screen; ``None`` without opportunity
        data (no verdict).
    status
        ``planned``, or ``no_data`` for an account without a contact, an opportunity or a
        relationship row: no plan data yet, so no verdict and no red flags, not a no-go.
    """

    customer_id: str
    name: str
    facts: Mapping[str, Any]
    screened: pd.DataFrame
    cover: pd.DataFrame
    relationship: pd.Series | None
    gap: Mapping[str, float]
    flags: tuple[Note, ...]
    actions: tuple[Note, ...]
    go: bool | None
    notes: tuple[Note, ...] = ()
    has_contacts: bool = True
    status: str = "planned"
    targets: pd.DataFrame | None = None

    @property
    def stage(self) -> int | None:
        return None if self.relationship is None else int(self.relationship["stage"])

    def target_row(self) -> dict:
        """The plan's row of the annual target list."""
        rel = self.relationship
        revenue = self.facts.get("revenue")
        goals = self.targets
        revenue_target = None
        if goals is not None and (goals["indicator"] == "revenue").any():
            revenue_target = float(goals.loc[goals["indicator"] == "revenue", "target"].iloc[0])
        return {
            "customer_id": self.customer_id,
            "name": self.name,
            "status": self.status,
            "go": self.go,
            "red_flags": len(self.flags) if self.status == "planned" else None,
            "revenue": float(revenue or 0.0),
            "revenue_target": revenue_target,
            "tier": str(self.facts.get("tier") or ""),
            "stage": self.stage,
            "owner_development": "" if rel is None else str(rel["owner_development"]),
            "owner_maintenance": "" if rel is None else str(rel["owner_maintenance"]),
        }


def _rows(frame: pd.DataFrame | None, customer_id: str) -> pd.DataFrame | None:
    return None if frame is None else frame.loc[frame["customer_id"] == customer_id]


def plan_account(
    customer_id: str,
    inputs: AccountInputs,
    facts: Mapping[str, Any] | None = None,
    whitespace: float | None = None,
    targets: pd.DataFrame | None = None,
) -> AccountPlan:
    """The plan of one account. A plan file the engagement does not have leaves its part out
    with a note. An account without a row in any plan file has no plan data yet: it is planned
    as if there were no plan file at all (no verdict, no red flags, not a no-go), with one note
    and the action to start its plan."""
    facts = dict(facts or {})
    contacts = _rows(inputs.contacts, customer_id)
    opportunities = _rows(inputs.opportunities, customer_id)
    match = _rows(inputs.relationships, customer_id)
    planned = any(rows is not None and len(rows) for rows in (contacts, opportunities, match))
    if not planned:
        contacts = opportunities = match = None
    relationship = match.iloc[0] if match is not None and len(match) else None
    relationship, logged = visits_from_log(relationship, facts)
    missing = (
        ("n_no_contacts", contacts is None),
        ("n_no_opportunities", opportunities is None),
        ("n_no_relationship", relationship is None),
    )
    notes = [Note.of(code) for code, absent in missing if absent] + logged
    screened = (
        screen_opportunities(opportunities)
        if opportunities is not None and len(opportunities)
        else NO_OPPORTUNITIES.copy()
    )
    cover = coverage(contacts if contacts is not None else NO_CONTACTS, inputs.today)
    gap = stage_gap(relationship)
    known = cover if contacts is not None else cover.iloc[0:0]
    actions = recommend(known, screened, gap, whitespace)
    go = None
    if opportunities is not None:
        go = bool(len(screened)) and bool(_main_opportunity(screened)["go"])
    return AccountPlan(
        customer_id,
        str(facts.get("name") or customer_id),
        facts,
        screened,
        cover,
        relationship,
        gap,
        flags=red_flags(
            contacts,
            None if opportunities is None else screened,
            inputs.today,
            facts if planned else None,
        ),
        actions=actions if planned else (Note.of("a_start_plan"), *actions),
        go=go,
        notes=tuple(notes) if planned else (Note.of("n_no_plan_data"),),
        has_contacts=contacts is not None,
        status="planned" if planned else "no_data",
        targets=targets,
    )


def target_list(rows: list[dict]) -> pd.DataFrame:
    """The annual target list from the plans' :meth:`AccountPlan.target_row`: accounts by
    priority (go, then no-go, then no verdict; within each, fewer red flags, then revenue;
    accounts without plan data last), with their two owners."""
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame = (
        frame.assign(verdict=frame["go"].map({True: 0, False: 1}))
        .sort_values(
            ["verdict", "red_flags", "revenue", "customer_id"],
            ascending=[True, True, False, True],
            kind="stable",
            na_position="last",
            ignore_index=True,
        )
        .drop(columns="verdict")
    )
    frame.insert(0, "priority", range(1, len(frame) + 1))
    return frame


FACT_COLUMNS = (
    "name",
    "industry",
    "region",
    "since",
    "tier",
    "revenue",
    "level",
    "action",
    "cooperation_years",
    # the contact family (from the contact log) and expected sales, when the data gives them
    "interactions",
    "tasks",
    "processes",
    "visits",
    "praise",
    "complaints",
    "suggestions",
    "complaint_share",
    "complaint_share_first",
    "complaint_share_second",
    "complaints_rising",
    "visits_per_month",
    "expected_sales",
)


def account_facts(seg: Any, ca: Any) -> pd.DataFrame:
    """What the other analyses know of each account, one row per account (index =
    customer_id): the segmentation's facts, ``key_account`` and ``kind``, and the wallet's
    ``share_of_wallet``, ``total_spend`` and ``whitespace``."""
    frame = pd.DataFrame(index=pd.Index([], dtype=object, name="customer_id"))
    if seg is not None:
        ind = seg.indicators
        frame = ind[[c for c in FACT_COLUMNS if c in ind]].copy()
        frame["key_account"] = frame.index.isin(seg.key_accounts.index)
        kinds = seg.key_accounts["kind"] if "kind" in seg.key_accounts else None
        frame["kind"] = "" if kinds is None else kinds.reindex(frame.index).fillna("")
    if ca is not None and ca.wallet is not None:
        wallet = ca.wallet[["share", "total_spend", "whitespace"]].rename(
            columns={"share": "share_of_wallet"}
        )
        frame = frame.join(wallet, how="outer")
    return frame


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


@dataclass(frozen=True)
class AccountPlans:
    """The plans of a set of accounts, and what it takes to plan any other account: plain data;
    :func:`plan_of`, :func:`facts_of`, :func:`select` and :func:`subset` work on it.

    Attributes
    ----------
    plans
        The plans by account, in order: the key accounts' and those of every account with plan
        data; a render with ``--accounts`` keeps the chosen ones (:func:`subset`).
    ids
        The accounts planned, in order (those of ``plans``).
    key_accounts
        The segmentation's key accounts, in order.
    with_data
        Every account with a contact, an opportunity or a relationship row, in file order.
    inputs
        The plan data, to plan an account not among ``plans`` (:func:`plan_of`).
    facts
        :func:`account_facts`.
    target_list
        The annual target list of ``plans`` (:func:`target_list`).
    warnings
        The data-quality notes of the plan files.
    complete
        ``False`` for a subset: it plans no other account.
    goals
        The segmentation's targets against actuals, or ``None``.
    """

    plans: Mapping[str, AccountPlan]
    ids: tuple[str, ...]
    key_accounts: tuple[str, ...]
    with_data: tuple[str, ...]
    inputs: AccountInputs
    facts: pd.DataFrame
    target_list: pd.DataFrame
    warnings: tuple[Note, ...] = ()
    complete: bool = True
    goals: pd.DataFrame | None = None


def _with_plans(plans: AccountPlans, chosen: Mapping[str, AccountPlan], **changes) -> AccountPlans:
    """``plans`` holding the ``chosen`` plans, in their order, and their target list."""
    rows = [p.target_row() for p in chosen.values()]
    return replace(
        plans, plans=dict(chosen), ids=tuple(chosen), target_list=target_list(rows), **changes
    )


def facts_of(plans: AccountPlans, customer_id: str) -> dict[str, Any]:
    """The facts of one account, ``{"name": ...}`` at least."""
    name = (plans.inputs.names or {}).get(customer_id) or customer_id
    if customer_id not in plans.facts.index:
        return {"name": name}
    row = {k: _plain(v) for k, v in plans.facts.loc[customer_id].items()}
    if not row.get("name"):
        row["name"] = name
    return row


def plan_of(plans: AccountPlans, customer_id: str) -> AccountPlan:
    """The plan of ``customer_id``, computed when it is not among ``plans.plans``."""
    if customer_id in plans.plans:
        return plans.plans[customer_id]
    if not plans.complete:
        raise ValueError(f"{customer_id} is not among the accounts this subset kept")
    facts = facts_of(plans, customer_id)
    whitespace = facts.pop("whitespace", None)
    goals = plans.goals
    mine = None if goals is None else goals.loc[goals["customer_id"] == customer_id]
    return plan_account(customer_id, plans.inputs, facts, whitespace, mine)


def known(plans: AccountPlans) -> set[str]:
    """Every account the engagement knows (ledger and customer master; without them, the
    accounts with plan data)."""
    return set(plans.inputs.known) if plans.inputs.known is not None else set(plans.with_data)


def select(plans: AccountPlans, choice: str) -> list[str]:
    """The accounts ``choice`` names: ``key`` (the segmentation's key accounts), ``all`` (key
    accounts and every account with contacts, opportunities or a relationship row) or a
    comma-separated list of IDs.

    Raises
    ------
    KamError
        For an ID the engagement does not know.
    """
    if choice == "key":
        return list(plans.key_accounts)
    if choice == "all":
        return list(plans.key_accounts) + [
            c for c in plans.with_data if c not in plans.key_accounts
        ]
    wanted = list(dict.fromkeys(c.strip() for c in choice.split(",") if c.strip()))
    for customer in wanted:
        if customer not in known(plans):
            raise KamError(
                "--accounts", "key, all or IDs of the engagement's accounts", quote(customer)
            )
    return wanted


def subset(plans: AccountPlans, ids: list[str]) -> AccountPlans:
    """The plans of ``ids`` only, in that order, with only their facts (it plans no other
    account)."""
    chosen = {c: plan_of(plans, c) for c in ids}
    facts = plans.facts.loc[plans.facts.index.isin(ids)]
    return _with_plans(plans, chosen, facts=facts, complete=False)


def compute(inputs: AccountInputs, upstream: Mapping[str, Any]) -> AccountPlans:
    """A plan for every key account (from the segmentation) and every account with plan data,
    with the facts of the segmentation and the whitespace of the competitor analysis."""
    seg = upstream.get("customer_segmentation")
    facts = account_facts(seg, upstream.get("competitor_analysis"))
    keys = tuple(str(k) for k in seg.key_accounts.index) if seg is not None else ()
    with_data = tuple(
        dict.fromkeys(
            customer
            for frame in (inputs.contacts, inputs.opportunities, inputs.relationships)
            if frame is not None
            for customer in frame["customer_id"]
        )
    )
    goals = None if seg is None else seg.targets
    everyone = AccountPlans(
        {}, (), keys, with_data, inputs, facts, target_list([]), inputs.warnings, goals=goals
    )
    ids = list(dict.fromkeys([*keys, *with_data]))
    return _with_plans(everyone, {c: plan_of(everyone, c) for c in ids})

"""Account plans: what a plan page and the annual target list show. Text is made here."""

from __future__ import annotations

import pandas as pd

from kamlib.analyses.accounts.compute import SCREEN, STAGE_NEEDS, AccountPlan, AccountPlans
from kamlib.analyses.segmentation import view as segmentation_view
from kamlib.core.i18n import Words, register_format
from kamlib.core.notes import notes_json
from kamlib.core.table import GO, Table, table

ROLE_WORDS = {
    "decision_maker": "role_decision_maker",
    "technical": "role_technical",
    "user": "role_user",
    "coach": "role_coach",
}
STEP_WORDS = {
    "is_opportunity": "step_is_opportunity",
    "competition": "step_competition",
    "can_win": "step_can_win",
    "worth_winning": "step_worth_winning",
}
STAGE_WORDS = {1: "stage_1", 2: "stage_2", 3: "stage_3", 4: "stage_4", 5: "stage_5"}
INDICATOR_WORDS = {
    "visits_per_month": "ind_visits_per_month",
    "help_per_month": "ind_help_per_month",
    "info_shared": "ind_info_shared",
    "thought_of_first": "ind_thought_of_first",
    "holiday_contact": "ind_holiday_contact",
}
YES_NO = ("thought_of_first", "holiday_contact")
OBJECTION_WORDS = {
    "no_need": ("obj_no_need", "resp_no_need"),
    "no_trust": ("obj_no_trust", "resp_no_trust"),
    "no_budget": ("obj_no_budget", "resp_no_budget"),
    "no_hurry": ("obj_no_hurry", "resp_no_hurry"),
}
SIGNAL_WORDS = {
    "accepts_idea": "sig_accepts_idea",
    "next_step": "sig_next_step",
    "senior_manager": "sig_senior_manager",
    "technical_exchange": "sig_technical_exchange",
}
ACTION_WORDS = {
    "keep": "q_keep",
    "develop": "q_develop",
    "nurture": "q_nurture",
    "maintain": "q_maintain",
}
KIND_WORDS = {"core": "k_core", "important": "k_important"}

register_format("role", ROLE_WORDS)
register_format("step", STEP_WORDS)


def page_title(plans: AccountPlans, customer_id: str, w: Words) -> str:
    """A plan page's title: ``大客户计划：<name>``."""
    return w.colon(w("account_plan"), plans.plans[customer_id].name)


def results(plans: AccountPlans, w: Words) -> dict:
    """The ``account_plans`` entry of results.json: one object per plan, red flags as notes;
    ``status`` ``no_data`` and ``go`` null for an account without plan data."""
    return {
        "account_plans": [
            {
                "customer_id": p.customer_id,
                "status": p.status,
                "go": p.go,
                "red_flags": notes_json(p.flags, w),
                "relationship_stage": p.stage,
            }
            for p in plans.plans.values()
        ]
    }


def findings(plans: AccountPlans, w: Words) -> list[str]:
    """How many plans, go and flagged; how many key accounts have no plan data yet; whether
    every account has its two owners."""
    values = list(plans.plans.values())
    if not values:
        return []
    go = sum(1 for p in values if p.go)
    flagged = sum(1 for p in values if p.flags)
    found = [w.said("f_plans", n=len(values), go=go, flagged=flagged)]
    keys = [p for p in values if p.customer_id in plans.key_accounts]
    waiting = sum(1 for p in keys if p.status == "no_data")
    if waiting:
        found.append(w.said("f_no_plan_data", count=waiting, n=len(keys)))
    rows = [p.target_row() for p in values]
    unowned = sum(1 for r in rows if not (r["owner_development"] and r["owner_maintenance"]))
    found.append(w.said("f_owners_missing", count=unowned) if unowned else w.said("f_owners_all"))
    return found


def slides(plans: AccountPlans, w: Words) -> list[tuple[str, list[str]]]:
    """One slide per key account planned, in the target list's order: its title, and lines for
    its verdict, tier and revenue, relationship stage, red flags and first actions."""
    if plans.target_list.empty:
        return []
    keys = set(plans.key_accounts)
    shown = [str(c) for c in plans.target_list["customer_id"] if str(c) in keys]
    made = []
    for customer_id in shown:
        plan = plans.plans[customer_id]
        verdict = "no_data" if plan.status == "no_data" else plan.go
        lines = [w.colon(w("verdict"), w(GO[verdict]))] if verdict is not None else []
        f = plan.facts
        facts = [w.colon(w("tier"), f["tier"])] if f.get("tier") else []
        if f.get("revenue") is not None:
            facts.append(w.colon(w("revenue"), w.money(f["revenue"])))
        if facts:
            lines.append(w.clauses(facts))
        lines.append(stage_text(plan, w))
        flags = [n.text(w) for n in plan.flags]
        lines.append(w.colon(w("red_flags"), w.clauses(flags[:3])) if flags else w("no_red_flags"))
        lines += [n.text(w) for n in plan.actions[:3]]
        made.append((page_title(plans, customer_id, w), lines))
    return made


def facts_table(plan: AccountPlan, w: Words) -> Table:
    """The account's facts, two item–value pairs a row (half the height on the printed page)."""
    f = plan.facts
    rows: list[tuple[str, str]] = [(w("customer_id"), plan.customer_id), (w("name"), plan.name)]
    for key in ("industry", "region", "tier"):
        if f.get(key):
            rows.append((w(key), str(f[key])))
    if f.get("revenue") is not None:
        rows.append((w("revenue"), w.money_cell(f["revenue"])))
    if f.get("level") is not None:
        rows.append((w("level"), w.number(f["level"])))
    if f.get("action"):
        rows.append((w("action"), w(ACTION_WORDS[f["action"]])))
    if f.get("kind"):
        rows.append((w("kind"), w(KIND_WORDS[f["kind"]])))
    if f.get("cooperation_years") is not None:
        rows.append((w("tenure"), w.number(f["cooperation_years"], 1)))
    if f.get("expected_sales") is not None:
        rows.append((w("i_expected_sales"), w.money_cell(f["expected_sales"])))
    if f.get("interactions") is not None:
        rows.append(
            (
                w("contacts_logged"),
                w(
                    "contacts_text",
                    tasks=f["tasks"],
                    processes=f["processes"],
                    visits=f["visits"],
                    praise=f["praise"],
                    complaints=f["complaints"],
                    suggestions=f["suggestions"],
                ),
            )
        )
        if f["interactions"]:
            rows.append(
                (
                    w("i_complaint_share"),
                    w(
                        "complaint_trend",
                        share=f["complaint_share"],
                        first=f["complaint_share_first"],
                        second=f["complaint_share_second"],
                    ),
                )
            )
    if f.get("share_of_wallet") is not None and not pd.isna(f["share_of_wallet"]):
        rows.append((w("share_of_wallet"), w.percent(f["share_of_wallet"], 1)))
    if f.get("total_spend") is not None and f.get("revenue") is not None:
        rows.append((w("whitespace"), w.money_cell(max(0.0, f["total_spend"] - f["revenue"]))))
    half = (len(rows) + 1) // 2
    left, right = rows[:half], rows[half:] + [("", "")] * (half - len(rows[half:]))
    frame = pd.DataFrame(
        [(*a, *b) for a, b in zip(left, right)], columns=["item", "value", "item2", "value2"]
    )
    spec = [
        ("item", w("item")),
        ("value", w("value")),
        ("item2", w("item") + " "),
        ("value2", w("value") + " "),
    ]
    return table(frame, spec, w, name="facts")


def screen_table(plan: AccountPlan, w: Words) -> Table:
    """The four-step screen of each opportunity: a colour and the answer per step, the verdict."""
    s = plan.screened
    frame = pd.DataFrame({"opportunity": s["opportunity"].to_numpy(), "value": s["value"]})
    for step in SCREEN:
        frame[step] = list(zip(s[f"{step}_rag"], s[step])) if len(s) else []
    frame["go"] = s["go"].to_numpy()
    spec = [("opportunity", w("opportunity")), ("value", w("amount"), "money")]
    spec += [(step, w(STEP_WORDS[step]), "rag_score") for step in SCREEN]
    spec.append(("go", w("verdict"), "go"))
    return table(frame, spec, w, empty=w("no_screen"), name="screen")


def coverage_table(plan: AccountPlan, w: Words) -> Table:
    """Who plays each buying role, their best attitude and influence, and whether they were met
    in the last 90 days; no rows without contacts data."""
    c = plan.cover if plan.has_contacts else plan.cover.iloc[0:0]
    frame = pd.DataFrame(
        {
            "role": [w(ROLE_WORDS[r]) for r in c["role"]],
            "people": [list(n) if len(n) else None for n in c["names"]],
            "attitude": c["attitude"].to_numpy(),
            "influence": c["influence"].to_numpy(),
            "visited": ["green" if v else "red" for v in c["visited"]],
        }
    )
    spec = [
        ("role", w("role")),
        ("people", w("people"), "list"),
        ("attitude", w("attitude"), "signed"),
        ("influence", w("influence"), "num"),
        ("visited", w("visited"), "rag"),
    ]
    return table(frame, spec, w, name="coverage")


def notes_table(notes, heading: str, empty: str, w: Words, name: str) -> Table:
    """Notes as a one-column table under ``heading``."""
    frame = pd.DataFrame({"note": [n.text(w) for n in notes]})
    return table(frame, [("note", heading)], w, empty=empty, name=name)


def flags_table(plan: AccountPlan, w: Words) -> Table:
    """The red flags; without contacts or opportunity data, that none could be judged."""
    judged = plan.has_contacts or plan.go is not None
    empty = w("no_red_flags" if judged else "flags_not_judged")
    return notes_table(plan.flags, w("red_flags"), empty, w, "red_flags")


def actions_table(plan: AccountPlan, w: Words) -> Table:
    return notes_table(plan.actions, w("actions"), w("no_actions"), w, "actions")


def plan_notes(plan: AccountPlan, w: Words) -> list[str]:
    """What the plan leaves out for lack of data."""
    return [n.text(w) for n in plan.notes]


def stage_text(plan: AccountPlan, w: Words) -> str:
    """The relationship stage in a sentence, and what the next stage still needs."""
    if plan.relationship is None:
        return w("n_no_relationship")
    stage = plan.stage
    text = w("stage_now", stage=stage, name=w(STAGE_WORDS[stage]))
    if stage < 5:
        key = "stage_next" if plan.gap else "stage_next_met"
        text += w(key, name=w(STAGE_WORDS[stage + 1]), count=len(plan.gap))
    return text


def relationship_table(plan: AccountPlan, w: Words) -> Table:
    """Each relationship indicator: now, what the next stage needs, and the gap."""
    rel = plan.relationship
    rows = []
    if rel is not None:
        following = STAGE_NEEDS.get(int(rel["stage"]) + 1, {})
        for indicator, key in INDICATOR_WORDS.items():
            value = rel.get(indicator, "")
            needed = following.get(indicator)
            rows.append(
                {
                    "indicator": w(key),
                    "now": w(value)
                    if value in ("yes", "no")
                    else (None if value == "" else w.number(float(value))),
                    "needs": None
                    if needed is None
                    else (w("yes") if indicator in YES_NO else w.number(needed)),
                    "gap": "red" if indicator in plan.gap else "green",
                }
            )
    frame = pd.DataFrame(rows, columns=["indicator", "now", "needs", "gap"])
    spec = [
        ("indicator", w("indicator")),
        ("now", w("now")),
        ("needs", w("next_stage_needs")),
        ("gap", w("gap"), "rag"),
    ]
    return table(frame, spec, w, name="relationship")


def objections_table(plan: AccountPlan, w: Words) -> Table:
    """Each opportunity's objection and buying signal with the recommended response."""
    rows = []
    for r in plan.screened.itertuples():
        objection = getattr(r, "objection", "") or ""
        signal = getattr(r, "signal", "") or ""
        if objection:
            item, response = OBJECTION_WORDS[objection]
            rows.append((r.opportunity, w("objection"), w(item), w(response)))
        if signal:
            rows.append((r.opportunity, w("signal"), w(SIGNAL_WORDS[signal]), w("resp_signal")))
    frame = pd.DataFrame(rows, columns=["opportunity", "kind", "item", "response"])
    spec = [
        ("opportunity", w("opportunity")),
        ("kind", w("kind")),
        ("item", w("item")),
        ("response", w("response")),
    ]
    return table(frame, spec, w, empty=w("no_objections"), name="objections")


def plan_targets_table(plan: AccountPlan, w: Words) -> Table:
    """The account's targets against actuals: perspective, indicator, actual, target,
    attainment and RAG; no rows without targets."""
    return segmentation_view.target_table(plan.targets, w, "plan_targets")


def targets_table(plans: AccountPlans, w: Words) -> Table:
    """The annual target list: accounts by priority with their verdict (or that they have no
    plan data yet), this year's revenue target beside the period's revenue, and owners, under
    the rule of its order."""
    targets = plans.target_list.copy()
    spec = [
        ("priority", w("priority"), "int"),
        ("customer", w("customer")),
        ("tier", w("tier")),
        ("revenue", w("revenue_actual"), "money"),
        ("revenue_target", w("revenue_target"), "money"),
        ("verdict", w("verdict"), "go"),
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
        targets["stage_text"] = [
            None if s is None or pd.isna(s) else w(STAGE_WORDS[int(s)]) for s in targets["stage"]
        ]
        targets["verdict"] = [
            "no_data" if status == "no_data" else go
            for status, go in zip(targets["status"], targets["go"])
        ]
    return table(targets, spec, w, caption=w("plans_intro"), name="targets")

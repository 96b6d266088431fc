"""Account plans (大客户计划): one plan per key account, and the annual target list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kamlib.analyses.accounts import messages  # noqa: F401  (registers the messages)
from kamlib.analyses.accounts.compute import (
    AccountInputs,
    AccountPlans,
    known_accounts,
    plan_accounts,
    targets_table,
)
from kamlib.analyses.accounts.compute import read_inputs as _read_inputs
from kamlib.analyses.registry import Analysis, register
from kamlib.core.config import Engagement
from kamlib.core.i18n import Words


@dataclass
class _Inputs:  # transitional: the computation still takes the engagement
    inputs: AccountInputs
    eng: Engagement


def _read(eng: Engagement, upstream: Mapping[str, Any]) -> _Inputs:
    seg = upstream.get("customer_segmentation")
    known = seg.customer_ids() if seg is not None else known_accounts(eng)
    return _Inputs(_read_inputs(eng, known), eng)


def _compute(inputs: _Inputs, upstream: Mapping[str, Any]) -> AccountPlans:
    return plan_accounts(
        inputs.inputs,
        inputs.eng,
        upstream.get("customer_segmentation"),
        upstream.get("competitor_analysis"),
    )


def results(plans: AccountPlans, w: Words) -> dict:
    return {"account_plans": [p.to_results() for p in plans.plans.values()]}


def findings(plans: AccountPlans, w: Words) -> list[str]:
    values = list(plans.plans.values())
    go = sum(1 for p in values if p.go)
    flagged = sum(1 for p in values if p.flags)
    return [w("f_plans", n=len(values), go=go, flagged=flagged)]


ANALYSIS = register(
    Analysis(
        key="account_plans",
        notebook="account_plan.ipynb",
        requires=("contacts", "opportunities", "relationships", "transactions"),
        read=_read,
        compute=_compute,
        results=results,
        order=40,
        findings=findings,
        depends_on=("customer_segmentation", "competitor_analysis"),
        per_account=True,
        index=targets_table,
        page_title=lambda plans, customer, w: w.colon(
            w("account_plan"), plans.plans[customer].name
        ),
    )
)

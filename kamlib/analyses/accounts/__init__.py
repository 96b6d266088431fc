"""Account plans (大客户计划): one plan per key account, and the annual target list."""

from kamlib.analyses.accounts import compute, messages, read, view  # noqa: F401 (messages)
from kamlib.analyses.accounts.compute import AccountPlan, AccountPlans, plan_of
from kamlib.analyses.accounts.read import AccountInputs
from kamlib.analyses.registry import Analysis, register

ANALYSIS = register(
    Analysis(
        key="account_plans",
        notebook="account_plan.ipynb",
        requires=("contacts", "opportunities", "relationships", "transactions"),
        read=read.read_inputs,
        compute=compute.compute,
        results=view.results,
        findings=view.findings,
        order=40,
        method="method_accounts",
        key_table="targets",
        table_titles=(
            ("facts", "t_plan_facts"),
            ("screen", "t_plan_screen"),
            ("coverage", "t_plan_coverage"),
            ("relationship", "t_plan_relationship"),
            ("objections", "t_plan_objections"),
            ("targets", "t_plan_targets"),
        ),
        depends_on=("customer_segmentation", "competitor_analysis"),
        per_account=True,
        select=compute.select,
        subset=compute.subset,
        known=compute.known,
        index=view.targets_table,
        page_title=view.page_title,
        tables=lambda plans, w: [view.targets_table(plans, w)],
        slides=view.slides,
    )
)

__all__ = ["ANALYSIS", "AccountInputs", "AccountPlan", "AccountPlans", "plan_of"]

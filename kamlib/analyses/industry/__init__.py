"""Industry selection (行业选择): weighted scoring of candidate industries.

``read`` → :class:`~kamlib.analyses.industry.read.IndustryInputs`, ``compute`` →
:class:`~kamlib.analyses.industry.compute.IndustrySelection`, ``view`` (tables, findings,
results.json) and ``charts``.
"""

from kamlib.analyses.industry import compute, messages, read, view  # noqa: F401 (messages)
from kamlib.analyses.industry.compute import IndustrySelection, select_industries
from kamlib.analyses.industry.read import IndustryInputs
from kamlib.analyses.registry import Analysis, register


def _tables(sel, w):
    return [
        view.ranking_table(sel, w),
        view.criteria_table(sel, w),
        view.ahp_table(sel, w),
        view.robustness_table(sel, w),
        view.sensitivity_table(sel, w),
    ]


def _charts(sel):
    return ["plot_score_heatmap", "plot_contributions", "plot_robustness"]


ANALYSIS = register(
    Analysis(
        key="industry_selection",
        notebook="industry_selection.ipynb",
        requires=("industries",),
        read=read.read_inputs,
        compute=compute.compute,
        results=view.results,
        order=10,
        method="method_industry",
        key_table="ranking",
        key_findings=("f_selected", "f_leader", "f_tie", "f_robust", "f_robust_all", "f_mismatch"),
        native_charts=(("robustness", view.native_robustness),),
        chart_findings=(
            ("score_heatmap", ("f_leader", "f_tie")),
            ("contributions", ("f_selected",)),
            ("robustness", ("f_robust", "f_robust_all")),
        ),
        table_titles=(
            ("ranking", "t_industry_ranking"),
            ("criteria", "t_industry_criteria"),
            ("ahp", "t_industry_ahp"),
            ("robustness", "t_industry_robustness"),
            ("sensitivity", "t_industry_sensitivity"),
        ),
        findings=view.findings,
        tables=_tables,
        charts=_charts,
    )
)

__all__ = ["ANALYSIS", "IndustryInputs", "IndustrySelection", "select_industries"]

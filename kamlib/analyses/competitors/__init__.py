"""Competitor analysis (竞争分析): competitive scores, gaps, unique selling points and
vulnerabilities, the positioning map, share of wallet and whitespace.

``read`` → :class:`~kamlib.analyses.competitors.read.CompetitorInputs`, ``compute`` →
:class:`~kamlib.analyses.competitors.compute.CompetitorAnalysis`, ``view`` (tables, findings,
results.json) and ``charts``.
"""

from kamlib.analyses.competitors import compute, messages, read, view  # noqa: F401 (messages)
from kamlib.analyses.competitors.compute import CompetitorAnalysis, analyse_competitors
from kamlib.analyses.competitors.read import CompetitorInputs
from kamlib.analyses.registry import Analysis, register


def _tables(ca, w):
    return [
        view.scores_table(ca, w),
        view.gaps_table(ca, w),
        view.usp_table(ca, w),
        view.vulnerabilities_table(ca, w),
        view.wallet_table(ca, w, rows=None),
    ]


def _charts(ca):
    return ["plot_positioning_map", "plot_gaps", "plot_wallet"]


ANALYSIS = register(
    Analysis(
        key="competitor_analysis",
        notebook="competitor_analysis.ipynb",
        requires=("competitors",),
        read=read.read_inputs,
        compute=compute.compute,
        results=view.results,
        order=30,
        method="method_competitors",
        key_table="scores",
        key_findings=(
            "f_we_lead",
            "f_we_rank",
            "f_we_tie",
            "f_usp",
            "f_vulnerable",
            "f_wallet",
            "f_wallet_all",
        ),
        native_charts=(("gaps", view.native_gaps), ("wallet", view.native_wallet)),
        chart_findings=(
            ("positioning_map", ("f_we_lead", "f_we_rank", "f_we_tie")),
            ("gaps", ("f_usp", "f_vulnerable", "f_no_usp")),
            ("wallet", ("f_wallet", "f_wallet_all")),
        ),
        table_titles=(
            ("scores", "t_comp_scores"),
            ("gaps", "t_comp_gaps"),
            ("usp", "t_comp_usp"),
            ("vulnerabilities", "t_comp_vulnerabilities"),
            ("wallet", "t_comp_wallet"),
        ),
        findings=view.findings,
        depends_on=("customer_segmentation",),
        tables=_tables,
        charts=_charts,
    )
)

__all__ = ["ANALYSIS", "CompetitorAnalysis", "CompetitorInputs", "analyse_competitors"]

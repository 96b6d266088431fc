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

ANALYSIS = register(
    Analysis(
        key="competitor_analysis",
        notebook="competitor_analysis.ipynb",
        requires=("competitors",),
        read=read.read_inputs,
        compute=compute.compute,
        results=view.results,
        order=30,
        findings=view.findings,
        depends_on=("customer_segmentation",),
    )
)

__all__ = ["ANALYSIS", "CompetitorAnalysis", "CompetitorInputs", "analyse_competitors"]

"""Competitor analysis (竞争分析)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kamlib.analyses.competitors import messages  # noqa: F401  (registers the messages)
from kamlib.analyses.competitors.compute import (
    CompetitorAnalysis,
    CompetitorInputs,
    analyse_competitors,
    describe_findings,
)
from kamlib.analyses.competitors.compute import read_inputs as _read_inputs
from kamlib.analyses.registry import Analysis, register
from kamlib.core.config import Engagement


@dataclass
class _Inputs:  # transitional: the computation still takes the engagement
    inputs: CompetitorInputs
    eng: Engagement


def _read(eng: Engagement, upstream: Mapping[str, Any]) -> _Inputs:
    return _Inputs(_read_inputs(eng), eng)


def _compute(inputs: _Inputs, upstream: Mapping[str, Any]) -> CompetitorAnalysis:
    return analyse_competitors(inputs.inputs, inputs.eng, upstream.get("customer_segmentation"))


ANALYSIS = register(
    Analysis(
        key="competitor_analysis",
        notebook="competitor_analysis.ipynb",
        requires=("competitors",),
        read=_read,
        compute=_compute,
        results=lambda ca, w: ca.to_results(),
        order=30,
        findings=lambda ca, w: describe_findings(ca),
        depends_on=("customer_segmentation",),
    )
)

"""Customer segmentation and key accounts (客户分级与大客户识别)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kamlib.analyses.registry import Analysis, register
from kamlib.analyses.segmentation import (
    messages,  # noqa: F401  (registers the messages)
    view,
)
from kamlib.analyses.segmentation.compute import Segmentation, segment_customers
from kamlib.analyses.segmentation.methods import SegmentationInputs
from kamlib.analyses.segmentation.methods import read_inputs as _read_inputs
from kamlib.core.config import Engagement


@dataclass
class _Inputs:  # transitional: the computation still takes the engagement
    inputs: SegmentationInputs
    eng: Engagement

    def customer_ids(self) -> set[str]:
        return self.inputs.customer_ids()

    @property
    def customers(self):
        return self.inputs.customers


def _read(eng: Engagement, upstream: Mapping[str, Any]) -> _Inputs:
    return _Inputs(_read_inputs(eng), eng)


def _compute(inputs: _Inputs, upstream: Mapping[str, Any]) -> Segmentation:
    return segment_customers(inputs.inputs, inputs.eng)


ANALYSIS = register(
    Analysis(
        key="customer_segmentation",
        notebook="customer_segmentation.ipynb",
        requires=("transactions",),
        read=_read,
        compute=_compute,
        results=lambda seg, w: seg.to_results(),
        order=20,
        findings=lambda seg, w: view.describe_findings(seg),
    )
)
